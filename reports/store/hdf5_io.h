// Small typed wrappers over the HDF5 C++ API shared by the result writers and readers:
// scalar attributes, n-dimensional numeric arrays, lists of strings, and lookups that fail
// with a message saying what is missing. Private to reports/.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
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

// These throw std::runtime_error("attribute <name> missing") and the like. Each checks the
// attribute's type and that it holds one value before reading it (a damaged or hostile file
// is read into buffers of known size, never through a pointer taken on trust); text must be
// UTF-8.
std::string read_text_attribute(const H5::H5Object& at, const std::string& name);
std::uint64_t read_u64_attribute(const H5::H5Object& at, const std::string& name);
double read_f64_attribute(const H5::H5Object& at, const std::string& name);

// Whether `path` (relative, components separated by '/') names a link under `group`; unlike
// H5Lexists, a missing intermediate group is an answer, not an error.
bool has_link(const H5::Group& group, const std::string& path);
// Throw std::runtime_error("dataset <path> missing") / ("group <path> missing").
H5::DataSet open_dataset(const H5::Group& group, const std::string& path);
H5::Group open_group(const H5::Group& group, const std::string& path);

// How a large dataset is laid out on disk. Every layout is checked (Fletcher32 per chunk) and
// lossless; readers see the same values whichever was written.
//  - contiguous: the values as they are;
//  - compressed: shuffled and deflated (large tables of many kinds of values);
//  - packed: unsigned integers stored in the bits their chunk's range needs (HDF5's scale-offset
//    filter), for counts, whose values are small, at a fraction of deflate's cost;
//  - packed_limbs: packed, with a chunk per index of the last dimension, for wide integers
//    written as limbs (least significant first): the high limbs of small sums then take a few
//    bits, where a chunk of every limb would need all 64.
enum class Storage { contiguous, compressed, packed, packed_limbs };

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

// The dimensions of the dataset at `path` once it is known to be safe to read whole into
// elements of `element_size` bytes: its data are of `type_class`, its dataspace is simple,
// the memory it needs is what a file of its size can plausibly hold (a damaged dimension
// would ask for terabytes), and every chunk is stored with all its filters applied (a chunk
// HDF5 cannot find would read as zeros, and one whose filters were skipped is not checked
// against its Fletcher32 checksum). Throws std::runtime_error saying what is wrong.
std::vector<hsize_t> checked_dimensions(const H5::DataSet& dataset, const std::string& path,
                                        H5T_class_t type_class, std::size_t element_size);

// Reads a whole numeric dataset, converted to T by HDF5.
template <class T>
Array<T> read_array(const H5::Group& group, const std::string& path) {
  const H5::DataSet dataset = open_dataset(group, path);
  constexpr H5T_class_t type_class = std::is_floating_point_v<T> ? H5T_FLOAT : H5T_INTEGER;
  Array<T> out;
  out.dims = checked_dimensions(dataset, path, type_class, sizeof(T));
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
// dimension, shuffled and deflated, and checksummed like every dataset (see checked_layout).
H5::DSetCreatPropList compressed_layout(std::span<const hsize_t> dims, std::size_t element_size);

// The creation properties of every other dataset of `dims`: chunked (chunks of at most about
// 1 MiB, along the first dimension) so that HDF5's Fletcher32 filter can checksum the data,
// which HDF5 then verifies on every read. A dataset without elements stores no data and needs
// no checksum: it keeps the default layout.
H5::DSetCreatPropList checked_layout(std::span<const hsize_t> dims, std::size_t element_size);

// The access properties of every file cjsim writes: the file format of HDF5 1.10, whose
// superblock, object headers, the heaps and B-trees of links and attributes, and the indexes
// of chunks carry checksums that HDF5 verifies when it reads them (any HDF5 from 1.10 on reads
// the files). In the older format a damaged chunk address can point at zeros, which pass the
// chunk's Fletcher32 check.
H5::FileAccPropList file_access();

// Checks the layout of every global heap collection in the file at `path` (where HDF5 keeps
// the values of variable-length text) before HDF5 reads any: HDF5 1.10 checks neither their
// bytes nor their objects' sizes, and copies a damaged object past the end of its buffer.
// Objects must tile the collection exactly, numbered 1, 2, ... as HDF5 writes them. Throws
// std::runtime_error saying the file is damaged.
void check_global_heaps(const std::string& path);

// Every check of a result file's bytes made before HDF5 parses any of them: the whole-file
// checksum (reports/store/file_checksum.h), then the heaps of text. Whether the file carries
// that checksum: false for a file of an older cjsim. Throws std::runtime_error saying what is
// wrong ("damaged: checksum does not match").
bool check_file_bytes(const std::string& path);

// The error for a file of the current format that lacks the whole-file checksum, which every
// file of that format has: its user block was damaged.
std::runtime_error missing_file_checksum();

// The size in bytes of the file that holds `object`.
hsize_t file_size_of(const H5::IdComponent& object);

// The bytes of an HDF5 file built in memory: the memory HDF5 built it in, handed over rather
// than copied (a sweep's file is megabytes).
class FileImage {
 public:
  FileImage() = default;
  const char* data() const { return bytes_.get(); }
  char* data() { return bytes_.get(); }
  std::size_t size() const { return size_; }
  std::span<const char> bytes() const { return {bytes_.get(), size_}; }
  std::vector<char> to_vector() const { return {data(), data() + size_}; }

 private:
  struct Free {
    void operator()(char* p) const;
  };
  std::unique_ptr<char, Free> bytes_;
  std::size_t size_ = 0;
  friend class ImageBuilder;
};

// A whole HDF5 file built in memory by `write` and returned as bytes (to send to another
// process, or to write out as one file), and such bytes opened again for `read`.
FileImage file_image(const std::function<void(H5::Group& root)>& write);
// The same as a result file to write to disk: with a user block of kUserBlockSize bytes that
// holds the checksum of the rest (reports/store/file_checksum.h).
FileImage checksummed_file_image(const std::function<void(H5::Group& root)>& write);
void read_file_image(std::span<const char> image,
                     const std::function<void(const H5::Group& root)>& read);

// An HDF5 exception in words: its detail message, or the function that failed.
std::string describe(const H5::Exception& e);

}  // namespace cjsim::hdf5
