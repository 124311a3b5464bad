// Units and labels of the reported figures.
#include "reports/render/report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace cjsim {
namespace {

enum class Unit { rate, money, hours, points, emotion, number };

Unit unit_of(std::string_view metric) {
  if (metric == "conversion_rate" || metric == "reach_rate" || metric == "dropout_rate" ||
      metric == "share") {
    return Unit::rate;
  }
  if (metric.ends_with("revenue_per_agent") || metric == "cost_per_agent" ||
      metric == "margin_per_agent") {
    return Unit::money;
  }
  if (metric == "hours_to_convert" || metric == "journey_hours") return Unit::hours;
  if (metric == "nps") return Unit::points;
  if (metric == "mean_emotion" || metric == "peak_end") return Unit::emotion;
  return Unit::number;
}

// The number in the unit, without sign handling.
std::string plain(Unit unit, double x, bool sign) {
  switch (unit) {
    case Unit::rate:
      return sign ? fmt::format("{:+.2f}", 100.0 * x) : fmt::format("{:.2f}", 100.0 * x);
    case Unit::money:
      return sign && x >= 0 ? fmt::format("+{}", money(x)) : money(x);
    case Unit::hours:
      return sign ? fmt::format("{:+.2f}", x) : fmt::format("{:.2f}", x);
    case Unit::points:
      return fmt::format("{:+.1f}", x);
    case Unit::emotion:
      return fmt::format("{:+.3f}", x);
    case Unit::number:
      return sign ? fmt::format("{:+.3f}", x) : fmt::format("{:.3f}", x);
  }
  return "";
}

std::string with_unit(Unit unit, std::string number, bool difference) {
  if (unit == Unit::rate) return number + (difference ? " pp" : " %");
  if (unit == Unit::hours) return number + " h";
  return number;
}

}  // namespace

std::string money(double value) {
  if (!std::isfinite(value)) return "n/a";
  const std::string digits = fmt::format("{:.2f}", std::abs(value));
  const std::size_t point = digits.find('.');
  std::string out;
  for (std::size_t i = 0; i < point; ++i) {
    if (i > 0 && (point - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  out += digits.substr(point);
  return (value < 0 && out != "0.00" ? "-" : "") + out;
}

std::string figure_text(std::string_view metric, double value) {
  if (!std::isfinite(value)) return "n/a";
  const Unit unit = unit_of(metric);
  return with_unit(unit, plain(unit, value, false), false);
}

std::string interval_text(std::string_view metric, const Estimate& e) {
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return "";
  const Unit unit = unit_of(metric);
  return with_unit(
      unit, fmt::format("[{}, {}]", plain(unit, e.low, false), plain(unit, e.high, false)), false);
}

std::string difference_text(std::string_view metric, double difference) {
  if (!std::isfinite(difference)) return "n/a";
  const Unit unit = unit_of(metric);
  return with_unit(unit, plain(unit, difference, true), true);
}

std::string difference_interval_text(std::string_view metric, const Estimate& d) {
  if (!std::isfinite(d.low) || !std::isfinite(d.high)) return "";
  const Unit unit = unit_of(metric);
  return with_unit(
      unit, fmt::format("[{}, {}]", plain(unit, d.low, true), plain(unit, d.high, true)), true);
}

std::string metric_label(std::string_view metric) {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"conversion_rate", "Conversion rate"},
      {"revenue_per_agent", "Revenue per agent"},
      {"cost_per_agent", "Cost per agent"},
      {"margin_per_agent", "Margin per agent"},
      {"hours_to_convert", "Hours to convert"},
      {"journey_hours", "Journey length (hours)"},
      {"steps_per_agent", "Touchpoints per agent"},
      {"nps", "NPS (customers)"},
      {"likelihood_to_recommend", "Likelihood to recommend (0-10)"},
      {"peak_end", "Peak-end emotion"},
      {"reach_rate", "Reach"},
      {"dropout_rate", "Dropout"},
      {"mean_emotion", "Mean emotion"},
      {"visits_per_agent", "Visits per agent"},
  };
  const auto found = labels.find(metric);
  return found == labels.end() ? std::string(metric) : found->second;
}

bool lower_is_better(std::string_view metric) {
  return metric == "cost_per_agent" || metric == "hours_to_convert" || metric == "dropout_rate" ||
         metric == "journey_hours";
}

std::vector<const Difference*> differences_of(const ComparisonReport& r, std::size_t scenario,
                                              std::string_view scope_prefix) {
  std::vector<const Difference*> out;
  for (const Difference& d : r.differences) {
    if (d.scenario == scenario && d.scope.starts_with(scope_prefix)) out.push_back(&d);
  }
  return out;
}

std::vector<const Difference*> moments_of_truth(const ComparisonReport& r, std::size_t scenario,
                                                std::size_t count) {
  std::vector<const Difference*> out;
  for (const Difference* d : differences_of(r, scenario, "touchpoint:")) {
    if (d->significant && d->metric != "visits_per_agent") out.push_back(d);
  }
  auto size = [](const Difference* d) {
    return std::abs(d->difference.value) * (d->metric == "mean_emotion" ? 1.0 : 100.0);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Difference* a, const Difference* b) { return size(a) > size(b); });
  if (out.size() > count) out.resize(count);
  return out;
}

}  // namespace cjsim
