// Standard errors and bootstrap resamples of the fitted parameters, written as uncertain forms.
#include "models/fit/parameter_uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/uncertain.h"
#include "sim/engine/statistics.h"

namespace cjsim {
namespace {

UncertainValue normal_form(double mean, double sd) {
  UncertainValue u;
  u.form = UncertainValue::Form::normal;
  u.parameters = {mean, sd};
  return u;
}

UncertainValue beta_form(double alpha, double beta) {
  UncertainValue u;
  u.form = UncertainValue::Form::beta;
  u.parameters = {alpha, beta};
  return u;
}

// Sets `field` of `fields` to a normal around `value` with sd `sd`, when the sd says anything.
bool set_normal(UncertainFields& fields, const char* field, double value, double sd) {
  if (!(sd > 0.0) || !std::isfinite(sd) || !std::isfinite(value)) return false;
  fields[field] = normal_form(value, sd);
  return true;
}

// The beta of mean `p` and standard deviation `sd` (moments matched); the field takes the
// beta's mean, as a file read back gives it. A dropout the data put at 0 or 1, or with no
// spread, stays known. A spread wider than any beta of that mean allows is cut to the widest
// (alpha + beta -> 0.01).
bool set_beta(UncertainFields& fields, double& value, double sd) {
  const double p = value;
  if (!(p > 0.0 && p < 1.0) || !(sd > 0.0) || !std::isfinite(sd)) return false;
  const double size = std::max(p * (1.0 - p) / (sd * sd) - 1.0, 0.01);
  const UncertainValue form = beta_form(p * size, (1.0 - p) * size);
  value = uncertain_mean(form);
  fields["dropout"] = form;
  return true;
}

// What one customer on a path adds to the chain's counts, as (slot, amount) pairs; the slots
// are per touchpoint (kSlots each) then per transition.
enum Slot : std::uint32_t {
  kVisits,
  kStops,
  kEntries,
  kConversions,
  kValue,
  kGapHours,
  kGaps,
  kSlots
};

struct Contributions {
  std::size_t touchpoints = 0;
  std::size_t slots = 0;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> per_path;
  std::vector<std::uint64_t> customers;  // per path
  std::uint64_t total = 0;
  std::vector<std::uint32_t> source;  // per transition: its from touchpoint
};

Contributions contributions_of(const MarkovFit& fit, const ObservedJourneys& data) {
  const Scenario& s = fit.scenario;
  const ObservedJourneys fitted = in_fitted_terms(data, fit);
  Contributions c;
  c.touchpoints = s.touchpoints.size();
  c.slots = kSlots * c.touchpoints + s.transitions.size();
  std::map<std::string, std::uint32_t, std::less<>> index;
  for (std::uint32_t v = 0; v < s.touchpoints.size(); ++v) index[s.touchpoints[v].id] = v;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> transition;
  for (std::uint32_t e = 0; e < s.transitions.size(); ++e) {
    const std::uint32_t from = index.at(s.transitions[e].from);
    transition[{from, index.at(s.transitions[e].to)}] = e;
    c.source.push_back(from);
  }
  auto slot = [&](std::uint32_t v, Slot k) { return static_cast<std::uint32_t>(kSlots * v + k); };
  for (const ObservedPath& p : fitted.paths) {
    if (p.count == 0 || p.touchpoints.empty()) continue;
    std::map<std::uint32_t, double> adds;
    const bool timed = p.hours.size() == p.touchpoints.size();
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::uint32_t v = p.touchpoints[i];
      adds[slot(v, kVisits)] += 1.0;
      if (i == 0) adds[slot(v, kEntries)] += 1.0;
      if (static_cast<std::int64_t>(i) == p.conversion_step) {
        adds[slot(v, kConversions)] += 1.0;
        adds[slot(v, kValue)] += p.value / static_cast<double>(p.count);
      }
      if (i + 1 < p.touchpoints.size()) {
        const auto e = transition.at({v, p.touchpoints[i + 1]});
        adds[static_cast<std::uint32_t>(kSlots * c.touchpoints + e)] += 1.0;
        if (timed) {
          adds[slot(v, kGapHours)] += p.hours[i + 1] - p.hours[i];
          adds[slot(v, kGaps)] += 1.0;
        }
      } else {
        adds[slot(v, kStops)] += 1.0;
      }
    }
    c.per_path.emplace_back(adds.begin(), adds.end());
    c.customers.push_back(p.count);
    c.total += p.count;
  }
  return c;
}

// The chain's counts for `customers` per path.
std::vector<double> counts_of(const Contributions& c, const std::vector<std::uint64_t>& customers) {
  std::vector<double> counts(c.slots, 0.0);
  for (std::size_t i = 0; i < c.per_path.size(); ++i) {
    if (customers[i] == 0) continue;
    const double m = static_cast<double>(customers[i]);
    for (const auto& [slot, amount] : c.per_path[i]) counts[slot] += m * amount;
  }
  return counts;
}

// The fitted values a chain of these counts has, per parameter: dropout, entry share and mean
// value and hours per touchpoint, choice share per transition; NaN where undefined.
struct ChainValues {
  std::vector<double> dropout, entry_share, value, hours, choice_share;
};

ChainValues values_of(const Contributions& c, const std::vector<double>& counts) {
  const std::size_t n = c.touchpoints;
  auto at = [&](std::size_t v, Slot k) { return counts[kSlots * v + k]; };
  ChainValues out;
  std::vector<double> leaves(n, 0.0);
  double customers = 0.0;
  for (std::size_t v = 0; v < n; ++v) {
    leaves[v] = at(v, kVisits) - at(v, kStops);
    customers += at(v, kEntries);
  }
  for (std::size_t v = 0; v < n; ++v) {
    out.dropout.push_back(at(v, kVisits) > 0 ? at(v, kStops) / at(v, kVisits) : kNaN);
    out.entry_share.push_back(customers > 0 ? at(v, kEntries) / customers : kNaN);
    out.value.push_back(at(v, kConversions) > 0 ? at(v, kValue) / at(v, kConversions) : kNaN);
    out.hours.push_back(at(v, kGaps) > 0 ? at(v, kGapHours) / at(v, kGaps) : kNaN);
  }
  for (std::size_t e = 0; e < c.source.size(); ++e) {
    const double from = leaves[c.source[e]];
    out.choice_share.push_back(from > 0 ? counts[kSlots * n + e] / from : kNaN);
  }
  return out;
}

// Mean and variance of each parameter over the resamples in which it is defined.
class Spread {
 public:
  void add(std::size_t k, double x) {
    if (k >= n_.size()) {
      n_.resize(k + 1, 0.0);
      mean_.resize(k + 1, 0.0);
      m2_.resize(k + 1, 0.0);
    }
    if (!std::isfinite(x)) return;
    n_[k] += 1.0;
    const double d = x - mean_[k];
    mean_[k] += d / n_[k];
    m2_[k] += d * (x - mean_[k]);
  }
  double sd(std::size_t k) const {
    return k < n_.size() && n_[k] > 1 ? std::sqrt(m2_[k] / (n_[k] - 1.0)) : kNaN;
  }

 private:
  std::vector<double> n_, mean_, m2_;
};

struct ChainSpread {
  Spread dropout, entry_share, value, hours, choice_share;
};

// B resamples of the customers (a multinomial over the distinct paths, drawn path by path as
// binomials), each counted as the chain counts the data.
ChainSpread bootstrap(const Contributions& c, std::uint32_t resamples, std::uint64_t seed) {
  std::mt19937_64 stream(seed ^ 0x626f6f7473747261ULL);
  ChainSpread spread;
  std::vector<std::uint64_t> drawn(c.customers.size());
  for (std::uint32_t b = 0; b < resamples; ++b) {
    std::uint64_t left = c.total, left_of_data = c.total;
    for (std::size_t i = 0; i < c.customers.size(); ++i) {
      const double p = static_cast<double>(c.customers[i]) / static_cast<double>(left_of_data);
      std::uint64_t m = left;
      if (p < 1.0) m = std::binomial_distribution<std::uint64_t>(left, p)(stream);
      drawn[i] = m;
      left -= m;
      left_of_data -= c.customers[i];
    }
    const ChainValues v = values_of(c, counts_of(c, drawn));
    for (std::size_t k = 0; k < c.touchpoints; ++k) {
      spread.dropout.add(k, v.dropout[k]);
      spread.entry_share.add(k, v.entry_share[k]);
      spread.value.add(k, v.value[k]);
      spread.hours.add(k, v.hours[k]);
    }
    for (std::size_t e = 0; e < c.source.size(); ++e) spread.choice_share.add(e, v.choice_share[e]);
  }
  return spread;
}

// The sd of a weight `w` (a count) whose normalised share `p` has sd `share_sd` among weights
// summing to `total`: independent normals of sd sqrt(w) normalise to the multinomial's
// sd sqrt(p (1 - p) / total), so a share's sd scaled by total / sqrt(1 - p) gives back
// sqrt(w) for multinomial data and widens with the data's own overdispersion.
double weight_sd(double p, double share_sd, double total) {
  if (!(p < 1.0)) return kNaN;
  return share_sd * total / std::sqrt(1.0 - p);
}

}  // namespace

FitUncertainty fit_uncertainty_from_text(std::string_view text) {
  FitUncertainty out;
  const auto refuse = [&] {
    return std::invalid_argument(
        fmt::format("--uncertainty '{}': write none, standard-errors, bootstrap or bootstrap:N (N "
                    "resamples, 2 to {})",
                    text, kMostResamples));
  };
  if (text == "none") return out;
  if (text == "standard-errors") {
    out.method = FitUncertaintyMethod::standard_errors;
    return out;
  }
  if (!text.starts_with("bootstrap")) throw refuse();
  out.method = FitUncertaintyMethod::bootstrap;
  std::string_view rest = text.substr(std::string_view("bootstrap").size());
  if (rest.empty()) return out;
  if (rest.front() != ':') throw refuse();
  rest.remove_prefix(1);
  std::uint64_t n = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (error != std::errc() || end != rest.data() + rest.size() || n < 2 || n > kMostResamples) {
    throw refuse();
  }
  out.resamples = static_cast<std::uint32_t>(n);
  return out;
}

std::size_t add_markov_uncertainty(MarkovFit& fit, const ObservedJourneys& data,
                                   const FitUncertainty& uncertainty, std::uint64_t seed) {
  if (uncertainty.method == FitUncertaintyMethod::none) return 0;
  Scenario& s = fit.scenario;
  const Contributions c = contributions_of(fit, data);
  const std::vector<double> counts = counts_of(c, c.customers);
  const std::size_t n = c.touchpoints;
  auto at = [&](std::size_t v, Slot k) { return counts[kSlots * v + k]; };
  std::vector<double> leaves(n, 0.0);
  std::vector<std::size_t> ways_out(n, 0);
  double customers = 0.0;
  std::size_t entries = 0;
  for (std::size_t v = 0; v < n; ++v) {
    leaves[v] = at(v, kVisits) - at(v, kStops);
    customers += at(v, kEntries);
    if (at(v, kEntries) > 0) ++entries;
  }
  for (std::uint32_t from : c.source) ++ways_out[from];
  const bool bootstrapped = uncertainty.method == FitUncertaintyMethod::bootstrap;
  const ChainSpread spread =
      bootstrapped ? bootstrap(c, uncertainty.resamples, seed) : ChainSpread{};
  std::size_t written = 0;
  for (std::size_t v = 0; v < n; ++v) {
    Touchpoint& t = s.touchpoints[v];
    if (t.dropout > 0.0 && leaves[v] > 0.0) {
      if (bootstrapped) {
        written += set_beta(t.uncertain, t.dropout, spread.dropout.sd(v));
      } else {
        // Beta(stops, leaves): mean stops / visits (the estimate, to the bit), sd the
        // binomial standard error times sqrt(visits / (visits + 1)).
        t.uncertain["dropout"] = beta_form(at(v, kStops), leaves[v]);
        ++written;
      }
    }
    if (entries > 1 && t.entry_weight > 0.0) {
      const double sd =
          bootstrapped ? weight_sd(t.entry_weight / customers, spread.entry_share.sd(v), customers)
                       : std::sqrt(t.entry_weight);
      written += set_normal(t.uncertain, "entry_weight", t.entry_weight, sd);
    }
    if (t.duration.kind == Duration::Kind::exponential && at(v, kGaps) > 1.0) {
      // The exponential's mean estimated from `gaps` times: standard error mean / sqrt(gaps).
      const double sd =
          bootstrapped ? spread.hours.sd(v) : t.duration.hours / std::sqrt(at(v, kGaps));
      written += set_normal(t.uncertain, "duration.exponential", t.duration.hours, sd);
    }
    // Conversion values: the data give each path's total, not each customer's, so only the
    // bootstrap (over customers of different paths) sees their spread.
    if (bootstrapped && t.conversion && t.value > 0.0) {
      written += set_normal(t.uncertain, "conversion.value", t.value, spread.value.sd(v));
    }
  }
  for (std::size_t e = 0; e < s.transitions.size(); ++e) {
    const std::uint32_t from = c.source[e];
    if (ways_out[from] < 2) continue;  // the only way out: its weight is no choice
    Transition& t = s.transitions[e];
    const double sd =
        bootstrapped ? weight_sd(t.weight / leaves[from], spread.choice_share.sd(e), leaves[from])
                     : std::sqrt(t.weight);
    written += set_normal(t.uncertain, "weight", t.weight, sd);
  }
  return written;
}

std::size_t add_emotion_uncertainty(EmotionFit& fit) {
  Scenario& s = fit.scenario;
  std::size_t written = 0;
  auto first_out = [&](std::uint32_t transition) {
    for (const Transition& t : s.transitions) {
      if (t.from == s.transitions[transition].from) return t.weight;
    }
    return kNaN;
  };
  auto first_entry = [&] {
    for (const Touchpoint& t : s.touchpoints) {
      if (t.entry_weight > 0.0) return t.entry_weight;
    }
    return kNaN;
  };
  for (const FittedParameter& p : fit.parameters) {
    const double se = p.standard_error;
    if (!p.identifiable || !(se > 0.0)) continue;
    switch (p.kind) {
      case FitParameterKind::emotion_mean: {
        Touchpoint& t = s.touchpoints[p.index];
        written += set_normal(t.uncertain, "emotion.mean", t.emotion_mean, se);
        break;
      }
      case FitParameterKind::kappa:
        written += set_normal(s.settings.uncertain, "kappa", s.settings.kappa, se);
        break;
      case FitParameterKind::emotion_bias: {
        Transition& t = s.transitions[p.index];
        written += set_normal(t.uncertain, "emotion_bias", t.emotion_bias, se);
        break;
      }
      case FitParameterKind::dropout: {
        Touchpoint& t = s.touchpoints[p.index];
        written += set_beta(t.uncertain, t.dropout, se);
        break;
      }
      case FitParameterKind::transition_weight: {
        // Relative to the first way out, which holds the scale: the weight's sd in its units.
        Transition& t = s.transitions[p.index];
        written += set_normal(t.uncertain, "weight", t.weight, se * first_out(p.index));
        break;
      }
      case FitParameterKind::entry_weight: {
        Touchpoint& t = s.touchpoints[p.index];
        written += set_normal(t.uncertain, "entry_weight", t.entry_weight, se * first_entry());
        break;
      }
      case FitParameterKind::persona_share: {
        Persona& q = s.personas[p.index];
        written += set_normal(q.uncertain, "share", q.share, se);
        break;
      }
      case FitParameterKind::initial_emotion: {
        Persona& q = s.personas[p.index];
        written += set_normal(q.uncertain, "initial_emotion.mean", q.initial_emotion_mean, se);
        break;
      }
      case FitParameterKind::dropout_odds: {
        Persona& q = s.personas[p.index];
        written += set_normal(q.uncertain, "dropout_odds", q.dropout_odds,
                              se * s.personas[0].dropout_odds);
        break;
      }
    }
  }
  return written;
}

}  // namespace cjsim
