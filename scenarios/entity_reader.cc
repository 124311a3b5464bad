// The readers of the parts of a scenario: numbers, touchpoints, transitions, personas and
// settings, each able to read a whole new part or an update on top of an existing one.
#include "scenarios/entity_reader.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <set>

namespace cjsim::detail {
namespace {

// YAML's own spellings of infinity and not-a-number (.inf, -.Inf, .NaN, ...).
std::optional<double> yaml_special_number(std::string_view text) {
  double sign = 1.0;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    if (text.front() == '-') sign = -1.0;
    text.remove_prefix(1);
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF") {
    return sign * std::numeric_limits<double>::infinity();
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::nullopt;
}

// The spellings of true and false of YAML 1.1 (y/n, yes/no, true/false, on/off), each in
// lower case, upper case or capitalised.
bool spelled_bool(std::string_view text, bool& out) {
  if (text.empty()) return false;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string capitalised = lower;
  capitalised[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capitalised[0])));
  std::string upper = lower;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text != lower && text != upper && text != capitalised) return false;
  for (const auto& [yes, no] :
       {std::pair{"y", "n"}, {"yes", "no"}, {"true", "false"}, {"on", "off"}}) {
    if (lower == yes) {
      out = true;
      return true;
    }
    if (lower == no) {
      out = false;
      return true;
    }
  }
  return false;
}

std::optional<std::int64_t> spelled_whole_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> spelled_number(std::string_view text) {
  if (auto special = yaml_special_number(text)) return special;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (error != std::errc()) return std::nullopt;
  return value;
}

// How a value looks to the user, for "expected a number, got ...".
std::string describe(const YamlNode& node) {
  switch (node.kind()) {
    case YamlKind::list:
      return "a list";
    case YamlKind::map:
      return "a map";
    case YamlKind::scalar:
      if (node.is_quoted()) return fmt::format("the text \"{}\"", node.text());
      return fmt::format("'{}'", node.text());
    case YamlKind::null:
      break;
  }
  return "nothing";
}

bool is_text(const YamlNode& node) { return node.is_scalar() && node.is_quoted(); }

// The finite number `value` holds, or nullopt after saying what is wrong with it. `field`
// names it in messages ("dropout in touchpoint 'checkout'").
std::optional<double> read_number(Reading& reading, const YamlNode& value,
                                  const SourceLocation& where, const std::string& field) {
  std::optional<double> number;
  if (value.is_scalar() && !is_text(value)) number = spelled_number(value.text());
  if (!number) {
    std::string message = fmt::format("expected a number for {}, got {}", field, describe(value));
    if (is_text(value) && spelled_number(value.text())) message += "; remove the quotes";
    reading.error(where, std::move(message));
    return std::nullopt;
  }
  if (!std::isfinite(*number)) {
    reading.error(where, fmt::format("{} must be a finite number, got {}", field, value.text()));
    return std::nullopt;
  }
  return number;
}

std::optional<std::int64_t> read_whole_number(Reading& reading, const YamlNode& value,
                                              const SourceLocation& where,
                                              const std::string& field) {
  std::optional<std::int64_t> number;
  if (value.is_scalar() && !is_text(value)) number = spelled_whole_number(value.text());
  if (!number) {
    reading.error(where,
                  fmt::format("expected a whole number for {}, got {}", field, describe(value)));
  }
  return number;
}

// A seed cannot be negative: the type that holds it has no room for a sign.
std::optional<std::uint64_t> read_seed(Reading& reading, const YamlNode& value,
                                       const SourceLocation& where, const std::string& field) {
  if (value.is_scalar() && !is_text(value)) {
    std::string_view spelled = value.text();
    if (!spelled.empty() && spelled.front() == '+') spelled.remove_prefix(1);
    std::uint64_t seed = 0;
    const auto [end, error] =
        std::from_chars(spelled.data(), spelled.data() + spelled.size(), seed);
    if (error == std::errc() && end == spelled.data() + spelled.size()) return seed;
  }
  reading.error(where, fmt::format("expected a non-negative whole number for {}, got {}", field,
                                   describe(value)));
  return std::nullopt;
}

// "touchpoint 'checkout'" when the id can be seen, "touchpoint #3" when it cannot.
std::string owner_name(std::string_view kind, const YamlNode& node, std::size_t index) {
  if (node.is_map()) {
    const YamlNode id = node.find("id");
    if (id.is_scalar() && !id.text().empty()) {
      return fmt::format("{} '{}'", kind, id.text());
    }
  }
  return fmt::format("{} #{}", kind, index + 1);
}

std::string transition_name(const YamlNode& node, std::size_t index) {
  if (node.is_map()) {
    const YamlNode from = node.find("from");
    const YamlNode to = node.find("to");
    if (from.is_scalar() && to.is_scalar()) {
      return fmt::format("transition '{}' -> '{}'", from.text(), to.text());
    }
  }
  return fmt::format("transition #{}", index + 1);
}

namespace {

// An emotion as {mean, sd}; both default to 0.
void read_emotion(MapReader& owner, std::string_view key, double& mean, double& sd) {
  std::optional<MapReader> emotion = owner.nested(key, kEmotionKeys);
  if (!emotion) return;
  emotion->number("mean", mean);
  emotion->number("sd", sd);
}

// Hours as a plain number (fixed), {exponential: MEAN} or {lognormal: {median, sigma}}. A
// duration is always written whole, so an update replaces every part of the one before.
void read_duration(MapReader& touchpoint, Duration& duration) {
  if (!touchpoint.has("duration")) return;
  duration = Duration{};
  touchpoint.forget_nested("duration");
  const YamlNode value = touchpoint.value("duration");
  if (value.is_scalar()) {
    duration.kind = Duration::Kind::fixed;
    touchpoint.number("duration", duration.hours);
    return;
  }
  if (!value.is_map()) {
    touchpoint.error("duration",
                     fmt::format("expected hours (a number), {{exponential: MEAN}} or "
                                 "{{lognormal: {{median: M, sigma: S}}}} for {}, got {}",
                                 touchpoint.field("duration"), describe(value)));
    return;
  }
  std::optional<MapReader> form = touchpoint.nested("duration", kDurationKinds);
  if (form->known_key_count() > 1) {
    touchpoint.error("duration", fmt::format("{} must have one form, exponential or lognormal, "
                                             "not both",
                                             touchpoint.field("duration")));
    return;
  }
  if (form->key_count() == 0) {
    touchpoint.error("duration", fmt::format("{} is an empty map; write hours (a number), "
                                             "{{exponential: MEAN}} or {{lognormal: ...}}",
                                             touchpoint.field("duration")));
    return;
  }
  if (form->has("exponential")) {
    duration.kind = Duration::Kind::exponential;
    form->number("exponential", duration.hours);
    return;
  }
  std::optional<MapReader> lognormal = form->nested("lognormal", kLognormalKeys);
  if (!lognormal) return;
  duration.kind = Duration::Kind::lognormal;
  if (lognormal->require("median")) lognormal->number("median", duration.median);
  if (lognormal->require("sigma")) lognormal->number("sigma", duration.sigma);
}

// `conversion: {value: V}` (or `conversion: true`, worth 0) marks a conversion touchpoint.
void read_conversion(MapReader& map, Touchpoint& touchpoint) {
  if (!map.has("conversion")) return;
  const YamlNode value = map.value("conversion");
  bool flag = false;
  if (value.is_scalar() && !is_text(value) && spelled_bool(value.text(), flag)) {
    touchpoint.conversion = flag;
    return;
  }
  if (value.is_scalar() || value.is_list()) {
    std::string message = fmt::format("expected {{value: V}} or true for {}, got {}",
                                      map.field("conversion"), describe(value));
    if (!is_text(value) && spelled_number(value.text())) {
      message += fmt::format("; write conversion: {{value: {}}}", value.text());
    }
    map.error("conversion", std::move(message));
    return;
  }
  touchpoint.conversion = true;
  std::optional<MapReader> conversion = map.nested("conversion", kConversionKeys);
  conversion->number("value", touchpoint.value);
}

// channel -> multiplier; the channels are the user's own labels, so any key is allowed.
void read_affinities(Reading& reading, MapReader& persona_map, Persona& persona) {
  if (!persona_map.has("channel_affinity")) return;
  const YamlNode map = persona_map.value("channel_affinity");
  if (map.is_null()) return;
  if (!map.is_map()) {
    persona_map.error("channel_affinity",
                      fmt::format("expected a map of channel: multiplier for {}, got {}",
                                  persona_map.field("channel_affinity"), describe(map)));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < map.size(); ++i) {
    const YamlNode key = map.key(i);
    const SourceLocation where = reading.at(key);
    if (!key.is_scalar()) {
      reading.error(where, fmt::format("expected a channel name in channel_affinity of {}, got {}",
                                       persona_map.owner(), describe(key)));
      continue;
    }
    const std::string channel(key.text());
    if (!seen.insert(channel).second) {
      reading.error(where, fmt::format("channel '{}' appears twice in channel_affinity of {}",
                                       channel, persona_map.owner()));
      continue;
    }
    const std::optional<double> multiplier =
        read_number(reading, map.value(i), where,
                    fmt::format("channel_affinity.{} in {}", channel, persona_map.owner()));
    if (!multiplier) continue;
    persona.channel_affinity[channel] = *multiplier;
    persona.fields["channel_affinity." + channel] = where;
  }
}

// An update finds its entity by the identifying keys (id, from, to) and leaves them as they
// are, and the places they were first written too: this keeps those places over a read.
class KeptPlaces {
 public:
  KeptPlaces(Fill fill, FieldLocations& fields, KeyList keys) : fields_(fields) {
    if (fill == Fill::whole) return;
    for (std::string_view key : keys) {
      auto it = fields_.find(key);
      if (it != fields_.end()) kept_.emplace_back(it->first, it->second);
    }
  }
  ~KeptPlaces() {
    for (auto& [key, where] : kept_) fields_[key] = where;
  }
  KeptPlaces(const KeptPlaces&) = delete;
  KeptPlaces& operator=(const KeptPlaces&) = delete;

 private:
  FieldLocations& fields_;
  std::vector<std::pair<std::string, SourceLocation>> kept_;
};

constexpr std::string_view kIdKeys[] = {"id"};
constexpr std::string_view kEndKeys[] = {"from", "to"};

}  // namespace

void read_touchpoint(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Touchpoint& touchpoint) {
  if (fill == Fill::whole) touchpoint.where = reading.at(node);
  const KeptPlaces kept(fill, touchpoint.fields, kIdKeys);
  MapReader map(reading, node, owner, kTouchpointKeys, touchpoint.fields, "",
                MapReader::Empty::refused);
  if (fill == Fill::whole) map.required_text("id", touchpoint.id);
  if (!map.text("name", touchpoint.name) && fill == Fill::whole) touchpoint.name = touchpoint.id;
  if (fill == Fill::whole) {
    map.required_text("stage", touchpoint.stage);
    map.required_text("channel", touchpoint.channel);
  } else {
    map.text("stage", touchpoint.stage);
    map.text("channel", touchpoint.channel);
  }
  read_emotion(map, "emotion", touchpoint.emotion_mean, touchpoint.emotion_sd);
  map.number("dropout", touchpoint.dropout);
  read_duration(map, touchpoint.duration);
  map.number("cost", touchpoint.cost);
  map.number("entry_weight", touchpoint.entry_weight);
  read_conversion(map, touchpoint);
}

void read_transition(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Transition& transition) {
  if (fill == Fill::whole) transition.where = reading.at(node);
  const KeptPlaces kept(fill, transition.fields, kEndKeys);
  MapReader map(reading, node, owner, kTransitionKeys, transition.fields, "",
                MapReader::Empty::refused);
  if (fill == Fill::whole) {
    map.required_text("from", transition.from);
    map.required_text("to", transition.to);
  }
  map.number("weight", transition.weight);
  map.number("emotion_bias", transition.emotion_bias);
}

void read_persona(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                  Persona& persona) {
  if (fill == Fill::whole) persona.where = reading.at(node);
  const KeptPlaces kept(fill, persona.fields, kIdKeys);
  MapReader map(reading, node, owner, kPersonaKeys, persona.fields, "", MapReader::Empty::refused);
  if (fill == Fill::whole) map.required_text("id", persona.id);
  map.number("share", persona.share);
  map.number("sensitivity", persona.sensitivity);
  map.number("dropout_odds", persona.dropout_odds);
  read_emotion(map, "initial_emotion", persona.initial_emotion_mean, persona.initial_emotion_sd);
  map.number("value_multiplier", persona.value_multiplier);
  read_affinities(reading, map, persona);
}

void read_settings(Reading& reading, const YamlNode& node, Settings& settings) {
  MapReader map(reading, node, "settings", kSettingsKeys, settings.fields);
  map.number("memory", settings.memory);
  map.number("kappa", settings.kappa);
  map.whole_number("max_steps", settings.max_steps);
  map.optional_number("horizon_hours", settings.horizon_hours);
  map.seed("seed", settings.seed);
  map.number("promoter_threshold", settings.promoter_threshold);
  map.number("detractor_threshold", settings.detractor_threshold);
}

}  // namespace cjsim::detail
