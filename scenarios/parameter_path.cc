// Parameter paths: parsing, checking against a scenario, reading and setting the field.
#include "scenarios/parameter_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "scenarios/did_you_mean.h"

namespace cjsim {
namespace {

constexpr std::string_view kForms =
    "a path is touchpoints.<id>.<field>, transitions.<from>-><to>.<field>, "
    "personas.<id>.<field> or settings.<field>";

constexpr std::array<std::string_view, 9> kTouchpointFields = {
    "dropout", "emotion.mean", "emotion.sd",      "cost",          "entry_weight",
    "value",   "duration",     "duration.median", "duration.sigma"};
constexpr std::array<std::string_view, 2> kTransitionFields = {"weight", "emotion_bias"};
constexpr std::array<std::string_view, 6> kPersonaFields = {
    "share",           "sensitivity", "dropout_odds", "initial_emotion.mean", "initial_emotion.sd",
    "value_multiplier"};
constexpr std::string_view kAffinityPrefix = "channel_affinity.";
constexpr std::array<std::string_view, 6> kSettingsFields = {
    "memory", "kappa", "max_steps", "horizon_hours", "promoter_threshold", "detractor_threshold"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits "<name>.<field>" where the field is one of `fields` (which may hold dots, and so may
// the name): the longest field that ends the text wins.
template <class Fields>
bool split_field(std::string_view rest, const Fields& fields, std::string& name,
                 std::string& field) {
  std::size_t best = 0;
  for (std::string_view f : fields) {
    if (rest.size() > f.size() + 1 && rest.ends_with(f) &&
        rest[rest.size() - f.size() - 1] == '.' && f.size() > best) {
      best = f.size();
    }
  }
  if (best == 0) return false;
  name = std::string(rest.substr(0, rest.size() - best - 1));
  field = std::string(rest.substr(rest.size() - best));
  return true;
}

std::string field_error(std::string_view entity, std::string_view rest,
                        const std::vector<std::string>& fields) {
  const std::size_t dot = rest.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
  return fmt::format("no {} field at the end of '{}'{} (the fields are {})", entity, rest,
                     did_you_mean(last, fields), join_names(fields));
}

template <class Fields>
std::vector<std::string> names_of(const Fields& fields) {
  return std::vector<std::string>(fields.begin(), fields.end());
}

Touchpoint* find_touchpoint(Scenario& s, std::string_view id) {
  for (Touchpoint& t : s.touchpoints) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

Persona* find_persona(Scenario& s, std::string_view id) {
  for (Persona& p : s.personas) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// Every value a path can name, as a reference of one of three kinds.
struct Target {
  double* number = nullptr;
  std::int64_t* integer = nullptr;
  std::optional<double>* optional = nullptr;
  std::string error;
};

// For channel_affinity.<channel>, a persona without an entry gets one (the default, 1).
Target target_of(Scenario& s, const ParameterPath& p) {
  Target t;
  using Entity = ParameterPath::Entity;
  switch (p.entity) {
    case Entity::touchpoint: {
      Touchpoint* v = find_touchpoint(s, p.id);
      if (v == nullptr) {
        std::vector<std::string> ids;
        for (const Touchpoint& x : s.touchpoints) ids.push_back(x.id);
        t.error =
            fmt::format("no touchpoint '{}' in the scenario{}", p.id, did_you_mean(p.id, ids));
        return t;
      }
      const std::string& f = p.field;
      using Kind = Duration::Kind;
      if (f == "dropout")
        t.number = &v->dropout;
      else if (f == "emotion.mean")
        t.number = &v->emotion_mean;
      else if (f == "emotion.sd")
        t.number = &v->emotion_sd;
      else if (f == "cost")
        t.number = &v->cost;
      else if (f == "entry_weight")
        t.number = &v->entry_weight;
      else if (f == "value")
        t.number = &v->value;
      else if (f == "duration") {
        if (v->duration.kind == Kind::lognormal) {
          t.error = fmt::format(
              "touchpoint '{}' has a lognormal duration; vary duration.median or "
              "duration.sigma",
              p.id);
        } else {
          t.number = &v->duration.hours;
        }
      } else if (f == "duration.median" || f == "duration.sigma") {
        if (v->duration.kind != Kind::lognormal) {
          t.error = fmt::format(
              "touchpoint '{}' has no lognormal duration, so no {}; vary "
              "duration (its hours, or the exponential mean)",
              p.id, f);
        } else {
          t.number = f == "duration.median" ? &v->duration.median : &v->duration.sigma;
        }
      }
      return t;
    }
    case Entity::transition: {
      Transition* found = nullptr;
      for (Transition& e : s.transitions) {
        if (e.from == p.from && e.to == p.to) found = &e;
      }
      if (found == nullptr) {
        std::vector<std::string> pairs;
        for (const Transition& e : s.transitions) pairs.push_back(e.from + "->" + e.to);
        t.error = fmt::format("no transition '{}' -> '{}' in the scenario{}", p.from, p.to,
                              did_you_mean(p.from + "->" + p.to, pairs));
        return t;
      }
      t.number = p.field == "weight" ? &found->weight : &found->emotion_bias;
      return t;
    }
    case Entity::persona: {
      Persona* q = find_persona(s, p.id);
      if (q == nullptr) {
        std::vector<std::string> ids;
        for (const Persona& x : s.personas) ids.push_back(x.id);
        t.error = fmt::format("no persona '{}' in the scenario{} (its personas: {})", p.id,
                              did_you_mean(p.id, ids), join_names(ids));
        return t;
      }
      const std::string& f = p.field;
      if (f == "share")
        t.number = &q->share;
      else if (f == "sensitivity")
        t.number = &q->sensitivity;
      else if (f == "dropout_odds")
        t.number = &q->dropout_odds;
      else if (f == "initial_emotion.mean")
        t.number = &q->initial_emotion_mean;
      else if (f == "initial_emotion.sd")
        t.number = &q->initial_emotion_sd;
      else if (f == "value_multiplier")
        t.number = &q->value_multiplier;
      else if (f.starts_with(kAffinityPrefix)) {
        const std::string channel = f.substr(kAffinityPrefix.size());
        std::set<std::string> channels;
        for (const Touchpoint& v : s.touchpoints) channels.insert(v.channel);
        if (!channels.contains(channel)) {
          t.error = fmt::format("no touchpoint has the channel '{}'{} (the channels: {})", channel,
                                did_you_mean(channel, channels), join_names(channels));
          return t;
        }
        t.number = &q->channel_affinity.try_emplace(channel, 1.0).first->second;
      }
      return t;
    }
    case Entity::settings: {
      const std::string& f = p.field;
      Settings& g = s.settings;
      if (f == "memory")
        t.number = &g.memory;
      else if (f == "kappa")
        t.number = &g.kappa;
      else if (f == "max_steps")
        t.integer = &g.max_steps;
      else if (f == "horizon_hours")
        t.optional = &g.horizon_hours;
      else if (f == "promoter_threshold")
        t.number = &g.promoter_threshold;
      else if (f == "detractor_threshold")
        t.number = &g.detractor_threshold;
      return t;
    }
  }
  return t;
}

}  // namespace

std::optional<ParameterPath> parse_parameter_path(std::string_view text, std::string& error) {
  ParameterPath p;
  p.text = std::string(text);
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot + 1 == text.size()) {
    error = fmt::format("'{}' is not a parameter path: {}", text, kForms);
    return std::nullopt;
  }
  const std::string_view head = text.substr(0, dot);
  const std::string_view rest = text.substr(dot + 1);
  using Entity = ParameterPath::Entity;
  if (head == "touchpoints") {
    p.entity = Entity::touchpoint;
    if (!split_field(rest, kTouchpointFields, p.id, p.field)) {
      error = field_error("touchpoint", rest, names_of(kTouchpointFields));
      return std::nullopt;
    }
  } else if (head == "transitions") {
    p.entity = Entity::transition;
    std::string pair;
    if (!split_field(rest, kTransitionFields, pair, p.field)) {
      error = field_error("transition", rest, names_of(kTransitionFields));
      return std::nullopt;
    }
    const std::size_t arrow = pair.find("->");
    if (arrow == std::string::npos) {
      error = fmt::format(
          "'{}' names no transition: write it as <from>-><to>, as in "
          "transitions.cart->checkout.weight",
          pair);
      return std::nullopt;
    }
    p.from = std::string(trim(std::string_view(pair).substr(0, arrow)));
    p.to = std::string(trim(std::string_view(pair).substr(arrow + 2)));
    if (p.from.empty() || p.to.empty()) {
      error = fmt::format("'{}' names no transition: both ends of <from>-><to> are needed", pair);
      return std::nullopt;
    }
  } else if (head == "personas") {
    p.entity = Entity::persona;
    const std::size_t affinity = rest.find(std::string(".") + std::string(kAffinityPrefix));
    if (affinity != std::string_view::npos && affinity + 1 + kAffinityPrefix.size() < rest.size()) {
      p.id = std::string(rest.substr(0, affinity));
      p.field = std::string(rest.substr(affinity + 1));
    } else if (!split_field(rest, kPersonaFields, p.id, p.field)) {
      std::vector<std::string> fields = names_of(kPersonaFields);
      fields.emplace_back("channel_affinity.<channel>");
      error = field_error("persona", rest, fields);
      return std::nullopt;
    }
  } else if (head == "settings") {
    p.entity = Entity::settings;
    p.field = std::string(rest);
    std::vector<std::string> fields = names_of(kSettingsFields);
    if (std::find(fields.begin(), fields.end(), p.field) == fields.end()) {
      error = fmt::format("no numeric setting '{}'{} (the settings that can vary: {})", rest,
                          did_you_mean(rest, fields), join_names(fields));
      return std::nullopt;
    }
  } else {
    const std::array<std::string, 4> heads = {"touchpoints", "transitions", "personas", "settings"};
    error = fmt::format(
        "'{}' does not start with touchpoints, transitions, personas or "
        "settings{}; {}",
        text, did_you_mean(head, heads), kForms);
    return std::nullopt;
  }
  return p;
}

std::optional<std::string> check_parameter_path(const Scenario& scenario,
                                                const ParameterPath& path) {
  Scenario copy = scenario;  // target_of may add a channel affinity entry
  Target t = target_of(copy, path);
  if (!t.error.empty()) return t.error;
  return std::nullopt;
}

double parameter_value(const Scenario& scenario, const ParameterPath& path) {
  Scenario copy = scenario;
  const Target t = target_of(copy, path);
  if (t.number != nullptr) return *t.number;
  if (t.integer != nullptr) return static_cast<double>(*t.integer);
  if (t.optional != nullptr && t.optional->has_value()) return **t.optional;
  return std::numeric_limits<double>::quiet_NaN();
}

std::optional<std::string> set_parameter(Scenario& scenario, const ParameterPath& path,
                                         double value) {
  const Target t = target_of(scenario, path);
  if (!t.error.empty()) return t.error;
  if (t.number != nullptr) {
    *t.number = value;
  } else if (t.optional != nullptr) {
    *t.optional = value;
  } else if (t.integer != nullptr) {
    // 2^53: every integer below it is exact as a double.
    if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 0x1.0p53) {
      return fmt::format("{} must be a whole number, not {}", path.text, value);
    }
    *t.integer = static_cast<std::int64_t>(value);
  }
  return std::nullopt;
}

}  // namespace cjsim
