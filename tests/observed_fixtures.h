// What the tests of fitting share: a file of tests/data/observed read, and a fitted journey's
// touchpoint found by id.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "models/observed/observed_reader.h"
#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim::testing {

// tests/data/observed/NAME read with `options`; a failure to read fails the test (and gives
// empty data).
inline ObservedJourneys observed_data(const std::string& name,
                                                const ObservedReadOptions& options = {}) {
  Diagnostics d;
  auto data = read_observed_file(std::string(CJSIM_TEST_DATA "/observed/") + name, options, d);
  EXPECT_TRUE(data) << d.to_string();
  return data ? *data : ObservedJourneys{};
}

// The touchpoint `id` of `s`; throws when it has none.
inline const Touchpoint& touchpoint_of(const Scenario& s, const std::string& id) {
  for (const Touchpoint& t : s.touchpoints) {
    if (t.id == id) return t;
  }
  throw std::runtime_error("no touchpoint " + id);
}

}  // namespace cjsim::testing
