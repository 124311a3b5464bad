// Small typed wrappers over the HDF5 C++ API shared by the result writers and readers:
// scalar attributes, n-dimensional numeric arrays, lists of strings, and lookups that fail
// with a message saying what is missing. Private to reports/.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim::hdf5 {

// The native HDF5 type of each element type stored in result files.
template <class T>
const H5::PredType& native_type();
template <>
inline const H5::PredType& native_type<std::uint8_t>() {
  return H5::PredType::NATIVE_UINT8;
}
template <>
inline const H5::PredType& native_type<std::uint32_t>() {
  return H5::PredType::NATIVE_UINT32;
}
template <>
inline const H5::PredType& native_type<std::uint64_t>() {
  return H5::PredType::NATIVE_UINT64;
}
template <>
inline const H5::PredType& native_type<double>() {
  return H5::PredType::NATIVE_DOUBLE;
}

// A fixed-length UTF-8 string type of `length` bytes (at least 1), null-padded: numpy reads
// it as a plain 'S' field, which keeps structured arrays and pandas simple.
H5::StrType fixed_text_type(std::size_t length);
// A variable-length UTF-8 string type: h5py reads such attributes as str, and their size is
// not limited by the 64 KiB an object header holds (the scenario text can be long).
H5::StrType variable_text_type();

void write_attribute(const H5::H5Object& at, const std::string& name, std::string_view value);
void write_attribute(const H5::H5Object& at, const std::string& name, std::uint64_t value);
void write_attribute(const H5::H5Object& at, const std::string& name, double value);

// These throw std::runtime_error("attribute <name> missing") and the like.
std::string read_text_attribute(const H5::H5Object& at, const std::string& name);
std::uint64_t read_u64_attribute(const H5::H5Object& at, const std::string& name);
double read_f64_attribute(const H5::H5Object& at, const std::string& name);

// Whether `path` (relative, components separated by '/') names a link under `group`; unlike
// H5Lexists, a missing intermediate group is an answer, not an error.
bool has_link(const H5::Group& group, const std::string& path);
// Throw std::runtime_error("dataset <path> missing") / ("group <path> missing").
H5::DataSet open_dataset(const H5::Group& group, const std::string& path);
H5::Group open_group(const H5::Group& group, const std::string& path);

// How a large dataset is laid out on disk.
enum class Storage { contiguous, compressed };

// A dataset of `dims` holding `values` (row-major; their count must be the product of dims).
void write_array(H5::Group& group, const std::string& name, std::span<const hsize_t> dims,
                 const void* values, const H5::PredType& type, Storage storage);

template <class T>
void write_array(H5::Group& group, const std::string& name, std::span<const hsize_t> dims,
                 std::span<const T> values, Storage storage = Storage::contiguous) {
  write_array(group, name, dims, values.data(), native_type<T>(), storage);
}

template <class T>
struct Array {
  std::vector<hsize_t> dims;
  std::vector<T> values;  // row-major
};

// The dimensions of a dataset's (simple) dataspace.
std::vector<hsize_t> dimensions_of(const H5::DataSet& dataset);

// Reads a whole numeric dataset, converted to T by HDF5.
template <class T>
Array<T> read_array(const H5::Group& group, const std::string& path) {
  const H5::DataSet dataset = open_dataset(group, path);
  Array<T> out;
  out.dims = dimensions_of(dataset);
  std::size_t count = 1;
  for (hsize_t d : out.dims) count *= d;
  out.values.resize(count);
  if (count > 0) dataset.read(out.values.data(), native_type<T>());
  return out;
}

// A 1-D dataset of fixed-length strings (touchpoint and persona ids).
void write_text_list(H5::Group& group, const std::string& name,
                     std::span<const std::string> values);
std::vector<std::string> read_text_list(const H5::Group& group, const std::string& path);

// The creation properties of a large dataset of `dims` (none zero): chunked along the first
// dimension, shuffled and deflated.
H5::DSetCreatPropList compressed_layout(std::span<const hsize_t> dims, std::size_t element_size);

// A whole HDF5 file built in memory by `write` and returned as bytes (to send to another
// process, or to write out as one file), and such bytes opened again for `read`.
std::vector<char> file_image(const std::function<void(H5::Group& root)>& write);
void read_file_image(std::span<const char> image,
                     const std::function<void(const H5::Group& root)>& read);

}  // namespace cjsim::hdf5
