// An experiment file: the base scenario(s) a sweep starts from, the parameters it varies and
// how (a grid, lists, or a Latin hypercube), the agents, replications and seed. Read with
// every problem reported at its line and column, before anything runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/design.h"
#include "scenarios/diagnostic.h"
#include "scenarios/parameter_path.h"

namespace cjsim {

enum class DesignKind { grid, list, latin_hypercube };

struct ExperimentParameter {
  ParameterPath path;
  std::vector<double> levels;     // grid and list: the values, in order
  std::optional<Interval> range;  // Latin hypercube: the interval sampled
  SourceLocation where;           // the parameter's key in the experiment file
};

struct Experiment {
  std::string name;
  std::string path;                    // the experiment file, as given
  std::string text;                    // its text, kept for the result file and the resume check
  std::vector<std::string> scenarios;  // resolved against the experiment file's directory
  std::vector<SourceLocation> scenario_where;
  DesignKind design = DesignKind::grid;
  std::uint64_t points = 0;  // Latin hypercube only
  std::uint64_t design_seed = 0;
  std::vector<ExperimentParameter> parameters;
  std::uint64_t agents = 10000;
  std::uint32_t replications = 1;
  std::uint64_t seed = 1;
  // Calendar journeys (keys days and warmup_days, or sweep --days and --warmup-days): above 0,
  // the days every point runs (in place of calendar.days); the first days left out of every
  // figure.
  std::int64_t days = 0;
  std::int64_t warmup_days = 0;
  std::string metric = "conversion_rate";  // what --summary ranks by, unless told otherwise
  SourceLocation metric_where;
};

// Upper bounds that keep a mistaken file (a grid of ten parameters at ten levels) from
// starting hours of work or exhausting memory.
inline constexpr std::uint64_t kMostDesignPoints = 100000;
// Points times parameters: the values a design holds in memory.
inline constexpr std::uint64_t kMostDesignValues = 1000000;
inline constexpr std::uint64_t kMostExperimentAgents = std::uint64_t{1} << 48;
inline constexpr std::uint32_t kMostExperimentReplications = 100000;
inline constexpr std::uint64_t kMostExperimentDays = 36500;  // as cjsim run --days

std::string_view design_name(DesignKind kind);

// Parses `text` (named `path` in messages); every problem goes to `diagnostics`, and the
// Experiment comes back only when there was none.
std::optional<Experiment> parse_experiment(std::string_view text, const std::string& path,
                                           Diagnostics& diagnostics);

// Reads the file, then parses it.
std::optional<Experiment> load_experiment_file(const std::string& path, Diagnostics& diagnostics);

// The design points of the experiment's parameters (not yet crossed with its scenarios).
DesignRows design_rows(const Experiment& experiment);

}  // namespace cjsim
