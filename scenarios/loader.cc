// Reading a scenario file: YAML (or JSON) text into a Scenario. Only the shape is checked
// here (syntax, keys, types, finite numbers); what the values mean is validate.cc's job.
#include "scenarios/loader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <span>
#include <sstream>
#include <utility>
#include <vector>

#include "scenarios/did_you_mean.h"

namespace cjsim {
namespace {

using KeyList = std::span<const std::string_view>;

// The keys each kind of map may hold, in the order the schema documents them.
constexpr std::string_view kScenarioKeys[] = {"name",        "description", "stages",  "settings",
                                              "touchpoints", "transitions", "personas"};
constexpr std::string_view kSettingsKeys[] = {"memory",
                                              "kappa",
                                              "max_steps",
                                              "horizon_hours",
                                              "seed",
                                              "promoter_threshold",
                                              "detractor_threshold"};
constexpr std::string_view kTouchpointKeys[] = {"id",           "name",      "stage",    "channel",
                                                "emotion",      "dropout",   "duration", "cost",
                                                "entry_weight", "conversion"};
constexpr std::string_view kEmotionKeys[] = {"mean", "sd"};
constexpr std::string_view kDurationKinds[] = {"exponential", "lognormal"};
constexpr std::string_view kLognormalKeys[] = {"median", "sigma"};
constexpr std::string_view kConversionKeys[] = {"value"};
constexpr std::string_view kTransitionKeys[] = {"from", "to", "weight", "emotion_bias"};
constexpr std::string_view kPersonaKeys[] = {"id",
                                             "share",
                                             "sensitivity",
                                             "dropout_odds",
                                             "initial_emotion",
                                             "value_multiplier",
                                             "channel_affinity"};

// What every reading function shares: the file name for locations, and where problems go.
struct Reading {
  const std::string& path;
  Diagnostics& diagnostics;

  SourceLocation at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {path, 0, 0};
    return {path, mark.line + 1, mark.column + 1};
  }
  void error(SourceLocation where, std::string message) {
    diagnostics.error(std::move(where), std::move(message));
  }
};

// How a value looks to the user, for "expected a number, got ...".
std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Scalar:
      // Quoted scalars carry the tag "!": they are text even when they look like numbers.
      if (node.Tag() == "!") return fmt::format("the text \"{}\"", node.Scalar());
      return fmt::format("'{}'", node.Scalar());
    default:
      return "nothing";
  }
}

bool is_text(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

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

// The number a plain scalar spells, possibly infinite or NaN; nullopt when it is no number.
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

std::optional<std::int64_t> spelled_whole_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The finite number `value` holds, or nullopt after saying what is wrong with it. `field`
// names it in messages ("dropout in touchpoint 'checkout'").
std::optional<double> read_number(Reading& reading, const YAML::Node& value,
                                  const SourceLocation& where, const std::string& field) {
  std::optional<double> number;
  if (value.IsScalar() && !is_text(value)) number = spelled_number(value.Scalar());
  if (!number) {
    std::string message = fmt::format("expected a number for {}, got {}", field, describe(value));
    if (is_text(value) && spelled_number(value.Scalar())) message += "; remove the quotes";
    reading.error(where, std::move(message));
    return std::nullopt;
  }
  if (!std::isfinite(*number)) {
    reading.error(where, fmt::format("{} must be a finite number, got {}", field, value.Scalar()));
    return std::nullopt;
  }
  return number;
}

std::optional<std::int64_t> read_whole_number(Reading& reading, const YAML::Node& value,
                                              const SourceLocation& where,
                                              const std::string& field) {
  std::optional<std::int64_t> number;
  if (value.IsScalar() && !is_text(value)) number = spelled_whole_number(value.Scalar());
  if (!number) {
    reading.error(where,
                  fmt::format("expected a whole number for {}, got {}", field, describe(value)));
  }
  return number;
}

// A seed cannot be negative: the type that holds it has no room for a sign.
std::optional<std::uint64_t> read_seed(Reading& reading, const YAML::Node& value,
                                       const SourceLocation& where, const std::string& field) {
  if (value.IsScalar() && !is_text(value)) {
    std::string_view spelled = value.Scalar();
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

// One YAML map of a known kind (the scenario, a touchpoint, its emotion, ...). Its keys are
// checked when it is opened; its fields are then read one by one, each recording where it
// was written so that later checks can point at it.
class MapReader {
 public:
  // `owner` names the entity in messages ("touchpoint 'checkout'"); `prefix` is the path of a
  // nested map inside it ("emotion."), both for messages and for the recorded locations.
  // An empty value (null) stands for an empty map unless `empty` is Empty::refused, as it is
  // for an entity: a touchpoint written as a bare "-" is a mistake, not a default touchpoint.
  enum class Empty { allowed, refused };

  MapReader(Reading& reading, const YAML::Node& map, std::string owner, KeyList keys,
            FieldLocations& locations, std::string prefix = "", Empty empty = Empty::allowed)
      : reading_(reading),
        owner_(std::move(owner)),
        keys_(keys),
        locations_(locations),
        prefix_(std::move(prefix)),
        where_(reading.at(map)) {
    if (map.IsNull() && empty == Empty::allowed) return;
    if (!map.IsMap()) {
      reading_.error(where_,
                     fmt::format("expected a map for {}, got {}", subject(), describe(map)));
      // Its type was the problem; "missing key" messages would only repeat it.
      wrong_type_ = true;
      return;
    }
    for (auto it = map.begin(); it != map.end(); ++it) take_entry(it->first, it->second);
  }

  const std::string& owner() const { return owner_; }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  std::size_t known_key_count() const { return entries_.size(); }
  std::size_t key_count() const { return entries_.size() + unknown_keys_; }

  YAML::Node value(std::string_view key) const {
    const Entry* entry = find(key);
    return entry ? entry->value : YAML::Node();
  }
  SourceLocation where(std::string_view key) const {
    const Entry* entry = find(key);
    return entry ? entry->where : where_;
  }
  void error(std::string_view key, std::string message) {
    reading_.error(where(key), std::move(message));
  }

  // "dropout in touchpoint 'checkout'": a field as messages name it.
  std::string field(std::string_view key) const {
    return fmt::format("{} in {}", path(key), owner_);
  }

  bool require(std::string_view key) {
    if (has(key)) return true;
    if (wrong_type_) return false;
    reading_.error(where_, fmt::format("missing required key '{}' in {}", path(key), owner_));
    return false;
  }

  // Each reader leaves `out` untouched when the key is absent or its value is wrong, and
  // returns whether it read a value.
  bool text(std::string_view key, std::string& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    if (!entry->value.IsScalar()) {
      error(key,
            fmt::format("expected a string for {}, got {}", field(key), describe(entry->value)));
      return false;
    }
    out = entry->value.Scalar();
    return true;
  }

  bool required_text(std::string_view key, std::string& out) {
    return require(key) && text(key, out);
  }

  bool number(std::string_view key, double& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    const std::optional<double> value =
        read_number(reading_, entry->value, entry->where, field(key));
    if (!value) return false;
    out = *value;
    return true;
  }

  bool optional_number(std::string_view key, std::optional<double>& out) {
    double value = 0.0;
    if (!number(key, value)) return false;
    out = value;
    return true;
  }

  bool whole_number(std::string_view key, std::int64_t& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    const std::optional<std::int64_t> value =
        read_whole_number(reading_, entry->value, entry->where, field(key));
    if (!value) return false;
    out = *value;
    return true;
  }

  bool seed(std::string_view key, std::optional<std::uint64_t>& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    const std::optional<std::uint64_t> value =
        read_seed(reading_, entry->value, entry->where, field(key));
    if (!value) return false;
    out = value;
    return true;
  }

  // The items of a list; an absent or empty (null) optional list has none.
  std::vector<YAML::Node> list(std::string_view key, bool required) {
    if (required && !require(key)) return {};
    const Entry* entry = find(key);
    if (!entry || (!required && entry->value.IsNull())) return {};
    if (!entry->value.IsSequence()) {
      error(key, fmt::format("expected a list for {}, got {}", field(key), describe(entry->value)));
      return {};
    }
    return std::vector<YAML::Node>(entry->value.begin(), entry->value.end());
  }

  // A map inside this one, read with its own keys; nullopt when the key is absent.
  std::optional<MapReader> nested(std::string_view key, KeyList keys) {
    const Entry* entry = find(key);
    if (!entry) return std::nullopt;
    return MapReader(reading_, entry->value, owner_, keys, locations_, path(key) + ".");
  }

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    SourceLocation where;
  };

  std::string subject() const {
    if (prefix_.empty()) return owner_;
    return fmt::format("{} in {}", prefix_.substr(0, prefix_.size() - 1), owner_);
  }

  const Entry* find(std::string_view key) const {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry& entry) { return entry.key == key; });
    return it == entries_.end() ? nullptr : &*it;
  }

  void take_entry(const YAML::Node& key_node, const YAML::Node& value) {
    const SourceLocation where = reading_.at(key_node);
    if (!key_node.IsScalar()) {
      reading_.error(
          where, fmt::format("expected a key name in {}, got {}", subject(), describe(key_node)));
      ++unknown_keys_;
      return;
    }
    const std::string& key = key_node.Scalar();
    if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) {
      report_unknown_key(key, where);
      ++unknown_keys_;
      return;
    }
    if (const Entry* first = find(key)) {
      reading_.error(where, fmt::format("key '{}' appears twice in {}; the first is at line {}",
                                        key, subject(), first->where.line));
      return;
    }
    entries_.push_back({key, value, where});
    locations_[path(key)] = where;
  }

  void report_unknown_key(const std::string& key, const SourceLocation& where) {
    std::string message = fmt::format("unknown key '{}' in {}", key, subject());
    const std::string suggestion = did_you_mean(key, keys_);
    message +=
        suggestion.empty() ? fmt::format("; allowed keys are: {}", join_names(keys_)) : suggestion;
    reading_.error(where, std::move(message));
  }

  Reading& reading_;
  std::string owner_;
  KeyList keys_;
  FieldLocations& locations_;
  std::string prefix_;
  SourceLocation where_;
  std::vector<Entry> entries_;
  std::size_t unknown_keys_ = 0;
  bool wrong_type_ = false;
};

// "touchpoint 'checkout'" when the id can be seen, "touchpoint #3" when it cannot.
std::string owner_name(std::string_view kind, const YAML::Node& node, std::size_t index) {
  if (node.IsMap()) {
    const YAML::Node id = node["id"];
    if (id && id.IsScalar() && !id.Scalar().empty()) {
      return fmt::format("{} '{}'", kind, id.Scalar());
    }
  }
  return fmt::format("{} #{}", kind, index + 1);
}

std::string transition_name(const YAML::Node& node, std::size_t index) {
  if (node.IsMap()) {
    const YAML::Node from = node["from"];
    const YAML::Node to = node["to"];
    if (from && from.IsScalar() && to && to.IsScalar()) {
      return fmt::format("transition '{}' -> '{}'", from.Scalar(), to.Scalar());
    }
  }
  return fmt::format("transition #{}", index + 1);
}

// An emotion as {mean, sd}; both default to 0.
void read_emotion(MapReader& owner, std::string_view key, double& mean, double& sd) {
  std::optional<MapReader> emotion = owner.nested(key, kEmotionKeys);
  if (!emotion) return;
  emotion->number("mean", mean);
  emotion->number("sd", sd);
}

// Hours as a plain number (fixed), {exponential: MEAN} or {lognormal: {median, sigma}}.
void read_duration(MapReader& touchpoint, Duration& duration) {
  if (!touchpoint.has("duration")) return;
  const YAML::Node value = touchpoint.value("duration");
  if (value.IsScalar()) {
    duration.kind = Duration::Kind::fixed;
    touchpoint.number("duration", duration.hours);
    return;
  }
  if (!value.IsMap()) {
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
  const YAML::Node value = map.value("conversion");
  bool flag = false;
  if (value.IsScalar() && !is_text(value) && YAML::convert<bool>::decode(value, flag)) {
    touchpoint.conversion = flag;
    return;
  }
  if (value.IsScalar() || value.IsSequence()) {
    std::string message = fmt::format("expected {{value: V}} or true for {}, got {}",
                                      map.field("conversion"), describe(value));
    if (!is_text(value) && spelled_number(value.Scalar())) {
      message += fmt::format("; write conversion: {{value: {}}}", value.Scalar());
    }
    map.error("conversion", std::move(message));
    return;
  }
  touchpoint.conversion = true;
  std::optional<MapReader> conversion = map.nested("conversion", kConversionKeys);
  conversion->number("value", touchpoint.value);
}

Touchpoint read_touchpoint(Reading& reading, const YAML::Node& node, std::size_t index) {
  Touchpoint touchpoint;
  touchpoint.where = reading.at(node);
  MapReader map(reading, node, owner_name("touchpoint", node, index), kTouchpointKeys,
                touchpoint.fields, "", MapReader::Empty::refused);
  map.required_text("id", touchpoint.id);
  if (!map.text("name", touchpoint.name)) touchpoint.name = touchpoint.id;
  map.required_text("stage", touchpoint.stage);
  map.required_text("channel", touchpoint.channel);
  read_emotion(map, "emotion", touchpoint.emotion_mean, touchpoint.emotion_sd);
  map.number("dropout", touchpoint.dropout);
  read_duration(map, touchpoint.duration);
  map.number("cost", touchpoint.cost);
  map.number("entry_weight", touchpoint.entry_weight);
  read_conversion(map, touchpoint);
  return touchpoint;
}

Transition read_transition(Reading& reading, const YAML::Node& node, std::size_t index) {
  Transition transition;
  transition.where = reading.at(node);
  MapReader map(reading, node, transition_name(node, index), kTransitionKeys, transition.fields, "",
                MapReader::Empty::refused);
  map.required_text("from", transition.from);
  map.required_text("to", transition.to);
  map.number("weight", transition.weight);
  map.number("emotion_bias", transition.emotion_bias);
  return transition;
}

// channel -> multiplier; the channels are the user's own labels, so any key is allowed.
void read_affinities(Reading& reading, MapReader& persona_map, Persona& persona) {
  if (!persona_map.has("channel_affinity")) return;
  const YAML::Node map = persona_map.value("channel_affinity");
  if (map.IsNull()) return;
  if (!map.IsMap()) {
    persona_map.error("channel_affinity",
                      fmt::format("expected a map of channel: multiplier for {}, got {}",
                                  persona_map.field("channel_affinity"), describe(map)));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const SourceLocation where = reading.at(it->first);
    if (!it->first.IsScalar()) {
      reading.error(where, fmt::format("expected a channel name in channel_affinity of {}, got {}",
                                       persona_map.owner(), describe(it->first)));
      continue;
    }
    const std::string& channel = it->first.Scalar();
    if (!seen.insert(channel).second) {
      reading.error(where, fmt::format("channel '{}' appears twice in channel_affinity of {}",
                                       channel, persona_map.owner()));
      continue;
    }
    const std::optional<double> multiplier =
        read_number(reading, it->second, where,
                    fmt::format("channel_affinity.{} in {}", channel, persona_map.owner()));
    if (!multiplier) continue;
    persona.channel_affinity[channel] = *multiplier;
    persona.fields["channel_affinity." + channel] = where;
  }
}

Persona read_persona(Reading& reading, const YAML::Node& node, std::size_t index) {
  Persona persona;
  persona.where = reading.at(node);
  MapReader map(reading, node, owner_name("persona", node, index), kPersonaKeys, persona.fields, "",
                MapReader::Empty::refused);
  map.required_text("id", persona.id);
  map.number("share", persona.share);
  map.number("sensitivity", persona.sensitivity);
  map.number("dropout_odds", persona.dropout_odds);
  read_emotion(map, "initial_emotion", persona.initial_emotion_mean, persona.initial_emotion_sd);
  map.number("value_multiplier", persona.value_multiplier);
  read_affinities(reading, map, persona);
  return persona;
}

void read_settings(Reading& reading, const YAML::Node& node, Settings& settings) {
  MapReader map(reading, node, "settings", kSettingsKeys, settings.fields);
  map.number("memory", settings.memory);
  map.number("kappa", settings.kappa);
  map.whole_number("max_steps", settings.max_steps);
  map.optional_number("horizon_hours", settings.horizon_hours);
  map.seed("seed", settings.seed);
  map.number("promoter_threshold", settings.promoter_threshold);
  map.number("detractor_threshold", settings.detractor_threshold);
}

// Stages are a list of names; each one's place is kept as "stages[i]" in Scenario::fields.
void read_stages(Reading& reading, MapReader& top, Scenario& scenario) {
  const std::vector<YAML::Node> items = top.list("stages", /*required=*/true);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const SourceLocation where = reading.at(items[i]);
    if (!items[i].IsScalar()) {
      reading.error(where,
                    fmt::format("expected a stage name in stages, got {}", describe(items[i])));
      continue;
    }
    scenario.fields[fmt::format("stages[{}]", scenario.stages.size())] = where;
    scenario.stages.push_back(items[i].Scalar());
  }
}

void read_scenario(Reading& reading, const YAML::Node& root, Scenario& scenario) {
  MapReader top(reading, root, "the scenario", kScenarioKeys, scenario.fields);
  top.required_text("name", scenario.name);
  top.text("description", scenario.description);
  read_stages(reading, top, scenario);
  if (top.has("settings")) read_settings(reading, top.value("settings"), scenario.settings);

  const std::vector<YAML::Node> touchpoints = top.list("touchpoints", /*required=*/true);
  for (std::size_t i = 0; i < touchpoints.size(); ++i) {
    scenario.touchpoints.push_back(read_touchpoint(reading, touchpoints[i], i));
  }
  const std::vector<YAML::Node> transitions = top.list("transitions", /*required=*/false);
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    scenario.transitions.push_back(read_transition(reading, transitions[i], i));
  }
  const std::vector<YAML::Node> personas = top.list("personas", /*required=*/false);
  for (std::size_t i = 0; i < personas.size(); ++i) {
    scenario.personas.push_back(read_persona(reading, personas[i], i));
  }
  if (scenario.personas.empty()) scenario.personas.push_back(neutral_persona());
}

// The one document of the file, or nullopt after saying why there is none.
std::optional<YAML::Node> parse_document(Reading& reading, const std::string& text) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& failure) {
    reading.error({reading.path, failure.mark.line + 1, failure.mark.column + 1},
                  "YAML syntax error: " + failure.msg);
    return std::nullopt;
  }
  if (documents.empty() || documents.front().IsNull()) {
    reading.error({reading.path, 1, 1},
                  "the file holds no scenario; it needs at least 'name', 'stages' and "
                  "'touchpoints'");
    return std::nullopt;
  }
  if (documents.size() > 1) {
    reading.error(reading.at(documents[1]),
                  "the file holds more than one YAML document; a scenario file holds one");
    return std::nullopt;
  }
  if (!documents.front().IsMap()) {
    reading.error(reading.at(documents.front()),
                  fmt::format("a scenario must be a map of keys (name, stages, touchpoints, ...), "
                              "got {}",
                              describe(documents.front())));
    return std::nullopt;
  }
  return documents.front();
}

bool comes_first(const Diagnostic& a, const Diagnostic& b) {
  return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
}

// Hands the problems found over in file order, the order a reader fixes them in.
void hand_over(const Diagnostics& found, Diagnostics& diagnostics) {
  std::vector<Diagnostic> sorted = found.all();
  std::stable_sort(sorted.begin(), sorted.end(), comes_first);
  for (Diagnostic& diagnostic : sorted) {
    if (diagnostic.severity == Severity::error) {
      diagnostics.error(std::move(diagnostic.where), std::move(diagnostic.message));
    } else {
      diagnostics.warning(std::move(diagnostic.where), std::move(diagnostic.message));
    }
  }
}

std::optional<std::string> read_text(const std::string& path, std::string& reason) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    reason = "it is a directory";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = errno != 0 ? std::strerror(errno) : "it could not be opened";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    reason = "reading it failed";
    return std::nullopt;
  }
  return text.str();
}

}  // namespace

std::optional<Scenario> parse_scenario(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics) {
  Diagnostics found;
  Reading reading{path, found};
  Scenario scenario;
  scenario.source_path = path;
  scenario.source_text = std::string(text);
  if (std::optional<YAML::Node> root = parse_document(reading, scenario.source_text)) {
    read_scenario(reading, *root, scenario);
  }
  hand_over(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return scenario;
}

std::optional<Scenario> load_scenario_file(const std::string& path, Diagnostics& diagnostics) {
  std::string reason;
  const std::optional<std::string> text = read_text(path, reason);
  if (!text) {
    diagnostics.error({path, 0, 0}, "cannot read file: " + reason);
    return std::nullopt;
  }
  return parse_scenario(*text, path, diagnostics);
}

}  // namespace cjsim
