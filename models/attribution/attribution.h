// Multi-touch attribution: conversions and their value shared among channels (or
// touchpoints) by Markov-chain removal effects of order 1..k, computed exactly from the
// absorbing chain, and by the first-touch, last-touch and linear heuristics. The conventions
// are those of the ChannelAttribution package (see models/README.md, "Attribution").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/scenario.h"

namespace cjsim {

// Journeys as attribution reads them: the channels a customer met, in order, up to and
// including the one where they converted (or all of them when they did not), with how many
// converted on that path, their value, and how many did not ("null").
struct ChannelPaths {
  std::vector<std::string> channels;  // in order of first appearance
  struct Path {
    std::vector<std::uint32_t> channels;
    double conversions = 0.0;
    double value = 0.0;
    double nulls = 0.0;
  };
  std::vector<Path> paths;  // distinct channel sequences, in order of first appearance

  double conversions() const;
  double value() const;
};

enum class AttributionLevel { channel, touchpoint };

// The data's channels (or touchpoints) per path. The conversion touchpoint a path-table
// reader appended is not a channel.
ChannelPaths channel_paths(const ObservedJourneys& data, AttributionLevel level);

// Per channel, in ChannelPaths order.
struct HeuristicAttribution {
  std::vector<double> first_touch_conversions, first_touch_value;
  std::vector<double> last_touch_conversions, last_touch_value;
  std::vector<double> linear_conversions, linear_value;
};

// First touch credits a path's conversions to its first channel, last touch to its last, and
// linear gives each step 1 / length of them (a channel met twice gets two shares).
HeuristicAttribution heuristic_attribution(const ChannelPaths& paths);

// The order-k chain of the paths as a scenario: a touchpoint per state (k consecutive
// channels; the whole path when it is shorter), consecutive repeats of a state merged,
// transition weights the counts, entry weights the first states' counts, dropout the share
// that stopped unconverted, and one conversion touchpoint after each state that converted,
// worth the mean value of the conversions that came through it.
struct ChainOfOrder {
  Scenario scenario;
  std::vector<std::vector<std::uint32_t>> state_channels;  // per state touchpoint
};
ChainOfOrder markov_chain_of_order(const ChannelPaths& paths, int order);

struct MarkovAttribution {
  int order = 1;
  std::size_t states = 0;
  double conversion_probability = 0.0;  // of the chain: the data's conversion rate
  // Per channel: the share of conversions (value) lost when every state with the channel is
  // removed, and the conversions (value) attributed: the data's totals shared in proportion
  // to the removal effects.
  std::vector<double> removal_effect, value_removal_effect;
  std::vector<double> conversions, value;
};

MarkovAttribution markov_attribution(const ChannelPaths& paths, int order);

// The most states the order-k chain can have, before it is built: channels^k (as a double: it
// overflows integers), or fewer when the paths hold fewer k-step windows than that.
double most_states_of_order(const ChannelPaths& paths, int order);

}  // namespace cjsim
