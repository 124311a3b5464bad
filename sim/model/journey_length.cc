// Expected journey length from the absorbing chain, by one backward pass when the touchpoint
// graph has no cycle and by Eigen's sparse LU when it has.
#include "sim/model/journey_length.h"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sim/model/markov.h"

namespace cjsim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The touchpoints in an order where every transition goes forward, or nothing when the graph
// has a cycle (Kahn's algorithm).
std::optional<std::vector<std::uint32_t>> forward_order(const CompiledJourney& j) {
  const std::size_t n = j.touchpoint_count();
  std::vector<std::uint32_t> in_degree(n, 0);
  for (std::uint32_t to : j.transition_to) ++in_degree[to];
  std::vector<std::uint32_t> order;
  order.reserve(n);
  for (std::uint32_t v = 0; v < n; ++v) {
    if (in_degree[v] == 0) order.push_back(v);
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint32_t v = order[k];
    for (std::uint32_t e = j.out_begin[v]; e < j.out_begin[v + 1]; ++e) {
      if (--in_degree[j.transition_to[e]] == 0) order.push_back(j.transition_to[e]);
    }
  }
  if (order.size() != n) return std::nullopt;
  return order;
}

// Expected visits from each touchpoint on (itself included): t = 1 + Q t, backwards.
std::vector<double> visits_acyclic(const CompiledJourney& j, const std::vector<double>& prob,
                                   const std::vector<std::uint32_t>& order) {
  std::vector<double> t(j.touchpoint_count(), 1.0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::uint32_t v = *it;
    for (std::uint32_t e = j.out_begin[v]; e < j.out_begin[v + 1]; ++e) {
      t[v] += prob[e] * t[j.transition_to[e]];
    }
  }
  return t;
}

}  // namespace

struct ChainSolver::State {
  // The pattern analysed last (compressed column starts and row indices), empty at first.
  std::vector<int> starts;
  std::vector<int> rows;
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;

  // compute(system), the ordering reused when the pattern is the last one's: compute is
  // analyzePattern (from the pattern alone) then factorize (from the values).
  void factorize(const Eigen::SparseMatrix<double>& system) {
    const int* outer = system.outerIndexPtr();
    const int* inner = system.innerIndexPtr();
    const auto n = static_cast<std::size_t>(system.outerSize()) + 1;
    const auto nonzeros = static_cast<std::size_t>(system.nonZeros());
    const bool same = starts.size() == n && rows.size() == nonzeros &&
                      std::equal(starts.begin(), starts.end(), outer) &&
                      std::equal(rows.begin(), rows.end(), inner);
    if (!same) {
      lu.analyzePattern(system);
      starts.assign(outer, outer + n);
      rows.assign(inner, inner + nonzeros);
    }
    lu.factorize(system);
  }

  // The chains solved so far on the graph below: their step probabilities, bit for bit, and
  // the visits solved from them. A sweep's points often differ only in what leaves the chain
  // at neutral emotion as it is (kappa, emotions, costs, durations), and a journey's personas
  // may share theirs; a chain seen before is not solved again, and the same probabilities
  // give the same visits, so what is kept is what a solve would give.
  std::size_t touchpoints = 0;
  std::vector<std::uint32_t> graph_from;
  std::vector<std::uint32_t> graph_to;
  struct Solved {
    std::vector<double> prob;
    std::vector<double> visits;
  };
  std::unordered_multimap<std::uint64_t, Solved> solved;
  std::size_t solved_values = 0;  // the doubles held in `solved`
  // Then forgotten, all at once: 8 MB a thread, whatever the chains' size.
  static constexpr std::size_t kMostSolvedValues = std::size_t{1} << 20;

  // The visits kept for `prob` on `j`'s graph, or nullptr; forgets them all when the graph is
  // another.
  const std::vector<double>* kept_visits(const CompiledJourney& j, const std::vector<double>& prob,
                                         std::uint64_t key) {
    if (touchpoints != j.touchpoint_count() || graph_from != j.transition_from ||
        graph_to != j.transition_to) {
      solved.clear();
      solved_values = 0;
      touchpoints = j.touchpoint_count();
      graph_from = j.transition_from;
      graph_to = j.transition_to;
      return nullptr;
    }
    const auto [first, last] = solved.equal_range(key);
    for (auto it = first; it != last; ++it) {
      const std::vector<double>& seen = it->second.prob;
      if (seen.size() == prob.size() &&
          std::memcmp(seen.data(), prob.data(), prob.size() * sizeof(double)) == 0) {
        return &it->second.visits;
      }
    }
    return nullptr;
  }

  void keep(std::uint64_t key, const std::vector<double>& prob, const std::vector<double>& visits) {
    const std::size_t values = prob.size() + visits.size();
    if (values > kMostSolvedValues) return;  // a chain this large is not kept
    if (solved_values + values > kMostSolvedValues) {
      solved.clear();
      solved_values = 0;
    }
    solved.emplace(key, Solved{prob, visits});
    solved_values += values;
  }
};

ChainSolver::ChainSolver() : state_(std::make_unique<State>()) {}
ChainSolver::~ChainSolver() = default;
ChainSolver::ChainSolver(ChainSolver&&) noexcept = default;
ChainSolver& ChainSolver::operator=(ChainSolver&&) noexcept = default;

namespace {

// The bits of a chain's step probabilities, mixed (splitmix64's finaliser per value).
std::uint64_t key_of(const std::vector<double>& prob) {
  std::uint64_t key = prob.size();
  for (double p : prob) {
    std::uint64_t x = key ^ std::bit_cast<std::uint64_t>(p);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    key = x ^ (x >> 31);
  }
  return key;
}

// The same by solving (I - Q) t = 1; infinite when some cycle is never left.
std::vector<double> solve_cyclic(const CompiledJourney& j, const std::vector<double>& prob,
                                 ChainSolver::State& chain) {
  const auto n = static_cast<Eigen::Index>(j.touchpoint_count());
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(j.transition_count() + j.touchpoint_count());
  for (Eigen::Index v = 0; v < n; ++v) entries.emplace_back(v, v, 1.0);
  for (std::size_t e = 0; e < j.transition_count(); ++e) {
    entries.emplace_back(static_cast<Eigen::Index>(j.transition_from[e]),
                         static_cast<Eigen::Index>(j.transition_to[e]), -prob[e]);
  }
  Eigen::SparseMatrix<double> system(n, n);
  system.setFromTriplets(entries.begin(), entries.end());
  system.makeCompressed();
  chain.factorize(system);
  const Eigen::SparseLU<Eigen::SparseMatrix<double>>& solver = chain.lu;
  if (solver.info() != Eigen::Success) return std::vector<double>(j.touchpoint_count(), kInfinity);
  const Eigen::VectorXd t = solver.solve(Eigen::VectorXd::Ones(n));
  std::vector<double> out(t.data(), t.data() + t.size());
  // A chain that is singular to rounding gives garbage: read it as a cycle never left.
  for (double& x : out) {
    if (!std::isfinite(x) || x < 1.0 - 1e-9) x = kInfinity;
  }
  return out;
}

// solve_cyclic's answer, solved once per chain (ChainSolver::State::solved).
std::vector<double> visits_cyclic(const CompiledJourney& j, const std::vector<double>& prob,
                                  ChainSolver::State& chain) {
  const std::uint64_t key = key_of(prob);
  if (const std::vector<double>* kept = chain.kept_visits(j, prob, key)) return *kept;
  std::vector<double> visits = solve_cyclic(j, prob, chain);
  chain.keep(key, prob, visits);
  return visits;
}

double expected_steps_of(const PersonaTables& p, const std::vector<double>& from) {
  double steps = 0.0;
  const double total = p.entry_cumulative.back();
  for (std::size_t k = 0; k < p.entry_touchpoints.size(); ++k) {
    const double previous = k == 0 ? 0.0 : p.entry_cumulative[k - 1];
    const double share = (p.entry_cumulative[k] - previous) / total;
    // A lost agent takes no step (MODEL.md 1.11).
    if (share > 0.0 && p.entry_touchpoints[k] != kLostEntry) {
      steps += share * from[p.entry_touchpoints[k]];
    }
  }
  return steps;
}

}  // namespace

JourneyLength expected_journey_length(const CompiledJourney& j) {
  ChainSolver solver;
  return expected_journey_length(j, solver);
}

JourneyLength expected_journey_length(const CompiledJourney& j, ChainSolver& solver) {
  JourneyLength out;
  const double personas = static_cast<double>(j.persona_count());
  const double size = static_cast<double>(j.touchpoint_count() + j.transition_count());
  const std::optional<std::vector<std::uint32_t>> order = forward_order(j);
  if (order ? personas * size > kMostAcyclicWork
            : personas * static_cast<double>(j.touchpoint_count()) > kMostCyclicTouchpoints) {
    out.note = fmt::format(
        "the expected journey length was not estimated: {} touchpoints{} x {} personas is "
        "more than is solved before a run",
        j.touchpoint_count(), order ? "" : " with cycles", j.persona_count());
    return out;
  }
  double steps = 0.0;
  for (const PersonaTables& p : j.personas) {
    if (p.entry_touchpoints.empty() || !(p.share > 0.0)) continue;
    const std::vector<double> prob = step_probabilities(j, p);
    const std::vector<double> from = order ? visits_acyclic(j, prob, *order) : visits_cyclic(j, prob, *solver.state_);
    steps += p.share * expected_steps_of(p, from);
  }
  out.known = true;
  const double cap = static_cast<double>(j.max_steps);
  out.capped = !(steps <= cap);
  out.steps_per_agent = out.capped ? cap : steps;
  out.exact = why_not_markov(j).empty() && !out.capped && !j.has_horizon;
  if (!why_not_markov(j).empty()) {
    out.note = fmt::format("an estimate from the chain at neutral emotion ({})", why_not_markov(j));
  } else if (j.has_horizon) {
    out.note = "the horizon can end journeys sooner; it is not counted";
  }
  return out;
}

std::string duration_words(double seconds) {
  struct Unit {
    double seconds;
    const char* name;
  };
  constexpr Unit kUnits[] = {{365.25 * 86400, "years"}, {30.44 * 86400, "months"},
                             {86400, "days"},           {3600, "hours"},
                             {60, "minutes"},           {1, "seconds"}};
  for (const Unit& unit : kUnits) {
    if (seconds >= unit.seconds) return fmt::format("{:.1f} {}", seconds / unit.seconds, unit.name);
  }
  return fmt::format("{:.1f} seconds", seconds);
}

RunLengthCheck check_run_length(const JourneyLength& length, double agent_journeys,
                                bool allow_long) {
  RunLengthCheck out;
  if (!length.known) return out;
  out.agent_steps = length.steps_per_agent * agent_journeys;
  const bool long_run = out.agent_steps > kLongAgentSteps;
  const bool long_journeys = length.steps_per_agent > kLongStepsPerAgent;
  if (!long_run && !long_journeys) return out;
  std::string message = fmt::format(
      "journeys are expected to take {}{:.3g} touchpoint visits each{}, {:.3g} agent-steps in "
      "all: about {} at {:g} million steps a second",
      length.capped ? "up to " : "about ", length.steps_per_agent,
      length.capped ? " (max_steps)" : "", out.agent_steps,
      duration_words(out.agent_steps / kQuotedStepsPerSecond), kQuotedStepsPerSecond / 1e6);
  if (!length.note.empty()) message += fmt::format(" ({})", length.note);
  if (out.agent_steps > kMostAgentSteps && !allow_long) {
    out.verdict = RunLengthCheck::Verdict::refuse;
    out.message = message + fmt::format(
                                "; more than the {:g} agent-steps run without --allow-long: "
                                "lower max_steps, make the cycles easier to leave, run fewer "
                                "agents, or pass --allow-long",
                                kMostAgentSteps);
    return out;
  }
  out.verdict = RunLengthCheck::Verdict::warn;
  out.message = message;
  return out;
}

}  // namespace cjsim
