// The starting journey's text.
#include "scenarios/starter.h"

#include <nlohmann/json.hpp>

namespace cjsim {
namespace {

// "@NAME@" is replaced by the journey's name as a quoted YAML scalar, "@FILE@" by the file's.
constexpr std::string_view kStarter = R"yaml(# A starting journey map: edit it into your own. Every key is explained in
# scenarios/README.md; `cjsim validate` checks a file and says what is wrong, where.
#
# Units: emotion in valence (-1 furious .. +1 delighted), durations in hours, costs and
# values in your currency. Try it as it is:
#
#   cjsim run @FILE@
#   cjsim run @FILE@ --report journey.html
name: @NAME@
description: >-
  Shoppers hear of the product from an ad or a friend, look at it on the web or in a store,
  buy it online, and live through delivery and, for some, a call to support.
stages: [awareness, consideration, purchase, service, advocacy]

settings:
  memory: 0.7        # how much of the previous emotion carries to the next touchpoint
  kappa: 1.0         # how strongly emotion moves dropout (0: not at all)
  seed: 1

touchpoints:
  # Where journeys start: entry_weight says how often each one is the first.
  - id: online_ad
    name: Online ad
    stage: awareness
    channel: social
    emotion: {mean: 0.05, sd: 0.1}   # the mean and spread of how a visit feels
    dropout: 0.5                     # the share who stop here (at neutral emotion)
    cost: 0.05                       # what one visit costs you
    entry_weight: 3
  - id: friend_tip
    name: A friend's tip
    stage: awareness
    channel: word_of_mouth
    emotion: {mean: 0.3, sd: 0.1}
    dropout: 0.2
    entry_weight: 1

  - id: product_page
    name: Product page
    stage: consideration
    channel: web
    emotion: {mean: 0.1, sd: 0.2}
    dropout: 0.3
    duration: {exponential: 0.1}     # hours: about six minutes on average
    cost: 0.02
  - id: store_visit
    name: Store visit
    stage: consideration
    channel: store
    emotion: {mean: 0.2, sd: 0.2}
    dropout: 0.35
    duration: 0.5
    cost: 2.0

  - id: checkout
    name: Online checkout
    stage: purchase
    channel: web
    emotion: {mean: -0.05, sd: 0.2}  # a form to fill in: a small pain point
    dropout: 0.25
    duration: 0.1
    conversion: {value: 80}          # reaching it is a purchase worth 80

  - id: delivery
    name: Delivery
    stage: service
    channel: logistics
    emotion: {mean: 0.3, sd: 0.3}
    dropout: 0.1
    duration: {lognormal: {median: 48, sigma: 0.4}}
    cost: 6.0
  - id: support_call
    name: Call to support
    stage: service
    channel: call_centre
    emotion: {mean: -0.3, sd: 0.3}   # waiting on the phone hurts
    dropout: 0.3
    duration: 0.25
    cost: 4.0

  - id: review
    name: Writes a review
    stage: advocacy
    channel: web
    emotion: {mean: 0.2, sd: 0.2}

# The ways on from each touchpoint; weight says how likely each is among the ways out.
# A touchpoint with no way out ends the journey there.
transitions:
  - {from: online_ad, to: product_page, weight: 3}
  - {from: online_ad, to: store_visit, weight: 1}
  - {from: friend_tip, to: product_page, weight: 1}
  - {from: friend_tip, to: store_visit, weight: 1}
  - {from: product_page, to: checkout, weight: 2, emotion_bias: 1}  # likelier when happy
  - {from: product_page, to: store_visit, weight: 1}
  - {from: store_visit, to: checkout, weight: 1}
  - {from: checkout, to: delivery}
  - {from: delivery, to: review, weight: 3}
  - {from: delivery, to: support_call, weight: 1}
  - {from: support_call, to: review}

# Who walks the journey: share of the agents, how strongly they feel, how easily they give up.
personas:
  - id: busy_professional
    share: 0.6
    sensitivity: 1.2
    dropout_odds: 1.3                # short of time
    channel_affinity: {web: 1.5, store: 0.5}
  - id: careful_researcher
    share: 0.4
    sensitivity: 0.8
    dropout_odds: 0.8
    initial_emotion: {mean: 0.0, sd: 0.2}
    channel_affinity: {store: 1.5, word_of_mouth: 1.5}
)yaml";

}  // namespace

std::string starter_journey_yaml(std::string_view name, std::string_view file) {
  std::string text(kStarter);
  const std::string quoted = nlohmann::json(std::string(name)).dump();
  text.replace(text.find("@NAME@"), 6, quoted);
  for (std::size_t at = text.find("@FILE@"); at != std::string::npos; at = text.find("@FILE@")) {
    text.replace(at, 6, file);
  }
  return text;
}

}  // namespace cjsim
