// Parameter paths: the accepted forms, every error, and that setting a path changes exactly
// the field it names.
#include "scenarios/parameter_path.h"

#include <gtest/gtest.h>

#include <cmath>

#include "scenarios/validate.h"

namespace cjsim {
namespace {

Scenario tiny_scenario() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  EXPECT_TRUE(scenario.has_value()) << diagnostics.to_string();
  return *scenario;
}

ParameterPath parse(std::string_view text) {
  std::string error;
  auto path = parse_parameter_path(text, error);
  EXPECT_TRUE(path.has_value()) << text << ": " << error;
  return path.value_or(ParameterPath{});
}

std::string parse_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_parameter_path(text, error).has_value()) << text;
  return error;
}

TEST(ParameterPath, ParsesEachKindOfEntity) {
  using Entity = ParameterPath::Entity;
  ParameterPath p = parse("touchpoints.checkout.dropout");
  EXPECT_EQ(p.entity, Entity::touchpoint);
  EXPECT_EQ(p.id, "checkout");
  EXPECT_EQ(p.field, "dropout");
  p = parse("transitions.product->checkout.emotion_bias");
  EXPECT_EQ(p.entity, Entity::transition);
  EXPECT_EQ(p.from, "product");
  EXPECT_EQ(p.to, "checkout");
  EXPECT_EQ(p.field, "emotion_bias");
  p = parse("transitions.product -> checkout.weight");
  EXPECT_EQ(p.from, "product");
  EXPECT_EQ(p.to, "checkout");
  p = parse("personas.sceptic.channel_affinity.web");
  EXPECT_EQ(p.entity, Entity::persona);
  EXPECT_EQ(p.id, "sceptic");
  EXPECT_EQ(p.field, "channel_affinity.web");
  p = parse("personas.sceptic.initial_emotion.sd");
  EXPECT_EQ(p.field, "initial_emotion.sd");
  p = parse("settings.kappa");
  EXPECT_EQ(p.entity, Entity::settings);
  EXPECT_EQ(p.field, "kappa");
}

TEST(ParameterPath, IdsMayHoldDotsBecauseTheFieldIsMatchedFromTheEnd) {
  const ParameterPath p = parse("touchpoints.store.v2.emotion.mean");
  EXPECT_EQ(p.id, "store.v2");
  EXPECT_EQ(p.field, "emotion.mean");
}

TEST(ParameterPath, MalformedPathsSayWhatIsWrongAndWhatIsAccepted) {
  EXPECT_NE(parse_error("kappa").find("touchpoints.<id>.<field>"), std::string::npos);
  EXPECT_NE(parse_error("touchpoint.checkout.dropout").find("did you mean 'touchpoints'"),
            std::string::npos);
  EXPECT_NE(parse_error("touchpoints.checkout.dropuot").find("did you mean 'dropout'"),
            std::string::npos);
  EXPECT_NE(parse_error("touchpoints.checkout").find("no touchpoint field"), std::string::npos);
  EXPECT_NE(parse_error("transitions.product.weight").find("<from>-><to>"), std::string::npos);
  EXPECT_NE(parse_error("transitions.->checkout.weight").find("both ends"), std::string::npos);
  EXPECT_NE(parse_error("transitions.a->b.wieght").find("did you mean 'weight'"),
            std::string::npos);
  EXPECT_NE(parse_error("settings.seed").find("no numeric setting 'seed'"), std::string::npos);
  EXPECT_NE(parse_error("personas.sceptic.colour").find("no persona field"), std::string::npos);
  EXPECT_NE(parse_error("settings.").find("is not a parameter path"), std::string::npos);
}

TEST(ParameterPath, CheckNamesWhatTheScenarioLacksWithASuggestion) {
  const Scenario s = tiny_scenario();
  EXPECT_EQ(check_parameter_path(s, parse("touchpoints.checkout.dropout")), std::nullopt);
  auto problem = check_parameter_path(s, parse("touchpoints.chekout.dropout"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no touchpoint 'chekout'"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("did you mean 'checkout'"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("transitions.ad->checkout.weight"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no transition 'ad' -> 'checkout'"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("personas.skeptic.share"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("did you mean 'sceptic'"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("personas.regular.channel_affinity.tv"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no touchpoint has the channel 'tv'"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("touchpoints.reviews.duration"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("lognormal"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("touchpoints.ad.duration.sigma"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("no lognormal duration"), std::string::npos) << *problem;
}

TEST(ParameterPath, SettingAPathChangesThatFieldAndNothingElse) {
  const Scenario base = tiny_scenario();
  const struct {
    const char* path;
    double value;
  } cases[] = {{"touchpoints.checkout.dropout", 0.125},
               {"touchpoints.product.emotion.sd", 0.75},
               {"touchpoints.reviews.duration.median", 2.5},
               {"touchpoints.product.duration", 3.0},
               {"touchpoints.checkout.value", 99.0},
               {"transitions.product->checkout.weight", 7.0},
               {"transitions.reviews->checkout.emotion_bias", -0.5},
               {"personas.sceptic.share", 0.4},
               {"personas.regular.channel_affinity.web", 1.7},
               {"personas.sceptic.initial_emotion.mean", 0.3},
               {"settings.kappa", 2.5},
               {"settings.max_steps", 77.0},
               {"settings.horizon_hours", 12.0}};
  for (const auto& c : cases) {
    const ParameterPath path = parse(c.path);
    Scenario changed = base;
    ASSERT_EQ(set_parameter(changed, path, c.value), std::nullopt) << c.path;
    EXPECT_EQ(parameter_value(changed, path), c.value) << c.path;
    // Setting it back to the base value restores the base scenario field for field.
    const double original = parameter_value(base, path);
    if (std::isnan(original)) continue;  // the horizon was absent
    ASSERT_EQ(set_parameter(changed, path, original), std::nullopt);
    EXPECT_EQ(parameter_value(changed, path), original) << c.path;
    Diagnostics d;
    validate_scenario(changed, d);
    EXPECT_FALSE(d.has_errors()) << c.path << d.to_string();
  }
}

TEST(ParameterPath, AFieldTheTouchpointLacksIsRefusedWithWhatToVaryInstead) {
  const Scenario s = tiny_scenario();
  auto problem = check_parameter_path(s, parse("touchpoints.ad.conversion.value"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("'ad' is not a conversion touchpoint"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("touchpoints.ad.duration.exponential"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("has a fixed duration"), std::string::npos) << *problem;
  problem = check_parameter_path(s, parse("touchpoints.reviews.duration.exponential"));
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("vary duration.lognormal.median"), std::string::npos) << *problem;
}

// "duration" has always named the mean of an exponential duration too; it still does.
TEST(ParameterPath, DurationNamesTheMeanOfAnExponentialDuration) {
  Scenario s = tiny_scenario();
  const ParameterPath duration = parse("touchpoints.product.duration");
  const ParameterPath mean = parse("touchpoints.product.duration.exponential");
  EXPECT_EQ(parameter_value(s, duration), 0.5);
  ASSERT_EQ(set_parameter(s, duration, 0.75), std::nullopt);
  EXPECT_EQ(parameter_value(s, mean), 0.75);
}

TEST(ParameterPath, AWholeNumberFieldRefusesFractions) {
  Scenario s = tiny_scenario();
  const auto problem = set_parameter(s, parse("settings.max_steps"), 10.5);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("whole number"), std::string::npos);
  EXPECT_EQ(s.settings.max_steps, 50);
}

TEST(ParameterPath, AnAbsentAffinityReadsAsTheNeutralOne) {
  const Scenario s = tiny_scenario();
  EXPECT_EQ(parameter_value(s, parse("personas.regular.channel_affinity.social")), 1.0);
  EXPECT_EQ(parameter_value(s, parse("personas.sceptic.channel_affinity.social")), 0.5);
}

}  // namespace
}  // namespace cjsim
