// The parts of a Context that need the process group.
#include "sim/api/context.h"

#include <fmt/format.h>

#include "sim/api/errors.h"
#include "sim/dist/process_group.h"

namespace cjsim {

bool Context::reports() const { return processes == nullptr || processes->root(); }

int Context::process_count() const { return processes == nullptr ? 1 : processes->size(); }

InvalidInput::InvalidInput(std::string path, std::size_t errors, std::string_view consequence)
    : std::runtime_error(fmt::format("{}: {}, {}", path, counted(errors, "error"), consequence)),
      path(std::move(path)),
      errors(errors) {}

}  // namespace cjsim
