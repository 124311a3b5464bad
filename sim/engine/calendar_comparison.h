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

}  // namespace cjsim
