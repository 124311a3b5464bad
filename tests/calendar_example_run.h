// A shipped calendar example simulated for a test, with the metadata `cjsim run` records: what
// the calendar HTML and trace tests share.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "reports/store/calendar_file.h"
#include "reports/store/output_file.h"
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

// A path for a test's file `name` in the temporary directory, apart for each process.
inline std::string temporary(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".h5"))
      .string();
}

// `s` written as `cjsim run --output` writes it, to temporary(name); returns the path.
inline std::string stored(const Simulated& s, const std::string& name) {
  const std::string path = temporary(name);
  PendingFile file(path, Overwrite::replace);
  write_calendar_run_file(file, s.metadata, s.data());
  file.commit();
  return path;
}

}  // namespace cjsim::test
