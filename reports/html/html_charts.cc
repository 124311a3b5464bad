// ECharts options for the HTML report. Numbers are rounded here (to what a person reads) so
// that the tooltips need no formatting functions, which JSON cannot carry.
#include "reports/html/html_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cjsim {
namespace {

using nlohmann::json;

constexpr const char* kScenarioColours[] = {"#2f6db5", "#e8772e", "#2a9d8f",
                                            "#9b5de5", "#c9184a", "#6c757d"};
constexpr const char* kStageColours[] = {"#5470c6", "#91cc75", "#fac858", "#73c0de",
                                         "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"};

// Rates are shown in percent with one decimal, emotions with three.
json rounded(double x, double scale = 1.0, int decimals = 3) {
  if (!std::isfinite(x)) return nullptr;
  const double unit = std::pow(10.0, decimals);
  return std::round(x * scale * unit) / unit;
}

const StageFigures* find_stage(const Summary& s, const std::string& name) {
  for (const StageFigures& st : s.stages) {
    if (st.name == name) return &st;
  }
  return nullptr;
}

json base_option() {
  return {{"animationDuration", 600},
          {"textStyle", {{"fontFamily", "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}}},
          {"tooltip", {{"trigger", "item"}}}};
}

}  // namespace

const char* scenario_colour(std::size_t k) {
  return kScenarioColours[k % std::size(kScenarioColours)];
}

std::vector<std::string> stage_union(const ComparisonReport& r) {
  std::vector<std::string> stages;
  for (const Summary& s : r.summaries) {
    for (const StageFigures& st : s.stages) {
      if (std::find(stages.begin(), stages.end(), st.name) == stages.end())
        stages.push_back(st.name);
    }
  }
  return stages;
}

std::vector<JourneyStep> touchpoint_union(const ComparisonReport& r) {
  std::vector<JourneyStep> steps;
  for (const std::string& stage : stage_union(r)) {
    for (const Summary& s : r.summaries) {
      for (const TouchpointFigures& t : s.touchpoints) {
        if (t.stage != stage) continue;
        const bool known = std::any_of(steps.begin(), steps.end(),
                                       [&](const JourneyStep& x) { return x.id == t.id; });
        if (!known) steps.push_back({t.id, t.name, t.stage});
      }
    }
  }
  return steps;
}

MomentsOnMap moments_on_map(const Summary& s) {
  MomentsOnMap m;
  double impact = 0.0;
  std::uint64_t dropouts = 0;
  for (const TouchpointFigures& t : s.touchpoints) {
    const double e = std::abs(t.mean_emotion.value) * t.visits_per_agent.value;
    if (std::isfinite(e) && e > impact) {
      impact = e;
      m.emotion_id = t.id;
    }
    if (t.dropouts > dropouts) {
      dropouts = t.dropouts;
      m.dropout_id = t.id;
    }
  }
  return m;
}

namespace {

const TouchpointFigures* find_step(const std::vector<TouchpointFigures>& touchpoints,
                                   const std::string& id) {
  for (const TouchpointFigures& t : touchpoints) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// The curves of one view (all customers, or one persona's): per scenario its interval band
// (a transparent base and a stacked width) and its mean, overlaid in the scenario's colour.
json emotion_series(const ComparisonReport& r, const std::vector<JourneyStep>& steps,
                    const std::string& persona, const MomentsOnMap& moments, double& low,
                    double& high) {
  json series = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    const std::vector<TouchpointFigures>* touchpoints = &r.summaries[k].touchpoints;
    if (!persona.empty()) {
      touchpoints = nullptr;
      for (const PersonaFigures& p : r.summaries[k].personas) {
        if (p.id == persona) touchpoints = &p.touchpoints;
      }
      if (touchpoints == nullptr) continue;  // the persona is not in this scenario
    }
    json lower = json::array(), width = json::array(), mean = json::array();
    for (const JourneyStep& step : steps) {
      const TouchpointFigures* t = find_step(*touchpoints, step.id);
      const Estimate e = t && t->visits > 0 ? t->mean_emotion : Estimate{NAN, NAN, NAN};
      mean.push_back(rounded(e.value));
      const bool band = std::isfinite(e.low) && std::isfinite(e.high);
      lower.push_back(band ? rounded(e.low) : json(nullptr));
      width.push_back(band ? rounded(e.high - e.low) : json(nullptr));
      if (band) {
        low = std::min(low, e.low);
        high = std::max(high, e.high);
      } else if (std::isfinite(e.value)) {
        low = std::min(low, e.value);
        high = std::max(high, e.value);
      }
    }
    const std::string stack = fmt::format("band{}", k);
    const char* colour = scenario_colour(k);
    series.push_back({{"name", r.labels[k] + " (interval low)"},
                      {"type", "line"},
                      {"data", lower},
                      {"stack", stack},
                      {"stackStrategy", "all"},
                      {"symbol", "none"},
                      {"silent", true},
                      {"lineStyle", {{"opacity", 0}}},
                      {"tooltip", {{"show", false}}}});
    series.push_back({{"name", r.labels[k] + " (95% interval)"},
                      {"type", "line"},
                      {"data", width},
                      {"stack", stack},
                      {"stackStrategy", "all"},
                      {"symbol", "none"},
                      {"silent", true},
                      {"lineStyle", {{"opacity", 0}}},
                      {"areaStyle", {{"color", colour}, {"opacity", 0.16}}},
                      {"tooltip", {{"show", false}}}});
    json line = {{"name", r.labels[k]},
                 {"type", "line"},
                 {"data", mean},
                 {"symbolSize", 7},
                 {"connectNulls", true},
                 {"z", 3},
                 {"itemStyle", {{"color", colour}}},
                 {"lineStyle", {{"width", k == 0 ? 3 : 2}, {"color", colour}}}};
    if (k == 0) {
      // The moments of truth of the current state, on its curve; the cards carry the same marks.
      json marks = json::array();
      const auto mark = [&](const std::string& id, const char* text) {
        for (std::size_t i = 0; i < steps.size(); ++i) {
          if (steps[i].id != id || mean[i].is_null()) continue;
          marks.push_back(
              {{"coord", {static_cast<int>(i), mean[i]}}, {"name", text}, {"value", text}});
        }
      };
      if (persona.empty() && moments.emotion_id == moments.dropout_id) {
        mark(moments.emotion_id, "emotional impact and dropout");
      } else if (persona.empty()) {
        mark(moments.emotion_id, "emotional impact");
        mark(moments.dropout_id, "dropout");
      }
      if (!marks.empty()) {
        line["markPoint"] = {
            {"symbol", "pin"},
            {"symbolSize", 34},
            {"itemStyle", {{"color", "#7a1f5c"}}},
            {"label",
             {{"show", true}, {"formatter", "!"}, {"color", "#fff"}, {"fontWeight", "bold"}}},
            {"tooltip", {{"formatter", "moment of truth: largest {b}"}}},
            {"data", marks}};
      }
      line["markLine"] = {{"silent", true},
                          {"symbol", "none"},
                          {"label", {{"show", false}}},
                          {"lineStyle", {{"color", "#999"}, {"type", "dashed"}}},
                          {"data", json::array({{{"yAxis", 0}}})}};
    }
    series.push_back(std::move(line));
  }
  return series;
}

}  // namespace

json emotion_map_chart(const ComparisonReport& r, const MomentsOnMap& moments, json& views) {
  const std::vector<JourneyStep> steps = touchpoint_union(r);
  json option = base_option();
  option["tooltip"] = {{"trigger", "axis"}, {"confine", true}};
  option["grid"] = {
      {"left", 64}, {"right", 16}, {"top", 34}, {"bottom", 8}, {"containLabel", true}};
  json names = json::array();
  for (const JourneyStep& step : steps) names.push_back(step.name);
  option["xAxis"] = {{"type", "category"},
                     {"data", names},
                     {"boundaryGap", true},
                     // Every touchpoint's name where there is room; where there is not, ECharts
                     // leaves some out (the tooltip names each point).
                     {"axisLabel",
                      {{"rotate", 40},
                       {"fontSize", 11},
                       {"width", 120},
                       {"overflow", "truncate"},
                       {"hideOverlap", true}}}};
  // The stages as shaded bands behind the curve.
  json areas = json::array();
  for (std::size_t i = 0; i < steps.size();) {
    std::size_t j = i;
    while (j + 1 < steps.size() && steps[j + 1].stage == steps[i].stage) ++j;
    if (areas.size() % 2 == 0) {
      areas.push_back(
          json::array({{{"xAxis", static_cast<int>(i)}}, {{"xAxis", static_cast<int>(j)}}}));
    } else {
      areas.push_back(json::array());
    }
    i = j + 1;
  }
  json shaded = json::array();
  for (json& a : areas) {
    if (!a.empty()) shaded.push_back(std::move(a));
  }
  double low = 0.0, high = 0.0;
  views = json::array();
  json everyone = emotion_series(r, steps, "", moments, low, high);
  if (!everyone.empty() && !shaded.empty()) {
    everyone[0]["markArea"] = {
        {"silent", true}, {"itemStyle", {{"color", "rgba(120,130,150,0.08)"}}}, {"data", shaded}};
  }
  views.push_back({{"label", "All customers"}, {"series", everyone}});
  std::vector<std::string> personas;
  for (const Summary& s : r.summaries) {
    for (const PersonaFigures& p : s.personas) {
      if (std::find(personas.begin(), personas.end(), p.id) == personas.end())
        personas.push_back(p.id);
    }
  }
  if (personas.size() > 1) {
    for (const std::string& p : personas) {
      json series = emotion_series(r, steps, p, moments, low, high);
      if (!series.empty() && !shaded.empty()) series[0]["markArea"] = everyone[0]["markArea"];
      views.push_back({{"label", p}, {"series", std::move(series)}});
    }
  } else {
    views = json::array();
  }
  const double bottom = std::max(-1.0, std::floor((low - 0.05) * 10.0) / 10.0);
  const double top = std::min(1.0, std::ceil((high + 0.05) * 10.0) / 10.0);
  option["yAxis"] = {{"type", "value"},
                     {"min", bottom},
                     {"max", top},
                     {"name", "emotion"},
                     {"nameTextStyle", {{"align", "left"}}}};
  option["series"] = std::move(everyone);
  return option;
}

json sankey_chart(const Summary& s, const std::string& title, std::uint64_t& loops,
                  std::size_t& fullest_column, json& layout) {
  const std::size_t n = s.touchpoints.size();
  std::map<std::string, std::size_t> index;
  for (std::size_t v = 0; v < n; ++v) index[s.touchpoints[v].id] = v;

  // Node names must be unique; the touchpoint's name, with its id when names repeat.
  std::map<std::string, int> uses;
  for (const TouchpointFigures& t : s.touchpoints) ++uses[t.name];
  std::vector<std::string> names;
  for (const TouchpointFigures& t : s.touchpoints) {
    names.push_back(uses[t.name] > 1 ? fmt::format("{} ({})", t.name, t.id) : t.name);
  }
  // Journeys that ended dropped go to two sinks, those that gave up before converting and
  // customers that left after converting; to one, when the results do not split them.
  std::string start = "Start", dropped = "Dropped out", gave_up = "Gave up",
              left = "Left after converting", lost = "Lost (entry removed)";
  for (std::string* sink : {&start, &dropped, &gave_up, &left, &lost}) {
    while (uses.count(*sink)) *sink += " ";
  }
  const bool split = std::all_of(
      s.touchpoints.begin(), s.touchpoints.end(),
      [](const TouchpointFigures& t) { return t.dropouts_after_converting.has_value(); });

  // Edges with flow, by source; entries are the visits that no transition explains.
  std::vector<std::vector<std::pair<std::size_t, std::uint64_t>>> out(n);
  std::vector<std::uint64_t> inflow(n, 0);
  for (const TransitionFigures& e : s.transitions) {
    if (e.count == 0 || !index.count(e.from) || !index.count(e.to)) continue;
    out[index[e.from]].push_back({index[e.to], e.count});
    inflow[index[e.to]] += e.count;
  }
  // A Sankey must be acyclic. A depth-first search from the entries, then from the rest,
  // finds the edges that close a loop (to a touchpoint still on the search's path); those
  // are drawn into a "back to" node of their target instead, so every touchpoint's outflow
  // is drawn whole.
  enum Colour { white, grey, black };
  std::vector<Colour> colour(n, white);
  std::vector<std::vector<std::pair<std::size_t, std::uint64_t>>> kept(n), back(n);
  loops = 0;
  std::vector<std::size_t> order(n);
  for (std::size_t v = 0; v < n; ++v) order[v] = v;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return s.touchpoints[a].visits - inflow[a] > s.touchpoints[b].visits - inflow[b];
  });
  for (std::size_t root : order) {
    if (colour[root] != white) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack = {{root, 0}};
    colour[root] = grey;
    while (!stack.empty()) {
      auto& [v, next] = stack.back();
      if (next == out[v].size()) {
        colour[v] = black;
        stack.pop_back();
        continue;
      }
      const auto [w, count] = out[v][next++];
      if (colour[w] == grey) {
        loops += count;
        back[v].push_back({w, count});
        continue;
      }
      kept[v].push_back({w, count});
      if (colour[w] == white) {
        colour[w] = grey;
        stack.push_back({w, 0});
      }
    }
  }

  std::map<std::string, std::size_t> stage_index;
  for (std::size_t k = 0; k < s.stages.size(); ++k) stage_index[s.stages[k].name] = k;
  json nodes = json::array(), links = json::array();
  nodes.push_back({{"name", start}, {"itemStyle", {{"color", "#8d99ae"}}}});
  bool any_dropout = false, any_gave_up = false, any_left = false;
  std::vector<bool> returned_to(n, false);
  const auto back_name = [&](std::size_t w) { return "\u21a9 back to " + names[w]; };
  for (std::size_t v = 0; v < n; ++v) {
    const TouchpointFigures& t = s.touchpoints[v];
    if (t.visits == 0) continue;
    const std::size_t stage = stage_index.count(t.stage) ? stage_index[t.stage] : 0;
    nodes.push_back({{"name", names[v]},
                     {"itemStyle", {{"color", kStageColours[stage % std::size(kStageColours)]}}}});
    const std::uint64_t entries = t.visits > inflow[v] ? t.visits - inflow[v] : 0;
    if (entries > 0) links.push_back({{"source", start}, {"target", names[v]}, {"value", entries}});
    for (const auto& [w, count] : kept[v]) {
      links.push_back({{"source", names[v]}, {"target", names[w]}, {"value", count}});
    }
    for (const auto& [w, count] : back[v]) {
      returned_to[w] = true;
      links.push_back({{"source", names[v]}, {"target", back_name(w)}, {"value", count}});
    }
    if (split) {
      if (*t.dropouts_before_converting > 0) {
        any_gave_up = true;
        links.push_back(
            {{"source", names[v]}, {"target", gave_up}, {"value", *t.dropouts_before_converting}});
      }
      if (*t.dropouts_after_converting > 0) {
        any_left = true;
        links.push_back(
            {{"source", names[v]}, {"target", left}, {"value", *t.dropouts_after_converting}});
      }
    } else if (t.dropouts > 0) {
      any_dropout = true;
      links.push_back({{"source", names[v]}, {"target", dropped}, {"value", t.dropouts}});
    }
  }
  // Agents a future state lost at their entry (MODEL.md 1.11) start and end there at once;
  // only such a state has the sink.
  if (s.overall.lost > 0) {
    links.push_back({{"source", start}, {"target", lost}, {"value", s.overall.lost}});
    nodes.push_back({{"name", lost}, {"itemStyle", {{"color", "#6c757d"}}}});
  }
  if (any_dropout) nodes.push_back({{"name", dropped}, {"itemStyle", {{"color", "#d62828"}}}});
  if (any_gave_up) nodes.push_back({{"name", gave_up}, {"itemStyle", {{"color", "#d62828"}}}});
  if (any_left) nodes.push_back({{"name", left}, {"itemStyle", {{"color", "#457b9d"}}}});
  for (std::size_t w = 0; w < n; ++w) {
    if (returned_to[w])
      nodes.push_back({{"name", back_name(w)}, {"itemStyle", {{"color", "#adb5bd"}}}});
  }

  // The column ECharts puts each node in (its "justify" alignment): the longest path from a
  // node without inflow, and every node without outflow in the last column. The page gives
  // each label the room to the next column, and the chart the height its fullest column needs.
  std::map<std::string, std::size_t> node_index;
  for (std::size_t i = 0; i < nodes.size(); ++i) node_index[nodes[i]["name"]] = i;
  std::vector<std::vector<std::size_t>> next(nodes.size());
  std::vector<std::size_t> indegree(nodes.size(), 0), depth(nodes.size(), 0);
  for (const json& link : links) {
    const std::size_t a = node_index[link["source"]], b = node_index[link["target"]];
    next[a].push_back(b);
    ++indegree[b];
  }
  std::vector<std::size_t> ready;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (indegree[i] == 0) ready.push_back(i);
  }
  std::size_t columns = 1;
  while (!ready.empty()) {
    const std::size_t a = ready.back();
    ready.pop_back();
    for (std::size_t b : next[a]) {
      depth[b] = std::max(depth[b], depth[a] + 1);
      columns = std::max(columns, depth[b] + 1);
      if (--indegree[b] == 0) ready.push_back(b);
    }
  }
  std::vector<std::size_t> per_column(columns, 0);
  json depths = json::array();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (next[i].empty()) depth[i] = columns - 1;
    ++per_column[depth[i]];
    depths.push_back(depth[i]);
  }
  fullest_column = *std::max_element(per_column.begin(), per_column.end());

  json option = base_option();
  option["title"] = {{"text", title}, {"left", "center"}, {"textStyle", {{"fontSize", 14}}}};
  option["series"] =
      json::array({{{"type", "sankey"},
                    {"top", 40},
                    {"bottom", 16},
                    {"left", 12},
                    {"right", 12},
                    {"nodeGap", 28},
                    {"nodeWidth", 14},
                    {"nodeAlign", "justify"},
                    {"draggable", false},
                    {"emphasis", {{"focus", "adjacency"}}},
                    // Labels wrap within the room to the next column (the page sets `width`),
                    // in at most two lines; hovering a node shows its whole name.
                    {"label",
                     {{"fontSize", 10.5},
                      {"lineHeight", 13},
                      {"height", 26},
                      {"color", "#222"},
                      {"overflow", "break"},
                      {"lineOverflow", "truncate"},
                      {"textBorderColor", "#fff"},
                      {"textBorderWidth", 2}}},
                    {"labelLayout", {{"hideOverlap", true}}},
                    {"lineStyle", {{"color", "gradient"}, {"curveness", 0.5}, {"opacity", 0.3}}},
                    {"data", nodes},
                    {"links", links}}});
  layout = {{"columns", columns}, {"depth", depths}};
  return option;
}

json funnel_chart(const ComparisonReport& r) {
  // Bars rather than funnel shapes: side by side, funnels leave their labels no room.
  const std::vector<std::string> stages = stage_union(r);
  json option = base_option();
  option["grid"] = {{"left", 8}, {"right", 56}, {"top", 8}, {"bottom", 8}, {"containLabel", true}};
  option["yAxis"] = {{"type", "category"},
                     {"data", stages},
                     {"inverse", true},
                     {"axisLabel", {{"width", 110}, {"overflow", "truncate"}}}};
  option["xAxis"] = {{"type", "value"},
                     {"min", 0},
                     {"max", 100},
                     {"axisLabel", {{"formatter", "{value} %"}, {"hideOverlap", true}}}};
  json series = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    json data = json::array();
    for (const std::string& name : stages) {
      const StageFigures* st = find_stage(r.summaries[k], name);
      data.push_back(st ? rounded(st->reach_rate.value, 100.0, 1) : json(nullptr));
    }
    series.push_back(
        {{"name", r.labels[k]},
         {"type", "bar"},
         {"data", data},
         {"barMaxWidth", 22},
         {"itemStyle", {{"color", scenario_colour(k)}}},
         {"label",
          {{"show", true}, {"position", "right"}, {"formatter", "{c} %"}, {"fontSize", 11}}},
         {"labelLayout", {{"hideOverlap", true}}},
         {"tooltip", {{"formatter", "{a}<br/>{b}: {c} % of agents reach it"}}}});
  }
  option["series"] = std::move(series);
  return option;
}

json stage_dropout_chart(const ComparisonReport& r) {
  const std::vector<std::string> stages = stage_union(r);
  json option = base_option();
  option["grid"] = {{"left", 8}, {"right", 16}, {"top", 24}, {"bottom", 8}, {"containLabel", true}};
  option["xAxis"] = {
      {"type", "category"},
      {"data", stages},
      {"axisLabel", {{"hideOverlap", true}, {"width", 100}, {"overflow", "truncate"}}}};
  option["yAxis"] = {{"type", "value"}, {"axisLabel", {{"formatter", "{value} %"}}}};
  json series = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    json data = json::array();
    for (const std::string& name : stages) {
      const StageFigures* st = find_stage(r.summaries[k], name);
      data.push_back(st ? rounded(st->dropout_rate.value, 100.0, 1) : json(nullptr));
    }
    series.push_back(
        {{"name", r.labels[k]},
         {"type", "bar"},
         {"data", data},
         {"itemStyle", {{"color", scenario_colour(k)}}},
         {"label", {{"show", true}, {"position", "top"}, {"formatter", "{c}"}, {"fontSize", 10}}},
         {"labelLayout", {{"hideOverlap", true}}},
         {"tooltip", {{"formatter", "{a}<br/>{b}: {c} % drop out"}}}});
  }
  option["series"] = std::move(series);
  return option;
}

json dropout_change_chart(const ComparisonReport& r) {
  // The ten touchpoints with the largest change of dropout in any future state.
  std::map<std::string, double> largest;
  for (const Difference& d : r.differences) {
    if (d.metric != "dropout_rate" || !d.scope.starts_with("touchpoint:")) continue;
    if (!std::isfinite(d.difference.value)) continue;
    double& x = largest[d.scope.substr(11)];
    x = std::max(x, std::abs(d.difference.value));
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [id, x] : largest) ranked.push_back({x, id});
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  if (ranked.size() > 10) ranked.resize(10);
  std::reverse(ranked.begin(), ranked.end());  // the largest at the top of the chart
  std::map<std::string, std::string> names;
  for (const Summary& s : r.summaries) {
    for (const TouchpointFigures& t : s.touchpoints) names.emplace(t.id, t.name);
  }
  json categories = json::array();
  for (const auto& [x, id] : ranked) categories.push_back(names.count(id) ? names[id] : id);

  json option = base_option();
  option["grid"] = {{"left", 8}, {"right", 64}, {"top", 8}, {"bottom", 8}, {"containLabel", true}};
  option["yAxis"] = {{"type", "category"},
                     {"data", categories},
                     {"axisLabel", {{"width", 130}, {"overflow", "truncate"}}}};
  option["xAxis"] = {{"type", "value"}, {"axisLabel", {{"hideOverlap", true}}}};
  json series = json::array();
  for (std::size_t k = 1; k < r.summaries.size(); ++k) {
    json data = json::array();
    for (const auto& [x, id] : ranked) {
      json value = nullptr;
      for (const Difference& d : r.differences) {
        if (d.scenario == k && d.metric == "dropout_rate" && d.scope == "touchpoint:" + id) {
          value = rounded(d.difference.value, 100.0, 2);
        }
      }
      data.push_back(value);
    }
    series.push_back(
        {{"name", r.labels[k]},
         {"type", "bar"},
         {"data", data},
         {"itemStyle", {{"color", scenario_colour(k)}}},
         {"label", {{"show", true}, {"position", "right"}, {"formatter", "{c}"}, {"fontSize", 10}}},
         {"labelLayout", {{"hideOverlap", true}}},
         {"tooltip", {{"formatter", "{a}<br/>{b}: {c} percentage points"}}}});
  }
  option["series"] = std::move(series);
  return option;
}

}  // namespace cjsim
