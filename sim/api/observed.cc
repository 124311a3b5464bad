// Observed data through the Context.
#include "sim/api/observed.h"

#include "sim/api/errors.h"

namespace cjsim {

ObservedJourneys load_observed(const std::string& path, const ObservedReadOptions& options,
                               const Context& context) {
  Diagnostics diagnostics;
  std::optional<ObservedJourneys> data = read_observed_file(path, options, diagnostics);
  if (context.diagnostics) context.diagnostics(path, diagnostics);
  if (!data) throw InvalidInput(path, diagnostics.error_count(), "nothing was done");
  return std::move(*data);
}

}  // namespace cjsim
