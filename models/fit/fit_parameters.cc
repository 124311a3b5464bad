// Free parameters to model values and back, and what they are called.
#include "models/fit/fit_parameters.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "scenarios/parameter_path.h"
#include "sim/model/behaviour.h"

namespace cjsim::fit_detail {

void apply(const std::vector<FreeParameter>& free, const std::vector<double>& theta,
           const FitGraph& graph, const ModelValues& base, ModelValues& v) {
  v = base;
  for (std::size_t i = 0; i < free.size(); ++i) {
    const FreeParameter& f = free[i];
    const double x = theta[i];
    switch (f.kind) {
      case FitParameterKind::emotion_mean:
        v.emotion_mean[f.index] = x;
        break;
      case FitParameterKind::kappa:
        v.kappa = x;
        break;
      case FitParameterKind::emotion_bias:
        v.bias[f.index] = x;
        break;
      case FitParameterKind::dropout:
        v.dropout[f.index] = model::logistic(x);
        break;
      case FitParameterKind::transition_weight:
        v.weight[f.index] = base.weight[graph.out_begin(graph.source(f.index))] * std::exp(x);
        break;
      case FitParameterKind::entry_weight:
        v.entry_weight[f.index] = base.entry_weight[graph.entries.front()] * std::exp(x);
        break;
      case FitParameterKind::persona_share:
        v.personas[f.index].log_share = x;
        break;
      case FitParameterKind::initial_emotion:
        v.personas[f.index].initial_emotion = x;
        break;
      case FitParameterKind::dropout_odds:
        v.personas[f.index].odds = base.personas[0].odds * std::exp(x);
        break;
    }
  }
}

std::vector<double> theta_of(const std::vector<FreeParameter>& free, const FitGraph& graph,
                             const ModelValues& base, const ModelValues& v) {
  std::vector<double> theta(free.size());
  for (std::size_t i = 0; i < free.size(); ++i) {
    const FreeParameter& f = free[i];
    double x = 0.0;
    switch (f.kind) {
      case FitParameterKind::emotion_mean:
        x = v.emotion_mean[f.index];
        break;
      case FitParameterKind::kappa:
        x = v.kappa;
        break;
      case FitParameterKind::emotion_bias:
        x = v.bias[f.index];
        break;
      case FitParameterKind::dropout: {
        const double d = std::clamp(v.dropout[f.index], 1e-12, 1.0 - 1e-12);
        x = std::log(d) - std::log1p(-d);
        break;
      }
      case FitParameterKind::transition_weight:
        x = std::log(v.weight[f.index] / base.weight[graph.out_begin(graph.source(f.index))]);
        break;
      case FitParameterKind::entry_weight:
        x = std::log(v.entry_weight[f.index] / base.entry_weight[graph.entries.front()]);
        break;
      case FitParameterKind::persona_share:
        x = v.personas[f.index].log_share - v.personas[0].log_share;
        break;
      case FitParameterKind::initial_emotion:
        x = v.personas[f.index].initial_emotion;
        break;
      case FitParameterKind::dropout_odds:
        x = std::log(v.personas[f.index].odds / v.personas[0].odds);
        break;
    }
    theta[i] = std::clamp(x, f.lower, f.upper);
  }
  return theta;
}

double model_scale(const FreeParameter& f, double x) {
  switch (f.kind) {
    case FitParameterKind::dropout:
      return model::logistic(x);
    case FitParameterKind::transition_weight:
    case FitParameterKind::entry_weight:
    case FitParameterKind::dropout_odds:
      return std::exp(x);
    default:
      return x;
  }
}

std::uint32_t scenario_index(const FitGraph& graph, const FreeParameter& f) {
  const bool transition =
      f.kind == FitParameterKind::emotion_bias || f.kind == FitParameterKind::transition_weight;
  return transition ? graph.scenario_transition[f.index] : f.index;
}

std::string parameter_name(const Scenario& s, FitParameterKind kind, std::uint32_t index,
                           const std::vector<std::string>& persona_ids) {
  constexpr std::string_view kRelative = " (relative)";
  switch (kind) {
    case FitParameterKind::emotion_mean:
      return touchpoint_path(s.touchpoints[index].id, "emotion.mean");
    case FitParameterKind::kappa:
      return settings_path("kappa");
    case FitParameterKind::emotion_bias:
      return transition_path(s.transitions[index].from, s.transitions[index].to, "emotion_bias");
    case FitParameterKind::dropout:
      return touchpoint_path(s.touchpoints[index].id, "dropout");
    case FitParameterKind::transition_weight:
      return transition_path(s.transitions[index].from, s.transitions[index].to, "weight") +
             std::string(kRelative);
    case FitParameterKind::entry_weight:
      return touchpoint_path(s.touchpoints[index].id, "entry_weight") + std::string(kRelative);
    case FitParameterKind::persona_share:
      return persona_path(persona_ids[index], "share");
    case FitParameterKind::initial_emotion:
      return persona_path(persona_ids[index], "initial_emotion.mean");
    case FitParameterKind::dropout_odds:
      return persona_path(persona_ids[index], "dropout_odds") + std::string(kRelative);
  }
  return "";
}

}  // namespace cjsim::fit_detail

namespace cjsim {

double parameter_value(const Scenario& s, const FittedParameter& p) {
  auto first_out = [&](std::uint32_t transition) {
    for (const Transition& t : s.transitions) {
      if (t.from == s.transitions[transition].from) return t.weight;
    }
    return kNaN;
  };
  auto first_entry = [&]() {
    for (const Touchpoint& t : s.touchpoints) {
      if (t.entry_weight > 0.0) return t.entry_weight;
    }
    return kNaN;
  };
  switch (p.kind) {
    case FitParameterKind::emotion_mean:
      return s.touchpoints[p.index].emotion_mean;
    case FitParameterKind::kappa:
      return s.settings.kappa;
    case FitParameterKind::emotion_bias:
      return s.transitions[p.index].emotion_bias;
    case FitParameterKind::dropout:
      return s.touchpoints[p.index].dropout;
    case FitParameterKind::transition_weight:
      return s.transitions[p.index].weight / first_out(p.index);
    case FitParameterKind::entry_weight:
      return s.touchpoints[p.index].entry_weight / first_entry();
    case FitParameterKind::persona_share: {
      double total = 0.0;
      for (const Persona& q : s.personas) total += q.share;
      return s.personas[p.index].share / total;
    }
    case FitParameterKind::initial_emotion:
      return s.personas[p.index].initial_emotion_mean;
    case FitParameterKind::dropout_odds:
      return s.personas[p.index].dropout_odds / s.personas[0].dropout_odds;
  }
  return kNaN;
}

}  // namespace cjsim
