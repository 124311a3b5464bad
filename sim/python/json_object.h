// JSON values (the objects reports/render makes for `--json`) as Python objects, number for
// number: a double stays the same double, an unsigned 64-bit count the same int.
#pragma once

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>

namespace cjsim::python {

pybind11::object to_python(const nlohmann::json& value);

}  // namespace cjsim::python
