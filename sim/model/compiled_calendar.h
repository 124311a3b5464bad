// A calendar journey (sim/model/MODEL.md Part 2) compiled beside its CompiledJourney: arrival
// rates, servers and opening hours by hour (or minute) of the week, per-persona entry tables
// for referrals and returns, all as flat arrays the event-driven engine only reads.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scenarios/scenario.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

inline constexpr int kHoursPerWeek = kWeekdays * kHoursPerDay;
inline constexpr double kMinutesPerWeek = kHoursPerWeek * 60.0;

struct CompiledResource {
  std::string id;
  std::string lane;
  double cost_per_hour = 0.0;
  std::array<std::int64_t, kHoursPerWeek> servers{};  // by hour of the week, Monday 00:00 first
  bool varies = false;                                // some hour differs from another
};

// When a touchpoint is open: intervals [start, end) in minutes of the week, in order, apart
// and merged across midnight. Always open when `always`.
struct CompiledOpening {
  bool always = true;
  std::vector<std::array<double, 2>> minutes;
};

// Where referred or returning agents start, per persona: the touchpoints with a positive weight
// (times the persona's channel affinity) and the running sums of those weights.
struct EntryTable {
  std::vector<std::uint32_t> touchpoints;
  std::vector<double> cumulative;
};

struct CompiledCalendar {
  std::int64_t days = 0;
  int start_weekday = 0;  // of day 0, Monday = 0
  double arrivals_per_day = 0.0;
  // Organic arrivals per hour in each hour of the week (Monday 00:00-01:00 first): (A / 24) x
  // weekday factor x hour factor, the factors normalised to mean 1.
  std::array<double, kHoursPerWeek> arrival_rate{};

  std::vector<CompiledResource> resources;
  // Per touchpoint.
  std::vector<std::int32_t> resource_of;  // -1: no resource
  std::vector<double> patience_hours;     // +inf: waits for ever
  std::vector<double> wait_penalty;
  std::vector<CompiledOpening> opening;
  // Per persona.
  std::vector<double> persona_patience;

  bool word_of_mouth = false;
  double referrals_per_promoter = 0.0;
  double referral_delay_hours = 0.0;
  double homophily = 1.0;
  double deterred_per_detractor = 0.0;
  std::vector<EntryTable> referral_entry;  // per persona

  bool returns = false;
  double retention = 0.0;
  double retention_emotion = 0.0;
  double return_after_hours = 0.0;
  std::vector<EntryTable> return_entry;  // per persona

  // Hours of the run: days x 24.
  double end_hours() const { return static_cast<double>(days) * 24.0; }
  // Hours from day 0 00:00 to the start of the week that holds day 0 (Monday 00:00), so that
  // t + week_offset is a time measured from a Monday.
  double week_offset() const { return start_weekday * 24.0; }
  // The hour of the week at time t (hours from day 0 00:00).
  int hour_of_week(double t) const;
  std::int64_t servers_at(std::size_t resource, double t) const;
  bool is_open(std::uint32_t touchpoint, double t) const;
  // The first time at or after t when the touchpoint is open.
  double next_opening(std::uint32_t touchpoint, double t) const;
  // The first time after t when the touchpoint opens (a span starts), +inf when always open.
  double next_span_start(std::uint32_t touchpoint, double t) const;
  // The first hour boundary after t at which the resource's servers change; +inf if never.
  double next_capacity_change(std::size_t resource, double t) const;
};

// Compiles the calendar parts of a validated scenario that has a calendar. `days` overrides
// the calendar's run length when above 0.
CompiledCalendar compile_calendar(const Scenario& scenario, const CompiledJourney& journey,
                                  std::int64_t days = 0);

}  // namespace cjsim
