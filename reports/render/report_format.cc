// The one way every report writes a figure for people, by its unit in the figure table.
#include "reports/render/report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

// How each unit is written: scale, decimals, whether even a value carries its sign, thousands
// separators, and the unit after a value and after a difference.
struct UnitStyle {
  double scale;
  int decimals;
  bool always_signed;
  bool thousands;
  const char* suffix;
  const char* difference_suffix;
};

// `magnitude`: the size of what is written, for a unit whose style depends on it (a wait under
// an hour is written in minutes).
UnitStyle style_of(Unit unit, double magnitude) {
  switch (unit) {
    case Unit::share:
      return {100.0, 2, false, false, " %", " pp"};
    case Unit::money:
      return {1.0, 2, false, true, "", ""};
    case Unit::hours:
      return {1.0, 2, false, false, " h", " h"};
    case Unit::minutes:
      if (std::abs(magnitude) < 1.0) return {60.0, 1, false, false, " min", " min"};
      return {1.0, 2, false, false, " h", " h"};
    case Unit::nps_points:
      return {1.0, 1, true, false, "", ""};
    case Unit::emotion:
      return {1.0, 3, true, false, "", ""};
    case Unit::score:
    case Unit::count:
      return {1.0, 3, false, false, "", ""};
  }
  return {1.0, 3, false, false, "", ""};
}

// A name in neither table (figures.h, calendar_figures.h) is written as a count.
UnitStyle style_of(std::string_view metric, double magnitude) {
  const Figure* f = find_calendar_figure(ranked_figure(metric).figure);
  return style_of(f ? f->unit : Unit::count, magnitude);
}

// An interval's bounds share one style: the larger bound's.
double larger(const Estimate& e) { return std::max(std::abs(e.low), std::abs(e.high)); }

// The number in its unit's scale and decimals, signed for a difference.
std::string plain(const UnitStyle& u, double x, bool difference) {
  x *= u.scale;
  if (u.thousands) return difference && x >= 0 ? fmt::format("+{}", money(x)) : money(x);
  if (difference || u.always_signed) return fmt::format("{:+.{}f}", x, u.decimals);
  return fmt::format("{:.{}f}", x, u.decimals);
}

std::string with_unit(const UnitStyle& u, std::string number, bool difference) {
  return number + (difference ? u.difference_suffix : u.suffix);
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
  const UnitStyle u = style_of(metric, value);
  return with_unit(u, plain(u, value, false), false);
}

std::string interval_text(std::string_view metric, const Estimate& e) {
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return "";
  const UnitStyle u = style_of(metric, larger(e));
  return with_unit(u, fmt::format("[{}, {}]", plain(u, e.low, false), plain(u, e.high, false)),
                   false);
}

std::string difference_text(std::string_view metric, double difference) {
  if (!std::isfinite(difference)) return "n/a";
  const UnitStyle u = style_of(metric, difference);
  return with_unit(u, plain(u, difference, true), true);
}

std::string difference_interval_text(std::string_view metric, const Estimate& d) {
  if (!std::isfinite(d.low) || !std::isfinite(d.high)) return "";
  const UnitStyle u = style_of(metric, larger(d));
  return with_unit(u, fmt::format("[{}, {}]", plain(u, d.low, true), plain(u, d.high, true)), true);
}

double difference_in_display_units(std::string_view metric, double difference) {
  return difference * style_of(metric, difference).scale;
}

std::string metric_label(std::string_view metric) {
  const RankedFigure ranked = ranked_figure(metric);  // "desks.p90_wait_hours": at desks
  const Figure* f = find_calendar_figure(ranked.figure);
  if (f == nullptr) return std::string(metric);
  return ranked.resource.empty() ? f->label : fmt::format("{} at {}", f->label, ranked.resource);
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
    const Figure* f = find_figure(d->metric);
    if (d->significant && f && f->better != Better::neither) out.push_back(d);
  }
  auto size = [](const Difference* d) {
    return std::abs(difference_in_display_units(d->metric, d->difference.value));
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Difference* a, const Difference* b) { return size(a) > size(b); });
  if (out.size() > count) out.resize(count);
  return out;
}

}  // namespace cjsim
