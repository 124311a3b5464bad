// The event-driven driver of calendar journeys (sim/model/MODEL.md Part 2): one clock per
// replication, organic arrivals over the days, visits with durations, FIFO queues at resources
// on shifts with patience and abandonment, opening hours, word of mouth and returns. Every
// journey walks the step kernel of sim/model/agent.h with its own stream; replications run in
// parallel, each on one thread in a fixed order, so results do not depend on the threads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "sim/engine/aggregate.h"
#include "sim/model/calendar_keys.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/exact_sum.h"
#include "sim/model/outcome.h"

namespace cjsim {

struct CalendarOptions {
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
  unsigned threads = 0;          // 0: every core
  std::int64_t warmup_days = 0;  // the first days left out of every figure
  bool journey_records = false;  // one record per journey counted (memory grows with them)
  // Replication 0's first organic agents of each persona to arrive after the warm-up have their
  // lives traced, this many per persona (CalendarReplication::trace): a day in the life. Only
  // read from the run; no figure depends on it.
  std::uint32_t traced_per_persona = 0;
  const std::atomic<bool>* cancel = nullptr;  // raised: the run stops (RunCancelled)
};

// Runs of at most this many measured days are also reported hour by hour.
inline constexpr std::int64_t kMostDaysByHour = 7;

// One measured day's counts (or one hour's), by the time each thing happened.
struct CalendarDay {
  std::int64_t day = 0;    // from 0, the run's first day
  std::int64_t hour = -1;  // hourly series: hours from day 0 00:00; -1 for a whole day
  std::uint64_t arrivals_organic = 0;
  std::uint64_t arrivals_referred = 0;
  std::uint64_t arrivals_returning = 0;
  std::uint64_t deterred = 0;
  std::uint64_t conversions = 0;       // every journey's, repeat purchases included
  std::uint64_t repeat_purchases = 0;  // conversions in journeys after an agent's first
  double revenue = 0.0;
  std::uint64_t abandoned = 0;
  std::uint64_t waits = 0;  // waits that ended (service or abandonment)
  double wait_hours = 0.0;  // their hours
  std::uint64_t journeys_ended = 0;
  std::uint64_t customers_ended = 0;  // journeys ended by customers: the NPS's base
  std::uint64_t promoters = 0;
  std::uint64_t detractors = 0;
};

// Waits are kept in a histogram of minutes for the 90th percentile: bin b holds [b, b + 1)
// minutes, the last bin everything from 48 hours on.
inline constexpr int kWaitBins = 48 * 60 + 1;

// One resource on one measured day (the queue length over time, in days).
struct ResourceDay {
  double offered_hours = 0.0;
  double busy_hours = 0.0;
  double queue_hours = 0.0;
  std::uint64_t waits = 0;  // served and abandoned, on the day the wait ended
  std::uint64_t abandoned = 0;
  double wait_hours = 0.0;
};

// One resource over the measured time.
struct ResourceTally {
  double offered_hours = 0.0;  // server-hours the capacity offered
  double busy_hours = 0.0;     // server-hours serving
  double queue_hours = 0.0;    // integral of the number waiting
  std::uint64_t arrivals = 0;  // agents that reached a touchpoint using it
  std::uint64_t served = 0;    // waits that ended with a server taking the agent
  std::uint64_t abandoned = 0;
  double wait_hours = 0.0;  // over served and abandoned
  std::vector<std::uint64_t> wait_minutes = std::vector<std::uint64_t>(kWaitBins);
  std::vector<ResourceDay> days;  // the measured days, in order
};

// One journey, when asked for: the agent's key, the journey's own key and number, when it
// started, and its outcome (hours from its start).
struct JourneyRecord {
  AgentKey agent;
  AgentKey journey_key;
  std::uint32_t journey = 1;
  double start_hours = 0.0;
  AgentOutcome outcome;
};

// What happened to a traced agent: it reached a touchpoint (and waits when no visit starts at
// once), a visit started, a visit ended (the emotion it left), it gave up waiting, a journey
// ended (its ending), or the run ended with it away between journeys.
enum class TraceKind : std::uint8_t { reach, visit_start, visit_end, abandon, journey_end };
inline constexpr std::array<const char*, 5> kTraceKindNames = {"reach", "visit_start", "visit_end",
                                                               "abandon", "journey_end"};

struct TraceStep {
  std::uint32_t agent = 0;    // the traced agent's number (CalendarReplication::traced)
  std::uint32_t journey = 1;  // its journey: 1, then each return
  TraceKind kind = TraceKind::reach;
  std::uint32_t touchpoint = 0;  // journey_end: the Ending instead
  double hours = 0.0;            // when, in hours from day 0 00:00
  double emotion = 0.0;          // the agent's emotion after the step
};

// A traced agent: organic agent `organic` of replication 0, its persona and first arrival.
struct TracedAgent {
  std::uint64_t organic = 0;
  std::uint32_t persona = 0;
  double arrived_hours = 0.0;
};

// A day in the life over every agent: the visits of the journeys counted, by persona,
// touchpoint and the hour of the week the visit started (0 = Monday 00:00-01:00, whatever
// weekday day 0 is), with the emotion each left (after its experience, step 2.1 of MODEL.md
// 1.4: the value the touchpoint's emotion of 1.9 averages). Cell (p, v, h) is at
// (p x touchpoints + v) x kHoursOfWeek + h. Integer and fixed-point sums, so merging is exact.
inline constexpr auto kHoursOfWeek = static_cast<std::size_t>(kHoursPerWeek);

struct HourOfWeekTally {
  std::size_t touchpoints = 0;
  std::vector<std::uint64_t> visits;
  std::vector<BoundedSum> emotion;
  std::vector<BoundedSum> emotion_sq;

  static HourOfWeekTally sized(std::size_t personas, std::size_t touchpoints);
  std::size_t cell(std::size_t persona, std::size_t touchpoint, std::size_t hour) const {
    return (persona * touchpoints + touchpoint) * kHoursOfWeek + hour;
  }
  void add(std::size_t cell, double emotion_left) {
    ++visits[cell];
    emotion[cell].add(emotion_left);
    emotion_sq[cell].add(emotion_left * emotion_left);
  }
  void merge(const HourOfWeekTally& other);
  friend bool operator==(const HourOfWeekTally&, const HourOfWeekTally&) = default;
};

struct CalendarReplication {
  Aggregate aggregate;            // the plain figures, over the journeys counted
  std::vector<CalendarDay> days;  // the measured days, in order
  std::vector<CalendarDay> hours;  // their hours, for runs of at most kMostDaysByHour days
  std::vector<ResourceTally> resources;
  HourOfWeekTally hour_of_week;  // visits by persona, touchpoint and hour of the week
  std::uint64_t organic_agents = 0;  // organic arrivals simulated (not deterred)
  std::uint64_t referred_agents = 0;
  std::uint64_t journeys = 0;  // journeys counted (started after the warm-up)
  std::uint64_t returning_journeys = 0;
  std::uint64_t deterred = 0;
  std::uint64_t referrals_made = 0;     // referrals drawn, arrived within the run or not
  std::uint64_t customers = 0;          // agents that converted, first arrived after the warm-up
  std::uint64_t customer_journeys = 0;  // their journeys, from the one of the first conversion
  double customer_revenue = 0.0;        // their revenue over the run (lifetime value)
  std::uint64_t events = 0;
  std::vector<JourneyRecord> records;
  std::vector<TracedAgent> traced;  // in the order they arrived
  std::vector<TraceStep> trace;     // in the order things happened
};

struct CalendarRunResult {
  std::vector<CalendarReplication> replications;
  std::uint64_t seed = 0;
  std::int64_t days = 0;
  std::int64_t warmup_days = 0;
  unsigned threads = 0;
  double seconds = 0.0;

  double measured_hours() const { return static_cast<double>(days - warmup_days) * 24.0; }
};

// One replication, on the calling thread.
CalendarReplication simulate_calendar_replication(const CompiledJourney& journey,
                                                  const CompiledCalendar& calendar,
                                                  const CalendarOptions& options,
                                                  std::uint32_t replication);

// Every replication, in parallel.
CalendarRunResult run_calendar(const CompiledJourney& journey, const CompiledCalendar& calendar,
                               const CalendarOptions& options);

}  // namespace cjsim
