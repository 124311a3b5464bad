// The HTML, Markdown and CSV reports: one container per chart, the library embedded, hostile
// scenario text kept inert, numbers formatted, the same figures as the summary, and the same
// report from a result file as from the run itself.
#include "reports/html/html_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>

#include "models/observed/csv_reader.h"
#include "reports/html/html_assets.h"
#include "reports/html/html_charts.h"
#include "reports/render/compare_report.h"
#include "reports/render/report_format.h"
#include "reports/render/text_report.h"
#include "reports/store/results_reader.h"
#include "scenarios/diff.h"
#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

// Appended to the stored scenario text: if it reached the page unescaped it would end the
// script element and run code of its own.
constexpr const char* kHostileComment = "\n# </script><script>alert('owned')</script>\n";

struct Fixture {
  std::vector<CompiledJourney> journeys;
  ComparisonRun run;
  ComparisonReport report;
};

// Compares the journeys in `files` on `agents` agents from `seed`, with their metadata as
// `cjsim compare` records it; `appended` ends each recorded scenario text.
Fixture compared(const std::vector<std::string>& files, std::uint64_t seed, std::uint64_t agents,
                 const std::string& appended = "") {
  Fixture f;
  for (const std::string& file : files) {
    Diagnostics diagnostics;
    const auto scenario = load_valid_scenario(file, diagnostics);
    if (!scenario) throw std::runtime_error("cannot load test journey " + file);
    f.journeys.push_back(compile(*scenario));
    RunMetadata m;
    m.scenario_path = file;
    m.scenario_text = scenario->source_text + appended;
    for (const SourceFile& base : scenario->base_sources)
      m.base_files.emplace_back(base.path, base.text);
    m.software_version = "test";
    m.command_line = "cjsim compare";
    m.created = "2026-01-01T00:00:00Z";
    m.seed = seed;
    m.agents = agents;
    f.report.metadata.push_back(m);
    f.report.labels.push_back(scenario->name);
  }
  RunOptions options;
  options.agents = agents;
  options.seed = seed;
  f.run = run_comparison(f.journeys, options);
  for (std::size_t k = 0; k < f.journeys.size(); ++k) {
    f.report.summaries.push_back(summarize(f.journeys[k], f.run.runs[k].replications));
  }
  f.report.differences = differences(f.run);
  f.report.method = comparison_method(1);
  return f;
}

const Fixture& comparison() {
  const std::string data = CJSIM_TEST_DATA;
  static const Fixture fixture =
      compared({data + "/tiny.yaml", data + "/tiny_future.yaml"}, 5, 3000, kHostileComment);
  return fixture;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, HasOneContainerPerChartOption) {
  const std::string html = html_report(comparison().report);
  const std::size_t containers = count(html, "<div class=\"chart");
  // Emotion curve, a Sankey per scenario, funnel, dropout by stage, dropout changes.
  EXPECT_EQ(containers, 6u);
  EXPECT_EQ(count(html, "\"id\":\"chart-"), containers);
  for (std::size_t k = 1; k <= containers; ++k) {
    EXPECT_EQ(count(html, fmt::format("id=\"chart-{}\"", k)), 1u) << k;
  }
  for (const char* type : {"\"type\":\"sankey\"", "\"type\":\"line\"", "\"type\":\"bar\""}) {
    EXPECT_NE(html.find(type), std::string::npos) << type;
  }
}

TEST(HtmlReport, EmbedsTheChartingLibraryAndLoadsNothingFromOutside) {
  const std::string html = html_report(comparison().report);
  const std::string library = html_assets::echarts_js();
  ASSERT_GT(library.size(), 500000u);
  EXPECT_NE(html.find(library), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

// One copy of the chart code: the report inlines report_charts.js, which the studio serves.
TEST(HtmlReport, InlinesTheSharedChartCodeOnce) {
  const std::string html = html_report(comparison().report);
  const std::string code = html_assets::report_charts_js();
  ASSERT_NE(code.find("function cjsimDrawCharts("), std::string::npos);
  EXPECT_EQ(count(html, code), 1u);
  EXPECT_EQ(count(html, "function fitSankey("), 1u);
  EXPECT_EQ(count(html, "window.cjsimDrawCharts(specs, {errors"), 1u);
}

// The chart data a page draws without the report is the report's own, container by container.
TEST(HtmlReport, ChartDataIsTheReportsChartsWithTheirContainers) {
  const std::string html = html_report(comparison().report);
  const nlohmann::json specs = chart_data_json(comparison().report);
  ASSERT_TRUE(specs.is_array());
  EXPECT_EQ(specs.size(), count(html, "<div class=\"chart"));
  for (std::size_t k = 0; k < specs.size(); ++k) {
    const nlohmann::json& spec = specs[k];
    EXPECT_EQ(spec.at("id"), fmt::format("chart-{}", k + 1));
    EXPECT_TRUE(spec.at("option").is_object());
    const int height = spec.at("height").get<int>();
    EXPECT_NE(html.find(fmt::format("id=\"chart-{}\" style=\"height:{}px\"", k + 1, height)),
              std::string::npos)
        << k;
  }
  std::size_t sankeys = 0;
  for (const nlohmann::json& spec : specs) sankeys += spec.contains("sankey") ? 1 : 0;
  EXPECT_EQ(sankeys, 2u);  // one per scenario
  // The same JSON as the page holds (there made safe inside its script element).
  const std::string start = "<script type=\"application/json\" id=\"cjsim-charts\">";
  const std::size_t at = html.find(start);
  ASSERT_NE(at, std::string::npos);
  const std::size_t end = html.find("</script>", at);
  EXPECT_EQ(nlohmann::json::parse(html.substr(at + start.size(), end - at - start.size())), specs);
}

TEST(HtmlReport, ScriptEndInTheScenarioTextCannotCloseAScript) {
  const std::string html = html_report(comparison().report);
  EXPECT_EQ(html.find("<script>alert("), std::string::npos);
  EXPECT_NE(html.find("# &lt;/script&gt;&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"),
            std::string::npos);
  // Every script element that opens is closed once, by its own end tag: the error catcher,
  // the library, the chart code, the chart data and the code that starts the drawing.
  EXPECT_EQ(count(html, "<script"), count(html, "</script>"));
  EXPECT_EQ(count(html, "</script>"), 5u);
}

TEST(HtmlReport, ChartDataCannotCloseItsScriptElement) {
  ComparisonReport report = comparison().report;
  report.labels[0] = "A </script><b>bold</b> & co";
  const std::string html = html_report(report);
  EXPECT_EQ(count(html, "</script>"), 5u);
  EXPECT_NE(html.find("A \\u003c/script\\u003e\\u003cb\\u003ebold"), std::string::npos);
  EXPECT_NE(html.find("A &lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; co"), std::string::npos);
}

TEST(HtmlReport, FormatsNumbersForPeople) {
  const Fixture& f = comparison();
  const std::string html = html_report(f.report);
  const HeadlineFigures& h = f.report.summaries[0].overall;
  EXPECT_NE(html.find("3,000"), std::string::npos);
  EXPECT_NE(html.find(fmt::format("{:.2f} %", 100 * h.conversion_rate.value)), std::string::npos);
  EXPECT_NE(html.find(money(h.revenue_per_agent.value)), std::string::npos);
  EXPECT_EQ(money(1234567.891), "1,234,567.89");
  EXPECT_EQ(money(-1234.5), "-1,234.50");
  EXPECT_EQ(money(999.999), "1,000.00");
  EXPECT_EQ(figure_text("conversion_rate", 0.1234), "12.34 %");
  EXPECT_EQ(difference_text("conversion_rate", 0.012), "+1.20 pp");
  EXPECT_EQ(figure_text("hours_to_convert", 3.2), "3.20 h");
  EXPECT_EQ(figure_text("nps", NAN), "n/a");
}

// Every difference made significant and positive: each is coloured by its figure's better
// direction in the table, and a figure with none (visits per agent) is only marked.
TEST(HtmlReport, SaysWhetherAChangeIsBetterByItsFiguresDirection) {
  ComparisonReport report = comparison().report;
  for (Difference& d : report.differences) {
    d.significant = true;
    d.difference = {1.0, 0.5, 1.5};
  }
  const std::string html = html_report(report);
  // The class of the difference cell in the first table row labelled `label`.
  auto css_of = [&](const std::string& label) {
    const std::size_t row = html.find("<td>" + label + "</td>");
    if (row == std::string::npos) return std::string("(no row)");
    const std::string start = "<td class=\"num ";
    const std::size_t cell = html.find(start, row);
    if (cell == std::string::npos || cell > html.find('\n', row)) return std::string("(no cell)");
    const std::size_t from = cell + start.size();
    return html.substr(from, html.find('"', from) - from);
  };
  EXPECT_EQ(css_of("Conversion rate"), "better");
  EXPECT_EQ(css_of("Cost per agent"), "worse");
  EXPECT_EQ(css_of("Touchpoints per agent"), "worse");
  EXPECT_EQ(css_of("Hours to convert"), "worse");
  EXPECT_EQ(css_of("Dropout"), "worse");
  EXPECT_EQ(css_of("Mean emotion"), "better");
  EXPECT_EQ(css_of("Visits per agent"), "changed");
  EXPECT_NE(html.find("<span class=\"tag worse\">worse</span>"), std::string::npos);
}

TEST(HtmlReport, OpensWithTheAnswerAndWhatEachFutureStateChanged) {
  const ComparisonReport& report = comparison().report;
  const std::string html = html_report(report);
  const std::size_t answer = html.find("<section id=\"answer\"");
  ASSERT_NE(answer, std::string::npos);
  EXPECT_LT(answer, html.find("<section id=\"headline\""));
  const std::vector<std::string> sentences = comparison_answer(report);
  ASSERT_FALSE(sentences.empty());
  for (const std::string& s : sentences) {
    EXPECT_NE(html.find("<li>" + html_escape(s) + "</li>", answer), std::string::npos) << s;
  }
  // The changes, as `cjsim diff` words them, one list item each.
  const std::string data = CJSIM_TEST_DATA;
  Diagnostics diagnostics;
  const auto current = load_valid_scenario(data + "/tiny.yaml", diagnostics);
  const auto future = load_valid_scenario(data + "/tiny_future.yaml", diagnostics);
  ASSERT_TRUE(current && future);
  const std::vector<JourneyDifference> changes = diff_scenarios(*current, *future);
  ASSERT_FALSE(changes.empty());
  std::istringstream lines(format_differences(changes));
  std::size_t entries = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("  ")) continue;
    ++entries;
    const std::string item =
        "<li>" + html_escape(line.substr(line.find_first_not_of(' '))) + "</li>";
    EXPECT_NE(html.find(item, answer), std::string::npos) << item;
  }
  EXPECT_GT(entries, 0u);
}

TEST(HtmlReport, DrawsTheEmotionCurveTouchpointByTouchpointWithPersonasAndMoments) {
  const ComparisonReport& report = comparison().report;
  const std::string html = html_report(report);
  // The curve's categories: every touchpoint's name, in the map's (stage) order.
  std::string names;
  for (const JourneyStep& step : touchpoint_union(report)) {
    if (!names.empty()) names += ',';
    names += nlohmann::json(step.name).dump();
  }
  EXPECT_NE(html.find("\"data\":[" + names + "]"), std::string::npos) << names;
  // One view per persona beside all customers.
  for (const PersonaFigures& p : report.summaries[0].personas) {
    EXPECT_NE(html.find("\"label\":\"" + p.id + "\""), std::string::npos) << p.id;
  }
  EXPECT_NE(html.find("\"label\":\"All customers\""), std::string::npos);
  // The moments of truth on their cards.
  const MomentsOnMap moments = moments_on_map(report.summaries[0]);
  ASSERT_FALSE(moments.emotion_id.empty());
  ASSERT_FALSE(moments.dropout_id.empty());
  for (const std::string& id : {moments.emotion_id, moments.dropout_id}) {
    const std::size_t at = html.find("data-touchpoint=\"" + id + "\"");
    ASSERT_NE(at, std::string::npos) << id;
    const std::string marked = "<div class=\"card moment\"";
    EXPECT_EQ(html.compare(html.rfind("<div class=\"card", at), marked.size(), marked), 0) << id;
  }
  EXPECT_NE(html.find("moment of truth: largest emotional impact"), std::string::npos);
  EXPECT_NE(html.find("moment of truth: most dropouts"), std::string::npos);
}

// The bank's current-account journey (every journey-map word filled in) and two of its future
// states, compared on few agents, their metadata as `cjsim compare` records it.
const Fixture& bank_comparison() {
  const std::string examples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";
  static const Fixture fixture = compared({examples + "bank_current_account.yaml",
                                           examples + "bank_current_account_guided_id.yaml",
                                           examples + "bank_current_account_overdraft_alert.yaml"},
                                          3, 400);
  return fixture;
}

// The HTML of the card of touchpoint `id`, up to the next card or stage.
std::string card_of(const std::string& html, const std::string& id) {
  const std::size_t at = html.find("data-touchpoint=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const std::size_t end = html.find("<div class=\"card", at);
  return html.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

TEST(HtmlReport, ShowsTheJourneyMapsWordsOnItsCardsStagesAndPersonas) {
  const Fixture& f = bank_comparison();
  const std::string html = html_report(f.report);
  const std::size_t map = html.find("<section id=\"map\"");
  ASSERT_NE(map, std::string::npos);
  // The journey's notes near the top of the map, before the chart.
  const std::size_t notes = html.find("Built from the 2026 onboarding funnel", map);
  EXPECT_LT(notes, html.find("id=\"chart-", map));
  // A card: its description, what the customer does and thinks, pain points and opportunities
  // in their flagged lists, its owner.
  const std::string review = card_of(html, "manual_id_review");
  ASSERT_FALSE(review.empty());
  for (const char* words :
       {"An analyst reviews the documents the automatic check could not decide.",
        "Waits, and checks the app for news.", "Has something gone wrong?",
        "Send the expected time and a status in the app", "owner: Financial crime operations"}) {
    EXPECT_NE(review.find(words), std::string::npos) << words;
  }
  const std::size_t pains = review.find("class=\"pains\"");
  ASSERT_NE(pains, std::string::npos);
  EXPECT_LT(pains, review.find("No estimate of how long the review takes"));
  EXPECT_LT(review.find("class=\"opps\""), review.find("Send the expected time"));
  // The future state's changed words on the card, in its colour; unchanged words not repeated.
  const std::size_t future = review.find("class=\"future-words\"");
  ASSERT_NE(future, std::string::npos);
  EXPECT_NE(review.find("Sees the expected time and the review&#39;s status in the app.", future),
            std::string::npos);
  EXPECT_NE(review.find("Weekend review shifts", future), std::string::npos);
  EXPECT_EQ(review.find("An analyst reviews", future), std::string::npos);
  // A touchpoint only a future state has carries that state's words.
  EXPECT_NE(card_of(html, "id_help_chat").find("Good, someone can see what went wrong"),
            std::string::npos);
  // Stage columns headed by their description and goals, a future state's changed goals too.
  EXPECT_NE(html.find("The customer notices the bank and its account.", map), std::string::npos);
  EXPECT_NE(html.find("Know what switching involves", map), std::string::npos);
  EXPECT_NE(html.find("Know at once why a check failed", map), std::string::npos);
  // Personas by name: on the chart's buttons, in the tables, with who they are.
  EXPECT_NE(html.find("\"label\":\"Maya, the app-first switcher\""), std::string::npos);
  const std::size_t personas = html.find("<section id=\"personas\"");
  ASSERT_NE(personas, std::string::npos);
  for (const char* words :
       {"<tr><td>Maya, the app-first switcher</td>", "Graham, the branch regular",
        "If I have to phone someone, I have already lost interest.",
        "Move the salary without missing a bill",
        "<dt>occupation</dt><dd>marketing manager</dd>"}) {
    EXPECT_NE(html.find(words, personas), std::string::npos) << words;
  }
  // Every word is escaped: the page holds no unescaped quote from the scenario's texts.
  EXPECT_EQ(html.find("review's status"), std::string::npos);
}

TEST(HtmlReport, LanesMakeAServiceBlueprintWithItsLineOfVisibility) {
  const std::string html = html_report(bank_comparison().report);
  const std::size_t blueprint = html.find("<div class=\"blueprint\"");
  ASSERT_NE(blueprint, std::string::npos);
  const std::size_t front = html.find("<div class=\"bp-lane\">frontstage</div>", blueprint);
  const std::size_t line = html.find("class=\"bp-visibility\"", blueprint);
  const std::size_t back = html.find("<div class=\"bp-lane\">backstage</div>", blueprint);
  const std::size_t support = html.find("<div class=\"bp-lane\">support</div>", blueprint);
  ASSERT_NE(front, std::string::npos);
  ASSERT_NE(support, std::string::npos);
  EXPECT_LT(front, line);
  EXPECT_LT(line, back);
  EXPECT_LT(back, support);
  // The manual review sits below the line, the advert above it.
  const std::size_t review = html.find("data-touchpoint=\"manual_id_review\">", blueprint);
  EXPECT_GT(review, back);
  EXPECT_LT(review, support);
  EXPECT_LT(html.find("data-touchpoint=\"social_ad\">", blueprint), line);
  // One lane row per lane, every stage a column.
  EXPECT_EQ(count(html, "class=\"bp-lane\""), 3u);
  EXPECT_EQ(count(html, "class=\"bp-stage\""), stage_union(bank_comparison().report).size());
}

TEST(HtmlReport, AJourneyWithoutWordsGivesThePageAsBefore) {
  const std::string html = html_report(comparison().report);
  for (const char* part : {"class=\"words\"", "class=\"future-words\"", "class=\"journey-notes\"",
                           "class=\"persona-cards\"", "class=\"blueprint\"", "Service blueprint"}) {
    EXPECT_EQ(html.find(part), std::string::npos) << part;
  }
}

TEST(ReportFromFile, ShowsTheSameWordsAsTheLiveComparison) {
  const Fixture& f = bank_comparison();
  const std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("html_words_test_{}.h5", getpid()))
          .string();
  std::vector<const CompiledJourney*> journeys;
  for (const CompiledJourney& j : f.journeys) journeys.push_back(&j);
  PendingFile file(path, Overwrite::refuse);
  write_comparison_file(file, f.report, journeys, f.run);
  file.commit();
  const ReportedResults read = read_results_file(path);
  std::filesystem::remove(path);
  const std::string html = html_report(read.report);
  EXPECT_NE(card_of(html, "manual_id_review").find("Weekend review shifts"), std::string::npos);
  EXPECT_NE(html.find("<div class=\"blueprint\""), std::string::npos);
  EXPECT_EQ(html, html_report(f.report));
}

TEST(MarkdownReport, HoldsTheSummaryFiguresAndTheScenario) {
  const Fixture& f = comparison();
  const std::string md = markdown_report(f.report);
  for (const Summary& s : f.report.summaries) {
    for (const Figure& figure : kHeadlineFigures) {
      const Estimate& e = s.overall.*figure.member;
      EXPECT_NE(md.find(figure_text(figure.name, e.value) + " " + interval_text(figure.name, e)),
                std::string::npos)
          << figure.name;
    }
    for (const TouchpointFigures& t : s.touchpoints) {
      EXPECT_NE(md.find("| " + t.name + " | " + t.stage + " |"), std::string::npos) << t.id;
    }
  }
  EXPECT_NE(md.find("```yaml\n"), std::string::npos);
  EXPECT_NE(md.find("## Differences: "), std::string::npos);
}

TEST(CsvReport, HoldsTheSummaryFiguresExactly) {
  const Fixture& f = comparison();
  const std::string csv = csv_report(f.report);
  EXPECT_TRUE(csv.starts_with(
      "table,scenario,scope,metric,value,ci_low,ci_high,current,future,significant\n"));
  const Summary& s = f.report.summaries[0];
  const Estimate& e = s.overall.conversion_rate;
  EXPECT_NE(csv.find(fmt::format("headline,{},overall,conversion_rate,{},{},{},,,\n", s.scenario,
                                 e.value, e.low, e.high)),
            std::string::npos);
  const TouchpointFigures& t = s.touchpoints.front();
  EXPECT_NE(csv.find(fmt::format("touchpoints,{},touchpoint:{},visits,{},,,,,\n", s.scenario, t.id,
                                 t.visits)),
            std::string::npos);
  // The future state's label holds a comma: the field is quoted.
  const std::string future = "\"" + f.report.labels[1] + "\"";
  ASSERT_NE(f.report.labels[1].find(','), std::string::npos);
  for (const Difference& d : f.report.differences) {
    if (d.metric != "conversion_rate" || d.scope != "overall") continue;
    EXPECT_NE(csv.find(fmt::format("differences,{},overall,conversion_rate,{},{},{},", future,
                                   d.difference.value, d.difference.low, d.difference.high)),
              std::string::npos);
  }
  // Every row has the header's ten columns (commas inside quotes do not separate).
  std::size_t rows = 0;
  for (std::size_t at = 0, end; (end = csv.find('\n', at)) != std::string::npos; at = end + 1) {
    int separators = 0;
    bool quoted = false;
    for (std::size_t i = at; i < end; ++i) {
      if (csv[i] == '"') quoted = !quoted;
      if (csv[i] == ',' && !quoted) ++separators;
    }
    EXPECT_EQ(separators, 9) << csv.substr(at, end - at);
    ++rows;
  }
  EXPECT_GT(rows, 50u);
}

TEST(ReportFromFile, IsTheReportOfTheRunItself) {
  const Fixture& f = comparison();
  const std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("html_report_test_{}.h5", getpid()))
          .string();
  std::vector<const CompiledJourney*> journeys;
  for (const CompiledJourney& j : f.journeys) journeys.push_back(&j);
  PendingFile file(path, Overwrite::refuse);
  write_comparison_file(file, f.report, journeys, f.run);
  file.commit();
  const ReportedResults read = read_results_file(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(read.comparison);
  EXPECT_EQ(read.report.labels, f.report.labels);
  EXPECT_EQ(read.report.differences.size(), f.report.differences.size());
  EXPECT_EQ(markdown_report(read.report), markdown_report(f.report));
  EXPECT_EQ(html_report(read.report), html_report(f.report));
}

TEST(ReportFromFile, RefusesAFileThatIsNotAResult) {
  EXPECT_THROW(read_results_file(std::string(CJSIM_TEST_DATA) + "/tiny.yaml"), std::runtime_error);
  EXPECT_THROW(read_results_file("/nonexistent/results.h5"), std::runtime_error);
}

// A comparison whose stage, touchpoint and channel names hold what breaks tables and pages:
// CSV's comma, quote and line breaks, Markdown's '|', HTML and script tags, a NUL.
ComparisonReport report_with_awkward_names() {
  Diagnostics diagnostics;
  Scenario current = *load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  const std::vector<std::string> stages = {"aware|ness\r\nline two", "con,sid\"er\"",
                                           "</script><b>buy</b>"};
  for (Touchpoint& t : current.touchpoints) {
    const auto at = std::ranges::find(current.stages, t.stage) - current.stages.begin();
    t.stage = stages[static_cast<std::size_t>(at)];
  }
  current.stages = stages;
  current.touchpoints[0].name = "ad | \"quoted\", comma";
  current.touchpoints[1].name = "prod\nuct";
  current.touchpoints[2].name = "<img src=x onerror=alert(1)>";
  current.touchpoints[3].name = std::string("check\0out", 9);
  current.touchpoints[0].channel = "social, paid";
  for (std::size_t k = 1; k < current.touchpoints.size(); ++k)
    current.touchpoints[k].channel = "e|mail";
  Scenario future = current;
  future.name = "future | \"state\"";
  future.touchpoints[1].dropout = 0.1;
  std::vector<CompiledJourney> journeys = {compile(current), compile(future)};
  RunOptions options;
  options.agents = 2000;
  options.seed = 3;
  const ComparisonRun run = run_comparison(journeys, options);
  ComparisonReport report;
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    RunMetadata m;
    m.scenario_path = "awkward.yaml";
    m.seed = 3;
    m.agents = 2000;
    report.metadata.push_back(m);
    report.labels.push_back(k == 0 ? current.name : future.name);
    report.summaries.push_back(summarize(journeys[k], run.runs[k].replications));
  }
  report.differences = differences(run);
  report.method = comparison_method(1);
  return report;
}

// Pipes that end a Markdown cell (not escaped).
std::size_t cell_bars(std::string_view line) {
  std::size_t bars = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    bars += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
  return bars;
}

TEST(Reports, AwkwardNamesKeepEveryTableAndPageWhole) {
  const ComparisonReport report = report_with_awkward_names();

  // CSV: every record has the header's fields, read back by cjsim's own RFC 4180 reader.
  std::istringstream csv(csv_report(report));
  CsvReader reader(csv, "report.csv", ',');
  std::vector<std::string> fields;
  Diagnostics d;
  ASSERT_TRUE(reader.next(fields, d));
  const std::size_t columns = fields.size();
  std::size_t records = 0;
  bool saw_stage = false;
  while (reader.next(fields, d)) {
    EXPECT_EQ(fields.size(), columns) << "record at line " << reader.line();
    saw_stage =
        saw_stage || std::ranges::find(fields, "stage:aware|ness\r\nline two") != fields.end();
    ++records;
  }
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  EXPECT_GT(records, 50u);
  EXPECT_TRUE(saw_stage) << "a stage name did not come back whole";

  // Markdown: within each table, every row has the header's number of cells.
  std::istringstream markdown(markdown_report(report));
  std::string line;
  std::size_t table_bars = 0;
  std::size_t rows = 0;
  while (std::getline(markdown, line)) {
    if (!line.starts_with("|")) {
      table_bars = 0;
      continue;
    }
    if (table_bars == 0) table_bars = cell_bars(line);
    EXPECT_EQ(cell_bars(line), table_bars) << line;
    ++rows;
  }
  EXPECT_GT(rows, 20u);

  // HTML: names are text, never markup; the page has the same elements as with plain names.
  const std::string html = html_report(report);
  EXPECT_EQ(html.find("<b>buy</b>"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(count(html, "<script"), count(html_report(comparison().report), "<script"));
  EXPECT_EQ(count(html, "</script>"), count(html, "<script"));
}

}  // namespace
}  // namespace cjsim
