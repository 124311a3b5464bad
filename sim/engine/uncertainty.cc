// Statistics over the draws of a run with uncertain inputs.
#include "sim/engine/uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/figures.h"

namespace cjsim {

namespace {

std::vector<double> defined(std::span<const double> values) {
  std::vector<double> out;
  for (double x : values) {
    if (std::isfinite(x)) out.push_back(x);
  }
  return out;
}

// The empirical quantile p of sorted values, linear between order statistics.
double quantile_of_sorted(const std::vector<double>& sorted, double p) {
  const double at = p * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(at));
  if (below + 1 >= sorted.size()) return sorted.back();
  const double a = sorted[below], b = sorted[below + 1];
  if (a == b) return a;
  return a + (at - static_cast<double>(below)) * (b - a);
}

}  // namespace

DrawInterval interval_over_draws(std::span<const double> values, double level) {
  std::vector<double> sorted = defined(values);
  if (sorted.empty()) return {kNaN, kNaN};
  std::sort(sorted.begin(), sorted.end());
  const double tail = (1.0 - level) / 2.0;
  return {quantile_of_sorted(sorted, tail), quantile_of_sorted(sorted, 1.0 - tail)};
}

double mean_over_draws(std::span<const double> values) {
  const std::vector<double> xs = defined(values);
  if (xs.empty()) return kNaN;
  double offsets = 0.0;
  for (double x : xs) offsets += x - xs.front();
  return xs.front() + offsets / static_cast<double>(xs.size());
}

DifferenceUncertainty difference_uncertainty(std::span<const double> differences,
                                             bool lower_is_better) {
  DifferenceUncertainty out;
  const std::vector<double> xs = defined(differences);
  out.draws = xs.size();
  out.expected = mean_over_draws(xs);
  out.interval = interval_over_draws(xs);
  if (xs.empty()) {
    out.probability_better = kNaN;
    return out;
  }
  double better = 0.0;
  for (double x : xs) {
    const double gain = lower_is_better ? -x : x;
    better += gain > 0.0 ? 1.0 : gain == 0.0 ? 0.5 : 0.0;
  }
  out.probability_better = better / static_cast<double>(xs.size());
  return out;
}

std::vector<DifferenceUncertainty> differences_uncertainty(
    std::span<const std::vector<Difference>> per_draw) {
  std::vector<DifferenceUncertainty> out;
  if (per_draw.empty()) return out;
  for (std::size_t i = 0; i < per_draw.front().size(); ++i) {
    std::vector<double> values;
    for (const std::vector<Difference>& draw : per_draw) values.push_back(draw[i].difference.value);
    out.push_back(difference_uncertainty(values, any_lower_is_better(per_draw.front()[i].metric)));
  }
  return out;
}

namespace {

// The correlation ratio of the output on each input over the draws `rows` (indices into the
// data), less the share classes of noise would show.
std::vector<double> first_order_of(std::span<const std::vector<double>> inputs,
                                   std::span<const double> output,
                                   const std::vector<std::size_t>& rows, std::size_t classes) {
  const std::size_t n = rows.size();
  const std::size_t d = inputs.empty() ? 0 : inputs.front().size();
  double mean = 0.0;
  for (std::size_t r : rows) mean += output[r];
  mean /= static_cast<double>(n);
  double total = 0.0;
  for (std::size_t r : rows) total += (output[r] - mean) * (output[r] - mean);
  std::vector<double> out(d, 0.0);
  if (!(total > 0.0)) return out;
  const double noise = static_cast<double>(classes - 1) / static_cast<double>(n - 1);
  std::vector<std::size_t> order = rows;
  for (std::size_t j = 0; j < d; ++j) {
    // Ties (a bootstrap repeats draws) are broken by the row, so the classes are the same on
    // every platform.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return inputs[a][j] != inputs[b][j] ? inputs[a][j] < inputs[b][j] : a < b;
    });
    double between = 0.0;
    for (std::size_t c = 0; c < classes; ++c) {
      const std::size_t begin = c * n / classes, end = (c + 1) * n / classes;
      if (end == begin) continue;
      double sum = 0.0;
      for (std::size_t i = begin; i < end; ++i) sum += output[order[i]];
      const double class_mean = sum / static_cast<double>(end - begin);
      between += static_cast<double>(end - begin) * (class_mean - mean) * (class_mean - mean);
    }
    out[j] = (between / total - noise) / (1.0 - noise);
  }
  return out;
}

}  // namespace

SobolResult first_order_sobol(std::span<const std::vector<double>> inputs,
                              std::span<const double> output, std::uint64_t seed,
                              std::size_t resamples) {
  SobolResult result;
  std::vector<std::size_t> rows;
  for (std::size_t k = 0; k < output.size(); ++k) {
    if (std::isfinite(output[k])) rows.push_back(k);
  }
  result.draws = rows.size();
  const std::size_t d = inputs.empty() ? 0 : inputs.front().size();
  if (rows.size() < 4 || d == 0) return result;
  result.classes = std::max<std::size_t>(
      2, static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(rows.size())))));
  double mean = 0.0;
  for (std::size_t r : rows) mean += output[r];
  mean /= static_cast<double>(rows.size());
  for (std::size_t r : rows) result.variance += (output[r] - mean) * (output[r] - mean);
  result.variance /= static_cast<double>(rows.size() - 1);

  const std::vector<double> index = first_order_of(inputs, output, rows, result.classes);
  // Bootstrap: resample the draws with replacement, from the raw words of the generator.
  std::mt19937_64 generator(seed);
  std::vector<double> sum(d, 0.0), sum_squares(d, 0.0);
  std::vector<std::size_t> resampled(rows.size());
  for (std::size_t b = 0; b < resamples; ++b) {
    for (std::size_t& r : resampled) r = rows[generator() % rows.size()];
    const std::vector<double> again = first_order_of(inputs, output, resampled, result.classes);
    for (std::size_t j = 0; j < d; ++j) {
      sum[j] += again[j];
      sum_squares[j] += again[j] * again[j];
    }
  }
  for (std::size_t j = 0; j < d; ++j) {
    SensitivityIndex s{j, index[j], 0.0, kNaN, kNaN};
    if (resamples > 1) {
      const double m = sum[j] / static_cast<double>(resamples);
      s.standard_error =
          std::sqrt(std::max(0.0, (sum_squares[j] - static_cast<double>(resamples) * m * m) /
                                      static_cast<double>(resamples - 1)));
    }
    result.ranked.push_back(s);
  }
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [](const SensitivityIndex& a, const SensitivityIndex& b) {
                     return a.first_order > b.first_order;
                   });
  return result;
}

namespace {

// Jansen's ratio over the draws `rows`: the mean half squared change when input j is taken
// from B, over the variance of f(A).
double jansen_total(std::span<const double> output, const std::vector<double>& frozen,
                    const std::vector<std::size_t>& rows) {
  const double n = static_cast<double>(rows.size());
  double mean = 0.0;
  for (std::size_t r : rows) mean += output[r];
  mean /= n;
  double variance = 0.0, change = 0.0;
  for (std::size_t r : rows) {
    variance += (output[r] - mean) * (output[r] - mean);
    change += (output[r] - frozen[r]) * (output[r] - frozen[r]);
  }
  variance /= n - 1.0;
  if (!(variance > 0.0)) return kNaN;
  return change / (2.0 * n) / variance;
}

}  // namespace

void add_total_sobol(SobolResult& result, std::span<const double> output,
                     std::span<const std::vector<double>> frozen, std::uint64_t seed,
                     std::size_t resamples) {
  std::mt19937_64 generator(seed);
  for (SensitivityIndex& index : result.ranked) {
    const std::vector<double>& changed = frozen[index.input];
    std::vector<std::size_t> rows;
    for (std::size_t k = 0; k < output.size() && k < changed.size(); ++k) {
      if (std::isfinite(output[k]) && std::isfinite(changed[k])) rows.push_back(k);
    }
    if (rows.size() < 4) continue;
    index.total = jansen_total(output, changed, rows);
    if (!std::isfinite(index.total) || resamples < 2) continue;
    double sum = 0.0, sum_squares = 0.0;
    std::size_t counted = 0;
    std::vector<std::size_t> resampled(rows.size());
    for (std::size_t b = 0; b < resamples; ++b) {
      for (std::size_t& r : resampled) r = rows[generator() % rows.size()];
      const double again = jansen_total(output, changed, resampled);
      if (!std::isfinite(again)) continue;
      sum += again;
      sum_squares += again * again;
      ++counted;
    }
    if (counted < 2) continue;
    const double m = sum / static_cast<double>(counted);
    index.total_error =
        std::sqrt(std::max(0.0, (sum_squares - static_cast<double>(counted) * m * m) /
                                    static_cast<double>(counted - 1)));
  }
}

std::vector<double> ranked_outputs(const std::vector<Summary>& summaries,
                                   const std::vector<Difference>& differences,
                                   std::string_view figure) {
  if (summaries.size() == 1) {
    const Figure& f = cjsim::figure(figure);
    return {(summaries.front().overall.*f.member).value};
  }
  std::vector<double> out(summaries.size() > 0 ? summaries.size() - 1 : 0, kNaN);
  for (const Difference& d : differences) {
    if (is_difference_of(d, figure) && d.versus == 0 && d.scenario >= 1 &&
        d.scenario <= out.size()) {
      out[d.scenario - 1] = d.difference.value;
    }
  }
  return out;
}

std::vector<double> figure_over_draws(const UncertaintyReport& report, std::size_t scenario,
                                      std::string_view figure) {
  const Figure& f = cjsim::figure(figure);
  std::vector<double> out;
  for (const std::vector<Summary>& draw : report.summaries) {
    out.push_back((draw[scenario].overall.*f.member).value);
  }
  return out;
}

std::vector<double> difference_over_draws(const UncertaintyReport& report, std::size_t scenario,
                                          std::size_t versus, std::string_view figure) {
  std::vector<double> out;
  for (std::size_t k = 0; k < report.draws; ++k) {
    const std::vector<Difference>& list = versus == 0 ? report.differences[k] : report.rivals[k];
    for (const Difference& d : list) {
      if (is_difference_of(d, figure) && d.scenario == scenario && d.versus == versus) {
        out.push_back(d.difference.value);
        break;
      }
    }
  }
  if (out.size() != report.draws) out.clear();
  return out;
}

double probability_beats(const UncertaintyReport& report, std::size_t scenario, std::size_t versus,
                         std::string_view figure) {
  const bool lower = ranked_lower_is_better(figure);
  if (versus == 0) {
    return difference_uncertainty(difference_over_draws(report, scenario, 0, figure), lower)
        .probability_better;
  }
  const bool later = scenario > versus;
  const double p = difference_uncertainty(difference_over_draws(report, later ? scenario : versus,
                                                                later ? versus : scenario, figure),
                                          lower)
                       .probability_better;
  return later ? p : 1.0 - p;
}

void rank_uncertain_inputs(UncertaintyReport& report, std::string_view figure) {
  report.sensitivity.clear();
  const bool totals = !report.frozen.empty();
  report.estimator = fmt::format(
      "first-order Sobol indices from the {} draws (given data: the draws sorted by each input "
      "in about sqrt(draws) classes, the variance of the class means over the total, less the "
      "share noise would give){}; error: the standard deviation over 200 bootstrap resamples of "
      "the draws",
      report.draws,
      totals ? fmt::format("; total indices by Jansen's pick-freeze estimator, from {} more "
                           "draws (each draw again with one input taken from a second Latin "
                           "hypercube)",
                           report.draws * report.inputs.size())
             : std::string());
  const std::uint64_t seed = report.design_seed + 1;
  if (report.summaries.empty()) return;
  const std::size_t scenarios = report.summaries.front().size();
  const std::size_t targets = scenarios == 1 ? 1 : scenarios - 1;
  // output[t][k]: target t at draw k.
  std::vector<std::vector<double>> output(targets);
  for (std::size_t k = 0; k < report.summaries.size(); ++k) {
    const std::vector<double> values = ranked_outputs(
        report.summaries[k],
        k < report.differences.size() ? report.differences[k] : std::vector<Difference>{}, figure);
    for (std::size_t t = 0; t < targets; ++t) output[t].push_back(values[t]);
  }
  for (std::size_t t = 0; t < targets; ++t) {
    const std::size_t scenario = scenarios == 1 ? 0 : t + 1;
    if (scenario > 0 && difference_over_draws(report, scenario, 0, figure).empty()) continue;
    SobolResult result = first_order_sobol(report.quantiles, output[t], seed);
    if (totals) {
      std::vector<std::vector<double>> frozen(report.frozen.size());
      for (std::size_t j = 0; j < report.frozen.size(); ++j) {
        for (const std::vector<double>& values : report.frozen[j]) frozen[j].push_back(values[t]);
      }
      add_total_sobol(result, output[t], frozen, seed + 1);
    }
    report.sensitivity.push_back({std::string(figure), scenario, std::move(result)});
  }
}

}  // namespace cjsim
