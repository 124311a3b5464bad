// Summary -> text, each figure written as every report writes it (report_format.h).
#include "reports/render/text_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "reports/render/report_format.h"
#include "scenarios/diagnostic.h"

namespace cjsim {
namespace {

// Every headline figure of the table, with its interval.
void headline_section(std::string& out, const HeadlineFigures& h) {
  out += "Headline\n";
  for (const Figure& f : kHeadlineFigures) {
    const Estimate& e = h.*f.member;
    out += fmt::format("  {:<32}{:>14}  {}\n", f.label, figure_text(f.name, e.value),
                       interval_text(f.name, e));
  }
  out += fmt::format("  {:<32}{:>14}  ({} promoters, {} detractors among {} customers)\n",
                     "Promoters / detractors", "", with_thousands(h.promoters),
                     with_thousands(h.detractors), with_thousands(h.conversions));
}

// How journeys ended, as outcomes that say what happened: a journey that ended dropped is
// split into one that gave up before converting and a customer's that left after converting.
void ended_section(std::string& out, const HeadlineFigures& h) {
  out += "\nHow journeys ended\n";
  auto line = [&](std::string_view name, std::uint64_t count, std::string_view words) {
    const double share = h.agents == 0 ? 0.0 : static_cast<double>(count) / h.agents;
    out += fmt::format("  {:<22}{:>14}  {:>9}{}{}\n", name, with_thousands(count),
                       percent(share, 2), words.empty() ? "" : "  ", words);
  };
  for (int k = 0; k < kEndingCount; ++k) {
    if (k != static_cast<int>(Ending::dropped)) {
      line(kEndingNames[k], h.ended[k], "");
    } else if (h.gave_up && h.left_after_converting) {
      line("gave up", *h.gave_up, "dropped out before converting");
      line("left after converting", *h.left_after_converting,
           "customers who dropped out after converting");
    } else {
      line(kEndingNames[k], h.ended[k],
           "before or after converting: not counted by the cjsim that stored these results");
    }
  }
  if (h.lost > 0) line(kLostEndingName, h.lost, "started at an entry the future state removed");
}

// A bar for an emotion in [-1, 1], centred: left of '|' for negative, right for positive.
std::string emotion_bar(double emotion) {
  if (!std::isfinite(emotion)) return "";
  const int half = 10;
  const int length = static_cast<int>(std::lround(std::min(1.0, std::abs(emotion)) * half));
  std::string left(half, ' '), right(half, ' ');
  if (emotion < 0) {
    for (int i = 0; i < length; ++i) left[half - 1 - i] = '#';
  } else {
    for (int i = 0; i < length; ++i) right[i] = '#';
  }
  return left + "|" + right;
}

// Whether the dropouts of these rows are split into giving up and leaving after converting.
template <class Row>
bool split_known(const std::vector<Row>& rows) {
  return std::all_of(rows.begin(), rows.end(),
                     [](const Row& r) { return r.dropouts_after_converting.has_value(); });
}

void stage_section(std::string& out, const Summary& s) {
  const bool split = split_known(s.stages);
  out += split
             ? "\nStages (reach; of those reaching the stage, the share whose journey ended in it "
               "by giving up before converting, and by leaving after converting; the emotion "
               "curve)\n"
             : "\nStages (reach, dropout among those reaching the stage, the emotion curve)\n";
  const std::string dropout_head =
      split ? fmt::format("{:>10}{:>12}", "gave up", "left") : fmt::format("{:>12}", "dropout");
  out += fmt::format("  {:<16}{:>10}{}{:>12}  {:>7}  {}\n", "stage", "reach", dropout_head,
                     "visits", "emotion", "-1 ........ 0 ........ +1");
  for (const StageFigures& st : s.stages) {
    const std::string dropout =
        split ? fmt::format("{:>10}{:>12}",
                            figure_text("dropout_before_converting_rate",
                                        st.dropout_before_converting_rate.value),
                            figure_text("dropout_after_converting_rate",
                                        st.dropout_after_converting_rate.value))
              : fmt::format("{:>12}", figure_text("dropout_rate", st.dropout_rate.value));
    out += fmt::format(
        "  {:<16}{:>10}{}{:>12}  {:>7}  {}\n", st.name,
        figure_text("reach_rate", st.reach_rate.value), dropout, with_thousands(st.visits),
        figure_text("mean_emotion", st.mean_emotion.value), emotion_bar(st.mean_emotion.value));
  }
}

void touchpoint_section(std::string& out, const Summary& s) {
  const bool split = split_known(s.touchpoints);
  out += split ? "\nTouchpoints (gave up and left after converting: journeys that ended there, "
                 "per visit)\n"
               : "\nTouchpoints\n";
  const std::string dropout_head = split ? fmt::format("{:>10}{:>9}", "gave up", "left")
                                         : fmt::format("{:>12}{:>10}", "dropouts", "dropout");
  out += fmt::format("  {:<24}{:<15}{:<10}{:>12}{:>11}{}{:>9}\n", "touchpoint", "stage", "channel",
                     "visits", "per agent", dropout_head, "emotion");
  for (const TouchpointFigures& t : s.touchpoints) {
    const std::string dropout =
        split ? fmt::format("{:>10}{:>9}",
                            figure_text("dropout_before_converting_rate",
                                        t.dropout_before_converting_rate.value),
                            figure_text("dropout_after_converting_rate",
                                        t.dropout_after_converting_rate.value))
              : fmt::format("{:>12}{:>10}", with_thousands(t.dropouts),
                            figure_text("dropout_rate", t.dropout_rate.value));
    out += fmt::format("  {:<24}{:<15}{:<10}{:>12}{:>11}{}{:>9}\n", t.id, t.stage, t.channel,
                       with_thousands(t.visits),
                       figure_text("visits_per_agent", t.visits_per_agent.value), dropout,
                       figure_text("mean_emotion", t.mean_emotion.value));
  }
}

// Each persona's key figures (the compact columns of the figure table).
void persona_section(std::string& out, const Summary& s) {
  std::vector<std::vector<std::string>> rows = {{"persona", "share", "agents"}};
  for (const Figure& f : kHeadlineFigures) {
    if (f.key) rows.front().emplace_back(f.label);
  }
  for (const PersonaFigures& p : s.personas) {
    std::vector<std::string> row = {p.id, percent(p.share, 1), with_thousands(p.figures.agents)};
    for (const Figure& f : kHeadlineFigures) {
      if (f.key) row.push_back(figure_text(f.name, (p.figures.*f.member).value));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  out += "\nPersonas\n";
  for (const auto& row : rows) {
    std::string line = fmt::format("  {:<{}}", row[0], width[0]);
    for (std::size_t c = 1; c < row.size(); ++c) line += fmt::format("  {:>{}}", row[c], width[c]);
    out += line + "\n";
  }
}

}  // namespace

std::string with_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string percent(double share, int decimals) {
  if (!std::isfinite(share)) return "n/a";
  return fmt::format("{:.{}f} %", share * 100.0, decimals);
}

std::string text_report(const Summary& s, const RunMetadata& m) {
  std::string out;
  const double steps_per_second = m.seconds > 0 ? static_cast<double>(s.overall.steps) / m.seconds : 0.0;
  out += fmt::format("{}\n", s.scenario);
  out +=
      fmt::format("{} agents x {}, seed {}, {}, {:.2f} s ({:.1f} M agent-steps/s)\n",
                  with_thousands(s.agents_per_replication), counted(s.replications, "replication"),
                  m.seed, counted(m.threads, "thread"), m.seconds, steps_per_second / 1e6);
  out += s.interval_method + "\n\n";
  headline_section(out, s.overall);
  for (const std::string& note : s.notes) out += "  Note: " + note + "\n";
  ended_section(out, s.overall);
  stage_section(out, s);
  touchpoint_section(out, s);
  persona_section(out, s);
  return out;
}

}  // namespace cjsim
