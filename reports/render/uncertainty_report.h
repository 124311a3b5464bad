// What the draws of a run or comparison with uncertain inputs say, for people and tools: the
// interval over the draws beside every figure's interval of simulation noise in JSON, the
// probability that each future state is better, and the sensitivity ranking, in plain words.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/calendar_file.h"
#include "reports/store/comparison_file.h"
#include "reports/store/draws_file.h"
#include "sim/engine/summary.h"
#include "sim/engine/uncertainty.h"

namespace cjsim {

// "the dropout at id_check" for "touchpoints.id_check.dropout".
std::string uncertain_input_words(std::string_view path);

// Adds to `run` (summary_json of the central run) "x_uncertainty" beside every "x" and
// "x_ci", and an "uncertainty" object (draws, design, inputs, sensitivity).
void add_run_uncertainty_json(nlohmann::json& run, const UncertaintyReport& uncertainty);

// Adds to `comparison` (comparison_json of the central comparison) the same for every
// scenario's figures; to each difference "uncertainty", "expected" and "probability_better";
// and an "uncertainty" object with, per future state, the expected gain in rank_by, its
// interval, and the probability that it beats the current state and each other future state.
void add_comparison_uncertainty_json(nlohmann::json& comparison, const ComparisonReport& report,
                                     const UncertaintyReport& uncertainty);

// Every figure with an interval in each calendar journey's `run --json` object with its range
// over the draws (CalendarDrawsDigest::json_ranges): `central` the journeys at the inputs'
// means, `draws[k]` draw k's ([draw][journey]). Throws std::invalid_argument when a draw
// lacks a journey.
std::vector<CalendarDrawsDigest::JsonRange> calendar_json_ranges(
    const std::vector<CalendarSummary>& central,
    const std::vector<std::vector<CalendarSummary>>& draws);

// The same for a calendar run (calendar_summary_json of the central run) from its digest
// (sim/api's calendar_draws_digest, or read_calendar_draws of its file): every calendar figure
// with "x_ci" (per resource, per day) gains "x_uncertainty", and the "uncertainty" object.
void add_calendar_run_uncertainty_json(nlohmann::json& run, const CalendarDrawsDigest& draws);
// The same for calendar journeys compared (calendar_comparison_json of the central
// comparison): each scenario's figures, each difference row's "expected", "uncertainty" and
// "probability_better", and the "uncertainty" object with the future states ranked on the
// digest's figure. `labels` name the journeys.
void add_calendar_comparison_uncertainty_json(nlohmann::json& comparison,
                                              const std::vector<std::string>& labels,
                                              const CalendarDrawsDigest& draws);

// Calendar journeys compared, as a plain comparison's report (the run's summaries, the
// differences as plain_differences gives them, ranked on `rank_by`): what the plain words of
// the draws read.
ComparisonReport plain_comparison_view(const CalendarComparisonReport& report,
                                       const std::string& rank_by);

// Plain words: the headline figures' two intervals and which input matters most.
std::string run_uncertainty_text(const Summary& central, const UncertaintyReport& uncertainty);
// Per future state: the expected gain and its interval, the probability of beating the current
// state and the others, and which input explains most of the uncertainty in the gain.
std::string comparison_uncertainty_text(const ComparisonReport& report,
                                        const UncertaintyReport& uncertainty);

// A calendar run or comparison's draws in plain words, from its digest (sim/api's
// calendar_draws_digest at run time, read_calendar_draws from its file): the inputs; each
// journey's headline, calendar and resource figures at the inputs' means with their interval
// of simulation noise and their range over the draws; each difference's range and probability
// of being better (of rising, for a figure with no better direction); each future state's
// expected gain and odds; which input matters most.
std::string calendar_uncertainty_text(const CalendarComparisonReport& report,
                                      const CalendarDrawsDigest& draws);

}  // namespace cjsim
