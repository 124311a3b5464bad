// Expat callbacks over a zlib stream (gzread reads plain files as they are).
#include "models/observed/xes_reader.h"

#include <expat.h>
#include <fmt/format.h>
#include <zlib.h>

#include <cstring>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/observed/observed_data.h"
#include "scenarios/did_you_mean.h"

namespace cjsim {
namespace {

struct Attributes {
  std::string name;
  std::string timestamp;
  std::string channel;
  std::string stage;
  std::string value;
  std::string converted;
  std::string segment;
  std::string lifecycle;
  std::string instance;                 // with EventLogColumns::lifecycle_events only
  std::vector<std::string> classified;  // per classifier key, its value
};

struct XesState {
  const EventLogColumns* columns = nullptr;
  const std::string* path = nullptr;
  Diagnostics* diagnostics = nullptr;
  EventLogBuilder* builder = nullptr;
  XML_Parser parser = nullptr;
  int depth = 0;         // element nesting
  int trace_depth = -1;  // depth of the open <trace>, -1 outside
  int event_depth = -1;  // depth of the open <event>, -1 outside
  std::string customer;
  Attributes trace;
  Attributes event;
  std::vector<Attributes> events;  // of the open trace, until its name is known
  std::size_t traces = 0;
  int trace_line = 0;  // where the open trace began
  // Where each named trace began: a name given twice is an error, not one journey merged
  // from two cases.
  std::unordered_map<std::string, int> trace_lines;
  // The attribute keys seen (up to kMostKeys), to tell whether a named column exists.
  std::unordered_set<std::string> keys;
  // The byte after the last construct expat reported: a gap far beyond it is one token (an
  // attribute value, a name, a comment) still growing, which expat rescans from its start on
  // every buffer.
  XML_Index reported = 0;
  // The lifecycle transitions of the events (up to 1000), to check --lifecycle's.
  std::set<std::string> lifecycles_seen;
  ActivityFilter* activities = nullptr;  // --activity and --exclude-activity
};

constexpr std::size_t kMostKeys = 10000;

const char* attribute(const XML_Char** attributes, const char* name) {
  for (int k = 0; attributes[k] != nullptr; k += 2) {
    if (std::strcmp(attributes[k], name) == 0) return attributes[k + 1];
  }
  return nullptr;
}

// Element names without a namespace prefix ("xes:event" is "event").
const char* local(const XML_Char* name) {
  const char* colon = std::strrchr(name, ':');
  return colon ? colon + 1 : name;
}

void error_here(XesState& s, const std::string& message) {
  s.diagnostics->error({*s.path, static_cast<int>(XML_GetCurrentLineNumber(s.parser)),
                        static_cast<int>(XML_GetCurrentColumnNumber(s.parser)) + 1},
                       message);
}

void keep(Attributes& into, const EventLogColumns& c, std::string_view key,
          std::string_view value) {
  if (key == "concept:name") into.name = value;
  if (key == "time:timestamp") into.timestamp = value;
  if (key == c.channel) into.channel = value;
  if (key == c.stage) into.stage = value;
  if (key == c.value) into.value = value;
  if (key == c.converted) into.converted = value;
  if (key == c.segment) into.segment = value;
  if (key == c.lifecycle) into.lifecycle = value;
  if (c.lifecycle_events && key == c.instance) into.instance = value;
  for (std::size_t k = 0; k < c.classifier.size(); ++k) {
    if (key != c.classifier[k]) continue;
    into.classified.resize(c.classifier.size());
    into.classified[k] = value;
  }
}

// The event's touchpoint: its concept:name, or its classifier keys' values joined by '+' (a
// key the event lacks, the trace's value, else empty).
std::string touchpoint_of(const Attributes& event, const Attributes& trace,
                          const EventLogColumns& c) {
  if (c.classifier.empty()) return event.name;
  std::string name;
  for (std::size_t k = 0; k < c.classifier.size(); ++k) {
    if (k > 0) name += '+';
    if (k < event.classified.size() && !event.classified[k].empty()) {
      name += event.classified[k];
    } else if (k < trace.classified.size()) {
      name += trace.classified[k];
    }
  }
  return name;
}

// Each trace is one customer: a trace named like an earlier one is an error, and a trace with
// no name gets a key no name can have (XML text holds no NUL).
std::optional<std::string> customer_key(XesState& s) {
  if (s.trace.name.empty()) {
    std::string key(1, '\0');
    key += std::to_string(s.traces);
    return key;
  }
  const auto [first, fresh] = s.trace_lines.try_emplace(s.trace.name, s.trace_line);
  if (fresh) return s.trace.name;
  s.diagnostics->error({*s.path, s.trace_line, 0},
                       fmt::format("trace '{}' has the concept:name of the trace on line {}: each "
                                   "trace is one customer's journey and needs a name of its own",
                                   s.trace.name.substr(0, 80), first->second));
  return std::nullopt;
}

void add_events(XesState& s) {
  const std::string customer =
      s.trace.name.empty() ? fmt::format("trace {}", s.traces) : s.trace.name;
  const std::optional<std::string> key = customer_key(s);
  if (!key) return;
  double order = 0.0;
  for (const Attributes& e : s.events) {
    if (s.lifecycles_seen.size() < 1000) s.lifecycles_seen.insert(e.lifecycle);
    // Kept for queues whatever --lifecycle keeps as visits: a work item's schedule and start
    // are its wait.
    const bool visit = keeps_lifecycle(*s.columns, e.lifecycle);
    const bool lifecycle_event = s.columns->lifecycle_events && !e.lifecycle.empty();
    if (!visit && !lifecycle_event) continue;
    if (visit) order += 1.0;
    double seconds = order;
    double clock = std::numeric_limits<double>::quiet_NaN();  // no timestamp: no clock
    if (!e.timestamp.empty()) {
      const std::optional<Timestamp> parsed = parse_timestamp_and_clock(e.timestamp);
      if (!parsed) {
        error_here(s, fmt::format("trace '{}': time:timestamp '{}' is not ISO 8601", customer,
                                  e.timestamp.substr(0, 40)));
        continue;
      }
      seconds = parsed->seconds;
      clock = parsed->clock;
    }
    const std::string touchpoint = touchpoint_of(e, s.trace, *s.columns);
    if (touchpoint.empty()) {
      error_here(s, fmt::format("trace '{}': an event has no {} (its touchpoint)", customer,
                                s.columns->classifier.empty() ? "concept:name"
                                                              : "value for the --classifier keys"));
      continue;
    }
    if (!s.activities->keeps(touchpoint)) continue;
    if (lifecycle_event) {
      s.builder->add_lifecycle_event(*key, touchpoint, e.lifecycle, e.instance, seconds, clock);
    }
    if (!visit) continue;
    double value = 0.0;
    if (!e.value.empty()) {
      const std::optional<double> amount =
          read_amount(e.value, {*s.path, static_cast<int>(XML_GetCurrentLineNumber(s.parser)), 0},
                      s.columns->value, *s.diagnostics);
      if (!amount) continue;
      value = *amount;
    }
    const bool converted = value != 0.0 || is_conversion_touchpoint(*s.columns, touchpoint) ||
                           e.converted == "true" || e.converted == "1";
    s.builder->add_visit(*key, seconds, touchpoint, e.channel, e.stage, converted, value,
                         e.segment.empty() ? s.trace.segment : e.segment, clock);
  }
}

// The byte after the construct being reported, so that the reading loop can tell a token
// growing without end from a long file.
void mark_reported(XesState& s) {
  s.reported = XML_GetCurrentByteIndex(s.parser) + XML_GetCurrentByteCount(s.parser);
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& s = *static_cast<XesState*>(data);
  ++s.depth;
  mark_reported(s);
  const std::string_view element = local(name);
  if (s.diagnostics->error_count() >= kMostReportedErrors) return;
  if (element == "trace" && s.trace_depth < 0) {
    s.trace_depth = s.depth;
    s.trace = {};
    s.events.clear();
    ++s.traces;
    s.trace_line = static_cast<int>(XML_GetCurrentLineNumber(s.parser));
    return;
  }
  if (element == "event" && s.trace_depth >= 0 && s.event_depth < 0) {
    s.event_depth = s.depth;
    s.event = {};
    return;
  }
  const char* key = attribute(attributes, "key");
  const char* value_text = attribute(attributes, "value");
  if (key == nullptr || value_text == nullptr) return;
  const std::string_view value(value_text);
  if (value.size() > kMostFieldBytes) {
    error_here(s, fmt::format("the value of attribute '{}' is longer than {} bytes",
                              std::string_view(key).substr(0, 80), kMostFieldBytes));
    return;
  }
  if (s.keys.size() < kMostKeys) s.keys.emplace(key);
  // Attributes directly inside the event or the trace (not nested ones).
  if (s.event_depth >= 0 && s.depth == s.event_depth + 1) keep(s.event, *s.columns, key, value);
  if (s.event_depth < 0 && s.trace_depth >= 0 && s.depth == s.trace_depth + 1) {
    keep(s.trace, *s.columns, key, value);
  }
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto& s = *static_cast<XesState*>(data);
  mark_reported(s);
  const std::string_view element = local(name);
  if (element == "event" && s.depth == s.event_depth) {
    s.events.push_back(std::move(s.event));
    s.event_depth = -1;
  } else if (element == "trace" && s.depth == s.trace_depth) {
    add_events(s);
    s.events.clear();
    s.trace_depth = -1;
  }
  --s.depth;
}

void XMLCALL on_text(void* data, const XML_Char*, int) {
  mark_reported(*static_cast<XesState*>(data));
}

// A column option names an attribute key in XES: one that no trace or event has would be
// ignored, so it is an error.
void check_named_keys(const XesState& s) {
  const EventLogColumns& c = *s.columns;
  for (const auto& [name, option] :
       {std::pair{&c.channel, "--channel-column"}, std::pair{&c.stage, "--stage-column"},
        std::pair{&c.value, "--value-column"}, std::pair{&c.converted, "--converted-column"},
        std::pair{&c.segment, "--segment-column"}, std::pair{&c.lifecycle, "--lifecycle-column"}}) {
    if (!c.given.contains(option) || s.keys.contains(*name)) continue;
    s.diagnostics->error({*s.path, 0, 0},
                         fmt::format("no trace or event has the attribute '{}' (named with {}){}",
                                     *name, option, did_you_mean(*name, s.keys)));
  }
  for (const std::string& key : c.classifier) {
    if (s.keys.contains(key)) continue;
    s.diagnostics->error({*s.path, 0, 0},
                         fmt::format("no trace or event has the attribute '{}' (named with "
                                     "--classifier){}",
                                     key, did_you_mean(key, s.keys)));
  }
  if (!c.lifecycles.empty() && !s.keys.contains(c.lifecycle)) {
    s.diagnostics->error({*s.path, 0, 0},
                         fmt::format("--lifecycle keeps events by their lifecycle transition, and "
                                     "no event has the attribute '{}'{}",
                                     c.lifecycle, did_you_mean(c.lifecycle, s.keys)));
  }
}

}  // namespace

std::optional<ObservedJourneys> read_xes_file(const std::string& path,
                                              const EventLogColumns& columns,
                                              Diagnostics& diagnostics) {
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) {
    diagnostics.error({path, 0, 0}, "cannot open the XES file");
    return std::nullopt;
  }
  const std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                       XML_ParserFree);
  EventLogBuilder builder(path, false);
  ActivityFilter activities(columns);
  XesState state;
  state.activities = &activities;
  state.columns = &columns;
  state.path = &path;
  state.diagnostics = &diagnostics;
  state.builder = &builder;
  state.parser = parser.get();
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  std::vector<char> buffer(1 << 20);
  XML_Index fed = 0;
  for (;;) {
    const int read = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()));
    if (read < 0) {
      int code = 0;
      diagnostics.error({path, 0, 0},
                        fmt::format("cannot read the XES file: {}", gzerror(file.get(), &code)));
      return std::nullopt;
    }
    if (XML_Parse(parser.get(), buffer.data(), read, read == 0) == XML_STATUS_ERROR) {
      diagnostics.error(
          {path, static_cast<int>(XML_GetCurrentLineNumber(parser.get())),
           static_cast<int>(XML_GetCurrentColumnNumber(parser.get())) + 1},
          fmt::format("not well-formed XML: {}", XML_ErrorString(XML_GetErrorCode(parser.get()))));
      return std::nullopt;
    }
    fed += read;
    if (fed - state.reported > static_cast<XML_Index>(2 * kMostFieldBytes)) {
      diagnostics.error(
          {path, static_cast<int>(XML_GetCurrentLineNumber(parser.get())),
           static_cast<int>(XML_GetCurrentColumnNumber(parser.get())) + 1},
          fmt::format("an XML tag, name, attribute value or comment runs on for more than {} "
                      "bytes; names and values may have up to {}",
                      2 * kMostFieldBytes, kMostFieldBytes));
      return std::nullopt;
    }
    if (read == 0 || diagnostics.error_count() >= kMostReportedErrors) break;
  }
  if (diagnostics.has_errors()) return std::nullopt;
  // Options that name what the log lacks are said first: a misspelt --lifecycle keeps no
  // event, and "no trace with events" would hide why.
  check_named_keys(state);
  check_lifecycles(columns, state.lifecycles_seen, path, diagnostics);
  activities.check(path, diagnostics);
  if (builder.customers() == 0) {
    if (!diagnostics.has_errors()) {
      diagnostics.error({path, 0, 0}, "the XES log holds no trace with events");
    }
    return std::nullopt;
  }
  check_conversion_touchpoints(columns, builder.touchpoints(), path, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  return std::move(builder).finish();
}

}  // namespace cjsim
