// A sweep file for people: the design points, best first by a chosen figure, and which
// parameter moves that figure most (text for the terminal; Markdown and CSV tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/hdf5_sweep.h"
#include "sim/sweep/sensitivity.h"

namespace cjsim {

// What a sweep can be ranked by: a headline figure, and in a calendar sweep also one of
// kCalendarPointColumns ("staff_cost") or a resource's figure as RESOURCE.FIGURE
// ("call_centre.p90_wait_hours", FIGURE of kResourceColumns). "" for such a name, else the
// message listing them (whether the sweep has that resource is known only with the sweep).
std::string unknown_sweep_metric(std::string_view metric);
bool sweep_metric_lower_is_better(std::string_view metric);
// Whether a known `metric` is a calendar sweep's figure (not a headline figure), and the
// resource of a RESOURCE.FIGURE metric ("" for the others).
bool is_calendar_sweep_metric(std::string_view metric);
std::string_view sweep_metric_resource(std::string_view metric);
// Every point's value of `metric` with its interval; throws std::runtime_error when the sweep
// has no such figure (a calendar figure of a plain sweep, an unknown resource).
std::vector<Estimate> sweep_metric_estimates(const StoredSweep& sweep, std::string_view metric);

// Point indices ordered best first by `metric` (undefined values last; ties by index).
std::vector<std::size_t> points_best_first(const StoredSweep& sweep, std::string_view metric);

// The units the file's differences and intervals pair over: its agent groups when it has
// them, else its replications.
PairedUnits stored_units(const StoredSweep& sweep);

// The sensitivity of `metric`, one ranking per base scenario, with its intervals from the
// units (stored_units).
std::vector<ScenarioSensitivity> sensitivity_of(const StoredSweep& sweep, std::string_view metric);

// Every point's paired difference from the reference: the file's when `reference` is not
// given (or names the file's reference), else computed from the file's units against
// point `reference` (std::runtime_error when it is not a design point). A file written before
// differences gets them computed against point 0.
SweepDifferences summary_differences(const StoredSweep& sweep,
                                     std::optional<std::uint64_t> reference = {});

// "point 4 (the base scenario's own values: a = 1, b = 2)": the reference and why that one.
std::string sweep_reference_text(const StoredSweep& sweep, const SweepReference& reference);
// "Differences from point 4 (...), paired: ... (95% CI Student t across 3 replications):",
// the sentence before every table of a sweep's differences.
std::string sweep_differences_intro(const StoredSweep& sweep, const SweepDifferences& differences);
// "reference", "no interval", "beyond the noise" (the interval excludes 0) or "within the
// noise": the verdict on point `point`'s difference `d`.
const char* sweep_difference_verdict(const SweepDifferences& differences, std::size_t point,
                                     const Estimate& d);
// The paired differences of the first `shown` points of `order` as cells for people, a header
// row first: the point, headline figure figures[0]'s difference with its interval, the half-width
// it would have unpaired and the verdict, then the other figures' differences with intervals.
// The text summary, the Markdown and the HTML page show this one table.
std::vector<std::vector<std::string>> sweep_difference_rows(const SweepDifferences& differences,
                                                            std::span<const std::size_t> figures,
                                                            std::span<const std::size_t> order,
                                                            std::size_t shown);

// The table of the `top` best points (0: all), their paired differences from the reference
// point, and the sensitivity ranking with the parameters that matter beyond the noise.
// `metric` must be a headline figure's name.
std::string sweep_summary_text(const StoredSweep& sweep, std::string_view metric, std::size_t top,
                               std::optional<std::uint64_t> reference = {});

// What `cjsim sweep --summary --json` prints: the experiment, the `top` best points (0: all)
// with their parameters and every headline figure as `name` and `name_ci` ([low, high], the
// naming of every JSON output of cjsim), the reference point and every point's paired
// difference from it, and the sensitivity ranking of `metric` with its intervals.
nlohmann::json sweep_summary_json(const StoredSweep& sweep, std::string_view metric,
                                  std::size_t top, std::optional<std::uint64_t> reference = {});

// A calendar sweep's point as JSON: its counts, its run figures and `resources`, a list of
// each resource's figures, every figure `name` with `name_ci`.
nlohmann::json sweep_calendar_point_json(const StoredCalendarPoint& point);

// The sweep for people as Markdown, and for spreadsheets as CSV (`metric` a headline figure or a
// calendar sweep's figure, as for the summary): every point best first with its parameters and
// every headline figure with its interval (and the calendar figure ranked by); a calendar
// sweep's point and resource figures; the reference point and why, and every point's paired
// difference with its interval, in the figures' units; the sensitivity ranking and which
// parameters move the metric beyond the noise (the summary's words).
std::string sweep_table_markdown(const StoredSweep& sweep, std::string_view metric);
// The CSV in long form, one row per figure (reports/README.md, "The sweep CSV"):
// table,rank,point,scenario,scope,metric,unit,value,ci_low,ci_high,note; tables `parameters`,
// `points`, `calendar_points`, `calendar_resources` (scope resource:ID), `reference`,
// `differences` (note: the verdict) and `sensitivity` (scope parameter:PATH, value the swing).
std::string sweep_table_csv(const StoredSweep& sweep, std::string_view metric);

}  // namespace cjsim
