// Fitting a journey to observed data, or calibrating one to a funnel, from the data's file:
// what `cjsim fit` and the other front ends call. The workflow itself is fit_journey
// (models/fit/fit_journey.h); this reads the data, shows progress, bounds the check's
// simulation and cancels through the Context.
#pragma once

#include <string>

#include "models/fit/fit_journey.h"
#include "models/observed/observed_reader.h"
#include "sim/api/context.h"

namespace cjsim {

struct FitCall {
  // What to fit, with `data` left empty: it is read from `data_file`. Its skeleton, if any,
  // is loaded by the caller (load_journey), its progress and cancel flag come from the Context.
  FitRequest request;
  std::string data_file;      // observed journeys (event log, path table, XES) or a funnel
  ObservedReadOptions read;   // how to read observed journeys
  bool funnel = false;        // the file is a funnel (else: when its header says so)
  bool allow_long = false;    // check the fit past the expected-length bound
};

// Whether `call` fits a funnel (calibration) rather than observed paths.
bool fits_a_funnel(const FitCall& call);

// Throws InvalidInput when the data file has errors or cannot be fitted (its diagnostics and
// the fit's already handed to Context::diagnostics), std::runtime_error for a request that
// does not hold together, RunCancelled when cancelled.
FitResult fit(FitCall call, const Context& context);

}  // namespace cjsim
