// A guard to run before yaml-cpp builds a node tree from untrusted text: yaml-cpp 0.7 can loop
// forever on a few malformed bytes (`{[""],{}},` emits events without end), so the parser's
// events are counted first, without a tree, and the text is refused past a bound that no real
// document reaches (a document has fewer events than bytes).
#pragma once

#include <yaml-cpp/mark.h>

#include <string>

namespace cjsim {

struct YamlRunaway {
  YAML::Mark mark;  // where the parser stopped making progress
};

// Throws YamlRunaway past the bound, and yaml-cpp's exceptions on syntax errors.
void check_yaml_event_count(const std::string& text);

}  // namespace cjsim
