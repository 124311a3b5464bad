// The attributes' checksum: FNV-1a (64 bits) over every attribute but itself, in the order of
// their names, each as its name, its kind and its value (text as UTF-8, numbers as their 8
// bytes, least significant first), so that h5py or any other tool can recompute it.
#include "reports/store/hdf5_checksum.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/hdf5_io.h"

namespace cjsim::hdf5 {
namespace {

class Fnv1a {
 public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
  }
  void add(std::uint64_t value) {
    char bytes[8];
    for (int k = 0; k < 8; ++k) bytes[k] = static_cast<char>(value >> (8 * k));
    add(std::string_view(bytes, 8));
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

std::vector<std::string> attribute_names(const H5::H5Object& group) {
  std::vector<std::string> names;
  const int count = group.getNumAttrs();
  for (int k = 0; k < count; ++k) {
    std::string name = group.openAttribute(static_cast<unsigned>(k)).getName();
    if (name != kChecksumAttribute) names.push_back(std::move(name));
  }
  std::ranges::sort(names);
  return names;
}

std::string checksum_of(const H5::H5Object& group) {
  Fnv1a hash;
  for (const std::string& name : attribute_names(group)) {
    hash.add(name);
    hash.add(std::string_view("\0", 1));
    const H5T_class_t type_class = group.openAttribute(name).getTypeClass();
    if (type_class == H5T_STRING) {
      const std::string text = read_text_attribute(group, name);
      hash.add("t");
      hash.add(std::uint64_t{text.size()});
      hash.add(text);
    } else if (type_class == H5T_INTEGER) {
      hash.add("i");
      hash.add(read_u64_attribute(group, name));
    } else if (type_class == H5T_FLOAT) {
      hash.add("f");
      hash.add(std::bit_cast<std::uint64_t>(read_f64_attribute(group, name)));
    } else {
      throw std::runtime_error("attribute " + name + " is of a kind cjsim never writes");
    }
  }
  return fmt::format("fnv1a64:{:016x}", hash.value());
}

}  // namespace

void write_checksum(const H5::H5Object& group) {
  write_attribute(group, kChecksumAttribute, checksum_of(group));
}

bool verify_checksum(const H5::H5Object& group) {
  if (!group.attrExists(kChecksumAttribute)) return false;
  const std::string stored = read_text_attribute(group, kChecksumAttribute);
  if (stored != checksum_of(group)) {
    throw std::runtime_error(fmt::format(
        "the file is damaged: the attributes of {} do not match their checksum",
        group.getObjName()));
  }
  return true;
}

namespace {

// Groups of result files nest three deep (runs/point_000042/raw).
constexpr int kMostDepth = 8;

void verify_dataset(const H5::DataSet& dataset, const std::string& path) {
  const H5::DataType type = dataset.getDataType();
  if (H5Tdetect_class(type.getId(), H5T_VLEN) != 0 || H5Tis_variable_str(type.getId()) != 0) {
    throw std::runtime_error(path + " holds variable-length data, which cjsim never writes");
  }
  const std::size_t size = type.getSize();
  const std::vector<hsize_t> dims = checked_dimensions(dataset, path, type.getClass(), size);
  std::size_t count = 1;
  for (hsize_t d : dims) count *= d;
  if (count == 0) return;
  std::vector<char> bytes(count * size);
  dataset.read(bytes.data(), type);
}

void verify_group(const H5::Group& group, const std::string& prefix, int depth) {
  if (depth > kMostDepth) throw std::runtime_error(prefix + " nests too deep");
  verify_checksum(group);
  const hsize_t count = group.getNumObjs();
  for (hsize_t k = 0; k < count; ++k) {
    const std::string name = group.getObjnameByIdx(k);
    const std::string path = prefix + name;
    switch (group.childObjType(name)) {
      case H5O_TYPE_GROUP:
        verify_group(group.openGroup(name), path + "/", depth + 1);
        break;
      case H5O_TYPE_DATASET:
        verify_dataset(group.openDataSet(name), path);
        break;
      default:
        throw std::runtime_error(path + " is neither a group nor a dataset");
    }
  }
}

}  // namespace

void verify_everything(const H5::Group& group) { verify_group(group, "", 0); }

}  // namespace cjsim::hdf5
