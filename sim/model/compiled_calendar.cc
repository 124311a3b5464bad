// Compiling a calendar journey: profiles into rates by hour of the week, schedules into servers
// by hour of the week, opening hours into merged intervals of the week.
#include "sim/model/compiled_calendar.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

// Factors divided by their mean; an absent profile is all 1.
std::vector<double> normalised(const std::vector<double>& profile, std::size_t length) {
  if (profile.empty()) return std::vector<double>(length, 1.0);
  const double mean =
      std::accumulate(profile.begin(), profile.end(), 0.0) / static_cast<double>(length);
  std::vector<double> out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = profile[i] / mean;
  return out;
}

// Weights (the persona's entry weights, MODEL.md 1.12, when `weights` is empty) times each
// persona's affinity.
std::vector<EntryTable> entry_tables(const Scenario& scenario, const EntryWeights& weights) {
  std::vector<EntryTable> tables;
  for (const Persona& persona : scenario.personas) {
    EntryTable table;
    double total = 0.0;
    for (std::size_t v = 0; v < scenario.touchpoints.size(); ++v) {
      const Touchpoint& t = scenario.touchpoints[v];
      double weight = persona_entry_weight(persona, t);  // MODEL.md 1.12
      if (!weights.empty()) {
        auto it = weights.find(t.id);
        weight = it == weights.end() ? 0.0 : it->second;
      }
      weight *= channel_affinity(persona, t.channel);
      if (weight <= 0.0) continue;
      total += weight;
      table.touchpoints.push_back(static_cast<std::uint32_t>(v));
      table.cumulative.push_back(total);
    }
    tables.push_back(std::move(table));
  }
  return tables;
}

CompiledOpening compile_opening(const std::optional<WeekOpening>& opening) {
  CompiledOpening out;
  if (!opening) return out;
  out.always = false;
  for (int d = 0; d < kWeekdays; ++d) {
    for (const OpenSpan& span : (*opening)[d]) {
      const double start = d * 1440.0 + span.start_minute;
      const double end = d * 1440.0 + span.end_minute;
      if (!out.minutes.empty() && out.minutes.back()[1] == start) {
        out.minutes.back()[1] = end;
      } else {
        out.minutes.push_back({start, end});
      }
    }
  }
  // Open through Sunday midnight into Monday: one interval across the week's end.
  if (out.minutes.size() > 1 && out.minutes.back()[1] == kMinutesPerWeek &&
      out.minutes.front()[0] == 0.0) {
    out.minutes.front()[0] = out.minutes.back()[0] - kMinutesPerWeek;
    out.minutes.pop_back();
  }
  if (out.minutes.size() == 1 && out.minutes[0][1] - out.minutes[0][0] >= kMinutesPerWeek) {
    out.always = true;
  }
  return out;
}

double floor_mod(double x, double m) {
  const double r = std::fmod(x, m);
  return r < 0 ? r + m : r;
}

}  // namespace

int CompiledCalendar::hour_of_week(double t) const {
  const double week_hours = floor_mod(t + week_offset(), kHoursPerWeek);
  return std::min(static_cast<int>(week_hours), kHoursPerWeek - 1);
}

std::int64_t CompiledCalendar::servers_at(std::size_t resource, double t) const {
  return resources[resource].servers[static_cast<std::size_t>(hour_of_week(t))];
}

bool CompiledCalendar::is_open(std::uint32_t touchpoint, double t) const {
  const CompiledOpening& o = opening[touchpoint];
  if (o.always) return true;
  // A span's start in hours (09:05 is 9.0833...) times 60 may fall a rounding short of its
  // minute: the touchpoint must be open at the very time its opening event is dated.
  constexpr double kRounding = 1e-7;  // minutes
  const double minute = floor_mod((t + week_offset()) * 60.0 + kRounding, kMinutesPerWeek);
  for (const auto& [start, end] : o.minutes) {
    // An interval may start before the week (one across Sunday midnight).
    if ((minute >= start && minute < end) ||
        (minute - kMinutesPerWeek >= start && minute - kMinutesPerWeek < end)) {
      return true;
    }
  }
  return false;
}

double CompiledCalendar::next_span_start(std::uint32_t touchpoint, double t) const {
  const CompiledOpening& o = opening[touchpoint];
  if (o.always) return std::numeric_limits<double>::infinity();
  const double week_start_hours = t + week_offset();
  const double week_number = std::floor(week_start_hours / kHoursPerWeek);
  double best = std::numeric_limits<double>::infinity();
  // The spans of this week and the next two (an interval's start may lie before its week).
  for (int w = 0; w <= 2; ++w) {
    for (const auto& interval : o.minutes) {
      const double start = (week_number + w) * kHoursPerWeek + interval[0] / 60.0 - week_offset();
      if (start > t && start < best) best = start;
    }
  }
  return best;
}

double CompiledCalendar::next_opening(std::uint32_t touchpoint, double t) const {
  if (is_open(touchpoint, t)) return t;
  return next_span_start(touchpoint, t);
}

double CompiledCalendar::next_capacity_change(std::size_t resource, double t) const {
  const CompiledResource& r = resources[resource];
  if (!r.varies) return std::numeric_limits<double>::infinity();
  double boundary = std::floor(t) + 1.0;
  std::int64_t now = servers_at(resource, t);
  for (int i = 0; i < kHoursPerWeek + 1; ++i, boundary += 1.0) {
    if (servers_at(resource, boundary) != now) return boundary;
  }
  return std::numeric_limits<double>::infinity();
}

CompiledCalendar compile_calendar(const Scenario& scenario, const CompiledJourney& journey,
                                  std::int64_t days) {
  CompiledCalendar c;
  const Calendar& calendar = *scenario.calendar;
  c.days = days > 0 ? days : calendar.days;
  c.start_weekday = weekday_index(calendar.start_weekday).value_or(0);
  c.arrivals_per_day = calendar.arrivals_per_day;
  const std::vector<double> weekday = normalised(calendar.weekday_profile, kWeekdays);
  const std::vector<double> hour = normalised(calendar.hour_profile, kHoursPerDay);
  for (int d = 0; d < kWeekdays; ++d) {
    for (int h = 0; h < kHoursPerDay; ++h) {
      c.arrival_rate[d * kHoursPerDay + h] =
          calendar.arrivals_per_day / 24.0 * weekday[d] * hour[h];
    }
  }

  for (const Resource& resource : scenario.resources) {
    CompiledResource r;
    r.id = resource.id;
    r.lane = resource.lane;
    r.cost_per_hour = resource.cost_per_hour;
    for (int d = 0; d < kWeekdays; ++d) {
      for (int h = 0; h < kHoursPerDay; ++h) {
        const bool scheduled = resource.schedule && (*resource.schedule)[d];
        r.servers[d * kHoursPerDay + h] =
            scheduled ? (*(*resource.schedule)[d])[h] : resource.capacity;
      }
    }
    r.varies = std::any_of(r.servers.begin(), r.servers.end(),
                           [&](std::int64_t x) { return x != r.servers[0]; });
    c.resources.push_back(std::move(r));
  }

  const std::size_t n = journey.touchpoint_count();
  c.resource_of.assign(n, -1);
  c.patience_hours.assign(n, std::numeric_limits<double>::infinity());
  c.wait_penalty.assign(n, 0.0);
  c.opening.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    const Touchpoint& t = scenario.touchpoints[v];
    for (std::size_t r = 0; r < scenario.resources.size(); ++r) {
      if (scenario.resources[r].id == t.resource) c.resource_of[v] = static_cast<std::int32_t>(r);
    }
    if (t.patience_hours) c.patience_hours[v] = *t.patience_hours;
    c.wait_penalty[v] = t.wait_penalty;
    c.opening[v] = compile_opening(t.opening_hours);
  }
  for (const Persona& persona : scenario.personas) c.persona_patience.push_back(persona.patience);

  if (scenario.word_of_mouth) {
    const WordOfMouth& w = *scenario.word_of_mouth;
    c.word_of_mouth = true;
    c.referrals_per_promoter = w.referrals_per_promoter;
    c.referral_delay_hours = w.delay_days * 24.0;
    c.homophily = w.homophily;
    c.deterred_per_detractor = w.deterred_per_detractor;
    c.referral_entry = entry_tables(scenario, w.entry);
  }
  if (scenario.returns) {
    const Returns& r = *scenario.returns;
    c.returns = true;
    c.retention = r.retention;
    c.retention_emotion = r.retention_emotion;
    c.return_after_hours = r.after_days * 24.0;
    c.return_entry = entry_tables(scenario, r.entry);
  }
  return c;
}

}  // namespace cjsim
