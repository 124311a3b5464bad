// Small helpers on the plain scenario types.
#include "scenarios/scenario.h"

#include <cmath>

namespace cjsim {

double Duration::mean() const {
  switch (kind) {
    case Kind::fixed:
      return hours;
    case Kind::exponential:
      return hours;
    case Kind::lognormal:
      return median * std::exp(0.5 * sigma * sigma);
  }
  return hours;
}

double channel_affinity(const Persona& persona, std::string_view channel) {
  auto it = persona.channel_affinity.find(channel);
  return it == persona.channel_affinity.end() ? 1.0 : it->second;
}

double persona_entry_weight(const Persona& persona, const Touchpoint& touchpoint) {
  if (persona.entry.empty()) return touchpoint.entry_weight;
  auto it = persona.entry.find(touchpoint.id);
  return it == persona.entry.end() ? 0.0 : it->second;
}

double persona_dropout(const Persona& persona, const Touchpoint& touchpoint) {
  auto it = persona.dropout.find(touchpoint.id);
  return it == persona.dropout.end() ? touchpoint.dropout : it->second;
}

double persona_transition_weight(const Persona& persona, const Transition& transition) {
  for (const PersonaTransition& t : persona.transitions) {
    if (t.from == transition.from && t.to == transition.to) return t.weight;
  }
  return transition.weight;
}

bool has_overrides(const Persona& persona) {
  return !persona.entry.empty() || !persona.dropout.empty() || !persona.transitions.empty();
}

Persona neutral_persona() {
  Persona p;
  p.id = "everyone";
  p.words.name = p.id;
  return p;
}

}  // namespace cjsim
