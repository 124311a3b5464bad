// Absorbing-chain closed forms with Eigen's sparse LU.
#include "sim/model/markov.h"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>

#include <algorithm>
#include <stdexcept>

namespace cjsim {
namespace {

using SparseMatrix = Eigen::SparseMatrix<double>;

// Expected visits to each touchpoint before absorption, starting from `start`, in the chain
// where the touchpoints marked `absorbing` stop the walk once visited. Solves
// (I - Q)^T x = start.
Eigen::VectorXd expected_visits(const CompiledJourney& j, const std::vector<double>& prob,
                                const Eigen::VectorXd& start,
                                const std::vector<char>& absorbing) {
  const auto n = static_cast<Eigen::Index>(j.touchpoint_count());
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(j.transition_count() + j.touchpoint_count());
  for (Eigen::Index v = 0; v < n; ++v) entries.emplace_back(v, v, 1.0);
  for (std::size_t e = 0; e < j.transition_count(); ++e) {
    const auto from = static_cast<Eigen::Index>(j.transition_from[e]);
    if (absorbing[from]) continue;
    // Transposed: row = target, column = source.
    entries.emplace_back(static_cast<Eigen::Index>(j.transition_to[e]), from, -prob[e]);
  }
  SparseMatrix system(n, n);
  system.setFromTriplets(entries.begin(), entries.end());
  Eigen::SparseLU<SparseMatrix> solver;
  solver.compute(system);
  if (solver.info() != Eigen::Success) {
    throw std::runtime_error("the journey's chain is singular: some cycle can never be left");
  }
  return solver.solve(start);
}

}  // namespace

std::vector<double> step_probabilities(const CompiledJourney& j, const PersonaTables& p) {
  std::vector<double> prob(j.transition_count(), 0.0);
  for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
    const std::uint32_t begin = j.out_begin[v], end = j.out_begin[v + 1];
    if (begin == end) continue;
    const double total = p.transition_cumulative[end - 1];
    if (!(total > 0.0)) continue;  // no way on of positive weight: nothing moves
    for (std::uint32_t e = begin; e < end; ++e) {
      prob[e] = (1.0 - p.dropout_static[v]) * p.transition_weight[e] / total;
    }
  }
  return prob;
}

std::string why_not_markov(const CompiledJourney& j) {
  if (j.kappa != 0.0) return "kappa is not 0: emotion moves dropout";
  for (double bias : j.emotion_bias) {
    if (bias != 0.0) return "a transition has an emotion bias: emotion moves choices";
  }
  return "";
}

MarkovAnalysis analyse_markov(const CompiledJourney& j) {
  const std::size_t n = j.touchpoint_count();
  MarkovAnalysis out;
  out.expected_visits.assign(n, 0.0);
  out.dropout_probability.assign(n, 0.0);
  out.dropout_before_converting_probability.assign(n, 0.0);
  out.completion_probability.assign(n, 0.0);
  out.transition_flow.assign(j.transition_count(), 0.0);
  out.stage_reach.assign(j.stage_count(), 0.0);

  for (const PersonaTables& p : j.personas) {
    const std::vector<double> prob = step_probabilities(j, p);
    Eigen::VectorXd start = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
    for (std::size_t k = 0; k < p.entry_touchpoints.size(); ++k) {
      // A lost entry's share starts nowhere: it is lost at once (MODEL.md 1.11).
      if (p.entry_touchpoints[k] == kLostEntry) continue;
      const double previous = k == 0 ? 0.0 : p.entry_cumulative[k - 1];
      start[p.entry_touchpoints[k]] = (p.entry_cumulative[k] - previous) / p.entry_cumulative.back();
    }

    const std::vector<char> none(n, 0);
    const Eigen::VectorXd visits = expected_visits(j, prob, start, none);
    for (std::size_t v = 0; v < n; ++v) {
      out.expected_visits[v] += p.share * visits[v];
      out.expected_steps += p.share * visits[v];
      out.cost_per_agent += p.share * visits[v] * j.cost[v];
      if (j.is_terminal(static_cast<std::uint32_t>(v))) {
        out.completion_probability[v] += p.share * visits[v];
      } else {
        out.dropout_probability[v] += p.share * visits[v] * p.dropout_static[v];
      }
    }
    for (std::size_t e = 0; e < j.transition_count(); ++e) {
      out.transition_flow[e] += p.share * visits[j.transition_from[e]] * prob[e];
    }

    // First conversion: conversion touchpoints absorb; the expected visits to one of them
    // is then the probability that it is the first conversion.
    std::vector<char> conversion(n, 0);
    for (std::size_t v = 0; v < n; ++v) conversion[v] = j.is_conversion[v] != 0;
    const Eigen::VectorXd first = expected_visits(j, prob, start, conversion);
    for (std::size_t v = 0; v < n; ++v) {
      // In that chain a visit to a touchpoint other than a conversion is one before converting:
      // a dropout there gave up.
      if (!conversion[v] && !j.is_terminal(static_cast<std::uint32_t>(v))) {
        out.dropout_before_converting_probability[v] += p.share * first[v] * p.dropout_static[v];
      }
      if (!conversion[v]) continue;
      out.conversion_probability += p.share * first[v];
      out.revenue_per_agent += p.share * first[v] * j.conversion_value[v] * p.value_multiplier;
    }

    for (std::size_t s = 0; s < j.stage_count(); ++s) {
      std::vector<char> in_stage(n, 0);
      for (std::size_t v = 0; v < n; ++v) in_stage[v] = j.stage_of[v] == s;
      const Eigen::VectorXd hit = expected_visits(j, prob, start, in_stage);
      for (std::size_t v = 0; v < n; ++v) {
        if (in_stage[v]) out.stage_reach[s] += p.share * hit[v];
      }
    }
  }
  for (std::size_t v = 0; v < n; ++v) {
    out.gave_up_probability += out.dropout_before_converting_probability[v];
    out.left_after_converting_probability +=
        out.dropout_probability[v] - out.dropout_before_converting_probability[v];
  }
  return out;
}

}  // namespace cjsim
