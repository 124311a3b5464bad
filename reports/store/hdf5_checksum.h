// A checksum over the attributes of a result file's group (how a run was made, and the
// scenario text its figures are recomputed from), so that damage to them is detected rather
// than reported. HDF5 checks its own metadata and, with Fletcher32, the datasets' data, but
// not its global heap, where the values of variable-length text live. Private to reports/.
#pragma once

#include <H5Cpp.h>

namespace cjsim::hdf5 {

// The attribute that holds the checksum, "fnv1a64:" and 16 hex digits.
inline constexpr const char* kChecksumAttribute = "checksum";

// Writes the checksum of every attribute of `group`: call it after the last of them.
void write_checksum(const H5::H5Object& group);

// Whether `group` has a checksum; throws std::runtime_error when it has one that does not
// match its attributes.
bool verify_checksum(const H5::H5Object& group);

// Reads every dataset under `group` whole, so that HDF5 verifies each chunk's Fletcher32
// checksum, and verifies the attributes' checksum of every group that has one. Throws
// std::runtime_error (or H5::Exception) at the first damage.
void verify_everything(const H5::Group& group);

}  // namespace cjsim::hdf5
