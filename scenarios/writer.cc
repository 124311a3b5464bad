// The journey file format, written line by line. The format's shape is fixed (block mappings
// and lists, small flow mappings for pairs such as {mean, sd}), so the only part that needs
// care is a scalar holding a user's text: names come from users' data and may hold anything.
// No YAML emitter we tried writes every such text back faithfully (yaml-cpp 0.7 leaves a
// carriage return bare in a plain scalar and replaces Unicode noncharacters with U+FFFD;
// libfyaml 0.7's streaming emitter drops a leading blank), so each text is written here as a
// plain scalar when that is unambiguous and as an escaped double-quoted one otherwise, and a
// test reads every awkward text back through the loader.
#include "scenarios/writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/utf8.h"

namespace cjsim {
namespace {

// Shortest round-trip form: the loader reads back the same double.
std::string number(double x) { return fmt::format("{}", x); }

// A plain (unquoted) scalar only for text that every YAML reader takes as that same string in
// block and flow context: a letter or '_' first, then letters, digits and " _.-/()", no
// trailing blank, and not a word that YAML 1.1 reads as a boolean or null.
bool plain_is_safe(std::string_view text) {
  if (text.empty() || text.back() == ' ') return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!std::isalpha(first) && first != '_') return false;
  constexpr std::string_view kPunctuation = " _.-/()";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool allowed = c < 0x80 && (std::isalnum(c) || kPunctuation.find(ch) != kPunctuation.npos);
    if (!allowed) return false;
  }
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}) {
    if (lower == word) return false;
  }
  return true;
}

// What YAML cannot hold literally inside double quotes (outside its printable set, or read as
// a line break or a byte-order mark): written as an escape.
bool needs_escape(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

// Text that is not UTF-8 cannot be written into a journey file (the loader rejects it): a
// program error, since every reader checks its input.
std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode_utf8(text, i);
    if (!decoded) {
      throw std::invalid_argument(
          fmt::format("writing a journey: the text '{}' is not UTF-8 at byte {}", text, i + 1));
    }
    const auto [code, length] = *decoded;
    switch (code) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (!needs_escape(code)) {
          out.append(text.substr(i, length));
        } else if (code <= 0xFF) {
          out += fmt::format("\\x{:02X}", static_cast<unsigned>(code));
        } else if (code <= 0xFFFF) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(code));
        } else {
          out += fmt::format("\\U{:08X}", static_cast<unsigned>(code));
        }
    }
    i += length;
  }
  return out + "\"";
}

// A journey's text as a YAML scalar (plain text is ASCII, so only quoted text needs decoding).
std::string text(std::string_view value) {
  return plain_is_safe(value) ? std::string(value) : double_quoted(value);
}

// Lines of YAML under construction: `key: value` at an indentation, list items, flow maps.
class Lines {
 public:
  void field(int indent, std::string_view key, std::string_view value) {
    line(indent, fmt::format("{}: {}", key, value));
  }
  void key(int indent, std::string_view key) { line(indent, fmt::format("{}:", key)); }
  // A list item that is one scalar or flow collection: "  - {from: a, to: b}".
  void item_value(int indent, std::string_view value) {
    item_ = true;
    line(indent, value);
  }
  // The next field starts a list item ("- ") instead of indenting.
  void item() { item_ = true; }
  std::string str() && { return std::move(out_); }

 private:
  void line(int indent, std::string_view body) {
    // An item's "- " takes the place of the last two blanks of its first line's indentation.
    const std::string_view dash = item_ ? "- " : "";
    out_.append(static_cast<std::size_t>(std::max(indent - static_cast<int>(dash.size()), 0)), ' ');
    out_ += dash;
    item_ = false;
    out_ += body;
    out_ += '\n';
  }

  std::string out_;
  bool item_ = false;
};

// "{a: 1, b: 2}" from key, value pairs already written as scalars.
using Pairs = std::vector<std::pair<std::string, std::string>>;

std::string flow(const Pairs& pairs) {
  std::string out = "{";
  for (const auto& [key, value] : pairs) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("{}: {}", key, value);
  }
  return out + "}";
}

void number_field(Lines& out, int indent, const char* key, double value, double default_value) {
  if (value != default_value) out.field(indent, key, number(value));
}

void emotion_field(Lines& out, int indent, const char* key, double mean, double sd) {
  if (mean == 0.0 && sd == 0.0) return;
  out.field(indent, key, flow({{"mean", number(mean)}, {"sd", number(sd)}}));
}

std::string duration(const Duration& d) {
  switch (d.kind) {
    case Duration::Kind::exponential:
      return flow({{"exponential", number(d.hours)}});
    case Duration::Kind::lognormal:
      return flow(
          {{"lognormal", flow({{"median", number(d.median)}, {"sigma", number(d.sigma)}})}});
    case Duration::Kind::fixed:
      break;
  }
  return number(d.hours);
}

void write_settings(Lines& out, const Settings& s) {
  const Settings defaults;
  out.key(0, "settings");
  out.field(2, "memory", number(s.memory));
  out.field(2, "kappa", number(s.kappa));
  out.field(2, "max_steps", std::to_string(s.max_steps));
  if (s.horizon_hours) out.field(2, "horizon_hours", number(*s.horizon_hours));
  if (s.seed) out.field(2, "seed", std::to_string(*s.seed));
  number_field(out, 2, "promoter_threshold", s.promoter_threshold, defaults.promoter_threshold);
  number_field(out, 2, "detractor_threshold", s.detractor_threshold, defaults.detractor_threshold);
}

void write_touchpoint(Lines& out, const Touchpoint& t) {
  out.item();
  out.field(4, "id", text(t.id));
  if (!t.name.empty() && t.name != t.id) out.field(4, "name", text(t.name));
  out.field(4, "stage", text(t.stage));
  out.field(4, "channel", text(t.channel));
  emotion_field(out, 4, "emotion", t.emotion_mean, t.emotion_sd);
  number_field(out, 4, "dropout", t.dropout, 0.0);
  if (t.duration.kind != Duration::Kind::fixed || t.duration.hours != 0.0) {
    out.field(4, "duration", duration(t.duration));
  }
  number_field(out, 4, "cost", t.cost, 0.0);
  number_field(out, 4, "entry_weight", t.entry_weight, 0.0);
  if (t.conversion) out.field(4, "conversion", flow({{"value", number(t.value)}}));
}

std::string transition(const Transition& t) {
  Pairs pairs{{"from", text(t.from)}, {"to", text(t.to)}, {"weight", number(t.weight)}};
  if (t.emotion_bias != 0.0) pairs.emplace_back("emotion_bias", number(t.emotion_bias));
  return flow(pairs);
}

void write_persona(Lines& out, const Persona& p) {
  out.item();
  out.field(4, "id", text(p.id));
  out.field(4, "share", number(p.share));
  number_field(out, 4, "sensitivity", p.sensitivity, 1.0);
  number_field(out, 4, "dropout_odds", p.dropout_odds, 1.0);
  number_field(out, 4, "value_multiplier", p.value_multiplier, 1.0);
  emotion_field(out, 4, "initial_emotion", p.initial_emotion_mean, p.initial_emotion_sd);
  if (!p.channel_affinity.empty()) {
    Pairs affinities;
    for (const auto& [channel, affinity] : p.channel_affinity) {
      affinities.emplace_back(text(channel), number(affinity));
    }
    out.field(4, "channel_affinity", flow(affinities));
  }
}

}  // namespace

std::string scenario_yaml(const Scenario& s) {
  Lines out;
  out.field(0, "name", text(s.name));
  if (!s.description.empty()) out.field(0, "description", text(s.description));
  std::string stages;
  for (const std::string& stage : s.stages) {
    stages += fmt::format("{}{}", stages.empty() ? "" : ", ", text(stage));
  }
  out.field(0, "stages", "[" + stages + "]");
  write_settings(out, s.settings);
  out.key(0, "touchpoints");
  for (const Touchpoint& t : s.touchpoints) write_touchpoint(out, t);
  if (!s.transitions.empty()) {
    out.key(0, "transitions");
    for (const Transition& t : s.transitions) out.item_value(4, transition(t));
  }
  if (!s.personas.empty()) {
    out.key(0, "personas");
    for (const Persona& p : s.personas) write_persona(out, p);
  }
  return std::move(out).str();
}

}  // namespace cjsim
