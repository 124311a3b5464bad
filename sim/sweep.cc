// Sweep points through the one engine API.
#include "sim/sweep.h"

#include "sim/compiled_journey.h"

namespace cjsim {

RunOptions point_run_options(const SweepPlan& plan, const RunOptions& base) {
  RunOptions options;
  options.agents = plan.experiment.agents;
  options.replications = plan.experiment.replications;
  options.seed = plan.experiment.seed;
  options.threads = base.threads;
  options.progress = base.progress;
  options.cancel = base.cancel;
  return options;
}

std::vector<Aggregate> run_sweep_point(const SweepPlan& plan, std::size_t point,
                                       const RunOptions& base) {
  const CompiledJourney journey = compile(point_scenario(plan, point));
  return run(journey, point_run_options(plan, base)).replications;
}

PointFigures point_figures(const SweepPlan& plan, std::size_t point,
                           std::span<const Aggregate> replications) {
  const CompiledJourney journey = compile(point_scenario(plan, point));
  PointFigures out;
  out.overall = summarize(journey, replications).overall;
  for (const Aggregate& a : replications) {
    out.replications.push_back(summarize(journey, std::span(&a, 1)).overall);
  }
  return out;
}

const NamedFigure* find_headline_figure(std::string_view metric) {
  for (const NamedFigure& f : kHeadlineFigures) {
    if (metric == f.name) return &f;
  }
  return nullptr;
}

}  // namespace cjsim
