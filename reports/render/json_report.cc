// Summary -> JSON: every figure of the figure table (sim/engine/figures.h) as a number and its
// interval.
#include "reports/render/json_report.h"

#include <cmath>
#include <optional>

namespace cjsim {

nlohmann::json json_number(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

void put_estimate(nlohmann::json& object, const std::string& name, const Estimate& e) {
  object[name] = json_number(e.value);
  object[name + "_ci"] = {json_number(e.low), json_number(e.high)};
}

namespace {

nlohmann::json interval(const Estimate& e) { return {json_number(e.low), json_number(e.high)}; }

nlohmann::json count_or_null(const std::optional<std::uint64_t>& count) {
  if (!count) return nullptr;
  return *count;
}

nlohmann::json headline_json(const HeadlineFigures& h) {
  nlohmann::json out;
  out["agents"] = h.agents;
  out["steps"] = h.steps;
  out["conversions"] = h.conversions;
  for (const Figure& figure : kHeadlineFigures) put_estimate(out, figure.name, h.*figure.member);
  out["promoters"] = h.promoters;
  out["detractors"] = h.detractors;
  nlohmann::json ended;
  for (int k = 0; k < kEndingCount; ++k) ended[std::string(kEndingNames[k])] = h.ended[k];
  // Only a future state that lost an entry's traffic has lost agents (MODEL.md 1.11).
  if (h.lost > 0) ended[std::string(kLostEndingName)] = h.lost;
  out["ended"] = ended;
  // The journeys that ended dropped, by whether the agent had converted: null when the results
  // were stored by an older cjsim that did not count it.
  out["gave_up"] = count_or_null(h.gave_up);
  out["left_after_converting"] = count_or_null(h.left_after_converting);
  return out;
}

}  // namespace

void put_run_identity(nlohmann::json& object, const RunMetadata& metadata) {
  object["seed"] = metadata.seed;
  object["version"] = metadata.software_version;
  object["scenario_path"] = metadata.scenario_path;
}

nlohmann::json estimate_json(const Estimate& e) {
  return {{"value", json_number(e.value)}, {"ci", interval(e)}};
}

namespace {

nlohmann::json stages_json(std::span<const StageFigures> stages) {
  nlohmann::json out = nlohmann::json::array();
  for (const StageFigures& st : stages) {
    // `stage` as in the HDF5 file's stages table (and a touchpoint's `stage` here); `name`, the
    // first key this row had, stays for the readers written against it.
    nlohmann::json row{{"stage", st.name},
                       {"name", st.name},
                       {"reach", st.reach},
                       {"visits", st.visits},
                       {"dropouts", st.dropouts},
                       {"dropouts_before_converting", count_or_null(st.dropouts_before_converting)},
                       {"dropouts_after_converting", count_or_null(st.dropouts_after_converting)}};
    for (const Figure& f : kFigures) {
      if (f.stage_member) put_estimate(row, f.name, st.*f.stage_member);
    }
    out.push_back(row);
  }
  return out;
}

nlohmann::json touchpoints_json(std::span<const TouchpointFigures> touchpoints) {
  nlohmann::json out = nlohmann::json::array();
  for (const TouchpointFigures& t : touchpoints) {
    nlohmann::json row{{"id", t.id},
                       {"name", t.name},
                       {"stage", t.stage},
                       {"channel", t.channel},
                       {"visits", t.visits},
                       {"dropouts", t.dropouts},
                       {"completions", t.completions},
                       {"conversions", t.conversions},
                       {"dropouts_before_converting", count_or_null(t.dropouts_before_converting)},
                       {"dropouts_after_converting", count_or_null(t.dropouts_after_converting)}};
    for (const Figure& f : kFigures) {
      if (f.touchpoint_member) put_estimate(row, f.name, t.*f.touchpoint_member);
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace

nlohmann::json summary_json(const Summary& s, double seconds) {
  nlohmann::json out = headline_json(s.overall);
  out["scenario"] = s.scenario;
  out["agents_per_replication"] = s.agents_per_replication;
  out["replications"] = s.replications;
  out["interval_method"] = s.interval_method;
  out["seconds"] = seconds;
  out["stages"] = stages_json(s.stages);
  out["touchpoints"] = touchpoints_json(s.touchpoints);

  nlohmann::json transitions = nlohmann::json::array();
  for (const TransitionFigures& t : s.transitions) {
    nlohmann::json row{{"from", t.from}, {"to", t.to}, {"count", t.count}};
    for (const Figure& f : kFigures) {
      if (f.transition_member) put_estimate(row, f.name, t.*f.transition_member);
    }
    transitions.push_back(row);
  }
  out["transitions"] = transitions;

  nlohmann::json personas = nlohmann::json::array();
  for (const PersonaFigures& p : s.personas) {
    nlohmann::json row = headline_json(p.figures);
    row["id"] = p.id;
    row["share"] = p.share;
    row["stages"] = stages_json(p.stages);
    row["touchpoints"] = touchpoints_json(p.touchpoints);
    personas.push_back(row);
  }
  out["personas"] = personas;

  out["likelihood_to_recommend_histogram"] = {{"bin_width", 0.5},
                                              {"customers", s.score_customers},
                                              {"all_agents", s.score_all}};
  out["path_length_histogram"] = s.path_length;
  if (!s.notes.empty()) out["notes"] = s.notes;  // why a figure or its interval is null
  return out;
}

}  // namespace cjsim
