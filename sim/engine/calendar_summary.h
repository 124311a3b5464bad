// The figures of a calendar run (sim/model/MODEL.md 2.7): the plain summary over the journeys
// counted, and per resource, per day and per customer, each the mean of the replications'
// values with a Student-t interval across them (no interval from one replication).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/calendar.h"
#include "sim/engine/statistics.h"
#include "sim/engine/summary.h"

namespace cjsim {

// One resource on one measured day.
struct ResourceDayFigures {
  std::int64_t day = 0;
  Estimate utilisation;      // n/a on a day it offered no server-hours
  Estimate mean_queue;       // time-average number waiting that day
  Estimate mean_wait_hours;  // of the waits that ended that day; n/a without
  Estimate abandoned;
  Estimate staff_cost;
};

struct ResourceFigures {
  std::string id;
  std::string lane;
  std::uint64_t arrivals = 0;  // summed over replications
  std::uint64_t served = 0;
  std::uint64_t abandoned = 0;
  Estimate utilisation;      // busy server-hours / server-hours offered
  Estimate mean_wait_hours;  // over waits that ended (served or abandoned)
  Estimate p90_wait_hours;
  Estimate mean_queue;        // time-average number waiting
  Estimate abandonment_rate;  // abandoned / (served + abandoned)
  Estimate staff_cost;        // cost_per_hour x server-hours offered
  Estimate offered_hours;
  std::vector<ResourceDayFigures> days;
};

struct DayFigures {
  std::int64_t day = 0;
  std::int64_t hour = -1;  // an hour's figures: hours from day 0 00:00
  Estimate arrivals_organic, arrivals_referred, arrivals_returning, deterred;
  Estimate conversions, repeat_purchases, revenue, abandoned;
  Estimate mean_wait_hours;  // n/a on a day without waits
  Estimate nps;              // of the customers' journeys that ended that day; n/a without
};

// One persona's visits of one touchpoint by the hour of the week they started (Monday 00:00
// first), summed over replications, and the mean emotion they left (NaN in an hour without).
struct HourOfWeekRow {
  std::uint32_t persona = 0;
  std::uint32_t touchpoint = 0;
  std::string persona_id;
  std::string touchpoint_id;
  std::array<std::uint64_t, kHoursOfWeek> visits{};
  std::array<double, kHoursOfWeek> mean_emotion{};
  std::uint64_t total() const;
};

// The rows of a merged tally with any visit, persona by persona, touchpoints in journey order.
std::vector<HourOfWeekRow> hour_of_week_rows(const CompiledJourney& journey,
                                             const HourOfWeekTally& tally);

struct CalendarSummary {
  Summary plain;  // every figure of a plain run, over the journeys counted
  std::int64_t days = 0;
  std::int64_t warmup_days = 0;
  // Summed over replications.
  std::uint64_t organic_agents = 0;
  std::uint64_t referred_agents = 0;
  std::uint64_t journeys = 0;
  std::uint64_t returning_journeys = 0;
  std::uint64_t deterred = 0;
  std::uint64_t referrals_made = 0;
  std::uint64_t customers = 0;
  std::uint64_t abandoned = 0;
  // Means per replication.
  Estimate organic_agents_per_day;
  Estimate referred_per_organic;   // referred agents per organic agent
  Estimate journeys_per_customer;  // from the journey of the first conversion
  Estimate lifetime_value;         // revenue per customer over the run
  Estimate staff_cost;             // every resource's, per replication
  std::vector<ResourceFigures> resources;
  std::vector<DayFigures> day_figures;
  std::vector<DayFigures> hour_figures;  // runs of at most kMostDaysByHour measured days
  // Visits by persona, touchpoint and hour of the week, every replication's (rows with a visit).
  std::vector<HourOfWeekRow> hour_of_week;
  // The lives traced in replication 0 (CalendarOptions::traced_per_persona): a day in the life.
  std::vector<TracedAgent> traced;
  std::vector<TraceStep> trace;
};

// One replication's values behind a calendar run's figures of the whole run and of each
// resource (every figure but the plain ones, which come from its Aggregate, and the series by
// day and hour): what a sweep stores of each replication of a design point, so that the
// figures made from a sweep file are summarize_calendar's to the bit. Counts are held as
// doubles (exact below 2^53).
struct CalendarResourceTotals {
  double arrivals = 0, served = 0, abandoned = 0;
  double offered_hours = 0, busy_hours = 0, queue_hours = 0, wait_hours = 0;
  double p90_wait_hours = 0;  // of the replication's waits; NaN without
};
struct CalendarTotals {
  double organic_agents = 0, referred_agents = 0, journeys = 0, returning_journeys = 0;
  double deterred = 0, referrals_made = 0, customers = 0, customer_journeys = 0;
  double customer_revenue = 0;
  std::vector<CalendarResourceTotals> resources;  // in the calendar's order
};

// The totals as named columns, in the order a sweep file stores them.
using TotalColumn = std::pair<const char*, double CalendarTotals::*>;
inline constexpr std::array<TotalColumn, 9> kCalendarTotalColumns = {{
    {"organic_agents", &CalendarTotals::organic_agents},
    {"referred_agents", &CalendarTotals::referred_agents},
    {"journeys", &CalendarTotals::journeys},
    {"returning_journeys", &CalendarTotals::returning_journeys},
    {"deterred", &CalendarTotals::deterred},
    {"referrals_made", &CalendarTotals::referrals_made},
    {"customers", &CalendarTotals::customers},
    {"customer_journeys", &CalendarTotals::customer_journeys},
    {"customer_revenue", &CalendarTotals::customer_revenue},
}};
using ResourceTotalColumn = std::pair<const char*, double CalendarResourceTotals::*>;
inline constexpr std::array<ResourceTotalColumn, 8> kResourceTotalColumns = {{
    {"arrivals", &CalendarResourceTotals::arrivals},
    {"served", &CalendarResourceTotals::served},
    {"abandoned", &CalendarResourceTotals::abandoned},
    {"offered_hours", &CalendarResourceTotals::offered_hours},
    {"busy_hours", &CalendarResourceTotals::busy_hours},
    {"queue_hours", &CalendarResourceTotals::queue_hours},
    {"wait_hours", &CalendarResourceTotals::wait_hours},
    {"p90_wait_hours", &CalendarResourceTotals::p90_wait_hours},
}};

CalendarTotals calendar_totals(const CalendarReplication& replication);

// The figures of a run from its replications' aggregates and totals (one each per
// replication): everything of CalendarSummary but the series by day and hour, the resources'
// days and the traced lives. `days` and `warmup_days` are the run's.
CalendarSummary summarize_calendar_totals(const CompiledJourney& journey,
                                          const CompiledCalendar& calendar, std::int64_t days,
                                          std::int64_t warmup_days,
                                          std::span<const Aggregate> aggregates,
                                          std::span<const CalendarTotals> totals);

// a / b, or NaN (no value) when b is not positive.
inline double ratio_or_nan(double a, double b) { return b > 0.0 ? a / b : kNaN; }

// The 90th percentile of a histogram of waits in minutes (ResourceTally::wait_minutes), in
// hours, interpolated within its bin; NaN when it holds none.

double wait_percentile_hours(const std::vector<std::uint64_t>& minutes, double fraction);

CalendarSummary summarize_calendar(const CompiledJourney& journey, const CompiledCalendar& calendar,
                                   const CalendarRunResult& result);

// The per-day, per-resource and per-resource-and-day figures as named columns, in the order
// of every table that shows or stores them (Markdown, CSV, HDF5).
using DayColumn = std::pair<const char*, Estimate DayFigures::*>;
inline constexpr std::array<DayColumn, 10> kDayColumns = {{
    {"arrivals_organic", &DayFigures::arrivals_organic},
    {"arrivals_referred", &DayFigures::arrivals_referred},
    {"arrivals_returning", &DayFigures::arrivals_returning},
    {"deterred", &DayFigures::deterred},
    {"conversions", &DayFigures::conversions},
    {"repeat_purchases", &DayFigures::repeat_purchases},
    {"revenue", &DayFigures::revenue},
    {"abandoned", &DayFigures::abandoned},
    {"mean_wait_hours", &DayFigures::mean_wait_hours},
    {"nps", &DayFigures::nps},
}};

using ResourceColumn = std::pair<const char*, Estimate ResourceFigures::*>;
inline constexpr std::array<ResourceColumn, 7> kResourceColumns = {{
    {"utilisation", &ResourceFigures::utilisation},
    {"mean_wait_hours", &ResourceFigures::mean_wait_hours},
    {"p90_wait_hours", &ResourceFigures::p90_wait_hours},
    {"mean_queue", &ResourceFigures::mean_queue},
    {"abandonment_rate", &ResourceFigures::abandonment_rate},
    {"staff_cost", &ResourceFigures::staff_cost},
    {"server_hours", &ResourceFigures::offered_hours},
}};

using ResourceDayColumn = std::pair<const char*, Estimate ResourceDayFigures::*>;
inline constexpr std::array<ResourceDayColumn, 5> kResourceDayColumns = {{
    {"utilisation", &ResourceDayFigures::utilisation},
    {"mean_queue", &ResourceDayFigures::mean_queue},
    {"mean_wait_hours", &ResourceDayFigures::mean_wait_hours},
    {"abandoned", &ResourceDayFigures::abandoned},
    {"staff_cost", &ResourceDayFigures::staff_cost},
}};


}  // namespace cjsim
