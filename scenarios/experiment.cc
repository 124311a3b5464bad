// Reading experiment files with yaml-cpp: shape, types and ranges of every key, each problem
// reported where it was written.
#include "scenarios/experiment.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scenarios/did_you_mean.h"
#include "scenarios/utf8.h"
#include "scenarios/yaml_guard.h"

namespace cjsim {
namespace {

constexpr std::array<std::string_view, 11> kKeys = {
    "name",        "description", "scenario", "scenarios",    "design", "points",
    "design_seed", "parameters",  "agents",   "replications", "seed"};
constexpr std::string_view kMetricKey = "metric";
// Experiment files are small; anything larger is a mistaken argument.
constexpr std::size_t kMostExperimentBytes = std::size_t{4} << 20;

class Reader {
 public:
  Reader(const std::string& path, Diagnostics& diagnostics)
      : path_(path), diagnostics_(diagnostics) {}

  SourceLocation at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return {path_, 0, 0};
    return {path_, mark.line + 1, mark.column + 1};
  }
  void error(const YAML::Node& node, std::string message) {
    diagnostics_.error(at(node), std::move(message));
  }

  std::optional<double> number(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar()) {
      error(node, fmt::format("{} must be a number", what));
      return std::nullopt;
    }
    double value = 0.0;
    if (!YAML::convert<double>::decode(node, value)) {
      error(node, fmt::format("{} must be a number, not '{}'", what, node.Scalar()));
      return std::nullopt;
    }
    if (!std::isfinite(value)) {
      error(node, fmt::format("{} must be a finite number, not '{}'", what, node.Scalar()));
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::uint64_t> whole(const YAML::Node& node, std::string_view what,
                                     std::uint64_t low, std::uint64_t high) {
    std::uint64_t value = 0;
    const bool ok = node.IsScalar() && !node.Scalar().starts_with('-') &&
                    YAML::convert<std::uint64_t>::decode(node, value);
    if (!ok) {
      error(node, fmt::format("{} must be a whole number from {} to {}{}", what, low, high,
                              node.IsScalar() ? fmt::format(", not '{}'", node.Scalar()) : ""));
      return std::nullopt;
    }
    if (value < low || value > high) {
      error(node, fmt::format("{} must be from {} to {}, not {}", what, low, high, value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> text(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar() || node.Scalar().empty()) {
      error(node, fmt::format("{} must be a non-empty string", what));
      return std::nullopt;
    }
    return node.Scalar();
  }

 private:
  const std::string& path_;
  Diagnostics& diagnostics_;
};

// A parameter's values: a list of numbers, or {from, to} with `steps` (grid) or without
// (Latin hypercube).
void read_values(Reader& r, const YAML::Node& spec, DesignKind design, ExperimentParameter& p) {
  const std::string& name = p.path.text;
  if (spec.IsSequence()) {
    if (design == DesignKind::latin_hypercube) {
      r.error(spec, fmt::format("{}: a Latin hypercube samples an interval; write "
                                "{{from: <low>, to: <high>}} instead of a list",
                                name));
      return;
    }
    if (spec.size() == 0) {
      r.error(spec, fmt::format("{}: the list of values is empty", name));
      return;
    }
    if (spec.size() > kMostDesignPoints) {
      r.error(spec, fmt::format("{}: more than {} values", name, kMostDesignPoints));
      return;
    }
    for (const YAML::Node& v : spec) {
      if (auto x = r.number(v, fmt::format("a value of {}", name))) p.levels.push_back(*x);
    }
    return;
  }
  if (!spec.IsMap()) {
    r.error(spec, fmt::format("{}: give a list of values, {{from, to, steps}} (grid) or "
                              "{{from, to}} (Latin hypercube)",
                              name));
    return;
  }
  std::optional<double> from, to;
  std::optional<std::uint64_t> steps;
  bool shape_ok = true;
  for (const auto& entry : spec) {
    const std::string key = entry.first.Scalar();
    if (key == "from") {
      from = r.number(entry.second, name + " from");
      shape_ok = shape_ok && from.has_value();
    } else if (key == "to") {
      to = r.number(entry.second, name + " to");
      shape_ok = shape_ok && to.has_value();
    } else if (key == "steps") {
      steps = r.whole(entry.second, name + " steps", 1, kMostDesignPoints);
      shape_ok = shape_ok && steps.has_value();
    } else {
      const std::array<std::string, 3> keys = {"from", "to", "steps"};
      r.error(entry.first, fmt::format("{}: unknown key '{}'{} (the keys are from, to, steps)",
                                       name, key, did_you_mean(key, keys)));
      shape_ok = false;
    }
  }
  if (!shape_ok) return;
  if (!from || !to) {
    r.error(spec, fmt::format("{}: an interval needs both from and to", name));
    return;
  }
  if (*from > *to) {
    r.error(spec, fmt::format("{}: from ({}) is greater than to ({})", name, *from, *to));
    return;
  }
  if (design == DesignKind::latin_hypercube) {
    if (steps) {
      r.error(spec, fmt::format("{}: steps belong to grids; a Latin hypercube places `points` "
                                "points in the interval",
                                name));
      return;
    }
    p.range = Interval{*from, *to};
    return;
  }
  if (design == DesignKind::list) {
    r.error(spec, fmt::format("{}: a list design takes a list of values, one per point", name));
    return;
  }
  if (!steps) {
    r.error(spec,
            fmt::format("{}: a grid over an interval needs steps (the number of levels)", name));
    return;
  }
  p.levels = evenly_spaced(*from, *to, *steps);
}

// Grid and list designs: the number of rows the levels make.
std::uint64_t design_size(const Experiment& x) {
  if (x.design == DesignKind::list) return x.parameters.front().levels.size();
  long double product = 1;
  for (const ExperimentParameter& p : x.parameters) product *= p.levels.size();
  return product > kMostDesignPoints ? kMostDesignPoints + 1 : static_cast<std::uint64_t>(product);
}

}  // namespace

std::string_view design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::list:
      return "list";
    case DesignKind::latin_hypercube:
      return "latin_hypercube";
  }
  return "grid";
}

namespace {

// The place of byte `at` of `text`: line, and column in characters.
SourceLocation place_of_byte(const std::string& path, std::string_view text, std::size_t at) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {path, line, column};
}

}  // namespace

std::optional<Experiment> parse_experiment(std::string_view text, const std::string& path,
                                           Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  // yaml-cpp passes any bytes through, and the name and the file's text go into the sweep
  // file and its report as UTF-8: text in another encoding (Latin-1) is refused here.
  if (const std::optional<std::size_t> at = first_invalid_utf8(text)) {
    diagnostics.error(place_of_byte(path, text, *at),
                      fmt::format("the byte 0x{:02X} is not UTF-8 text; an experiment file is "
                                  "UTF-8 (save it as UTF-8 in the editor)",
                                  static_cast<unsigned char>(text[*at])));
    return std::nullopt;
  }
  YAML::Node root;
  try {
    const std::string whole(text);
    check_yaml_event_count(whole);
    root = YAML::Load(whole);
  } catch (const YamlRunaway& runaway) {
    diagnostics.error({path, runaway.mark.line + 1, runaway.mark.column + 1},
                      "the YAML parser does not get past this point (a malformed flow "
                      "collection?); check the brackets and braces here");
    return std::nullopt;
  } catch (const YAML::DeepRecursion& e) {
    diagnostics.error({path, e.mark.line + 1, e.mark.column + 1},
                      fmt::format("the YAML nests lists and maps more than {} levels deep here; "
                                  "an experiment needs 3",
                                  e.depth()));
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diagnostics.error({path, e.mark.line + 1, e.mark.column + 1},
                      fmt::format("not valid YAML: {}", e.msg));
    return std::nullopt;
  }
  Reader r(path, diagnostics);
  if (!root.IsMap()) {
    diagnostics.error({path, 1, 1},
                      "an experiment file is a mapping with scenario, parameters, "
                      "agents, replications and seed");
    return std::nullopt;
  }
  Experiment x;
  x.path = path;
  x.text = std::string(text);
  const std::filesystem::path directory = std::filesystem::path(path).parent_path();
  std::set<std::string> seen;
  YAML::Node parameters_node, scenario_node, points_node, design_seed_node, design_seed_value;
  bool has_design_seed = false;
  for (const auto& entry : root) {
    const YAML::Node& key_node = entry.first;
    const YAML::Node& value = entry.second;
    const std::string key = key_node.IsScalar() ? key_node.Scalar() : "";
    if (!seen.insert(key).second) {
      r.error(key_node, fmt::format("'{}' is given twice", key));
      continue;
    }
    if (key == "name") {
      if (auto s = r.text(value, "name")) x.name = *s;
    } else if (key == "description") {
      // For people reading the file.
    } else if (key == "scenario" || key == "scenarios") {
      if (!scenario_node.IsNull() || seen.contains(key == "scenario" ? "scenarios" : "scenario")) {
        r.error(key_node, "give either scenario or scenarios, not both");
        continue;
      }
      scenario_node = value;
      std::vector<YAML::Node> items;
      if (value.IsSequence()) {
        for (const YAML::Node& v : value) items.push_back(v);
        if (items.empty()) r.error(value, "scenarios: the list is empty");
      } else {
        items.push_back(value);
      }
      for (const YAML::Node& v : items) {
        if (auto s = r.text(v, "a scenario")) {
          const std::filesystem::path file(*s);
          x.scenarios.push_back(file.is_absolute() || directory.empty()
                                    ? file.string()
                                    : (directory / file).string());
          x.scenario_where.push_back(r.at(v));
        }
      }
    } else if (key == "design") {
      const std::string d = value.IsScalar() ? value.Scalar() : "";
      if (d == "grid")
        x.design = DesignKind::grid;
      else if (d == "list")
        x.design = DesignKind::list;
      else if (d == "latin_hypercube")
        x.design = DesignKind::latin_hypercube;
      else {
        const std::array<std::string, 3> names = {"grid", "list", "latin_hypercube"};
        r.error(value, fmt::format("unknown design '{}'{} (the designs are grid, list, "
                                   "latin_hypercube)",
                                   d, did_you_mean(d, names)));
      }
    } else if (key == "points") {
      points_node = value;
    } else if (key == "design_seed") {
      design_seed_node = key_node;
      design_seed_value = value;
      has_design_seed = true;
    } else if (key == "parameters") {
      parameters_node = value;
    } else if (key == "agents") {
      if (auto n = r.whole(value, "agents", 1, kMostExperimentAgents)) x.agents = *n;
    } else if (key == "replications") {
      if (auto n = r.whole(value, "replications", 1, kMostExperimentReplications)) {
        x.replications = static_cast<std::uint32_t>(*n);
      }
    } else if (key == "seed") {
      if (auto n = r.whole(value, "seed", 0, UINT64_MAX)) x.seed = *n;
    } else if (key == kMetricKey) {
      if (auto s = r.text(value, "metric")) x.metric = *s;
      x.metric_where = r.at(value);
    } else {
      std::vector<std::string> keys(kKeys.begin(), kKeys.end());
      keys.emplace_back(kMetricKey);
      r.error(key_node, fmt::format("unknown key '{}'{} (the keys are {})", key,
                                    did_you_mean(key, keys), join_names(keys)));
    }
  }
  if (scenario_node.IsNull()) {
    diagnostics.error({path, 1, 1},
                      "no scenario: name the base journey file (scenario: "
                      "retail.yaml) or several (scenarios: [a.yaml, b.yaml])");
  }
  x.design_seed = x.seed;
  if (has_design_seed) {
    if (x.design != DesignKind::latin_hypercube) {
      r.error(design_seed_node, "design_seed is for latin_hypercube designs only");
    } else if (auto n = r.whole(design_seed_value, "design_seed", 0, UINT64_MAX)) {
      x.design_seed = *n;
    }
  }
  if (x.design == DesignKind::latin_hypercube) {
    if (points_node.IsNull()) {
      diagnostics.error({path, 1, 1}, "a latin_hypercube design needs points (how many)");
    } else if (auto n = r.whole(points_node, "points", 1, kMostDesignPoints)) {
      x.points = *n;
    }
  } else if (!points_node.IsNull()) {
    r.error(points_node, fmt::format("points is for latin_hypercube designs; a {} design has "
                                     "as many points as its values make",
                                     design_name(x.design)));
  }
  if (parameters_node.IsNull() || (parameters_node.IsMap() && parameters_node.size() == 0)) {
    diagnostics.error(parameters_node.IsNull() ? SourceLocation{path, 1, 1} : r.at(parameters_node),
                      "no parameters: name at least one field to vary, as in "
                      "parameters: {settings.kappa: [0, 1, 2]}");
  } else if (!parameters_node.IsMap()) {
    r.error(parameters_node,
            "parameters must be a mapping from a path (touchpoints.checkout.dropout) "
            "to its values");
  } else {
    std::set<std::string> paths;
    for (const auto& entry : parameters_node) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
      std::string message;
      std::optional<ParameterPath> parsed = parse_parameter_path(key, message);
      if (!parsed) {
        r.error(entry.first, message);
        continue;
      }
      if (!paths.insert(key).second) {
        r.error(entry.first, fmt::format("{} is given twice", key));
        continue;
      }
      ExperimentParameter p;
      p.path = std::move(*parsed);
      p.where = r.at(entry.first);
      const std::size_t before = diagnostics.error_count();
      read_values(r, entry.second, x.design, p);
      if (diagnostics.error_count() == before) x.parameters.push_back(std::move(p));
    }
  }
  if (diagnostics.error_count() == errors_before) {
    // Sizes are checked once each parameter is known to be well formed.
    if (x.design == DesignKind::list) {
      const std::size_t n = x.parameters.front().levels.size();
      for (const ExperimentParameter& p : x.parameters) {
        if (p.levels.size() != n) {
          diagnostics.error(p.where, fmt::format("{} has {} values but {} has {}: in a list "
                                                 "design point k takes the k-th value of each",
                                                 p.path.text, p.levels.size(),
                                                 x.parameters.front().path.text, n));
        }
      }
    } else if (x.design == DesignKind::grid) {
      long double product = 1;
      for (const ExperimentParameter& p : x.parameters) product *= p.levels.size();
      const long double total = product * static_cast<long double>(x.scenarios.size());
      if (total > kMostDesignPoints) {
        diagnostics.error(x.parameters.front().where,
                          fmt::format("the grid has {:.0f} points (levels multiplied, times the "
                                      "scenarios); the most a sweep runs is {}",
                                      static_cast<double>(total), kMostDesignPoints));
      }
    }
    if (x.design == DesignKind::latin_hypercube &&
        x.points * x.scenarios.size() > kMostDesignPoints) {
      diagnostics.error(points_node.IsNull() ? SourceLocation{path, 1, 1} : r.at(points_node),
                        fmt::format("{} points times {} scenarios is more than the {} a sweep "
                                    "runs",
                                    x.points, x.scenarios.size(), kMostDesignPoints));
    }
  }
  if (diagnostics.error_count() == errors_before) {
    const long double points = x.design == DesignKind::latin_hypercube
                                   ? static_cast<long double>(x.points)
                                   : static_cast<long double>(design_size(x));
    if (points * static_cast<long double>(x.parameters.size()) > kMostDesignValues) {
      diagnostics.error(x.parameters.front().where,
                        fmt::format("{:.0f} points of {} parameters is more than the {} values a "
                                    "design may hold",
                                    static_cast<double>(points), x.parameters.size(),
                                    kMostDesignValues));
    }
  }
  if (diagnostics.error_count() != errors_before) return std::nullopt;
  if (x.name.empty()) x.name = std::filesystem::path(path).stem().string();
  return x;
}

std::optional<Experiment> load_experiment_file(const std::string& path, Diagnostics& diagnostics) {
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) {
    diagnostics.error({path, 0, 0}, "is a directory, not an experiment file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error({path, 0, 0}, "cannot read the experiment file (does it exist?)");
    return std::nullopt;
  }
  const auto size = std::filesystem::file_size(path, code);
  if (!code && size > kMostExperimentBytes) {
    diagnostics.error({path, 0, 0}, fmt::format("{} bytes is far too large for an experiment "
                                                "file (the most is {} MiB)",
                                                size, kMostExperimentBytes >> 20));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_experiment(text.str(), path, diagnostics);
}

DesignRows design_rows(const Experiment& experiment) {
  switch (experiment.design) {
    case DesignKind::grid:
    case DesignKind::list: {
      std::vector<std::vector<double>> levels;
      for (const ExperimentParameter& p : experiment.parameters) levels.push_back(p.levels);
      return experiment.design == DesignKind::grid ? grid_design(levels) : list_design(levels);
    }
    case DesignKind::latin_hypercube: {
      std::vector<Interval> ranges;
      for (const ExperimentParameter& p : experiment.parameters) ranges.push_back(*p.range);
      return latin_hypercube(ranges, experiment.points, experiment.design_seed);
    }
  }
  return {};
}

}  // namespace cjsim
