// The starting journey `cjsim new` writes: a small, commented journey map (five stages from
// awareness to advocacy, a few touchpoints, two personas) that validates and runs as it is,
// for a strategist to edit into their own.
#pragma once

#include <string>
#include <string_view>

namespace cjsim {

// The journey as YAML text, named `name`; its comments show how to run `file`.
std::string starter_journey_yaml(std::string_view name, std::string_view file);

}  // namespace cjsim
