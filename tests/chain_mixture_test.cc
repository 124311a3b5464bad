// Latent personas as a mixture of Markov chains (fit --personas K, --persona-model chains):
// EM recovers two known chains from paths drawn from them, says one chain collapsed, climbs,
// and gives the same fit for a seed whatever the threads.
#include "models/fit/chain_mixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/fit/fit_journey.h"
#include "models/fit/markov_fit.h"
#include "models/fit/persona_collapse.h"
#include "reports/render/emotion_fit_report.h"

namespace cjsim {
namespace {

// A chain over a, b, c and the conversion `buy` (which ends the journey): entry probabilities,
// and at each of a, b, c the probabilities of stopping and of moving to each touchpoint.
struct KnownChain {
  std::map<std::string, double> entry;
  std::map<std::string, std::map<std::string, double>> next;  // "" is stopping
};

// Chain A converts by a > b; chain B enters at c and loops through a.
KnownChain chain_a() {
  return {{{"a", 0.8}, {"b", 0.2}},
          {{"a", {{"", 0.2}, {"b", 0.6}, {"c", 0.1}, {"buy", 0.1}}},
           {"b", {{"", 0.3}, {"c", 0.5}, {"buy", 0.2}}},
           {"c", {{"", 0.5}, {"buy", 0.5}}}}};
}

KnownChain chain_b() {
  return {{{"a", 0.1}, {"c", 0.9}},
          {{"a", {{"", 0.6}, {"b", 0.1}, {"c", 0.1}, {"buy", 0.2}}},
           {"b", {{"", 0.6}, {"c", 0.2}, {"buy", 0.2}}},
           {"c", {{"", 0.3}, {"a", 0.3}, {"buy", 0.4}}}}};
}

std::uint64_t next_random(std::uint64_t& state) {
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  return state >> 11;
}

double uniform(std::uint64_t& state) { return static_cast<double>(next_random(state)) * 0x1.0p-53; }

std::string draw(const std::map<std::string, double>& probabilities, std::uint64_t& state) {
  double u = uniform(state);
  for (const auto& [name, p] : probabilities) {
    if (u < p) return name;
    u -= p;
  }
  return probabilities.rbegin()->first;
}

// `customers` paths, each from chain A with probability `share_a` (else B), as a path table
// would hold them: distinct paths with their counts.
ObservedJourneys drawn_paths(std::uint64_t customers, double share_a, std::uint64_t seed) {
  const KnownChain a = chain_a(), b = chain_b();
  std::uint64_t state = seed;
  std::map<std::vector<std::string>, std::uint64_t> counted_paths;
  for (std::uint64_t i = 0; i < customers; ++i) {
    const KnownChain& chain = uniform(state) < share_a ? a : b;
    std::vector<std::string> path{draw(chain.entry, state)};
    while (path.back() != "buy" && path.size() < 60) {
      const std::string to = draw(chain.next.at(path.back()), state);
      if (to.empty()) break;
      path.push_back(to);
    }
    ++counted_paths[path];
  }
  ObservedJourneys data;
  data.touchpoints = {"a", "b", "c", "buy"};
  data.stages = {"", "", "", ""};
  const std::map<std::string, std::uint32_t> index{{"a", 0}, {"b", 1}, {"c", 2}, {"buy", 3}};
  for (const auto& [names, count] : counted_paths) {
    ObservedPath p;
    for (const std::string& n : names) p.touchpoints.push_back(index.at(n));
    p.count = count;
    if (names.back() == "buy") p.conversion_step = static_cast<std::int64_t>(names.size()) - 1;
    data.paths.push_back(std::move(p));
  }
  data.segments = {""};
  return data;
}

struct Fitted {
  Scenario scenario;
  ChainMixture mixture;
};

Fitted fit_mixture(const ObservedJourneys& data, int personas, std::uint64_t seed) {
  const MarkovFit markov = fit_markov(data);
  Fitted f{markov.scenario, {}};
  ChainMixtureOptions options;
  options.personas = personas;
  options.seed = seed;
  f.mixture = fit_chain_mixture(in_fitted_terms(data, markov), f.scenario, options);
  return f;
}

const Persona& persona(const Scenario& s, const std::string& id) {
  for (const Persona& p : s.personas) {
    if (p.id == id) return p;
  }
  throw std::runtime_error("no persona " + id);
}

// The persona's probability of moving from `from` to `to` when it moves on from `from`.
double move_probability(const Persona& p, const std::string& from, const std::string& to) {
  double total = 0.0, chosen = 0.0;
  for (const PersonaTransition& t : p.transitions) {
    if (t.from != from) continue;
    total += t.weight;
    if (t.to == to) chosen = t.weight;
  }
  return chosen / total;
}

double entry_probability(const Persona& p, const std::string& v) {
  double total = 0.0;
  for (const auto& [id, w] : p.entry) total += w;
  const auto it = p.entry.find(v);
  return it == p.entry.end() ? 0.0 : it->second / total;
}

// The fitted journey names the conversion `buy` as the data do.
std::string buy_id(const Scenario& s) {
  for (const Touchpoint& t : s.touchpoints) {
    if (t.id.starts_with("buy")) return t.id;
  }
  throw std::runtime_error("no buy touchpoint");
}

// 20,000 customers, 60% of chain A: each share's standard error is about 0.004 and each
// probability below rests on 2,000 or more expected customers, so the tolerances (0.03 for the
// shares and entries, 0.05 for moves and dropouts) are several standard errors wide.
TEST(ChainMixture, RecoversTwoKnownChains) {
  const Fitted f = fit_mixture(drawn_paths(20000, 0.6, 7), 2, 1);
  const ChainMixture& m = f.mixture;
  ASSERT_EQ(m.personas.size(), 2u);
  EXPECT_NEAR(m.personas[0].share, 0.6, 0.03);
  EXPECT_NEAR(m.personas[1].share, 0.4, 0.03);
  const Persona& a = persona(f.scenario, m.personas[0].persona);
  const Persona& b = persona(f.scenario, m.personas[1].persona);
  EXPECT_NEAR(entry_probability(a, "a"), 0.8, 0.03);
  EXPECT_NEAR(entry_probability(b, "c"), 0.9, 0.03);
  EXPECT_NEAR(move_probability(a, "a", "b"), 0.6 / 0.8, 0.05);
  EXPECT_NEAR(move_probability(b, "c", "a"), 0.3 / 0.7, 0.05);
  EXPECT_NEAR(move_probability(b, "c", buy_id(f.scenario)), 0.4 / 0.7, 0.05);
  EXPECT_NEAR(a.dropout.at("b"), 0.3, 0.05);
  EXPECT_NEAR(b.dropout.at("a"), 0.6, 0.05);
  EXPECT_NEAR(b.dropout.at("c"), 0.3, 0.05);
  EXPECT_FALSE(m.collapse.collapsed) << m.collapse.criterion;
  EXPECT_GT(m.log_likelihood, m.one_chain_log_likelihood);
  EXPECT_LT(m.bic, m.one_chain_bic);
  EXPECT_TRUE(m.converged) << m.iterations << " iterations";
  // Each persona's conversion in the data (weighted) is its own chain's (the closed form of a
  // chain fitted by counts gives back its customers' conversion).
  for (const SegmentFit& p : m.personas) {
    EXPECT_NEAR(p.fitted_conversion_probability, p.data_conversion_rate, 1e-9) << p.persona;
  }
}

TEST(ChainMixture, OneChainIsReportedCollapsed) {
  const Fitted f = fit_mixture(drawn_paths(20000, 1.0, 11), 2, 1);
  const PersonaCollapse& c = f.mixture.collapse;
  EXPECT_TRUE(c.checked);
  EXPECT_TRUE(c.collapsed) << c.criterion;
  EXPECT_LE(c.log_likelihood_gain, c.gain_threshold);
  EXPECT_NE(persona_collapse_text(c).find("collapsed"), std::string::npos);
}

TEST(ChainMixture, LogLikelihoodNeverFallsOverIterations) {
  for (const double share : {0.6, 1.0}) {
    const Fitted f = fit_mixture(drawn_paths(5000, share, 3), 3, 2);
    const std::vector<double>& trace = f.mixture.log_likelihood_by_iteration;
    ASSERT_GE(trace.size(), 2u);
    for (std::size_t i = 1; i < trace.size(); ++i) {
      EXPECT_GE(trace[i], trace[i - 1] - 1e-9 * std::abs(trace[i - 1])) << "iteration " << i + 1;
    }
    EXPECT_EQ(trace.back(), f.mixture.log_likelihood);
    ASSERT_EQ(f.mixture.start_log_likelihoods.size(), static_cast<std::size_t>(f.mixture.starts));
    for (const double start : f.mixture.start_log_likelihoods) {
      EXPECT_LE(start, f.mixture.log_likelihood);
    }
  }
}

TEST(ChainMixture, FewerDistinctPathsThanPersonasAreRefused) {
  ObservedJourneys data = drawn_paths(50, 1.0, 5);
  data.paths.resize(2);
  data.paths[1].conversion_step = static_cast<std::int64_t>(data.paths[1].touchpoints.size()) - 1;
  data.paths[1].touchpoints.back() = 3;
  EXPECT_THROW(fit_mixture(data, 3, 1), std::invalid_argument);
}

FitRequest mixture_request(unsigned threads, std::uint64_t seed) {
  FitRequest request;
  request.data = drawn_paths(3000, 0.6, 13);
  request.data_name = "drawn";
  request.out_name = "fitted.yaml";
  request.personas = 2;
  request.agents = 2000;
  request.seed = seed;
  request.threads = threads;
  return request;
}

TEST(ChainMixture, SameSeedSameFitWhateverTheThreads) {
  const FitResult one = fit_journey(mixture_request(1, 5));
  const FitResult two = fit_journey(mixture_request(2, 5));
  ASSERT_TRUE(one.fitted() && two.fitted());
  ASSERT_TRUE(one.mixture && two.mixture);
  EXPECT_FALSE(one.emotion);  // chains by default without a skeleton
  EXPECT_EQ(one.scenario_yaml, two.scenario_yaml);
  EXPECT_EQ(one.notes, two.notes);
  EXPECT_EQ(one.mixture->log_likelihood_by_iteration, two.mixture->log_likelihood_by_iteration);
  EXPECT_EQ(one.mixture->start_log_likelihoods, two.mixture->start_log_likelihoods);
}

TEST(ChainMixture, OddsModelStillFitsDropoutOdds) {
  FitRequest request = mixture_request(2, 5);
  request.persona_model = PersonaModel::odds;
  const FitResult fit = fit_journey(request);
  ASSERT_TRUE(fit.fitted()) << fit.diagnostics.to_string();
  EXPECT_FALSE(fit.mixture);
  ASSERT_TRUE(fit.emotion);
  EXPECT_TRUE(fit.emotion->collapse.checked);
  for (const Persona& p : fit.scenario.personas) EXPECT_TRUE(p.transitions.empty());
}

TEST(ChainMixture, WrittenPersonasRunAsFitted) {
  const FitResult fit = fit_journey(mixture_request(2, 5));
  ASSERT_TRUE(fit.fitted()) << fit.diagnostics.to_string();
  ASSERT_EQ(fit.scenario.personas.size(), 2u);
  const nlohmann::json json = chain_mixture_json(*fit.mixture);
  EXPECT_EQ(json["model"], "chains");
  EXPECT_EQ(json["personas"].size(), 2u);
  EXPECT_EQ(json["personas"][0]["persona"], fit.scenario.personas[0].id);
  EXPECT_EQ(json["log_likelihood_by_iteration"].size(),
            static_cast<std::size_t>(fit.mixture->iterations));
  // The shares written are the personas' expected customers.
  double customers = 0.0;
  for (const Persona& p : fit.scenario.personas) customers += p.share;
  EXPECT_NEAR(customers, 3000.0, 1e-6);
}

}  // namespace
}  // namespace cjsim
