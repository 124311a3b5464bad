// Calendar summary -> JSON and text.
#include "reports/render/calendar_report.h"

#include <fmt/format.h>

#include <cmath>

#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/text_report.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

nlohmann::json resource_json(const ResourceFigures& f) {
  nlohmann::json row{{"id", f.id},
                     {"lane", f.lane},
                     {"arrivals", f.arrivals},
                     {"served", f.served},
                     {"abandoned", f.abandoned}};
  put_estimate(row, "utilisation", f.utilisation);
  put_estimate(row, "mean_wait_hours", f.mean_wait_hours);
  put_estimate(row, "p90_wait_hours", f.p90_wait_hours);
  put_estimate(row, "mean_queue", f.mean_queue);
  put_estimate(row, "abandonment_rate", f.abandonment_rate);
  put_estimate(row, "staff_cost", f.staff_cost);
  put_estimate(row, "server_hours", f.offered_hours);
  row["days"] = nlohmann::json::array();
  for (const ResourceDayFigures& d : f.days) {
    nlohmann::json day{{"day", d.day}};
    put_estimate(day, "utilisation", d.utilisation);
    put_estimate(day, "mean_queue", d.mean_queue);
    put_estimate(day, "mean_wait_hours", d.mean_wait_hours);
    put_estimate(day, "abandoned", d.abandoned);
    put_estimate(day, "staff_cost", d.staff_cost);
    row["days"].push_back(day);
  }
  return row;
}

nlohmann::json day_json(const DayFigures& f) {
  nlohmann::json row{{"day", f.day}};
  if (f.hour >= 0) row["hour"] = f.hour;
  put_estimate(row, "arrivals_organic", f.arrivals_organic);
  put_estimate(row, "arrivals_referred", f.arrivals_referred);
  put_estimate(row, "arrivals_returning", f.arrivals_returning);
  put_estimate(row, "deterred", f.deterred);
  put_estimate(row, "conversions", f.conversions);
  put_estimate(row, "repeat_purchases", f.repeat_purchases);
  put_estimate(row, "revenue", f.revenue);
  put_estimate(row, "abandoned", f.abandoned);
  put_estimate(row, "mean_wait_hours", f.mean_wait_hours);
  put_estimate(row, "nps", f.nps);
  return row;
}

std::string fixed(double x, int decimals, std::string_view unit = "") {
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:.{}f}{}", x, decimals, unit);
}

std::string interval(const Estimate& e, int decimals, double scale = 1.0) {
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return "";
  return fmt::format("[{:.{}f}, {:.{}f}]", e.low * scale, decimals, e.high * scale, decimals);
}

void line(std::string& out, std::string_view label, const Estimate& e, int decimals,
          std::string_view unit = "", double scale = 1.0) {
  out += fmt::format("  {:<28}{:>14}  {}\n", label, fixed(e.value * scale, decimals, unit),
                     interval(e, decimals, scale));
}

}  // namespace

nlohmann::json calendar_summary_json(const CalendarSummary& s, double seconds) {
  nlohmann::json out = summary_json(s.plain, seconds);
  out["ended"]["abandoned"] = s.abandoned;
  // The plain keys count journeys; a calendar run says so, and what the agents were.
  out["days"] = nlohmann::json::array();
  for (const DayFigures& day : s.day_figures) out["days"].push_back(day_json(day));
  // A run of a few days is also given hour by hour.
  if (!s.hour_figures.empty()) {
    out["hours"] = nlohmann::json::array();
    for (const DayFigures& hour : s.hour_figures) out["hours"].push_back(day_json(hour));
  }
  out["run_days"] = s.days;
  out["warmup_days"] = s.warmup_days;
  out["organic_agents"] = s.organic_agents;
  out["referred_agents"] = s.referred_agents;
  out["journeys"] = s.journeys;
  out["returning_journeys"] = s.returning_journeys;
  out["deterred"] = s.deterred;
  out["referrals_made"] = s.referrals_made;
  out["customers"] = s.customers;
  put_estimate(out, "organic_agents_per_day", s.organic_agents_per_day);
  put_estimate(out, "referred_per_organic", s.referred_per_organic);
  put_estimate(out, "journeys_per_customer", s.journeys_per_customer);
  put_estimate(out, "lifetime_value", s.lifetime_value);
  put_estimate(out, "staff_cost", s.staff_cost);
  out["resources"] = nlohmann::json::array();
  for (const ResourceFigures& r : s.resources) out["resources"].push_back(resource_json(r));
  // A day in the life: per persona and touchpoint with a visit, 168 hours from Monday 00:00.
  out["hour_of_week"] = nlohmann::json::array();
  for (const HourOfWeekRow& row : s.hour_of_week) {
    nlohmann::json emotion = nlohmann::json::array();
    for (const double e : row.mean_emotion) {
      emotion.push_back(std::isfinite(e) ? nlohmann::json(e) : nlohmann::json(nullptr));
    }
    out["hour_of_week"].push_back({{"persona", row.persona_id},
                                   {"touchpoint", row.touchpoint_id},
                                   {"visits", row.visits},
                                   {"mean_emotion", std::move(emotion)}});
  }
  return out;
}

std::string calendar_text_report(const CalendarSummary& s, const RunMetadata& metadata) {
  std::string out = text_report(s.plain, metadata);
  out += fmt::format("\nCalendar: {} days", s.days);
  if (s.warmup_days > 0) out += fmt::format(", the first {} left out as warm-up", s.warmup_days);
  out += fmt::format("; figures above are per journey ({} journeys)\n", with_thousands(s.journeys));
  out += fmt::format("  {:<28}{:>14}\n", "Organic agents", with_thousands(s.organic_agents));
  out += fmt::format("  {:<28}{:>14}\n", "Referred agents", with_thousands(s.referred_agents));
  out +=
      fmt::format("  {:<28}{:>14}\n", "Returning journeys", with_thousands(s.returning_journeys));
  out += fmt::format("  {:<28}{:>14}\n", "Deterred arrivals", with_thousands(s.deterred));
  out +=
      fmt::format("  {:<28}{:>14}\n", "Abandoned (gave up waiting)", with_thousands(s.abandoned));
  out += fmt::format("  {:<28}{:>14}\n", "Customers", with_thousands(s.customers));
  line(out, "Organic agents per day", s.organic_agents_per_day, 1);
  line(out, "Referred per organic agent", s.referred_per_organic, 3);
  line(out, "Journeys per customer", s.journeys_per_customer, 3);
  line(out, "Lifetime value (in the run)", s.lifetime_value, 2);
  line(out, "Staff cost", s.staff_cost, 2);
  if (!s.resources.empty()) {
    out +=
        "\nResources          utilisation   mean wait    p90 wait  mean queue   abandoned"
        "    staff cost\n";
    for (const ResourceFigures& r : s.resources) {
      out +=
          fmt::format("  {:<16}{:>12}  {:>10}  {:>10}  {:>10}  {:>10}  {:>12}\n", r.id,
                      fixed(r.utilisation.value * 100.0, 1, " %"),
                      fixed(r.mean_wait_hours.value * 60.0, 1, " min"),
                      fixed(r.p90_wait_hours.value * 60.0, 1, " min"), fixed(r.mean_queue.value, 2),
                      with_thousands(r.abandoned), fixed(r.staff_cost.value, 0));
    }
  }
  if (!s.day_figures.empty()) {
    out +=
        "\nDay   organic  referred  returning  deterred  conversions  repeat     revenue"
        "  abandoned  mean wait    NPS\n";
    for (const DayFigures& d : s.day_figures) {
      out += fmt::format(
          "{:>3}  {:>8}  {:>8}  {:>9}  {:>8}  {:>11}  {:>6}  {:>10}  {:>9}  {:>9}"
          "  {:>5}\n",
          d.day, fixed(d.arrivals_organic.value, 0), fixed(d.arrivals_referred.value, 0),
          fixed(d.arrivals_returning.value, 0), fixed(d.deterred.value, 0),
          fixed(d.conversions.value, 0), fixed(d.repeat_purchases.value, 0),
          fixed(d.revenue.value, 0), fixed(d.abandoned.value, 0),
          fixed(d.mean_wait_hours.value * 60.0, 1, "m"), fixed(d.nps.value, 0));
    }
  }
  return out;
}

nlohmann::json calendar_comparison_json(const CalendarComparisonReport& report) {
  nlohmann::json out;
  out["replications"] = report.replications;
  out["seconds"] = report.seconds;
  out["interval_method"] =
      "differences paired by replication (same seed: the same organic arrivals and early draws), "
      "Student t across replications; none from one replication";
  out["scenarios"] = nlohmann::json::array();
  for (std::size_t k = 0; k < report.summaries.size(); ++k) {
    nlohmann::json scenario = calendar_summary_json(report.summaries[k], report.seconds);
    scenario.erase("seconds");
    scenario["name"] = report.names[k];
    out["scenarios"].push_back(std::move(scenario));
  }
  out["differences"] = nlohmann::json::array();
  for (std::size_t k = 0; k < report.differences.size(); ++k) {
    nlohmann::json figures = nlohmann::json::array();
    for (const CalendarDifference& d : report.differences[k]) {
      nlohmann::json row{
          {"figure", d.figure},
          {"resource", d.resource.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.resource)}};
      put_estimate(row, "current", d.current);
      put_estimate(row, "future", d.future);
      put_estimate(row, "difference", d.difference);
      row["paired_half_width"] = json_number(d.paired_half_width);
      row["independent_half_width"] = json_number(d.independent_half_width);
      row["significant"] =
          std::isfinite(d.difference.low) && (d.difference.low > 0.0 || d.difference.high < 0.0);
      figures.push_back(std::move(row));
    }
    out["differences"].push_back(
        {{"current", report.names.front()}, {"future", report.names[k + 1]}, {"figures", figures}});
  }
  return out;
}

std::string calendar_comparison_text(const CalendarComparisonReport& report) {
  std::string out;
  out += fmt::format("Calendar journeys compared over {} ({} s)\n",
                     report.replications == 1 ? std::string("1 replication")
                                              : fmt::format("{} replications", report.replications),
                     fixed(report.seconds, 2));
  out += "Differences paired by replication (same seed: the same organic arrivals and agents' "
         "draws); * the interval excludes 0\n";
  for (std::size_t k = 0; k < report.differences.size(); ++k) {
    out += fmt::format("\n{} -> {}\n", report.names.front(), report.names[k + 1]);
    out += fmt::format("  {:<40}{:>14}{:>14}{:>14}  {:<28}{}\n", "figure", "current", "future",
                       "difference", "[95% interval]", "better");
    for (const CalendarDifference& d : report.differences[k]) {
      const std::string label = metric_label(d.figure);
      const std::string name =
          d.resource.empty() ? label : fmt::format("{} ({})", label, d.resource);
      const Figure* f = find_calendar_figure(d.figure);
      const std::string better = f == nullptr || f->better == Better::neither ? ""
                                 : f->better == Better::higher               ? "higher"
                                                                             : "lower";
      const bool significant = std::isfinite(d.difference.low) &&
                               (d.difference.low > 0.0 || d.difference.high < 0.0);
      out += fmt::format("  {:<40}{:>14}{:>14}{:>14}  {:<28}{}\n", name,
                         figure_text(d.figure, d.current.value),
                         figure_text(d.figure, d.future.value),
                         difference_text(d.figure, d.difference.value) + (significant ? " *" : "  "),
                         difference_interval_text(d.figure, d.difference), better);
    }
  }
  return out;
}

}  // namespace cjsim
