// Compound tables: columns packed into rows, written in one call.
#include "reports/store/hdf5_table.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <stdexcept>

#include "reports/store/hdf5_io.h"
#include "scenarios/utf8.h"

namespace cjsim::hdf5 {

void CompoundTable::add(Column column, std::size_t count) {
  if (count != rows_) {
    throw std::logic_error("table column " + column.name + " has " + std::to_string(count) +
                           " values for " + std::to_string(rows_) + " rows");
  }
  columns_.push_back(std::move(column));
}

const char* CompoundTable::Column::bytes() const {
  if (!u64.empty()) return reinterpret_cast<const char*>(u64.data());
  if (!f64.empty()) return reinterpret_cast<const char*>(f64.data());
  return text.data();
}

void CompoundTable::add_text(const std::string& name, std::span<const std::string> values) {
  std::size_t length = 1;
  for (const std::string& v : values) length = std::max(length, v.size());
  std::vector<char> bytes(values.size() * length, '\0');
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::memcpy(bytes.data() + k * length, values[k].data(), values[k].size());
  }
  add({name, fixed_text_type(length), std::move(bytes), {}, {}}, values.size());
}

void CompoundTable::add_u64(const std::string& name, std::span<const std::uint64_t> values) {
  add_u64(name, std::vector<std::uint64_t>(values.begin(), values.end()));
}

void CompoundTable::add_f64(const std::string& name, std::span<const double> values) {
  add_f64(name, std::vector<double>(values.begin(), values.end()));
}

void CompoundTable::add_u64(const std::string& name, std::vector<std::uint64_t>&& values) {
  const std::size_t count = values.size();
  add({name, H5::PredType::NATIVE_UINT64, {}, std::move(values), {}}, count);
}

void CompoundTable::add_f64(const std::string& name, std::vector<double>&& values) {
  const std::size_t count = values.size();
  add({name, H5::PredType::NATIVE_DOUBLE, {}, {}, std::move(values)}, count);
}

void CompoundTable::write(H5::Group& group, const std::string& name) const {
  std::size_t row_size = 0;
  for (const Column& c : columns_) row_size += c.type.getSize();
  if (row_size == 0) throw std::logic_error("table " + name + " has no columns");
  H5::CompType type(row_size);
  // Not zeroed first: the columns fill every byte of every row, which has no padding.
  const std::unique_ptr<char[]> rows = std::make_unique_for_overwrite<char[]>(rows_ * row_size);
  std::size_t offset = 0;
  for (const Column& c : columns_) {
    const std::size_t size = c.type.getSize();
    type.insertMember(c.name, offset, c.type);
    const char* from = c.bytes();
    char* to = rows.get() + offset;
    if (size == 8) {  // numbers: a copy of constant size the compiler inlines
      for (std::size_t r = 0; r < rows_; ++r) std::memcpy(to + r * row_size, from + r * 8, 8);
    } else {
      for (std::size_t r = 0; r < rows_; ++r) {
        std::memcpy(to + r * row_size, from + r * size, size);
      }
    }
    offset += size;
  }
  const hsize_t dims[] = {rows_};
  H5::DataSet dataset =
      group.createDataSet(name, type, H5::DataSpace(1, dims), checked_layout(dims, row_size));
  if (rows_ == 0) return;
  dataset.write(rows.get(), type);
}

namespace {

// The table's name in the file, for messages.
std::string table_name(const H5::DataSet& dataset) {
  std::string name = dataset.getObjName();
  if (name.starts_with('/')) name.erase(0, 1);
  return name.empty() ? "a table" : name;
}

// Column `name` of a 1-D table, checked to hold text (fixed-length) or numbers, with the
// table's row count, once reading the column whole into elements of `element_size` bytes
// (0: the text's length) is known to be safe.
struct CheckedColumn {
  std::size_t rows = 0;
  H5::StrType text_type;  // of a text column
};

CheckedColumn checked_column(const H5::DataSet& dataset, const std::string& name, bool text,
                             std::size_t element_size) {
  const std::string table = table_name(dataset);
  if (dataset.getTypeClass() != H5T_COMPOUND) throw std::runtime_error(table + " is not a table");
  const H5::CompType file_type = dataset.getCompType();
  const int index = H5Tget_member_index(file_type.getId(), name.c_str());
  if (index < 0) throw std::runtime_error(table + " has no column " + name);
  const auto member = static_cast<unsigned>(index);
  const H5T_class_t type_class = file_type.getMemberClass(member);
  CheckedColumn column;
  if (text) {
    if (type_class != H5T_STRING) throw std::runtime_error(table + ": column " + name + " is not text");
    column.text_type = file_type.getMemberStrType(member);
    element_size = column.text_type.getSize();
    if (column.text_type.isVariableStr() || element_size == 0) {
      throw std::runtime_error(table + ": column " + name + " is not fixed-length text");
    }
  } else if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    throw std::runtime_error(table + ": column " + name + " is not numbers");
  }
  const std::vector<hsize_t> dims = checked_dimensions(dataset, table, H5T_COMPOUND, element_size);
  if (dims.size() != 1) throw std::runtime_error(table + " is not a 1-D table");
  column.rows = static_cast<std::size_t>(dims[0]);
  return column;
}

template <class T>
std::vector<T> read_number_column(const H5::DataSet& dataset, const std::string& name) {
  const CheckedColumn column = checked_column(dataset, name, false, sizeof(T));
  H5::CompType memory(sizeof(T));
  memory.insertMember(name, 0, native_type<T>());
  std::vector<T> out(column.rows);
  if (!out.empty()) dataset.read(out.data(), memory);
  return out;
}

template <class T>
std::vector<std::vector<T>> read_number_columns(const H5::DataSet& dataset,
                                                std::span<const std::string> names) {
  std::vector<std::vector<T>> out(names.size());
  if (names.empty()) return out;
  // Each distinct name once (a member of the memory type); slot[c]: names[c]'s.
  std::vector<std::string> distinct;
  std::vector<std::size_t> slot;
  for (const std::string& name : names) {
    const auto found = std::find(distinct.begin(), distinct.end(), name);
    slot.push_back(static_cast<std::size_t>(found - distinct.begin()));
    if (found == distinct.end()) distinct.push_back(name);
  }
  const std::size_t width = distinct.size();
  std::size_t rows = 0;
  for (const std::string& name : names) {
    rows = checked_column(dataset, name, false, sizeof(T) * width).rows;
  }
  // A row of the columns side by side in memory; HDF5 converts each member as it would alone.
  H5::CompType memory(sizeof(T) * width);
  for (std::size_t c = 0; c < width; ++c) {
    memory.insertMember(distinct[c], sizeof(T) * c, native_type<T>());
  }
  std::vector<T> packed(rows * width);
  if (!packed.empty()) dataset.read(packed.data(), memory);
  for (std::size_t c = 0; c < names.size(); ++c) {
    out[c].resize(rows);
    for (std::size_t r = 0; r < rows; ++r) out[c][r] = packed[r * width + slot[c]];
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> read_f64_columns(const H5::DataSet& dataset,
                                                  std::span<const std::string> names) {
  return read_number_columns<double>(dataset, names);
}

std::vector<std::vector<std::uint64_t>> read_u64_columns(const H5::DataSet& dataset,
                                                         std::span<const std::string> names) {
  return read_number_columns<std::uint64_t>(dataset, names);
}

std::vector<std::string> read_text_column(const H5::DataSet& dataset, const std::string& name) {
  const CheckedColumn column = checked_column(dataset, name, true, 0);
  const std::size_t length = column.text_type.getSize();
  H5::CompType memory(length);
  memory.insertMember(name, 0, column.text_type);
  std::vector<char> bytes(column.rows * length);
  if (column.rows > 0) dataset.read(bytes.data(), memory);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < column.rows; ++r) {
    const char* start = bytes.data() + r * length;
    out.emplace_back(start, strnlen(start, length));
    if (first_invalid_utf8(out.back())) {
      throw std::runtime_error(table_name(dataset) + ": column " + name + " row " +
                               std::to_string(r) + " is not UTF-8 text");
    }
  }
  return out;
}

std::vector<double> read_f64_column(const H5::DataSet& dataset, const std::string& name) {
  return read_number_column<double>(dataset, name);
}

std::vector<std::uint64_t> read_u64_column(const H5::DataSet& dataset, const std::string& name) {
  return read_number_column<std::uint64_t>(dataset, name);
}

bool has_column(const H5::DataSet& dataset, const std::string& name) {
  if (dataset.getTypeClass() != H5T_COMPOUND) return false;
  return H5Tget_member_index(dataset.getCompType().getId(), name.c_str()) >= 0;
}

}  // namespace cjsim::hdf5
