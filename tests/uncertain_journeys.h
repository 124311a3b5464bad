// A small kappa-0 journey for the uncertain-input tests, parsed and validated from text.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/validate.h"

namespace cjsim::testing_uncertain {

// A kappa-0 journey (the absorbing Markov chain of MODEL.md 1.8): ad -> form -> done, the
// form's dropout `dropout` (a number or a distribution as YAML).
inline std::string chain(const std::string& dropout, const std::string& settings = "") {
  return "name: Chain\nstages: [s]\n" + settings +
         "touchpoints:\n"
         "  - {id: ad, stage: s, channel: web, entry_weight: 1, dropout: 0.1}\n"
         "  - {id: form, stage: s, channel: web, dropout: " +
         dropout +
         ", emotion: {mean: 0.2, sd: 0.3}}\n"
         "  - {id: done, stage: s, channel: web, conversion: {value: 50}}\n"
         "transitions:\n"
         "  - {from: ad, to: form}\n"
         "  - {from: form, to: done}\n";
}

inline Scenario parse(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(text, "test.yaml", diagnostics);
  EXPECT_TRUE(s) << diagnostics.to_string();
  if (!s) return {};
  Diagnostics checks;
  validate_scenario(*s, checks);
  EXPECT_FALSE(checks.has_errors()) << checks.to_string();
  return *s;
}

// Every problem loading and validating `text` reports, as one string.
inline std::string problems(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(text, "test.yaml", diagnostics);
  if (s) validate_scenario(*s, diagnostics);
  return diagnostics.to_string();
}

}  // namespace cjsim::testing_uncertain
