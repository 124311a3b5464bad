// The keys of a calendar journey's agents and journeys (sim/model/MODEL.md 2.6), and how they
// map onto Philox streams. Organic agent k's first journey is plain agent k's stream exactly:
// counter (k, step, lane, block). Every other journey (a referral's, a return) has a key of
// 124 bits derived from its parent's by Philox itself, (c0 with its top bit set, c1 < 2^61),
// and draws from counter (c0, step, c1 * 8 + lane, block). The plain model uses lanes 0 to 4,
// the calendar engine lanes 5 (draws at a journey's end) and 6 (patience), and lane 7 of
// agent 0 and of the derivations is reserved (the arrival process, key derivation), so no
// two purposes share a block; two derived keys coincide with probability n^2 / 2^125.
#pragma once

#include <Random123/philox.h>

#include <compare>
#include <cstdint>

#include "sim/model/random_stream.h"

namespace cjsim {

struct AgentKey {
  std::uint64_t c0 = 0;  // organic agent k: k; derived: top bit set
  std::uint64_t c1 = 0;  // organic: 0; derived: below 2^61

  friend auto operator<=>(const AgentKey&, const AgentKey&) = default;
  friend bool operator==(const AgentKey&, const AgentKey&) = default;
  bool organic() const { return (c0 >> 63) == 0; }
};

// What a key is derived for: the j-th referral of an agent, or its n-th journey (n >= 2).
enum class KeyDerivation : std::uint64_t { referral = 1, journey = 2 };

inline constexpr std::uint64_t kLaneJourneyEnd = 5;
inline constexpr std::uint64_t kLanePatience = 6;
inline constexpr std::uint64_t kLaneReserved = 7;

inline AgentKey organic_key(std::uint64_t k) { return {k, 0}; }

inline AgentKey derive_key(std::uint64_t seed, std::uint64_t replication, const AgentKey& parent,
                           KeyDerivation what, std::uint32_t index) {
  using Philox = r123::Philox4x64;
  const Philox::ctr_type counter = {
      {parent.c0, parent.c1, kLaneReserved,
       (static_cast<std::uint64_t>(what) << 32) | std::uint64_t{index}}};
  const Philox::ctr_type words = Philox{}(counter, Philox::key_type{{seed, replication}});
  return {words.v[0] | (std::uint64_t{1} << 63), words.v[1] >> 3};
}

// The stream a journey with this key draws from.
inline AgentStream journey_stream(std::uint64_t seed, std::uint64_t replication,
                                  const AgentKey& key) {
  return AgentStream(seed, replication, key.c0, key.c1 << 3);
}

// The organic arrival process's stream: block i of agent 0's reserved lane, at step word i.
inline r123::Philox4x64::ctr_type arrival_block(std::uint64_t seed, std::uint64_t replication,
                                                std::uint64_t i) {
  using Philox = r123::Philox4x64;
  const Philox::ctr_type counter = {{0, i, kLaneReserved, 0}};
  return Philox{}(counter, Philox::key_type{{seed, replication}});
}

}  // namespace cjsim
