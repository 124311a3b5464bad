// The HTML report's tables as Markdown and as CSV, for text and spreadsheets.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "reports/render/report_format.h"
#include "reports/render/table_reports.h"
#include "reports/render/table_text.h"
#include "reports/render/text_report.h"
#include "reports/render/uncertainty_report.h"
#include "scenarios/diagnostic.h"
#include "sim/engine/statistics.h"

namespace cjsim {
namespace {

std::string with_interval(std::string_view metric, const Estimate& e) {
  const std::string interval = interval_text(metric, e);
  return interval.empty() ? figure_text(metric, e.value)
                          : figure_text(metric, e.value) + " " + interval;
}

// A code fence longer than any run of backticks in the text.
std::string fenced(const std::string& text, std::string_view language) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + std::string(language) + "\n" + text + (text.ends_with('\n') ? "" : "\n") + fence +
         "\n";
}

void difference_table(std::string& out, const std::vector<const Difference*>& ds) {
  if (ds.empty()) {
    out += "(none)\n";
    return;
  }
  out += markdown_head({"scope", "figure", "current", "future", "difference", "95% interval", ""}, 2);
  for (const Difference* d : ds) {
    out += markdown_row({d->scope, metric_label(d->metric), figure_text(d->metric, d->current.value),
                figure_text(d->metric, d->future.value),
                difference_text(d->metric, d->difference.value),
                difference_interval_text(d->metric, d->difference), d->significant ? "*" : ""});
  }
}

// A count, or n/a when the results did not hold it.
std::string count_text(const std::optional<std::uint64_t>& count) {
  return count ? with_thousands(*count) : "n/a";
}

// Numbers in full: the shortest text that reads back as the same double; empty when undefined.
std::string csv_number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

// The inputs' words and the digest's sensitivity rows for future state (or run) `scenario`.
std::vector<const DrawsDigest::Ranked*> ranked_for(const DrawsDigest& d, std::size_t scenario) {
  std::vector<const DrawsDigest::Ranked*> out;
  for (const DrawsDigest::Ranked& r : d.sensitivity) {
    if (r.scenario == scenario) out.push_back(&r);
  }
  return out;
}

std::string index_text(double index, double error) {
  if (!std::isfinite(index)) return "";
  return fmt::format("{:.0f}% (± {:.0f}%)", 100.0 * index, 100.0 * kZ95 * error);
}

}  // namespace

std::string how_sure_markdown(const ComparisonReport& r, const DrawsDigest& d) {
  std::string out = "## How sure it is\n\n";
  out += fmt::format(
      "The inputs below are guesses, drawn {} times ({}; {} runs in all, every draw on the same "
      "agents). Each figure has two intervals: its simulation noise at the inputs' means, and "
      "the range 95% of the draws give (what the world may be, given the guesses).\n\n",
      d.draws, d.design, d.runs);
  out += markdown_head({"uncertain input", "distribution"}, 2);
  for (const UncertainInputReport& i : d.inputs) {
    out += markdown_row({uncertain_input_words(i.path) + " (`" + i.path + "`)", i.distribution});
  }
  out += "\n";
  out += markdown_head({"scenario", "figure", "at the inputs' means", "95% of the draws"}, 2);
  for (const DrawsDigest::FigureRange& f : d.figures) {
    out += markdown_row({r.labels[f.scenario], metric_label(f.figure),
                         with_interval(f.figure, f.central),
                         fmt::format("{} to {}", figure_text(f.figure, f.over_draws.low),
                                     figure_text(f.figure, f.over_draws.high))});
  }
  if (!d.future_states.empty()) {
    out += fmt::format("\n### Future states: their gain and their odds ({})\n\n",
                       metric_label(d.ranked_on));
    std::vector<std::string> head = {"future state", "expected gain", "95% of the draws"};
    for (const std::string& label : r.labels) head.push_back("beats " + label);
    out += markdown_head(head, 1);
    for (const DrawsDigest::FutureState& f : d.future_states) {
      std::vector<std::string> cells = {
          r.labels[f.scenario], difference_text(d.ranked_on, f.gain.expected),
          fmt::format("{} to {}", difference_text(d.ranked_on, f.gain.interval.low),
                      difference_text(d.ranked_on, f.gain.interval.high))};
      for (double p : f.probability_beats) {
        cells.push_back(std::isfinite(p) ? fmt::format("{:.0f}%", 100.0 * p) : "");
      }
      out += markdown_row(cells);
    }
  }
  const bool totals = d.has_totals();
  out += fmt::format(
      "\n### Which guess matters most\n\nThe share of the uncertainty each input explains, "
      "alone (first-order){}, ± half its 95% interval. Estimator: {}.\n\n",
      totals ? " and with what it does together with the others (total)" : "", d.estimator);
  std::vector<std::string> head = {"uncertainty in", "input", "first-order"};
  if (totals) head.push_back("total");
  out += markdown_head(head, 2);
  for (std::size_t s = 0; s < r.labels.size(); ++s) {
    for (const DrawsDigest::Ranked* x : ranked_for(d, s)) {
      std::vector<std::string> cells = {
          s == 0 ? metric_label(x->figure) : "the gain of " + r.labels[s],
          uncertain_input_words(x->input),
          index_text(x->index.first_order, x->index.standard_error)};
      if (totals) cells.push_back(index_text(x->index.total, x->index.total_error));
      out += markdown_row(cells);
    }
  }
  return out + "\n";
}

std::string draws_csv(const std::vector<std::string>& labels, const DrawsDigest& draws,
                      std::string (*unit)(std::string_view metric)) {
  std::string out;
  // ",UNIT" after the metric when the table has units.
  auto u = [&](std::string_view metric) {
    return unit ? fmt::format(",{}", unit(metric)) : std::string();
  };
  for (const DrawsDigest::FigureRange& f : draws.figures) {
    out += fmt::format("draws,{},overall,{}{},{},{},{},,,\n", csv_field(labels[f.scenario]),
                       f.figure, u(f.figure), csv_number(f.central.value),
                       csv_number(f.over_draws.low), csv_number(f.over_draws.high));
  }
  for (const DrawsDigest::FutureState& f : draws.future_states) {
    out += fmt::format("odds,{},overall,{}{},{},{},{},,,\n", csv_field(labels[f.scenario]),
                       draws.ranked_on, u(draws.ranked_on), csv_number(f.gain.expected),
                       csv_number(f.gain.interval.low), csv_number(f.gain.interval.high));
    for (std::size_t t = 0; t < f.probability_beats.size() && t < labels.size(); ++t) {
      if (t == f.scenario) continue;
      out += fmt::format("odds,{},{},probability_better{},{},,,,,\n", csv_field(labels[f.scenario]),
                         csv_field("vs:" + labels[t]), unit ? ",share" : "",
                         csv_number(f.probability_beats[t]));
    }
  }
  for (const DrawsDigest::Ranked& x : draws.sensitivity) {
    const std::string scope = csv_field("input:" + x.input);
    const std::string label = csv_field(labels[x.scenario]);
    const std::string share = unit ? ",share" : "";
    out += fmt::format("sensitivity,{},{},first_order{},{},{},{},,,\n", label, scope, share,
                       csv_number(x.index.first_order),
                       csv_number(x.index.first_order - kZ95 * x.index.standard_error),
                       csv_number(x.index.first_order + kZ95 * x.index.standard_error));
    if (std::isfinite(x.index.total)) {
      out += fmt::format("sensitivity,{},{},total{},{},{},{},,,\n", label, scope, share,
                         csv_number(x.index.total),
                         csv_number(x.index.total - kZ95 * x.index.total_error),
                         csv_number(x.index.total + kZ95 * x.index.total_error));
    }
  }
  return out;
}


std::string markdown_report(const ComparisonReport& r, const DrawsDigest* draws) {
  const std::size_t n = r.summaries.size();
  const Summary& first = r.summaries.front();
  std::string out = n > 1 ? fmt::format("# Comparison: {} and {}\n\n", r.labels[0],
                                        counted(n - 1, "future state"))
                          : fmt::format("# {}\n\n", r.labels[0]);
  out +=
      fmt::format("{} agents x {}, seed {}. {}.\n\n", with_thousands(first.agents_per_replication),
                  counted(first.replications, "replication"), r.metadata.front().seed, r.method);
  if (draws != nullptr) out += how_sure_markdown(r, *draws);

  out += "## Headline figures\n\n";
  std::vector<std::string> columns = {"figure"};
  for (const std::string& label : r.labels) columns.push_back(label);
  out += markdown_head(columns, 1);
  for (const Figure& f : kHeadlineFigures) {
    std::vector<std::string> cells = {f.label};
    for (const Summary& s : r.summaries)
      cells.push_back(with_interval(f.name, s.overall.*f.member));
    out += markdown_row(cells);
  }
  for (std::size_t k = 1; k < n; ++k) {
    out += fmt::format(
        "\n## Differences: {} vs {}\n\n* marks a difference whose 95% interval "
        "excludes 0.\n\n",
        r.labels[k], r.labels[0]);
    difference_table(out, differences_of(r, k, "overall"));
    out += "\n### Moments of truth (touchpoints whose dropout or emotion moved most)\n\n";
    difference_table(out, moments_of_truth(r, k));
    out += "\n### Stages and personas\n\n";
    std::vector<const Difference*> ds = differences_of(r, k, "stage:");
    for (const Difference* d : differences_of(r, k, "persona:")) ds.push_back(d);
    difference_table(out, ds);
  }
  for (std::size_t k = 0; k < n; ++k) {
    const Summary& s = r.summaries[k];
    out += fmt::format("\n## {}\n\n### Stages\n\n", r.labels[k]);
    out +=
        "Of those reaching a stage, the share whose journey ended in it: by giving up before "
        "converting, or by leaving after converting (a customer's journey).\n\n";
    out += markdown_head({"stage", "reach", "gave up", "left after converting", "mean emotion"}, 1);
    for (const StageFigures& st : s.stages) {
      out += markdown_row(
          {st.name, with_interval("reach_rate", st.reach_rate),
           with_interval("dropout_before_converting_rate", st.dropout_before_converting_rate),
           with_interval("dropout_after_converting_rate", st.dropout_after_converting_rate),
           with_interval("mean_emotion", st.mean_emotion)});
    }
    out += "\n### Touchpoints\n\n";
    out += markdown_head(
        {"touchpoint", "stage", "channel", "visits", "visits per agent", "gave up",
         "gave up per visit", "left after converting", "left per visit", "mean emotion"},
        3);
    for (const TouchpointFigures& t : s.touchpoints) {
      out += markdown_row(
          {t.name, t.stage, t.channel, with_thousands(t.visits),
           figure_text("visits_per_agent", t.visits_per_agent.value),
           count_text(t.dropouts_before_converting),
           with_interval("dropout_before_converting_rate", t.dropout_before_converting_rate),
           count_text(t.dropouts_after_converting),
           with_interval("dropout_after_converting_rate", t.dropout_after_converting_rate),
           with_interval("mean_emotion", t.mean_emotion)});
    }
    out += "\n### Personas\n\n";
    std::vector<std::string> head = {"persona", "share", "agents"};
    for (const Figure& f : kHeadlineFigures) {
      if (f.key) head.push_back(f.label);
    }
    out += markdown_head(head, 1);
    for (const PersonaFigures& p : s.personas) {
      std::vector<std::string> cells = {p.id, percent(p.share, 1),
                                        with_thousands(p.figures.agents)};
      for (const Figure& f : kHeadlineFigures) {
        if (f.key) cells.push_back(with_interval(f.name, p.figures.*f.member));
      }
      out += markdown_row(cells);
    }
  }
  out += "\n## The scenario as run\n";
  for (std::size_t k = 0; k < n; ++k) {
    const RunMetadata& m = r.metadata[k];
    out += fmt::format(
        "\n### {}\n\n- file: `{}`\n- seed: {}\n- agents: {} per replication\n"
        "- replications: {}\n- cjsim version: {}\n- created: {}\n"
        "- command line: `{}`\n\n",
        r.labels[k], m.scenario_path, m.seed, with_thousands(m.agents), m.replications,
        m.software_version, m.created, m.command_line);
    out += fenced(m.scenario_text, "yaml");
    for (const auto& [path, text] : m.base_files) {
      out += fmt::format("\nbase `{}`:\n\n", path) + fenced(text, "yaml");
    }
  }
  return out;
}

std::string csv_report(const ComparisonReport& r, const DrawsDigest* draws) {
  std::string out = "table,scenario,scope,metric,value,ci_low,ci_high,current,future,significant\n";
  auto figure = [&](std::string_view table, std::size_t k, std::string_view scope,
                    std::string_view metric, const Estimate& e) {
    out += fmt::format("{},{},{},{},{},{},{},,,\n", table, csv_field(r.labels[k]), csv_field(scope),
                       metric, csv_number(e.value), csv_number(e.low), csv_number(e.high));
  };
  auto count = [&](std::string_view table, std::size_t k, std::string_view scope,
                   std::string_view metric, std::optional<std::uint64_t> value) {
    out += fmt::format("{},{},{},{},{},,,,,\n", table, csv_field(r.labels[k]), csv_field(scope),
                       metric, value ? std::to_string(*value) : std::string());
  };
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    const Summary& s = r.summaries[k];
    for (const Figure& f : kHeadlineFigures)
      figure("headline", k, "overall", f.name, s.overall.*f.member);
    count("counts", k, "overall", "agents", s.overall.agents);
    count("counts", k, "overall", "conversions", s.overall.conversions);
    count("counts", k, "overall", "promoters", s.overall.promoters);
    count("counts", k, "overall", "detractors", s.overall.detractors);
    for (int e = 0; e < kEndingCount; ++e)
      count("ended", k, "overall", kEndingNames[e], s.overall.ended[e]);
    if (s.overall.lost > 0) count("ended", k, "overall", kLostEndingName, s.overall.lost);
    // The journeys that ended dropped, split (empty when the results did not count it).
    count("outcomes", k, "overall", "gave_up", s.overall.gave_up);
    count("outcomes", k, "overall", "left_after_converting", s.overall.left_after_converting);
    for (const StageFigures& st : s.stages) {
      const std::string scope = "stage:" + st.name;
      count("stages", k, scope, "reach", st.reach);
      count("stages", k, scope, "visits", st.visits);
      count("stages", k, scope, "dropouts", st.dropouts);
      count("stages", k, scope, "dropouts_before_converting", st.dropouts_before_converting);
      count("stages", k, scope, "dropouts_after_converting", st.dropouts_after_converting);
      for (const Figure& f : kFigures) {
        if (f.stage_member) figure("stages", k, scope, f.name, st.*f.stage_member);
      }
    }
    for (const TouchpointFigures& t : s.touchpoints) {
      const std::string scope = "touchpoint:" + t.id;
      count("touchpoints", k, scope, "visits", t.visits);
      count("touchpoints", k, scope, "dropouts", t.dropouts);
      count("touchpoints", k, scope, "dropouts_before_converting", t.dropouts_before_converting);
      count("touchpoints", k, scope, "dropouts_after_converting", t.dropouts_after_converting);
      count("touchpoints", k, scope, "completions", t.completions);
      count("touchpoints", k, scope, "conversions", t.conversions);
      for (const Figure& f : kFigures) {
        if (f.touchpoint_member) figure("touchpoints", k, scope, f.name, t.*f.touchpoint_member);
      }
    }
    for (const TransitionFigures& e : s.transitions) {
      const std::string scope = "transition:" + e.from + "->" + e.to;
      count("transitions", k, scope, "count", e.count);
      for (const Figure& f : kFigures) {
        if (f.transition_member) figure("transitions", k, scope, f.name, e.*f.transition_member);
      }
    }
    for (const PersonaFigures& p : s.personas) {
      const std::string scope = "persona:" + p.id;
      figure("personas", k, scope, "share", {p.share, NAN, NAN});
      count("personas", k, scope, "agents", p.figures.agents);
      for (const Figure& f : kHeadlineFigures)
        figure("personas", k, scope, f.name, p.figures.*f.member);
    }
  }
  for (const Difference& d : r.differences) {
    out +=
        fmt::format("differences,{},{},{},{},{},{},{},{},{}\n", csv_field(r.labels[d.scenario]),
                    csv_field(d.scope), d.metric, csv_number(d.difference.value),
                    csv_number(d.difference.low), csv_number(d.difference.high),
                    csv_number(d.current.value), csv_number(d.future.value), d.significant ? 1 : 0);
  }
  if (draws != nullptr) out += draws_csv(r.labels, *draws);
  return out;
}

}  // namespace cjsim
