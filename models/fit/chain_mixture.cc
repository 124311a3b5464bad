// A mixture of Markov chains by EM: responsibilities per distinct path, each persona's chain
// from its responsibility-weighted counts, several seeded starts, the best kept.
#include "models/fit/chain_mixture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "models/fit/persona_collapse.h"
#include "scenarios/diagnostic.h"
#include "sim/model/cancellation.h"

namespace cjsim {
namespace {

constexpr double kNegativeInfinity = -std::numeric_limits<double>::infinity();

// One distinct path as the chain sees it: where it enters, the transitions it takes and the
// touchpoint it stops at (-1 when it ends on a touchpoint with no way out, which ends the
// journey as completed and says nothing of a dropout).
struct MixturePath {
  std::uint32_t entry = 0;
  std::vector<std::uint32_t> moves;  // transition indices
  std::int64_t stop = -1;
  double customers = 0.0;
  bool converted = false;
};

// The chain's graph: touchpoints, and transitions indexed in the scenario's order.
struct ChainGraph {
  std::size_t touchpoints = 0;
  std::vector<std::uint32_t> from, to;  // by transition
  std::vector<bool> has_way_out;        // by touchpoint
};

// A persona's expected counts (fractional), from which its chain is the maximum.
struct PersonaChainCounts {
  double customers = 0.0, converted = 0.0;
  std::vector<double> entries, stops, moves_on, moves;
};

// A persona's chain as log-probabilities: of entering at v, of stopping at v, and of taking
// transition e when at its touchpoint (moving on times choosing e).
struct ChainLogs {
  double share = 0.0;
  std::vector<double> entry, stop, move;
};

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// In (0, 1]: 53 random bits.
double unit_draw(std::uint64_t& state) {
  return static_cast<double>((splitmix64(state) >> 11) + 1) * 0x1.0p-53;
}

double safe_log(double x) { return x > 0.0 ? std::log(x) : kNegativeInfinity; }

std::vector<MixturePath> mixture_paths(
    const ObservedJourneys& data, const ChainGraph& graph,
    const std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t>& transition_of) {
  std::vector<MixturePath> paths;
  for (const ObservedPath& p : data.paths) {
    if (p.count == 0 || p.touchpoints.empty()) continue;
    MixturePath m;
    m.entry = p.touchpoints.front();
    m.customers = static_cast<double>(p.count);
    m.converted = p.conversion_step >= 0;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::uint32_t v = p.touchpoints[i];
      if (v >= graph.touchpoints) {
        throw std::logic_error(
            "a path of the mixture has a touchpoint the fit did not see (a bug)");
      }
      if (i + 1 == p.touchpoints.size()) {
        if (graph.has_way_out[v]) m.stop = v;
        continue;
      }
      auto it = transition_of.find({v, p.touchpoints[i + 1]});
      if (it == transition_of.end()) {
        throw std::logic_error("a path of the mixture takes a transition the fit lacks (a bug)");
      }
      m.moves.push_back(it->second);
    }
    paths.push_back(std::move(m));
  }
  return paths;
}

// Each persona's counts, every path weighted by its responsibility (paths x K, row-major).
std::vector<PersonaChainCounts> weighted_counts(const std::vector<MixturePath>& paths,
                                                const std::vector<double>& responsibility,
                                                std::size_t K, const ChainGraph& graph) {
  std::vector<PersonaChainCounts> counts(K);
  for (PersonaChainCounts& c : counts) {
    c.entries.assign(graph.touchpoints, 0.0);
    c.stops.assign(graph.touchpoints, 0.0);
    c.moves_on.assign(graph.touchpoints, 0.0);
    c.moves.assign(graph.from.size(), 0.0);
  }
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const MixturePath& p = paths[i];
    for (std::size_t k = 0; k < K; ++k) {
      const double w = p.customers * responsibility[i * K + k];
      if (w == 0.0) continue;
      PersonaChainCounts& c = counts[k];
      c.customers += w;
      if (p.converted) c.converted += w;
      c.entries[p.entry] += w;
      for (const std::uint32_t e : p.moves) {
        c.moves[e] += w;
        c.moves_on[graph.from[e]] += w;
      }
      if (p.stop >= 0) c.stops[static_cast<std::size_t>(p.stop)] += w;
    }
  }
  return counts;
}

// The maximum of the expected complete-data likelihood: each persona's chain from its counts.
std::vector<ChainLogs> chains_from(const std::vector<PersonaChainCounts>& counts, double customers,
                                   const ChainGraph& graph) {
  std::vector<ChainLogs> chains(counts.size());
  for (std::size_t k = 0; k < counts.size(); ++k) {
    const PersonaChainCounts& c = counts[k];
    ChainLogs& l = chains[k];
    l.share = safe_log(c.customers / customers);
    l.entry.resize(graph.touchpoints);
    l.stop.resize(graph.touchpoints);
    l.move.resize(graph.from.size());
    for (std::size_t v = 0; v < graph.touchpoints; ++v) {
      l.entry[v] = c.customers > 0.0 ? safe_log(c.entries[v] / c.customers) : kNegativeInfinity;
      const double visits = c.stops[v] + c.moves_on[v];
      l.stop[v] = visits > 0.0 ? safe_log(c.stops[v] / visits) : kNegativeInfinity;
    }
    for (std::size_t e = 0; e < graph.from.size(); ++e) {
      const std::uint32_t v = graph.from[e];
      const double visits = c.stops[v] + c.moves_on[v];
      l.move[e] = c.moves_on[v] > 0.0
                      ? std::log(c.moves_on[v] / visits) + safe_log(c.moves[e] / c.moves_on[v])
                      : kNegativeInfinity;
    }
  }
  return chains;
}

// The log-likelihood of the paths under the mixture, and each path's responsibilities.
double expectation(const std::vector<MixturePath>& paths, const std::vector<ChainLogs>& chains,
                   std::vector<double>& responsibility) {
  const std::size_t K = chains.size();
  std::vector<double> log_joint(K);
  double log_likelihood = 0.0;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const MixturePath& p = paths[i];
    double most = kNegativeInfinity;
    for (std::size_t k = 0; k < K; ++k) {
      const ChainLogs& l = chains[k];
      double x = l.share + l.entry[p.entry];
      for (const std::uint32_t e : p.moves) x += l.move[e];
      if (p.stop >= 0) x += l.stop[static_cast<std::size_t>(p.stop)];
      log_joint[k] = x;
      most = std::max(most, x);
    }
    if (most == kNegativeInfinity) {
      throw std::logic_error("a path has probability 0 under every persona's chain (a bug)");
    }
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) sum += std::exp(log_joint[k] - most);
    for (std::size_t k = 0; k < K; ++k) {
      responsibility[i * K + k] = std::exp(log_joint[k] - most) / sum;
    }
    log_likelihood += p.customers * (most + std::log(sum));
  }
  return log_likelihood;
}

// The free parameters of one chain on these data: at each touchpoint the outcomes seen
// (stopping, each transition taken) less one, and the entries seen less one.
int chain_parameters(const PersonaChainCounts& c, const ChainGraph& graph) {
  int n = static_cast<int>(
              std::count_if(c.entries.begin(), c.entries.end(), [](double x) { return x > 0.0; })) -
          1;
  std::vector<int> outcomes(graph.touchpoints, 0);
  for (std::size_t v = 0; v < graph.touchpoints; ++v) outcomes[v] = c.stops[v] > 0.0 ? 1 : 0;
  for (std::size_t e = 0; e < graph.from.size(); ++e) {
    if (c.moves[e] > 0.0) ++outcomes[graph.from[e]];
  }
  for (const int o : outcomes) n += std::max(o - 1, 0);
  return std::max(n, 0);
}

struct StartResult {
  double log_likelihood = kNegativeInfinity;
  std::vector<double> by_iteration;
  std::vector<double> responsibility;
  bool converged = false;
};

StartResult run_start(const std::vector<MixturePath>& paths, double customers, std::size_t K,
                      const ChainGraph& graph, const ChainMixtureOptions& options, int start,
                      const std::function<void(int iteration)>& step) {
  StartResult r;
  r.responsibility.resize(paths.size() * K);
  // A random split of every distinct path (flat Dirichlet weights), seeded per start.
  std::uint64_t state =
      options.seed ^ (0xD1B54A32D192ED03ULL * static_cast<std::uint64_t>(start + 1));
  for (std::size_t i = 0; i < paths.size(); ++i) {
    double sum = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      r.responsibility[i * K + k] = -std::log(unit_draw(state));
      sum += r.responsibility[i * K + k];
    }
    for (std::size_t k = 0; k < K; ++k) r.responsibility[i * K + k] /= sum;
  }
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    step(iteration);
    const std::vector<ChainLogs> chains =
        chains_from(weighted_counts(paths, r.responsibility, K, graph), customers, graph);
    const double log_likelihood = expectation(paths, chains, r.responsibility);
    r.by_iteration.push_back(log_likelihood);
    const double previous = r.log_likelihood;
    r.log_likelihood = log_likelihood;
    if (iteration > 1 && std::abs(log_likelihood - previous) <=
                             options.relative_tolerance * std::abs(log_likelihood)) {
      r.converged = true;
      break;
    }
  }
  return r;
}

// Each probability of a persona's chain, with the customers it is estimated on.
struct ChainProbability {
  std::string name;
  double value = 0.0;
  double trials = 0.0;
};

std::vector<ChainProbability> chain_probabilities(const PersonaChainCounts& c,
                                                  const ChainGraph& graph,
                                                  const Scenario& scenario) {
  std::vector<ChainProbability> out;
  for (std::size_t v = 0; v < graph.touchpoints; ++v) {
    const std::string& id = scenario.touchpoints[v].id;
    out.push_back(
        {"entry " + id, c.customers > 0.0 ? c.entries[v] / c.customers : 0.0, c.customers});
    const double visits = c.stops[v] + c.moves_on[v];
    if (graph.has_way_out[v]) {
      out.push_back({"dropout " + id, visits > 0.0 ? c.stops[v] / visits : 0.0, visits});
    }
  }
  for (std::size_t e = 0; e < graph.from.size(); ++e) {
    const double on = c.moves_on[graph.from[e]];
    out.push_back({fmt::format("transition {} -> {}", scenario.touchpoints[graph.from[e]].id,
                               scenario.touchpoints[graph.to[e]].id),
                   on > 0.0 ? c.moves[e] / on : 0.0, on});
  }
  return out;
}

// Pairs of chains within their standard errors, and the gain over one chain against BIC.
PersonaCollapse mixture_collapse(const std::vector<PersonaChainCounts>& counts,
                                 const std::vector<std::string>& ids, const ChainGraph& graph,
                                 const Scenario& scenario, const ChainMixture& m) {
  PersonaCollapse out;
  out.checked = true;
  std::vector<std::vector<ChainProbability>> probabilities;
  for (const PersonaChainCounts& c : counts)
    probabilities.push_back(chain_probabilities(c, graph, scenario));
  std::string pairs;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    for (std::size_t j = i + 1; j < counts.size(); ++j) {
      // The largest difference in standard errors, over the probabilities both estimate.
      double largest = 0.0;
      std::string where = "no probability both personas estimate";
      for (std::size_t q = 0; q < probabilities[i].size(); ++q) {
        const ChainProbability& a = probabilities[i][q];
        const ChainProbability& b = probabilities[j][q];
        if (!(a.trials > 0.0) || !(b.trials > 0.0)) continue;
        const double se = std::hypot(std::sqrt(a.value * (1.0 - a.value) / a.trials),
                                     std::sqrt(b.value * (1.0 - b.value) / b.trials));
        const double gap = std::abs(a.value - b.value);
        const double z =
            se > 0.0 ? gap / se : (gap > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
        if (z > largest || where.starts_with("no ")) {
          largest = z;
          where = fmt::format("{}: {:.4g} and {:.4g}", a.name, a.value, b.value);
        }
      }
      if (largest > kCoincideStandardErrors) continue;
      out.coinciding.emplace_back(ids[i], ids[j]);
      pairs += fmt::format("{}'{}' and '{}' (largest difference {:.2f} standard errors, {})",
                           pairs.empty() ? "" : "; ", ids[i], ids[j], largest, where);
    }
  }
  out.one_persona_log_likelihood = m.one_chain_log_likelihood;
  out.log_likelihood_gain = m.log_likelihood - m.one_chain_log_likelihood;
  out.extra_parameters = m.free_parameters - m.one_chain_parameters;
  out.gain_threshold = 0.5 * out.extra_parameters *
                       std::log(static_cast<double>(std::max<std::uint64_t>(m.customers, 2)));
  const bool too_little_gain = out.log_likelihood_gain <= out.gain_threshold;
  out.collapsed = !out.coinciding.empty() || too_little_gain;
  out.criterion = fmt::format(
      "two personas coincide when every probability of their chains (entry, dropout, "
      "transition) lies within {} standard errors of the other's; the {} chains gain {:.2f} in "
      "log-likelihood over one chain, {} the {:.2f} BIC asks of their {} extra parameters",
      kCoincideStandardErrors, counts.size(), out.log_likelihood_gain,
      too_little_gain ? "not above" : "above", out.gain_threshold, out.extra_parameters);
  if (!pairs.empty()) out.criterion = "coinciding: " + pairs + "; " + out.criterion;
  return out;
}

}  // namespace

ChainMixture fit_chain_mixture(const ObservedJourneys& data, Scenario& scenario,
                               const ChainMixtureOptions& options) {
  if (options.personas < 2) throw std::invalid_argument("a mixture has two personas or more");
  const std::size_t K = static_cast<std::size_t>(options.personas);
  ChainGraph graph;
  graph.touchpoints = scenario.touchpoints.size();
  graph.has_way_out.assign(graph.touchpoints, false);
  std::map<std::string, std::uint32_t, std::less<>> index;
  for (std::uint32_t v = 0; v < graph.touchpoints; ++v)
    index.emplace(scenario.touchpoints[v].id, v);
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> transition_of;
  for (const Transition& t : scenario.transitions) {
    const std::uint32_t v = index.at(t.from), w = index.at(t.to);
    transition_of.emplace(std::pair(v, w), static_cast<std::uint32_t>(graph.from.size()));
    graph.from.push_back(v);
    graph.to.push_back(w);
    graph.has_way_out[v] = true;
  }
  const std::vector<MixturePath> paths = mixture_paths(data, graph, transition_of);
  ChainMixture m;
  double customers = 0.0;
  for (const MixturePath& p : paths) customers += p.customers;
  m.customers = static_cast<std::uint64_t>(customers);
  m.distinct_paths = paths.size();
  if (paths.size() < K) {
    throw std::invalid_argument(fmt::format(
        "{} latent personas have more chains than {} on {} can tell apart: fit at most {}", K,
        counted(m.customers, "customer"), counted(paths.size(), "distinct path"),
        paths.size() < 2 ? std::string("one persona") : fmt::format("{} personas", paths.size())));
  }

  // One chain: the pooled fit's numbers.
  std::vector<double> ones(paths.size(), 1.0);
  const std::vector<PersonaChainCounts> pooled = weighted_counts(paths, ones, 1, graph);
  m.one_chain_log_likelihood = expectation(paths, chains_from(pooled, customers, graph), ones);
  m.one_chain_parameters = chain_parameters(pooled[0], graph);
  const double log_customers = std::log(std::max(customers, 2.0));
  m.one_chain_bic = -2.0 * m.one_chain_log_likelihood + m.one_chain_parameters * log_customers;

  m.starts = std::max(options.starts, 1);
  StartResult best;
  for (int s = 0; s < m.starts; ++s) {
    const auto step = [&](int iteration) {
      if (is_cancelled(options.cancel)) throw RunCancelled();
      if (options.progress && iteration == 1) {
        options.progress(static_cast<std::size_t>(s), static_cast<std::size_t>(m.starts),
                         fmt::format("start {} of {}: EM", s + 1, m.starts));
      }
    };
    StartResult r = run_start(paths, customers, K, graph, options, s, step);
    m.start_log_likelihoods.push_back(r.log_likelihood);
    if (r.log_likelihood > best.log_likelihood) {
      best = std::move(r);
      m.best_start = s + 1;
    }
  }
  m.log_likelihood = best.log_likelihood;
  m.iterations = static_cast<int>(best.by_iteration.size());
  m.converged = best.converged;
  m.log_likelihood_by_iteration = std::move(best.by_iteration);
  m.free_parameters = static_cast<int>(K) * m.one_chain_parameters + static_cast<int>(K) - 1;
  m.aic = -2.0 * m.log_likelihood + 2.0 * m.free_parameters;
  m.bic = -2.0 * m.log_likelihood + m.free_parameters * log_customers;

  // The personas by share, largest first (the first on a tie), so that labels do not depend
  // on which start found them.
  std::vector<PersonaChainCounts> counts = weighted_counts(paths, best.responsibility, K, graph);
  std::vector<std::size_t> order(K);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return counts[a].customers > counts[b].customers;
  });
  std::vector<PersonaChainCounts> sorted;
  for (const std::size_t k : order) sorted.push_back(counts[k]);
  counts = std::move(sorted);

  std::vector<PersonaCounts> written;
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < K; ++k) {
    const PersonaChainCounts& c = counts[k];
    PersonaCounts p;
    p.id = fmt::format("persona_{}", k + 1);
    p.name = fmt::format("Latent persona {}", k + 1);
    p.description = fmt::format(
        "A latent persona of a mixture of {} Markov chains fitted by EM: its numbers are its "
        "customers' expected counts.",
        K);
    p.customers = c.customers;
    p.converted = c.converted;
    p.entries = c.entries;
    p.stops = c.stops;
    p.moves_on = c.moves_on;
    p.visits.resize(graph.touchpoints);
    for (std::size_t v = 0; v < graph.touchpoints; ++v) p.visits[v] = c.stops[v] + c.moves_on[v];
    for (std::size_t e = 0; e < graph.from.size(); ++e) {
      if (c.moves[e] > 0.0) p.moves[{graph.from[e], graph.to[e]}] = c.moves[e];
    }
    ids.push_back(p.id);
    written.push_back(std::move(p));
  }
  m.collapse = mixture_collapse(counts, ids, graph, scenario, m);
  m.personas = add_count_personas(written, scenario);
  return m;
}

std::vector<std::string> chain_mixture_notes(const ChainMixture& m) {
  std::vector<std::string> notes;
  notes.push_back(fmt::format(
      "A mixture of {} Markov chains by EM (--persona-model chains): each persona's entry "
      "weights, dropouts and transition weights are its customers' expected counts "
      "(sim/model/MODEL.md 1.12), its share the mixing weight; the journey's numbers are the "
      "pooled chain",
      m.personas.size()));
  const auto& trace = m.log_likelihood_by_iteration;
  std::string shown;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    if (i >= 3 && i + 1 < trace.size()) {
      if (i == 3) shown += ", ...";
      continue;
    }
    shown += fmt::format("{}{:.3f}", i ? ", " : "", trace[i]);
  }
  notes.push_back(fmt::format(
      "EM: log-likelihood {:.3f} ({} free parameters, AIC {:.1f}, BIC {:.1f}) against {:.3f} "
      "for one chain ({} parameters, BIC {:.1f}); the best of {} seeded starts (start {}), {} "
      "iterations, {}; by iteration: {}",
      m.log_likelihood, m.free_parameters, m.aic, m.bic, m.one_chain_log_likelihood,
      m.one_chain_parameters, m.one_chain_bic, m.starts, m.best_start, m.iterations,
      m.converged ? "converged" : "stopped at the most iterations before converging", shown));
  for (const SegmentFit& p : m.personas) {
    notes.push_back(fmt::format(
        "Latent persona '{}' ({:.1f}%, {:.1f} customers expected): {}, {} and {} of its own; "
        "its customers convert {:.2f}% in the data (weighted by responsibility), {:.2f}% in its "
        "chain",
        p.persona, 100.0 * p.share, p.customers, counted(p.entry_weights, "entry weight"),
        counted(p.dropouts, "dropout"), counted(p.transition_weights, "transition weight"),
        100.0 * p.data_conversion_rate, 100.0 * p.fitted_conversion_probability));
  }
  notes.push_back(persona_collapse_text(m.collapse));
  return notes;
}

}  // namespace cjsim
