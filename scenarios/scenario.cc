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

Persona neutral_persona() {
  Persona p;
  p.id = "everyone";
  p.words.name = p.id;
  return p;
}

}  // namespace cjsim
