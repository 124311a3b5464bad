// The field table against what users read and write: the JSON Schema documents exactly its
// fields with the same ranges, every field round-trips through the writer and the loader,
// every sweepable field is reached by its path, and the older path spellings still work.
#include "scenarios/fields.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/parameter_path.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"

namespace cjsim {
namespace {

using nlohmann::json;

const json& schema() {
  static const json loaded = [] {
    std::ifstream file(std::string(CJSIM_SOURCE_DIR) + "/scenarios/scenario.schema.json");
    return json::parse(file);
  }();
  return loaded;
}

// A node with its "$ref" followed ("#/$defs/emotion").
const json& resolved(const json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node.at("$ref");
  return schema().at("$defs").at(ref.substr(ref.rfind('/') + 1));
}

// The schema of key `key` in `object`: one of its properties, or of the properties of one of
// its forms (oneOf); nullptr when it has none.
const json* property(const json& object, const std::string& key) {
  const json& node = resolved(object);
  if (node.contains("properties") && node.at("properties").contains(key)) {
    return &node.at("properties").at(key);
  }
  if (!node.contains("oneOf")) return nullptr;
  for (const json& form : node.at("oneOf")) {
    if (const json* found = property(form, key)) return found;
  }
  return nullptr;
}

// The schema of a dotted field name in a part; a key with several forms (duration) is its
// plain number form.
const json* field_schema(const std::string& part, std::string_view name) {
  const json* node = &schema().at("$defs").at(part);
  std::size_t start = 0;
  while (node) {
    const std::size_t dot = name.find('.', start);
    node = property(*node, std::string(name.substr(start, dot - start)));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!node) return nullptr;
  const json& found = resolved(*node);
  if (!found.contains("oneOf")) return &found;
  for (const json& form : found.at("oneOf")) {
    if (form.value("type", "") == "number") return &form;
  }
  return &found;
}

// The range a schema node states, as the table would.
FieldRange schema_range(const json& node) {
  FieldRange range;
  if (node.contains("minimum")) range.low = node.at("minimum").get<double>();
  if (node.contains("exclusiveMinimum")) {
    range.low = node.at("exclusiveMinimum").get<double>();
    range.low_open = true;
  }
  if (node.contains("maximum")) range.high = node.at("maximum").get<double>();
  if (node.contains("exclusiveMaximum")) {
    range.high = node.at("exclusiveMaximum").get<double>();
    range.high_open = true;
  }
  return range;
}

// The JSON type a member of this kind is written as.
std::string schema_type(const FieldRef& ref) {
  if (std::holds_alternative<std::string*>(ref)) return "string";
  if (std::holds_alternative<TextList*>(ref)) return "array";
  if (std::holds_alternative<TextMap*>(ref)) return "object";
  if (std::holds_alternative<std::int64_t*>(ref) ||
      std::holds_alternative<std::optional<std::uint64_t>*>(ref)) {
    return "integer";
  }
  return "number";
}

template <class Entity>
void expect_schema_matches(const std::string& part, std::span<const Field<Entity>> table) {
  Entity entity;
  for (const Field<Entity>& field : table) {
    SCOPED_TRACE(part + " " + std::string(field.name));
    const json* node = field_schema(part, field.name);
    ASSERT_NE(node, nullptr) << "the schema does not document it";
    if (field.form == FieldForm::transition_weights) {
      node = &resolved(*node).at("items").at("properties").at("weight");
    }
    if (field.form == FieldForm::channel_affinity || field.form == FieldForm::entry_weights ||
        field.form == FieldForm::dropouts) {
      node = &resolved(*node).at("additionalProperties");
      // A channel's affinity may be a number or uncertain: the number's range is the field's.
      if (node->contains("oneOf")) {
        for (const json& form : node->at("oneOf")) {
          if (form.value("type", "") == "number") node = &form;
        }
      }
    }
    if (field.form == FieldForm::profile) node = &node->at("items");
    const FieldRange range = schema_range(*node);
    EXPECT_EQ(range.low, field.range.low);
    EXPECT_EQ(range.high, field.range.high);
    EXPECT_EQ(range.low_open, field.range.low_open);
    EXPECT_EQ(range.high_open, field.range.high_open);
    if (field.ref == nullptr) continue;
    const std::string type = schema_type(field_ref(field, entity));
    if (type == "string" && node->contains("$ref")) continue;  // an id
    EXPECT_EQ(node->value("type", ""), type);
  }
}

TEST(FieldTable, TheSchemaDocumentsEveryFieldWithItsRange) {
  expect_schema_matches("settings", settings_fields());
  expect_schema_matches("touchpoint", touchpoint_fields());
  expect_schema_matches("transition", transition_fields());
  expect_schema_matches("persona", persona_fields());
  expect_schema_matches("calendar", calendar_fields());
  expect_schema_matches("resource", resource_fields());
  expect_schema_matches("word_of_mouth", word_of_mouth_fields());
  expect_schema_matches("returns", returns_fields());
  expect_schema_matches("stage", stage_fields());
}

std::set<std::string> schema_keys_at(const std::string& part, const std::string& prefix) {
  const json* node = &schema().at("$defs").at(part);
  if (!prefix.empty()) node = field_schema(part, prefix.substr(0, prefix.size() - 1));
  std::set<std::string> keys;
  for (const auto& [key, value] : resolved(*node).at("properties").items()) keys.insert(key);
  return keys;
}

template <class Entity>
std::set<std::string> table_keys_at(const std::string& prefix) {
  std::set<std::string> keys;
  for (std::string_view key : keys_at<Entity>(prefix)) keys.emplace(key);
  return keys;
}

TEST(FieldTable, TheSchemaListsNoKeyTheTableLacks) {
  EXPECT_EQ(schema_keys_at("settings", ""), table_keys_at<Settings>(""));
  EXPECT_EQ(schema_keys_at("touchpoint", ""), table_keys_at<Touchpoint>(""));
  EXPECT_EQ(schema_keys_at("touchpoint", "emotion."), table_keys_at<Touchpoint>("emotion."));
  EXPECT_EQ(schema_keys_at("transition", ""), table_keys_at<Transition>(""));
  EXPECT_EQ(schema_keys_at("persona", ""), table_keys_at<Persona>(""));
  EXPECT_EQ(schema_keys_at("persona", "initial_emotion."),
            table_keys_at<Persona>("initial_emotion."));
  EXPECT_EQ(schema_keys_at("calendar", ""), table_keys_at<Calendar>(""));
  EXPECT_EQ(schema_keys_at("resource", ""), table_keys_at<Resource>(""));
  EXPECT_EQ(schema_keys_at("word_of_mouth", ""), table_keys_at<WordOfMouth>(""));
  EXPECT_EQ(schema_keys_at("returns", ""), table_keys_at<Returns>(""));
  EXPECT_EQ(schema_keys_at("stage", ""), table_keys_at<JourneyStage>(""));
}

TEST(FieldTable, EveryFieldHasADescriptionAndOnlyNumbersAreSweepable) {
  auto check = [](const auto& table) {
    for (const auto& field : table) {
      EXPECT_FALSE(field.description.empty()) << field.name;
      if (!field.sweepable || field.ref == nullptr) continue;
      typename std::remove_cvref_t<decltype(field)>::Part entity{};
      EXPECT_NE(schema_type(field_ref(field, entity)), "string") << field.name;
    }
  };
  check(settings_fields());
  check(touchpoint_fields());
  check(transition_fields());
  check(persona_fields());
  check(calendar_fields());
  check(resource_fields());
  check(word_of_mouth_fields());
  check(returns_fields());
  check(stage_fields());
}

TEST(FieldTable, RangesReadAsMessagesSayThem) {
  EXPECT_EQ(kProbability.words(), "between 0 and 1");
  EXPECT_EQ(kValence.words(), "between -1 and 1");
  EXPECT_EQ(kNonNegative.words(), "0 or more");
  EXPECT_EQ(kPositive.words(), "greater than 0");
  EXPECT_EQ(kAnyNumber.words(), "a finite number");
  EXPECT_EQ(kAtLeastOne.words(), "1 or more");
  EXPECT_TRUE(kPositive.holds(1e-300));
  EXPECT_FALSE(kPositive.holds(0.0));
  EXPECT_FALSE(kAnyNumber.holds(std::numeric_limits<double>::infinity()));
}

Scenario tiny() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  EXPECT_TRUE(scenario) << diagnostics.to_string();
  return scenario.value_or(Scenario{});
}

// The first touchpoint of tiny.yaml the field means something for.
const Touchpoint* touchpoint_for(const Scenario& s, const Field<Touchpoint>& field) {
  for (const Touchpoint& t : s.touchpoints) {
    if (field_applies(field, t)) return &t;
  }
  return nullptr;
}

// A value inside the field's range and unlike the one it holds.
double other_value(const FieldRange& range, double now) {
  double value = std::isfinite(range.high) ? (range.low + range.high) / 2 : range.low + 2.5;
  if (!std::isfinite(range.low)) value = 0.75;
  return value == now ? value / 2 + 0.125 : value;
}

// Every sweepable touchpoint field: its path sets it, the writer writes it, the loader reads
// it back and the diff names it by the same name.
TEST(FieldTable, EverySweepableTouchpointFieldTravelsByOneName) {
  const Scenario base = tiny();
  for (const Field<Touchpoint>& field : touchpoint_fields()) {
    if (!field.sweepable) continue;
    SCOPED_TRACE(std::string(field.name));
    const Touchpoint* t = touchpoint_for(base, field);
    ASSERT_NE(t, nullptr) << "tiny.yaml has no touchpoint this field applies to";
    std::string error;
    const auto path =
        parse_parameter_path("touchpoints." + t->id + "." + std::string(field.name), error);
    ASSERT_TRUE(path) << error;
    EXPECT_EQ(path->field, field.name);
    Scenario changed = base;
    const double value = other_value(field.range, parameter_value(base, *path));
    ASSERT_EQ(set_parameter(changed, *path, value), std::nullopt);
    Diagnostics diagnostics;
    const auto read = parse_scenario(scenario_yaml(changed), "written.yaml", diagnostics);
    ASSERT_TRUE(read) << diagnostics.to_string();
    EXPECT_EQ(parameter_value(*read, *path), value);
    validate_scenario(*read, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
    const auto differences = diff_scenarios(base, *read);
    ASSERT_EQ(differences.size(), 1u);
    ASSERT_EQ(differences[0].fields.size(), 1u);
    // A duration is compared whole.
    const std::string expected =
        field.form == FieldForm::duration ? "duration" : std::string(field.name);
    EXPECT_EQ(differences[0].fields[0].field, expected);
  }
}

TEST(FieldTable, OlderPathSpellingsNameTheSameFields) {
  const Scenario base = tiny();
  const struct {
    const char* old_path;
    const char* path;
  } pairs[] = {
      {"touchpoints.checkout.value", "touchpoints.checkout.conversion.value"},
      {"touchpoints.reviews.duration.median", "touchpoints.reviews.duration.lognormal.median"},
      {"touchpoints.reviews.duration.sigma", "touchpoints.reviews.duration.lognormal.sigma"}};
  for (const auto& [old_path, path] : pairs) {
    std::string error;
    const auto old_parsed = parse_parameter_path(old_path, error);
    const auto parsed = parse_parameter_path(path, error);
    ASSERT_TRUE(old_parsed && parsed) << error;
    EXPECT_EQ(old_parsed->field, parsed->field);
    EXPECT_EQ(old_parsed->text, old_path);  // results keep the path as the user wrote it
    Scenario a = base, b = base;
    ASSERT_EQ(set_parameter(a, *old_parsed, 0.5), std::nullopt);
    ASSERT_EQ(set_parameter(b, *parsed, 0.5), std::nullopt);
    EXPECT_TRUE(diff_scenarios(a, b).empty()) << old_path;
  }
}

}  // namespace
}  // namespace cjsim
