// The section of the HTML report on the draws of uncertain inputs, answer first: how sure the
// result is (the probability that each future state beats the others, its gain over the draws),
// both intervals of the headline figures, and which guess matters most, in plain words and a
// chart of the sensitivity indices.
#pragma once

#include <string>
#include <vector>

#include "reports/html/html_page.h"
#include "reports/render/compare_report.h"
#include "reports/store/draws_file.h"

namespace cjsim {

// The section "How sure it is" (id "how-sure"), its chart added to `charts`.
std::string draws_section(const ComparisonReport& report, const DrawsDigest& draws,
                          html_page::Charts& charts);

// The section's sentences, as its list says them: per future state (best expected gain first)
// how often it beats the others and its gain over the draws, then the guess that matters most;
// for a run, the figure's range over the draws and the guess.
std::vector<std::string> how_sure_answer(const ComparisonReport& report, const DrawsDigest& draws);

}  // namespace cjsim
