// Compound tables: columns packed into rows, written in one call.
#include "reports/store/hdf5_table.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "reports/store/hdf5_io.h"

namespace cjsim::hdf5 {

void CompoundTable::add(const std::string& name, const H5::DataType& type, const void* values,
                        std::size_t count) {
  if (count != rows_) {
    throw std::logic_error("table column " + name + " has " + std::to_string(count) +
                           " values for " + std::to_string(rows_) + " rows");
  }
  Column column{name, type, std::vector<char>(rows_ * type.getSize())};
  if (!column.bytes.empty()) std::memcpy(column.bytes.data(), values, column.bytes.size());
  columns_.push_back(std::move(column));
}

void CompoundTable::add_text(const std::string& name, std::span<const std::string> values) {
  std::size_t length = 1;
  for (const std::string& v : values) length = std::max(length, v.size());
  std::vector<char> bytes(values.size() * length, '\0');
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::memcpy(bytes.data() + k * length, values[k].data(), values[k].size());
  }
  add(name, fixed_text_type(length), bytes.data(), values.size());
}

void CompoundTable::add_u64(const std::string& name, std::span<const std::uint64_t> values) {
  add(name, H5::PredType::NATIVE_UINT64, values.data(), values.size());
}

void CompoundTable::add_f64(const std::string& name, std::span<const double> values) {
  add(name, H5::PredType::NATIVE_DOUBLE, values.data(), values.size());
}

void CompoundTable::write(H5::Group& group, const std::string& name) const {
  std::size_t row_size = 0;
  for (const Column& c : columns_) row_size += c.type.getSize();
  if (row_size == 0) throw std::logic_error("table " + name + " has no columns");
  H5::CompType type(row_size);
  std::vector<char> rows(rows_ * row_size);
  std::size_t offset = 0;
  for (const Column& c : columns_) {
    const std::size_t size = c.type.getSize();
    type.insertMember(c.name, offset, c.type);
    for (std::size_t r = 0; r < rows_; ++r) {
      std::memcpy(rows.data() + r * row_size + offset, c.bytes.data() + r * size, size);
    }
    offset += size;
  }
  const hsize_t dims[] = {rows_};
  H5::DataSet dataset = group.createDataSet(name, type, H5::DataSpace(1, dims));
  if (rows_ == 0) return;
  dataset.write(rows.data(), type);
}

namespace {

template <class T>
std::vector<T> number_column(const H5::DataSet& dataset, const std::string& name) {
  H5::CompType memory(sizeof(T));
  memory.insertMember(name, 0, native_type<T>());
  std::vector<T> out(dimensions_of(dataset).at(0));
  if (!out.empty()) dataset.read(out.data(), memory);
  return out;
}

}  // namespace

std::vector<std::string> read_text_column(const H5::DataSet& dataset, const std::string& name) {
  const H5::CompType file_type = dataset.getCompType();
  const int index = file_type.getMemberIndex(name);
  const H5::StrType text = file_type.getMemberStrType(index);
  const std::size_t length = text.getSize();
  H5::CompType memory(length);
  memory.insertMember(name, 0, text);
  const std::size_t rows = dimensions_of(dataset).at(0);
  std::vector<char> bytes(rows * length);
  if (rows > 0) dataset.read(bytes.data(), memory);
  std::vector<std::string> out;
  for (std::size_t r = 0; r < rows; ++r) {
    std::string value(bytes.data() + r * length, length);
    value.resize(value.find('\0') == std::string::npos ? length : value.find('\0'));
    out.push_back(std::move(value));
  }
  return out;
}

std::vector<double> read_f64_column(const H5::DataSet& dataset, const std::string& name) {
  return number_column<double>(dataset, name);
}

std::vector<std::uint64_t> read_u64_column(const H5::DataSet& dataset, const std::string& name) {
  return number_column<std::uint64_t>(dataset, name);
}

}  // namespace cjsim::hdf5
