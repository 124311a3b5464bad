// Running library work from Python: a worker thread, a waiting thread that polls for Ctrl-C,
// progress and notices, and the exceptions brought back.
#include "sim/python/python_context.h"

#include <chrono>
#include <future>
#include <thread>

#include "sim/api/errors.h"

namespace cjsim::python {
namespace {

py::object& invalid_input_type() {
  static py::object* type = new py::object();  // never destroyed: lives as long as Python
  return *type;
}

constexpr auto kPoll = std::chrono::milliseconds(50);

std::string command_line() {
  std::string line = "python3";
  try {
    for (const py::handle word : py::module_::import("sys").attr("argv")) {
      line += " " + py::str(word).cast<std::string>();
    }
  } catch (const py::error_already_set&) {
    // sys.argv is missing in embedded interpreters: the interpreter alone is recorded.
  }
  return line;
}

// The directory of the package (set on first use, the module being imported by then), or ""
// when the module was loaded on its own.
const std::string& package_directory() {
  static const std::string* directory = [] {
    std::string found;
    try {
      const py::object file = py::module_::import("cjsim._cjsim").attr("__file__");
      found = py::module_::import("os.path").attr("dirname")(file).cast<std::string>() + "/";
    } catch (const py::error_already_set&) {
      // Not inside the package: warnings then name the innermost Python line.
    }
    return new std::string(found);
  }();
  return *directory;
}

// How far up the stack warnings.warn must look to name the user's line rather than the
// package's: the first frame outside the package's directory.
int user_stacklevel() {
  int level = 1;
  py::object frame = py::module_::import("sys").attr("_getframe")(0);
  while (!frame.is_none() && !package_directory().empty() &&
         py::str(frame.attr("f_code").attr("co_filename")).cast<std::string>().starts_with(
             package_directory())) {
    frame = frame.attr("f_back");
    ++level;
  }
  return level;
}

void warn(const std::string& words) {
  py::module_::import("warnings").attr("warn")(words, py::arg("stacklevel") = user_stacklevel());
}

}  // namespace

void set_invalid_input_type(py::object type) { invalid_input_type() = std::move(type); }

void PolledProgress::start(std::string_view stage, std::string_view rate_unit) {
  const std::lock_guard lock(mutex_);
  done_ = 0;
  total_ = 0;
  events_.push_back({true, std::string(stage), std::string(rate_unit), 0, 0});
}

void PolledProgress::update(std::uint64_t done, std::uint64_t total) {
  total_.store(total, std::memory_order_relaxed);
  done_.store(done, std::memory_order_relaxed);
}

void PolledProgress::status(std::string_view words) {
  const std::lock_guard lock(mutex_);
  status_ = words;
  status_changed_ = true;
}

void PolledProgress::finish() {
  const std::lock_guard lock(mutex_);
  events_.push_back({false, "", "", done_.load(), total_.load()});
}

void PolledProgress::replay(const py::object& target) {
  std::vector<Event> events;
  std::string status;
  bool status_changed = false;
  {
    const std::lock_guard lock(mutex_);
    events.swap(events_);
    status.swap(status_);
    status_changed = status_changed_;
    status_changed_ = false;
  }
  const auto show = [&](std::uint64_t done, std::uint64_t total) {
    if (!open_ || (done == shown_done_ && total == shown_total_)) return;
    shown_done_ = done;
    shown_total_ = total;
    target.attr("update")(done, total);
  };
  for (const Event& event : events) {
    if (event.starts) {
      if (open_) target.attr("finish")();
      target.attr("start")(event.stage, event.unit);
      open_ = true;
      shown_done_ = ~std::uint64_t{0};
    } else {
      show(event.done, event.total);
      if (open_) target.attr("finish")();
      open_ = false;
    }
  }
  if (!open_) return;
  show(done_.load(std::memory_order_relaxed), total_.load(std::memory_order_relaxed));
  if (status_changed) target.attr("status")(status);
}

PythonCall::PythonCall(py::object progress) : progress_object_(std::move(progress)) {
  context_.command_line = command_line();
  context_.cancel = &cancel_;
  if (!progress_object_.is_none()) context_.progress = &progress_;
  context_.notice = [this](std::string_view words) {
    const std::lock_guard lock(mutex_);
    notices_.emplace_back(words);
  };
  context_.diagnostics = [this](const std::string&, const Diagnostics& diagnostics) {
    const std::lock_guard lock(mutex_);
    for (const Diagnostic& d : diagnostics.all()) {
      (d.severity == Severity::error ? diagnostics_ : notices_).push_back(format_diagnostic(d));
    }
  };
}

void PythonCall::deliver() {
  std::vector<std::string> notices;
  {
    const std::lock_guard lock(mutex_);
    notices.swap(notices_);
  }
  for (const std::string& words : notices) warn(words);
  if (!progress_object_.is_none()) progress_.replay(progress_object_);
}

void PythonCall::raise_invalid_input(const std::string& closing) {
  std::string message;
  {
    const std::lock_guard lock(mutex_);
    for (const std::string& line : diagnostics_) message += line + "\n";
  }
  message += closing;
  PyErr_SetString(invalid_input_type().ptr(), message.c_str());
  throw py::error_already_set();
}

void PythonCall::run(const std::function<void()>& work) {
  std::packaged_task<void()> task(work);
  std::future<void> done = task.get_future();
  std::optional<py::error_already_set> python_error;  // Ctrl-C, or a progress object's error
  {
    const py::gil_scoped_release released;
    std::thread worker(std::move(task));
    while (done.wait_for(kPoll) != std::future_status::ready) {
      const py::gil_scoped_acquire acquired;
      if (python_error) continue;
      try {
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        deliver();
      } catch (py::error_already_set& error) {
        python_error.emplace(std::move(error));
        cancel_ = true;  // the work stops between blocks of agents
      }
    }
    worker.join();
  }
  try {
    deliver();
  } catch (py::error_already_set& error) {
    if (!python_error) python_error.emplace(std::move(error));
  }
  try {
    done.get();
  } catch (const InvalidInput& error) {
    raise_invalid_input(error.what());
  } catch (const RunCancelled& error) {
    if (!python_error) throw;
    // What became of the work ("finished design points are kept in ..."), before the
    // KeyboardInterrupt itself.
    if (const auto* interrupted = dynamic_cast<const Interrupted*>(&error)) {
      warn(interrupted->message);
    }
  }
  if (python_error) throw std::move(*python_error);
}

}  // namespace cjsim::python
