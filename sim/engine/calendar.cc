// The calendar driver: a queue of events per replication (event_queue.h), ordered by (time, kind, key).
// At one instant: shift changes, then openings, then visit ends, abandonments, agents whose
// closed touchpoint opens, deterrences, and arrivals last; within a kind, by agent key (organic
// agents by their number, before every referred or returning journey), then by the order the
// events were made. Steps 2.1 to 2.7 of a visit run at its end (take_step), with the duration
// the visit was scheduled with: the same draw, read ahead when the server takes the agent.
#include "sim/engine/calendar.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <memory>
#include <type_traits>
#include <utility>

#include "sim/engine/calendar_durations.h"
#include "sim/engine/event_queue.h"
#include "sim/model/agent.h"
#include "sim/model/behaviour.h"
#include "sim/model/cancellation.h"

namespace cjsim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

enum class EventKind : std::uint8_t {
  capacity = 0,    // a resource's servers change (index: the resource)
  opening = 1,     // a touchpoint with a resource opens (index: the touchpoint)
  visit_end = 2,   // an agent's visit ends
  abandon = 3,     // an agent's patience runs out
  resume = 4,      // a closed touchpoint without a resource opens for a waiting agent
  deterrence = 5,  // a deterred prospect cancels the next organic arrival
  arrival = 6,     // an organic, referred or returning journey starts
};

enum class ArrivalSource : std::uint8_t { organic, referred, returning };

// 48 bytes: the queue moves events and links them in its buckets, so their size is its
// traffic. An organic arrival's number is its key's first word (organic_key). The last byte is
// spare, and named: with a byte of padding GCC copies an event as 47 bytes, in overlapping
// moves whose reads the store buffer cannot serve, and the copies stall.
struct Event {
  double time = 0.0;
  AgentKey key;                  // the journey's key; (0, index) for resources and touchpoints
  std::uint64_t order = 0;       // the order events were made: the last tie-break
  std::uint32_t slot = 0;        // the agent, for agent events
  std::uint32_t generation = 0;  // the agent's generation when made: stale when it moved on
  std::uint32_t index = 0;       // resource, touchpoint, or a referral's referrer persona
  EventKind kind = EventKind::arrival;
  ArrivalSource source = ArrivalSource::organic;
  bool inherit_persona = false;  // a referral with its referrer's persona
  std::uint8_t spare = 0;
};
static_assert(sizeof(Event) == 48);

// True when a comes after b: the queue's next event is the earliest.
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    if (a.time != b.time) return a.time > b.time;
    if (a.kind != b.kind) return a.kind > b.kind;
    if (a.key != b.key) return a.key > b.key;
    return a.order > b.order;
  }
};

// What take_step tells the engine about a counted journey goes into the aggregate as it comes
// (AggregateRecorder::visit_of and the like): many journeys are under way at once, so each keeps
// only its set of stages visited, which the recorder reads at the journey's end. Nothing is kept
// per visit, and nothing is read back.
struct JourneyTally {
  AggregateRecorder* recorder;  // null: the journey is not counted (it started in the warm-up)
  std::uint32_t persona;
  std::uint64_t& stages_seen;

  void start(std::uint32_t) {}
  void visit(std::uint32_t touchpoint, double emotion) {
    if (recorder != nullptr) stages_seen |= recorder->visit_of(persona, touchpoint, emotion);
  }
  void convert(std::uint32_t touchpoint) {
    if (recorder != nullptr) recorder->convert_of(persona, touchpoint);
  }
  void transition(std::uint32_t index) {
    if (recorder != nullptr) recorder->transition(index);
  }
  void finish(const AgentOutcome&) {}
};

// The calls of a journey's start and end, which the engine records itself.
struct Unobserved {
  void start(std::uint32_t) {}
  void finish(const AgentOutcome&) {}
};

// A journey's state, and an agent's record, are made anew in place (std::construct_at) over
// the last one's.
static_assert(std::is_trivially_destructible_v<AgentState>);

enum class Phase : std::uint8_t { walking, queued, closed_wait, in_visit, away };

// An agent's record, in cache lines: the first holds what an event checks first (whether it is
// current) and what every visit reads and writes beside the journey's state, which fills the next
// four; what only a journey's end reads comes last. The loop fetches the first five ahead.
struct alignas(64) CalendarAgent {
  std::uint32_t generation = 0;
  Phase phase = Phase::walking;
  bool in_use = false;
  std::int32_t traced = -1;      // its number among the traced agents; -1: not traced
  std::uint32_t visit_hour = 0;  // the hour of the week the visit under way started
  double journey_start = 0.0;
  double reached_at = 0.0;        // when it reached the touchpoint it is at
  double wait = 0.0;              // hours waited for the visit under way
  std::uint64_t stages_seen = 0;  // the journey's stages visited so far, one bit each
  AgentKey journey_key;           // this journey's key: its stream and its place in ties
  AgentState state{0, 0, 0};
  AgentKey identity;  // the agent's key: referrals and later journeys derive from it
  std::uint32_t journey = 1;
  std::uint32_t referrals = 0;  // made so far, numbering the next
  bool customer = false;
  bool counted_agent = false;  // first arrived after the warm-up
  std::uint64_t journeys_as_customer = 0;
  double revenue = 0.0;
  double last_emotion = 0.0;  // a returning customer's final emotion
};
static_assert(std::is_trivially_destructible_v<CalendarAgent>);
static_assert(offsetof(CalendarAgent, state) == 64 && sizeof(AgentState) <= 4 * 64);
constexpr int kAgentLinesAhead = 5;

// The words of one lane of a journey's stream at its current step, one after another: the
// draws made at a journey's end (referrals, deterrence, return), for Boost's distributions.
class LaneEngine {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  LaneEngine(const AgentStream& stream, std::uint64_t lane) : stream_(stream), lane_(lane) {}
  result_type operator()() {
    if (used_ == 4) {
      words_ = stream_.lane_block(lane_, block_++);
      used_ = 0;
    }
    return words_.v[used_++];
  }
  double uniform() { return AgentStream::to_unit((*this)()); }

 private:
  const AgentStream& stream_;
  std::uint64_t lane_;
  std::uint64_t block_ = 0;
  int used_ = 4;
  AgentStream::Philox::ctr_type words_{};
};

class ReplicationRun {
 public:
  ReplicationRun(const CompiledJourney& journey, const CompiledCalendar& calendar,
                 const CalendarOptions& options, std::uint32_t replication)
      : j_(journey),
        c_(calendar),
        options_(options),
        replication_(replication),
        end_(calendar.end_hours()),
        warmup_(static_cast<double>(std::min(options.warmup_days, calendar.days)) * 24.0),
        scratch_(journey) {
    out_.aggregate = Aggregate::for_journey(journey);
    const std::int64_t measured = calendar.days - std::min(options.warmup_days, calendar.days);
    out_.days.resize(static_cast<std::size_t>(measured));
    for (std::size_t d = 0; d < out_.days.size(); ++d) {
      out_.days[d].day = static_cast<std::int64_t>(d) + options.warmup_days;
    }
    if (measured <= kMostDaysByHour) {
      out_.hours.resize(out_.days.size() * kHoursPerDay);
      for (std::size_t h = 0; h < out_.hours.size(); ++h) {
        out_.hours[h].day = out_.days[h / kHoursPerDay].day;
        out_.hours[h].hour = out_.days[0].day * kHoursPerDay + static_cast<std::int64_t>(h);
      }
    }
    const std::size_t resources = calendar.resources.size();
    out_.resources.resize(resources);
    out_.hour_of_week = HourOfWeekTally::sized(journey.persona_count(), journey.touchpoint_count());
    for (ResourceTally& tally : out_.resources) tally.days.resize(out_.days.size());
    queues_.resize(resources);
    busy_.assign(resources, 0);
    waiting_.assign(resources, 0);
    servers_.resize(resources);
    last_change_.assign(resources, 0.0);
  }

  CalendarReplication run() {
    {
      AggregateRecorder recorder(j_, out_.aggregate);
      recorder_ = &recorder;
      schedule_calendar_events();
      schedule_next_organic(0.0);
      // Only events before the end are queued.
      for (;;) {
        Event event;
        if (organic_pending_ && (queue_.empty() || !Later{}(next_organic_, queue_.top()))) {
          event = next_organic_;
          organic_pending_ = false;
        } else if (!queue_.empty()) {
          event = queue_.pop();
        } else {
          break;
        }
        ++out_.events;
        prefetch_next_agents();
        if ((out_.events & 0xFFFF) == 0 && is_cancelled(options_.cancel)) throw RunCancelled();
        handle(event);
      }
      close_run();
      recorder_ = nullptr;
    }
    return std::move(out_);
  }

 private:
  // --- events ---------------------------------------------------------------------------------

  void push(Event event) {
    if (!(event.time < end_)) return;
    event.order = next_order_++;
    queue_.push(event);
  }

  void push_agent_event(EventKind kind, double time, std::uint32_t slot) {
    Event e;
    e.time = time;
    e.kind = kind;
    e.key = agents_[slot].journey_key;
    e.slot = slot;
    e.generation = agents_[slot].generation;
    push(e);
  }

  void handle(const Event& e) {
    switch (e.kind) {
      case EventKind::capacity:
        return change_capacity(e.index, e.time);
      case EventKind::opening:
        return touchpoint_opens(e.index, e.time);
      case EventKind::visit_end:
        if (current(e)) end_visit(e.slot, e.time);
        return;
      case EventKind::abandon:
        if (current(e)) abandon(e.slot, e.time);
        return;
      case EventKind::resume:
        if (current(e)) start_visit(e.slot, e.time);
        return;
      case EventKind::deterrence:
        ++pending_deterrals_;
        return;
      case EventKind::arrival:
        return arrive(e);
    }
  }

  // The agent record an event will read is most often a miss in the cache (it was last touched
  // a visit ago): the lines a visit reads are fetched ahead, for the next event while this one
  // runs, and when the queue loads a bucket, for every event of the bucket after it (whose
  // events the queue fetched a bucket earlier).
  void prefetch_next_agents() {
    if (queue_.loads() != loads_seen_) {
      loads_seen_ = queue_.loads();
      queue_.for_each_in_next_bucket([this](const Event& e) { prefetch_agent(e.slot); });
    }
    if (const Event* next = queue_.next_at_hand()) prefetch_agent(next->slot);
  }

  void prefetch_agent(std::uint32_t slot) const {
    if (slot >= agents_.size()) return;
    const char* record = reinterpret_cast<const char*>(&agents_[slot]);
    for (int line = 0; line < kAgentLinesAhead; ++line) __builtin_prefetch(record + 64 * line);
  }

  bool current(const Event& e) const {
    return agents_[e.slot].in_use && agents_[e.slot].generation == e.generation;
  }

  void schedule_calendar_events() {
    for (std::size_t r = 0; r < c_.resources.size(); ++r) {
      servers_[r] = c_.servers_at(r, 0.0);
      push_capacity_change(r, 0.0);
    }
    for (std::uint32_t v = 0; v < c_.resource_of.size(); ++v) {
      if (c_.resource_of[v] >= 0) push_opening(v, 0.0);
    }
  }

  void push_capacity_change(std::size_t r, double after) {
    Event e;
    e.time = c_.next_capacity_change(r, after);
    e.kind = EventKind::capacity;
    e.key = {0, r};
    e.index = static_cast<std::uint32_t>(r);
    push(e);
  }

  void push_opening(std::uint32_t v, double after) {
    Event e;
    e.time = c_.next_span_start(v, after);
    e.kind = EventKind::opening;
    e.key = {0, v};
    e.index = v;
    push(e);
  }

  // --- organic arrivals: exact sampling of a rate constant within each hour -------------------

  void schedule_next_organic(double from) {
    const auto block = arrival_block(options_.seed, replication_, organic_drawn_);
    double remaining = -std::log1p(-AgentStream::to_unit(block.v[0]));
    double t = from;
    while (t < end_) {
      const double rate = c_.arrival_rate[static_cast<std::size_t>(hour_of_week(t))];
      const double hour_end = std::floor(t) + 1.0;
      const double mass = rate * (hour_end - t);
      if (remaining < mass) {
        t += remaining / rate;
        break;
      }
      remaining -= mass;
      t = hour_end;
    }
    Event& e = next_organic_;
    e = Event{};
    e.time = t;
    e.kind = EventKind::arrival;
    e.source = ArrivalSource::organic;
    e.key = organic_key(organic_drawn_);
    ++organic_drawn_;
    organic_pending_ = t < end_;
  }

  // --- agents ---------------------------------------------------------------------------------

  std::uint32_t new_agent() {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(agents_.size());
      agents_.emplace_back();
    }
    CalendarAgent& a = agents_[slot];
    const std::uint32_t generation = a.generation + 1;
    // Made in place: an assignment from a temporary would build the record twice.
    std::construct_at(&a);
    a.generation = generation;
    a.in_use = true;
    return slot;
  }

  void free_agent(std::uint32_t slot) {
    CalendarAgent& a = agents_[slot];
    a.in_use = false;
    ++a.generation;
    free_.push_back(slot);
  }

  // Calls f on the day (and, in a short run, the hour) at time t, when measured. The records of
  // the hour of the last call are kept at hand: the clock stays in an hour for many events.
  template <class F>
  void count_at(double t, F f) {
    if (!(t >= counted_hour_.from && t < counted_hour_.to)) counted_hour_ = counted_hour_of(t);
    if (counted_hour_.day != nullptr) f(*counted_hour_.day);
    if (counted_hour_.hour != nullptr) f(*counted_hour_.hour);
  }

  // The times of one whole hour (before the warm-up's end: all of them), and what count_at
  // counts at them.
  struct CountedHour {
    double from = kInfinity;  // empty until first used
    double to = -kInfinity;
    CalendarDay* day = nullptr;
    CalendarDay* hour = nullptr;
  };

  CountedHour counted_hour_of(double t) {
    CountedHour at;
    if (t < warmup_) {
      at.from = -kInfinity;
      at.to = warmup_;
      return at;
    }
    const double whole = std::floor(t);
    at.from = whole;
    at.to = whole + 1.0;  // empty when whole + 1 rounds to whole: t alone, found anew each time
    const auto hour = static_cast<std::size_t>(whole) -
                      static_cast<std::size_t>(options_.warmup_days) * kHoursPerDay;
    const std::size_t day = hour / kHoursPerDay;
    if (day < out_.days.size()) at.day = &out_.days[day];
    if (hour < out_.hours.size()) at.hour = &out_.hours[hour];
    return at;
  }

  void arrive(const Event& e) {
    if (e.source == ArrivalSource::organic) {
      schedule_next_organic(e.time);
      if (pending_deterrals_ > 0) {
        --pending_deterrals_;
        count_at(e.time, [](CalendarDay& day) { ++day.deterred; });
        if (e.time >= warmup_) ++out_.deterred;
        return;
      }
    }
    if (e.source == ArrivalSource::returning) {
      if (current(e)) start_return(e.slot, e.time);
      return;
    }
    const std::uint32_t slot = new_agent();
    CalendarAgent& a = agents_[slot];
    a.identity = e.key;
    a.journey_key = e.key;
    a.journey_start = e.time;
    a.counted_agent = e.time >= warmup_;
    if (e.source == ArrivalSource::organic) {
      std::construct_at(&a.state, options_.seed, replication_, e.key.c0);
      Unobserved unobserved;
      start_agent(j_, a.state, unobserved);
      count_at(e.time, [](CalendarDay& day) { ++day.arrivals_organic; });
      if (a.counted_agent) ++out_.organic_agents;
      choose_traced(a, e.key.c0, e.time);
    } else {
      std::construct_at(&a.state, journey_stream(options_.seed, replication_, e.key));
      start_derived(a, e.inherit_persona ? static_cast<std::int64_t>(e.index) : -1,
                    c_.referral_entry, std::nullopt);
      count_at(e.time, [](CalendarDay& day) { ++day.arrivals_referred; });
      if (a.counted_agent) ++out_.referred_agents;
    }
    reach(slot, e.time);
  }

  // Whether the organic agent that just arrived is one traced (CalendarOptions).
  void choose_traced(CalendarAgent& a, std::uint64_t organic, double t) {
    if (replication_ != 0 || options_.traced_per_persona == 0 || !a.counted_agent) return;
    const std::uint32_t persona = a.state.out.persona;
    if (traced_of_persona_.size() < j_.personas.size())
      traced_of_persona_.resize(j_.personas.size());
    if (traced_of_persona_[persona] >= options_.traced_per_persona) return;
    ++traced_of_persona_[persona];
    a.traced = static_cast<std::int32_t>(out_.traced.size());
    out_.traced.push_back({organic, persona, t});
  }

  void trace(const CalendarAgent& a, TraceKind kind, std::uint32_t touchpoint, double t) {
    if (a.traced < 0) return;
    out_.trace.push_back(
        {static_cast<std::uint32_t>(a.traced), a.journey, kind, touchpoint, t, a.state.emotion});
  }

  // Step 1 for a referred agent (its persona given, or drawn as in step 1) or a returning one
  // (its persona and emotion given); the entry is drawn by `entries`, the journey's own when
  // the persona has none there.
  void start_derived(CalendarAgent& a, std::int64_t persona, const std::vector<EntryTable>& entries,
                     std::optional<double> emotion) {
    AgentState& s = a.state;
    s.stream.begin_step(0);
    if (persona < 0) {
      persona = detail::pick_cumulative(
          j_.persona_cumulative, s.stream.uniform(slot_persona) * j_.persona_cumulative.back());
    }
    s.out.persona = static_cast<std::uint32_t>(persona);
    const PersonaTables& p = j_.personas[s.out.persona];
    s.persona = &p;
    if (emotion) {
      s.emotion = *emotion;
    } else {
      s.emotion = p.initial_emotion_mean;
      if (p.initial_emotion_sd > 0.0) {
        s.emotion += p.initial_emotion_sd * detail::standard_normal(s.stream, slot_initial_emotion);
      }
    }
    const double u = s.stream.uniform(slot_entry);
    const EntryTable* table = entries.empty() ? nullptr : &entries[s.out.persona];
    if (table && !table->cumulative.empty()) {
      s.touchpoint = table->touchpoints[detail::pick_cumulative(table->cumulative,
                                                                u * table->cumulative.back())];
    } else {
      s.touchpoint = p.entry_touchpoints[detail::pick_cumulative(p.entry_cumulative,
                                                                 u * p.entry_cumulative.back())];
    }
    s.out.entry = s.touchpoint;
  }

  void start_return(std::uint32_t slot, double t) {
    CalendarAgent& a = agents_[slot];
    const std::uint32_t persona = a.state.out.persona;
    ++a.journey;
    a.journey_key =
        derive_key(options_.seed, replication_, a.identity, KeyDerivation::journey, a.journey);
    a.state = AgentState(journey_stream(options_.seed, replication_, a.journey_key));
    a.stages_seen = 0;
    a.journey_start = t;
    a.phase = Phase::walking;
    ++a.generation;
    start_derived(a, persona, c_.return_entry, j_.memory * a.last_emotion);
    count_at(t, [](CalendarDay& day) { ++day.arrivals_returning; });
    if (t >= warmup_) ++out_.returning_journeys;
    reach(slot, t);
  }

  // The agent reaches the touchpoint it is at: it starts the visit, or waits for a server or
  // for the touchpoint to open.
  void reach(std::uint32_t slot, double t) {
    CalendarAgent& a = agents_[slot];
    const std::uint32_t v = a.state.touchpoint;
    a.reached_at = t;
    trace(a, TraceKind::reach, v, t);
    const std::int32_t r = c_.resource_of[v];
    if (r < 0) {
      if (open_at(v, t)) return start_visit(slot, t);
      a.phase = Phase::closed_wait;
      const double opens = c_.next_opening(v, t);
      const double gives_up = t + patience(a, v);
      if (gives_up < opens) {
        push_agent_event(EventKind::abandon, gives_up, slot);
      } else {
        push_agent_event(EventKind::resume, opens, slot);
      }
      return;
    }
    const auto resource = static_cast<std::size_t>(r);
    advance(resource, t);
    if (t >= warmup_) ++out_.resources[resource].arrivals;
    // No one waiting and a server free: served at once, as serve would serve it (its joining and
    // leaving the queue at one instant add nothing to the integrals), without the queue.
    if (queues_[resource].empty() && busy_[resource] < servers_[resource] && open_at(v, t)) {
      ++busy_[resource];
      return start_visit(slot, t);
    }
    a.phase = Phase::queued;
    queues_[resource].push_back({slot, a.generation});
    ++waiting_[resource];
    serve(resource, t);
    // Only an agent left waiting needs its patience (the draw is the same either way).
    CalendarAgent& waiting = agents_[slot];
    if (waiting.phase != Phase::queued) return;
    const double gives_up = t + patience(waiting, v);
    if (gives_up < kInfinity) push_agent_event(EventKind::abandon, gives_up, slot);
  }

  // T ~ Exponential(mean = patience_v x patience_p), from the journey's patience lane at its
  // current step (one draw per touchpoint reached); +inf without a patience.
  double patience(const CalendarAgent& a, std::uint32_t v) const {
    const double mean = c_.patience_hours[v] * c_.persona_patience[a.state.out.persona];
    if (!(mean < kInfinity)) return kInfinity;
    const auto block = a.state.stream.lane_block(kLanePatience, 0);
    return -mean * std::log1p(-AgentStream::to_unit(block.v[0]));
  }

  // Servers take waiting agents, first come first served among those whose touchpoint is open.
  void serve(std::size_t r, double t) {
    std::deque<std::pair<std::uint32_t, std::uint32_t>>& queue = queues_[r];
    while (busy_[r] < servers_[r] && !queue.empty()) {
      while (!queue.empty() && !waiting_in(queue.front())) queue.pop_front();
      auto it = queue.begin();
      while (it != queue.end() &&
             (!waiting_in(*it) || !open_at(agents_[it->first].state.touchpoint, t))) {
        ++it;
      }
      if (it == queue.end()) return;
      const std::uint32_t slot = it->first;
      // Mostly the first: pop_front is inline, erase a call.
      if (it == queue.begin()) {
        queue.pop_front();
      } else {
        queue.erase(it);
      }
      advance(r, t);
      --waiting_[r];
      ++busy_[r];
      start_visit(slot, t);
    }
  }

  // CompiledCalendar::hour_of_week, to the bit, without its fmod when the time from the week's
  // start is a whole number of hours and a fraction below 2^52: fmod by 168 is exact, so the
  // whole hours of its remainder are the remainder of the whole hours.
  // The hour of the last call is kept: the clock stays in an hour for many events.
  int hour_of_week(double t) {
    const double from_monday = t + c_.week_offset();
    if (from_monday >= week_hour_from_ && from_monday < week_hour_from_ + 1.0) return week_hour_;
    if (from_monday >= 0.0 && from_monday < 0x1.0p52) {
      const auto whole = static_cast<std::int64_t>(from_monday);
      week_hour_from_ = static_cast<double>(whole);
      week_hour_ = static_cast<int>(whole % kHoursPerWeek);
      return week_hour_;
    }
    return c_.hour_of_week(t);
  }

  // CompiledCalendar::is_open, with the common case (always open) inline.
  bool open_at(std::uint32_t v, double t) const {
    return c_.opening[v].always || c_.is_open(v, t);
  }

  bool waiting_in(const std::pair<std::uint32_t, std::uint32_t>& entry) const {
    const CalendarAgent& a = agents_[entry.first];
    return a.in_use && a.generation == entry.second && a.phase == Phase::queued;
  }

  void record_wait(std::uint32_t v, double t, double wait, bool abandoned) {
    if (t < warmup_) return;
    const bool can_wait = c_.resource_of[v] >= 0 || !c_.opening[v].always;
    if (can_wait) {
      count_at(t, [&](CalendarDay& day) {
        ++day.waits;
        day.wait_hours += wait;
      });
    }
    const std::int32_t r = c_.resource_of[v];
    if (r < 0) return;
    ResourceTally& tally = out_.resources[static_cast<std::size_t>(r)];
    (abandoned ? tally.abandoned : tally.served) += 1;
    tally.wait_hours += wait;
    const double minutes = wait * 60.0;
    const auto bin = minutes >= kWaitBins - 1 ? kWaitBins - 1 : static_cast<int>(minutes);
    ++tally.wait_minutes[static_cast<std::size_t>(bin)];
    if (ResourceDay* day = resource_day(tally, t)) {
      ++day->waits;
      day->wait_hours += wait;
      if (abandoned) ++day->abandoned;
    }
  }

  ResourceDay* resource_day(ResourceTally& tally, double t) {
    const auto d = static_cast<std::size_t>(std::floor(t / 24.0)) -
                   static_cast<std::size_t>(options_.warmup_days);
    return t >= warmup_ && d < tally.days.size() ? &tally.days[d] : nullptr;
  }

  void start_visit(std::uint32_t slot, double t) {
    CalendarAgent& a = agents_[slot];
    AgentState& s = a.state;
    const std::uint32_t v = s.touchpoint;
    const double wait = t - a.reached_at;
    a.wait = wait;
    s.clock += wait;
    ++a.generation;  // its abandonment, if any, is void
    a.phase = Phase::in_visit;
    record_wait(v, t, wait, false);
    a.visit_hour = static_cast<std::uint32_t>(hour_of_week(t));
    trace(a, TraceKind::visit_start, v, t);
    // The next step's block, which the step before did not compute (a journey's last step needs
    // none; the set-up's step computed the first visit's); then the duration step 2.2 will
    // draw, read ahead: the same word of the same step.
    if (s.stream.step() > 0) s.stream.compute_ahead();
    const double duration = duration_ahead(j_, v, s.stream);
    push_agent_event(EventKind::visit_end, t + duration, slot);
  }

  void end_visit(std::uint32_t slot, double t) {
    CalendarAgent& a = agents_[slot];
    AgentState& s = a.state;
    const std::uint32_t v = s.touchpoint;
    const std::int32_t r = c_.resource_of[v];
    if (r >= 0) {
      advance(static_cast<std::size_t>(r), t);
      --busy_[static_cast<std::size_t>(r)];
    }
    const bool converted_before = s.out.converted;
    const double penalty = a.wait > 0.0 ? c_.wait_penalty[v] * a.wait : 0.0;
    JourneyTally tally{a.journey_start >= warmup_ ? recorder_ : nullptr, s.out.persona,
                       a.stages_seen};
    const bool walks_on = take_step</*kBlockAhead=*/false>(j_, s, scratch_, tally, penalty);
    // The visits the plain figures count (the tally's), by start hour.
    if (a.journey_start >= warmup_) {
      out_.hour_of_week.add(out_.hour_of_week.cell(s.out.persona, v, a.visit_hour), s.emotion);
    }
    trace(a, TraceKind::visit_end, v, t);
    if (!converted_before && s.out.converted && a.journey_start >= warmup_) {
      count_at(t, [&](CalendarDay& day) {
        ++day.conversions;
        if (a.journey > 1) ++day.repeat_purchases;
        day.revenue += s.out.revenue;
      });
    }
    a.phase = Phase::walking;
    if (walks_on) {
      reach(slot, t);
    } else {
      end_journey(slot, t, /*run_over=*/false);
    }
    if (r >= 0) serve(static_cast<std::size_t>(r), t);
  }

  void abandon(std::uint32_t slot, double t) {
    CalendarAgent& a = agents_[slot];
    AgentState& s = a.state;
    const std::uint32_t v = s.touchpoint;
    const double wait = t - a.reached_at;
    const std::int32_t r = c_.resource_of[v];
    if (r >= 0 && a.phase == Phase::queued) {
      advance(static_cast<std::size_t>(r), t);
      --waiting_[static_cast<std::size_t>(r)];
    }
    record_wait(v, t, wait, true);
    trace(a, TraceKind::abandon, v, t);
    if (a.journey_start >= warmup_) count_at(t, [](CalendarDay& day) { ++day.abandoned; });
    ++a.generation;
    s.clock += wait;
    s.out.ending = Ending::abandoned;
    end_journey(slot, t, /*run_over=*/false);
  }

  // The journey's figures, then word of mouth and the return, each drawn from the journey's
  // end lane in this order: referrals or deterrence, then the return.
  void end_journey(std::uint32_t slot, double t, bool run_over) {
    CalendarAgent& a = agents_[slot];
    AgentState& s = a.state;
    // A journey that ended before its first experience keeps the emotion it started with.
    if (s.step == 0) s.peak = s.emotion;
    Unobserved unobserved;
    const AgentOutcome& outcome = finish_agent(s, unobserved);
    if (a.traced >= 0) {
      out_.trace.push_back({static_cast<std::uint32_t>(a.traced), a.journey, TraceKind::journey_end,
                            static_cast<std::uint32_t>(outcome.ending), t, outcome.final_emotion});
    }
    const bool counted = a.journey_start >= warmup_;
    if (counted) record_journey(a, outcome, t);
    if (outcome.converted) a.customer = true;
    if (a.customer) {
      ++a.journeys_as_customer;
      a.revenue += outcome.converted ? outcome.revenue : 0.0;
    }
    a.last_emotion = outcome.final_emotion;
    if (run_over) return finish_agent_life(slot);

    LaneEngine draws(s.stream, kLaneJourneyEnd);
    if (c_.word_of_mouth && a.customer) word_of_mouth(a, outcome, t, draws);
    if (c_.returns && a.customer && returns(outcome, draws)) {
      boost::random::exponential_distribution<double> delay(1.0 / c_.return_after_hours);
      a.phase = Phase::away;
      ++a.generation;
      Event e;
      e.time = t + delay(draws);
      e.kind = EventKind::arrival;
      e.source = ArrivalSource::returning;
      // Its place in ties: the key of the journey it will start.
      e.key = derive_key(options_.seed, replication_, a.identity, KeyDerivation::journey,
                         a.journey + 1);
      e.slot = slot;
      e.generation = a.generation;
      if (e.time < end_) {
        push(e);
        return;
      }
    }
    finish_agent_life(slot);
  }

  void record_journey(const CalendarAgent& a, const AgentOutcome& outcome, double t) {
    ++out_.journeys;
    // Its visits, conversion and transitions are in the aggregate already (JourneyTally).
    recorder_->finish_of(outcome, a.stages_seen);
    count_at(t, [&](CalendarDay& day) {
      ++day.journeys_ended;
      if (outcome.converted) {
        ++day.customers_ended;
        if (outcome.likelihood_to_recommend >= j_.promoter_threshold) ++day.promoters;
        if (outcome.likelihood_to_recommend < j_.detractor_threshold) ++day.detractors;
      }
    });
    if (options_.journey_records) {
      out_.records.push_back({a.identity, a.journey_key, a.journey, a.journey_start, outcome});
    }
  }

  void word_of_mouth(CalendarAgent& a, const AgentOutcome& outcome, double t, LaneEngine& draws) {
    const double score = outcome.likelihood_to_recommend;
    const bool promoter = score >= j_.promoter_threshold;
    const bool detractor = score < j_.detractor_threshold;
    const double mean =
        promoter ? c_.referrals_per_promoter : (detractor ? c_.deterred_per_detractor : 0.0);
    if (mean <= 0.0) return;
    const std::uint32_t count =
        boost::random::poisson_distribution<std::uint32_t, double>(mean)(draws);
    boost::random::exponential_distribution<double> delay(1.0 / c_.referral_delay_hours);
    for (std::uint32_t k = 0; k < count; ++k) {
      Event e;
      e.time = t + delay(draws);
      if (detractor) {
        e.kind = EventKind::deterrence;
        push(e);
        continue;
      }
      e.inherit_persona = draws.uniform() < c_.homophily;
      e.index = outcome.persona;
      e.kind = EventKind::arrival;
      e.source = ArrivalSource::referred;
      e.key = derive_key(options_.seed, replication_, a.identity, KeyDerivation::referral,
                         ++a.referrals);
      if (t >= warmup_) ++out_.referrals_made;
      push(e);
    }
  }

  // rho = logistic(logit(retention) + retention_emotion x peak_end); 0 and 1 are sure.
  bool returns(const AgentOutcome& outcome, LaneEngine& draws) const {
    const double u = draws.uniform();
    if (c_.retention <= 0.0) return false;
    if (c_.retention >= 1.0) return true;
    const double rho = model::logistic(std::log(c_.retention) - std::log1p(-c_.retention) +
                                       c_.retention_emotion * outcome.peak_end);
    return u < rho;
  }

  // The agent will not come back within the run: its figures as a customer, and its slot freed.
  void finish_agent_life(std::uint32_t slot) {
    const CalendarAgent& a = agents_[slot];
    if (a.customer && a.counted_agent) {
      ++out_.customers;
      out_.customer_journeys += a.journeys_as_customer;
      out_.customer_revenue += a.revenue;
    }
    free_agent(slot);
  }

  // --- resources ------------------------------------------------------------------------------

  // The time integrals up to t, over the measured part of the run.
  void advance(std::size_t r, double t) {
    const double from = std::max(last_change_[r], warmup_);
    const double to = std::min(t, end_);
    if (to > from) {
      ResourceTally& tally = out_.resources[r];
      const double hours = to - from;
      tally.offered_hours += static_cast<double>(servers_[r]) * hours;
      tally.busy_hours += static_cast<double>(busy_[r]) * hours;
      tally.queue_hours += static_cast<double>(waiting_[r]) * hours;
      // The same, day by day.
      for (double a = from; a < to;) {
        const double b = std::min(to, (std::floor(a / 24.0) + 1.0) * 24.0);
        if (ResourceDay* day = resource_day(tally, a)) {
          day->offered_hours += static_cast<double>(servers_[r]) * (b - a);
          day->busy_hours += static_cast<double>(busy_[r]) * (b - a);
          day->queue_hours += static_cast<double>(waiting_[r]) * (b - a);
        }
        a = b;
      }
    }
    last_change_[r] = std::max(last_change_[r], t);
  }

  void change_capacity(std::uint32_t r, double t) {
    advance(r, t);
    servers_[r] = c_.servers_at(r, t);
    push_capacity_change(r, t);
    serve(r, t);
  }

  void touchpoint_opens(std::uint32_t v, double t) {
    push_opening(v, t);
    serve(static_cast<std::size_t>(c_.resource_of[v]), t);
  }

  // Journeys under way are censored, counted as far as they went; agents away are done.
  void close_run() {
    for (std::size_t r = 0; r < c_.resources.size(); ++r) advance(r, end_);
    for (std::uint32_t slot = 0; slot < agents_.size(); ++slot) {
      CalendarAgent& a = agents_[slot];
      if (!a.in_use) continue;
      if (a.phase == Phase::away) {
        finish_agent_life(slot);
        continue;
      }
      AgentState& s = a.state;
      s.clock = end_ - a.journey_start;
      s.out.ending = Ending::censored;
      end_journey(slot, end_, /*run_over=*/true);
    }
  }

  const CompiledJourney& j_;
  const CompiledCalendar& c_;
  const CalendarOptions& options_;
  const std::uint32_t replication_;
  const double end_;
  const double warmup_;
  AgentScratch scratch_;
  CalendarReplication out_;
  AggregateRecorder* recorder_ = nullptr;

  EventQueue<Event, Later> queue_;
  std::uint64_t loads_seen_ = 0;  // the queue's bucket loads when the loop last looked
  std::uint64_t next_order_ = 0;
  // The next organic arrival, kept out of the queue: there is always one, made when the one
  // before it arrives, so holding it aside saves a push and a pop per arrival. Its key is its
  // own (no other event shares it), so its place among the queue's events needs no `order`.
  Event next_organic_;
  bool organic_pending_ = false;
  std::uint64_t organic_drawn_ = 0;
  std::uint64_t pending_deterrals_ = 0;
  std::vector<CalendarAgent> agents_;
  std::vector<std::uint32_t> free_;
  // Per resource: the queue (agent slot, generation when it joined), servers busy, agents
  // waiting, servers now, and when the integrals were last brought up to date.
  std::vector<std::deque<std::pair<std::uint32_t, std::uint32_t>>> queues_;
  std::vector<std::int64_t> busy_;
  std::vector<std::int64_t> waiting_;
  std::vector<std::int64_t> servers_;
  std::vector<double> last_change_;
  CountedHour counted_hour_;  // count_at's hour at hand
  // hour_of_week's at hand: the whole hours from the week's start, and the hour of the week.
  double week_hour_from_ = kInfinity;
  int week_hour_ = 0;
  std::vector<std::uint32_t> traced_of_persona_;  // agents traced so far, by persona
};

}  // namespace

HourOfWeekTally HourOfWeekTally::sized(std::size_t personas, std::size_t touchpoints) {
  HourOfWeekTally t;
  t.touchpoints = touchpoints;
  const std::size_t cells = personas * touchpoints * kHoursOfWeek;
  t.visits.assign(cells, 0);
  t.emotion.assign(cells, BoundedSum{});
  t.emotion_sq.assign(cells, BoundedSum{});
  return t;
}

void HourOfWeekTally::merge(const HourOfWeekTally& other) {
  if (visits.empty()) {
    *this = other;
    return;
  }
  for (std::size_t c = 0; c < visits.size() && c < other.visits.size(); ++c) {
    visits[c] += other.visits[c];
    emotion[c].merge(other.emotion[c]);
    emotion_sq[c].merge(other.emotion_sq[c]);
  }
}

CalendarReplication simulate_calendar_replication(const CompiledJourney& journey,
                                                  const CompiledCalendar& calendar,
                                                  const CalendarOptions& options,
                                                  std::uint32_t replication) {
  return ReplicationRun(journey, calendar, options, replication).run();
}

CalendarRunResult run_calendar(const CompiledJourney& journey, const CompiledCalendar& calendar,
                               const CalendarOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  CalendarRunResult result;
  result.seed = options.seed;
  result.days = calendar.days;
  result.warmup_days = std::min(options.warmup_days, calendar.days);
  const unsigned threads = options.threads > 0
                               ? options.threads
                               : static_cast<unsigned>(tbb::this_task_arena::max_concurrency());
  result.threads = threads;
  result.replications.resize(options.replications);
  tbb::task_arena arena(static_cast<int>(threads));
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, options.replications, 1),
                      [&](const tbb::blocked_range<std::uint32_t>& range) {
                        for (std::uint32_t r = range.begin(); r < range.end(); ++r) {
                          result.replications[r] =
                              simulate_calendar_replication(journey, calendar, options, r);
                        }
                      });
  });
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace cjsim
