// The section of the HTML report on the draws of uncertain inputs, answer first: how sure the
// result is (the probability that each future state beats the others, its gain over the draws),
// both intervals of the headline figures, and which guess matters most, in plain words and a
// chart of the sensitivity indices.
#pragma once

#include <string>

#include "reports/html/html_page.h"
#include "reports/render/compare_report.h"
#include "reports/store/draws_file.h"

namespace cjsim {

// The section "How sure it is" (id "how-sure"), its chart added to `charts`.
std::string draws_section(const ComparisonReport& report, const DrawsDigest& draws,
                          html_page::Charts& charts);

}  // namespace cjsim
