// Comparing two compiled journeys on what a walk through them reads (agent.h, step by step).
#include "sim/model/walk_sharing.h"

#include <bit>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace cjsim {
namespace {

// A field added to the compiled journey may be read by the walk: then the comparisons below
// must compare it too. These sizes (libstdc++'s C++11 strings, 64 bits) change when a field is
// added, so that nobody adds one without looking here.
#if defined(__GLIBCXX__) && _GLIBCXX_USE_CXX11_ABI && !defined(_GLIBCXX_DEBUG) && \
    UINTPTR_MAX == 0xffffffffffffffffu
static_assert(sizeof(PersonaTables) == 360,
              "PersonaTables changed: does the walk read the new field? Compare it below");
static_assert(sizeof(CompiledJourney) == 880,
              "CompiledJourney changed: does the walk read the new field? Compare it below");
#endif

// Bit for bit: -0.0 and 0.0 differ, and a NaN is the same as itself only with the same bits.
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!same(a[i], b[i])) return false;
  }
  return true;
}

// start_agent and the settings take_step reads.
bool starts_alike(const CompiledJourney& a, const CompiledJourney& b,
                  const std::vector<std::uint32_t>& touchpoint) {
  if (!same(a.memory, b.memory) || !same(a.kappa, b.kappa) || a.max_steps != b.max_steps ||
      !same(a.horizon_hours, b.horizon_hours) ||
      !same(a.persona_cumulative, b.persona_cumulative) || a.persona_count() != b.persona_count()) {
    return false;
  }
  for (std::size_t k = 0; k < a.persona_count(); ++k) {
    const PersonaTables& p = a.personas[k];
    const PersonaTables& q = b.personas[k];
    if (!same(p.sensitivity, q.sensitivity) || !same(p.value_multiplier, q.value_multiplier) ||
        !same(p.initial_emotion_mean, q.initial_emotion_mean) ||
        !same(p.initial_emotion_sd, q.initial_emotion_sd) ||
        !same(p.entry_cumulative, q.entry_cumulative) ||
        p.entry_touchpoints.size() != q.entry_touchpoints.size()) {
      return false;
    }
    for (std::size_t e = 0; e < p.entry_touchpoints.size(); ++e) {
      const std::uint32_t v = p.entry_touchpoints[e];
      const std::uint32_t in_b = v == kLostEntry ? kLostEntry : touchpoint[v];
      if (in_b == kNotInOther || in_b != q.entry_touchpoints[e]) return false;
    }
  }
  return true;
}

// take_step at touchpoint v of `a` and w of `b`, the personas' tables included (starts_alike
// has checked that both journeys have as many personas).
bool steps_alike(const CompiledJourney& a, std::uint32_t v, const CompiledJourney& b,
                 std::uint32_t w, const std::vector<std::uint32_t>& touchpoint) {
  if (!same(a.emotion_mean[v], b.emotion_mean[w]) || !same(a.emotion_sd[v], b.emotion_sd[w]) ||
      a.duration_kind[v] != b.duration_kind[w] || !same(a.duration_a[v], b.duration_a[w]) ||
      !same(a.duration_b[v], b.duration_b[w]) || !same(a.cost[v], b.cost[w]) ||
      a.is_conversion[v] != b.is_conversion[w] ||
      !same(a.conversion_value[v], b.conversion_value[w]) ||
      a.emotion_steers_choice[v] != b.emotion_steers_choice[w]) {
    return false;
  }
  const std::uint32_t a_begin = a.out_begin[v], b_begin = b.out_begin[w];
  const std::uint32_t degree = a.out_begin[v + 1] - a_begin;
  if (b.out_begin[w + 1] - b_begin != degree) return false;
  for (std::uint32_t i = 0; i < degree; ++i) {
    if (touchpoint[a.transition_to[a_begin + i]] != b.transition_to[b_begin + i] ||
        a.bias_group[a_begin + i] != b.bias_group[b_begin + i]) {
      return false;
    }
  }
  const std::uint32_t biases = a.bias_begin[v + 1] - a.bias_begin[v];
  if (b.bias_begin[w + 1] - b.bias_begin[w] != biases) return false;
  for (std::uint32_t i = 0; i < biases; ++i) {
    if (!same(a.bias_values[a.bias_begin[v] + i], b.bias_values[b.bias_begin[w] + i])) return false;
  }
  for (std::size_t k = 0; k < a.persona_count(); ++k) {
    const PersonaTables& p = a.personas[k];
    const PersonaTables& q = b.personas[k];
    if (!same(p.dropout_log_odds[v], q.dropout_log_odds[w]) ||
        !same(p.dropout_static[v], q.dropout_static[w]) ||
        !same(p.dropout_sure[v], q.dropout_sure[w]) ||
        !same(p.dropout_never[v], q.dropout_never[w]) || !same(p.bias_max[v], q.bias_max[w]) ||
        !same(p.bias_min[v], q.bias_min[w])) {
      return false;
    }
    for (std::uint32_t i = 0; i < degree; ++i) {
      if (!same(p.transition_weight[a_begin + i], q.transition_weight[b_begin + i]) ||
          !same(p.transition_cumulative[a_begin + i], q.transition_cumulative[b_begin + i])) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

WalkSharing walk_sharing(const CompiledJourney& first, const CompiledJourney& second) {
  const std::size_t n = first.touchpoint_count();
  WalkSharing out;
  out.touchpoint.assign(n, kNotInOther);
  out.same_step.assign(n, 0);
  out.transition.assign(first.transition_count(), kNotInOther);

  std::unordered_map<std::string_view, std::uint32_t> in_second;
  for (std::uint32_t w = 0; w < second.touchpoint_count(); ++w) {
    // Ids are unique in a valid journey; a repeated one matches nothing.
    if (!in_second.emplace(second.touchpoint_ids[w], w).second)
      in_second[second.touchpoint_ids[w]] = kNotInOther;
  }
  std::unordered_map<std::string_view, int> seen_in_first;
  for (std::uint32_t v = 0; v < n; ++v) ++seen_in_first[first.touchpoint_ids[v]];
  for (std::uint32_t v = 0; v < n; ++v) {
    auto it = in_second.find(first.touchpoint_ids[v]);
    if (it != in_second.end() && seen_in_first[first.touchpoint_ids[v]] == 1) {
      out.touchpoint[v] = it->second;
    }
  }

  out.same_start = starts_alike(first, second, out.touchpoint);
  // Without the same set-up no walk is shared; the personas' tables below also need as many
  // personas on both sides.
  if (!out.same_start) return out;
  for (std::uint32_t v = 0; v < n; ++v) {
    const std::uint32_t w = out.touchpoint[v];
    if (w == kNotInOther || !steps_alike(first, v, second, w, out.touchpoint)) continue;
    out.same_step[v] = 1;
    for (std::uint32_t i = 0; i < first.out_begin[v + 1] - first.out_begin[v]; ++i) {
      out.transition[first.out_begin[v] + i] = second.out_begin[w] + i;
    }
  }
  return out;
}

}  // namespace cjsim
