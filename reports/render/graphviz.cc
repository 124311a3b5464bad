// DOT output through Boost.Graph's write_graphviz.
#include "reports/render/graphviz.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <fmt/format.h>

#include <array>

namespace cjsim {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// Stages cycle through a small palette so that the map's columns read at a glance.
constexpr std::array<const char*, 6> kStageColours = {"#dbe9f6", "#e3f1dc", "#fdf0d5",
                                                      "#f6dede", "#ebe1f3", "#e0f2f1"};

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";  // DOT's own line break inside a label
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void write_dot(std::ostream& out, const CompiledJourney& j) {
  Graph graph(j.touchpoint_count());
  for (std::size_t e = 0; e < j.transition_count(); ++e) {
    boost::add_edge(j.transition_from[e], j.transition_to[e], graph);
  }
  auto vertex_writer = [&](std::ostream& os, std::size_t v) {
    std::string label = j.touchpoint_names[v];
    label += "\n" + j.stages[j.stage_of[v]] + " / " + j.channels[j.channel_of[v]];
    if (j.dropout[v] > 0) label += fmt::format("\ndropout {:.0f}%", 100 * j.dropout[v]);
    os << fmt::format("[label={}, style=filled, fillcolor={}, shape={}]", dot_quoted(label),
                      dot_quoted(kStageColours[j.stage_of[v] % kStageColours.size()]),
                      j.is_conversion[v] ? "doubleoctagon" : "box");
  };
  // Edges are visited in the order added, which is transition order.
  std::size_t edge_index = 0;
  auto edge_writer = [&](std::ostream& os, const Graph::edge_descriptor&) {
    const std::size_t e = edge_index++;
    std::string label = fmt::format("{:g}", j.transition_weight[e]);
    if (j.emotion_bias[e] != 0) label += fmt::format(" (bias {:+g})", j.emotion_bias[e]);
    os << "[label=" << dot_quoted(label) << "]";
  };
  auto graph_writer = [&](std::ostream& os) {
    os << "rankdir=LR;\nlabel=" << dot_quoted(j.name) << ";\nnode [fontname=\"Helvetica\"];\n";
  };
  boost::write_graphviz(out, graph, vertex_writer, edge_writer, graph_writer,
                        boost::make_iterator_property_map(
                            j.touchpoint_ids.begin(), boost::get(boost::vertex_index, graph)));
}

}  // namespace cjsim
