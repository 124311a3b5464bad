// Queues learnt from an event log's lifecycle transitions (schedule, assign, start, complete):
// per activity, the waits (schedule to start), the service times (start to complete), the
// instances abandoned (scheduled, never started), the customers' patience by maximum
// likelihood (MODEL.md "Capacity and queues": exponential patience) and the servers busy by
// weekday and hour, from which a resource's capacity and schedule are written.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/scenario.h"
#include "sim/model/compiled_calendar.h"  // kHoursPerWeek

namespace cjsim {

struct QueueFit {
  std::string touchpoint;  // the activity, by the data's name
  std::string resource;    // the resource written for it (set when the journey is written)
  // Instances queued (scheduled or assigned), started from the queue (served) and never
  // started (abandoned: withdrawn, or the case went on or ended without starting them).
  std::uint64_t queued = 0;
  std::uint64_t served = 0;
  std::uint64_t abandoned = 0;
  double abandonment_share = 0.0;  // abandoned / queued
  // The served instances' waits, schedule to start, in hours: mean and 90% quantile (the
  // smallest wait with at least 90% of them at or below it); 0 with none served.
  double mean_wait_hours = 0.0;
  double p90_wait_hours = 0.0;
  // Exposure: the hours waited by every instance queued, the served censored at their start,
  // the abandoned to when they left (withdrawn, else the case's last event).
  double total_wait_hours = 0.0;
  // Mean patience (hours) by maximum likelihood: total_wait_hours / abandoned, its standard
  // error (mean / sqrt(abandoned)) and 95% interval (Garwood's, on the abandonment rate).
  // Fitted only when some instance was abandoned after waiting: else `patience_fitted` is
  // false and `patience_note` says why (the patience is unbounded or not identified).
  bool patience_fitted = false;
  double patience_hours = 0.0;
  double patience_se = 0.0;
  double patience_low = 0.0;
  double patience_high = 0.0;
  std::string patience_note;
  // Service: start-complete pairs (served from the queue or not) and their mean hours.
  std::uint64_t services = 0;
  double mean_service_hours = 0.0;
  // Servers busy, by hour of the week (Monday 00:00-01:00 first, on the data's clock): the
  // mean services under way over that hour's occurrences in the data's span, and the servers
  // written: the 90% quantile over those occurrences of the hour's mean concurrent services,
  // rounded up (0: no service ever seen at that hour, closed). Capacity: the most servers.
  std::array<double, kHoursPerWeek> busy{};
  std::array<std::int64_t, kHoursPerWeek> servers{};
  std::int64_t capacity = 0;
  std::uint64_t span_days = 0;  // days from the first event's to the last's
};

// Pairs each activity's events within a customer and activity instance (concept:instance when
// the log names one, else one instance per customer and activity), in time order (file order
// for ties): a schedule (or an assign with no schedule waiting) queues an instance; a start
// takes the earliest instance queued (its wait) and opens a service; a complete closes the
// earliest open service (its service time); a withdraw (or ate_abort, pi_abort) abandons the
// earliest instance queued at its time; instances still queued when the customer's events end
// are abandoned at the customer's last event. One QueueFit per activity with an instance
// queued, in order of the activities' first events; empty when none is (no queue signal).
std::vector<QueueFit> fit_queues(const ObservedJourneys& data);

// The resource a queue fit gives: `capacity` servers, and the schedule of servers by weekday
// and hour.
Resource resource_of(const QueueFit& fit, const std::string& id);

}  // namespace cjsim
