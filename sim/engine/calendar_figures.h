// The figures a calendar run adds to the plain ones (sim/model/MODEL.md 2.7), defined once:
// the key each has in `--json`, HDF5 tables, Markdown and CSV, its label, unit and which way
// is better. Names the plain table (figures.h) already has keep their entry there.
#pragma once

#include <array>
#include <string_view>

#include "sim/engine/figures.h"

namespace cjsim {

inline constexpr std::array<Figure, 28> kCalendarFigures = {{
    // The run's, per journey or per replication.
    {.name = "revenue_per_journey", .label = "Revenue per journey", .unit = Unit::money,
     .better = Better::higher},
    {.name = "abandonment_rate", .label = "Abandonment (gave up waiting)", .unit = Unit::share,
     .better = Better::lower},
    {.name = "journeys", .label = "Journeys", .unit = Unit::count, .better = Better::neither},
    {.name = "organic_agents", .label = "Organic agents", .unit = Unit::count,
     .better = Better::neither},
    {.name = "referred_agents", .label = "Referred agents", .unit = Unit::count,
     .better = Better::higher},
    {.name = "deterred", .label = "Deterred prospects", .unit = Unit::count,
     .better = Better::lower},
    {.name = "journeys_per_customer", .label = "Journeys per customer", .unit = Unit::count,
     .better = Better::higher},
    {.name = "lifetime_value", .label = "Lifetime value (in the run)", .unit = Unit::money,
     .better = Better::higher},
    {.name = "staff_cost", .label = "Staff cost", .unit = Unit::money, .better = Better::lower},
    {.name = "organic_agents_per_day", .label = "Organic agents per day", .unit = Unit::count,
     .better = Better::neither},
    {.name = "referred_per_organic", .label = "Referred per organic agent", .unit = Unit::count,
     .better = Better::higher},
    // A resource's.
    {.name = "utilisation", .label = "Utilisation", .unit = Unit::share,
     .better = Better::neither},
    {.name = "mean_wait_hours", .label = "Mean wait", .unit = Unit::minutes,
     .better = Better::lower},
    {.name = "p90_wait_hours", .label = "90th percentile wait", .unit = Unit::minutes,
     .better = Better::lower},
    {.name = "mean_queue", .label = "Mean queue length", .unit = Unit::count,
     .better = Better::lower},
    {.name = "abandoned", .label = "Abandoned", .unit = Unit::count, .better = Better::lower},
    {.name = "server_hours", .label = "Server-hours offered", .unit = Unit::hours,
     .better = Better::neither},
    {.name = "arrivals", .label = "Arrivals", .unit = Unit::count, .better = Better::neither},
    {.name = "served", .label = "Served", .unit = Unit::count, .better = Better::higher},
    // A day's (or an hour's).
    {.name = "arrivals_organic", .label = "Organic arrivals", .unit = Unit::count,
     .better = Better::neither},
    {.name = "arrivals_referred", .label = "Referred arrivals", .unit = Unit::count,
     .better = Better::higher},
    {.name = "arrivals_returning", .label = "Returning arrivals", .unit = Unit::count,
     .better = Better::higher},
    {.name = "conversions", .label = "Conversions", .unit = Unit::count,
     .better = Better::higher},
    {.name = "repeat_purchases", .label = "Repeat purchases", .unit = Unit::count,
     .better = Better::higher},
    {.name = "revenue", .label = "Revenue", .unit = Unit::money, .better = Better::higher},
    {.name = "customers", .label = "Customers", .unit = Unit::count, .better = Better::higher},
    {.name = "returning_journeys", .label = "Returning journeys", .unit = Unit::count,
     .better = Better::higher},
    {.name = "referrals_made", .label = "Referrals made", .unit = Unit::count,
     .better = Better::higher},
}};

// The figure named `name` in the plain table, else in the calendar's; nullptr when neither
// has it.
constexpr const Figure* find_calendar_figure(std::string_view name) {
  if (const Figure* plain = find_figure(name)) return plain;
  for (const Figure& f : kCalendarFigures) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

// Whether lower is better for `name`, a figure of either table (differences of calendar
// comparisons take both; the draws of uncertain inputs read them).
constexpr bool any_lower_is_better(std::string_view name) {
  const Figure* f = find_calendar_figure(name);
  return f != nullptr && f->better == Better::lower;
}

// The unit names of HDF5 attributes, CSV and the Python package: "share", "money", "hours", ...
// the unit of the value as stored, so a wait written in minutes (Unit::minutes) is "hours".
constexpr std::string_view unit_key(Unit unit) {
  switch (unit) {
    case Unit::share: return "share";
    case Unit::money: return "money";
    case Unit::hours: return "hours";
    case Unit::minutes: return "hours";
    case Unit::nps_points: return "nps_points";
    case Unit::score: return "score";
    case Unit::emotion: return "emotion";
    case Unit::count: return "count";
  }
  return "count";
}

}  // namespace cjsim
