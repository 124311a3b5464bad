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

json legend_of(const ComparisonReport& r) {
  json names = json::array();
  for (const std::string& label : r.labels) names.push_back(label);
  return {{"data", names}, {"top", 0}};
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

json emotion_curve_chart(const ComparisonReport& r) {
  const std::vector<std::string> stages = stage_union(r);
  json option = base_option();
  option["legend"] = legend_of(r);
  option["grid"] = {{"left", 70}, {"right", 40}, {"top", 50}, {"bottom", 40}};
  option["xAxis"] = {{"type", "category"},
                     {"data", stages},
                     {"boundaryGap", false},
                     {"axisLabel", {{"fontSize", 13}}}};
  double low = 0.0, high = 0.0;
  json series = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    json lower = json::array(), width = json::array(), mean = json::array();
    for (const std::string& name : stages) {
      const StageFigures* st = find_stage(r.summaries[k], name);
      const Estimate e = st ? st->mean_emotion : Estimate{NAN, NAN, NAN};
      mean.push_back(rounded(e.value));
      const bool band = std::isfinite(e.low) && std::isfinite(e.high);
      lower.push_back(band ? rounded(e.low) : json(nullptr));
      width.push_back(band ? rounded(e.high - e.low) : json(nullptr));
      if (band) {
        low = std::min(low, e.low);
        high = std::max(high, e.high);
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
                      {"areaStyle", {{"color", colour}, {"opacity", 0.18}}},
                      {"tooltip", {{"show", false}}}});
    json line = {
        {"name", r.labels[k]},
        {"type", "line"},
        {"data", mean},
        {"symbolSize", 9},
        {"connectNulls", true},
        {"itemStyle", {{"color", colour}}},
        {"lineStyle", {{"width", 3}, {"color", colour}}},
        {"label",
         {{"show", k == 0}, {"position", "top"}, {"color", colour}, {"fontWeight", "bold"}}},
        {"tooltip", {{"formatter", "{a}<br/>{b}: mean emotion {c}"}}}};
    if (k == 0) {
      line["markLine"] = {{"silent", true},
                          {"symbol", "none"},
                          {"label", {{"show", false}}},
                          {"lineStyle", {{"color", "#999"}, {"type", "dashed"}}},
                          {"data", json::array({{{"yAxis", 0}}})}};
    }
    series.push_back(std::move(line));
  }

  // Each persona's own curve, on demand: listed in the legend, hidden until clicked. Dashed,
  // in its scenario's colour, one marker shape per persona.
  constexpr const char* kPersonaSymbols[] = {"rect", "triangle", "diamond", "pin", "arrow",
                                             "roundRect", "circle"};
  json legend = legend_of(r);
  json selected = json::object();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    const std::vector<PersonaFigures>& personas = r.summaries[k].personas;
    if (personas.size() < 2) continue;
    for (std::size_t p = 0; p < personas.size(); ++p) {
      const std::string name = r.summaries.size() == 1
                                   ? "persona " + personas[p].id
                                   : r.labels[k] + " \u00b7 " + personas[p].id;
      json mean = json::array();
      for (const std::string& stage : stages) {
        const StageFigures* st = nullptr;
        for (const StageFigures& candidate : personas[p].stages) {
          if (candidate.name == stage) st = &candidate;
        }
        const double value = st ? st->mean_emotion.value : NAN;
        mean.push_back(rounded(value));
        if (std::isfinite(value)) {
          low = std::min(low, value);
          high = std::max(high, value);
        }
      }
      const char* colour = scenario_colour(k);
      series.push_back({{"name", name},
                        {"type", "line"},
                        {"data", mean},
                        {"symbol", kPersonaSymbols[p % std::size(kPersonaSymbols)]},
                        {"symbolSize", 8},
                        {"connectNulls", true},
                        {"itemStyle", {{"color", colour}}},
                        {"lineStyle", {{"width", 2}, {"type", "dashed"}, {"color", colour}}},
                        {"tooltip", {{"formatter", "{a}<br/>{b}: mean emotion {c}"}}}});
      legend["data"].push_back(name);
      selected[name] = false;
    }
  }
  if (!selected.empty()) {
    legend["selected"] = std::move(selected);
    legend["type"] = "scroll";
    option["legend"] = std::move(legend);
  }

  const double bottom = std::max(-1.0, std::floor((low - 0.05) * 10.0) / 10.0);
  const double top = std::min(1.0, std::ceil((high + 0.05) * 10.0) / 10.0);
  option["yAxis"] = {{"type", "value"},
                     {"min", bottom},
                     {"max", top},
                     {"name", "emotion (-1 furious .. +1 delighted)"},
                     {"nameLocation", "middle"},
                     {"nameGap", 45}};
  option["series"] = std::move(series);
  return option;
}

json sankey_chart(const Summary& s, const std::string& title, std::uint64_t& loops) {
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
              left = "Left after converting";
  for (std::string* sink : {&start, &dropped, &gave_up, &left}) {
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
  if (any_dropout) nodes.push_back({{"name", dropped}, {"itemStyle", {{"color", "#d62828"}}}});
  if (any_gave_up) nodes.push_back({{"name", gave_up}, {"itemStyle", {{"color", "#d62828"}}}});
  if (any_left) nodes.push_back({{"name", left}, {"itemStyle", {{"color", "#457b9d"}}}});
  for (std::size_t w = 0; w < n; ++w) {
    if (returned_to[w]) nodes.push_back({{"name", back_name(w)}, {"itemStyle", {{"color", "#adb5bd"}}}});
  }

  json option = base_option();
  option["title"] = {{"text", title}, {"left", "center"}, {"textStyle", {{"fontSize", 14}}}};
  option["series"] =
      json::array({{{"type", "sankey"},
                    {"top", 40},
                    {"bottom", 20},
                    {"left", 20},
                    {"right", 200},
                    {"nodeGap", 10},
                    {"nodeWidth", 16},
                    {"draggable", false},
                    {"emphasis", {{"focus", "adjacency"}}},
                    {"label", {{"fontSize", 11}, {"color", "#222"}}},
                    // Where small touchpoints crowd a column, their labels would print over
                    // each other: the smaller ones are hidden (hovering shows every name).
                    {"labelLayout", {{"hideOverlap", true}}},
                    {"lineStyle", {{"color", "gradient"}, {"curveness", 0.5}, {"opacity", 0.3}}},
                    {"data", nodes},
                    {"links", links}}});
  return option;
}

json funnel_chart(const ComparisonReport& r) {
  const std::vector<std::string> stages = stage_union(r);
  const double n = static_cast<double>(r.summaries.size());
  json option = base_option();
  json series = json::array(), titles = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    json data = json::array();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const StageFigures* st = find_stage(r.summaries[k], stages[i]);
      const double opacity =
          1.0 - 0.5 * static_cast<double>(i) / std::max<std::size_t>(1, stages.size());
      data.push_back({{"name", stages[i]},
                      {"value", st ? rounded(st->reach_rate.value, 100.0, 1) : json(0)},
                      {"itemStyle", {{"color", scenario_colour(k)}, {"opacity", opacity}}}});
    }
    const double left = 100.0 * k / n;
    series.push_back(
        {{"name", r.labels[k]},
         {"type", "funnel"},
         {"sort", "none"},
         {"min", 0},
         {"max", 100},
         {"gap", 3},
         {"left", fmt::format("{:.1f}%", left + 2.0)},
         {"width", fmt::format("{:.1f}%", 100.0 / n * 0.55)},
         {"top", 40},
         {"bottom", 10},
         {"label",
          {{"show", true}, {"position", "right"}, {"formatter", "{b}: {c} %"}, {"color", "#333"}}},
         {"labelLine", {{"show", true}, {"length", 8}}},
         {"tooltip", {{"formatter", "{a}<br/>{b}: {c} % of agents reach it"}}},
         {"data", data}});
    titles.push_back({{"text", r.labels[k]},
                      {"left", fmt::format("{:.1f}%", left + 2.0 + 27.5 / n)},
                      {"textAlign", "center"},
                      {"textStyle", {{"fontSize", 14}, {"color", scenario_colour(k)}}}});
  }
  option["title"] = std::move(titles);
  option["series"] = std::move(series);
  return option;
}

json stage_dropout_chart(const ComparisonReport& r) {
  const std::vector<std::string> stages = stage_union(r);
  json option = base_option();
  option["legend"] = legend_of(r);
  option["grid"] = {{"left", 70}, {"right", 30}, {"top", 50}, {"bottom", 40}};
  option["xAxis"] = {{"type", "category"}, {"data", stages}};
  option["yAxis"] = {{"type", "value"},
                     {"name", "% of those reaching the stage who drop there"},
                     {"nameLocation", "middle"},
                     {"nameGap", 45}};
  json series = json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    json data = json::array();
    for (const std::string& name : stages) {
      const StageFigures* st = find_stage(r.summaries[k], name);
      data.push_back(st ? rounded(st->dropout_rate.value, 100.0, 1) : json(nullptr));
    }
    series.push_back({{"name", r.labels[k]},
                      {"type", "bar"},
                      {"data", data},
                      {"itemStyle", {{"color", scenario_colour(k)}}},
                      {"label", {{"show", true}, {"position", "top"}, {"formatter", "{c} %"}}},
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
  json legend = legend_of(r);
  legend["data"].erase(0);
  option["legend"] = legend;
  option["grid"] = {{"left", 180}, {"right", 60}, {"top", 40}, {"bottom", 40}};
  option["yAxis"] = {{"type", "category"}, {"data", categories}};
  option["xAxis"] = {{"type", "value"},
                     {"name", "change of dropout per visit (percentage points)"},
                     {"nameLocation", "middle"},
                     {"nameGap", 28}};
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
    series.push_back({{"name", r.labels[k]},
                      {"type", "bar"},
                      {"data", data},
                      {"itemStyle", {{"color", scenario_colour(k)}}},
                      {"label", {{"show", true}, {"position", "right"}, {"formatter", "{c} pp"}}},
                      {"tooltip", {{"formatter", "{a}<br/>{b}: {c} pp"}}}});
  }
  option["series"] = std::move(series);
  return option;
}

}  // namespace cjsim
