// Channel paths, the heuristics, and the order-k chains whose removal effects attribute.
#include "models/attribution/attribution.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "models/attribution/removal_effects.h"

namespace cjsim {
namespace {

Transition transition(std::string from, std::string to, double weight) {
  Transition t;
  t.from = std::move(from);
  t.to = std::move(to);
  t.weight = weight;
  return t;
}

std::vector<double> shares_of(const std::vector<double>& effects, double total) {
  const double sum = std::accumulate(effects.begin(), effects.end(), 0.0);
  std::vector<double> out(effects.size(), 0.0);
  if (sum <= 0.0) return out;
  for (std::size_t k = 0; k < effects.size(); ++k) out[k] = effects[k] / sum * total;
  return out;
}

}  // namespace

double ChannelPaths::conversions() const {
  double n = 0.0;
  for (const Path& p : paths) n += p.conversions;
  return n;
}

double ChannelPaths::value() const {
  double v = 0.0;
  for (const Path& p : paths) v += p.value;
  return v;
}

ChannelPaths channel_paths(const ObservedJourneys& data, AttributionLevel level) {
  ChannelPaths out;
  std::map<std::string, std::uint32_t, std::less<>> channel_index;
  std::map<std::vector<std::uint32_t>, std::size_t> path_index;
  std::vector<std::uint32_t> steps;
  for (const ObservedPath& p : data.paths) {
    if (p.count == 0) continue;
    const std::size_t end = p.conversion_step >= 0 ? static_cast<std::size_t>(p.conversion_step) + 1
                                                   : p.touchpoints.size();
    steps.clear();
    for (std::size_t i = 0; i < end && i < p.touchpoints.size(); ++i) {
      const std::uint32_t t = p.touchpoints[i];
      if (static_cast<std::int64_t>(t) == data.conversion_touchpoint) continue;
      const std::string& label = level == AttributionLevel::channel && t < data.channels.size() &&
                                         !data.channels[t].empty()
                                     ? data.channels[t]
                                     : data.touchpoints[t];
      auto [it, added] =
          channel_index.try_emplace(label, static_cast<std::uint32_t>(out.channels.size()));
      if (added) out.channels.push_back(label);
      steps.push_back(it->second);
    }
    if (steps.empty()) continue;
    auto [it, added] = path_index.try_emplace(steps, out.paths.size());
    if (added) out.paths.push_back({steps, 0.0, 0.0, 0.0});
    ChannelPaths::Path& q = out.paths[it->second];
    if (p.conversion_step >= 0) {
      q.conversions += static_cast<double>(p.count);
      q.value += p.value;
    } else {
      q.nulls += static_cast<double>(p.count);
    }
  }
  return out;
}

HeuristicAttribution heuristic_attribution(const ChannelPaths& paths) {
  const std::size_t n = paths.channels.size();
  HeuristicAttribution h;
  for (auto* v : {&h.first_touch_conversions, &h.first_touch_value, &h.last_touch_conversions,
                  &h.last_touch_value, &h.linear_conversions, &h.linear_value}) {
    v->assign(n, 0.0);
  }
  for (const ChannelPaths::Path& p : paths.paths) {
    if (p.conversions == 0.0 && p.value == 0.0) continue;
    h.first_touch_conversions[p.channels.front()] += p.conversions;
    h.first_touch_value[p.channels.front()] += p.value;
    h.last_touch_conversions[p.channels.back()] += p.conversions;
    h.last_touch_value[p.channels.back()] += p.value;
    const double length = static_cast<double>(p.channels.size());
    for (std::uint32_t c : p.channels) {
      h.linear_conversions[c] += p.conversions / length;
      h.linear_value[c] += p.value / length;
    }
  }
  return h;
}

ChainOfOrder markov_chain_of_order(const ChannelPaths& paths, int order) {
  if (order < 1) throw std::invalid_argument("the Markov order must be 1 or more");
  const auto k = static_cast<std::size_t>(order);
  ChainOfOrder chain;
  std::map<std::vector<std::uint32_t>, std::uint32_t> state_index;
  struct Counts {
    double entries = 0.0, visits = 0.0, leaves = 0.0, nulls = 0.0, conversions = 0.0, value = 0.0;
  };
  std::vector<Counts> counts;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> moves;
  auto state_of = [&](std::vector<std::uint32_t> channels) {
    auto [it, added] = state_index.try_emplace(channels, static_cast<std::uint32_t>(counts.size()));
    if (added) {
      counts.emplace_back();
      chain.state_channels.push_back(std::move(channels));
    }
    return it->second;
  };
  std::vector<std::uint32_t> states;
  for (const ChannelPaths::Path& p : paths.paths) {
    const double customers = p.conversions + p.nulls;
    if (customers == 0.0) continue;
    states.clear();
    const std::size_t windows = p.channels.size() >= k ? p.channels.size() - k + 1 : 1;
    for (std::size_t w = 0; w < windows; ++w) {
      const auto first = p.channels.begin() + static_cast<std::ptrdiff_t>(w);
      const auto last =
          p.channels.size() >= k ? first + static_cast<std::ptrdiff_t>(k) : p.channels.end();
      const std::uint32_t s = state_of(std::vector<std::uint32_t>(first, last));
      if (states.empty() || states.back() != s) states.push_back(s);
    }
    counts[states.front()].entries += customers;
    for (std::size_t i = 0; i < states.size(); ++i) {
      counts[states[i]].visits += customers;
      if (i + 1 < states.size()) {
        counts[states[i]].leaves += customers;
        moves[{states[i], states[i + 1]}] += customers;
      }
    }
    Counts& last = counts[states.back()];
    last.nulls += p.nulls;
    last.conversions += p.conversions;
    last.value += p.value;
    last.leaves += p.conversions;
  }

  Scenario& s = chain.scenario;
  s.name = fmt::format("Markov chain of order {}", order);
  s.stages = {"journey"};
  s.settings.kappa = 0.0;
  s.personas = {neutral_persona()};
  for (std::size_t v = 0; v < counts.size(); ++v) {
    Touchpoint t;
    t.id = fmt::format("s{}", v);
    for (std::uint32_t c : chain.state_channels[v]) {
      t.name += (t.name.empty() ? "" : " > ") + paths.channels[c];
    }
    t.stage = "journey";
    t.channel = t.name;
    t.entry_weight = counts[v].entries;
    t.dropout = counts[v].leaves > 0.0 ? counts[v].nulls / counts[v].visits : 0.0;
    s.touchpoints.push_back(std::move(t));
  }
  for (std::size_t v = 0; v < counts.size(); ++v) {
    if (counts[v].conversions == 0.0) continue;
    Touchpoint t;
    t.id = fmt::format("c{}", v);
    t.name = "conversion after " + s.touchpoints[v].name;
    t.stage = "journey";
    t.channel = "conversion";
    t.conversion = true;
    t.value = counts[v].value / counts[v].conversions;
    s.touchpoints.push_back(std::move(t));
    s.transitions.push_back(
        transition(fmt::format("s{}", v), fmt::format("c{}", v), counts[v].conversions));
  }
  for (const auto& [move, count] : moves) {
    s.transitions.push_back(
        transition(fmt::format("s{}", move.first), fmt::format("s{}", move.second), count));
  }
  return chain;
}

double most_states_of_order(const ChannelPaths& paths, int order) {
  const double sequences = std::pow(static_cast<double>(paths.channels.size()), order);
  double windows = 0.0;
  for (const ChannelPaths::Path& p : paths.paths) {
    const double length = static_cast<double>(p.channels.size());
    windows += std::max(1.0, length - order + 1);
  }
  return std::min(sequences, windows);
}

MarkovAttribution markov_attribution(const ChannelPaths& paths, int order) {
  MarkovAttribution out;
  out.order = order;
  if (paths.conversions() == 0.0) {
    throw std::invalid_argument("no path converted: there is nothing to attribute");
  }
  const ChainOfOrder chain = markov_chain_of_order(paths, order);
  out.states = chain.state_channels.size();
  std::vector<TouchpointGroup> groups(paths.channels.size());
  for (std::size_t v = 0; v < chain.state_channels.size(); ++v) {
    for (std::uint32_t c : chain.state_channels[v])
      groups[c].touchpoints.insert(fmt::format("s{}", v));
  }
  for (std::size_t c = 0; c < groups.size(); ++c) groups[c].name = paths.channels[c];
  const ExactRemovals removals = exact_removal_effects(chain.scenario, groups);
  out.conversion_probability = removals.conversion_probability;
  for (const ExactRemoval& r : removals.groups) {
    out.removal_effect.push_back(r.conversion_effect);
    out.value_removal_effect.push_back(r.value_effect);
  }
  out.conversions = shares_of(out.removal_effect, paths.conversions());
  out.value = shares_of(out.value_removal_effect, paths.value());
  return out;
}

}  // namespace cjsim
