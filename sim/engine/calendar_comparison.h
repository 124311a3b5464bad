// Calendar journeys compared (sim/model/MODEL.md 2.6): a current and a future state run with
// one seed share, replication by replication, their organic arrivals and every agent's early
// draws (common random numbers), so each figure's difference is taken per replication and
// given a paired Student-t interval; the interval two independent runs would give is kept
// beside it, to show what the pairing gains.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/calendar.h"
#include "sim/engine/comparison.h"
#include "sim/engine/statistics.h"
#include "sim/model/compiled_calendar.h"

namespace cjsim {

struct CalendarDifference {
  std::string figure;    // "conversion_rate", "utilisation", ...
  std::string resource;  // a resource figure's resource id; "" for the run's figures
  Estimate current;
  Estimate future;
  Estimate difference;                  // future - current, paired by replication
  double paired_half_width = 0.0;       // NaN from one replication
  double independent_half_width = 0.0;  // what two independent runs would give
};

// Every figure both runs have, in a fixed order: the run's, then each resource's that both
// journeys name (matched by id). The runs must have the same replications and seed.
std::vector<CalendarDifference> calendar_differences(const CalendarRunResult& current,
                                                     const CompiledCalendar& current_calendar,
                                                     const CalendarRunResult& future,
                                                     const CompiledCalendar& future_calendar);

// Calendar differences as the plain comparison's (comparison.h), for what reads those (the
// statistics over the draws of uncertain inputs, their reports and files): the run's figures
// with scope "overall", a resource's with scope "resource <id>", future state `scenario`
// against `versus` (0: the current state), in the order given.
std::vector<Difference> plain_differences(const std::vector<CalendarDifference>& differences,
                                          std::size_t scenario, std::size_t versus);

// The figures calendar_differences gives, by name: the run's, and each resource's.
std::vector<std::string> calendar_run_difference_names();
std::vector<std::string> calendar_resource_difference_names();

// A figure a ranking reads (compare --rank-by, the sensitivity of the draws): a run's figure
// ("staff_cost"), or a resource's written RESOURCE.FIGURE ("desks.p90_wait_hours"), the naming
// of `sweep --summary`. A name whose part after the last dot is no figure is a run's figure.
struct RankedFigure {
  std::string_view resource;  // "" for a run's figure
  std::string_view figure;
};
RankedFigure ranked_figure(std::string_view name);
// Whether lower is better for the figure `name` ranks.
bool ranked_lower_is_better(std::string_view name);
// Whether `d` is the difference of `name`: scope "overall" for a run's figure, "resource ID"
// for a resource's.
bool is_difference_of(const Difference& d, std::string_view name);

}  // namespace cjsim
