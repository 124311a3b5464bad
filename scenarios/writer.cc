// The journey file format through yaml-cpp's emitter.
#include "scenarios/writer.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace cjsim {
namespace {

// Shortest round-trip form: the loader reads back the same double.
std::string number(double x) { return fmt::format("{}", x); }

void write_duration(YAML::Emitter& out, const Duration& d) {
  switch (d.kind) {
    case Duration::Kind::fixed:
      out << YAML::Value << number(d.hours);
      return;
    case Duration::Kind::exponential:
      out << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "exponential"
          << YAML::Value << number(d.hours) << YAML::EndMap;
      return;
    case Duration::Kind::lognormal:
      out << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "lognormal" << YAML::Value
          << YAML::BeginMap << YAML::Key << "median" << YAML::Value << number(d.median) << YAML::Key
          << "sigma" << YAML::Value << number(d.sigma) << YAML::EndMap << YAML::EndMap;
      return;
  }
}

void write_emotion(YAML::Emitter& out, const char* key, double mean, double sd) {
  if (mean == 0.0 && sd == 0.0) return;
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "mean"
      << YAML::Value << number(mean) << YAML::Key << "sd" << YAML::Value << number(sd)
      << YAML::EndMap;
}

void write_number(YAML::Emitter& out, const char* key, double value, double default_value) {
  if (value == default_value) return;
  out << YAML::Key << key << YAML::Value << number(value);
}

void write_settings(YAML::Emitter& out, const Settings& s) {
  const Settings defaults;
  out << YAML::Key << "settings" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "memory" << YAML::Value << number(s.memory);
  out << YAML::Key << "kappa" << YAML::Value << number(s.kappa);
  out << YAML::Key << "max_steps" << YAML::Value << s.max_steps;
  if (s.horizon_hours)
    out << YAML::Key << "horizon_hours" << YAML::Value << number(*s.horizon_hours);
  if (s.seed) out << YAML::Key << "seed" << YAML::Value << *s.seed;
  write_number(out, "promoter_threshold", s.promoter_threshold, defaults.promoter_threshold);
  write_number(out, "detractor_threshold", s.detractor_threshold, defaults.detractor_threshold);
  out << YAML::EndMap;
}

void write_touchpoint(YAML::Emitter& out, const Touchpoint& t) {
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << t.id;
  if (!t.name.empty() && t.name != t.id) out << YAML::Key << "name" << YAML::Value << t.name;
  out << YAML::Key << "stage" << YAML::Value << t.stage;
  out << YAML::Key << "channel" << YAML::Value << t.channel;
  write_emotion(out, "emotion", t.emotion_mean, t.emotion_sd);
  write_number(out, "dropout", t.dropout, 0.0);
  if (t.duration.kind != Duration::Kind::fixed || t.duration.hours != 0.0) {
    out << YAML::Key << "duration";
    write_duration(out, t.duration);
  }
  write_number(out, "cost", t.cost, 0.0);
  write_number(out, "entry_weight", t.entry_weight, 0.0);
  if (t.conversion) {
    out << YAML::Key << "conversion" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
        << "value" << YAML::Value << number(t.value) << YAML::EndMap;
  }
  out << YAML::EndMap;
}

void write_persona(YAML::Emitter& out, const Persona& p) {
  out << YAML::BeginMap;
  out << YAML::Key << "id" << YAML::Value << p.id;
  out << YAML::Key << "share" << YAML::Value << number(p.share);
  write_number(out, "sensitivity", p.sensitivity, 1.0);
  write_number(out, "dropout_odds", p.dropout_odds, 1.0);
  write_number(out, "value_multiplier", p.value_multiplier, 1.0);
  write_emotion(out, "initial_emotion", p.initial_emotion_mean, p.initial_emotion_sd);
  if (!p.channel_affinity.empty()) {
    out << YAML::Key << "channel_affinity" << YAML::Value << YAML::Flow << YAML::BeginMap;
    for (const auto& [channel, affinity] : p.channel_affinity) {
      out << YAML::Key << channel << YAML::Value << number(affinity);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string scenario_yaml(const Scenario& s) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << s.name;
  if (!s.description.empty()) out << YAML::Key << "description" << YAML::Value << s.description;
  out << YAML::Key << "stages" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string& stage : s.stages) out << stage;
  out << YAML::EndSeq;
  write_settings(out, s.settings);
  out << YAML::Key << "touchpoints" << YAML::Value << YAML::BeginSeq;
  for (const Touchpoint& t : s.touchpoints) write_touchpoint(out, t);
  out << YAML::EndSeq;
  if (!s.transitions.empty()) {
    out << YAML::Key << "transitions" << YAML::Value << YAML::BeginSeq;
    for (const Transition& t : s.transitions) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value << t.from
          << YAML::Key << "to" << YAML::Value << t.to << YAML::Key << "weight" << YAML::Value
          << number(t.weight);
      if (t.emotion_bias != 0.0) {
        out << YAML::Key << "emotion_bias" << YAML::Value << number(t.emotion_bias);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!s.personas.empty()) {
    out << YAML::Key << "personas" << YAML::Value << YAML::BeginSeq;
    for (const Persona& p : s.personas) write_persona(out, p);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace cjsim
