// Comparison -> text, JSON and HDF5.
#include "reports/compare_report.h"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/hdf5_checksum.h"
#include "reports/hdf5_io.h"
#include "reports/hdf5_results.h"
#include "reports/hdf5_table.h"
#include "reports/json_report.h"
#include "reports/report_format.h"
#include "reports/text_report.h"
#include "scenarios/diagnostic.h"

namespace cjsim {
namespace {

bool is_rate(std::string_view metric) {
  return metric == "conversion_rate" || metric == "reach_rate" || metric == "dropout_rate";
}

// How a figure is shown: rates in percent (differences in points), others as numbers.
struct Style {
  double scale;
  int decimals;
  const char* unit;
  const char* difference_unit;
};

Style style_of(std::string_view metric) {
  if (is_rate(metric)) return {100.0, 2, " %", " pp"};
  if (metric == "nps") return {1.0, 1, "", ""};
  if (metric == "mean_emotion") return {1.0, 3, "", ""};
  return {1.0, 2, "", ""};
}

std::string value_text(double x, const Style& s) {
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:.{}f}{}", x * s.scale, s.decimals, s.unit);
}

std::string difference_text(double x, const Style& s) {
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:+.{}f}{}", x * s.scale, s.decimals, s.difference_unit);
}

std::string interval_text(const Estimate& e, const Style& s) {
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return "";
  return fmt::format("[{:+.{}f}, {:+.{}f}]", e.low * s.scale, s.decimals, e.high * s.scale,
                     s.decimals);
}

std::string pairing_text(const Difference& d) {
  if (!(d.paired_half_width > 0) || !std::isfinite(d.independent_half_width)) return "";
  return fmt::format("{:.1f}x narrower", d.independent_half_width / d.paired_half_width);
}

void difference_row(std::string& out, std::string_view label, const Difference& d) {
  const Style s = style_of(d.metric);
  out += fmt::format("  {:<26}{:>12}{:>12}{:>12}  {:<22}{:1} {}\n", label,
                     value_text(d.current.value, s), value_text(d.future.value, s),
                     difference_text(d.difference.value, s), interval_text(d.difference, s),
                     d.significant ? "*" : "", pairing_text(d));
}

void scenario_section(std::string& out, const ComparisonReport& r, std::size_t k) {
  out += fmt::format("\nFuture state {}: {} (vs {})\n", k, r.labels[k], r.labels[0]);
  out += fmt::format("  {:<26}{:>12}{:>12}{:>12}  {:<22}  {}\n", "", "current", "future",
                     "difference", "95% interval", "pairing");
  for (const Difference* d : differences_of(r, k, "overall")) {
    difference_row(out, metric_label(d->metric), *d);
  }
  out += "\n  Stages\n";
  for (const Difference* d : differences_of(r, k, "stage:")) {
    difference_row(out, fmt::format("{} {}", d->scope.substr(6), d->metric), *d);
  }
  out += "\n  Personas\n";
  for (const Difference* d : differences_of(r, k, "persona:")) {
    if (d->metric != "conversion_rate" && d->metric != "nps") continue;
    difference_row(out, fmt::format("{} {}", d->scope.substr(8), d->metric), *d);
  }
  const std::vector<const Difference*> touchpoints = moments_of_truth(r, k);
  out += "\n  Touchpoints that moved most (significant changes of dropout or emotion)\n";
  if (touchpoints.empty()) out += "  (none)\n";
  for (const Difference* d : touchpoints) {
    difference_row(out, fmt::format("{} {}", d->scope.substr(11), d->metric), *d);
  }
}

const Difference* overall(const ComparisonReport& r, std::size_t scenario,
                          std::string_view metric) {
  for (const Difference& d : r.differences) {
    if (d.scenario == scenario && d.scope == "overall" && d.metric == metric) return &d;
  }
  return nullptr;
}

}  // namespace

std::string comparison_method(std::uint32_t replications) {
  std::string method =
      "paired differences over the same agents (common random numbers); 95% intervals by the "
      "delta method on each agent's contributions (a ratio of sums for figures over customers, "
      "visits or a persona)";
  if (replications > 1) {
    method += fmt::format(
        "; with {} replications, Student t across the replications' differences", replications);
  }
  return method;
}

std::vector<std::size_t> rank_future_states(const ComparisonReport& r) {
  std::vector<std::size_t> order;
  for (std::size_t k = 1; k < r.labels.size(); ++k) order.push_back(k);
  auto value = [&](std::size_t k) {
    const Difference* d = overall(r, k, r.rank_by);
    return d && std::isfinite(d->difference.value) ? d->difference.value : -INFINITY;
  };
  const bool lower = lower_is_better(r.rank_by);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return lower ? value(a) < value(b) : value(a) > value(b);
  });
  return order;
}

std::string text_comparison(const ComparisonReport& r) {
  std::string out;
  const Summary& base = r.summaries.front();
  out += fmt::format("Comparison of {} with {}\n", counted(r.labels.size() - 1, "future state"),
                     r.labels[0]);
  out += fmt::format("{} paired agents x {}, seed {}, {:.2f} s\n",
                     with_thousands(base.agents_per_replication),
                     counted(base.replications, "replication"), r.metadata.front().seed, r.seconds);
  out += "Method: " + r.method + ". * marks a difference whose interval excludes 0; 'pairing' "
         "compares the interval's width with two independent runs of as many agents.\n";
  for (std::size_t k = 1; k < r.labels.size(); ++k) scenario_section(out, r, k);
  if (r.labels.size() > 2) {
    out += fmt::format("\nRanking by the difference in {}\n", r.rank_by);
    int rank = 1;
    for (std::size_t k : rank_future_states(r)) {
      const Difference* d = overall(r, k, r.rank_by);
      const Style s = style_of(r.rank_by);
      out += fmt::format("  {}. {:<40} {:>12}  {}{}\n", rank++, r.labels[k],
                         d ? difference_text(d->difference.value, s) : "n/a",
                         d ? interval_text(d->difference, s) : "", d && d->significant ? " *" : "");
    }
  }
  return out;
}

nlohmann::json comparison_json(const ComparisonReport& r) {
  nlohmann::json out;
  out["method"] = r.method;
  out["seed"] = r.metadata.front().seed;
  out["agents"] = r.summaries.front().agents_per_replication;
  out["replications"] = r.summaries.front().replications;
  out["seconds"] = r.seconds;
  nlohmann::json scenarios = nlohmann::json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    nlohmann::json s = summary_json(r.summaries[k], r.seconds);
    s["label"] = r.labels[k];
    s["path"] = r.metadata[k].scenario_path;
    s["role"] = k == 0 ? "current" : "future";
    scenarios.push_back(std::move(s));
  }
  out["scenarios"] = std::move(scenarios);
  nlohmann::json differences = nlohmann::json::array();
  for (const Difference& d : r.differences) {
    const nlohmann::json difference = estimate_json(d.difference);
    differences.push_back({{"metric", d.metric},
                           {"scope", d.scope},
                           {"scenario", r.labels[d.scenario]},
                           {"scenario_index", d.scenario},
                           {"current", estimate_json(d.current)["value"]},
                           {"future", estimate_json(d.future)["value"]},
                           {"difference", difference["value"]},
                           {"ci", difference["ci"]},
                           {"significant", d.significant},
                           {"paired_half_width", estimate_json({d.paired_half_width, 0, 0})["value"]},
                           {"independent_half_width",
                            estimate_json({d.independent_half_width, 0, 0})["value"]}});
  }
  out["differences"] = std::move(differences);
  nlohmann::json ranking = nlohmann::json::array();
  for (std::size_t k : rank_future_states(r)) ranking.push_back(r.labels[k]);
  out["rank_by"] = r.rank_by;
  out["ranking"] = std::move(ranking);
  return out;
}

void write_comparison_file(const std::string& path, const ComparisonReport& r,
                           const std::vector<const CompiledJourney*>& journeys,
                           const ComparisonRun& comparison, Overwrite overwrite) {
  write_file_atomically(path, [&](H5::Group& root) {
    hdf5::write_attribute(root, "format", "cjsim-comparison");
    hdf5::write_attribute(root, "format_version", std::uint64_t{2});  // 2: checksums
    hdf5::write_attribute(root, "method", r.method);
    hdf5::write_attribute(root, "rank_by", r.rank_by);
    hdf5::write_checksum(root);
    for (std::size_t k = 0; k < journeys.size(); ++k) {
      const std::string name = k == 0 ? "current" : fmt::format("future_{}", k);
      H5::Group group = root.createGroup(name);
      hdf5::write_attribute(group, "label", r.labels[k]);
      write_run(group, *journeys[k], r.metadata[k], comparison.runs[k], r.summaries[k]);
    }
    const std::vector<Difference>& ds = r.differences;
    hdf5::CompoundTable table(ds.size());
    auto text = [&](auto get) {
      std::vector<std::string> v;
      for (const Difference& d : ds) v.push_back(get(d));
      return v;
    };
    auto number = [&](auto get) {
      std::vector<double> v;
      for (const Difference& d : ds) v.push_back(get(d));
      return v;
    };
    table.add_text("metric", text([](const Difference& d) { return d.metric; }));
    table.add_text("scope", text([](const Difference& d) { return d.scope; }));
    table.add_text("scenario", text([&](const Difference& d) { return r.labels[d.scenario]; }));
    std::vector<std::uint64_t> index, significant;
    for (const Difference& d : ds) {
      index.push_back(d.scenario);
      significant.push_back(d.significant ? 1 : 0);
    }
    table.add_u64("scenario_index", index);
    table.add_f64("current", number([](const Difference& d) { return d.current.value; }));
    table.add_f64("future", number([](const Difference& d) { return d.future.value; }));
    table.add_f64("difference", number([](const Difference& d) { return d.difference.value; }));
    table.add_f64("ci_low", number([](const Difference& d) { return d.difference.low; }));
    table.add_f64("ci_high", number([](const Difference& d) { return d.difference.high; }));
    table.add_u64("significant", significant);
    table.add_f64("paired_half_width", number([](const Difference& d) { return d.paired_half_width; }));
    table.add_f64("independent_half_width",
                  number([](const Difference& d) { return d.independent_half_width; }));
    table.write(root, "differences");
  }, overwrite);
}

}  // namespace cjsim
