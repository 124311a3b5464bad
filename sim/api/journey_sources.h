// Journeys for a front end that holds some of them as unsaved text (the studio's editor): each
// source is a file, or text standing in for that file, read and checked like `cjsim validate`
// and compiled like load_journeys.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"
#include "sim/api/compare.h"
#include "sim/api/context.h"

namespace cjsim {

// A journey file by its path, or, with `text`, that text in place of the file's content (its
// `base:` still resolved against the path's directory).
struct JourneySource {
  std::string path;
  std::optional<std::string> text;
};

// Reads, validates and compiles each source in order, as load_journeys does for files (with
// `keep_parts`, each scenario whole: a comparison with draws sets their uncertain inputs).
CompiledJourneys load_journey_sources(std::span<const JourneySource> sources,
                                      const Context& context, bool keep_parts = false);

// What `cjsim validate` finds in a text named `path`: every diagnostic, and when it is valid the
// scenario and the line validate prints ("PATH: valid: 'NAME', 5 stages, ...") with its
// journey-length warning, if any, added to the diagnostics as validate prints it.
struct JourneyCheck {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario;
  std::string summary;  // the line validate prints: valid, or "PATH: N errors, M warnings"
};
JourneyCheck check_journey_text(std::string_view text, const std::string& path);

}  // namespace cjsim
