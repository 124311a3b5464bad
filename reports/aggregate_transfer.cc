// Aggregates through an in-memory HDF5 file image.
#include "reports/aggregate_transfer.h"

#include <H5Cpp.h>

#include <stdexcept>
#include <string>

#include "reports/hdf5_io.h"
#include "reports/hdf5_raw.h"

namespace cjsim {

std::vector<char> aggregates_to_bytes(std::span<const Aggregate> aggregates) {
  H5::Exception::dontPrint();
  try {
    return hdf5::file_image([&](H5::Group& root) { hdf5::write_raw_aggregates(root, aggregates); });
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot pack aggregates: " + e.getDetailMsg());
  }
}

std::vector<Aggregate> aggregates_from_bytes(std::span<const char> bytes) {
  H5::Exception::dontPrint();
  std::vector<Aggregate> out;
  try {
    hdf5::read_file_image(bytes, [&](const H5::Group& root) { out = hdf5::read_raw_aggregates(root); });
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot unpack aggregates: " + e.getDetailMsg());
  }
  return out;
}

}  // namespace cjsim
