// Whether this build of cjsim writes HTML reports (CMake's CJSIM_HTML, on by default): without
// them an option that asks for one is refused on the command line, before any work.
#pragma once

#include <CLI/CLI.hpp>

namespace cjsim {

// Passes every value when cjsim has HTML reports; else fails, saying that this build has none.
CLI::Validator html_reports_check();

}  // namespace cjsim
