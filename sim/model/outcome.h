// What one agent's journey came to: how it ended and its per-agent figures.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cjsim {

// `abandoned` (a calendar journey's agent that gave up waiting, sim/model/MODEL.md 2.3) is
// counted apart: kEndingCount and kEndingNames are the plain model's endings, which every
// plain result holds; kCalendarEndingNames adds it. `lost` (an agent whose entry a future
// state removed with its traffic, MODEL.md 1.11) is counted apart too, and shown only where
// there are some, so that a journey that loses no entry reports exactly as before.
enum class Ending : std::uint8_t {
  completed = 0,
  dropped = 1,
  capped = 2,
  censored = 3,
  abandoned = 4,
  lost = 5
};
inline constexpr int kEndingCount = 4;
inline constexpr std::array<std::string_view, kEndingCount> kEndingNames = {
    "completed", "dropped", "capped", "censored"};
inline constexpr int kCalendarEndingCount = 5;
inline constexpr std::array<std::string_view, kCalendarEndingCount> kCalendarEndingNames = {
    "completed", "dropped", "capped", "censored", "abandoned"};
inline constexpr std::string_view kLostEndingName = "lost";

struct AgentOutcome {
  std::uint32_t persona = 0;
  std::uint32_t entry = 0;       // first touchpoint
  std::uint32_t last = 0;        // touchpoint where the journey ended
  Ending ending = Ending::completed;
  bool converted = false;
  std::uint32_t steps = 0;       // touchpoints visited
  double final_emotion = 0.0;
  double peak_emotion = 0.0;
  double peak_end = 0.0;         // (peak + final) / 2
  double likelihood_to_recommend = 0.0;  // 0-10
  double hours = 0.0;            // clock at the end of the journey
  double hours_to_convert = 0.0; // clock at conversion (0 when not converted)
  double revenue = 0.0;
  double cost = 0.0;
};

}  // namespace cjsim
