// The cjsim library API: what every front end (the `cjsim` command, the Python package, the
// studio) calls, and nothing else does any workflow of its own. Each call takes a Context
// (progress, cancellation, notes, processes, the command line) and returns values; writing
// and showing results is left to reports/store, reports/render and reports/html.
//
//   load_journey / load_journeys   read and validate journey files      sim/api/run.h
//   run_journey                    simulate one journey                  sim/api/run.h
//   compare_journeys               current and future states, paired     sim/api/compare.h
//   run_calendar_journey, ...      journeys in time (a calendar)         sim/api/calendar.h
//   *_with_draws                   uncertain inputs drawn, every figure  sim/api/uncertainty.h,
//                                  with its interval over the draws      calendar_draws.h
//   SweepJob                       an experiment, resumable              sim/api/sweep_job.h
//   fit                            a journey learnt from observed data   sim/api/fit.h
//   attribute                      conversions shared among channels     sim/api/attribute.h
//   load_observed                  event logs, path tables, XES          sim/api/observed.h
//   check_* (limits)               time and memory bounds, up front      sim/api/limits.h
#pragma once

#include "sim/api/attribute.h"
#include "sim/api/calendar.h"
#include "sim/api/calendar_draws.h"
#include "sim/api/compare.h"
#include "sim/api/context.h"
#include "sim/api/errors.h"
#include "sim/api/fit.h"
#include "sim/api/limits.h"
#include "sim/api/observed.h"
#include "sim/api/run.h"
#include "sim/api/sweep_job.h"
#include "sim/api/uncertainty.h"
