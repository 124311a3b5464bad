// The errors the library API throws at a front end, beyond std::runtime_error (bad input or a
// failed step, with its message) and std::bad_alloc.
#pragma once

#include <stdexcept>
#include <string>

#include "sim/model/cancellation.h"

namespace cjsim {

// An input file had errors; every one was already handed to Context::diagnostics. what() is
// the closing line: "PATH: 2 errors, nothing was run".
struct InvalidInput : std::runtime_error {
  InvalidInput(std::string path, std::size_t errors, std::string_view consequence);
  // With the closing line as a whole ("DATA: the skeleton S cannot produce these data (2
  // errors), nothing was written").
  InvalidInput(std::string path, const std::string& message)
      : std::runtime_error(message), path(std::move(path)), errors(1) {}
  std::string path;
  std::size_t errors;
};

// Work stopped by Context::cancel, with what became of it ("finished design points are kept
// in ...; finish with ..."). A RunCancelled, so front ends that catch that see it too.
struct Interrupted : RunCancelled {
  explicit Interrupted(std::string message) : message(std::move(message)) {}
  const char* what() const noexcept override { return message.c_str(); }
  std::string message;
};

// A failure another process of the group has reported (only rank 0 speaks); this process
// stops quietly with the same outcome.
struct FailedElsewhere : std::runtime_error {
  explicit FailedElsewhere(bool interrupted)
      : std::runtime_error("failed in another process"), interrupted(interrupted) {}
  bool interrupted;
};

}  // namespace cjsim
