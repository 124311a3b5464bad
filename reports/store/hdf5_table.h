// A table built column by column and written as a 1-D compound HDF5 dataset, which h5py reads
// as a numpy structured array and pandas as a DataFrame. For the small, human-readable tables
// of a result file; private to reports/.
#pragma once

#include <H5Cpp.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace cjsim::hdf5 {

class CompoundTable {
 public:
  explicit CompoundTable(std::size_t rows) : rows_(rows) {}

  // Each column must hold exactly `rows` values; columns appear in the order added. A column
  // handed over as a vector is kept as it is until write(), not copied.
  void add_text(const std::string& name, std::span<const std::string> values);
  void add_u64(const std::string& name, std::span<const std::uint64_t> values);
  void add_f64(const std::string& name, std::span<const double> values);
  void add_u64(const std::string& name, std::vector<std::uint64_t>&& values);
  void add_f64(const std::string& name, std::vector<double>&& values);

  void write(H5::Group& group, const std::string& name) const;

 private:
  struct Column {
    std::string name;
    H5::DataType type;
    // Exactly one holds the column's values: rows x type size bytes.
    std::vector<char> text;
    std::vector<std::uint64_t> u64;
    std::vector<double> f64;
    const char* bytes() const;
  };

  void add(Column column, std::size_t count);

  std::size_t rows_;
  std::vector<Column> columns_;
};

// One column of a 1-D compound dataset, read by name; throws std::runtime_error naming the
// table when the column is missing or of another type (and H5::Exception when HDF5 fails).
std::vector<std::string> read_text_column(const H5::DataSet& dataset, const std::string& name);
std::vector<double> read_f64_column(const H5::DataSet& dataset, const std::string& name);
std::vector<std::uint64_t> read_u64_column(const H5::DataSet& dataset, const std::string& name);
// Several columns in one pass over the table (each column alone reads and checks every chunk
// again): [c] holds column names[c], as read_f64_column / read_u64_column would read it.
std::vector<std::vector<double>> read_f64_columns(const H5::DataSet& dataset,
                                                  std::span<const std::string> names);
std::vector<std::vector<std::uint64_t>> read_u64_columns(const H5::DataSet& dataset,
                                                         std::span<const std::string> names);
// Whether the table `dataset` has a column `name` (a column written only when it has content).
bool has_column(const H5::DataSet& dataset, const std::string& name);

}  // namespace cjsim::hdf5
