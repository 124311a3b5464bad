// Windows of the last k touchpoints as states, and the order-k chain's likelihood.
#include "models/fit/markov_order.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace cjsim {
namespace {

// A visit's phase, as the Markov fit tells states apart: before the conversion (or on a path
// that never converted), the conversion itself, after it.
int visit_phase(const ObservedPath& p, std::size_t i) {
  if (p.conversion_step < 0 || static_cast<std::int64_t>(i) < p.conversion_step) return 0;
  return static_cast<std::int64_t>(i) == p.conversion_step ? 1 : 2;
}

double x_log_share(double part, double whole) {
  return part > 0.0 ? part * std::log(part / whole) : 0.0;
}

// The order-k chain's counts by state, a state named by its window and phase, so that another
// data set's windows (held-out customers) are looked up by name.
class ChainCounts {
 public:
  ChainCounts(const ObservedJourneys& data, int order) {
    const ObservedJourneys windows = windows_of_order(data, order);
    for (const ObservedPath& p : windows.paths) {
      if (p.count == 0 || p.touchpoints.empty()) continue;
      const double c = static_cast<double>(p.count);
      customers_ += c;
      entries_[state(windows, p, 0)] += c;
      for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
        Counts& s = states_[state(windows, p, i)];
        s.visits += c;
        if (i + 1 < p.touchpoints.size()) {
          s.next[state(windows, p, i + 1)] += c;
        } else {
          s.stops += c;
        }
      }
    }
  }

  // The log-probability of a path of `windows` (of the same order) under the counts' maximum
  // likelihood chain, or nothing when one of its steps has probability 0.
  std::optional<double> log_probability(const ObservedJourneys& windows,
                                        const ObservedPath& p) const {
    const auto entry = entries_.find(state(windows, p, 0));
    if (entry == entries_.end()) return std::nullopt;
    double sum = std::log(entry->second / customers_);
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const auto at = states_.find(state(windows, p, i));
      if (at == states_.end()) return std::nullopt;
      double n = at->second.stops;
      if (i + 1 < p.touchpoints.size()) {
        const auto next = at->second.next.find(state(windows, p, i + 1));
        n = next == at->second.next.end() ? 0.0 : next->second;
      }
      if (n <= 0.0) return std::nullopt;
      sum += std::log(n / at->second.visits);
    }
    return sum;
  }

 private:
  using State = std::pair<std::string, int>;  // window, phase
  struct Counts {
    double visits = 0.0;
    double stops = 0.0;
    std::map<State, double> next;
  };
  static State state(const ObservedJourneys& windows, const ObservedPath& p, std::size_t i) {
    return {windows.touchpoints[p.touchpoints[i]], visit_phase(p, i)};
  }
  std::map<State, Counts> states_;
  std::map<State, double> entries_;
  double customers_ = 0.0;
};

}  // namespace

ObservedJourneys windows_of_order(const ObservedJourneys& data, int order) {
  if (order < 1 || order > kMostFitOrder) {
    throw std::invalid_argument("a Markov chain's order is a whole number from 1 to " +
                                std::to_string(kMostFitOrder));
  }
  if (order == 1) return data;
  ObservedJourneys out;
  out.source = data.source;
  out.segments = data.segments;
  out.conversion_touchpoint = -1;
  std::unordered_map<std::string, std::uint32_t> index;
  auto at = [](const std::vector<std::string>& names, std::uint32_t t) {
    return t < names.size() ? names[t] : std::string();
  };
  out.paths.reserve(data.paths.size());
  for (const ObservedPath& p : data.paths) {
    ObservedPath q = p;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::size_t first = i + 1 >= static_cast<std::size_t>(order) ? i + 1 - order : 0;
      std::string name;
      for (std::size_t j = first; j <= i; ++j) {
        if (j > first) name += " > ";
        name += data.touchpoints[p.touchpoints[j]];
      }
      const auto [it, fresh] =
          index.try_emplace(name, static_cast<std::uint32_t>(out.touchpoints.size()));
      if (fresh) {
        const std::uint32_t last = p.touchpoints[i];
        out.touchpoints.push_back(name);
        out.channels.push_back(at(data.channels, last).empty() ? data.touchpoints[last]
                                                               : at(data.channels, last));
        out.stages.push_back(at(data.stages, last));
      }
      q.touchpoints[i] = it->second;
    }
    out.paths.push_back(std::move(q));
  }
  return out;
}

OrderCriterion order_criterion(const ObservedJourneys& data, int order) {
  const ObservedJourneys windows = windows_of_order(data, order);
  using State = std::pair<std::uint32_t, int>;  // window, phase
  struct Counts {
    double visits = 0.0;
    double stops = 0.0;
    std::map<State, double> next;
  };
  std::map<State, Counts> states;
  std::map<State, double> entries;
  double customers = 0.0;
  for (const ObservedPath& p : windows.paths) {
    if (p.count == 0 || p.touchpoints.empty()) continue;
    const double c = static_cast<double>(p.count);
    customers += c;
    entries[{p.touchpoints[0], visit_phase(p, 0)}] += c;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      Counts& s = states[{p.touchpoints[i], visit_phase(p, i)}];
      s.visits += c;
      if (i + 1 < p.touchpoints.size()) {
        s.next[{p.touchpoints[i + 1], visit_phase(p, i + 1)}] += c;
      } else {
        s.stops += c;
      }
    }
  }
  OrderCriterion out;
  out.order = order;
  out.states = states.size();
  for (const auto& [state, n] : entries) out.log_likelihood += x_log_share(n, customers);
  out.parameters = entries.empty() ? 0 : entries.size() - 1;
  for (const auto& [state, s] : states) {
    out.log_likelihood += x_log_share(s.stops, s.visits);
    for (const auto& [next, n] : s.next) out.log_likelihood += x_log_share(n, s.visits);
    out.parameters += s.next.size() + (s.stops > 0.0 ? 1 : 0) - 1;
  }
  const double p = static_cast<double>(out.parameters);
  out.aic = 2.0 * p - 2.0 * out.log_likelihood;
  out.bic = p * std::log(std::max(customers, 1.0)) - 2.0 * out.log_likelihood;
  return out;
}

int order_by_bic(const std::vector<OrderCriterion>& criteria) {
  int best = criteria.empty() ? 1 : criteria.front().order;
  double lowest = criteria.empty() ? 0.0 : criteria.front().bic;
  for (const OrderCriterion& c : criteria) {
    if (c.bic < lowest) {
      lowest = c.bic;
      best = c.order;
    }
  }
  return best;
}

double held_out_scores(const ObservedJourneys& fitted, const ObservedJourneys& held,
                       std::vector<OrderCriterion>& criteria) {
  // [order][path]: the path's log-probability under that order's chain, if it has one.
  std::vector<std::vector<std::optional<double>>> scores;
  for (OrderCriterion& c : criteria) {
    const ChainCounts chain(fitted, c.order);
    const ObservedJourneys windows = windows_of_order(held, c.order);
    std::vector<std::optional<double>>& mine = scores.emplace_back();
    c.held_out_unexplained = 0.0;
    for (const ObservedPath& p : windows.paths) {
      mine.push_back(p.count == 0 || p.touchpoints.empty() ? std::optional<double>(0.0)
                                                            : chain.log_probability(windows, p));
      if (!mine.back()) c.held_out_unexplained += static_cast<double>(p.count);
    }
  }
  double common = 0.0;
  for (std::size_t k = 0; k < held.paths.size(); ++k) {
    const bool everyone = std::all_of(scores.begin(), scores.end(),
                                      [k](const auto& order) { return order[k].has_value(); });
    if (everyone) common += static_cast<double>(held.paths[k].count);
  }
  for (std::size_t o = 0; o < criteria.size(); ++o) {
    double sum = 0.0;
    for (std::size_t k = 0; k < held.paths.size(); ++k) {
      const bool everyone = std::all_of(scores.begin(), scores.end(),
                                        [k](const auto& order) { return order[k].has_value(); });
      if (everyone) sum += static_cast<double>(held.paths[k].count) * *scores[o][k];
    }
    criteria[o].held_out_log_likelihood = common > 0.0 ? sum / common : 0.0;
  }
  return common;
}

int order_by_held_out(const std::vector<OrderCriterion>& criteria) {
  int best = criteria.empty() ? 1 : criteria.front().order;
  double highest = criteria.empty() ? 0.0 : criteria.front().held_out_log_likelihood;
  for (const OrderCriterion& c : criteria) {
    if (c.held_out_log_likelihood > highest) {
      highest = c.held_out_log_likelihood;
      best = c.order;
    }
  }
  return best;
}

}  // namespace cjsim
