// Calendar runs -> HDF5 and back: the plain run's layout, the calendar group's tables for
// people, and its raw tallies.
#include "reports/store/calendar_file.h"

#include <H5Cpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>
#include <span>
#include <stdexcept>

#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_table.h"
#include "reports/store/results_reader.h"
#include "scenarios/week_hours.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

constexpr const char* kGroup = "calendar";
constexpr std::uint64_t kCalendarVersion = 1;
constexpr const char* kComparisonFormat = "cjsim-calendar-comparison";
constexpr std::uint64_t kCalendarComparisonVersion = 1;

// The counts of a day (or hour) in raw/day_counts, in this order.
constexpr std::array<std::uint64_t CalendarDay::*, 12> kDayCounts = {
    &CalendarDay::arrivals_organic, &CalendarDay::arrivals_referred,
    &CalendarDay::arrivals_returning, &CalendarDay::deterred,
    &CalendarDay::conversions, &CalendarDay::repeat_purchases,
    &CalendarDay::abandoned, &CalendarDay::waits,
    &CalendarDay::journeys_ended, &CalendarDay::customers_ended,
    &CalendarDay::promoters, &CalendarDay::detractors};
constexpr const char* kDayCountNames =
    "arrivals_organic,arrivals_referred,arrivals_returning,deterred,conversions,"
    "repeat_purchases,abandoned,waits,journeys_ended,customers_ended,promoters,detractors";
constexpr std::array<double CalendarDay::*, 2> kDayValues = {&CalendarDay::revenue,
                                                             &CalendarDay::wait_hours};
constexpr const char* kDayValueNames = "revenue,wait_hours";

constexpr std::array<std::uint64_t CalendarReplication::*, 9> kReplicationCounts = {
    &CalendarReplication::organic_agents,   &CalendarReplication::referred_agents,
    &CalendarReplication::journeys,         &CalendarReplication::returning_journeys,
    &CalendarReplication::deterred,         &CalendarReplication::referrals_made,
    &CalendarReplication::customers,        &CalendarReplication::customer_journeys,
    &CalendarReplication::events};
constexpr const char* kReplicationCountNames =
    "organic_agents,referred_agents,journeys,returning_journeys,deterred,referrals_made,"
    "customers,customer_journeys,events";

constexpr std::array<double ResourceTally::*, 4> kResourceValues = {
    &ResourceTally::offered_hours, &ResourceTally::busy_hours, &ResourceTally::queue_hours,
    &ResourceTally::wait_hours};
constexpr const char* kResourceValueNames = "offered_hours,busy_hours,queue_hours,wait_hours";
constexpr std::array<std::uint64_t ResourceTally::*, 3> kResourceCounts = {
    &ResourceTally::arrivals, &ResourceTally::served, &ResourceTally::abandoned};
constexpr const char* kResourceCountNames = "arrivals,served,abandoned";
constexpr std::array<double ResourceDay::*, 4> kResourceDayValues = {
    &ResourceDay::offered_hours, &ResourceDay::busy_hours, &ResourceDay::queue_hours,
    &ResourceDay::wait_hours};
constexpr std::array<std::uint64_t ResourceDay::*, 2> kResourceDayCounts = {
    &ResourceDay::waits, &ResourceDay::abandoned};
constexpr const char* kResourceDayCountNames = "waits,abandoned";

// ---- Tables for people ----

// Columns of estimates (the figure, _ci_low, _ci_high), and the units of every column added,
// written as the table's `units` attribute (JSON: column -> unit).
class UnitTable {
 public:
  explicit UnitTable(std::size_t rows) : table_(rows) {}

  void text(const std::string& name, const std::vector<std::string>& values) {
    table_.add_text(name, values);
  }
  void count(const std::string& name, const std::vector<std::uint64_t>& values) {
    table_.add_u64(name, values);
  }
  void estimate(const std::string& name, const std::vector<Estimate>& values) {
    std::vector<double> value, low, high;
    for (const Estimate& e : values) {
      value.push_back(e.value);
      low.push_back(e.low);
      high.push_back(e.high);
    }
    table_.add_f64(name, value);
    table_.add_f64(name + "_ci_low", low);
    table_.add_f64(name + "_ci_high", high);
    const Figure* f = find_calendar_figure(name);
    const std::string unit(unit_key(f ? f->unit : Unit::count));
    for (const char* suffix : {"", "_ci_low", "_ci_high"}) units_[name + suffix] = unit;
  }
  void unit(const std::string& column, std::string_view unit) { units_[column] = unit; }
  hdf5::CompoundTable& raw() { return table_; }

  void write(H5::Group& group, const std::string& name) const {
    table_.write(group, name);
    hdf5::write_attribute(group.openDataSet(name), "units", units_.dump());
  }

 private:
  hdf5::CompoundTable table_;
  nlohmann::json units_ = nlohmann::json::object();
};

template <class Row, class Get>
std::vector<Estimate> estimates(const std::vector<Row>& rows, Get get) {
  std::vector<Estimate> out;
  for (const Row& r : rows) out.push_back(get(r));
  return out;
}

void write_series(H5::Group& group, const std::string& name, const std::vector<DayFigures>& rows,
                  bool hourly) {
  UnitTable table(rows.size());
  std::vector<std::uint64_t> day, hour;
  for (const DayFigures& f : rows) {
    day.push_back(static_cast<std::uint64_t>(f.day));
    hour.push_back(static_cast<std::uint64_t>(std::max<std::int64_t>(f.hour, 0)));
  }
  table.count("day", day);
  table.unit("day", "days");
  if (hourly) {
    table.count("hour", hour);
    table.unit("hour", "hours");
  }
  for (const auto& named : kDayColumns) {
    const char* column = named.first;
    const auto member = named.second;  // a plain name: clang 14 lambdas cannot capture bindings
    table.estimate(column, estimates(rows, [&](const DayFigures& f) { return f.*member; }));
  }
  table.write(group, name);
}

void write_resources(H5::Group& group, const std::vector<ResourceFigures>& rows) {
  UnitTable table(rows.size());
  std::vector<std::string> id, lane;
  std::vector<std::uint64_t> arrivals, served, abandoned;
  for (const ResourceFigures& r : rows) {
    id.push_back(r.id);
    lane.push_back(r.lane);
    arrivals.push_back(r.arrivals);
    served.push_back(r.served);
    abandoned.push_back(r.abandoned);
  }
  table.text("id", id);
  table.text("lane", lane);
  table.count("arrivals", arrivals);
  table.count("served", served);
  table.count("abandoned", abandoned);
  for (const char* column : {"arrivals", "served", "abandoned"}) table.unit(column, "count");
  for (const auto& named : kResourceColumns) {
    const char* column = named.first;
    const auto member = named.second;  // a plain name: clang 14 lambdas cannot capture bindings
    table.estimate(column, estimates(rows, [&](const ResourceFigures& f) { return f.*member; }));
  }
  table.write(group, "resources");

  // Every resource's days, one after the other: utilisation and queue length over time.
  std::vector<std::string> resource;
  std::vector<std::uint64_t> day;
  std::vector<ResourceDayFigures> days;
  for (const ResourceFigures& r : rows) {
    for (const ResourceDayFigures& d : r.days) {
      resource.push_back(r.id);
      day.push_back(static_cast<std::uint64_t>(d.day));
      days.push_back(d);
    }
  }
  UnitTable by_day(days.size());
  by_day.text("resource", resource);
  by_day.count("day", day);
  by_day.unit("day", "days");
  for (const auto& named : kResourceDayColumns) {
    const char* column = named.first;
    const auto member = named.second;  // a plain name: clang 14 lambdas cannot capture bindings
    by_day.estimate(column,
                    estimates(days, [&](const ResourceDayFigures& f) { return f.*member; }));
  }
  by_day.write(group, "resource_days");
}

// A day in the life, tidy for pandas: one row per persona, touchpoint and hour of the week with
// a visit (weekday by name, Monday first; hour of the day 0..23), visits summed over
// replications and the mean emotion the visits left.
void write_hour_of_week(H5::Group& group, const std::vector<HourOfWeekRow>& rows) {
  std::vector<std::string> persona, touchpoint, weekday;
  std::vector<std::uint64_t> hour, visits;
  std::vector<double> emotion;
  for (const HourOfWeekRow& row : rows) {
    for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
      if (row.visits[h] == 0) continue;
      persona.push_back(row.persona_id);
      touchpoint.push_back(row.touchpoint_id);
      weekday.emplace_back(kWeekdayNames.at(h / kHoursPerDay));
      hour.push_back(h % kHoursPerDay);
      visits.push_back(row.visits[h]);
      emotion.push_back(row.mean_emotion[h]);
    }
  }
  UnitTable table(visits.size());
  table.text("persona", persona);
  table.text("touchpoint", touchpoint);
  table.text("weekday", weekday);
  table.count("hour", hour);
  table.unit("hour", "hours");
  table.count("visits", visits);
  table.unit("visits", "count");
  hdf5::CompoundTable& raw_table = table.raw();
  raw_table.add_f64("mean_emotion", emotion);
  table.unit("mean_emotion", unit_key(Unit::emotion));
  table.write(group, "hour_of_week");
}

// The run's own figures: one row each, with its unit.
void write_figures(H5::Group& group, const CalendarSummary& s) {
  const std::array<std::pair<const char*, const Estimate*>, 5> rows = {{
      {"organic_agents_per_day", &s.organic_agents_per_day},
      {"referred_per_organic", &s.referred_per_organic},
      {"journeys_per_customer", &s.journeys_per_customer},
      {"lifetime_value", &s.lifetime_value},
      {"staff_cost", &s.staff_cost},
  }};
  std::vector<std::string> name, label, unit;
  std::vector<double> value, low, high;
  for (const auto& [figure, estimate] : rows) {
    const Figure* f = find_calendar_figure(figure);
    name.emplace_back(figure);
    label.emplace_back(f->label);
    unit.emplace_back(unit_key(f->unit));
    value.push_back(estimate->value);
    low.push_back(estimate->low);
    high.push_back(estimate->high);
  }
  hdf5::CompoundTable table(rows.size());
  table.add_text("figure", name);
  table.add_text("label", label);
  table.add_text("unit", unit);
  table.add_f64("value", value);
  table.add_f64("ci_low", low);
  table.add_f64("ci_high", high);
  table.write(group, "figures");

  const std::vector<std::string> counts = {"organic_agents", "referred_agents",
                                           "journeys",       "returning_journeys",
                                           "deterred",       "referrals_made",
                                           "customers",      "abandoned"};
  const std::vector<std::uint64_t> values = {s.organic_agents, s.referred_agents, s.journeys,
                                             s.returning_journeys, s.deterred, s.referrals_made,
                                             s.customers, s.abandoned};
  hdf5::CompoundTable count_table(counts.size());
  count_table.add_text("name", counts);
  count_table.add_u64("count", values);
  count_table.write(group, "counts");
}

// Per replication: the agents, referrals, deterred prospects and customers, and the lifetime
// value, the figures whose spread across replications gives their intervals.
void write_replications(H5::Group& group, const CalendarRunResult& result) {
  const auto& reps = result.replications;
  UnitTable table(reps.size());
  std::vector<std::uint64_t> index;
  for (std::size_t r = 0; r < reps.size(); ++r) index.push_back(r);
  table.count("replication", index);
  const std::array<std::pair<const char*, std::uint64_t CalendarReplication::*>, 7> columns = {{
      {"organic_agents", &CalendarReplication::organic_agents},
      {"referred_agents", &CalendarReplication::referred_agents},
      {"journeys", &CalendarReplication::journeys},
      {"returning_journeys", &CalendarReplication::returning_journeys},
      {"deterred", &CalendarReplication::deterred},
      {"referrals_made", &CalendarReplication::referrals_made},
      {"customers", &CalendarReplication::customers},
  }};
  for (const auto& [column, member] : columns) {
    std::vector<std::uint64_t> values;
    for (const CalendarReplication& r : reps) values.push_back(r.*member);
    table.count(column, values);
    table.unit(column, "count");
  }
  std::vector<Estimate> lifetime;
  for (const CalendarReplication& r : reps) {
    const double value = r.customers > 0
                             ? r.customer_revenue / static_cast<double>(r.customers)
                             : std::numeric_limits<double>::quiet_NaN();
    lifetime.push_back({value, std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::quiet_NaN()});
  }
  table.estimate("lifetime_value", lifetime);
  table.write(group, "replications");
}

// ---- Raw tallies ----

template <class T>
void write_raw(H5::Group& raw, const std::string& name, std::vector<hsize_t> dims,
               const std::vector<T>& values, const char* fields,
               hdf5::Storage storage = hdf5::Storage::contiguous) {
  hdf5::write_array<T>(raw, name, dims, std::span<const T>(values), storage);
  if (fields != nullptr) hdf5::write_attribute(raw.openDataSet(name), "fields", fields);
}

void write_raw_series(H5::Group& raw, const std::string& prefix, const CalendarRunResult& result,
                      std::vector<CalendarDay> CalendarReplication::*bins) {
  const auto& reps = result.replications;
  const std::size_t count = reps.empty() ? 0 : (reps[0].*bins).size();
  std::vector<std::uint64_t> counts, day, hour;
  std::vector<double> values;
  for (const CalendarReplication& r : reps) {
    for (const CalendarDay& d : r.*bins) {
      for (const auto member : kDayCounts) counts.push_back(d.*member);
      for (const auto member : kDayValues) values.push_back(d.*member);
    }
  }
  if (!reps.empty()) {
    for (const CalendarDay& d : reps[0].*bins) {
      day.push_back(static_cast<std::uint64_t>(d.day));
      hour.push_back(static_cast<std::uint64_t>(std::max<std::int64_t>(d.hour, 0)));
    }
  }
  const hsize_t r = reps.size();
  write_raw(raw, prefix + "_counts", {r, count, kDayCounts.size()}, counts, kDayCountNames);
  write_raw(raw, prefix + "_values", {r, count, kDayValues.size()}, values, kDayValueNames);
  write_raw(raw, prefix + "_day", {count}, day, nullptr);
  write_raw(raw, prefix + "_hour", {count}, hour, nullptr);
}

void write_raw_tallies(H5::Group& group, const CalendarRunResult& result) {
  H5::Group raw = group.createGroup("raw");
  const auto& reps = result.replications;
  const hsize_t r = reps.size();
  std::vector<std::uint64_t> counts;
  std::vector<double> revenue;
  for (const CalendarReplication& rep : reps) {
    for (const auto member : kReplicationCounts) counts.push_back(rep.*member);
    revenue.push_back(rep.customer_revenue);
  }
  write_raw(raw, "replication_counts", {r, kReplicationCounts.size()}, counts,
            kReplicationCountNames);
  write_raw(raw, "customer_revenue", {r}, revenue, nullptr);
  // Abandonment is the calendar's own ending, which the plain raw aggregates do not hold.
  const hsize_t personas = reps.empty() ? 0 : reps[0].aggregate.personas.size();
  std::vector<std::uint64_t> abandoned;
  for (const CalendarReplication& rep : reps) {
    for (const OutcomeSums& p : rep.aggregate.personas) abandoned.push_back(p.abandoned);
  }
  write_raw(raw, "abandoned", {r, personas}, abandoned, nullptr);
  write_raw_series(raw, "day", result, &CalendarReplication::days);
  write_raw_series(raw, "hour", result, &CalendarReplication::hours);

  const hsize_t k = reps.empty() ? 0 : reps[0].resources.size();
  const hsize_t d = reps.empty() ? 0 : reps[0].days.size();
  std::vector<double> values, day_values;
  std::vector<std::uint64_t> resource_counts, minutes, day_counts;
  for (const CalendarReplication& rep : reps) {
    for (const ResourceTally& t : rep.resources) {
      for (const auto member : kResourceValues) values.push_back(t.*member);
      for (const auto member : kResourceCounts) resource_counts.push_back(t.*member);
      minutes.insert(minutes.end(), t.wait_minutes.begin(), t.wait_minutes.end());
      for (const ResourceDay& day : t.days) {
        for (const auto member : kResourceDayValues) day_values.push_back(day.*member);
        for (const auto member : kResourceDayCounts) day_counts.push_back(day.*member);
      }
    }
  }
  write_raw(raw, "resource_values", {r, k, kResourceValues.size()}, values, kResourceValueNames);
  write_raw(raw, "resource_counts", {r, k, kResourceCounts.size()}, resource_counts,
            kResourceCountNames);
  write_raw(raw, "resource_wait_minutes", {r, k, static_cast<hsize_t>(kWaitBins)}, minutes,
            "waits by minute waited; the last bin holds every wait of 48 hours or more",
            r * k > 0 ? hdf5::Storage::compressed : hdf5::Storage::contiguous);
  write_raw(raw, "resource_day_values", {r, k, d, kResourceDayValues.size()}, day_values,
            kResourceValueNames);
  write_raw(raw, "resource_day_counts", {r, k, d, kResourceDayCounts.size()}, day_counts,
            kResourceDayCountNames);

  // Visits by persona, touchpoint and hour of the week, and their emotion's fixed-point sums.
  const hsize_t touchpoints = reps.empty() ? 0 : reps[0].hour_of_week.touchpoints;
  std::vector<std::uint64_t> visits, sums;
  for (const CalendarReplication& rep : reps) {
    const HourOfWeekTally& t = rep.hour_of_week;
    visits.insert(visits.end(), t.visits.begin(), t.visits.end());
    for (std::size_t c = 0; c < t.visits.size(); ++c) {
      for (const BoundedSum& sum : {t.emotion[c], t.emotion_sq[c]}) {
        const auto bits = static_cast<uint128>(sum.raw());
        sums.push_back(static_cast<std::uint64_t>(bits));
        sums.push_back(static_cast<std::uint64_t>(bits >> 64));
      }
    }
  }
  const hsize_t hours = kHoursOfWeek;
  const auto storage = visits.empty() ? hdf5::Storage::contiguous : hdf5::Storage::compressed;
  write_raw(raw, "hour_of_week_visits", {r, personas, touchpoints, hours}, visits,
            "visits by replication, persona, touchpoint and hour of the week (Monday 00:00 first)",
            storage);
  write_raw(raw, "hour_of_week_emotion", {r, personas, touchpoints, hours, 4}, sums,
            "emotion_low,emotion_high,emotion_sq_low,emotion_sq_high: 128-bit two's complement "
            "fixed point, 62 fractional bits, least significant half first",
            storage);
}

// The lives traced in replication 0 (a day in the life): `traced` (organic, persona,
// arrived_hours) and `trace` (agent, journey, kind, touchpoint, hours, emotion), touchpoints
// and personas by id, a journey's end by its ending's name in `touchpoint`.
void write_trace(H5::Group& group, const CompiledJourney& journey, const CalendarReplication& rep) {
  {
    std::vector<std::uint64_t> organic;
    std::vector<std::string> persona;
    std::vector<double> arrived;
    for (const TracedAgent& a : rep.traced) {
      organic.push_back(a.organic);
      persona.push_back(journey.personas.at(a.persona).id);
      arrived.push_back(a.arrived_hours);
    }
    hdf5::CompoundTable table(rep.traced.size());
    table.add_u64("organic", organic);
    table.add_text("persona", persona);
    table.add_f64("arrived_hours", arrived);
    table.write(group, "traced");
  }
  std::vector<std::uint64_t> agent, number;
  std::vector<std::string> kind, touchpoint;
  std::vector<double> hours, emotion;
  for (const TraceStep& step : rep.trace) {
    agent.push_back(step.agent);
    number.push_back(step.journey);
    kind.emplace_back(kTraceKindNames.at(static_cast<std::size_t>(step.kind)));
    touchpoint.emplace_back(step.kind == TraceKind::journey_end
                                ? kCalendarEndingNames.at(step.touchpoint)
                                : journey.touchpoint_ids.at(step.touchpoint));
    hours.push_back(step.hours);
    emotion.push_back(step.emotion);
  }
  hdf5::CompoundTable table(rep.trace.size());
  table.add_u64("agent", agent);
  table.add_u64("journey", number);
  table.add_text("kind", kind);
  table.add_text("touchpoint", touchpoint);
  table.add_f64("hours", hours);
  table.add_f64("emotion", emotion);
  table.write(group, "trace");
}

// The index of `name` in `names`; throws naming the table and the value otherwise.
template <class Names>
std::uint32_t index_in(const Names& names, std::string_view name, const char* what) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::uint32_t>(i);
  }
  throw std::runtime_error(fmt::format("calendar/trace: no {} '{}'", what, name));
}

// The traced lives back, when the file has them (files of an earlier cjsim do not).
void read_trace(const H5::Group& group, const CompiledJourney& journey, CalendarReplication& rep) {
  if (!hdf5::has_link(group, "traced") || !hdf5::has_link(group, "trace")) return;
  const H5::DataSet traced = group.openDataSet("traced");
  const auto organic = hdf5::read_u64_column(traced, "organic");
  const auto persona = hdf5::read_text_column(traced, "persona");
  const auto arrived = hdf5::read_f64_column(traced, "arrived_hours");
  std::vector<std::string> persona_ids;
  for (const PersonaTables& p : journey.personas) persona_ids.push_back(p.id);
  for (std::size_t i = 0; i < organic.size(); ++i) {
    rep.traced.push_back(
        {organic[i], index_in(persona_ids, persona.at(i), "persona"), arrived.at(i)});
  }
  const H5::DataSet trace = group.openDataSet("trace");
  const auto agent = hdf5::read_u64_column(trace, "agent");
  const auto number = hdf5::read_u64_column(trace, "journey");
  const auto kind = hdf5::read_text_column(trace, "kind");
  const auto touchpoint = hdf5::read_text_column(trace, "touchpoint");
  const auto hours = hdf5::read_f64_column(trace, "hours");
  const auto emotion = hdf5::read_f64_column(trace, "emotion");
  for (std::size_t i = 0; i < agent.size(); ++i) {
    TraceStep step;
    if (agent[i] >= rep.traced.size()) {
      throw std::runtime_error(fmt::format("calendar/trace: agent {} was not traced", agent[i]));
    }
    step.agent = static_cast<std::uint32_t>(agent[i]);
    step.journey = static_cast<std::uint32_t>(number.at(i));
    step.kind = static_cast<TraceKind>(index_in(kTraceKindNames, kind.at(i), "kind"));
    step.touchpoint = step.kind == TraceKind::journey_end
                          ? index_in(kCalendarEndingNames, touchpoint.at(i), "ending")
                          : index_in(journey.touchpoint_ids, touchpoint.at(i), "touchpoint");
    step.hours = hours.at(i);
    step.emotion = emotion.at(i);
    rep.trace.push_back(step);
  }
}

void write_calendar_group(H5::Group& run, const CalendarRunData& data) {
  H5::Group group = run.createGroup(kGroup);
  hdf5::write_attribute(group, "format_version", kCalendarVersion);
  hdf5::write_attribute(group, "days", static_cast<std::uint64_t>(data.result->days));
  hdf5::write_attribute(group, "warmup_days",
                        static_cast<std::uint64_t>(data.result->warmup_days));
  hdf5::write_checksum(group);
  write_figures(group, *data.summary);
  write_series(group, "days", data.summary->day_figures, false);
  if (!data.summary->hour_figures.empty()) {
    write_series(group, "hours", data.summary->hour_figures, true);
  }
  write_resources(group, data.summary->resources);
  write_hour_of_week(group, data.summary->hour_of_week);
  write_replications(group, *data.result);
  write_raw_tallies(group, *data.result);
  if (!data.result->replications.empty()) {
    write_trace(group, *data.journey, data.result->replications.front());
  }
}

// A table of every future state's differences, one row per figure.
void write_differences(H5::Group& root, const CalendarComparisonReport& report) {
  std::vector<std::string> figure, resource, label, unit, future;
  std::vector<std::uint64_t> index, significant;
  std::vector<double> current, future_value, difference, low, high, paired, independent;
  for (std::size_t k = 0; k < report.differences.size(); ++k) {
    for (const CalendarDifference& d : report.differences[k]) {
      const Figure* f = find_calendar_figure(d.figure);
      figure.push_back(d.figure);
      resource.push_back(d.resource);
      label.emplace_back(f ? f->label : d.figure.c_str());
      unit.emplace_back(unit_key(f ? f->unit : Unit::count));
      future.push_back(report.names[k + 1]);
      index.push_back(k + 1);
      current.push_back(d.current.value);
      future_value.push_back(d.future.value);
      difference.push_back(d.difference.value);
      low.push_back(d.difference.low);
      high.push_back(d.difference.high);
      significant.push_back(std::isfinite(d.difference.low) &&
                                    (d.difference.low > 0.0 || d.difference.high < 0.0)
                                ? 1
                                : 0);
      paired.push_back(d.paired_half_width);
      independent.push_back(d.independent_half_width);
    }
  }
  hdf5::CompoundTable table(figure.size());
  table.add_text("figure", figure);
  table.add_text("resource", resource);
  table.add_text("label", label);
  table.add_text("unit", unit);
  table.add_text("scenario", future);
  table.add_u64("scenario_index", index);
  table.add_f64("current", current);
  table.add_f64("future", future_value);
  table.add_f64("difference", difference);
  table.add_f64("ci_low", low);
  table.add_f64("ci_high", high);
  table.add_u64("significant", significant);
  table.add_f64("paired_half_width", paired);
  table.add_f64("independent_half_width", independent);
  table.write(root, "differences");
}

// ---- Reading back ----

template <class T>
std::vector<T> read_raw(const H5::Group& raw, const std::string& name,
                        const std::vector<hsize_t>& dims) {
  hdf5::Array<T> a = hdf5::read_array<T>(raw, name);
  if (a.dims != dims) {
    std::string want, got;
    for (const hsize_t d : dims) want += (want.empty() ? "" : ", ") + std::to_string(d);
    for (const hsize_t d : a.dims) got += (got.empty() ? "" : ", ") + std::to_string(d);
    throw std::runtime_error(fmt::format("calendar/raw/{} is [{}], not [{}] as the run's "
                                         "replications, days and resources make it",
                                         name, got, want));
  }
  return std::move(a.values);
}

void read_raw_series(const H5::Group& raw, const std::string& prefix,
                     std::vector<CalendarReplication>& reps,
                     std::vector<CalendarDay> CalendarReplication::*bins, bool hourly) {
  const hsize_t count = hdf5::read_array<std::uint64_t>(raw, prefix + "_day").dims.at(0);
  const hsize_t r = reps.size();
  const auto day = read_raw<std::uint64_t>(raw, prefix + "_day", {count});
  const auto hour = read_raw<std::uint64_t>(raw, prefix + "_hour", {count});
  const auto counts = read_raw<std::uint64_t>(raw, prefix + "_counts", {r, count, kDayCounts.size()});
  const auto values = read_raw<double>(raw, prefix + "_values", {r, count, kDayValues.size()});
  std::size_t c = 0, v = 0;
  for (CalendarReplication& rep : reps) {
    (rep.*bins).resize(count);
    for (std::size_t b = 0; b < count; ++b) {
      CalendarDay& d = (rep.*bins)[b];
      d.day = static_cast<std::int64_t>(day[b]);
      d.hour = hourly ? static_cast<std::int64_t>(hour[b]) : -1;
      for (const auto member : kDayCounts) d.*member = counts[c++];
      for (const auto member : kDayValues) d.*member = values[v++];
    }
  }
}

// The hour-of-week tallies back, when the file has them (files of an earlier cjsim do not).
void read_raw_hour_of_week(const H5::Group& raw, std::vector<CalendarReplication>& reps,
                           std::size_t personas, std::size_t touchpoints) {
  for (CalendarReplication& rep : reps) {
    rep.hour_of_week = HourOfWeekTally::sized(personas, touchpoints);
  }
  if (!hdf5::has_link(raw, "hour_of_week_visits")) return;
  const hsize_t r = reps.size();
  const hsize_t hours = kHoursOfWeek;
  const auto visits =
      read_raw<std::uint64_t>(raw, "hour_of_week_visits", {r, personas, touchpoints, hours});
  const auto sums =
      read_raw<std::uint64_t>(raw, "hour_of_week_emotion", {r, personas, touchpoints, hours, 4});
  std::size_t at = 0, at_sum = 0;
  const auto next_sum = [&] {
    const uint128 bits = (static_cast<uint128>(sums[at_sum + 1]) << 64) | sums[at_sum];
    at_sum += 2;
    return BoundedSum::from_raw(static_cast<int128>(bits));
  };
  for (CalendarReplication& rep : reps) {
    HourOfWeekTally& t = rep.hour_of_week;
    for (std::size_t c = 0; c < t.visits.size(); ++c) {
      t.visits[c] = visits[at++];
      t.emotion[c] = next_sum();
      t.emotion_sq[c] = next_sum();
    }
  }
}

// The replications' tallies as simulated, the aggregates taken from the plain run's raw group.
CalendarRunResult read_calendar_result(const H5::Group& group, std::vector<Aggregate> aggregates,
                                       const RunMetadata& metadata, std::size_t resources,
                                       std::size_t touchpoints) {
  CalendarRunResult result;
  result.seed = metadata.seed;
  result.threads = metadata.threads;
  result.seconds = metadata.seconds;
  result.days = static_cast<std::int64_t>(hdf5::read_u64_attribute(group, "days"));
  result.warmup_days = static_cast<std::int64_t>(hdf5::read_u64_attribute(group, "warmup_days"));
  if (result.warmup_days >= result.days) {
    throw std::runtime_error(fmt::format("calendar: warmup_days {} leaves no day of {}",
                                         result.warmup_days, result.days));
  }
  const H5::Group raw = hdf5::open_group(group, "raw");
  const hsize_t r = aggregates.size();
  result.replications.resize(aggregates.size());
  for (std::size_t k = 0; k < aggregates.size(); ++k) {
    result.replications[k].aggregate = std::move(aggregates[k]);
  }
  auto& reps = result.replications;
  const auto counts =
      read_raw<std::uint64_t>(raw, "replication_counts", {r, kReplicationCounts.size()});
  const auto revenue = read_raw<double>(raw, "customer_revenue", {r});
  for (std::size_t k = 0; k < reps.size(); ++k) {
    for (std::size_t c = 0; c < kReplicationCounts.size(); ++c) {
      reps[k].*kReplicationCounts[c] = counts[k * kReplicationCounts.size() + c];
    }
    reps[k].customer_revenue = revenue[k];
  }
  const hsize_t personas = reps.empty() ? 0 : reps[0].aggregate.personas.size();
  const auto abandoned = read_raw<std::uint64_t>(raw, "abandoned", {r, personas});
  std::size_t at = 0;
  for (CalendarReplication& rep : reps) {
    for (OutcomeSums& p : rep.aggregate.personas) p.abandoned = abandoned[at++];
  }
  read_raw_series(raw, "day", reps, &CalendarReplication::days, false);
  read_raw_series(raw, "hour", reps, &CalendarReplication::hours, true);
  const hsize_t measured = static_cast<hsize_t>(result.days - result.warmup_days);
  if (!reps.empty() && reps[0].days.size() != measured) {
    throw std::runtime_error(fmt::format("calendar/raw/day_counts holds {} days, not the {} "
                                         "measured",
                                         reps[0].days.size(), measured));
  }
  const hsize_t k = resources;
  const hsize_t d = measured;
  const auto values = read_raw<double>(raw, "resource_values", {r, k, kResourceValues.size()});
  const auto resource_counts =
      read_raw<std::uint64_t>(raw, "resource_counts", {r, k, kResourceCounts.size()});
  const auto minutes = read_raw<std::uint64_t>(raw, "resource_wait_minutes",
                                               {r, k, static_cast<hsize_t>(kWaitBins)});
  const auto day_values =
      read_raw<double>(raw, "resource_day_values", {r, k, d, kResourceDayValues.size()});
  const auto day_counts =
      read_raw<std::uint64_t>(raw, "resource_day_counts", {r, k, d, kResourceDayCounts.size()});
  std::size_t at_value = 0, at_count = 0, at_minute = 0, at_day_value = 0, at_day_count = 0;
  for (CalendarReplication& rep : reps) {
    rep.resources.resize(resources);
    for (ResourceTally& t : rep.resources) {
      for (const auto member : kResourceValues) t.*member = values[at_value++];
      for (const auto member : kResourceCounts) t.*member = resource_counts[at_count++];
      std::copy_n(minutes.begin() + static_cast<std::ptrdiff_t>(at_minute), kWaitBins,
                  t.wait_minutes.begin());
      at_minute += kWaitBins;
      t.days.resize(d);
      for (ResourceDay& day : t.days) {
        for (const auto member : kResourceDayValues) day.*member = day_values[at_day_value++];
        for (const auto member : kResourceDayCounts) day.*member = day_counts[at_day_count++];
      }
    }
  }
  read_raw_hour_of_week(raw, reps, personas, touchpoints);
  return result;
}

struct ReadRun {
  RunMetadata metadata;
  CalendarSummary summary;
  CalendarRunResult result;
  CompiledJourney journey;
  CompiledCalendar calendar;
};

// The calendar run stored at `group_path`, its figures recomputed.
ReadRun read_calendar_run(const std::string& path, const std::string& group_path,
                          std::vector<std::string>& warnings) {
  StoredRun stored = read_run_file(path, group_path);
  if (!stored.checksummed) {
    warnings.push_back(fmt::format("{} was written without checksums: damage to it would go "
                                   "unnoticed",
                                   path));
  }
  ReadRun out;
  out.metadata = stored.metadata;
  const Scenario scenario = scenario_of(stored.metadata);
  if (!scenario.calendar) {
    throw std::runtime_error("the scenario stored with the calendar tallies has no calendar");
  }
  out.journey = compile(scenario);
  const H5::H5File file(path, H5F_ACC_RDONLY);
  H5::Group run = file.openGroup(group_path);
  const H5::Group group = hdf5::open_group(run, kGroup);
  if (!hdf5::verify_checksum(group)) {
    throw std::runtime_error("the file is damaged: the checksum of " + group.getObjName() +
                             " is missing");
  }
  const std::uint64_t version = hdf5::read_u64_attribute(group, "format_version");
  if (version > kCalendarVersion) {
    throw std::runtime_error(fmt::format("calendar format version {} is newer than this cjsim "
                                         "reads ({}); update cjsim",
                                         version, kCalendarVersion));
  }
  const auto days = static_cast<std::int64_t>(hdf5::read_u64_attribute(group, "days"));
  out.calendar = compile_calendar(scenario, out.journey, days);
  const Aggregate expected = Aggregate::for_journey(out.journey);
  for (const Aggregate& a : stored.replications) {
    if (a.personas.size() != expected.personas.size() ||
        a.transitions.size() != expected.transitions.size()) {
      throw std::runtime_error("the raw aggregates do not fit the journey stored with them");
    }
  }
  out.result = read_calendar_result(group, std::move(stored.replications), stored.metadata,
                                    out.calendar.resources.size(),
                                    out.journey.touchpoint_count());
  if (!out.result.replications.empty()) {
    read_trace(group, out.journey, out.result.replications.front());
  }
  out.summary = summarize_calendar(out.journey, out.calendar, out.result);
  return out;
}

}  // namespace

// The plain run's layout (per-journey figures and raw aggregates), then the calendar group.
void write_calendar_run(H5::Group& group, const RunMetadata& metadata,
                        const CalendarRunData& data) {
  RunResult plain;
  for (const CalendarReplication& r : data.result->replications) {
    plain.replications.push_back(r.aggregate);
  }
  plain.seed = data.result->seed;
  plain.threads = data.result->threads;
  plain.seconds = data.result->seconds;
  write_run(group, *data.journey, metadata, plain, data.summary->plain);
  write_calendar_group(group, data);
}

void write_calendar_comparison(H5::Group& root, const CalendarComparisonReport& report,
                               const std::vector<CalendarRunData>& runs) {
  hdf5::write_attribute(root, "format", kComparisonFormat);
  hdf5::write_attribute(root, "format_version", kCalendarComparisonVersion);
  hdf5::write_attribute(root, "method",
                        "differences paired by replication (same seed: the same organic "
                        "arrivals and agents' draws), Student t across replications");
  hdf5::write_checksum(root);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const std::string name = k == 0 ? "current" : fmt::format("future_{}", k);
    H5::Group group = root.createGroup(name);
    hdf5::write_attribute(group, "label", report.names[k]);
    write_calendar_run(group, report.metadata[k], runs[k]);
  }
  write_differences(root, report);
}

void write_calendar_run_file(PendingFile& file, const RunMetadata& metadata,
                             const CalendarRunData& run) {
  write_hdf5_file(file, [&](H5::Group& root) { write_calendar_run(root, metadata, run); });
}

void write_calendar_comparison_file(PendingFile& file, const CalendarComparisonReport& report,
                                    const std::vector<CalendarRunData>& runs) {
  write_hdf5_file(file, [&](H5::Group& root) { write_calendar_comparison(root, report, runs); });
}

bool has_calendar(const std::string& path, const std::string& group_path) {
  H5::Exception::dontPrint();
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    if (root.attrExists("format") &&
        hdf5::read_text_attribute(root, "format") == kComparisonFormat) {
      return true;
    }
    const std::string inside = group_path == "/" ? "" : group_path.substr(1) + "/";
    return hdf5::has_link(root, inside + kGroup);
  } catch (const H5::Exception&) {
    return false;  // not HDF5: the ordinary reader says why
  }
}

CalendarComparisonReport read_calendar_file(const std::string& path,
                                            std::vector<std::string>& warnings) {
  H5::Exception::dontPrint();
  try {
    CalendarComparisonReport report;
    std::vector<std::string> groups;
    {
      if (!std::filesystem::exists(path)) throw std::runtime_error("no such file");
      hdf5::check_file_bytes(path);
      const H5::H5File file(path, H5F_ACC_RDONLY);
      const H5::Group root = file.openGroup("/");
      const std::string format = hdf5::read_text_attribute(root, "format");
      if (format == kComparisonFormat) {
        if (hdf5::read_u64_attribute(root, "format_version") > kCalendarComparisonVersion) {
          throw std::runtime_error("the comparison's format version is newer than this cjsim "
                                   "reads; update cjsim");
        }
        if (!hdf5::verify_checksum(root)) {
          throw std::runtime_error("the file is damaged: the checksum of / is missing");
        }
        for (int k = 0;; ++k) {
          const std::string name = k == 0 ? "current" : fmt::format("future_{}", k);
          if (!hdf5::has_link(root, name)) break;
          groups.push_back("/" + name);
          report.names.push_back(
              hdf5::read_text_attribute(hdf5::open_group(root, name), "label"));
        }
        if (groups.size() < 2) throw std::runtime_error("the comparison holds no future state");
      } else {
        groups.push_back("/");
      }
    }
    std::vector<ReadRun> runs;
    for (const std::string& group : groups) {
      runs.push_back(read_calendar_run(path, group, warnings));
      report.metadata.push_back(runs.back().metadata);
      report.summaries.push_back(runs.back().summary);
    }
    if (report.names.empty()) report.names.push_back(runs.front().journey.name);
    report.replications = runs.front().metadata.replications;
    report.seconds = runs.front().metadata.seconds;
    for (std::size_t k = 1; k < runs.size(); ++k) {
      if (runs[k].result.replications.size() != runs[0].result.replications.size()) {
        throw std::runtime_error(fmt::format("{} and {} hold different numbers of replications",
                                             groups[0], groups[k]));
      }
      report.differences.push_back(calendar_differences(runs[0].result, runs[0].calendar,
                                                        runs[k].result, runs[k].calendar));
    }
    return report;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.getDetailMsg()));
  } catch (const std::exception& e) {
    const std::string what = e.what();
    if (what.starts_with(path)) throw;
    throw std::runtime_error(fmt::format("{}: {}", path, what));
  }
}

}  // namespace cjsim
