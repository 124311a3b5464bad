// The HTML report: sections written as HTML text, charts as ECharts options in one JSON block
// that a small script in the page template hands to the embedded library.
#include "reports/html/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <stdexcept>

#include "cjsim_version.h"
#include "reports/html/draws_html.h"
#include "reports/html/html_assets.h"
#include "reports/html/html_charts.h"
#include "reports/html/html_page.h"
#include "reports/html/sweep_html.h"
#include "reports/render/compare_report.h"
#include "reports/render/report_format.h"
#include "reports/render/sweep_report.h"
#include "reports/render/text_report.h"
#include "scenarios/diagnostic.h"
#include "scenarios/diff.h"
#include "scenarios/loader.h"

namespace cjsim {
namespace {

using nlohmann::json;

using html_page::Charts;
using html_page::fill;

std::string dot(std::size_t k) {
  return fmt::format("<span class=\"dot\" style=\"background:{}\"></span>", scenario_colour(k));
}

std::string scenario_heading(const ComparisonReport& r, std::size_t k) {
  return dot(k) + html_escape(r.labels[k]);
}

// A figure with its interval under it.
std::string figure_cell(std::string_view metric, const Estimate& e) {
  return fmt::format("<td class=\"num\">{}<span class=\"ci\">{}</span></td>",
                     html_escape(figure_text(metric, e.value)),
                     html_escape(interval_text(metric, e)));
}

// Whether a significant change of the figure is an improvement, from the figure table: "better",
// "worse", or "changed" for a figure with no better direction (visits per touchpoint); "" when
// the change is within the noise.
std::string verdict(const Difference& d) {
  if (!d.significant) return "";
  const Figure* f = find_figure(d.metric);
  const Better better = f ? f->better : Better::neither;
  if (better == Better::neither) return "changed";
  return (better == Better::lower) == (d.difference.value < 0) ? "better" : "worse";
}

std::string verdict_tag(const Difference& d) {
  const std::string v = verdict(d);
  if (v.empty()) return "";
  return fmt::format(" <span class=\"tag {}\">{}</span>", v, v);
}

std::string difference_cell(const Difference* d) {
  if (d == nullptr) return "<td class=\"num\"></td>";
  return fmt::format("<td class=\"num {}\">{}{}<span class=\"ci\">{}</span></td>", verdict(*d),
                     html_escape(difference_text(d->metric, d->difference.value)), verdict_tag(*d),
                     html_escape(difference_interval_text(d->metric, d->difference)));
}

// The scenarios' colours as a key above a chart (a page's own text wraps where a chart's legend
// cannot).
std::string scenario_key(const ComparisonReport& r) {
  if (r.labels.size() < 2) return "";
  std::string out = "<div class=\"key\">";
  for (std::size_t k = 0; k < r.labels.size(); ++k) {
    out += fmt::format("<span>{}{}{}</span>", dot(k), html_escape(r.labels[k]),
                       k == 0 ? " (current)" : "");
  }
  return out + "</div>\n";
}

const Difference* find_difference(const ComparisonReport& r, std::size_t k, std::string_view metric,
                                  std::string_view scope) {
  for (const Difference& d : r.differences) {
    if (d.scenario == k && d.metric == metric && d.scope == scope) return &d;
  }
  return nullptr;
}

std::string header(const ComparisonReport& r, bool comparison, bool draws = false) {
  const Summary& first = r.summaries.front();
  const RunMetadata& m = r.metadata.front();
  std::string title = comparison ? fmt::format("{} vs {}", r.labels[0],
                                               counted(r.labels.size() - 1, "future state"))
                                 : r.labels[0];
  std::string out = "<header>\n";
  out += fmt::format("<h1>{}</h1>\n", html_escape(title));
  out += fmt::format(
      "<p>{} agents{} &middot; {} &middot; seed {} &middot; cjsim {} "
      "&middot; {}</p>\n",
      with_thousands(first.agents_per_replication), comparison ? ", paired" : "",
      counted(first.replications, "replication"), m.seed, html_escape(m.software_version),
      html_escape(m.created));
  out += "</header>\n<nav>";
  if (draws) out += "<a href=\"#how-sure\">How sure it is</a>";
  if (comparison) out += "<a href=\"#answer\">The answer</a>";
  out +=
      "<a href=\"#headline\">Headline</a><a href=\"#map\">Journey map</a>"
      "<a href=\"#flows\">Flows</a><a href=\"#funnel\">Funnel</a>";
  if (comparison) out += "<a href=\"#moments\">Moments of truth</a>";
  out +=
      "<a href=\"#personas\">Personas</a><a href=\"#touchpoints\">Touchpoints</a>"
      "<a href=\"#scenario\">Scenario as run</a></nav>\n";
  return out;
}

std::string headline_section(const ComparisonReport& r, bool comparison) {
  const std::size_t n = r.summaries.size();
  std::string out = "<section id=\"headline\">\n<h2>Headline figures</h2>\n";
  std::string method = r.method;  // a sentence of its own here
  if (!method.empty())
    method[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(method[0])));
  out += fmt::format("<p class=\"note\">95% intervals under each figure. {}.{}</p>\n",
                     html_escape(method),
                     comparison ? " Differences are future minus current; a tag says whether a "
                                  "difference beyond the noise (its interval excludes 0) is better "
                                  "or worse; no tag, within the noise."
                                : "");
  out += "<table><thead><tr><th>figure</th>";
  for (std::size_t k = 0; k < n; ++k)
    out += "<th class=\"num\">" + scenario_heading(r, k) + "</th>";
  for (std::size_t k = 1; k < n; ++k) {
    out += fmt::format("<th class=\"num\" data-label=\"difference, {}\">difference{}</th>",
                       html_escape(r.labels[k]), n > 2 ? " " + dot(k) : std::string());
  }
  out += "</tr></thead><tbody>\n";
  for (const Figure& f : kHeadlineFigures) {
    out += "<tr><td>" + html_escape(f.label) + "</td>";
    for (const Summary& s : r.summaries) out += figure_cell(f.name, s.overall.*f.member);
    for (std::size_t k = 1; k < n; ++k)
      out += difference_cell(find_difference(r, k, f.name, "overall"));
    out += "</tr>\n";
  }
  out +=
      "</tbody></table>\n<h3>Agents and how their journeys ended</h3>\n"
      "<table><thead><tr><th></th>";
  for (std::size_t k = 0; k < n; ++k)
    out += "<th class=\"num\">" + scenario_heading(r, k) + "</th>";
  out += "</tr></thead><tbody>\n";
  auto count_row = [&](std::string_view label, auto get) {
    out += fmt::format("<tr><td>{}</td>", label);
    for (const Summary& s : r.summaries) {
      const std::uint64_t x = get(s.overall);
      const double share = s.overall.agents == 0 ? 0.0 : static_cast<double>(x) / s.overall.agents;
      out += fmt::format("<td class=\"num\">{}<span class=\"ci\">{}</span></td>", with_thousands(x),
                         percent(share, 1));
    }
    out += "</tr>\n";
  };
  count_row("agents", [](const HeadlineFigures& h) { return h.agents; });
  count_row("converted (customers)", [](const HeadlineFigures& h) { return h.conversions; });
  for (int e = 0; e < kEndingCount; ++e) {
    count_row(kEndingNames[e], [e](const HeadlineFigures& h) { return h.ended[e]; });
    if (e != static_cast<int>(Ending::dropped)) continue;
    // The dropped journeys split, when every scenario's results count it.
    if (!std::all_of(r.summaries.begin(), r.summaries.end(),
                     [](const Summary& s) { return s.overall.gave_up.has_value(); })) {
      continue;
    }
    count_row("&nbsp;&nbsp;gave up before converting",
              [](const HeadlineFigures& h) { return *h.gave_up; });
    count_row("&nbsp;&nbsp;left after converting",
              [](const HeadlineFigures& h) { return *h.left_after_converting; });
  }
  // Only a future state that lost an entry's traffic has lost agents (MODEL.md 1.11).
  if (std::any_of(r.summaries.begin(), r.summaries.end(),
                  [](const Summary& s) { return s.overall.lost > 0; })) {
    count_row(fmt::format("{} (started at an entry the future state removed)", kLostEndingName),
              [](const HeadlineFigures& h) { return h.lost; });
  }
  out += "</tbody></table>\n</section>\n";
  return out;
}

// Red for a bad experience, grey neutral, green for a good one.
std::string emotion_colour(double e) {
  if (!std::isfinite(e)) return "#bbb";
  const double t = std::clamp(e, -1.0, 1.0);
  const auto mix = [&](int a, int b, double w) { return static_cast<int>(a + (b - a) * w); };
  if (t < 0) {
    const double w = std::min(1.0, -t / 0.5);
    return fmt::format("#{:02x}{:02x}{:02x}", mix(160, 214, w), mix(160, 40, w), mix(160, 40, w));
  }
  const double w = std::min(1.0, t / 0.5);
  return fmt::format("#{:02x}{:02x}{:02x}", mix(160, 27, w), mix(160, 150, w), mix(160, 70, w));
}

const TouchpointFigures* find_touchpoint(const Summary& s, const std::string& id) {
  for (const TouchpointFigures& t : s.touchpoints) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// One line of a card or a stage's facts: the figure in every scenario, in its colour. The
// values wrap onto the next line when the column is narrow.
template <class Get>
std::string value_line(const ComparisonReport& r, const char* label, Get get) {
  std::string out = fmt::format("<div class=\"vals\"><span class=\"k\">{}</span>", label);
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    const std::optional<std::string> text = get(r.summaries[k]);
    out += fmt::format("<span class=\"v\" style=\"color:{}\">{}</span>",
                       r.summaries.size() > 1 ? scenario_colour(k) : "inherit",
                       text ? html_escape(*text) : "&ndash;");
  }
  return out + "</div>";
}

// The journey map's words of one scenario, read back from the text its results recorded (so
// that a live run and a stored file show the same). Empty when the text cannot be read back.
struct MapWords {
  std::string notes;
  std::map<std::string, TouchpointWords, std::less<>> touchpoints;  // by touchpoint id
  std::map<std::string, StageWords, std::less<>> stages;            // by stage name
  std::map<std::string, PersonaWords, std::less<>> personas;        // by persona id
};

MapWords map_words(const RunMetadata& m) {
  MapWords words;
  if (m.scenario_text.empty()) return words;
  std::vector<SourceFile> bases;
  for (const auto& [path, text] : m.base_files) bases.push_back({path, text});
  Diagnostics diagnostics;
  const std::optional<Scenario> s =
      parse_recorded_scenario(m.scenario_text, m.scenario_path, bases, diagnostics);
  if (!s) return words;
  words.notes = s->notes;
  for (const Touchpoint& t : s->touchpoints) words.touchpoints[t.id] = t.words;
  for (const auto& [name, stage] : s->stage_words) words.stages[name] = stage.words;
  for (const Persona& p : s->personas) words.personas[p.id] = p.words;
  return words;
}

// Every scenario's words, index-aligned with the report's scenarios.
std::vector<MapWords> report_words(const ComparisonReport& r) {
  std::vector<MapWords> out;
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    out.push_back(k < r.metadata.size() ? map_words(r.metadata[k]) : MapWords{});
  }
  return out;
}

template <class Map>
const typename Map::mapped_type* find_words(const Map& map, std::string_view key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// A persona's name for people: its name when the scenarios give one, else its id.
std::string persona_label(const std::vector<MapWords>& words, const std::string& id) {
  for (const MapWords& w : words) {
    const PersonaWords* p = find_words(w.personas, id);
    if (p && !p->name.empty()) return p->name;
  }
  return id;
}

// A list of texts, each item escaped; longer lists fold into a details element.
std::string text_list(const TextList& items, const char* css, const char* title) {
  if (items.empty()) return "";
  std::string list = fmt::format("<ul class=\"{}\">", css);
  for (const std::string& item : items) list += "<li>" + html_escape(item) + "</li>";
  list += "</ul>";
  if (items.size() > 3) {
    return fmt::format("<details class=\"{}\"><summary>{} ({})</summary>{}</details>", css, title,
                       items.size(), list);
  }
  return fmt::format("<div class=\"{}\"><span class=\"wk\">{}</span>{}</div>", css, title, list);
}

// A touchpoint's words on its card; with `only_changed_from`, just the words that differ.
std::string touchpoint_words_html(const TouchpointWords& w,
                                  const TouchpointWords* only_changed_from = nullptr) {
  const auto show = [&](auto member) {
    return only_changed_from == nullptr || w.*member != only_changed_from->*member;
  };
  std::string out;
  if (show(&TouchpointWords::description) && !w.description.empty())
    out += "<p class=\"desc\">" + html_escape(w.description) + "</p>";
  if (show(&TouchpointWords::customer_action) && !w.customer_action.empty())
    out += "<p class=\"action\"><span class=\"wk\">customer does</span> " +
           html_escape(w.customer_action) + "</p>";
  if (show(&TouchpointWords::thoughts)) out += text_list(w.thoughts, "thoughts", "thinks");
  if (show(&TouchpointWords::pain_points))
    out += text_list(w.pain_points, "pains", "&#9679; pain points");
  if (show(&TouchpointWords::opportunities))
    out += text_list(w.opportunities, "opps", "&#9650; opportunities");
  std::string who;
  if (show(&TouchpointWords::owner) && !w.owner.empty()) who += "owner: " + html_escape(w.owner);
  if (show(&TouchpointWords::lane) && !w.lane.empty())
    who += (who.empty() ? "" : " &middot; ") + std::string("lane: ") + html_escape(w.lane);
  if (!who.empty()) out += "<p class=\"owner\">" + who + "</p>";
  return out.empty() ? "" : "<div class=\"words\">" + out + "</div>";
}

std::string touchpoint_card(const ComparisonReport& r, const JourneyStep& step,
                            const MomentsOnMap& moments, const std::vector<MapWords>& words) {
  const TouchpointFigures* current = find_touchpoint(r.summaries[0], step.id);
  const TouchpointFigures* any = current;
  for (std::size_t k = 1; any == nullptr && k < r.summaries.size(); ++k) {
    any = find_touchpoint(r.summaries[k], step.id);
  }
  std::string tag;
  if (current == nullptr) tag = " <span class=\"tag\">new</span>";
  for (std::size_t k = 1; current && k < r.summaries.size(); ++k) {
    if (!find_touchpoint(r.summaries[k], step.id)) tag = " <span class=\"tag\">removed</span>";
  }
  std::vector<std::string> marks;
  if (step.id == moments.emotion_id) marks.push_back("largest emotional impact");
  if (step.id == moments.dropout_id) marks.push_back("most dropouts");
  std::string out = fmt::format(
      "<div class=\"card{}\" style=\"border-left-color:{}\" data-touchpoint=\"{}\"><b>{}</b>{} "
      "<span class=\"channel\">{}</span>",
      marks.empty() ? "" : " moment", emotion_colour(any->mean_emotion.value), html_escape(step.id),
      html_escape(step.name), tag, html_escape(any->channel));
  for (const std::string& m : marks) {
    out += fmt::format("<div class=\"moment-tag\">&#9873; moment of truth: {}</div>", m);
  }
  // The words of the first scenario that has the touchpoint; a future state's changed words
  // under them, in its colour.
  const TouchpointWords* shown = nullptr;
  for (std::size_t k = 0; shown == nullptr && k < words.size(); ++k) {
    shown = find_words(words[k].touchpoints, step.id);
  }
  if (shown) out += touchpoint_words_html(*shown);
  for (std::size_t k = 1; shown && k < words.size(); ++k) {
    const TouchpointWords* w = find_words(words[k].touchpoints, step.id);
    if (w == nullptr || w == shown || *w == *shown) continue;
    const std::string changed = touchpoint_words_html(*w, shown);
    if (changed.empty()) continue;
    out += fmt::format("<div class=\"future-words\" style=\"border-left-color:{}\">{} {}{}</div>",
                       scenario_colour(k), dot(k), html_escape(r.labels[k]), changed);
  }
  const auto of = [&](std::string_view metric, Estimate TouchpointFigures::*member) {
    return [&step, metric, member](const Summary& s) -> std::optional<std::string> {
      const TouchpointFigures* t = find_touchpoint(s, step.id);
      if (t == nullptr) return std::nullopt;
      return figure_text(metric, (t->*member).value);
    };
  };
  out +=
      value_line(r, "visits/agent", of("visits_per_agent", &TouchpointFigures::visits_per_agent));
  out += value_line(r, "dropout", of("dropout_rate", &TouchpointFigures::dropout_rate));
  out += value_line(r, "emotion", of("mean_emotion", &TouchpointFigures::mean_emotion));
  return out + "</div>\n";
}

// A stage's words under its heading; with `only_changed_from`, just the words that differ.
std::string stage_words_html(const StageWords& w, const StageWords* only_changed_from = nullptr) {
  std::string out;
  if (!w.description.empty() &&
      (only_changed_from == nullptr || w.description != only_changed_from->description))
    out += "<p class=\"desc\">" + html_escape(w.description) + "</p>";
  if (only_changed_from == nullptr || w.goals != only_changed_from->goals)
    out += text_list(w.goals, "goals", "customer goals");
  return out.empty() ? "" : "<div class=\"words\">" + out + "</div>";
}

// The journey's notes, each scenario's own, near the top of the map.
std::string notes_html(const ComparisonReport& r, const std::vector<MapWords>& words) {
  std::string out;
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (words[k].notes.empty()) continue;
    out += "<div class=\"journey-notes\"><b>Notes";
    if (r.summaries.size() > 1) out += " &middot; " + scenario_heading(r, k);
    out += "</b><p>" + html_escape(words[k].notes) + "</p></div>\n";
  }
  return out;
}

// The service blueprint: a row per lane (frontstage above the line of visibility, backstage and
// support below it), a column per stage, each touchpoint named in its cell. Only when some
// touchpoint names its lane; touchpoints without one go in a last row.
std::string blueprint_html(const std::vector<std::string>& stages,
                           const std::vector<JourneyStep>& steps,
                           const std::vector<MapWords>& words) {
  const auto lane_of = [&](const std::string& id) -> std::string {
    for (const MapWords& w : words) {
      if (const TouchpointWords* t = find_words(w.touchpoints, id)) return t->lane;
    }
    return "";
  };
  std::vector<std::string> lanes;
  const bool unlaned = std::any_of(steps.begin(), steps.end(), [&](const JourneyStep& step) {
    return lane_of(step.id).empty();
  });
  for (const char* lane : kLanes) {
    if (std::any_of(steps.begin(), steps.end(),
                    [&](const JourneyStep& step) { return lane_of(step.id) == lane; }))
      lanes.push_back(lane);
  }
  if (lanes.empty()) return "";
  if (unlaned) lanes.push_back("");
  std::string out =
      "<h3>Service blueprint</h3>\n<p class=\"note\">The touchpoints by lane and stage: what the "
      "customer sees above the line of visibility, what staff and systems do out of sight "
      "below it.</p>\n<div class=\"blueprint-wrap\">";
  out += fmt::format("<div class=\"blueprint\" style=\"--stages:{}\">", stages.size());
  out += "<div class=\"bp-corner\"></div>";
  for (const std::string& stage : stages) {
    out += "<div class=\"bp-stage\">" + html_escape(stage) + "</div>";
  }
  bool above = true;
  for (const std::string& lane : lanes) {
    if (above && (lane == "backstage" || lane == "support")) {
      out += fmt::format(
          "<div class=\"bp-visibility\" style=\"grid-column:1 / span {}\">line of "
          "visibility</div>",
          stages.size() + 1);
      above = false;
    }
    out += fmt::format("<div class=\"bp-lane\">{}</div>",
                       lane.empty() ? "no lane given" : html_escape(lane));
    for (const std::string& stage : stages) {
      out += "<div class=\"bp-cell\">";
      for (const JourneyStep& step : steps) {
        if (step.stage == stage && lane_of(step.id) == lane) {
          out += fmt::format("<span class=\"bp-tp\" data-touchpoint=\"{}\">{}</span>",
                             html_escape(step.id), html_escape(step.name));
        }
      }
      out += "</div>";
    }
  }
  return out + "</div></div>\n";
}

std::string map_section(const ComparisonReport& r, Charts& charts,
                        const std::vector<MapWords>& words) {
  const std::vector<std::string> stages = stage_union(r);
  const std::vector<JourneyStep> steps = touchpoint_union(r);
  const MomentsOnMap moments = moments_on_map(r.summaries[0]);
  const bool comparison = r.summaries.size() > 1;
  std::string out = "<section id=\"map\">\n<h2>Journey map</h2>\n";
  out += fmt::format(
      "<p class=\"note\">The emotion curve touchpoint by touchpoint, in stage order (shaded "
      "bands): mean emotion after a visit, with its 95% interval as a band{}. &#9873; marks the "
      "moments of truth{}: the touchpoint with the largest emotional impact (its mean emotion's "
      "size times its visits per agent) and the one where the most journeys end.</p>\n",
      comparison ? ", current and future states overlaid" : "",
      comparison ? " of the current state" : "");
  out += notes_html(r, words);
  out += scenario_key(r);
  json views;
  json option = emotion_map_chart(r, moments, views);
  // The persona views' buttons name the personas (the first view is all customers).
  for (std::size_t i = 1; i < views.size(); ++i) {
    views[i]["label"] = persona_label(words, views[i]["label"].get<std::string>());
  }
  json extra = json::object();
  if (!views.empty()) extra["views"] = std::move(views);
  out += charts.add(std::move(option), 360, "", std::move(extra));
  out +=
      "<p class=\"note\">Under the curve, each stage's touchpoints: visits per agent, dropout "
      "per visit and mean emotion (border colour: red negative, green positive)";
  out += comparison ? ", each scenario in its colour.</p>\n" : ".</p>\n";
  out += "<div class=\"map\">\n";
  for (const std::string& stage : stages) {
    out += fmt::format("<div class=\"stage\"><h3>{}</h3>", html_escape(stage));
    const StageWords* stage_words = nullptr;
    for (std::size_t k = 0; stage_words == nullptr && k < words.size(); ++k) {
      stage_words = find_words(words[k].stages, stage);
    }
    if (stage_words) out += stage_words_html(*stage_words);
    for (std::size_t k = 1; stage_words && k < words.size(); ++k) {
      const StageWords* w = find_words(words[k].stages, stage);
      if (w == nullptr || w == stage_words || *w == *stage_words) continue;
      out += fmt::format("<div class=\"future-words\" style=\"border-left-color:{}\">{} {}{}</div>",
                         scenario_colour(k), dot(k), html_escape(r.labels[k]),
                         stage_words_html(*w, stage_words));
    }
    out += "<div class=\"facts\">";
    const auto of = [&stage](std::string_view metric, Estimate StageFigures::*member) {
      return [&stage, metric, member](const Summary& s) -> std::optional<std::string> {
        for (const StageFigures& st : s.stages) {
          if (st.name == stage) return figure_text(metric, (st.*member).value);
        }
        return std::nullopt;
      };
    };
    out += value_line(r, "reach", of("reach_rate", &StageFigures::reach_rate));
    out += value_line(r, "dropout", of("dropout_rate", &StageFigures::dropout_rate));
    out += value_line(r, "emotion", of("mean_emotion", &StageFigures::mean_emotion));
    out += "</div>\n";
    // The stage's touchpoints as cards, in the map's order; the service blueprint under the
    // map sets them out by lane.
    for (const JourneyStep& step : steps) {
      if (step.stage == stage) out += touchpoint_card(r, step, moments, words);
    }
    out += "</div>\n";
  }
  out += "</div>\n";
  out += blueprint_html(stages, steps, words);
  out += "</section>\n";
  return out;
}

std::string flows_section(const ComparisonReport& r, Charts& charts) {
  std::string out = "<section id=\"flows\">\n<h2>Flows between touchpoints</h2>\n";
  out +=
      "<p class=\"note\">Journeys from their start through the touchpoints; the red sink "
      "\"Gave up\" collects the journeys that dropped out before converting, the blue sink "
      "\"Left after converting\" the customers who dropped out after converting, and the grey "
      "\"&#8617; back to\" nodes the moves back to "
      "an earlier touchpoint (a Sankey cannot draw loops; those journeys go on from that "
      "touchpoint). Band widths are journeys; a name cut short is whole when you point at it. "
      "On a narrow screen, swipe sideways to follow the flows.</p>\n";
  std::string notes;
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    std::uint64_t loops = 0;
    std::size_t fullest = 0;
    json layout;
    json option = sankey_chart(r.summaries[k], r.labels[k], loops, fullest, layout);
    // Room for every node of the fullest column and its label of up to two lines: the node
    // gap (28 px) and a few pixels of node.
    const int height = static_cast<int>(std::clamp<std::size_t>(fullest * 34 + 80, 320, 2400));
    out += "<div class=\"wide\">" +
           charts.add(std::move(option), height, "sankey", {{"sankey", std::move(layout)}}) +
           "</div>\n";
    if (loops > 0) {
      notes += fmt::format("{}: {} moves back to an earlier touchpoint. ", html_escape(r.labels[k]),
                           with_thousands(loops));
    }
  }
  if (!notes.empty()) out += "<p class=\"note\">" + notes + "</p>\n";
  out += "</section>\n";
  return out;
}

std::string funnel_section(const ComparisonReport& r, Charts& charts) {
  const std::size_t stages = stage_union(r).size();
  std::string out = "<section id=\"funnel\">\n<h2>Funnel by stage</h2>\n";
  out += "<p class=\"note\">Share of agents that reach each stage.</p>\n";
  out += scenario_key(r);
  out += charts.add(funnel_chart(r), static_cast<int>(std::max<std::size_t>(
                                         220, stages * (r.summaries.size() * 18 + 16) + 50)));
  out +=
      "<p class=\"note\">Dropout by stage: the share of those reaching the stage who drop "
      "out in it, in percent.</p>\n";
  out += charts.add(stage_dropout_chart(r), 300);
  // One row per stage and scenario: five columns however many scenarios there are.
  const bool comparison = r.summaries.size() > 1;
  out += fmt::format(
      "<table><thead><tr><th>stage</th>{}<th class=\"num\">reach</th>"
      "<th class=\"num\">dropout</th><th class=\"num\">emotion</th></tr>"
      "</thead><tbody>\n",
      comparison ? "<th>scenario</th>" : "");
  for (const std::string& stage : stage_union(r)) {
    for (std::size_t k = 0; k < r.summaries.size(); ++k) {
      const StageFigures* st = nullptr;
      for (const StageFigures& x : r.summaries[k].stages) {
        if (x.name == stage) st = &x;
      }
      out += "<tr><td>" + html_escape(stage) + "</td>";
      if (comparison) out += "<td>" + scenario_heading(r, k) + "</td>";
      if (st == nullptr) {
        out += "<td></td><td></td><td></td></tr>\n";
        continue;
      }
      out += figure_cell("reach_rate", st->reach_rate) +
             figure_cell("dropout_rate", st->dropout_rate) +
             figure_cell("mean_emotion", st->mean_emotion) + "</tr>\n";
    }
  }
  out += "</tbody></table>\n</section>\n";
  return out;
}

std::string scope_name(const ComparisonReport& r, const Difference& d) {
  const std::size_t colon = d.scope.find(':');
  const std::string id = colon == std::string::npos ? d.scope : d.scope.substr(colon + 1);
  if (d.scope.starts_with("touchpoint:")) {
    for (const Summary& s : r.summaries) {
      if (const TouchpointFigures* t = find_touchpoint(s, id)) return t->name;
    }
  }
  return id;
}

std::string difference_rows(const ComparisonReport& r, const std::vector<const Difference*>& ds) {
  std::string out;
  for (const Difference* d : ds) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}</tr>\n",
        html_escape(scope_name(r, *d)), html_escape(metric_label(d->metric)),
        html_escape(figure_text(d->metric, d->current.value)),
        html_escape(figure_text(d->metric, d->future.value)), difference_cell(d));
  }
  return out;
}

constexpr const char* kDifferenceHead =
    "<table><thead><tr><th></th><th>figure</th><th class=\"num\">current</th>"
    "<th class=\"num\">future</th><th class=\"num\">difference</th></tr></thead><tbody>\n";

std::string moments_section(const ComparisonReport& r, Charts& charts) {
  std::string out = "<section id=\"moments\">\n<h2>Moments of truth</h2>\n";
  out +=
      "<p class=\"note\">The touchpoints whose dropout or emotion changed most "
      "(significant changes only, largest first), and the change of dropout per visit at the "
      "touchpoints where it moved most.</p>\n";
  out += scenario_key(r);
  out += charts.add(dropout_change_chart(r), 360);
  for (std::size_t k = 1; k < r.summaries.size(); ++k) {
    out += fmt::format("<h3>{} vs {}</h3>\n", scenario_heading(r, k), html_escape(r.labels[0]));
    const std::vector<const Difference*> moments = moments_of_truth(r, k);
    if (moments.empty()) {
      out += "<p class=\"note\">No touchpoint's dropout or emotion changed significantly.</p>\n";
    } else {
      out += kDifferenceHead + difference_rows(r, moments) + "</tbody></table>\n";
    }
    out += "<details><summary>Every stage and persona difference</summary>\n";
    out += kDifferenceHead + difference_rows(r, differences_of(r, k, "stage:")) +
           difference_rows(r, differences_of(r, k, "persona:")) + "</tbody></table>\n";
    out += "</details>\n<details><summary>Every touchpoint difference</summary>\n";
    out += kDifferenceHead + difference_rows(r, differences_of(r, k, "touchpoint:")) +
           "</tbody></table>\n</details>\n";
  }
  out += "</section>\n";
  return out;
}

// The journey a scenario ran, read back from the text stored with the results; a future
// state's bases are read from their files again, and used only when they are still the files it
// ran with (the stored copies say). nullopt when the journey cannot be read back.
std::optional<Scenario> scenario_as_run(const RunMetadata& m) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(m.scenario_text, m.scenario_path, diagnostics);
  if (!s || s->base_sources.size() != m.base_files.size()) return std::nullopt;
  for (const SourceFile& base : s->base_sources) {
    const bool same = std::any_of(m.base_files.begin(), m.base_files.end(),
                                  [&](const auto& stored) { return stored.second == base.text; });
    if (!same) return std::nullopt;
  }
  return s;
}

// What future state k changed, one line each as `cjsim diff` words it.
std::string changes_list(const ComparisonReport& r, std::size_t k,
                         const std::optional<Scenario>& current) {
  const std::optional<Scenario> future = scenario_as_run(r.metadata[k]);
  if (!current || !future) {
    return "<p class=\"note\">Its changes cannot be listed here: the journey it builds on is not "
           "where it was when compared, or has changed since; the files as run are under "
           "<a href=\"#scenario\">The scenario as run</a>.</p>\n";
  }
  const std::vector<JourneyDifference> differences = diff_scenarios(*current, *future);
  if (differences.empty())
    return "<p class=\"note\">It changes nothing that matters to the run.</p>\n";
  std::string out = "<ul class=\"changes\">";
  std::string text = format_differences(differences);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    at = end + 1;
    const std::size_t first = line.find_first_not_of(' ');
    if (first == std::string_view::npos) continue;
    // Headings ("Touchpoints") stand alone; the entries under them are indented.
    out += first == 0 ? fmt::format("<li class=\"part\">{}</li>", html_escape(line))
                      : fmt::format("<li>{}</li>", html_escape(line.substr(first)));
  }
  return out + "</ul>\n";
}

// The sentence for two future states on one figure: which is ahead, or that they cannot be
// told apart on the same agents.
std::string rival_sentence(const ComparisonReport& r, const Difference& d) {
  const std::string label = metric_label(d.metric);
  const Figure* f = find_figure(d.metric);
  const Better better = f ? f->better : Better::neither;
  const auto interval = [&](double sign) {
    const double low = sign > 0 ? d.difference.low : -d.difference.high;
    const double high = sign > 0 ? d.difference.high : -d.difference.low;
    return fmt::format("95% interval {} to {}", difference_text(d.metric, low),
                       difference_text(d.metric, high));
  };
  if (!d.significant || better == Better::neither) {
    return fmt::format("{}: {} and {} {} ({} minus {}: {}, {})", label, r.labels[d.scenario],
                       r.labels[d.versus], d.significant ? "differ" : "cannot be told apart",
                       r.labels[d.scenario], r.labels[d.versus],
                       difference_text(d.metric, d.difference.value), interval(1.0));
  }
  // Said from the leader's side: "A is ahead of B by +3.20 pp".
  const bool second_ahead = (better == Better::lower) == (d.difference.value < 0);
  const double sign = second_ahead ? 1.0 : -1.0;
  return fmt::format("{}: {} is ahead of {} by {} ({})", label,
                     r.labels[second_ahead ? d.scenario : d.versus],
                     r.labels[second_ahead ? d.versus : d.scenario],
                     difference_text(d.metric, sign * d.difference.value), interval(sign));
}

std::string answer_section(const ComparisonReport& r) {
  const Summary& base = r.summaries.front();
  std::string out =
      "<section id=\"answer\" class=\"answer\">\n<h2>The answer</h2>\n<ul class=\"sentences\">";
  for (const std::string& sentence : comparison_answer(r)) {
    out += "<li>" + html_escape(sentence) + "</li>";
  }
  out += "</ul>\n";
  out += fmt::format(
      "<p class=\"note\">By {} ({} is better); every future state against {} on the same {} "
      "agents, with 95% intervals.</p>\n",
      html_escape(metric_label(r.rank_by)), lower_is_better(r.rank_by) ? "lower" : "higher",
      html_escape(r.labels[0]), with_thousands(base.agents_per_replication));

  // Ranking, with the future states that cannot be told apart from the leader said so.
  const std::vector<std::size_t> order = rank_future_states(r);
  if (order.size() > 1) {
    out += fmt::format("<h3>Ranking by {}</h3>\n<ol class=\"ranking\">",
                       html_escape(metric_label(r.rank_by)));
    for (std::size_t k : order) {
      const Difference* d = find_difference(r, k, r.rank_by, "overall");
      std::string against_leader;
      if (k != order.front()) {
        for (const Difference& x : r.rivals) {
          const bool pair = (x.versus == order.front() && x.scenario == k) ||
                            (x.versus == k && x.scenario == order.front());
          if (!pair || x.metric != r.rank_by) continue;
          against_leader = x.significant ? " &middot; behind the leader beyond the noise"
                                         : " &middot; <b>cannot be told apart from the leader</b>";
        }
      }
      out += fmt::format("<li>{}{}: {}{}{}</li>", dot(k), html_escape(r.labels[k]),
                         d ? html_escape(difference_text(d->metric, d->difference.value)) : "n/a",
                         d ? verdict_tag(*d) : "", against_leader);
    }
    out += "</ol>\n";
  }

  // Each future state: its headline differences in words, and what it changed.
  const std::optional<Scenario> current = scenario_as_run(r.metadata[0]);
  out += "<div class=\"verdicts\">\n";
  for (std::size_t k = 1; k < r.summaries.size(); ++k) {
    out += fmt::format("<div class=\"verdict\" style=\"border-top-color:{}\"><h3>{}</h3><ul>",
                       scenario_colour(k), scenario_heading(r, k));
    for (const Figure& f : kHeadlineFigures) {
      const Difference* d = find_difference(r, k, f.name, "overall");
      if (d == nullptr) continue;
      const Better better = f.better;
      out += fmt::format(
          "<li><span class=\"figure\">{}</span> <span class=\"v\">{}</span>{}{}"
          "<span class=\"ci\">95% interval {}; {} is better</span></li>",
          html_escape(f.label), html_escape(difference_text(d->metric, d->difference.value)),
          verdict_tag(*d), d->significant ? "" : " <span class=\"tag\">within the noise</span>",
          html_escape(difference_interval_text(d->metric, d->difference)),
          better == Better::lower    ? "lower"
          : better == Better::higher ? "higher"
                                     : "neither");
    }
    out += "</ul><h4>What it changes</h4>\n" + changes_list(r, k, current) + "</div>\n";
  }
  out += "</div>\n";

  if (!r.rivals.empty()) {
    out +=
        "<h3>The future states against each other</h3>\n<p class=\"note\">Paired on the same "
        "agents, overall figures.</p>\n<ul class=\"rivals\">";
    for (const Difference& d : r.rivals) {
      const Figure* f = find_figure(d.metric);
      if (d.metric != r.rank_by && !(f && f->key)) continue;
      out += "<li>" + html_escape(rival_sentence(r, d)) + "</li>";
    }
    out += "</ul>\n";
  }
  return out + "</section>\n";
}

// Each persona's own funnel and emotion curve: reach and mean emotion per stage.
std::string persona_stage_table(const Summary& s, const std::vector<MapWords>& words) {
  if (s.personas.size() < 2) return "";
  std::string out = "<table class=\"persona-stages\"><thead><tr><th>persona by stage</th>";
  for (const StageFigures& st : s.stages)
    out += "<th class=\"num\">" + html_escape(st.name) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const PersonaFigures& p : s.personas) {
    out += "<tr><td>" + html_escape(persona_label(words, p.id)) + "</td>";
    for (const StageFigures& st : p.stages) {
      out += fmt::format(
          "<td class=\"num\">reach {}<span class=\"ci\" style=\"color:{}\">emotion {}</span></td>",
          html_escape(figure_text("reach_rate", st.reach_rate.value)),
          emotion_colour(st.mean_emotion.value),
          html_escape(figure_text("mean_emotion", st.mean_emotion.value)));
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n";
}

// Who each persona is, as the scenarios describe them: name, description, goals, quote and
// attributes; a future state's persona only when its words differ.
std::string persona_cards(const ComparisonReport& r, const std::vector<MapWords>& words) {
  std::string out;
  std::map<std::string, const PersonaWords*, std::less<>> seen;
  for (std::size_t k = 0; k < words.size(); ++k) {
    for (const auto& [id, w] : words[k].personas) {
      const auto before = seen.find(id);
      if (before != seen.end() && *before->second == w) continue;
      seen[id] = &w;
      if (w.description.empty() && w.goals.empty() && w.quote.empty() && w.attributes.empty() &&
          (w.name.empty() || w.name == id))
        continue;
      out += "<div class=\"persona-card\"><b>" + html_escape(w.name.empty() ? id : w.name) + "</b>";
      if (k > 0) out += " " + dot(k) + html_escape(r.labels[k]);
      if (!w.description.empty()) out += "<p class=\"desc\">" + html_escape(w.description) + "</p>";
      if (!w.quote.empty()) out += "<blockquote>" + html_escape(w.quote) + "</blockquote>";
      out += text_list(w.goals, "goals", "goals");
      if (!w.attributes.empty()) {
        out += "<dl>";
        for (const auto& [key, value] : w.attributes) {
          out += "<dt>" + html_escape(key) + "</dt><dd>" + html_escape(value) + "</dd>";
        }
        out += "</dl>";
      }
      out += "</div>\n";
    }
  }
  return out.empty() ? "" : "<div class=\"persona-cards\">" + out + "</div>\n";
}

std::string personas_section(const ComparisonReport& r, const std::vector<MapWords>& words) {
  std::string out = "<section id=\"personas\">\n<h2>Personas</h2>\n";
  out += persona_cards(r, words);
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    out += "<h3>" + scenario_heading(r, k) +
           "</h3>\n<table><thead><tr><th>persona</th>"
           "<th class=\"num\">share</th><th class=\"num\">agents</th>";
    for (const Figure& f : kHeadlineFigures) {
      if (f.key) out += "<th class=\"num\">" + html_escape(f.label) + "</th>";
    }
    out += "</tr></thead><tbody>\n";
    for (const PersonaFigures& p : r.summaries[k].personas) {
      out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                         html_escape(persona_label(words, p.id)), percent(p.share, 1),
                         with_thousands(p.figures.agents));
      for (const Figure& f : kHeadlineFigures) {
        if (f.key) out += figure_cell(f.name, p.figures.*f.member);
      }
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
    out += persona_stage_table(r.summaries[k], words);
  }
  out += "</section>\n";
  return out;
}

std::string touchpoints_section(const ComparisonReport& r) {
  std::string out = "<section id=\"touchpoints\">\n<h2>Touchpoints</h2>\n";
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    out += fmt::format("<details{}><summary>{}</summary>\n", k == 0 ? " open" : "",
                       scenario_heading(r, k));
    out +=
        "<table><thead><tr><th>touchpoint</th><th>stage</th><th>channel</th>"
        "<th class=\"num\">visits</th><th class=\"num\">visits per agent</th>"
        "<th class=\"num\">dropouts</th><th class=\"num\">dropout per visit</th>"
        "<th class=\"num\">mean emotion</th></tr></thead><tbody>\n";
    for (const TouchpointFigures& t : r.summaries[k].touchpoints) {
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>{}"
          "<td class=\"num\">{}</td>{}{}</tr>\n",
          html_escape(t.name), html_escape(t.stage), html_escape(t.channel),
          with_thousands(t.visits), figure_cell("visits_per_agent", t.visits_per_agent),
          with_thousands(t.dropouts), figure_cell("dropout_rate", t.dropout_rate),
          figure_cell("mean_emotion", t.mean_emotion));
    }
    out += "</tbody></table>\n</details>\n";
  }
  out += "</section>\n";
  return out;
}

std::string scenario_section(const ComparisonReport& r) {
  std::string out = "<section id=\"scenario\">\n<h2>The scenario as run</h2>\n";
  out +=
      "<p class=\"note\">With these files, the seed and the agents, cjsim reproduces every "
      "figure above exactly.</p>\n";
  for (std::size_t k = 0; k < r.metadata.size(); ++k) {
    const RunMetadata& m = r.metadata[k];
    out += "<h3>" + scenario_heading(r, k) + "</h3>\n<dl>";
    auto row = [&](const char* term, const std::string& value) {
      out += fmt::format("<dt>{}</dt><dd>{}</dd>", term, html_escape(value));
    };
    row("file", m.scenario_path);
    row("seed", std::to_string(m.seed));
    row("agents", with_thousands(m.agents) + " per replication");
    row("replications", std::to_string(m.replications));
    row("threads", std::to_string(m.threads));
    row("cjsim version", m.software_version);
    row("created", m.created);
    row("command line", m.command_line);
    out += "</dl>\n";
    out += fmt::format("<details{}><summary>{}</summary><pre>{}</pre></details>\n",
                       k == 0 ? " open" : "", html_escape(m.scenario_path),
                       html_escape(m.scenario_text));
    for (const auto& [path, text] : m.base_files) {
      out += fmt::format("<details><summary>base: {}</summary><pre>{}</pre></details>\n",
                         html_escape(path), html_escape(text));
    }
  }
  out += "</section>\n";
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// The body of a run's or comparison's page, its charts collected into `charts`.
std::string report_body(const ComparisonReport& r, Charts& charts,
                        const DrawsDigest* draws = nullptr) {
  const bool comparison = r.summaries.size() > 1;
  std::string body = header(r, comparison, draws != nullptr);
  body += "<main>\n";
  if (draws != nullptr) body += draws_section(r, *draws, charts);
  if (comparison) body += answer_section(r);
  body += headline_section(r, comparison);
  const std::vector<MapWords> words = report_words(r);
  body += map_section(r, charts, words);
  body += flows_section(r, charts);
  body += funnel_section(r, charts);
  if (comparison) body += moments_section(r, charts);
  body += personas_section(r, words);
  body += touchpoints_section(r);
  body += scenario_section(r);
  body += fmt::format("<footer>Made by cjsim {} &middot; charts by Apache ECharts</footer>\n",
                      CJSIM_VERSION);
  body += "</main>\n";
  return body;
}

}  // namespace

std::string html_report(const ComparisonReport& r) { return html_report(r, nullptr); }

std::string html_report(const ComparisonReport& r, const DrawsDigest* draws) {
  const bool comparison = r.summaries.size() > 1;
  Charts charts;
  const std::string body = report_body(r, charts, draws);
  const std::string title =
      comparison ? "cjsim comparison: " + r.labels[0] : "cjsim run: " + r.labels[0];
  return fill(html_assets::report_template(),
              {{"title", html_escape(title)},
               {"generator", fmt::format("cjsim {}", CJSIM_VERSION)},
               {"body", body},
               {"charts", charts.script_text()},
               {"echarts", html_assets::echarts_js()},
               {"report_charts", html_assets::report_charts_js()}});
}

nlohmann::json chart_data_json(const ComparisonReport& r) { return chart_data_json(r, nullptr); }

nlohmann::json chart_data_json(const ComparisonReport& r, const DrawsDigest* draws) {
  Charts charts;
  report_body(r, charts, draws);
  return charts.specs();
}

}  // namespace cjsim

namespace cjsim {
namespace {

// The metric against one parameter: every point (one series per base scenario) and, for a
// grid, the mean at each level (the main effect the ranking measures).
json parameter_chart(const StoredSweep& sweep, std::size_t parameter,
                     std::span<const Estimate> figure, std::string_view metric) {
  json series = json::array();
  for (std::size_t s = 0; s < sweep.scenarios.size(); ++s) {
    json points = json::array();
    std::map<double, std::pair<double, std::size_t>> levels;
    for (std::size_t k = 0; k < sweep.values.size(); ++k) {
      if (sweep.scenario_of_point[k] != s) continue;
      const double x = sweep.values[k][parameter];
      const double y = figure[k].value;
      if (!std::isfinite(y)) continue;
      points.push_back({x, y, k});
      auto& [sum, count] = levels[x];
      sum += y;
      ++count;
    }
    series.push_back({{"type", "scatter"},
                      {"name", sweep.scenarios[s]},
                      {"symbolSize", 7},
                      {"itemStyle", {{"color", scenario_colour(s)}, {"opacity", 0.75}}},
                      {"data", points}});
    if (sweep.design != "grid") continue;
    json means = json::array();
    for (const auto& [x, level] : levels)
      means.push_back({x, level.first / static_cast<double>(level.second)});
    series.push_back({{"type", "line"},
                      {"name", sweep.scenarios[s] + " (mean at each level)"},
                      {"itemStyle", {{"color", scenario_colour(s)}}},
                      {"data", means}});
  }
  // The key is the page's text above the charts (sweep_scenario_key): it wraps, a legend cannot.
  return {{"title", {{"text", sweep.parameters[parameter]}, {"textStyle", {{"fontSize", 13}}}}},
          {"tooltip", {{"trigger", "item"}}},
          {"grid", {{"left", 64}, {"right", 24}, {"top", 40}, {"bottom", 48}}},
          {"xAxis",
           {{"type", "value"},
            {"name", sweep.parameters[parameter]},
            {"scale", true},
            {"nameLocation", "middle"},
            {"nameGap", 28}}},
          {"yAxis",
           {{"type", "value"},
            {"name", std::string(metric)},
            {"scale", true},
            {"nameLocation", "middle"},
            {"nameGap", 48}}},
          {"series", series}};
}

std::string sweep_sensitivity_section(const StoredSweep& sweep, std::string_view metric) {
  std::string out = "<section id=\"sensitivity\">\n";
  out += fmt::format("<h2>Which parameter moves {} most</h2>\n", html_escape(metric));
  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    if (sweep.scenarios.size() > 1)
      out += fmt::format("<h3>{}</h3>\n", html_escape(sweep.scenarios[s.scenario]));
    out += r.method == SensitivityMethod::main_effect
               ? "<p class=\"note\">Main effects: the spread of the mean over each parameter's "
                 "levels, every other parameter averaged over.</p>\n"
               : fmt::format(
                     "<p class=\"note\">Standardised regression coefficients over {} "
                     "points (R<sup>2</sup> = {:.3f}): standard deviations of the figure "
                     "per standard deviation of the parameter.</p>\n",
                     r.points, r.r_squared);
    if (!r.note.empty()) {
      out += fmt::format("<p>Not ranked: {}.</p>\n", html_escape(r.note));
      continue;
    }
    out +=
        "<table><thead><tr><th>rank</th><th>parameter</th><th class=\"num\">importance</th>"
        "<th class=\"num\">lowest to highest value</th></tr></thead><tbody>\n";
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.4g}</td>"
          "<td class=\"num\">{:+.4g}</td></tr>\n",
          i + 1, html_escape(sweep.parameters[p.parameter]), p.importance, p.swing);
    }
    out += "</tbody></table>\n";
  }
  return out + "</section>\n";
}

std::string sweep_points_section(const StoredSweep& sweep, std::string_view metric,
                                 std::span<const Estimate> ranked_by) {
  // The metric (a headline figure or a calendar sweep's figure), then the key figures.
  std::vector<std::size_t> figures;
  for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
    if (kHeadlineFigures[f].key && kHeadlineFigures[f].name != metric) figures.push_back(f);
  }
  std::string out = "<section id=\"points\">\n<h2>Design points</h2>\n";
  out += fmt::format(
      "<p class=\"note\">Best first by {} ({} is better); 95% intervals under "
      "each figure.</p>\n",
      html_escape(metric), sweep_metric_lower_is_better(metric) ? "lower" : "higher");
  out += "<table><thead><tr><th>rank</th><th class=\"num\">point</th>";
  if (sweep.scenarios.size() > 1) out += "<th>scenario</th>";
  for (const std::string& p : sweep.parameters)
    out += fmt::format("<th class=\"num\">{}</th>", html_escape(p));
  out += fmt::format("<th class=\"num\">{}</th>", html_escape(metric));
  for (std::size_t f : figures)
    out += fmt::format("<th class=\"num\">{}</th>", html_escape(kHeadlineFigures[f].name));
  out += "</tr></thead><tbody>\n";
  const std::string_view shown_as = sweep_metric_resource(metric).empty()
                                        ? metric
                                        : metric.substr(metric.rfind('.') + 1);
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td>", i + 1, k);
    if (sweep.scenarios.size() > 1) {
      out += fmt::format("<td>{}{}</td>", dot(sweep.scenario_of_point[k]),
                         html_escape(sweep.scenarios[sweep.scenario_of_point[k]]));
    }
    for (double v : sweep.values[k]) out += fmt::format("<td class=\"num\">{:.6g}</td>", v);
    out += figure_cell(shown_as, ranked_by[k]);
    for (std::size_t f : figures) out += figure_cell(kHeadlineFigures[f].name, sweep.figures[k][f]);
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n</section>\n";
}

}  // namespace

std::string html_sweep_report(const StoredSweep& sweep, std::string_view metric) {
  const std::vector<Estimate> figure = sweep_metric_estimates(sweep, metric);
  Charts charts;
  // A calendar sweep's points have the agents their arrivals bring, over its days.
  const std::string size = sweep.calendar.empty() ? with_thousands(sweep.agents) + " agents"
                           : sweep.days > 0 ? counted(static_cast<std::size_t>(sweep.days), "day")
                                            : std::string("calendar.days");
  std::string body = "<header>\n";
  body += fmt::format("<h1>Sweep: {}</h1>\n", html_escape(sweep.experiment_name));
  body += fmt::format(
      "<p>{} design &middot; {} points &middot; {} &middot; {} &middot; "
      "seed {} &middot; {}</p>\n",
      html_escape(sweep.design), sweep.values.size(), html_escape(size),
      counted(sweep.replications, "replication"), sweep.seed, html_escape(sweep.experiment_path));
  body += "</header>\n<nav><a href=\"#sensitivity\">Sensitivity</a>";
  body += "<a href=\"#differences\">Against the reference</a>";
  if (!sweep.calendar.empty()) body += "<a href=\"#staffing\">Staff cost and waiting</a>";
  body += "<a href=\"#response\">Response</a><a href=\"#points\">Design points</a></nav>\n<main>\n";
  body += sweep_sensitivity_section(sweep, metric);
  body += sweep_differences_section(sweep, metric, charts);
  body += sweep_staffing_section(sweep, charts);
  body += "<section id=\"response\">\n";
  body += fmt::format("<h2>{} against each parameter</h2>\n", html_escape(metric));
  body +=
      "<p class=\"note\">Every design point; for grids the line joins the mean at each "
      "level.</p>\n";
  body += sweep_scenario_key(sweep);
  body += "<div class=\"charts-row\">\n";
  for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
    body += charts.add(parameter_chart(sweep, j, figure, metric), 340);
  }
  body += "</div>\n</section>\n";
  body += sweep_points_section(sweep, metric, figure);
  body += fmt::format("<footer>Made by cjsim {} &middot; charts by Apache ECharts</footer>\n",
                      CJSIM_VERSION);
  body += "</main>\n";
  return fill(html_assets::report_template(),
              {{"title", html_escape("cjsim sweep: " + sweep.experiment_name)},
               {"generator", fmt::format("cjsim {}", CJSIM_VERSION)},
               {"body", body},
               {"charts", charts.script_text()},
               {"echarts", html_assets::echarts_js()},
               {"report_charts", html_assets::report_charts_js()}});
}

}  // namespace cjsim
