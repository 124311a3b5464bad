// Summary -> text.
#include "reports/render/text_report.h"
#include "scenarios/diagnostic.h"

#include <fmt/format.h>

#include <cmath>

namespace cjsim {
namespace {

std::string fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:.{}f}", x, decimals);
}

std::string signed_fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:+.{}f}", x, decimals);
}

std::string interval(const Estimate& e, int decimals, double scale = 1.0) {
  if (!std::isfinite(e.low) || !std::isfinite(e.high)) return "";
  return fmt::format("[{:.{}f}, {:.{}f}]", e.low * scale, decimals, e.high * scale, decimals);
}

void headline_line(std::string& out, std::string_view label, const Estimate& e, int decimals,
                   std::string_view unit = "", double scale = 1.0) {
  const std::string value = std::isfinite(e.value) ? fmt::format("{:.{}f}{}", e.value * scale,
                                                                 decimals, unit)
                                                   : std::string("n/a");
  out += fmt::format("  {:<28}{:>14}  {}\n", label, value, interval(e, decimals, scale));
}

void headline_section(std::string& out, const HeadlineFigures& h) {
  out += "Headline\n";
  headline_line(out, "Conversion rate", h.conversion_rate, 2, " %", 100.0);
  headline_line(out, "Revenue per agent", h.revenue_per_agent, 2);
  headline_line(out, "Cost per agent", h.cost_per_agent, 2);
  headline_line(out, "Margin per agent", h.margin_per_agent, 2);
  headline_line(out, "Hours to convert", h.hours_to_convert, 2, " h");
  headline_line(out, "Journey length", h.journey_hours, 2, " h");
  headline_line(out, "Touchpoints per agent", h.steps_per_agent, 3);
  headline_line(out, "NPS (customers)", h.nps, 1);
  headline_line(out, "Likelihood to recommend", h.likelihood_to_recommend, 2, " /10");
  out += fmt::format("  {:<28}{:>14}  ({} promoters, {} detractors among {} customers)\n",
                     "Promoters / detractors", "", with_thousands(h.promoters),
                     with_thousands(h.detractors), with_thousands(h.conversions));
}

void ended_section(std::string& out, const HeadlineFigures& h) {
  out += "\nHow journeys ended\n";
  for (int k = 0; k < kEndingCount; ++k) {
    const double share = h.agents == 0 ? 0.0 : static_cast<double>(h.ended[k]) / h.agents;
    out += fmt::format("  {:<12}{:>14}  {:>9}\n", kEndingNames[k], with_thousands(h.ended[k]),
                       percent(share, 2));
  }
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

void stage_section(std::string& out, const Summary& s) {
  out += "\nStages (reach, dropout among those reaching the stage, the emotion curve)\n";
  out += fmt::format("  {:<16}{:>10}{:>12}{:>12}  {:>7}  {}\n", "stage", "reach", "dropout",
                     "visits", "emotion", "-1 ........ 0 ........ +1");
  for (const StageFigures& st : s.stages) {
    out += fmt::format("  {:<16}{:>10}{:>12}{:>12}  {:>7}  {}\n", st.name,
                       percent(st.reach_rate.value, 1), percent(st.dropout_rate.value, 1),
                       with_thousands(st.visits), signed_fixed(st.mean_emotion.value, 2),
                       emotion_bar(st.mean_emotion.value));
  }
}

void touchpoint_section(std::string& out, const Summary& s) {
  out += "\nTouchpoints\n";
  out += fmt::format("  {:<24}{:<15}{:<10}{:>12}{:>11}{:>12}{:>10}{:>9}\n", "touchpoint", "stage",
                     "channel", "visits", "per agent", "dropouts", "drop %", "emotion");
  for (const TouchpointFigures& t : s.touchpoints) {
    out += fmt::format("  {:<24}{:<15}{:<10}{:>12}{:>11}{:>12}{:>10}{:>9}\n", t.id, t.stage,
                       t.channel, with_thousands(t.visits), fixed(t.visits_per_agent.value, 3),
                       with_thousands(t.dropouts), percent(t.dropout_rate.value, 1),
                       signed_fixed(t.mean_emotion.value, 2));
  }
}

void persona_section(std::string& out, const Summary& s) {
  out += "\nPersonas\n";
  out += fmt::format("  {:<20}{:>8}{:>12}{:>12}{:>22}{:>12}{:>8}\n", "persona", "share", "agents",
                     "conversion", "[95% interval]", "revenue", "NPS");
  for (const PersonaFigures& p : s.personas) {
    const HeadlineFigures& h = p.figures;
    out += fmt::format("  {:<20}{:>8}{:>12}{:>12}{:>22}{:>12}{:>8}\n", p.id, percent(p.share, 1),
                       with_thousands(h.agents), percent(h.conversion_rate.value, 2),
                       interval(h.conversion_rate, 2, 100.0), fixed(h.revenue_per_agent.value, 2),
                       fixed(h.nps.value, 1));
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
