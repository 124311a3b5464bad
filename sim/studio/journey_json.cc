// A journey and diagnostics as JSON for the studio's page.
#include "sim/studio/journey_json.h"

#include "scenarios/uncertain.h"

namespace cjsim::studio {
namespace {

using nlohmann::json;

json place_json(const SourceLocation& where) {
  return {{"file", where.file}, {"line", where.line}, {"column", where.column}};
}

json fields_json(const FieldLocations& fields) {
  json out = json::object();
  for (const auto& [name, where] : fields) out[name] = place_json(where);
  return out;
}

json duration_json(const Duration& d) {
  switch (d.kind) {
    case Duration::Kind::fixed: return {{"kind", "fixed"}, {"hours", d.hours}};
    case Duration::Kind::exponential: return {{"kind", "exponential"}, {"mean", d.hours}};
    case Duration::Kind::lognormal:
      return {{"kind", "lognormal"}, {"median", d.median}, {"sigma", d.sigma}};
  }
  return nullptr;
}

json touchpoint_words_json(const TouchpointWords& w) {
  return {{"description", w.description}, {"customer_action", w.customer_action},
          {"thoughts", w.thoughts},         {"pain_points", w.pain_points},
          {"opportunities", w.opportunities}, {"lane", w.lane},
          {"owner", w.owner}};
}

// Every stage in order, with its words when the journey gives them.
json stages_json(const Scenario& s) {
  json out = json::array();
  for (const std::string& name : s.stages) {
    json stage = {{"name", name}, {"description", ""}, {"goals", json::array()},
                  {"where", nullptr}, {"fields", json::object()}};
    if (const auto it = s.stage_words.find(name); it != s.stage_words.end()) {
      stage["description"] = it->second.words.description;
      stage["goals"] = it->second.words.goals;
      stage["where"] = place_json(it->second.where);
      stage["fields"] = fields_json(it->second.fields);
    }
    out.push_back(std::move(stage));
  }
  return out;
}

}  // namespace

nlohmann::json journey_json(const Scenario& s) {
  json touchpoints = json::array();
  for (const Touchpoint& t : s.touchpoints) {
    touchpoints.push_back({{"id", t.id},
                           {"name", t.name.empty() ? t.id : t.name},
                           {"stage", t.stage},
                           {"channel", t.channel},
                           {"emotion", {{"mean", t.emotion_mean}, {"sd", t.emotion_sd}}},
                           {"dropout", t.dropout},
                           {"duration", duration_json(t.duration)},
                           {"duration_hours", t.duration.mean()},
                           {"cost", t.cost},
                           {"entry_weight", t.entry_weight},
                           {"conversion", t.conversion},
                           {"value", t.value},
                           {"words", touchpoint_words_json(t.words)},
                           {"where", place_json(t.where)},
                           {"fields", fields_json(t.fields)}});
  }
  json transitions = json::array();
  for (const Transition& t : s.transitions) {
    transitions.push_back({{"from", t.from},
                           {"to", t.to},
                           {"weight", t.weight},
                           {"emotion_bias", t.emotion_bias},
                           {"where", place_json(t.where)},
                           {"fields", fields_json(t.fields)}});
  }
  json personas = json::array();
  for (const Persona& p : s.personas) {
    personas.push_back({{"id", p.id},
                        {"name", p.words.name.empty() ? p.id : p.words.name},
                        {"description", p.words.description},
                        {"goals", p.words.goals},
                        {"quote", p.words.quote},
                        {"attributes", p.words.attributes},
                        {"share", p.share},
                        {"sensitivity", p.sensitivity},
                        {"dropout_odds", p.dropout_odds},
                        {"initial_emotion", {{"mean", p.initial_emotion_mean},
                                             {"sd", p.initial_emotion_sd}}},
                        {"value_multiplier", p.value_multiplier},
                        {"channel_affinity", p.channel_affinity},
                        {"where", place_json(p.where)},
                        {"fields", fields_json(p.fields)}});
  }
  const Settings& settings = s.settings;
  json settings_out = {{"memory", settings.memory},
                       {"kappa", settings.kappa},
                       {"max_steps", settings.max_steps},
                       {"promoter_threshold", settings.promoter_threshold},
                       {"detractor_threshold", settings.detractor_threshold},
                       {"fields", fields_json(settings.fields)}};
  settings_out["horizon_hours"] =
      settings.horizon_hours ? json(*settings.horizon_hours) : json(nullptr);
  settings_out["seed"] = settings.seed ? json(*settings.seed) : json(nullptr);
  json bases = json::array();
  for (const SourceFile& base : s.base_sources) bases.push_back(base.path);
  json removals = json::array();
  for (const Removal& r : s.removals) removals.push_back(r.what);
  // The numbers written as distributions, which a run or comparison with draws varies.
  json uncertain = json::array();
  for (const UncertainInput& input : uncertain_inputs(s)) {
    uncertain.push_back({{"path", input.path}, {"distribution", uncertain_text(input.value)}});
  }
  return {{"name", s.name},
          {"description", s.description},
          {"path", s.source_path},
          {"stages", s.stages},
          {"stage_words", stages_json(s)},
          {"notes", s.notes},
          {"touchpoints", touchpoints},
          {"transitions", transitions},
          {"personas", personas},
          {"settings", settings_out},
          {"calendar", s.calendar.has_value()},
          {"bases", bases},
          {"removals", removals},
          {"uncertain_inputs", uncertain},
          {"fields", fields_json(s.fields)}};
}

nlohmann::json diagnostics_json(const Diagnostics& diagnostics) {
  json out = json::array();
  for (const Diagnostic& d : diagnostics.all()) {
    out.push_back({{"severity", d.severity == Severity::error ? "error" : "warning"},
                   {"file", d.where.file},
                   {"line", d.where.line},
                   {"column", d.where.column},
                   {"message", d.message},
                   {"text", format_diagnostic(d)}});
  }
  return out;
}

}  // namespace cjsim::studio
