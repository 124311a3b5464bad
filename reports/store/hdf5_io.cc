// Typed HDF5 helpers: attributes, arrays, string lists, checked lookups.
#include "reports/store/hdf5_io.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>

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

H5::DataSpace space_of(std::span<const hsize_t> dims) {
  return H5::DataSpace(static_cast<int>(dims.size()), dims.data());
}

std::size_t element_count(std::span<const hsize_t> dims) {
  std::size_t count = 1;
  for (hsize_t d : dims) count *= d;
  return count;
}

H5::DSetCreatPropList layout_for(std::span<const hsize_t> dims, std::size_t element_size,
                                 Storage storage) {
  if (storage == Storage::contiguous || dims.empty() || element_count(dims) == 0) {
    return H5::DSetCreatPropList::DEFAULT;
  }
  return compressed_layout(dims, element_size);
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
  std::string value;
  attribute.read(attribute.getStrType(), value);
  return value;
}

std::uint64_t read_u64_attribute(const H5::H5Object& at, const std::string& name) {
  const H5::Attribute attribute = open_attribute(at, name);
  require_class(attribute, name, H5T_INTEGER, "an integer");
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
  std::vector<hsize_t> chunk(dims.begin(), dims.end());
  const std::size_t row_bytes = element_count(dims.subspan(1)) * element_size;
  const hsize_t rows = std::max<std::size_t>(1, kChunkBytes / std::max<std::size_t>(1, row_bytes));
  chunk[0] = std::clamp<hsize_t>(rows, 1, std::max<hsize_t>(dims[0], 1));
  H5::DSetCreatPropList properties;
  properties.setChunk(static_cast<int>(chunk.size()), chunk.data());
  properties.setShuffle();
  properties.setDeflate(4);  // most of the gain of level 9 at a fraction of the time
  return properties;
}

void write_array(H5::Group& group, const std::string& name, std::span<const hsize_t> dims,
                 const void* values, const H5::PredType& type, Storage storage) {
  const H5::DSetCreatPropList layout = layout_for(dims, type.getSize(), storage);
  H5::DataSet dataset = group.createDataSet(name, type, space_of(dims), layout);
  if (element_count(dims) == 0) return;
  dataset.write(values, type);
}

std::vector<hsize_t> dimensions_of(const H5::DataSet& dataset) {
  const H5::DataSpace space = dataset.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  if (!dims.empty()) space.getSimpleExtentDims(dims.data());
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
  H5::DataSet dataset = group.createDataSet(name, type, space_of(dims));
  if (values.empty()) return;
  dataset.write(buffer.data(), type);
}

std::vector<std::string> read_text_list(const H5::Group& group, const std::string& path) {
  const H5::DataSet dataset = open_dataset(group, path);
  if (dataset.getTypeClass() != H5T_STRING) throw std::runtime_error(path + " is not text");
  const H5::StrType type = dataset.getStrType();
  if (type.isVariableStr()) throw std::runtime_error(path + " is not fixed-length text");
  const std::vector<hsize_t> dims = dimensions_of(dataset);
  if (dims.size() != 1) throw std::runtime_error(path + " is not a list");
  const std::size_t length = type.getSize();
  std::vector<char> buffer(dims[0] * length);
  if (!buffer.empty()) dataset.read(buffer.data(), type);
  std::vector<std::string> values;
  for (std::size_t k = 0; k < dims[0]; ++k) {
    const char* start = buffer.data() + k * length;
    values.emplace_back(start, strnlen(start, length));
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

std::vector<char> file_image(const std::function<void(H5::Group& root)>& write) {
  H5::FileAccPropList access;
  access.setCore(kImageIncrement, false);
  H5::H5File file(image_name(), H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
  {
    H5::Group root = file.openGroup("/");
    write(root);
  }
  file.flush(H5F_SCOPE_GLOBAL);
  const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
  if (size < 0) throw std::runtime_error("cannot take the image of an in-memory HDF5 file");
  std::vector<char> bytes(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file.getId(), bytes.data(), bytes.size()) != size) {
    throw std::runtime_error("cannot take the image of an in-memory HDF5 file");
  }
  return bytes;
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

}  // namespace cjsim::hdf5
