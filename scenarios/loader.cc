// Reading a scenario file: YAML (or JSON) text into a Scenario. Only the shape is checked
// here (syntax, keys, types, finite numbers); what the values mean is validate.cc's job. A
// future state (a file with `base:`) is its base, loaded and validated first, with the file's
// changes applied (changes.cc).
#include "scenarios/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "scenarios/changes.h"
#include "scenarios/entity_reader.h"
#include "scenarios/validate.h"
#include "scenarios/yaml_tree.h"

namespace cjsim {
namespace {

using detail::describe;
using detail::Fill;
using detail::MapReader;
using detail::Reading;
using detail::YamlNode;
using detail::YamlProblem;
using detail::YamlTree;

// The keys of a scenario file, in the order the schema documents them: a whole journey uses
// name, description, stages, settings, touchpoints, transitions and personas; a future state
// uses name, description, base, stages and changes.
// A calendar journey adds calendar, resources, word_of_mouth and returns.
// Any file may add notes, the journey map's words on the whole journey.
constexpr std::string_view kScenarioKeys[] = {
    "name",     "description", "notes",    "base",      "stages",        "settings",
    "touchpoints", "transitions", "personas", "calendar",  "resources",     "word_of_mouth",
    "returns",  "changes"};

// What a future state changes through its change list instead of writing it out.
constexpr std::pair<std::string_view, std::string_view> kNotInFutureState[] = {
    {"settings", "update_settings"},
    {"touchpoints", "add_touchpoint, update_touchpoint and remove_touchpoint"},
    {"transitions", "add_transition, update_transition, reweight_transition and remove_transition"},
    {"personas", "add_persona, update_persona and remove_persona"},
    {"calendar", "update_calendar"},
    {"resources", "add_resource, update_resource and remove_resource"},
    {"word_of_mouth", "update_word_of_mouth"},
    {"returns", "update_returns"},
};

// The files being loaded, the outermost first: a base already among them closes a cycle.
struct FileInChain {
  std::string identity;  // the canonical path, to compare
  std::string shown;     // the path as resolved, for messages
};
struct BaseChain {
  std::vector<FileInChain> files;
  // The bases' texts as a result recorded them, read instead of the files; nullptr: read the
  // files.
  const std::vector<SourceFile>* recorded = nullptr;
};

// Takes the text to keep it in the Scenario without a copy (it may be hundreds of MB).
std::optional<Scenario> parse_in_chain(std::string text, const std::string& path,
                                       Diagnostics& diagnostics, BaseChain& chain);

constexpr std::size_t kMostStagesRead = 64 * kMostStages;

// Stages are a list of names, or of maps with a name and the stage's words ({name: onboarding,
// description: ..., goals: [...]}); each one's place is kept as "stages[i]" in
// Scenario::fields.
// A future state that lists its stages again keeps the base's words of a stage it names bare.
void read_stages(Reading& reading, MapReader& top, Scenario& scenario) {
  scenario.stages.clear();
  std::map<std::string, JourneyStage, std::less<>> before = std::move(scenario.stage_words);
  scenario.stage_words.clear();
  std::erase_if(scenario.fields,
                [](const auto& field) { return field.first.starts_with("stages["); });
  // Validation refuses more than kMostStages; a list far longer is refused unread, since a
  // name and its place take a hundred times the bytes of "a,".
  if (const YamlNode list = top.value("stages"); list.is_list() && list.size() > kMostStagesRead) {
    reading.error(reading.at(list.item(kMostStages)),
                  fmt::format("at most {} stages are allowed, got {}", kMostStages, list.size()));
    return;
  }
  const std::vector<YamlNode> items = top.list("stages", /*required=*/true);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const SourceLocation where = reading.at(items[i]);
    if (items[i].is_map()) {
      JourneyStage stage;
      const YamlNode name = items[i].find("name");
      const std::string owner = name.is_scalar() && !name.text().empty()
                                    ? fmt::format("stage '{}'", name.text())
                                    : fmt::format("stage #{}", i + 1);
      read_stage(reading, items[i], owner, Fill::whole, stage);
      scenario.fields[fmt::format("stages[{}]", scenario.stages.size())] = where;
      scenario.stages.push_back(stage.name);
      // The first of two stages of one name keeps its words; validation reports the second.
      scenario.stage_words.try_emplace(stage.name, std::move(stage));
      continue;
    }
    if (!items[i].is_scalar()) {
      reading.error(where, fmt::format("expected a stage name, or a map {{name: STAGE, "
                                       "description: ..., goals: [...]}}, in stages, got {}",
                                       describe(items[i])));
      continue;
    }
    scenario.fields[fmt::format("stages[{}]", scenario.stages.size())] = where;
    scenario.stages.emplace_back(items[i].text());
    if (auto kept = before.find(scenario.stages.back()); kept != before.end()) {
      scenario.stage_words.try_emplace(kept->first, kept->second);
    }
  }
}

// The parts of a calendar journey (sim/model/MODEL.md Part 2), each optional.
void read_calendar_parts(Reading& reading, MapReader& top, Scenario& scenario) {
  if (top.has("calendar")) {
    scenario.calendar.emplace();
    detail::read_calendar(reading, top.value("calendar"), Fill::whole, *scenario.calendar);
  }
  const std::vector<YamlNode> resources = top.list("resources", /*required=*/false);
  scenario.resources.resize(resources.size());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    read_resource(reading, resources[i], detail::owner_name("resource", resources[i], i),
                  Fill::whole, scenario.resources[i]);
  }
  if (top.has("word_of_mouth")) {
    scenario.word_of_mouth.emplace();
    detail::read_word_of_mouth(reading, top.value("word_of_mouth"), *scenario.word_of_mouth);
  }
  if (top.has("returns")) {
    scenario.returns.emplace();
    detail::read_returns(reading, top.value("returns"), *scenario.returns);
  }
}

// A whole journey: every part written out.
void read_journey(Reading& reading, MapReader& top, Scenario& scenario) {
  if (top.has("changes")) {
    top.error("changes", "'changes' needs a 'base': the journey file they change (base: FILE)");
  }
  top.required_text("name", scenario.name);
  top.text("description", scenario.description);
  top.text("notes", scenario.notes);
  read_stages(reading, top, scenario);
  if (top.has("settings")) detail::read_settings(reading, top.value("settings"), scenario.settings);

  const std::vector<YamlNode> touchpoints = top.list("touchpoints", /*required=*/true);
  scenario.touchpoints.resize(touchpoints.size());
  for (std::size_t i = 0; i < touchpoints.size(); ++i) {
    read_touchpoint(reading, touchpoints[i], detail::owner_name("touchpoint", touchpoints[i], i),
                    Fill::whole, scenario.touchpoints[i]);
  }
  const std::vector<YamlNode> transitions = top.list("transitions", /*required=*/false);
  scenario.transitions.resize(transitions.size());
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    read_transition(reading, transitions[i], detail::transition_name(transitions[i], i),
                    Fill::whole, scenario.transitions[i]);
  }
  const std::vector<YamlNode> personas = top.list("personas", /*required=*/false);
  scenario.personas.resize(personas.size());
  for (std::size_t i = 0; i < personas.size(); ++i) {
    read_persona(reading, personas[i], detail::owner_name("persona", personas[i], i), Fill::whole,
                 scenario.personas[i]);
  }
  if (scenario.personas.empty()) scenario.personas.push_back(neutral_persona());
  read_calendar_parts(reading, top, scenario);
}

enum class FileKind { any, regular };
std::optional<std::string> read_text(const std::string& path, FileKind kind, std::string& reason);

// The journey `base:` names, resolved against the directory of the file that names it, loaded
// and validated on its own; nullopt after saying why there is none. Its errors are reported
// in `outer` at their place in the base file, its warnings left to the future state's own
// validation (the changes may remove what they were about).
std::optional<Scenario> load_base(Reading& reading, MapReader& top, const std::string& base_name,
                                  Diagnostics& outer, BaseChain& chain) {
  namespace fs = std::filesystem;
  const fs::path resolved_path =
      (fs::path(reading.path).parent_path() / base_name).lexically_normal();
  const std::string resolved = resolved_path.string();
  std::error_code ignored;
  fs::path canonical = fs::weakly_canonical(resolved_path, ignored);
  const std::string identity = canonical.empty() ? resolved : canonical.string();
  const auto cycle_start = std::find_if(
      chain.files.begin(), chain.files.end(),
      [&](const FileInChain& f) { return f.identity == identity; });
  if (cycle_start != chain.files.end()) {
    std::vector<std::string> cycle;
    for (auto it = cycle_start; it != chain.files.end(); ++it) cycle.push_back(it->shown);
    cycle.push_back(resolved);
    top.error("base", fmt::format("the bases form a cycle: {}; a journey cannot be built on "
                                  "itself",
                                  join_names(cycle, " -> ")));
    return std::nullopt;
  }
  std::string reason;
  std::optional<std::string> text;
  if (chain.recorded) {
    const auto found = std::find_if(chain.recorded->begin(), chain.recorded->end(),
                                    [&](const SourceFile& f) { return f.path == resolved; });
    if (found != chain.recorded->end()) {
      text = found->text;
    } else {
      reason = "the result does not record it";
    }
  } else {
    text = read_text(resolved, FileKind::regular, reason);
  }
  if (!text) {
    top.error("base", fmt::format("cannot read the base journey '{}' (resolved as {}): {}",
                                  base_name, resolved, reason));
    return std::nullopt;
  }
  // Only a journey file is parsed as a base: any other readable file (a password file, a
  // private key) would otherwise have its lines quoted back in the errors.
  std::string extension = resolved_path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension != ".yaml" && extension != ".yml" && extension != ".json") {
    top.error("base", fmt::format("the base journey '{}' (resolved as {}) is not a journey file: "
                                  "its name must end in .yaml, .yml or .json",
                                  base_name, resolved));
    return std::nullopt;
  }
  Diagnostics found;
  chain.files.push_back({identity, resolved});
  std::optional<Scenario> base = parse_in_chain(*text, resolved, found, chain);
  chain.files.pop_back();
  if (base) validate_scenario(*base, found);
  if (found.has_errors()) {
    for (const Diagnostic& d : found.all()) {
      if (d.severity == Severity::error) outer.error(d.where, d.message);
    }
    top.error("base", fmt::format("the base journey '{}' (resolved as {}) has {}, "
                                  "reported at their place in it",
                                  base_name, resolved, counted(found.error_count(), "error")));
    return std::nullopt;
  }
  base->base_sources.insert(base->base_sources.begin(), SourceFile{resolved, *text});
  return base;
}

// A future state: its base with name, description, notes and stages replaced when the file gives
// them, then the changes applied in order.
void read_future_state(Reading& reading, MapReader& top, Scenario& scenario, Diagnostics& outer,
                       BaseChain& chain) {
  for (const auto& [key, instead] : kNotInFutureState) {
    if (!top.has(key)) continue;
    top.error(key, fmt::format("'{}' cannot be written out in a future state (a file with "
                               "'base'): list what changes under 'changes', with {}",
                               key, instead));
  }
  std::string base_name;
  if (!top.text("base", base_name)) return;
  if (base_name.empty()) {
    top.error("base", "'base' is empty; name the journey file this future state changes");
    return;
  }
  std::optional<Scenario> base = load_base(reading, top, base_name, outer, chain);
  if (!base) return;
  scenario = std::move(*base);
  top.text("name", scenario.name);
  top.text("description", scenario.description);
  top.text("notes", scenario.notes);
  if (top.has("stages")) read_stages(reading, top, scenario);
  const std::vector<YamlNode> changes = top.list("changes", /*required=*/false);
  apply_changes(changes, reading.path, scenario, reading.diagnostics);
}

// Returns whether there is a journey to check, read whole or in part: not when a future
// state's base could not be loaded.
bool read_scenario(Reading& reading, const YamlNode& root, Scenario& scenario, Diagnostics& outer,
                   BaseChain& chain) {
  FieldLocations top_fields;
  MapReader top(reading, root, "the scenario", kScenarioKeys, top_fields);
  bool readable = true;
  if (top.has("base")) {
    read_future_state(reading, top, scenario, outer, chain);
    readable = !scenario.touchpoints.empty();
  } else {
    read_journey(reading, top, scenario);
  }
  for (auto& [key, where] : top_fields) scenario.fields[key] = where;
  return readable;
}

// The one document of the file, or nullopt after saying why there is none.
std::optional<YamlTree> parse_document(Reading& reading, std::string_view text) {
  YamlProblem problem;
  std::optional<YamlTree> tree = YamlTree::parse(text, problem);
  const SourceLocation where{reading.path, problem.line, problem.column};
  if (!tree) {
    switch (problem.kind) {
      case YamlProblem::Kind::syntax:
        reading.error(where, "YAML syntax error: " + problem.message);
        break;
      case YamlProblem::Kind::too_deep:
        reading.error(where, fmt::format("the YAML nests lists and maps more than {} levels deep "
                                         "here; a scenario needs no more than 5",
                                         detail::kMostYamlDepth));
        break;
      case YamlProblem::Kind::runaway:
        reading.error(where,
                      "the YAML parser does not get past this point (a malformed flow "
                      "collection?); check the brackets and braces here");
        break;
      case YamlProblem::Kind::no_document:
        reading.error(where,
                      "the file holds no scenario; it needs at least 'name', 'stages' and "
                      "'touchpoints'");
        break;
      case YamlProblem::Kind::two_documents:
        reading.error(where,
                      "the file holds more than one YAML document; a scenario file holds one");
        break;
    }
    return std::nullopt;
  }
  const YamlNode root = tree->root();
  if (!root.is_map()) {
    reading.error(reading.at(root),
                  fmt::format("a scenario must be a map of keys (name, stages, touchpoints, ...), "
                              "got {}",
                              describe(root)));
    return std::nullopt;
  }
  return tree;
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

// Read in pieces up to the limit, so that a huge file or an endless stream (a pipe, a device)
// is refused without first being held in memory.
std::optional<std::string> read_text(const std::string& path, FileKind kind, std::string& reason) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (std::filesystem::is_directory(status)) {
    reason = "it is a directory";
    return std::nullopt;
  }
  if (kind == FileKind::regular && std::filesystem::exists(status) &&
      !std::filesystem::is_regular_file(status)) {
    reason = "it is not a regular file";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = errno != 0 ? std::strerror(errno) : "it could not be opened";
    return std::nullopt;
  }
  std::string text;
  // A regular file's size is known: one allocation instead of doubling (a copy of it).
  if (std::filesystem::is_regular_file(status)) {
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (!error && size <= kMostScenarioBytes) text.reserve(static_cast<std::size_t>(size));
  }
  std::vector<char> buffer(std::size_t{1} << 16);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > kMostScenarioBytes) {
      reason = fmt::format("it is larger than {} MiB, the most a scenario file may hold",
                           kMostScenarioBytes >> 20);
      return std::nullopt;
    }
    text.append(buffer.data(), got);
  }
  if (in.bad()) {
    reason = "reading it failed";
    return std::nullopt;
  }
  return text;
}

std::optional<Scenario> parse_in_chain(std::string text, const std::string& path,
                                       Diagnostics& diagnostics, BaseChain& chain) {
  Diagnostics found;
  Reading reading{path, found, ""};
  Scenario scenario;
  bool readable = false;
  if (const std::optional<YamlTree> tree = parse_document(reading, text)) {
    readable = read_scenario(reading, tree->root(), scenario, diagnostics, chain);
  }
  scenario.source_path = path;
  scenario.source_text = std::move(text);
  if (found.has_errors() && readable) {
    // One pass: what the file means is checked too, so that a misspelt key does not hide a
    // misspelt reference until the key is fixed.
    Diagnostics meaning;
    validate_partly_read(scenario, found, meaning);
    for (const Diagnostic& d : meaning.all()) found.error(d.where, d.message);
  }
  hand_over(found, diagnostics);
  if (found.has_errors()) return std::nullopt;
  return scenario;
}

// A file on its own: the first of its chain of bases.
std::optional<Scenario> parse_first(std::string text, const std::string& path,
                                    Diagnostics& diagnostics) {
  std::error_code ignored;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ignored);
  BaseChain chain{{{canonical.empty() ? path : canonical.string(), path}}};
  return parse_in_chain(std::move(text), path, diagnostics, chain);
}

}  // namespace

std::optional<Scenario> parse_scenario(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics) {
  return parse_first(std::string(text), path, diagnostics);
}

std::optional<Scenario> parse_recorded_scenario(std::string_view text, const std::string& path,
                                                const std::vector<SourceFile>& bases,
                                                Diagnostics& diagnostics) {
  BaseChain chain{{{path, path}}, &bases};
  return parse_in_chain(std::string(text), path, diagnostics, chain);
}

std::optional<Scenario> load_scenario_file(const std::string& path, Diagnostics& diagnostics) {
  std::string reason;
  std::optional<std::string> text = read_text(path, FileKind::any, reason);
  if (!text) {
    diagnostics.error({path, 0, 0}, "cannot read file: " + reason);
    return std::nullopt;
  }
  return parse_first(std::move(*text), path, diagnostics);
}

}  // namespace cjsim
