// Reading YAML maps into the parts of a Scenario: the number readers, the map reader that
// checks keys and records where each field was written, and the readers of touchpoints,
// transitions, personas and settings, which take their keys and fields from the field table
// (fields.h). The loader reads whole files with them and the change
// list of a future state reads updates on top of existing parts with the same readers.
// Internal to scenarios/: nothing outside it includes this.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/did_you_mean.h"
#include "scenarios/fields.h"
#include "scenarios/scenario.h"
#include "scenarios/uncertain.h"
#include "scenarios/yaml_tree.h"

namespace cjsim::detail {

using KeyList = std::span<const std::string_view>;

// What every reading function shares: the file name for locations, where problems go, and
// the context every message starts with ("change 3 (update_touchpoint): ") when the map read
// is part of a change rather than the journey itself.
struct Reading {
  const std::string& path;
  Diagnostics& diagnostics;
  std::string context;

  SourceLocation at(const YamlNode& node) const { return {path, node.line(), node.column()}; }
  void error(SourceLocation where, std::string message) {
    diagnostics.error(std::move(where), context + message);
  }
};

// How a value looks to the user, for "expected a number, got ...".
std::string describe(const YamlNode& node);

// For a key unknown in a map whose keys are `here`: "; 'patience_hours' belongs on a
// touchpoint" when another part of a journey has it, a hint at the right form for a few
// well-known slips (a touchpoint's `value` is `conversion: {value: V}`), "" otherwise.
std::string key_elsewhere(std::string_view key, KeyList here);

// Quoted scalars: text even when they look like numbers.
bool is_text(const YamlNode& node);

// The number a plain scalar spells, possibly infinite or NaN; nullopt when it is no number.
std::optional<double> spelled_number(std::string_view text);

// The finite number `value` holds, or nullopt after saying what is wrong with it. `field`
// names it in messages ("dropout in touchpoint 'checkout'").
std::optional<double> read_number(Reading& reading, const YamlNode& value,
                                  const SourceLocation& where, const std::string& field);
std::optional<std::int64_t> read_whole_number(Reading& reading, const YamlNode& value,
                                              const SourceLocation& where,
                                              const std::string& field);
std::optional<std::uint64_t> read_seed(Reading& reading, const YamlNode& value,
                                       const SourceLocation& where, const std::string& field);

// Whether `value` is written as a distribution: a map of one key naming a form
// ({triangular: [...]}).
bool is_uncertain_form(const YamlNode& value);

// The distribution `value` spells, checked on its own terms (low <= likely <= high, sd > 0,
// alpha and beta > 0), or nullopt after saying what is wrong. Whether its values fit the
// field is validation's question (scenarios/validate.h).
std::optional<UncertainValue> read_uncertain(Reading& reading, const YamlNode& value,
                                             const SourceLocation& where,
                                             const std::string& field);

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

  // `uncertain`: where numbers written as distributions go (scenarios/uncertain.h); nullptr
  // for a part whose numbers must be known values.
  MapReader(Reading& reading, const YamlNode& map, std::string owner, KeyList keys,
            FieldLocations& locations, std::string prefix = "", Empty empty = Empty::allowed,
            UncertainFields* uncertain = nullptr)
      : reading_(reading),
        owner_(std::move(owner)),
        keys_(keys),
        locations_(locations),
        prefix_(std::move(prefix)),
        where_(reading.at(map)),
        uncertain_(uncertain) {
    if (map.is_null() && empty == Empty::allowed) return;
    if (!map.is_map()) {
      reading_.error(where_,
                     fmt::format("expected a map for {}, got {}", subject(), describe(map)));
      // Its type was the problem; "missing key" messages would only repeat it.
      wrong_type_ = true;
      return;
    }
    for (std::size_t i = 0; i < map.size(); ++i) take_entry(map.key(i), map.value(i));
  }

  const std::string& owner() const { return owner_; }
  std::string path(std::string_view key) const { return prefix_ + std::string(key); }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  std::size_t known_key_count() const { return entries_.size(); }
  std::size_t key_count() const { return entries_.size() + unknown_keys_; }

  YamlNode value(std::string_view key) const {
    const Entry* entry = find(key);
    return entry ? entry->value : YamlNode();
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
    if (!entry->value.is_scalar()) {
      error(key,
            fmt::format("expected a string for {}, got {}", field(key), describe(entry->value)));
      return false;
    }
    out = entry->value.text();
    return true;
  }

  // A list of texts (thoughts, pain points, goals): each item a scalar.
  bool text_list(std::string_view key, TextList& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    const YamlNode value = entry->value;
    if (value.is_null()) {
      out.clear();
      return true;
    }
    if (!value.is_list()) {
      std::string message =
          fmt::format("expected a list of texts for {}, got {}", field(key), describe(value));
      if (value.is_scalar()) {
        message += fmt::format("; write it as a list: {}: [\"{}\"], or one item a line "
                               "under '{}:', each starting with '- '",
                               key, value.text(), key);
      }
      error(key, std::move(message));
      return false;
    }
    TextList items;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const YamlNode item = value.item(i);
      if (!item.is_scalar()) {
        reading_.error(reading_.at(item),
                       fmt::format("expected a text as item {} of {}, got {}", i + 1, field(key),
                                   describe(item)));
        return false;
      }
      items.emplace_back(item.text());
    }
    out = std::move(items);
    return true;
  }

  // A map of texts (a persona's attributes): the keys are the user's own.
  bool text_map(std::string_view key, TextMap& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    const YamlNode value = entry->value;
    if (value.is_null()) {
      out.clear();
      return true;
    }
    if (!value.is_map()) {
      error(key, fmt::format("expected a map of name: text for {} (such as {{age_band: 35-44, "
                             "occupation: nurse}}), got {}",
                             field(key), describe(value)));
      return false;
    }
    TextMap pairs;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const YamlNode name = value.key(i);
      const YamlNode text = value.value(i);
      const SourceLocation at = reading_.at(name);
      if (!name.is_scalar()) {
        reading_.error(at, fmt::format("expected a name in {}, got {}", field(key),
                                       describe(name)));
        return false;
      }
      if (!text.is_scalar()) {
        reading_.error(at, fmt::format("expected a text for {}.{} in {}, got {}", path(key),
                                       name.text(), owner_, describe(text)));
        return false;
      }
      if (!pairs.emplace(std::string(name.text()), std::string(text.text())).second) {
        reading_.error(at, fmt::format("'{}' appears twice in {}", name.text(), field(key)));
        return false;
      }
    }
    out = std::move(pairs);
    return true;
  }

  bool required_text(std::string_view key, std::string& out) {
    return require(key) && text(key, out);
  }

  // A known value, or a distribution ({uniform: [low, high]}, ...) where the part takes
  // uncertain values: the field then holds the distribution's mean. A known value written
  // over an uncertain one (an update) makes it known.
  bool number(std::string_view key, double& out) {
    const Entry* entry = find(key);
    if (!entry) return false;
    if (is_uncertain_form(entry->value)) {
      if (uncertain_ == nullptr) {
        error(key, fmt::format("{} must be a known number here: uncertain values ({}) are "
                               "accepted in touchpoints, transitions, personas and settings",
                               field(key), uncertain_form_list()));
        return false;
      }
      std::optional<UncertainValue> value =
          read_uncertain(reading_, entry->value, entry->where, field(key));
      if (!value) return false;
      out = uncertain_mean(*value);
      (*uncertain_)[path(key)] = std::move(*value);
      return true;
    }
    const std::optional<double> value =
        read_number(reading_, entry->value, entry->where, field(key));
    if (!value) return false;
    out = *value;
    if (uncertain_ != nullptr) uncertain_->erase(path(key));
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
    if (is_uncertain_form(entry->value)) {
      error(key, fmt::format("{} is a whole number and must be known: it cannot be written as "
                             "a distribution",
                             field(key)));
      return false;
    }
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
  std::vector<YamlNode> list(std::string_view key, bool required) {
    if (required && !require(key)) return {};
    const Entry* entry = find(key);
    if (!entry || (!required && entry->value.is_null())) return {};
    if (!entry->value.is_list()) {
      error(key, fmt::format("expected a list for {}, got {}", field(key), describe(entry->value)));
      return {};
    }
    std::vector<YamlNode> items(entry->value.size());
    for (std::size_t i = 0; i < items.size(); ++i) items[i] = entry->value.item(i);
    return items;
  }

  // Forgets where the fields inside `key` were written ("duration.exponential", ...), for a
  // map that is read again as a whole, so that no stale place outlives the value it held.
  void forget_nested(std::string_view key) {
    const std::string nested = path(key) + ".";
    if (uncertain_ != nullptr) {
      uncertain_->erase(path(key));
      for (auto it = uncertain_->lower_bound(nested);
           it != uncertain_->end() && it->first.starts_with(nested);) {
        it = uncertain_->erase(it);
      }
    }
    for (auto it = locations_.lower_bound(nested);
         it != locations_.end() && it->first.starts_with(nested);) {
      it = locations_.erase(it);
    }
  }

  // A map inside this one, read with its own keys; nullopt when the key is absent. A number
  // where a map of {mean, sd} is meant gets the map it stands for as the right form.
  std::optional<MapReader> nested(std::string_view key, KeyList keys) {
    const Entry* entry = find(key);
    if (!entry) return std::nullopt;
    const bool has_mean = std::find(keys.begin(), keys.end(), "mean") != keys.end();
    if (has_mean && entry->value.is_scalar() && !is_text(entry->value) &&
        spelled_number(entry->value.text())) {
      error(key, fmt::format("expected a map {{mean, sd}} for {}, got {}; write {}: {{mean: {}}}",
                             field(key), describe(entry->value), key, entry->value.text()));
      return std::nullopt;
    }
    return MapReader(reading_, entry->value, owner_, keys, locations_, path(key) + ".",
                     Empty::allowed, uncertain_);
  }

 private:
  struct Entry {
    std::string key;
    YamlNode value;
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

  void take_entry(const YamlNode& key_node, const YamlNode& value) {
    const SourceLocation where = reading_.at(key_node);
    if (!key_node.is_scalar()) {
      reading_.error(
          where, fmt::format("expected a key name in {}, got {}", subject(), describe(key_node)));
      ++unknown_keys_;
      return;
    }
    const std::string_view key = key_node.text();
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
    entries_.push_back({std::string(key), value, where});
    locations_[path(key)] = where;
  }

  void report_unknown_key(std::string_view key, const SourceLocation& where) {
    std::string message = fmt::format("unknown key '{}' in {}", key, subject());
    const std::string elsewhere = key_elsewhere(key, keys_);
    const std::string suggestion = did_you_mean(key, keys_);
    message += elsewhere;
    if (elsewhere.empty() || !suggestion.empty()) {
      message += suggestion.empty() ? fmt::format("; allowed keys are: {}", join_names(keys_))
                                    : suggestion;
    }
    reading_.error(where, std::move(message));
  }

  Reading& reading_;
  std::string owner_;
  KeyList keys_;
  FieldLocations& locations_;
  std::string prefix_;
  SourceLocation where_;
  std::vector<Entry> entries_;
  UncertainFields* uncertain_ = nullptr;
  std::size_t unknown_keys_ = 0;
  bool wrong_type_ = false;
};

// "touchpoint 'checkout'" when the id can be seen, "touchpoint #3" when it cannot.
std::string owner_name(std::string_view kind, const YamlNode& node, std::size_t index);
// "transition 'a' -> 'b'" when both ends can be seen, "transition #3" when they cannot.
std::string transition_name(const YamlNode& node, std::size_t index);

// How a reader fills the entity it is given.
enum class Fill {
  whole,  // a new entity: required keys are required, absent keys keep their defaults
  onto,   // an existing one: only the keys written change; the identifying keys (id, from,
          // to) are left to the caller, which used them to find the entity
};

// Each reader reads `node` into `entity`, naming it `owner` in messages, and records where
// each field it read was written. With Fill::whole it also records where the entity was.
void read_touchpoint(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Touchpoint& touchpoint);
void read_transition(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Transition& transition);
void read_persona(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                  Persona& persona);
void read_settings(Reading& reading, const YamlNode& node, Settings& settings);
// Calendar journeys: the calendar, a resource, word of mouth and returns.
void read_calendar(Reading& reading, const YamlNode& node, Fill fill, Calendar& calendar);
void read_resource(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                   Resource& resource);
void read_word_of_mouth(Reading& reading, const YamlNode& node, WordOfMouth& word_of_mouth);
void read_returns(Reading& reading, const YamlNode& node, Returns& returns);
// A stage written as a map ({name, description, goals}).
void read_stage(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                JourneyStage& stage);

}  // namespace cjsim::detail
