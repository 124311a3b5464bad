// A shipped calendar example simulated for a test, with the metadata `cjsim run` records: what
// the calendar HTML and trace tests share.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "reports/store/calendar_file.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim::test {

struct Simulated {
  CompiledJourney journey;
  CompiledCalendar calendar;
  CalendarRunResult result;
  CalendarSummary summary;
  RunMetadata metadata;

  CalendarRunData data() const { return {&journey, &calendar, &result, &summary}; }
};

// A day of warm-up, `traced` agents followed per persona.
inline CalendarOptions options_of(std::uint32_t replications, std::uint32_t traced,
                                  std::uint64_t seed = 5) {
  CalendarOptions options;
  options.seed = seed;
  options.replications = replications;
  options.warmup_days = 1;
  options.traced_per_persona = traced;
  return options;
}

// scenarios/examples/`file` over `days` days.
inline Simulated simulate(const std::string& file, std::int64_t days, std::uint32_t replications,
                          std::uint32_t traced = 10, std::uint64_t seed = 5) {
  Diagnostics diagnostics;
  const std::string path = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + file;
  std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  Simulated s{compile(*scenario), {}, {}, {}, {}};
  s.calendar = compile_calendar(*scenario, s.journey, days);
  const CalendarOptions options = options_of(replications, traced, seed);
  s.result = run_calendar(s.journey, s.calendar, options);
  s.summary = summarize_calendar(s.journey, s.calendar, s.result);
  s.metadata.scenario_path = path;
  s.metadata.scenario_text = scenario->source_text;
  for (const SourceFile& base : scenario->base_sources) {
    s.metadata.base_files.emplace_back(base.path, base.text);
  }
  s.metadata.seed = options.seed;
  s.metadata.replications = replications;
  s.metadata.created = "2026-12-06T12:00:00Z";
  return s;
}

}  // namespace cjsim::test
