// Segments as personas: each segment's own counts on the pooled chain, written as the
// persona's own numbers.
#include "models/fit/segment_personas.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "models/fit/markov_fit.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

std::vector<PersonaCounts> count_segments(const ObservedJourneys& data, std::size_t touchpoints) {
  std::vector<PersonaCounts> counts(data.segments.size());
  for (PersonaCounts& c : counts) {
    c.entries.assign(touchpoints, 0.0);
    c.visits.assign(touchpoints, 0.0);
    c.stops.assign(touchpoints, 0.0);
    c.moves_on.assign(touchpoints, 0.0);
  }
  for (const ObservedPath& p : data.paths) {
    if (p.count == 0 || p.touchpoints.empty() || p.segment >= counts.size()) continue;
    PersonaCounts& c = counts[p.segment];
    const double n = static_cast<double>(p.count);
    c.customers += n;
    if (p.conversion_step >= 0) c.converted += n;
    for (std::size_t i = 0; i < p.touchpoints.size(); ++i) {
      const std::uint32_t v = p.touchpoints[i];
      if (v >= touchpoints) {
        throw std::logic_error("a segment's path has a touchpoint the fit did not see (a bug)");
      }
      c.visits[v] += n;
      if (i == 0) c.entries[v] += n;
      if (i + 1 == p.touchpoints.size()) {
        c.stops[v] += n;
      } else {
        c.moves_on[v] += n;
        c.moves[{v, p.touchpoints[i + 1]}] += n;
      }
    }
  }
  return counts;
}

// The segment's persona id: its name made an id, "no_segment" for customers without one,
// numbered on where two names make the same id.
std::string persona_id(const std::string& segment, std::set<std::string>& taken) {
  const std::string base = segment.empty() ? std::string("no_segment") : id_from_name(segment);
  std::string id = base;
  for (int k = 2; taken.contains(id); ++k) id = fmt::format("{}-{}", base, k);
  taken.insert(id);
  return id;
}

}  // namespace

std::vector<SegmentFit> add_count_personas(const std::vector<PersonaCounts>& counts,
                                           Scenario& scenario) {
  const std::size_t n = scenario.touchpoints.size();
  std::map<std::string, std::uint32_t, std::less<>> index;
  for (std::uint32_t v = 0; v < n; ++v) index.emplace(scenario.touchpoints[v].id, v);
  // The transitions out of each touchpoint, in the scenario's order.
  std::vector<std::vector<const Transition*>> out(n);
  for (const Transition& t : scenario.transitions) out[index.at(t.from)].push_back(&t);

  double customers = 0.0;
  for (const PersonaCounts& c : counts) customers += c.customers;
  std::vector<SegmentFit> fits;
  std::vector<Persona> personas;
  for (const PersonaCounts& c : counts) {
    if (!(c.customers > 0.0)) continue;
    Persona p;
    p.id = c.id;
    p.share = c.customers;
    p.words.name = c.name;
    p.words.description = c.description;
    SegmentFit fit{"", p.id, c.customers, c.customers / customers};
    for (std::uint32_t v = 0; v < n; ++v) {
      const Touchpoint& t = scenario.touchpoints[v];
      if (c.entries[v] > 0.0) p.entry[t.id] = c.entries[v];
      // A terminal touchpoint ends the journey as completed: its dropout is never applied.
      if (out[v].empty() || !(c.visits[v] > 0.0)) continue;
      p.dropout[t.id] = c.stops[v] / c.visits[v];
      if (!(c.moves_on[v] > 0.0)) continue;  // it never moved on: its dropout there is 1
      for (const Transition* e : out[v]) {
        auto it = c.moves.find({v, index.at(e->to)});
        p.transitions.push_back({e->from, e->to, it == c.moves.end() ? 0.0 : it->second, {}});
      }
    }
    fit.entry_weights = p.entry.size();
    fit.dropouts = p.dropout.size();
    fit.transition_weights = p.transitions.size();
    fit.data_conversion_rate = c.converted / c.customers;
    personas.push_back(std::move(p));
    fits.push_back(std::move(fit));
  }
  scenario.personas = std::move(personas);

  // Each persona's own chain, alone: what its customers' conversion rate should come back as.
  for (std::size_t k = 0; k < fits.size(); ++k) {
    Scenario alone = scenario;
    alone.personas = {scenario.personas[k]};
    const CompiledJourney journey = compile(alone);
    fits[k].fitted_conversion_probability =
        why_not_markov(journey).empty() ? analyse_markov(journey).conversion_probability
                                        : std::numeric_limits<double>::quiet_NaN();
  }
  return fits;
}

std::vector<SegmentFit> add_segment_personas(const ObservedJourneys& data,
                                             const std::string& column, Scenario& scenario) {
  std::vector<PersonaCounts> counts = count_segments(data, scenario.touchpoints.size());
  std::set<std::string> taken;
  std::vector<std::string> segments;
  for (std::size_t g = 0; g < counts.size(); ++g) {
    PersonaCounts& c = counts[g];
    if (!(c.customers > 0.0)) continue;
    c.id = persona_id(data.segments[g], taken);
    c.name = data.segments[g].empty() ? "No " + column : data.segments[g];
    c.description =
        data.segments[g].empty()
            ? fmt::format("The customers with no {} in the data.", column)
            : fmt::format("The customers whose {} is '{}' in the data.", column, data.segments[g]);
    segments.push_back(data.segments[g]);
  }
  std::vector<SegmentFit> fits = add_count_personas(counts, scenario);
  for (std::size_t k = 0; k < fits.size(); ++k) fits[k].segment = segments[k];
  return fits;
}

}  // namespace cjsim
