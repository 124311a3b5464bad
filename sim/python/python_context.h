// The Context of one call from Python: the library's work runs on a thread of its own with the
// GIL released while the calling thread waits, every 50 ms taking the GIL to check for Ctrl-C
// (which raises the cancel flag), to hand progress to a Python object and notices to
// `warnings.warn`; then the work's result or exception comes back to the caller.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sim/api/context.h"

namespace cjsim::python {

namespace py = pybind11;

// Progress recorded from any thread and replayed to Python by the waiting thread, so that no
// worker thread ever waits for the GIL and Python sees at most one update per poll.
class PolledProgress : public Progress {
 public:
  void start(std::string_view stage, std::string_view rate_unit) override;
  void update(std::uint64_t done, std::uint64_t total) override;
  void status(std::string_view words) override;
  void finish() override;

  // Replays what happened since the last call to `target` (an object with start(stage, unit),
  // update(done, total), status(words) and finish()). GIL held.
  void replay(const py::object& target);

 private:
  struct Event {
    bool starts = false;  // else a finish
    std::string stage, unit;
    std::uint64_t done = 0, total = 0;  // at a finish: the last counts
  };
  std::mutex mutex_;
  std::vector<Event> events_;
  std::string status_;
  bool status_changed_ = false;
  std::atomic<std::uint64_t> done_{0}, total_{0};
  std::uint64_t shown_done_ = ~std::uint64_t{0}, shown_total_ = 0;
  bool open_ = false;  // a stage started and not yet finished, as Python saw it
};

class PythonCall {
 public:
  // `progress`: None for none, else an object as PolledProgress::replay takes.
  explicit PythonCall(py::object progress);
  PythonCall(const PythonCall&) = delete;
  PythonCall& operator=(const PythonCall&) = delete;

  const Context& context() const { return context_; }

  // Runs `work` on its own thread (GIL released) and waits for it; raises KeyboardInterrupt
  // when Ctrl-C stopped it, cjsim.InvalidInput with every diagnostic for bad input, and the
  // work's other exceptions as pybind11 translates them. Called with the GIL held.
  void run(const std::function<void()>& work);

 private:
  void deliver();  // progress and notices so far, GIL held
  [[noreturn]] void raise_invalid_input(const std::string& closing);

  py::object progress_object_;
  PolledProgress progress_;
  std::atomic<bool> cancel_{false};
  Context context_;
  std::mutex mutex_;
  std::vector<std::string> notices_;
  std::vector<std::string> diagnostics_;  // "file:line:column: error: message"
};

// The Python exception class cjsim.InvalidInput (a ValueError), made once by the module.
void set_invalid_input_type(py::object type);

}  // namespace cjsim::python
