// Reading experiment files through the same YAML front end as scenarios (yaml_tree.h): shape,
// types and ranges of every key, each problem reported where it was written.
#include "scenarios/experiment.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scenarios/did_you_mean.h"
#include "scenarios/entity_reader.h"
#include "scenarios/utf8.h"
#include "scenarios/yaml_tree.h"

namespace cjsim {
namespace {

using detail::YamlNode;
using detail::YamlProblem;
using detail::YamlTree;

constexpr std::array<std::string_view, 13> kKeys = {
    "name",        "description", "scenario", "scenarios",    "design", "points",
    "design_seed", "parameters",  "agents",   "replications", "seed",   "days",
    "warmup_days"};
constexpr std::string_view kMetricKey = "metric";
// Experiment files are small; anything larger is a mistaken argument.
constexpr std::size_t kMostExperimentBytes = std::size_t{4} << 20;

// A plain scalar's text; quoted text is no number, and a list or map has no text.
std::string_view plain_text(const YamlNode& node) {
  return node.is_scalar() && !node.is_quoted() ? node.text() : std::string_view();
}

std::optional<std::uint64_t> spelled_unsigned(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

class Reader {
 public:
  Reader(const std::string& path, Diagnostics& diagnostics)
      : path_(path), diagnostics_(diagnostics) {}

  // A node that is not in the file (an absent key) is placed at the top of the file.
  SourceLocation at(const YamlNode& node) const {
    if (!node.exists()) return {path_, 1, 1};
    return {path_, node.line(), node.column()};
  }
  void error(const YamlNode& node, std::string message) {
    diagnostics_.error(at(node), std::move(message));
  }

  std::optional<double> number(const YamlNode& node, std::string_view what) {
    if (!node.is_scalar()) {
      error(node, fmt::format("{} must be a number", what));
      return std::nullopt;
    }
    const std::optional<double> value = detail::spelled_number(plain_text(node));
    if (!value) {
      std::string message = fmt::format("{} must be a number, not '{}'", what, node.text());
      if (node.is_quoted() && detail::spelled_number(node.text())) message += "; remove the quotes";
      error(node, std::move(message));
      return std::nullopt;
    }
    if (!std::isfinite(*value)) {
      error(node, fmt::format("{} must be a finite number, not '{}'", what, node.text()));
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::uint64_t> whole(const YamlNode& node, std::string_view what, std::uint64_t low,
                                     std::uint64_t high) {
    const std::optional<std::uint64_t> value = spelled_unsigned(plain_text(node));
    if (!value) {
      error(node, fmt::format("{} must be a whole number from {} to {}{}", what, low, high,
                              node.is_scalar() ? fmt::format(", not '{}'", node.text()) : ""));
      return std::nullopt;
    }
    if (*value < low || *value > high) {
      error(node, fmt::format("{} must be from {} to {}, not {}", what, low, high, *value));
      return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> text(const YamlNode& node, std::string_view what) {
    if (!node.is_scalar() || node.text().empty()) {
      error(node, fmt::format("{} must be a non-empty string", what));
      return std::nullopt;
    }
    return std::string(node.text());
  }

 private:
  const std::string& path_;
  Diagnostics& diagnostics_;
};

// A key's name; one that is not a scalar has none.
std::string key_name(const YamlNode& key) { return key.is_scalar() ? std::string(key.text()) : ""; }

// A parameter's values: a list of numbers, or {from, to} with `steps` (grid) or without
// (Latin hypercube).
void read_values(Reader& r, const YamlNode& spec, DesignKind design, ExperimentParameter& p) {
  const std::string& name = p.path.text;
  if (spec.is_list()) {
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
    for (std::size_t i = 0; i < spec.size(); ++i) {
      if (auto x = r.number(spec.item(i), fmt::format("a value of {}", name))) {
        p.levels.push_back(*x);
      }
    }
    return;
  }
  if (!spec.is_map()) {
    r.error(spec, fmt::format("{}: give a list of values, {{from, to, steps}} (grid) or "
                              "{{from, to}} (Latin hypercube)",
                              name));
    return;
  }
  std::optional<double> from, to;
  std::optional<std::uint64_t> steps;
  std::set<std::string> seen;
  bool shape_ok = true;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const std::string key = key_name(spec.key(i));
    const YamlNode value = spec.value(i);
    if (!seen.insert(key).second) {
      r.error(spec.key(i), fmt::format("{}: '{}' is given twice", name, key));
      shape_ok = false;
    } else if (key == "from") {
      from = r.number(value, name + " from");
      shape_ok = shape_ok && from.has_value();
    } else if (key == "to") {
      to = r.number(value, name + " to");
      shape_ok = shape_ok && to.has_value();
    } else if (key == "steps") {
      steps = r.whole(value, name + " steps", 1, kMostDesignPoints);
      shape_ok = shape_ok && steps.has_value();
    } else {
      const std::array<std::string, 3> keys = {"from", "to", "steps"};
      r.error(spec.key(i), fmt::format("{}: unknown key '{}'{} (the keys are from, to, steps)",
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
    const bool whole = is_whole_number_parameter(p.path);
    if (whole && (*from != std::floor(*from) || *to != std::floor(*to))) {
      r.error(spec, fmt::format("{} holds whole numbers: from and to must be whole (not {} "
                                "and {}); the Latin hypercube gives it whole levels",
                                name, *from, *to));
      return;
    }
    p.range = Interval{*from, *to, whole};
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

// The one document of the text, or nullopt after saying why there is none.
std::optional<YamlTree> parse_document(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics) {
  YamlProblem problem;
  std::optional<YamlTree> tree = YamlTree::parse(text, problem);
  if (tree) return tree;
  const SourceLocation where{path, std::max(problem.line, 1), std::max(problem.column, 1)};
  switch (problem.kind) {
    case YamlProblem::Kind::syntax:
      diagnostics.error(where, fmt::format("not valid YAML: {}", problem.message));
      break;
    case YamlProblem::Kind::too_deep:
      diagnostics.error(where, fmt::format("the YAML nests lists and maps more than {} levels "
                                           "deep here; an experiment needs 3",
                                           detail::kMostYamlDepth));
      break;
    case YamlProblem::Kind::runaway:
      diagnostics.error(where,
                        "the YAML parser does not get past this point (a malformed flow "
                        "collection?); check the brackets and braces here");
      break;
    case YamlProblem::Kind::no_document:
      diagnostics.error(where,
                        "the file holds no experiment; it needs at least scenario and "
                        "parameters");
      break;
    case YamlProblem::Kind::two_documents:
      diagnostics.error(where,
                        "the file holds more than one YAML document; an experiment file "
                        "holds one");
      break;
  }
  return std::nullopt;
}

// The top-level values that are read once every key is known (points and design_seed depend
// on the design, which may come after them).
struct Deferred {
  YamlNode scenario_key;
  YamlNode parameters;
  YamlNode points;
  YamlNode design_seed_key;
  YamlNode design_seed;
};

void read_scenarios(Reader& r, const std::string& path, const YamlNode& value, Experiment& x) {
  const std::filesystem::path directory = std::filesystem::path(path).parent_path();
  std::vector<YamlNode> items;
  if (value.is_list()) {
    for (std::size_t i = 0; i < value.size(); ++i) items.push_back(value.item(i));
    if (items.empty()) r.error(value, "scenarios: the list is empty");
  } else {
    items.push_back(value);
  }
  for (const YamlNode& v : items) {
    if (auto s = r.text(v, "a scenario")) {
      const std::filesystem::path file(*s);
      x.scenarios.push_back(file.is_absolute() || directory.empty() ? file.string()
                                                                    : (directory / file).string());
      x.scenario_where.push_back(r.at(v));
    }
  }
}

void read_design(Reader& r, const YamlNode& value, Experiment& x) {
  const std::string d(value.is_scalar() ? value.text() : "");
  if (d == "grid") {
    x.design = DesignKind::grid;
  } else if (d == "list") {
    x.design = DesignKind::list;
  } else if (d == "latin_hypercube") {
    x.design = DesignKind::latin_hypercube;
  } else {
    const std::array<std::string, 3> names = {"grid", "list", "latin_hypercube"};
    r.error(value, fmt::format("unknown design '{}'{} (the designs are grid, list, "
                               "latin_hypercube)",
                               d, did_you_mean(d, names)));
  }
}

// One top-level key and its value: read now, or kept in `later`.
void read_top_key(Reader& r, const std::string& path, const YamlNode& key_node,
                  const YamlNode& value, Experiment& x, Deferred& later) {
  const std::string key = key_name(key_node);
  if (key == "name") {
    if (auto s = r.text(value, "name")) x.name = *s;
  } else if (key == "description") {
    // For people reading the file.
  } else if (key == "scenario" || key == "scenarios") {
    if (later.scenario_key.exists()) {
      r.error(key_node, "give either scenario or scenarios, not both");
      return;
    }
    later.scenario_key = key_node;
    read_scenarios(r, path, value, x);
  } else if (key == "design") {
    read_design(r, value, x);
  } else if (key == "points") {
    later.points = value;
  } else if (key == "design_seed") {
    later.design_seed_key = key_node;
    later.design_seed = value;
  } else if (key == "parameters") {
    later.parameters = value;
  } else if (key == "agents") {
    if (auto n = r.whole(value, "agents", 1, kMostExperimentAgents)) x.agents = *n;
  } else if (key == "replications") {
    if (auto n = r.whole(value, "replications", 1, kMostExperimentReplications)) {
      x.replications = static_cast<std::uint32_t>(*n);
    }
  } else if (key == "seed") {
    if (auto n = r.whole(value, "seed", 0, UINT64_MAX)) x.seed = *n;
  } else if (key == "days") {
    if (auto n = r.whole(value, "days", 1, kMostExperimentDays)) {
      x.days = static_cast<std::int64_t>(*n);
    }
  } else if (key == "warmup_days") {
    if (auto n = r.whole(value, "warmup_days", 0, kMostExperimentDays)) {
      x.warmup_days = static_cast<std::int64_t>(*n);
    }
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

// The design's own settings, once the design is known.
void read_design_settings(Reader& r, const Deferred& later, Experiment& x) {
  x.design_seed = x.seed;
  if (later.design_seed_key.exists()) {
    if (x.design != DesignKind::latin_hypercube) {
      r.error(later.design_seed_key, "design_seed is for latin_hypercube designs only");
    } else if (auto n = r.whole(later.design_seed, "design_seed", 0, UINT64_MAX)) {
      x.design_seed = *n;
    }
  }
  if (x.design == DesignKind::latin_hypercube) {
    if (!later.points.exists()) {
      r.error(later.points, "a latin_hypercube design needs points (how many)");
    } else if (auto n = r.whole(later.points, "points", 1, kMostDesignPoints)) {
      x.points = *n;
    }
  } else if (later.points.exists()) {
    r.error(later.points, fmt::format("points is for latin_hypercube designs; a {} design has "
                                      "as many points as its values make",
                                      design_name(x.design)));
  }
}

void read_parameters(Reader& r, const YamlNode& parameters, Diagnostics& diagnostics,
                     Experiment& x) {
  if (!parameters.exists() || parameters.is_null() ||
      (parameters.is_map() && parameters.size() == 0)) {
    r.error(parameters,
            "no parameters: name at least one field to vary, as in "
            "parameters: {settings.kappa: [0, 1, 2]}");
    return;
  }
  if (!parameters.is_map()) {
    r.error(parameters,
            "parameters must be a mapping from a path (touchpoints.checkout.dropout) "
            "to its values");
    return;
  }
  std::set<std::string> paths;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const YamlNode key_node = parameters.key(i);
    const std::string key = key_name(key_node);
    std::string message;
    std::optional<ParameterPath> parsed = parse_parameter_path(key, message);
    if (!parsed) {
      r.error(key_node, message);
      continue;
    }
    if (!paths.insert(key).second) {
      r.error(key_node, fmt::format("{} is given twice", key));
      continue;
    }
    ExperimentParameter p;
    p.path = std::move(*parsed);
    p.where = r.at(key_node);
    const std::size_t before = diagnostics.error_count();
    read_values(r, parameters.value(i), x.design, p);
    if (diagnostics.error_count() == before) x.parameters.push_back(std::move(p));
  }
}

// Sizes, checked once each parameter is known to be well formed.
void check_design_size(Reader& r, const Deferred& later, Diagnostics& diagnostics,
                       const Experiment& x) {
  if (x.design == DesignKind::list) {
    const std::size_t n = x.parameters.front().levels.size();
    for (const ExperimentParameter& p : x.parameters) {
      if (p.levels.size() != n) {
        diagnostics.error(
            p.where, fmt::format("{} has {} values but {} has {}: in a list "
                                 "design point k takes the k-th value of each",
                                 p.path.text, p.levels.size(), x.parameters.front().path.text, n));
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
    r.error(later.points, fmt::format("{} points times {} scenarios is more than the {} a sweep "
                                      "runs",
                                      x.points, x.scenarios.size(), kMostDesignPoints));
  }
}

void check_design_values(Diagnostics& diagnostics, const Experiment& x) {
  const long double points = x.design == DesignKind::latin_hypercube
                                 ? static_cast<long double>(x.points)
                                 : static_cast<long double>(design_size(x));
  if (points * static_cast<long double>(x.parameters.size()) > kMostDesignValues) {
    diagnostics.error(
        x.parameters.front().where,
        fmt::format("{:.0f} points of {} parameters is more than the {} values a "
                    "design may hold",
                    static_cast<double>(points), x.parameters.size(), kMostDesignValues));
  }
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
  const auto [line, column] = line_and_column(text, at);
  return {path, line, column};
}

}  // namespace

std::optional<Experiment> parse_experiment(std::string_view text, const std::string& path,
                                           Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  // The name and the file's text go into the sweep file and its report as UTF-8: text in
  // another encoding (Latin-1) is refused here, in an experiment file's words.
  if (const std::optional<std::size_t> at = first_invalid_utf8(text)) {
    diagnostics.error(place_of_byte(path, text, *at),
                      fmt::format("the byte 0x{:02X} is not UTF-8 text; an experiment file is "
                                  "UTF-8 (save it as UTF-8 in the editor)",
                                  static_cast<unsigned char>(text[*at])));
    return std::nullopt;
  }
  const std::optional<YamlTree> tree = parse_document(text, path, diagnostics);
  if (!tree) return std::nullopt;
  const YamlNode root = tree->root();
  if (!root.is_map()) {
    diagnostics.error({path, 1, 1},
                      "an experiment file is a mapping with scenario, parameters, "
                      "agents, replications and seed");
    return std::nullopt;
  }
  Reader r(path, diagnostics);
  Experiment x;
  x.path = path;
  x.text = std::string(text);
  Deferred later;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const std::string key = key_name(root.key(i));
    if (!seen.insert(key).second) {
      r.error(root.key(i), fmt::format("'{}' is given twice", key));
      continue;
    }
    read_top_key(r, path, root.key(i), root.value(i), x, later);
  }
  if (!later.scenario_key.exists()) {
    diagnostics.error({path, 1, 1},
                      "no scenario: name the base journey file (scenario: "
                      "retail.yaml) or several (scenarios: [a.yaml, b.yaml])");
  }
  read_design_settings(r, later, x);
  read_parameters(r, later.parameters, diagnostics, x);
  if (diagnostics.error_count() == errors_before) check_design_size(r, later, diagnostics, x);
  if (diagnostics.error_count() == errors_before) check_design_values(diagnostics, x);
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
