// Segments fitted as personas (fit --segment-column): each segment's own counts written as its
// persona's numbers, the journey's the pooled fit's.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "models/fit/fit_journey.h"
#include "models/observed/observed_reader.h"
#include "reports/render/emotion_fit_report.h"
#include "reports/store/fit_report.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

// tests/data/fit/segments_events.csv: five web customers (home > product > buy, home >
// product, home, home > product > buy, product > buy) and four store customers (store > buy,
// store > product > buy, store, home > product).
FitRequest segments_request() {
  ObservedReadOptions read;
  read.events.segment = "segment";
  read.events.given.insert("--segment-column");
  Diagnostics diagnostics;
  const std::string path = std::string(CJSIM_TEST_DATA) + "/fit/segments_events.csv";
  std::optional<ObservedJourneys> data = read_observed_file(path, read, diagnostics);
  EXPECT_TRUE(data) << diagnostics.to_string();
  FitRequest request;
  request.data_name = path;
  request.data = data ? *data : ObservedJourneys{};
  request.out_name = "fitted.yaml";
  request.segment_column = "segment";
  request.agents = 20000;
  request.threads = 2;
  return request;
}

const Persona& persona(const Scenario& s, const std::string& id) {
  for (const Persona& p : s.personas) {
    if (p.id == id) return p;
  }
  throw std::runtime_error("no persona " + id);
}

std::map<std::string, double> own_transitions(const Persona& p) {
  std::map<std::string, double> out;
  for (const PersonaTransition& t : p.transitions) out[t.from + ">" + t.to] = t.weight;
  return out;
}

TEST(SegmentPersonas, EachSegmentsNumbersAreItsOwnCounts) {
  const FitResult fit = fit_journey(segments_request());
  ASSERT_TRUE(fit.fitted()) << fit.diagnostics.to_string();
  const Scenario& s = fit.scenario;  // as written and read back
  ASSERT_EQ(s.personas.size(), 2u);

  const Persona& web = persona(s, "web");
  EXPECT_EQ(web.share, 5.0);
  EXPECT_EQ(web.entry, (EntryWeights{{"home", 4.0}, {"product", 1.0}}));
  EXPECT_EQ(web.dropout, (std::map<std::string, double, std::less<>>{{"home", 0.25},
                                                                      {"product", 0.25}}));
  EXPECT_EQ(own_transitions(web),
            (std::map<std::string, double>{{"home>product", 3.0}, {"product>buy", 3.0}}));

  const Persona& store = persona(s, "store");
  EXPECT_EQ(store.share, 4.0);
  EXPECT_EQ(store.entry, (EntryWeights{{"home", 1.0}, {"store", 3.0}}));
  EXPECT_EQ(store.dropout, (std::map<std::string, double, std::less<>>{
                               {"home", 0.0}, {"product", 0.5}, {"store", 1.0 / 3.0}}));
  EXPECT_EQ(own_transitions(store),
            (std::map<std::string, double>{{"home>product", 1.0},
                                           {"product>buy", 1.0},
                                           {"store>buy", 1.0},
                                           {"store>product", 1.0}}));

  // The journey's own numbers stay the pooled counts.
  for (const Touchpoint& t : s.touchpoints) {
    if (t.id == "home") {
      EXPECT_EQ(t.dropout, 0.2);
    }
    if (t.id == "product") {
      EXPECT_EQ(t.dropout, 2.0 / 6.0);
    }
  }

  // Each persona's chain converts as its customers did: 3 of 5, 2 of 4.
  ASSERT_EQ(fit.segments.size(), 2u);
  for (const SegmentFit& segment : fit.segments) {
    SCOPED_TRACE(segment.segment);
    EXPECT_EQ(segment.data_conversion_rate, segment.segment == "web" ? 0.6 : 0.5);
    EXPECT_NEAR(segment.fitted_conversion_probability, segment.data_conversion_rate, 1e-12);
  }
  // Said in the JSON the command prints.
  const nlohmann::json json = fit_result_json(fit_report_of(fit, "segments.csv", "fit"), fit);
  ASSERT_EQ(json.at("segments").size(), 2u);
  EXPECT_EQ(json["segments"][0]["persona"], "web");
  EXPECT_EQ(json["segments"][0]["transition_weights"], 2);
}

TEST(SegmentPersonas, ARunReproducesEachSegmentsConversion) {
  const FitResult fit = fit_journey(segments_request());
  ASSERT_TRUE(fit.fitted()) << fit.diagnostics.to_string();
  const CompiledJourney journey = compile(fit.scenario);
  RunOptions options;
  options.agents = 200000;
  options.seed = 5;
  const Summary summary = summarize(journey, run(journey, options).replications);
  for (const PersonaFigures& p : summary.personas) {
    SCOPED_TRACE(p.id);
    const double expected = p.id == "web" ? 0.6 : 0.5;
    const double n = static_cast<double>(p.figures.agents);
    EXPECT_NEAR(p.figures.conversion_rate.value, expected,
                4 * std::sqrt(expected * (1 - expected) / n));
  }
}

TEST(SegmentPersonas, DataWithoutSegmentsAreRefused) {
  FitRequest request = segments_request();
  ObservedJourneys& data = std::get<ObservedJourneys>(request.data);
  data.segments = {""};
  for (ObservedPath& p : data.paths) p.segment = 0;
  EXPECT_THROW(fit_journey(request), std::runtime_error);
  FitRequest latent = segments_request();
  latent.personas = 2;
  EXPECT_THROW(fit_journey(latent), std::runtime_error);
}

}  // namespace
}  // namespace cjsim
