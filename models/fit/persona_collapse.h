// Latent personas that collapse: a K-persona fit whose personas coincide, so that the mixture
// is one persona split in K and its shares mean nothing. Said in text and JSON with the
// criterion (models/README.md, "Latent personas").
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/fit/emotion_fit.h"

namespace cjsim {

// Two personas coincide when, for every persona parameter fitted (dropout odds, initial
// emotion), their values lie within 1.96 standard errors of their difference (a parameter the
// data cannot identify tells no one apart). The fit collapsed when some pair coincides, or
// when the K personas gain no more log-likelihood over the best single persona than BIC asks
// of their extra parameters (half their number times ln(customers)).
inline constexpr double kCoincideStandardErrors = 1.96;

PersonaCollapse detect_persona_collapse(const EmotionFit& fit,
                                        std::optional<double> one_persona_log_likelihood);

// The sentence text reports print for it.
std::string persona_collapse_text(const PersonaCollapse& collapse);

}  // namespace cjsim
