// What a front end hands the library for one piece of work: where progress and notes go, the
// flag that cancels it, the processes it is spread over and the command line recorded in result
// files. Nothing of this is global: the `cjsim` command, the Python package and the studio
// each make their own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"

namespace cjsim {

class ProcessGroup;

// Progress of long work, drawn by the front end (a terminal bar, a notebook widget, a page).
class Progress {
 public:
  virtual ~Progress() = default;
  // A stage begins ("simulating", "sweeping"); `rate_unit` names what update() counts, for a
  // rate ("agents"), or is empty when the units are of uneven work.
  virtual void start(std::string_view stage, std::string_view rate_unit) = 0;
  // `done` of `total` units finished. Called from worker threads: thread-safe and cheap.
  virtual void update(std::uint64_t done, std::uint64_t total) = 0;
  // A few words on where the stage is ("point 3 of 20 to run"); from any thread.
  virtual void status(std::string_view words) = 0;
  // The stage has ended (before results are shown).
  virtual void finish() = 0;
};

struct Context {
  // Recorded in result files, so that a file says how it was made.
  std::string command_line;
  // When set and raised, work under way stops and RunCancelled (sim/model/cancellation.h) or
  // Interrupted (sim/api/errors.h) unwinds it; finished sweep points are kept.
  const std::atomic<bool>* cancel = nullptr;
  Progress* progress = nullptr;
  // Notes and warnings for the user, one sentence each ("warning: ..."), without a prefix.
  std::function<void(std::string_view)> notice;
  // Every problem found in an input file as it is read, warnings included.
  std::function<void(const std::string& path, const Diagnostics&)> diagnostics;
  // The processes the work is spread over (sim/dist/process_group.h); null: this one alone.
  ProcessGroup* processes = nullptr;

  void note(std::string_view words) const {
    if (notice) notice(words);
  }
  // Whether this process reports (prints and writes): rank 0, or a process alone.
  bool reports() const;
  int process_count() const;
};

}  // namespace cjsim
