// Reading a journey from YAML (or JSON, which YAML reads as well) into a Scenario.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

// Parses `text` (named `path` in messages). Shape problems (syntax, wrong types, unknown
// keys, missing required fields, non-finite numbers) are added to `diagnostics`, all of
// them, and the Scenario is returned only when there were none.
std::optional<Scenario> parse_scenario(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics);

// Rebuilds a journey as a result recorded it, reading no file: `text` and `path` as run
// (RunMetadata::scenario_text and scenario_path, or Scenario::source_text and source_path),
// and, for a future state, the texts of its bases under the paths they were resolved as
// (Scenario::base_sources; RunMetadata::base_files). A report that holds only a result uses
// it to reach what the numbers do not carry, such as the journey map's words (compile() the
// journey and read CompiledJourney::touchpoint_words beside touchpoint_names).
std::optional<Scenario> parse_recorded_scenario(std::string_view text, const std::string& path,
                                                const std::vector<SourceFile>& bases,
                                                Diagnostics& diagnostics);

// The largest scenario file read: beyond any hand-written or exported journey (100,000
// touchpoints written in full, with three transitions each, take 28 MB), small enough that a
// mistaken argument (a log, a disk image) is refused at once. Memory is the bound: reading
// takes up to about 60 times the file's size when it is made of tiny items (a list of short
// personas or transitions), so this limit keeps any file under about 2 GB.
inline constexpr std::size_t kMostScenarioBytes = std::size_t{32} << 20;

// Reads the file and parses it; an unreadable file, or one over kMostScenarioBytes, is a
// diagnostic too.
std::optional<Scenario> load_scenario_file(const std::string& path, Diagnostics& diagnostics);

}  // namespace cjsim
