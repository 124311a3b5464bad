// A future state's `changes:` list for a front end that edits it (the studio): read with the
// loader's own YAML reader (libfyaml through scenarios/yaml_tree.h, so flow-style lists and
// comments are read as the loader reads them), each change as JSON, and a new list written
// back into the text with everything outside the list, and each change kept, as it was.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cjsim {

// Each change of `text`'s `changes:` list, in order, as
//   {"kind", "target", "fields", "line", "change"}
// `kind` the change's kind as written; `target` the id it names (`id:`, or the value of a
// removal), "FROM -> TO" for a transition, "" for the settings and the like; `fields` the
// change's other keys; `line` where it starts (from 1); `change` the item itself as JSON
// ({KIND: VALUE}), which is what with_changes takes back. Scalars written unquoted become
// numbers, booleans or null when YAML's core schema reads them so; quoted ones stay strings.
// An empty array when the text has no `changes:`. Throws InvalidInput ("PATH: line L: ...")
// when the text is not one YAML document with a map at its top.
nlohmann::ordered_json future_state_changes(std::string_view text, const std::string& path);

// `text` with its `changes:` list replaced by `changes` (an array of {KIND: VALUE} objects).
// The text outside the list is kept byte for byte; in a list written in block style each
// change that is still there keeps its own text (its comments too), new ones are written one
// a line, as JSON (which YAML reads as it is); a list written in flow style is rewritten in
// block style. A text without `changes:` gets the list at its end. Throws InvalidInput as
// future_state_changes does, or when an item of `changes` is not one {KIND: VALUE} pair.
std::string with_changes(std::string_view text, const std::string& path,
                         const nlohmann::ordered_json& changes);

}  // namespace cjsim
