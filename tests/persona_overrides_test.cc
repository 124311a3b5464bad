// Personas with numbers of their own (sim/model/MODEL.md 1.12): their own entry weights,
// dropouts and transition weights, read, written, checked, compared and run.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>

#include "random_journeys.h"
#include "scratch.h"
#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/parameter_path.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

// The journey as `persona` alone sees it, its own numbers written into the journey itself and
// taken off the persona: the plain model's chain of that persona's numbers (1.12).
Scenario baked(const Scenario& s, const Persona& persona) {
  Scenario out = s;
  for (Touchpoint& t : out.touchpoints) {
    t.entry_weight = persona_entry_weight(persona, t);
    t.dropout = persona_dropout(persona, t);
  }
  for (Transition& t : out.transitions) t.weight = persona_transition_weight(persona, t);
  Persona plain = persona;
  plain.entry.clear();
  plain.dropout.clear();
  plain.transitions.clear();
  out.personas = {plain};
  return out;
}

// A random chain and two personas that differ in where they start, where they drop out and
// which way they go, besides affinities and dropout odds.
Scenario two_kinds_of_customer() {
  Scenario s = testing::random_markov_journey(7, 12);
  Persona browser = s.personas.front();
  browser.id = "browser";
  browser.share = 2;
  browser.entry = {{"t0", 1.0}, {"t4", 3.0}};
  browser.dropout = {{"t1", 0.6}, {"t2", 0.02}};
  Persona loyal = s.personas.front();
  loyal.id = "loyal";
  loyal.share = 1;
  loyal.dropout_odds = 0.7;
  loyal.channel_affinity = {{"web", 1.5}};
  loyal.dropout = {{"t0", 0.01}, {"t3", 0.9}};
  // Close one transition out of each of the first touchpoints with more than one way on, and
  // reweight another.
  for (const std::string from : {"t0", "t1", "t2"}) {
    int ways = 0;
    for (const Transition& t : s.transitions) ways += t.from == from;
    if (ways < 2) continue;
    for (const Transition& t : s.transitions) {
      if (t.from != from) continue;
      loyal.transitions.push_back({t.from, t.to, 0.0, {}});
      break;
    }
  }
  for (const Transition& t : s.transitions) {
    if (t.from == "t3") {
      loyal.transitions.push_back({t.from, t.to, 5.0, {}});
      break;
    }
  }
  s.personas = {browser, loyal};
  return s;
}

double binomial_se(double p, double n) { return std::sqrt(std::max(p * (1 - p), 1e-12) / n); }

TEST(PersonaOverrides, EachPersonasConversionMatchesTheChainOfItsOwnNumbers) {
  const Scenario mixed = two_kinds_of_customer();
  ASSERT_FALSE(mixed.personas[1].transitions.empty());
  Diagnostics diagnostics;
  validate_scenario(mixed, diagnostics);
  ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();

  const CompiledJourney journey = compile(mixed);
  ASSERT_EQ(why_not_markov(journey), "");
  RunOptions options;
  options.agents = 400000;
  options.seed = 31;
  const Summary summary = summarize(journey, run(journey, options).replications);
  ASSERT_EQ(summary.personas.size(), 2u);

  std::vector<double> rates;
  for (std::size_t k = 0; k < mixed.personas.size(); ++k) {
    SCOPED_TRACE(mixed.personas[k].id);
    // The exact value, from the plain model's chain of the persona's numbers (nothing of the
    // overrides' code path is in it) ...
    const MarkovAnalysis exact = analyse_markov(compile(baked(mixed, mixed.personas[k])));
    // ... which the persona's own tables give too, to rounding.
    Scenario alone = mixed;
    alone.personas = {mixed.personas[k]};
    EXPECT_NEAR(analyse_markov(compile(alone)).conversion_probability,
                exact.conversion_probability, 1e-12);
    const PersonaFigures& figures = summary.personas[k];
    ASSERT_EQ(figures.id, mixed.personas[k].id);
    const double n = static_cast<double>(figures.figures.agents);
    // Four binomial standard errors: a wrong table (the journey's numbers instead of the
    // persona's) moves the rate by far more on these chains.
    EXPECT_NEAR(figures.figures.conversion_rate.value, exact.conversion_probability,
                4 * binomial_se(exact.conversion_probability, n));
    rates.push_back(exact.conversion_probability);
    // Without its own numbers the persona's chain differs: the test can tell them apart.
    Scenario plain = alone;
    plain.personas[0] = baked(mixed, Persona{}).personas[0];
    plain.personas[0].dropout_odds = mixed.personas[k].dropout_odds;
    plain.personas[0].channel_affinity = mixed.personas[k].channel_affinity;
    EXPECT_GT(std::abs(analyse_markov(compile(plain)).conversion_probability -
                       exact.conversion_probability),
              20 * binomial_se(exact.conversion_probability, n));
  }
  // The pooled chain is the share-weighted mixture of the two.
  EXPECT_NEAR(analyse_markov(journey).conversion_probability, (2 * rates[0] + rates[1]) / 3,
              1e-12);
}

TEST(PersonaOverrides, AJourneyWithoutThemCompilesAsBefore) {
  // The persona's tables from the journey's numbers and from the same numbers written as the
  // persona's own are the same to the bit.
  Scenario s = testing::random_markov_journey(3, 9);
  Scenario own = s;
  Persona& p = own.personas.front();
  for (const Touchpoint& t : s.touchpoints) {
    if (t.entry_weight > 0) p.entry[t.id] = t.entry_weight;
    p.dropout[t.id] = t.dropout;
  }
  for (const Transition& t : s.transitions) p.transitions.push_back({t.from, t.to, t.weight, {}});
  const CompiledJourney a = compile(s), b = compile(own);
  EXPECT_EQ(a.personas[0].entry_touchpoints, b.personas[0].entry_touchpoints);
  EXPECT_EQ(a.personas[0].entry_cumulative, b.personas[0].entry_cumulative);
  EXPECT_EQ(a.personas[0].transition_cumulative, b.personas[0].transition_cumulative);
  EXPECT_EQ(a.personas[0].dropout_log_odds, b.personas[0].dropout_log_odds);
}

constexpr const char* kJourney = R"(name: shop
stages: [find, buy]
touchpoints:
  - {id: home, stage: find, channel: web, entry_weight: 2, dropout: 0.2}
  - {id: email, stage: find, channel: email, entry_weight: 1, dropout: 0.1}
  - {id: search, stage: find, channel: web, dropout: 0.3}
  - {id: checkout, stage: buy, channel: web, conversion: {value: 10}}
transitions:
  - {from: home, to: search}
  - {from: home, to: checkout}
  - {from: email, to: checkout}
  - {from: search, to: checkout}
)";

std::optional<Scenario> parsed(const std::string& personas, Diagnostics& diagnostics) {
  std::optional<Scenario> s =
      parse_scenario(std::string(kJourney) + personas, "shop.yaml", diagnostics);
  if (s) validate_scenario(*s, diagnostics);
  return s;
}

TEST(PersonaOverrides, AreReadAndWrittenBack) {
  Diagnostics diagnostics;
  const std::optional<Scenario> s = parsed(R"(personas:
  - {id: all, share: 2}
  - id: loyal
    entry: {email: 1}
    dropout: {home: 0.05}
    transitions: [{from: home, to: search, weight: 0}, {from: home, to: checkout, weight: 3}]
)",
                                           diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  const Persona& loyal = s->personas[1];
  EXPECT_EQ(loyal.entry, (EntryWeights{{"email", 1.0}}));
  EXPECT_EQ(loyal.dropout.at("home"), 0.05);
  ASSERT_EQ(loyal.transitions.size(), 2u);
  EXPECT_EQ(loyal.transitions[1], (PersonaTransition{"home", "checkout", 3.0, {}}));
  EXPECT_EQ(loyal.fields.at("dropout.home").line, 17);

  Diagnostics again;
  const std::optional<Scenario> back = parse_scenario(scenario_yaml(*s), "back.yaml", again);
  ASSERT_TRUE(back) << again.to_string() << scenario_yaml(*s);
  EXPECT_EQ(back->personas[1].entry, loyal.entry);
  EXPECT_EQ(back->personas[1].dropout, loyal.dropout);
  EXPECT_EQ(back->personas[1].transitions, loyal.transitions);
  EXPECT_FALSE(has_overrides(back->personas[0]));
}

// Each problem once, at its line and column.
TEST(PersonaOverrides, ProblemsAreErrorsAtTheirPlace) {
  struct Case {
    std::string personas;
    std::string message;
    int line;
    int column;
  };
  const Case cases[] = {
      {"personas:\n  - id: p\n    dropout: {chekout: 0.1}\n", "dropout.chekout in persona 'p' "
                                                              "names no touchpoint: there is no "
                                                              "'chekout'; did you mean 'checkout'?",
       15, 15},
      {"personas:\n  - id: p\n    dropout: {home: 1.5}\n",
       "dropout.home in persona 'p' must be between 0 and 1, got 1.5", 15, 15},
      {"personas:\n  - id: p\n    entry: {home: -1, email: 1}\n",
       "entry.home in persona 'p' must be 0 or more, got -1", 15, 13},
      {"personas:\n  - id: p\n    entry: {nowhere: 1}\n",
       "entry.nowhere in persona 'p' names no touchpoint", 15, 13},
      {"personas:\n  - id: p\n    transitions: [{from: email, to: search, weight: 1}]\n",
       "transitions of persona 'p' name 'email' -> 'search', which is no transition of the journey",
       15, 19},
      {"personas:\n  - id: p\n    transitions:\n      - {from: home, to: search, weight: -2}\n",
       "the weight of 'home' -> 'search' in transitions of persona 'p' must be 0 or more, got -2",
       16, 9},
      {"personas:\n  - id: p\n    transitions:\n      - {from: email, to: checkout, weight: 0}\n",
       "persona 'p' can never leave 'email': its transitions give every way out of it weight 0",
       16, 9},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.personas);
    Diagnostics diagnostics;
    parsed(c.personas, diagnostics);
    ASSERT_EQ(diagnostics.error_count(), 1u) << diagnostics.to_string();
    const Diagnostic& d = diagnostics.all().front();
    EXPECT_NE(d.message.find(c.message), std::string::npos) << d.message;
    EXPECT_EQ(d.where.line, c.line) << d.message;
    EXPECT_EQ(d.where.column, c.column) << d.message;
  }
}

// A cycle the journey leaves (by a transition out, and by dropouts) that a persona's own
// numbers close: its journeys would walk it until max_steps.
TEST(PersonaOverrides, ACycleTheirNumbersCloseIsAnError) {
  const std::string text = std::string(kJourney) +
                           "  - {from: search, to: home}\n"
                           "personas:\n  - id: p\n    transitions:\n"
                           "      - {from: home, to: checkout, weight: 0}\n"
                           "      - {from: search, to: checkout, weight: 0}\n"
                           "    dropout: {home: 0, search: 0}\n";
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(text, "cycle.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  validate_scenario(*s, diagnostics);
  ASSERT_EQ(diagnostics.error_count(), 1u) << diagnostics.to_string();
  const Diagnostic& d = diagnostics.all().front();
  EXPECT_NE(d.message.find("persona 'p' can never end a journey that enters {home, search}"),
            std::string::npos)
      << d.message;
  EXPECT_EQ(d.where.line, 17);
  // With a dropout of its own left in the cycle, the persona's journeys end.
  s->personas[0].dropout["search"] = 0.1;
  Diagnostics fine;
  validate_scenario(*s, fine);
  EXPECT_FALSE(fine.has_errors()) << fine.to_string();
}

TEST(PersonaOverrides, DiffNamesEachOfTheirNumbers) {
  Diagnostics diagnostics;
  const std::optional<Scenario> a = parsed(
      "personas:\n  - id: p\n    dropout: {home: 0.05}\n", diagnostics);
  const std::optional<Scenario> b = parsed(
      "personas:\n  - id: p\n    dropout: {home: 0.1, search: 0.5}\n    entry: {email: 1}\n"
      "    transitions: [{from: home, to: search, weight: 2}]\n",
      diagnostics);
  ASSERT_TRUE(a && b) << diagnostics.to_string();
  const std::vector<JourneyDifference> differences = diff_scenarios(*a, *b);
  ASSERT_EQ(differences.size(), 1u);
  std::vector<std::string> changed;
  for (const FieldChange& f : differences[0].fields) changed.push_back(f.field);
  EXPECT_EQ(changed, (std::vector<std::string>{"entry", "dropout.home", "dropout.search",
                                                "transitions.home->search"}));
  EXPECT_EQ(differences[0].fields[1].before, DiffValue{0.05});
  EXPECT_EQ(differences[0].fields[1].after, DiffValue{0.1});
  EXPECT_EQ(differences[0].fields[2].before, DiffValue{});
}

// A future state on the journey above: its changes (the lines after "changes:") applied.
std::optional<Scenario> future_of(const std::string& personas, const std::string& changes,
                                  Diagnostics& diagnostics) {
  const std::string base = testing::scratch_directory() + "persona_base.yaml";
  std::ofstream(base) << kJourney << personas;
  return parse_scenario("name: future\nbase: persona_base.yaml\nchanges:\n" + changes,
                        testing::scratch_directory() + "future.yaml", diagnostics);
}

TEST(PersonaOverrides, FutureStatesUpdateAndRemoveThem) {
  const std::string personas =
      "personas:\n  - id: p\n    dropout: {home: 0.05}\n"
      "    transitions: [{from: home, to: search, weight: 2}]\n";
  Diagnostics changed;
  const std::optional<Scenario> future = future_of(
      personas,
      "  - update_persona: {id: p, dropout: {search: 0.4}, entry: {home: 1}}\n"
      "  - remove_transition: {from: home, to: search}\n",
      changed);
  ASSERT_TRUE(future) << changed.to_string();
  const Persona& p = future->personas[0];
  EXPECT_EQ(p.dropout.at("home"), 0.05);  // kept
  EXPECT_EQ(p.dropout.at("search"), 0.4);
  EXPECT_EQ(p.entry, (EntryWeights{{"home", 1.0}}));
  EXPECT_TRUE(p.transitions.empty());  // went with its transition

  Diagnostics refused;
  EXPECT_FALSE(future_of(personas,
                         "  - update_persona: {id: p, entry: {home: 1}}\n"
                         "  - remove_touchpoint: home\n",
                         refused));
  EXPECT_NE(refused.to_string().find("'home' is an entry of persona 'p'"), std::string::npos)
      << refused.to_string();
}

TEST(PersonaOverrides, SweepPathsNameTheNumbersAPersonaHas) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parsed(
      "personas:\n  - id: p\n    dropout: {home: 0.05}\n"
      "    transitions: [{from: home, to: search, weight: 2}]\n",
      diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  std::string error;
  const std::optional<ParameterPath> dropout = parse_parameter_path("personas.p.dropout.home", error);
  ASSERT_TRUE(dropout) << error;
  EXPECT_EQ(parameter_value(*s, *dropout), 0.05);
  ASSERT_FALSE(set_parameter(*s, *dropout, 0.3));
  EXPECT_EQ(s->personas[0].dropout.at("home"), 0.3);
  EXPECT_EQ(parameter_unit(*dropout), "probability");
  const std::optional<ParameterPath> weight =
      parse_parameter_path("personas.p.transitions.home->search", error);
  ASSERT_TRUE(weight) << error;
  EXPECT_EQ(parameter_value(*s, *weight), 2.0);
  const std::optional<ParameterPath> missing = parse_parameter_path("personas.p.dropout.email", error);
  ASSERT_TRUE(missing) << error;
  const std::optional<std::string> problem = check_parameter_path(*s, *missing);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("persona 'p' has no dropout at 'email' of its own"), std::string::npos)
      << *problem;
}

// A sweep rewrites a compiled journey in place (recompile_values): with a persona's own
// numbers varied, the result is what compiling the changed journey anew gives.
TEST(PersonaOverrides, ASweepsRecompiledJourneyEqualsACompiledOne) {
  Scenario s = two_kinds_of_customer();
  CompiledJourney journey = compile(s);
  std::string error;
  for (const char* path : {"personas.browser.dropout.t1", "personas.browser.entry.t4",
                           "personas.loyal.transitions.t3->" }) {
    std::string text = path;
    if (text.ends_with("->")) {
      for (const PersonaTransition& t : s.personas[1].transitions) {
        if (t.from == "t3") text += t.to;
      }
    }
    const std::optional<ParameterPath> parsed = parse_parameter_path(text, error);
    ASSERT_TRUE(parsed) << error;
    ASSERT_FALSE(set_parameter(s, *parsed, 0.125)) << text;
  }
  recompile_values(s, journey);
  const CompiledJourney fresh = compile(s);
  for (std::size_t k = 0; k < fresh.persona_count(); ++k) {
    EXPECT_EQ(journey.personas[k].entry_touchpoints, fresh.personas[k].entry_touchpoints);
    EXPECT_EQ(journey.personas[k].entry_cumulative, fresh.personas[k].entry_cumulative);
    EXPECT_EQ(journey.personas[k].transition_cumulative, fresh.personas[k].transition_cumulative);
    EXPECT_EQ(journey.personas[k].dropout_static, fresh.personas[k].dropout_static);
  }
  // The values took: the browser's dropout at t1 is the one set.
  EXPECT_EQ(fresh.personas[0].dropout_static[1], 0.125);
}

}  // namespace
}  // namespace cjsim
