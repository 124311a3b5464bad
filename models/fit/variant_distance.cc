// The earth mover's distance over variants, as a min-cost flow from one side's variants to
// the other's.
#include "models/fit/variant_distance.h"

#include <algorithm>
// GCC 12 sees Boost Graph's edge iterator, inlined into the flow's loop over every edge, as
// maybe uninitialised: a false positive in the library's header, silenced for it alone.
// (Clang has no such warning group.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>

namespace cjsim {
namespace {

__extension__ using Wide = unsigned __int128;  // products of customer counts, exactly

// Ground distances are integers in units of 2^-30, so that the flow's costs are exact.
constexpr std::int64_t kDistanceUnit = std::int64_t{1} << 30;

using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, std::int64_t,
        boost::property<boost::edge_residual_capacity_t, std::int64_t,
                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                        boost::property<boost::edge_weight_t, std::int64_t>>>>>;

struct Side {
  std::vector<std::size_t> variant;  // index into the compared variants; npos for "other"
  std::vector<std::int64_t> mass;    // customers times the other side's total
};

constexpr std::size_t kOther = static_cast<std::size_t>(-1);

struct Network {
  FlowGraph graph;
  std::vector<Traits::edge_descriptor> costed;  // the edges between the two sides

  Traits::edge_descriptor add(std::size_t from, std::size_t to, std::int64_t capacity,
                              std::int64_t cost) {
    const auto forward = boost::add_edge(from, to, graph).first;
    const auto backward = boost::add_edge(to, from, graph).first;
    boost::put(boost::edge_capacity, graph, forward, capacity);
    boost::put(boost::edge_capacity, graph, backward, 0);
    boost::put(boost::edge_weight, graph, forward, cost);
    boost::put(boost::edge_weight, graph, backward, -cost);
    boost::put(boost::edge_reverse, graph, forward, backward);
    boost::put(boost::edge_reverse, graph, backward, forward);
    return forward;
  }
};

}  // namespace

double normalised_levenshtein(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b) {
  const std::size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 0.0;
  // One row of the edit table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return static_cast<double>(row[b.size()]) / static_cast<double>(longer);
}

VariantDistance variant_distance(std::span<const VariantCount> observed,
                                 std::span<const VariantCount> simulated,
                                 std::size_t most_variants) {
  // Customers per variant on each side, variants in the order of their touchpoints.
  std::map<std::vector<std::uint32_t>, std::pair<std::uint64_t, std::uint64_t>> counts;
  std::uint64_t observed_total = 0, simulated_total = 0;
  for (const VariantCount& v : observed) {
    if (v.customers == 0) continue;
    counts[v.touchpoints].first += v.customers;
    observed_total += v.customers;
  }
  for (const VariantCount& v : simulated) {
    if (v.customers == 0) continue;
    counts[v.touchpoints].second += v.customers;
    simulated_total += v.customers;
  }
  VariantDistance out;
  for (const auto& [touchpoints, c] : counts) {
    out.observed_variants += c.first > 0 ? 1 : 0;
    out.simulated_variants += c.second > 0 ? 1 : 0;
  }
  if (observed_total == 0 || simulated_total == 0) return out;
  // Shares as whole numbers: each side's customers times the other side's total, so that both
  // sides move the same mass, observed_total * simulated_total.
  const Wide total = static_cast<Wide>(observed_total) * simulated_total;
  if (total > static_cast<Wide>(std::numeric_limits<std::int64_t>::max() / 4)) {
    throw std::invalid_argument("variant_distance: too many customers to compare exactly");
  }

  using Entry =
      std::pair<const std::vector<std::uint32_t>*, std::pair<std::uint64_t, std::uint64_t>>;
  std::vector<Entry> ranked;
  ranked.reserve(counts.size());
  for (const auto& [touchpoints, c] : counts) ranked.emplace_back(&touchpoints, c);
  // The largest observed plus simulated share first; the map's order breaks ties.
  auto weight = [&](const Entry& e) {
    return static_cast<Wide>(e.second.first) * simulated_total +
           static_cast<Wide>(e.second.second) * observed_total;
  };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Entry& a, const Entry& b) { return weight(a) > weight(b); });
  const std::size_t compared = std::min(most_variants, ranked.size());
  out.compared_variants = compared;

  Side from, to;  // observed, simulated
  std::uint64_t pooled_observed = 0, pooled_simulated = 0;
  for (std::size_t k = 0; k < ranked.size(); ++k) {
    const auto [o, s] = ranked[k].second;
    if (k >= compared) {
      pooled_observed += o;
      pooled_simulated += s;
      continue;
    }
    if (o > 0) {
      from.variant.push_back(k);
      from.mass.push_back(static_cast<std::int64_t>(o * simulated_total));
    }
    if (s > 0) {
      to.variant.push_back(k);
      to.mass.push_back(static_cast<std::int64_t>(s * observed_total));
    }
  }
  if (pooled_observed > 0) {
    from.variant.push_back(kOther);
    from.mass.push_back(static_cast<std::int64_t>(pooled_observed * simulated_total));
  }
  if (pooled_simulated > 0) {
    to.variant.push_back(kOther);
    to.mass.push_back(static_cast<std::int64_t>(pooled_simulated * observed_total));
  }
  out.pooled_observed = static_cast<double>(pooled_observed) / static_cast<double>(observed_total);
  out.pooled_simulated =
      static_cast<double>(pooled_simulated) / static_cast<double>(simulated_total);

  // Source, the observed variants, the simulated variants, sink.
  const std::size_t n = from.variant.size(), m = to.variant.size();
  const std::size_t source = 0, sink = 1 + n + m;
  Network network;
  network.graph = FlowGraph(sink + 1);
  const auto capacity = static_cast<std::int64_t>(total);
  auto ground = [&](std::size_t a, std::size_t b) -> std::int64_t {
    if (a == kOther || b == kOther) return a == b ? 0 : kDistanceUnit;
    const double d = normalised_levenshtein(*ranked[a].first, *ranked[b].first);
    return static_cast<std::int64_t>(std::llround(d * static_cast<double>(kDistanceUnit)));
  };
  for (std::size_t i = 0; i < n; ++i) network.add(source, 1 + i, from.mass[i], 0);
  for (std::size_t j = 0; j < m; ++j) network.add(1 + n + j, sink, to.mass[j], 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      network.costed.push_back(
          network.add(1 + i, 1 + n + j, capacity, ground(from.variant[i], to.variant[j])));
    }
  }
  // Boost's successive shortest paths adds each round's distances to the vertex potentials,
  // which overflows for a vertex the source no longer reaches. Edges from the source to every
  // vertex, dearer than any path the flow can take (a simple path crosses at most every
  // vertex, each step costing at most one unit either way), keep every vertex reached and
  // carry no flow: some cheaper path to the sink remains until all the mass has moved.
  const std::int64_t unreachable = kDistanceUnit * static_cast<std::int64_t>(sink + 2) * 2;
  for (std::size_t v = 1; v < sink; ++v) network.add(source, v, capacity, unreachable);

  boost::successive_shortest_path_nonnegative_weights(network.graph, source, sink);

  Wide cost = 0, moved = 0;
  for (const auto& e : network.costed) {
    const std::int64_t flow = boost::get(boost::edge_capacity, network.graph, e) -
                              boost::get(boost::edge_residual_capacity, network.graph, e);
    moved += static_cast<Wide>(flow);
    cost += static_cast<Wide>(flow) *
            static_cast<Wide>(boost::get(boost::edge_weight, network.graph, e));
  }
  if (moved != total) throw std::logic_error("variant_distance: the flow did not move every share");
  out.distance = static_cast<double>(static_cast<long double>(cost) /
                                     (static_cast<long double>(total) * kDistanceUnit));
  return out;
}

}  // namespace cjsim
