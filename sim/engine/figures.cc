// One agent's values of the compared figures, and checks that the figure table is whole.
#include "sim/engine/figures.h"

namespace cjsim {
namespace figure_values {

double converted(const AgentOutcome& o, const CompiledJourney&) { return o.converted; }
double revenue(const AgentOutcome& o, const CompiledJourney&) { return o.revenue; }
double cost(const AgentOutcome& o, const CompiledJourney&) { return o.cost; }
double margin(const AgentOutcome& o, const CompiledJourney&) { return o.revenue - o.cost; }
double steps(const AgentOutcome& o, const CompiledJourney&) { return static_cast<double>(o.steps); }
double hours_to_convert(const AgentOutcome& o, const CompiledJourney&) {
  return o.hours_to_convert;
}
double promoter_score(const AgentOutcome& o, const CompiledJourney& j) {
  if (o.likelihood_to_recommend >= j.promoter_threshold) return 100.0;
  if (o.likelihood_to_recommend < j.detractor_threshold) return -100.0;
  return 0.0;
}
double gave_up(const AgentOutcome& o, const CompiledJourney&) {
  return o.ending == Ending::dropped && !o.converted ? 1.0 : 0.0;
}
double left_after_converting(const AgentOutcome& o, const CompiledJourney&) {
  return o.ending == Ending::dropped && o.converted ? 1.0 : 0.0;
}

}  // namespace figure_values

bool is_rankable(const Figure& f) {
  return (f.compared_in & kOverall) != 0 && f.better != Better::neither;
}

std::vector<std::string> rankable_figure_names() {
  std::vector<std::string> names;
  for (const Figure* f : kComparedFigures<kOverall>) {
    if (is_rankable(*f)) names.emplace_back(f->name);
  }
  return names;
}

namespace {

// Every figure is held somewhere, compared only where it is held, and the compared figures of
// each scope are numbered 0, 1, 2, ... once each; a compared headline figure knows an agent's
// value of it.
constexpr bool table_is_whole() {
  for (const Figure& f : kFigures) {
    if (f.reported_in() == 0) return false;
    if ((f.compared_in & ~f.reported_in()) != 0) return false;
    if ((f.compared_in != 0) != (f.compared_order >= 0)) return false;
    if ((f.compared_in & (kOverall | kPersona)) != 0 && f.agent_value == nullptr) return false;
    if (f.key && f.member == nullptr) return false;
    if (f.compared_edition < 0 || f.compared_edition >= kComparedEditions) return false;
  }
  for (unsigned scope : {kOverall, kPersona, kStage, kTouchpoint, kTransition}) {
    int next = 0;
    for (int order = 0; order < static_cast<int>(kFigures.size()); ++order) {
      int seen = 0;
      for (const Figure& f : kFigures) seen += (f.compared_in & scope) && f.compared_order == order;
      if (seen > 1) return false;
      if (seen == 1 && scope != kPersona && order != next) return false;  // overall: 0, 1, 2, ...
      next += seen;
    }
  }
  return true;
}
static_assert(table_is_whole(), "the figure table contradicts itself (see table_is_whole)");

}  // namespace
}  // namespace cjsim
