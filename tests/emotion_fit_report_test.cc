// The emotion fit and calibration as text and JSON: every parameter appears, with an interval
// or the reason it has none, and undefined numbers are null in JSON.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "reports/render/emotion_fit_report.h"

namespace cjsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

EmotionFit two_parameter_fit() {
  EmotionFit fit;
  fit.customers = 3000;
  fit.distinct_paths = 59;
  fit.free_parameters = 2;
  fit.log_likelihood = -8118.25;
  fit.aic = 16240.5;
  fit.bic = 16252.5;
  FittedParameter dropout;
  dropout.name = "touchpoints.ad.dropout";
  dropout.value = 0.3065;
  dropout.standard_error = 0.0122;
  dropout.low = 0.2831;
  dropout.high = 0.3308;
  FittedParameter mean;
  mean.name = "touchpoints.done.emotion.mean";
  mean.value = 0.1;
  mean.standard_error = mean.low = mean.high = kNaN;
  mean.identifiable = false;
  mean.why_not = "it has no influence on the paths' likelihood";
  fit.parameters = {dropout, mean};
  fit.notes = {"kappa is held at the skeleton's 2"};
  return fit;
}

TEST(FitReport, EmotionFitTextGivesIntervalsOrWhyNot) {
  const std::string text = emotion_fit_text(two_parameter_fit());
  EXPECT_NE(text.find("log-likelihood -8118.250   AIC 16240.5   BIC 16252.5"), std::string::npos) << text;
  EXPECT_NE(text.find("touchpoints.ad.dropout"), std::string::npos) << text;
  EXPECT_NE(text.find("[0.2831, 0.3308]"), std::string::npos) << text;
  EXPECT_NE(text.find("not identifiable: it has no influence on the paths' likelihood"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("note: kappa is held at the skeleton's 2"), std::string::npos) << text;
}

TEST(FitReport, EmotionFitJsonHasNoNaN) {
  const nlohmann::json json = emotion_fit_json(two_parameter_fit());
  ASSERT_EQ(json["parameters"].size(), 2u);
  EXPECT_EQ(json["parameters"][0]["ci"][0].get<double>(), 0.2831);
  EXPECT_TRUE(json["parameters"][0]["identifiable"].get<bool>());
  EXPECT_FALSE(json["parameters"][1].contains("ci"));
  EXPECT_EQ(json["parameters"][1]["why_not"], "it has no influence on the paths' likelihood");
  EXPECT_EQ(json["customers"], 3000);
  // Serialised, the document parses back: no NaN or infinity slipped in.
  EXPECT_EQ(nlohmann::json::parse(json.dump()), json);
}

TEST(FitReport, CalibrationTextAndJsonListParametersAndRows) {
  Calibration c;
  c.distance = 12.38;
  c.start_distance = 40774.68;
  c.degrees_of_freedom = 10;
  c.evaluations = 201;
  c.parameters = {{"touchpoints.search.dropout", 0.1, 0.2018, 0.0, 0.99}};
  c.rows = {{"sceptic", "checkout", 350, 3000, 350.0 / 3000.0, 0.115, 0.04},
            {"", "product", 0, 0, kNaN, 0.5, 0.0}};
  const std::string text = calibration_text(c);
  EXPECT_NE(text.find("distance (binomial deviance) 12.38 on 10 degrees of freedom, from 40774.68"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("touchpoints.search.dropout      0.1000      0.2018"), std::string::npos) << text;
  EXPECT_NE(text.find("sceptic"), std::string::npos) << text;
  EXPECT_NE(text.find("(all)"), std::string::npos) << text;
  const nlohmann::json json = calibration_json(c);
  EXPECT_EQ(json["rows"][0]["reached"], 350);
  EXPECT_TRUE(json["rows"][1]["observed"].is_null());
  EXPECT_EQ(json["parameters"][0]["bounds"][1].get<double>(), 0.99);
}

}  // namespace
}  // namespace cjsim
