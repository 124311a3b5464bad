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
  std::uint64_t design_seed = 0;
  bool total_effects = false;  // pick-freeze draws were run: the ranking has total indices
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
  // Each figure ranked (in the order of `sensitivity`) with what its estimator used: the
  // classes, the draws in which the figure was defined, the figure's variance over them.
  // Empty from a file of a cjsim before they were stored.
  struct RankedFigure {
    std::size_t scenario = 0;
    std::string figure;
    std::size_t classes = 0;
    std::size_t draws = 0;
    double variance = 0.0;
  };
  std::vector<RankedFigure> ranked_figures;
  bool has_totals() const;
};

// The digest without the figures' ranges (digest_draws' `figures`): the odds and the ranking,
// of `scenarios` scenarios (1 for a run).
DrawsDigest digest_draw_odds(std::size_t scenarios, const UncertaintyReport& draws,
                             const std::string& ranked_on);

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
  // Every figure of each journey's `run --json` object that has an interval ("x" with "x_ci",
  // at any depth: days, resources, stages, ...) with its range over the draws, by its JSON
  // pointer in that object ("/resources/0/p90_wait_hours"): what "x_uncertainty" says. The
  // JSON is reports/render's, so sim/api fills these (calendar_draws_digest); empty from a
  // file of a cjsim before they were stored.
  struct JsonRange {
    std::size_t scenario = 0;
    std::string pointer;
    DrawInterval range;
  };
  std::vector<JsonRange> json_ranges;
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
// draw, future state and resource figure the difference from the current state); and what the
// calendar page and JSON show of the draws (`digest`), as read_calendar_draws reads it:
// `calendar_ranges` (each figure's range), `json_ranges` and, for a comparison,
// `calendar_differences`.
// `digest` is the page's (digest_calendar_draws of the same draws, with its json_ranges).
void write_calendar_run_file_with_draws(PendingFile& file, const RunMetadata& metadata,
                                        const CalendarRunData& run, const UncertaintyReport& draws,
                                        const std::vector<std::vector<CalendarSummary>>& summaries,
                                        const CalendarDrawsDigest& digest);
// Calendar journeys compared (calendar_file.h) with their draws, ranked on `rank_by`.
void write_calendar_comparison_file_with_draws(
    PendingFile& file, const CalendarComparisonReport& report,
    const std::vector<CalendarRunData>& runs, const std::string& rank_by,
    const UncertaintyReport& draws, const std::vector<std::vector<CalendarSummary>>& summaries,
    const CalendarDrawsDigest& digest);

// The digest stored in `path`; nullopt when the file has no draws. Throws std::runtime_error
// naming the file and the table when one is damaged.
std::optional<DrawsDigest> read_draws(const std::string& path);

// The calendar digest stored in `path` with `report`, the calendar run or comparison read back
// from it (read_calendar_file): exactly what digest_calendar_draws gave when the file was
// written; nullopt when the file has no draws. A file of a cjsim before the calendar's tables
// were stored gives the plain digest alone (no ranges, no differences' odds) and a line in
// `warnings`. Throws std::runtime_error naming the file, table and row when they do not fit
// `report`.
std::optional<CalendarDrawsDigest> read_calendar_draws(const std::string& path,
                                                       const CalendarComparisonReport& report,
                                                       std::vector<std::string>& warnings);

}  // namespace cjsim
