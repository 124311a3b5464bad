// Counting transitions, stops, first visits and conversions, and writing them as a scenario.
#include "models/fit/markov_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <set>
#include <stdexcept>

#include "scenarios/fields.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

constexpr const char* kOneStage = "journey";

struct StateCounts {
  double visits = 0.0;
  double leaves = 0.0;
  double stops = 0.0;
  double entries = 0.0;
  double conversions = 0.0;
  double value = 0.0;
  double gap_hours = 0.0;  // to the next visit, summed
  double gaps = 0.0;       // visits with a next visit and known hours
  // For the lognormal (DurationFamily::best): the gaps' logs and their squares summed, the
  // gaps of no time, and the shortest and longest gap.
  double log_hours = 0.0;
  double log_hours_squared = 0.0;
  double zero_gaps = 0.0;
  double shortest = std::numeric_limits<double>::infinity();
  double longest = 0.0;
  double position = 0.0;   // step index, summed, for ordering stages
};

// The three kinds of visit to a data touchpoint: before the path's conversion (or on a path
// that never converted), the conversion itself, and after it.
enum Phase : std::uint8_t { kBefore = 1, kConverting = 2, kAfter = 4 };

Phase phase_of(const ObservedPath& p, std::size_t i) {
  if (p.conversion_step < 0 || static_cast<std::int64_t>(i) < p.conversion_step) return kBefore;
  return static_cast<std::int64_t>(i) == p.conversion_step ? kConverting : kAfter;
}

// Per data touchpoint, the phases its visits occur in.
std::vector<std::uint8_t> phases_of(const ObservedJourneys& data) {
  std::vector<std::uint8_t> phases(data.touchpoints.size(), 0);
  for (const ObservedPath& p : data.paths) {
    if (p.count == 0) continue;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i)
      phases[p.touchpoints[i]] |= phase_of(p, i);
  }
  return phases;
}

std::int64_t state_of(const MarkovFit& fit, const ObservedPath& p, std::size_t i) {
  const std::uint32_t t = p.touchpoints[i];
  switch (phase_of(p, i)) {
    case kBefore:
      return fit.plain_state[t];
    case kConverting:
      return fit.converted_state[t];
    case kAfter:
      return fit.after_state[t];
  }
  return -1;
}

// Touchpoints in the order a reader of the file expects: by stage, then by their mean
// position in the customers' paths (entries first, conversions late).
void order_touchpoints(MarkovFit& fit, const std::vector<StateCounts>& counts) {
  Scenario& s = fit.scenario;
  const std::size_t n = s.touchpoints.size();
  std::vector<std::size_t> stage_of(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    stage_of[v] = static_cast<std::size_t>(
        std::find(s.stages.begin(), s.stages.end(), s.touchpoints[v].stage) - s.stages.begin());
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto mean_position = [&](std::size_t v) {
    return counts[v].visits > 0 ? counts[v].position / counts[v].visits : 0.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (stage_of[a] != stage_of[b]) return stage_of[a] < stage_of[b];
    return mean_position(a) < mean_position(b);
  });
  std::vector<std::int64_t> new_index(n);
  std::vector<Touchpoint> ordered;
  ordered.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    new_index[order[k]] = static_cast<std::int64_t>(k);
    ordered.push_back(std::move(s.touchpoints[order[k]]));
  }
  s.touchpoints = std::move(ordered);
  for (auto* states : {&fit.plain_state, &fit.converted_state, &fit.after_state}) {
    for (std::int64_t& v : *states) {
      if (v >= 0) v = new_index[static_cast<std::size_t>(v)];
    }
  }
  // Transitions by source, then target, in the new order.
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < n; ++k) index[s.touchpoints[k].id] = k;
  std::stable_sort(
      s.transitions.begin(), s.transitions.end(), [&](const Transition& a, const Transition& b) {
        return std::pair(index[a.from], index[a.to]) < std::pair(index[b.from], index[b.to]);
      });
}

// Among the format's duration families, the one the gaps favour (`duration` holds the
// exponential of their mean): a fixed duration when every gap is the same; else the lognormal
// (maximum likelihood: the logs' mean and sd) when its AIC (two parameters) is below the
// exponential's (one), which needs every gap positive and two distinct ones.
void choose_duration(const StateCounts& k, Duration& duration) {
  if (k.shortest == k.longest) {
    duration.kind = Duration::Kind::fixed;
    duration.hours = k.longest;
    return;
  }
  if (k.zero_gaps > 0 || k.gaps < 2) return;
  const double g = k.gaps;
  const double mu = k.log_hours / g;
  const double sigma = std::sqrt(std::max(k.log_hours_squared / g - mu * mu, 0.0));
  if (!(sigma > 0.0) || !std::isfinite(mu)) return;
  const double exponential_log_likelihood = -g * std::log(duration.hours) - g;
  const double lognormal_log_likelihood =
      -k.log_hours - g * std::log(sigma) - 0.5 * g * std::log(2.0 * std::numbers::pi) - 0.5 * g;
  const double exponential_aic = 2.0 - 2.0 * exponential_log_likelihood;
  const double lognormal_aic = 4.0 - 2.0 * lognormal_log_likelihood;
  if (lognormal_aic >= exponential_aic) return;
  // A lognormal past what a journey holds stays the exponential (whose bound is checked below).
  if (std::exp(mu) > kMostHours || sigma > kMostLognormalSigma) return;
  duration.kind = Duration::Kind::lognormal;
  duration.median = std::exp(mu);
  duration.sigma = sigma;
  duration.hours = 0.0;
}

}  // namespace

std::string id_from_name(std::string_view name) {
  std::string id;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    id.push_back(std::isalnum(u) || c == '_' || c == '-' || c == '.' ? c : '_');
  }
  return id.empty() ? std::string("_") : id;
}

MarkovFit fit_markov(const ObservedJourneys& data, const MarkovFitOptions& options) {
  if (data.customers() == 0) throw std::invalid_argument("the data hold no customer");
  const std::vector<std::uint8_t> phases = phases_of(data);

  MarkovFit fit;
  Scenario& s = fit.scenario;
  s.name = options.name;
  fit.plain_state.assign(data.touchpoints.size(), -1);
  fit.converted_state.assign(data.touchpoints.size(), -1);
  fit.after_state.assign(data.touchpoints.size(), -1);
  std::set<std::string> ids;
  // `suffix` and `label` tell a touchpoint's second and third states from its first.
  auto add_state = [&](std::size_t t, bool conversion, const char* suffix, const char* label) {
    Touchpoint tp;
    const std::string base = id_from_name(data.touchpoints[t]) + suffix;
    std::string id = base;
    for (int k = 2; ids.count(id) > 0; ++k) id = fmt::format("{}-{}", base, k);
    ids.insert(id);
    tp.id = id;
    tp.name = data.touchpoints[t] + label;
    tp.channel = t < data.channels.size() && !data.channels[t].empty() ? data.channels[t]
                                                                       : data.touchpoints[t];
    tp.stage = t < data.stages.size() ? data.stages[t] : "";
    tp.conversion = conversion;
    s.touchpoints.push_back(std::move(tp));
    return static_cast<std::int64_t>(s.touchpoints.size() - 1);
  };
  for (std::size_t t = 0; t < data.touchpoints.size(); ++t) {
    const std::uint8_t seen = phases[t];
    if (seen & kBefore) fit.plain_state[t] = add_state(t, false, "", "");
    if (seen & kConverting) {
      const bool second = (seen & kBefore) != 0;
      fit.converted_state[t] =
          add_state(t, true, second ? "-converted" : "", second ? " (converted)" : "");
    }
    if (seen & kAfter) {
      const bool second = (seen & (kBefore | kConverting)) != 0;
      fit.after_state[t] =
          add_state(t, false, second ? "-after" : "", second ? " (after converting)" : "");
    }
  }
  if (std::none_of(fit.converted_state.begin(), fit.converted_state.end(),
                   [](std::int64_t v) { return v >= 0; })) {
    // The touchpoints that end the most journeys, the likeliest conversions to name.
    std::map<std::uint32_t, std::uint64_t> ends;
    for (const ObservedPath& p : data.paths) {
      if (!p.touchpoints.empty()) ends[p.touchpoints.back()] += p.count;
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>> ranked;
    for (const auto& [t, count] : ends) ranked.emplace_back(count, t);
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    std::string likeliest;
    for (std::size_t k = 0; k < ranked.size() && k < 3; ++k) {
      likeliest += fmt::format("{}'{}' ({} journey{})", k ? ", " : "",
                               data.touchpoints[ranked[k].second], ranked[k].first,
                               ranked[k].first == 1 ? "" : "s");
    }
    throw std::invalid_argument(fmt::format(
        "no customer in the data converted: a journey needs a conversion touchpoint. Name the "
        "visits that convert with --conversion-touchpoint NAME (an event log or XES; the "
        "touchpoints that end the most journeys here: {}), or, in a CSV event log, the value or "
        "converted column that marks them",
        likeliest));
  }

  const std::size_t n = s.touchpoints.size();
  std::vector<StateCounts> counts(n);
  std::map<std::pair<std::int64_t, std::int64_t>, double> moves;
  std::size_t longest = 0;
  for (const ObservedPath& p : data.paths) {
    if (p.count == 0 || p.touchpoints.empty()) continue;
    const double c = static_cast<double>(p.count);
    longest = std::max(longest, p.touchpoints.size());
    const bool timed = p.hours.size() == p.touchpoints.size();
    std::int64_t previous = -1;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::int64_t v = state_of(fit, p, i);
      StateCounts& k = counts[static_cast<std::size_t>(v)];
      k.visits += c;
      k.position += c * static_cast<double>(i);
      if (i == 0) k.entries += c;
      if (static_cast<std::int64_t>(i) == p.conversion_step) {
        k.conversions += c;
        k.value += p.value;
      }
      if (previous >= 0) {
        counts[static_cast<std::size_t>(previous)].leaves += c;
        moves[{previous, v}] += c;
      }
      if (timed && i + 1 < p.touchpoints.size()) {
        const double gap = p.hours[i + 1] - p.hours[i];
        k.gap_hours += c * gap;
        k.gaps += c;
        if (options.durations == DurationFamily::best) {
          if (gap > 0.0) {
            k.log_hours += c * std::log(gap);
            k.log_hours_squared += c * std::log(gap) * std::log(gap);
          } else {
            k.zero_gaps += c;
          }
          k.shortest = std::min(k.shortest, gap);
          k.longest = std::max(k.longest, gap);
        }
      }
      previous = v;
    }
    counts[static_cast<std::size_t>(previous)].stops += c;
  }

  // Stages: the data's, by mean position; else the skeleton's for touchpoints it knows.
  std::map<std::string, std::pair<double, double>> stage_position;  // stage -> (sum, visits)
  for (std::size_t v = 0; v < n; ++v) {
    Touchpoint& tp = s.touchpoints[v];
    if (tp.stage.empty() && options.skeleton != nullptr) {
      for (const Touchpoint& known : options.skeleton->touchpoints) {
        if (known.id == tp.id) tp.stage = known.stage;
      }
    }
    if (tp.stage.empty()) continue;
    stage_position[tp.stage].first += counts[v].position;
    stage_position[tp.stage].second += counts[v].visits;
  }
  const bool every_staged = std::all_of(s.touchpoints.begin(), s.touchpoints.end(),
                                        [](const Touchpoint& tp) { return !tp.stage.empty(); });
  if (options.skeleton != nullptr && every_staged) {
    s.stages = options.skeleton->stages;
    s.description = "Fitted from " + data.source + "; stages from the skeleton journey.";
  } else if (!stage_position.empty()) {
    for (const auto& [stage, sums] : stage_position) s.stages.push_back(stage);
    std::stable_sort(
        s.stages.begin(), s.stages.end(), [&](const std::string& a, const std::string& b) {
          const auto& pa = stage_position[a];
          const auto& pb = stage_position[b];
          return pa.first / std::max(pa.second, 1.0) < pb.first / std::max(pb.second, 1.0);
        });
    if (!every_staged && stage_position.count(kOneStage) == 0) s.stages.push_back(kOneStage);
    s.description =
        "Fitted from " + data.source + "; stages from the data, ordered by mean position.";
  } else {
    s.stages = {kOneStage};
    s.description = "Fitted from " + data.source +
                    "; the data name no stage, so every touchpoint is in one stage 'journey'.";
  }
  for (Touchpoint& tp : s.touchpoints) {
    if (tp.stage.empty()) tp.stage = kOneStage;
  }
  if (s.stages.size() > kMostStages) {
    throw std::invalid_argument(fmt::format(
        "the data name {} stages; a journey has at most {} (is the stage column the right one?)",
        s.stages.size(), kMostStages));
  }

  for (std::size_t v = 0; v < n; ++v) {
    Touchpoint& tp = s.touchpoints[v];
    const StateCounts& k = counts[v];
    tp.entry_weight = k.entries;
    // A touchpoint no customer leaves ends the journey as completed; dropout is not defined.
    tp.dropout = k.leaves > 0 && k.visits > 0 ? k.stops / k.visits : 0.0;
    if (tp.conversion) tp.value = k.conversions > 0 ? k.value / k.conversions : 0.0;
    // An exponential needs a positive mean: visits all at the same instant take no time.
    if (k.gaps > 0 && k.gap_hours > 0) {
      tp.duration.kind = Duration::Kind::exponential;
      tp.duration.hours = k.gap_hours / k.gaps;
      if (options.durations == DurationFamily::best) choose_duration(k, tp.duration);
      switch (tp.duration.kind) {
        case Duration::Kind::fixed:
          ++fit.fixed_durations;
          break;
        case Duration::Kind::exponential:
          ++fit.exponential_durations;
          break;
        case Duration::Kind::lognormal:
          ++fit.lognormal_durations;
          break;
      }
    }
    if (!std::isfinite(tp.value) || !std::isfinite(tp.duration.hours)) {
      throw std::invalid_argument(fmt::format(
          "the values or timestamps at '{}' are too large to add up (they overflow)", tp.name));
    }
    // A journey holds amounts and durations only up to the bounds that keep a run's sums in
    // range (scenarios/validate.h); a fit past them would not load back.
    if (tp.value > kMostAmount) {
      throw std::invalid_argument(fmt::format(
          "the conversion values at '{}' average {:g}, above the most a journey holds ({:g})",
          tp.name, tp.value, kMostAmount));
    }
    if (tp.duration.hours > kMostHours) {
      throw std::invalid_argument(fmt::format(
          "the time between visits after '{}' averages {:g} hours, above the most a journey "
          "holds ({:g} hours); are the timestamps in the right unit?",
          tp.name, tp.duration.hours, kMostHours));
    }
  }
  for (const auto& [move, count] : moves) {
    Transition t;
    t.from = s.touchpoints[static_cast<std::size_t>(move.first)].id;
    t.to = s.touchpoints[static_cast<std::size_t>(move.second)].id;
    t.weight = count;
    s.transitions.push_back(std::move(t));
  }
  s.settings.kappa = 0.0;
  // The step cap must not bind where the data did not: far beyond the longest path seen.
  s.settings.max_steps = std::max<std::int64_t>(1000, 10 * static_cast<std::int64_t>(longest));
  s.personas = {neutral_persona()};
  order_touchpoints(fit, counts);
  return fit;
}

ObservedJourneys in_fitted_terms(const ObservedJourneys& data, const MarkovFit& fit) {
  const Scenario& s = fit.scenario;
  ObservedJourneys out;
  out.source = data.source;
  out.segments = data.segments;
  for (const Touchpoint& tp : s.touchpoints) {
    out.touchpoints.push_back(tp.id);
    out.channels.push_back(tp.channel);
    out.stages.push_back(tp.stage);
  }
  // Touchpoints the fit did not see, by data index.
  std::vector<std::int64_t> unseen(data.touchpoints.size(), -1);
  out.paths.reserve(data.paths.size());
  for (const ObservedPath& p : data.paths) {
    ObservedPath q = p;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::uint32_t t = p.touchpoints[i];
      std::int64_t v = t < fit.plain_state.size() ? state_of(fit, p, i) : -1;
      if (v < 0) {
        if (t >= unseen.size()) unseen.resize(t + 1, -1);
        if (unseen[t] < 0) {
          unseen[t] = static_cast<std::int64_t>(out.touchpoints.size());
          out.touchpoints.push_back(t < data.touchpoints.size() ? data.touchpoints[t] : "?");
          out.channels.push_back(t < data.channels.size() ? data.channels[t] : "");
          out.stages.push_back(t < data.stages.size() ? data.stages[t] : "");
        }
        v = unseen[t];
      }
      q.touchpoints[i] = static_cast<std::uint32_t>(v);
    }
    out.paths.push_back(std::move(q));
  }
  return out;
}

}  // namespace cjsim
