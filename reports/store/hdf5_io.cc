// Typed HDF5 helpers: attributes, arrays, string lists, checked lookups.
#include "reports/store/hdf5_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/file_checksum.h"
#include "reports/store/mapped_file.h"
#include "scenarios/utf8.h"

namespace cjsim::hdf5 {
namespace {

// The default chunk cache of a dataset is 1 MiB: chunks no larger than that are cached
// whole, so reading a table row by row does not inflate each chunk many times.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

H5::Attribute open_attribute(const H5::H5Object& at, const std::string& name) {
  if (!at.attrExists(name)) throw std::runtime_error("attribute " + name + " missing");
  return at.openAttribute(name);
}

void require_class(const H5::Attribute& attribute, const std::string& name, H5T_class_t want,
                   const char* what) {
  if (attribute.getTypeClass() == want) return;
  throw std::runtime_error("attribute " + name + " is not " + what);
}

// Attributes of result files hold one value; reading more than one into a single variable
// would write past it.
void require_one_value(const H5::Attribute& attribute, const std::string& name) {
  const H5::DataSpace space = attribute.getSpace();
  const H5S_class_t space_class = space.getSimpleExtentType();
  if ((space_class == H5S_SCALAR || space_class == H5S_SIMPLE) &&
      space.getSimpleExtentNpoints() == 1) {
    return;
  }
  throw std::runtime_error("attribute " + name + " does not hold exactly one value");
}

// Variable-length text: HDF5 allocates it and hands back one pointer, which may be null
// (no value) and is checked before use.
std::string read_variable_text(const H5::Attribute& attribute, const H5::StrType& type,
                               const std::string& name) {
  char* text = nullptr;
  const herr_t status = H5Aread(attribute.getId(), type.getId(), &text);
  const std::unique_ptr<char, herr_t (*)(void*)> owned(text, H5free_memory);
  if (status < 0) throw std::runtime_error("attribute " + name + " cannot be read");
  if (text == nullptr) throw std::runtime_error("attribute " + name + " holds no text");
  return std::string(text);
}

// Fixed-length text, into a buffer of the size its type gives (which the file's size
// bounds), up to the first NUL.
std::string read_fixed_text(const H5::Attribute& attribute, const H5::StrType& type,
                            const std::string& name) {
  const std::size_t size = type.getSize();
  if (size == 0 || size > file_size_of(attribute)) {
    throw std::runtime_error("attribute " + name + " has an impossible size");
  }
  std::vector<char> buffer(size, '\0');
  if (H5Aread(attribute.getId(), type.getId(), buffer.data()) < 0) {
    throw std::runtime_error("attribute " + name + " cannot be read");
  }
  return std::string(buffer.data(), strnlen(buffer.data(), size));
}

H5::DataSpace space_of(std::span<const hsize_t> dims) {
  return H5::DataSpace(static_cast<int>(dims.size()), dims.data());
}

std::size_t element_count(std::span<const hsize_t> dims) {
  std::size_t count = 1;
  for (hsize_t d : dims) count *= d;
  return count;
}

H5::DSetCreatPropList packed_layout(std::span<const hsize_t> dims, std::size_t element_size,
                                    bool chunk_per_limb);

H5::DSetCreatPropList layout_for(std::span<const hsize_t> dims, std::size_t element_size,
                                 Storage storage) {
  if (storage == Storage::contiguous || dims.empty() || element_count(dims) == 0) {
    return checked_layout(dims, element_size);
  }
  if (storage == Storage::packed || storage == Storage::packed_limbs) {
    return packed_layout(dims, element_size, storage == Storage::packed_limbs);
  }
  return compressed_layout(dims, element_size);
}

// Chunks of about kChunkBytes along the first dimension of `dims` (none zero).
std::vector<hsize_t> chunk_dimensions(std::span<const hsize_t> dims, std::size_t element_size) {
  std::vector<hsize_t> chunk(dims.begin(), dims.end());
  const std::size_t row_bytes = element_count(dims.subspan(1)) * element_size;
  const hsize_t rows = std::max<std::size_t>(1, kChunkBytes / std::max<std::size_t>(1, row_bytes));
  chunk[0] = std::clamp<hsize_t>(rows, 1, std::max<hsize_t>(dims[0], 1));
  return chunk;
}

}  // namespace

H5::StrType fixed_text_type(std::size_t length) {
  H5::StrType type(H5::PredType::C_S1, std::max<std::size_t>(length, 1));
  type.setCset(H5T_CSET_UTF8);
  type.setStrpad(H5T_STR_NULLPAD);
  return type;
}

H5::StrType variable_text_type() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

void write_attribute(const H5::H5Object& at, const std::string& name, std::string_view value) {
  const H5::StrType type = variable_text_type();
  H5::Attribute attribute = at.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
  attribute.write(type, std::string(value));
}

void write_attribute(const H5::H5Object& at, const std::string& name, std::uint64_t value) {
  H5::Attribute attribute =
      at.createAttribute(name, H5::PredType::NATIVE_UINT64, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_UINT64, &value);
}

void write_attribute(const H5::H5Object& at, const std::string& name, double value) {
  H5::Attribute attribute =
      at.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
  attribute.write(H5::PredType::NATIVE_DOUBLE, &value);
}

std::string read_text_attribute(const H5::H5Object& at, const std::string& name) {
  const H5::Attribute attribute = open_attribute(at, name);
  require_class(attribute, name, H5T_STRING, "text");
  require_one_value(attribute, name);
  const H5::StrType type = attribute.getStrType();
  std::string value = type.isVariableStr() ? read_variable_text(attribute, type, name)
                                           : read_fixed_text(attribute, type, name);
  if (first_invalid_utf8(value)) throw std::runtime_error("attribute " + name + " is not UTF-8 text");
  return value;
}

std::uint64_t read_u64_attribute(const H5::H5Object& at, const std::string& name) {
  const H5::Attribute attribute = open_attribute(at, name);
  require_class(attribute, name, H5T_INTEGER, "an integer");
  require_one_value(attribute, name);
  std::uint64_t value = 0;
  attribute.read(H5::PredType::NATIVE_UINT64, &value);
  return value;
}

double read_f64_attribute(const H5::H5Object& at, const std::string& name) {
  const H5::Attribute attribute = open_attribute(at, name);
  const H5T_class_t type_class = attribute.getTypeClass();
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER) {
    throw std::runtime_error("attribute " + name + " is not a number");
  }
  require_one_value(attribute, name);
  double value = 0.0;
  attribute.read(H5::PredType::NATIVE_DOUBLE, &value);
  return value;
}

bool has_link(const H5::Group& group, const std::string& path) {
  try {
    for (std::size_t end = path.find('/'); end != std::string::npos;
         end = path.find('/', end + 1)) {
      if (!group.nameExists(path.substr(0, end))) return false;
    }
    return group.nameExists(path);
  } catch (const H5::Exception&) {
    return false;  // an intermediate component is not a group
  }
}

H5::DataSet open_dataset(const H5::Group& group, const std::string& path) {
  if (!has_link(group, path)) throw std::runtime_error("dataset " + path + " missing");
  if (group.childObjType(path) != H5O_TYPE_DATASET) {
    throw std::runtime_error(path + " is not a dataset");
  }
  return group.openDataSet(path);
}

H5::Group open_group(const H5::Group& group, const std::string& path) {
  if (!has_link(group, path)) throw std::runtime_error("group " + path + " missing");
  if (group.childObjType(path) != H5O_TYPE_GROUP) {
    throw std::runtime_error(path + " is not a group");
  }
  return group.openGroup(path);
}

H5::DSetCreatPropList compressed_layout(std::span<const hsize_t> dims, std::size_t element_size) {
  const std::vector<hsize_t> chunk = chunk_dimensions(dims, element_size);
  H5::DSetCreatPropList properties;
  properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
  properties.setShuffle();
  properties.setDeflate(4);  // most of the gain of level 9 at a fraction of the time
  // Last, so that a damaged chunk is caught before it is inflated.
  properties.setFletcher32();
  return properties;
}

namespace {

H5::DSetCreatPropList packed_layout(std::span<const hsize_t> dims, std::size_t element_size,
                                    bool chunk_per_limb) {
  std::vector<hsize_t> chunk = chunk_dimensions(dims, element_size);
  if (chunk_per_limb && dims.size() > 1) chunk.back() = 1;
  H5::DSetCreatPropList properties;
  properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
  // Scale factor 0: the filter finds, per chunk, the bits the range of its values needs.
  if (H5Pset_scaleoffset(properties.getId(), H5Z_SO_INT, H5Z_SO_INT_MINBITS_DEFAULT) < 0) {
    throw std::runtime_error("cannot set up packed storage for a dataset");
  }
  // Last, so that a damaged chunk is caught before it is unpacked.
  properties.setFletcher32();
  return properties;
}

}  // namespace

H5::DSetCreatPropList checked_layout(std::span<const hsize_t> dims, std::size_t element_size) {
  if (dims.empty() || element_count(dims) == 0) return H5::DSetCreatPropList::DEFAULT;
  const std::vector<hsize_t> chunk = chunk_dimensions(dims, element_size);
  H5::DSetCreatPropList properties;
  properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
  properties.setFletcher32();
  return properties;
}

H5::FileAccPropList file_access() {
  H5::FileAccPropList access;
  access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
  return access;
}

namespace {

// Copies the elements of limb `limb` of rows [first, first + rows) of `values` (row-major,
// `per_row` elements of `limbs` limbs each to a row, each of `size` bytes) to `out`, in their
// order. kSize: the size, known when compiled (each copy is then a move, not a call), or 0.
template <std::size_t kSize>
void gather_limb(const char* values, hsize_t first, hsize_t rows, hsize_t per_row, hsize_t limbs,
                 hsize_t limb, std::size_t size, char* out) {
  const std::size_t n = kSize != 0 ? kSize : size;
  const hsize_t count = rows * per_row;
  const char* from = values + ((first * per_row) * limbs + limb) * n;
  for (hsize_t e = 0; e < count; ++e) std::memcpy(out + e * n, from + e * limbs * n, n);
}

// A packed_limbs dataset's values, written a chunk at a time in the chunks' order (rows, then
// limbs), each gathered chunk-shaped first: written whole, HDF5 would copy them into each
// chunk one element at a time, since a chunk holds one index of the last dimension. The
// chunks hold the same values either way.
void write_limb_chunks(H5::DataSet& dataset, std::span<const hsize_t> dims, const void* values,
                       const H5::PredType& type) {
  const std::size_t size = type.getSize();
  const std::vector<hsize_t> chunk = chunk_dimensions(dims, size);
  const hsize_t limbs = dims.back();
  const hsize_t per_row = element_count(dims.subspan(1, dims.size() - 2));
  std::vector<char> buffer(chunk[0] * per_row * size);
  std::vector<hsize_t> start(dims.size(), 0);
  std::vector<hsize_t> extent(dims.begin(), dims.end());
  extent.back() = 1;
  const auto* bytes = static_cast<const char*>(values);
  for (hsize_t first = 0; first < dims[0]; first += chunk[0]) {
    const hsize_t rows = std::min(chunk[0], dims[0] - first);
    start[0] = first;
    extent[0] = rows;
    // Of the selection's shape: HDF5 maps such a selection to its chunk without visiting
    // every element.
    const H5::DataSpace memory(static_cast<int>(extent.size()), extent.data());
    for (hsize_t limb = 0; limb < limbs; ++limb) {
      if (size == 8) {
        gather_limb<8>(bytes, first, rows, per_row, limbs, limb, size, buffer.data());
      } else {
        gather_limb<0>(bytes, first, rows, per_row, limbs, limb, size, buffer.data());
      }
      start.back() = limb;
      const H5::DataSpace selection = dataset.getSpace();
      selection.selectHyperslab(H5S_SELECT_SET, extent.data(), start.data());
      dataset.write(buffer.data(), type, memory, selection);
    }
  }
}

}  // namespace

void write_array(H5::Group& group, const std::string& name, std::span<const hsize_t> dims,
                 const void* values, const H5::PredType& type, Storage storage) {
  const H5::DSetCreatPropList layout = layout_for(dims, type.getSize(), storage);
  H5::DataSet dataset = group.createDataSet(name, type, space_of(dims), layout);
  if (element_count(dims) == 0) return;
  if (storage == Storage::packed_limbs && dims.size() > 1) {
    write_limb_chunks(dataset, dims, values, type);
    return;
  }
  dataset.write(values, type);
}

std::vector<hsize_t> dimensions_of(const H5::DataSet& dataset) {
  const H5::DataSpace space = dataset.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  if (!dims.empty()) space.getSimpleExtentDims(dims.data());
  return dims;
}

namespace {

constexpr std::string_view kHeapSignature = "GCOL";
constexpr std::size_t kHeapHeader = 16;    // signature, version, reserved, collection size
constexpr std::size_t kObjectHeader = 16;  // index, references, reserved, size
constexpr std::uint64_t kLeastHeap = 4096;

std::uint64_t little_endian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int k = count; k-- > 0;) value = (value << 8) | bytes[k];
  return value;
}

// The collection at `at` (its signature found there), whose bytes are `heap`.
void check_heap(std::span<const unsigned char> heap, std::uint64_t at) {
  const auto damaged = [&] {
    return std::runtime_error(
        fmt::format("the file is damaged: the heap of text at byte {} is malformed", at));
  };
  std::size_t p = kHeapHeader;
  std::uint64_t next_index = 1;
  while (p < heap.size()) {
    if (heap.size() - p < kObjectHeader) return;  // too small for an object: free space
    const std::uint64_t index = little_endian(&heap[p], 2);
    const std::uint64_t size = little_endian(&heap[p + 8], 8);
    const std::uint64_t room = heap.size() - p;
    if (index == 0) {
      if (size != room) throw damaged();  // the free space runs to the end
      return;
    }
    if (index != next_index++ || size > room - kObjectHeader) throw damaged();
    const std::uint64_t padded = (size + 7) / 8 * 8;
    if (padded > room - kObjectHeader) throw damaged();
    p += kObjectHeader + padded;
  }
  if (p != heap.size()) throw damaged();
}

}  // namespace

void check_global_heaps(const std::string& path) {
  const MappedFile file(path);
  const std::span<const unsigned char> bytes = file.bytes();
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  for (std::size_t at = text.find(kHeapSignature); at != std::string_view::npos;
       at = text.find(kHeapSignature, at + 1)) {
    if (bytes.size() - at < kHeapHeader || bytes[at + 4] != 1 || bytes[at + 5] != 0 ||
        bytes[at + 6] != 0 || bytes[at + 7] != 0) {
      continue;  // these bytes merely spell the signature
    }
    const std::uint64_t size = little_endian(&bytes[at + 8], 8);
    if (size < kLeastHeap || size > bytes.size() - at) {
      throw std::runtime_error(
          fmt::format("the file is damaged: the heap of text at byte {} is malformed", at));
    }
    check_heap(bytes.subspan(at, size), at);
  }
}

bool check_file_bytes(const std::string& path) {
  const bool checksummed = check_file_checksum(path);
  check_global_heaps(path);
  return checksummed;
}

std::runtime_error missing_file_checksum() {
  return std::runtime_error("damaged: checksum does not match (the file's checksum is missing)");
}

hsize_t file_size_of(const H5::IdComponent& object) {
  const hid_t file = H5Iget_file_id(object.getId());
  hsize_t size = 0;
  const herr_t status = file < 0 ? -1 : H5Fget_filesize(file, &size);
  if (file >= 0) H5Fclose(file);
  if (status < 0) throw std::runtime_error("cannot tell the size of the file");
  return size;
}

namespace {

// Deflate inflates at most about 1000 times, so no dataset of a real file needs more memory
// than this many times the file's size (and a little more, for tiny files).
constexpr hsize_t kMostExpansion = 2048;
constexpr hsize_t kExpansionSlack = hsize_t{1} << 20;
constexpr int kMostRank = 8;

// The bytes of memory `dims` of `element_size` need, or nullopt when that overflows.
std::optional<hsize_t> bytes_for(std::span<const hsize_t> dims, std::size_t element_size) {
  hsize_t bytes = element_size;
  for (hsize_t d : dims) {
    if (d != 0 && bytes > std::numeric_limits<hsize_t>::max() / d) return std::nullopt;
    bytes *= d;
  }
  return bytes;
}

// Every chunk of a chunked dataset is stored, with every filter applied (Fletcher32 among
// them). A file holds each chunk in at least a few bytes, which bounds how many to look up.
void require_every_chunk(const H5::DataSet& dataset, const std::string& path,
                         std::span<const hsize_t> dims) {
  const H5::DSetCreatPropList properties = dataset.getCreatePlist();
  if (properties.getLayout() != H5D_CHUNKED || dims.empty()) return;
  const int rank = static_cast<int>(dims.size());
  std::vector<hsize_t> chunk(dims.size(), 0);
  if (properties.getChunk(rank, chunk.data()) != rank ||
      std::ranges::find(chunk, hsize_t{0}) != chunk.end()) {
    throw std::runtime_error(path + " has damaged chunk dimensions");
  }
  std::vector<hsize_t> grid(dims.size());
  hsize_t chunks = 1;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    grid[k] = dims[k] / chunk[k] + (dims[k] % chunk[k] != 0 ? 1 : 0);
    chunks *= grid[k];  // no overflow: at most the element count, whose bytes were bounded
  }
  if (chunks == 0) return;
  if (chunks > file_size_of(dataset) / 8) {
    throw std::runtime_error(path + " has more chunks than its file could hold");
  }
  std::vector<hsize_t> index(dims.size(), 0), offset(dims.size(), 0);
  for (hsize_t c = 0; c < chunks; ++c) {
    for (std::size_t k = 0; k < dims.size(); ++k) offset[k] = index[k] * chunk[k];
    unsigned filters_skipped = 0;
    haddr_t address = HADDR_UNDEF;
    hsize_t size = 0;
    if (H5Dget_chunk_info_by_coord(dataset.getId(), offset.data(), &filters_skipped, &address,
                                   &size) < 0 ||
        address == HADDR_UNDEF || size == 0) {
      throw std::runtime_error(path + " is damaged: a chunk of its data is missing");
    }
    if (filters_skipped != 0) {
      throw std::runtime_error(path + " is damaged: a chunk of its data was stored unchecked");
    }
    for (std::size_t k = dims.size(); k-- > 0;) {  // the last dimension varies fastest
      if (++index[k] < grid[k]) break;
      index[k] = 0;
    }
  }
}

}  // namespace

std::vector<hsize_t> checked_dimensions(const H5::DataSet& dataset, const std::string& path,
                                        H5T_class_t type_class, std::size_t element_size) {
  if (dataset.getTypeClass() != type_class) {
    throw std::runtime_error(path + (type_class == H5T_STRING ? " is not text"
                                     : type_class == H5T_COMPOUND ? " is not a table"
                                                                  : " does not hold numbers of "
                                                                    "the expected kind"));
  }
  const H5::DataSpace space = dataset.getSpace();
  if (space.getSimpleExtentType() != H5S_SIMPLE) throw std::runtime_error(path + " is not an array");
  const int rank = space.getSimpleExtentNdims();
  if (rank < 1 || rank > kMostRank) {
    throw std::runtime_error(path + " has " + std::to_string(rank) + " dimensions");
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  space.getSimpleExtentDims(dims.data());
  const std::optional<hsize_t> bytes = bytes_for(dims, std::max<std::size_t>(element_size, 1));
  const hsize_t file_size = file_size_of(dataset);
  if (!bytes || *bytes / kMostExpansion > file_size + kExpansionSlack / kMostExpansion) {
    throw std::runtime_error(path + " claims more data than its file could hold");
  }
  require_every_chunk(dataset, path, dims);
  return dims;
}

void write_text_list(H5::Group& group, const std::string& name,
                     std::span<const std::string> values) {
  std::size_t length = 1;
  for (const std::string& v : values) length = std::max(length, v.size());
  const H5::StrType type = fixed_text_type(length);
  std::vector<char> buffer(values.size() * length, '\0');
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::memcpy(buffer.data() + k * length, values[k].data(), values[k].size());
  }
  const hsize_t dims[] = {values.size()};
  H5::DataSet dataset =
      group.createDataSet(name, type, space_of(dims), checked_layout(dims, type.getSize()));
  if (values.empty()) return;
  dataset.write(buffer.data(), type);
}

std::vector<std::string> read_text_list(const H5::Group& group, const std::string& path) {
  const H5::DataSet dataset = open_dataset(group, path);
  if (dataset.getTypeClass() != H5T_STRING) throw std::runtime_error(path + " is not text");
  const H5::StrType type = dataset.getStrType();
  if (type.isVariableStr()) throw std::runtime_error(path + " is not fixed-length text");
  const std::size_t length = type.getSize();
  const std::vector<hsize_t> dims = checked_dimensions(dataset, path, H5T_STRING, length);
  if (dims.size() != 1) throw std::runtime_error(path + " is not a list");
  std::vector<char> buffer(dims[0] * length);
  if (!buffer.empty()) dataset.read(buffer.data(), type);
  std::vector<std::string> values;
  for (std::size_t k = 0; k < dims[0]; ++k) {
    const char* start = buffer.data() + k * length;
    values.emplace_back(start, strnlen(start, length));
    if (first_invalid_utf8(values.back())) {
      throw std::runtime_error(fmt::format("{}: entry {} is not UTF-8 text", path, k));
    }
  }
  return values;
}

namespace {

// The core driver names in-memory files too; a fresh name each time keeps two images open at
// once apart.
std::string image_name() {
  static std::atomic<std::uint64_t> counter{0};
  return "cjsim-image-" + std::to_string(counter.fetch_add(1));
}

// In-memory files grow in steps of this many bytes.
constexpr std::size_t kImageIncrement = std::size_t{1} << 20;

}  // namespace

void FileImage::Free::operator()(char* p) const { std::free(p); }

// HDF5's core driver allocates, grows and frees the memory of an in-memory file through these
// callbacks (plain malloc, realloc and free); at the file's close its memory is kept instead of
// freed, and handed to a FileImage.
class ImageBuilder {
 public:
  // The file `write` builds, behind room for a user block of `front` bytes (its contents
  // undefined) when `creation` asks for one.
  static FileImage build(const std::function<void(H5::Group& root)>& write,
                         const H5::FileCreatPropList& creation, std::size_t front) {
    Kept kept;
    // Not file_access(): HDF5 1.10.8 takes images of files of the newer formats whose metadata
    // checksums no longer match, or whose chunks it cannot find (h5py and h5dump refuse them).
    // The files' data and attributes are checksummed all the same, and the whole file too.
    H5::FileAccPropList access;
    access.setCore(kImageIncrement, false);
    H5FD_file_image_callbacks_t callbacks{&allocate, &copy, &resize, &release,
                                          &share,    &forget, &kept};
    if (H5Pset_file_image_callbacks(access.getId(), &callbacks) < 0) {
      throw std::runtime_error("cannot set up an in-memory HDF5 file");
    }
    H5::H5File file(image_name(), H5F_ACC_TRUNC, creation, access);
    {
      H5::Group root = file.openGroup("/");
      write(root);
    }
    file.flush(H5F_SCOPE_GLOBAL);
    // HDF5 1.10.8's image of a file starts at its superblock, after the user block, where the
    // driver's memory holds the whole file.
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size < 0) throw std::runtime_error("cannot take the image of an in-memory HDF5 file");
    kept.keep = true;
    file.close();
    if (kept.memory == nullptr) {
      throw std::runtime_error("cannot take the image of an in-memory HDF5 file");
    }
    FileImage image;
    image.bytes_.reset(static_cast<char*>(kept.memory));
    image.size_ = front + static_cast<std::size_t>(size);
    constexpr std::string_view kSignature = "\x89HDF\r\n\x1a\n";
    if (image.size_ < front + kSignature.size() ||
        std::string_view(image.data() + front, kSignature.size()) != kSignature) {
      throw std::runtime_error("the image of an in-memory HDF5 file does not start as one");
    }
    return image;
  }

 private:
  struct Kept {
    void* memory = nullptr;
    bool keep = false;  // set just before the file's close: a file given up is freed
  };
  static void* allocate(std::size_t size, H5FD_file_image_op_t, void*) {
    return std::malloc(size);
  }
  static void* copy(void* to, const void* from, std::size_t size, H5FD_file_image_op_t, void*) {
    return std::memcpy(to, from, size);
  }
  static void* resize(void* memory, std::size_t size, H5FD_file_image_op_t, void*) {
    return std::realloc(memory, size);
  }
  static herr_t release(void* memory, H5FD_file_image_op_t operation, void* data) {
    auto* kept = static_cast<Kept*>(data);
    if (operation == H5FD_FILE_IMAGE_OP_FILE_CLOSE && kept->keep && memory != nullptr) {
      kept->memory = memory;
    } else {
      std::free(memory);
    }
    return 0;
  }
  // The property list's copies share the one Kept of the build.
  static void* share(void* data) { return data; }
  static herr_t forget(void*) { return 0; }
};

FileImage file_image(const std::function<void(H5::Group& root)>& write) {
  return ImageBuilder::build(write, H5::FileCreatPropList::DEFAULT, 0);
}

FileImage checksummed_file_image(const std::function<void(H5::Group& root)>& write) {
  H5::FileCreatPropList creation;
  creation.setUserblock(kUserBlockSize);
  FileImage image = ImageBuilder::build(write, creation, kUserBlockSize);
  seal_file_image(std::span<char>(image.data(), image.size()));
  return image;
}

void read_file_image(std::span<const char> image,
                     const std::function<void(const H5::Group& root)>& read) {
  H5::FileAccPropList access;
  access.setCore(kImageIncrement, false);
  if (H5Pset_file_image(access.getId(), const_cast<char*>(image.data()), image.size()) < 0) {
    throw std::runtime_error("cannot open an in-memory HDF5 file");
  }
  H5::H5File file(image_name(), H5F_ACC_RDONLY, H5::FileCreatPropList::DEFAULT, access);
  const H5::Group root = file.openGroup("/");
  read(root);
}

std::string describe(const H5::Exception& e) {
  const std::string detail = e.getDetailMsg();
  return detail.empty() ? "HDF5 error in " + e.getFuncName() : detail;
}

}  // namespace cjsim::hdf5
