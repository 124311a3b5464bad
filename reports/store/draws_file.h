// The draws of a run or comparison with uncertain inputs in its result file (the group
// `uncertainty`: the parameters and figures of every draw, the intervals over the draws, the
// probability of beating, the sensitivity ranking), and what the reports show of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/calendar_file.h"
#include "reports/store/comparison_file.h"
#include "reports/store/output_file.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/engine/uncertainty.h"

namespace H5 {
class Group;
}

namespace cjsim {

// What a report shows of the draws, computed from them once and stored as such.
struct DrawsDigest {
  std::size_t draws = 0;
  std::size_t runs = 0;   // simulated, besides the central run (more with total effects)
  std::string design;     // "latin hypercube", ...
  std::string estimator;  // the sensitivity estimator and its error, for people
  std::string ranked_on;  // the figure the sensitivity ranks (compare: rank_by)
  std::vector<UncertainInputReport> inputs;
  // A headline figure of one scenario: at the inputs' means with its interval of simulation
  // noise, and the central 95% of its values over the draws.
  struct FigureRange {
    std::size_t scenario = 0;
    std::string figure;
    Estimate central;
    DrawInterval over_draws;
  };
  std::vector<FigureRange> figures;
  // A future state's gain over the current state in `ranked_on`, and the probability that it
  // beats each scenario (indexed by scenario; NaN at its own place).
  struct FutureState {
    std::size_t scenario = 0;
    DifferenceUncertainty gain;
    std::vector<double> probability_beats;
  };
  std::vector<FutureState> future_states;
  // The ranking of the inputs, per figure ranked (a run: the figure; a comparison: each future
  // state's gain), largest first-order index first.
  struct Ranked {
    std::size_t scenario = 0;  // 0: the run's figure; k: future state k's gain
    std::string figure;
    std::string input, distribution;
    SensitivityIndex index;
  };
  std::vector<Ranked> sensitivity;
  bool has_totals() const;
};

// `central` are the scenarios' summaries at the inputs' means (one for a run); `ranked_on` the
// figure the sensitivity ranks.
DrawsDigest digest_draws(const std::vector<Summary>& central, const UncertaintyReport& draws,
                         const std::string& ranked_on);

// What a calendar run's or comparison's page shows of the draws: the digest of the plain
// figures, the odds and the ranking (digest_draws), each calendar figure's range over the
// draws, and what the draws say of each difference.
struct CalendarDrawsDigest {
  DrawsDigest digest;
  // Per scenario, the run's figures by their key in `run --json` ("staff_cost",
  // "revenue_per_agent") and each resource's as RESOURCE.FIGURE ("call_centre.p90_wait_hours",
  // FIGURE of kResourceColumns).
  std::vector<DrawsDigest::FigureRange> figures;
  // [future state - 1][row of report.differences]: its expected value, interval and
  // probability of being better over the draws.
  std::vector<std::vector<DifferenceUncertainty>> differences;
  // The range of `figure` of scenario `scenario`; nullptr when the draws do not have it.
  const DrawsDigest::FigureRange* range(std::size_t scenario, std::string_view figure) const;
};

// `central` is the run or comparison at the inputs' means, `draws[k]` draw k's summaries (one
// per journey, untraced), `ranked_on` the figure the sensitivity ranks. Throws
// std::invalid_argument when the draws do not have central's journeys.
CalendarDrawsDigest digest_calendar_draws(const CalendarComparisonReport& central,
                                          const std::vector<std::vector<CalendarSummary>>& draws,
                                          const UncertaintyReport& uncertainty,
                                          const std::string& ranked_on);

// Writes group "uncertainty" under `root`: attributes draws, runs, design, design_seed,
// interval, estimator, ranked_on (and a checksum); tables inputs, parameters (per draw each
// input's value and quantile), figures (per draw and scenario the headline figures),
// differences (per draw the overall differences), intervals, future_states, beats and
// sensitivity. `labels` name the scenarios. Tables of figures carry a `units` attribute.
void write_draws(H5::Group& root, const std::vector<std::string>& labels,
                 const std::vector<Summary>& central, const UncertaintyReport& draws,
                 const std::string& ranked_on);

// A run's file (hdf5_results.h, write_run_file) with its draws, ranked on the conversion rate.
void write_run_file_with_draws(PendingFile& file, const CompiledJourney& journey,
                               const RunMetadata& metadata, const RunResult& result,
                               const Summary& summary, const UncertaintyReport& draws);
// A comparison's file (comparison_file.h) with its draws, ranked on report.rank_by.
void write_comparison_file_with_draws(PendingFile& file, const ComparisonReport& report,
                                      const std::vector<const CompiledJourney*>& journeys,
                                      const ComparisonRun& comparison,
                                      const UncertaintyReport& draws);

// A calendar run's file (calendar_file.h) with its draws, ranked on the conversion rate.
// `summaries` are each draw's ([draw][journey], as digest_calendar_draws takes them): the group
// `uncertainty` gains the table `resources` (per draw, journey and resource its figures,
// kResourceColumns, with their `units`) and, for a comparison, `resource_differences` (per
// draw, future state and resource figure the difference from the current state).
void write_calendar_run_file_with_draws(PendingFile& file, const RunMetadata& metadata,
                                        const CalendarRunData& run, const UncertaintyReport& draws,
                                        const std::vector<std::vector<CalendarSummary>>& summaries);
// Calendar journeys compared (calendar_file.h) with their draws, ranked on `rank_by`.
void write_calendar_comparison_file_with_draws(
    PendingFile& file, const CalendarComparisonReport& report,
    const std::vector<CalendarRunData>& runs, const std::string& rank_by,
    const UncertaintyReport& draws, const std::vector<std::vector<CalendarSummary>>& summaries);

// The digest stored in `path`; nullopt when the file has no draws. Throws std::runtime_error
// naming the file and the table when one is damaged.
std::optional<DrawsDigest> read_draws(const std::string& path);

}  // namespace cjsim
