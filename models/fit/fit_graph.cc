// The skeleton's compiled graph seen from the fit, and observed paths mapped onto it.
#include "models/fit/fit_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

namespace cjsim::fit_detail {

FitGraph::FitGraph(const Scenario& skeleton) : journey(compile(skeleton)) {
  for (std::uint32_t v = 0; v < journey.touchpoint_count(); ++v) {
    if (journey.entry_weight[v] > 0.0) entries.push_back(v);
  }
  // compile() groups transitions by source stably, so the k-th transition of a source in the
  // file is the k-th of its row.
  std::vector<std::uint32_t> next(journey.touchpoint_count());
  for (std::uint32_t v = 0; v < next.size(); ++v) next[v] = journey.out_begin[v];
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t v = 0; v < journey.touchpoint_count(); ++v) {
    index.emplace(journey.touchpoint_ids[v], v);
  }
  compiled_transition.resize(skeleton.transitions.size());
  scenario_transition.resize(skeleton.transitions.size());
  for (std::uint32_t e = 0; e < skeleton.transitions.size(); ++e) {
    const std::uint32_t from = index.at(skeleton.transitions[e].from);
    const std::uint32_t compiled = next[from]++;
    compiled_transition[e] = compiled;
    scenario_transition[compiled] = e;
    transition_of_.emplace(std::pair(from, journey.transition_to[compiled]), compiled);
  }
}

std::int64_t FitGraph::transition_between(std::uint32_t from, std::uint32_t to) const {
  auto it = transition_of_.find({from, to});
  return it == transition_of_.end() ? -1 : static_cast<std::int64_t>(it->second);
}

namespace {

std::string describe_path(const ObservedJourneys& data, const ObservedPath& path) {
  std::string out;
  for (std::size_t i = 0; i < path.touchpoints.size() && i < 12; ++i) {
    if (i > 0) out += " > ";
    const std::uint32_t t = path.touchpoints[i];
    out += t < data.touchpoints.size() ? data.touchpoints[t] : fmt::format("#{}", t);
  }
  if (path.touchpoints.size() > 12) out += " > ...";
  return out;
}

}  // namespace

std::vector<DistinctPath> prepare_paths(const FitGraph& graph, const ObservedJourneys& data,
                                        Diagnostics& diagnostics) {
  const SourceLocation where{data.source, 0, 0};
  const std::vector<std::string>& ids = graph.journey.touchpoint_ids;
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t v = 0; v < graph.size(); ++v) index.emplace(ids[v], v);
  std::vector<std::int64_t> to_skeleton(data.touchpoints.size(), -1);
  for (std::size_t t = 0; t < data.touchpoints.size(); ++t) {
    auto it = index.find(data.touchpoints[t]);
    if (it != index.end()) to_skeleton[t] = it->second;
  }

  std::map<std::vector<std::uint32_t>, std::size_t> seen;
  std::vector<DistinctPath> paths;
  std::set<std::string> unknown;
  int errors = 0;
  auto fail = [&](std::size_t k, const ObservedPath& path, const std::string& why) {
    if (++errors <= 20) {
      diagnostics.error(where,
                        fmt::format("path {} ({}): {}", k + 1, describe_path(data, path), why));
    }
  };
  for (std::size_t k = 0; k < data.paths.size(); ++k) {
    const ObservedPath& path = data.paths[k];
    if (path.count == 0) continue;
    if (path.touchpoints.empty()) {
      fail(k, path, "it visits no touchpoint");
      continue;
    }
    DistinctPath mapped;
    bool ok = true;
    for (std::uint32_t t : path.touchpoints) {
      if (t >= to_skeleton.size() || to_skeleton[t] < 0) {
        const std::string name = t < data.touchpoints.size() ? data.touchpoints[t] : "?";
        if (unknown.insert(name).second) {
          diagnostics.error(
              where, fmt::format("touchpoint '{}' of the data is not in the skeleton", name));
        }
        ok = false;
        break;
      }
      mapped.touchpoints.push_back(static_cast<std::uint32_t>(to_skeleton[t]));
    }
    if (!ok) continue;
    const std::uint32_t entry = mapped.touchpoints.front();
    if (std::find(graph.entries.begin(), graph.entries.end(), entry) == graph.entries.end()) {
      fail(k, path,
           fmt::format("it starts at '{}', which has no entry weight in the skeleton", ids[entry]));
      continue;
    }
    if (static_cast<std::int64_t>(mapped.touchpoints.size()) > graph.journey.max_steps) {
      fail(k, path,
           fmt::format("it has {} touchpoints, more than max_steps ({})", mapped.touchpoints.size(),
                       graph.journey.max_steps));
      continue;
    }
    for (std::size_t i = 0; i + 1 < mapped.touchpoints.size(); ++i) {
      const std::int64_t e =
          graph.transition_between(mapped.touchpoints[i], mapped.touchpoints[i + 1]);
      if (e < 0) {
        fail(k, path,
             fmt::format("the skeleton has no transition from '{}' to '{}'",
                         ids[mapped.touchpoints[i]], ids[mapped.touchpoints[i + 1]]));
        ok = false;
        break;
      }
      mapped.transitions.push_back(static_cast<std::uint32_t>(e));
    }
    if (!ok) continue;
    auto [it, fresh] = seen.emplace(mapped.touchpoints, paths.size());
    if (fresh) {
      mapped.count = static_cast<double>(path.count);
      paths.push_back(std::move(mapped));
    } else {
      paths[it->second].count += static_cast<double>(path.count);
    }
  }
  if (errors > 20) {
    diagnostics.error(where, fmt::format("{} more paths the skeleton cannot produce", errors - 20));
  }
  if (paths.empty() && !diagnostics.has_errors()) {
    diagnostics.error(where, "the data hold no path to fit");
  }
  return paths;
}

}  // namespace cjsim::fit_detail
