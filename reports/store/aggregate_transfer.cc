// Aggregates through an in-memory HDF5 file image.
#include "reports/store/aggregate_transfer.h"

#include <H5Cpp.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_raw.h"

namespace cjsim {

std::vector<char> aggregates_to_bytes(std::span<const Aggregate> aggregates) {
  H5::Exception::dontPrint();
  try {
    return hdf5::file_image([&](H5::Group& root) {
             hdf5::write_raw_aggregates(root, aggregates);
           }).to_vector();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot pack aggregates: " + e.getDetailMsg());
  }
}

std::vector<Aggregate> aggregates_from_bytes(std::span<const char> bytes) {
  H5::Exception::dontPrint();
  std::vector<Aggregate> out;
  try {
    hdf5::read_file_image(bytes,
                          [&](const H5::Group& root) { out = hdf5::read_raw_aggregates(root); });
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot unpack aggregates: " + e.getDetailMsg());
  }
  return out;
}

namespace {

constexpr std::size_t kMoments = 14;  // per metric: sum[4], then product[10]

std::string paired_name(std::size_t future, std::size_t replication) {
  return "paired_" + std::to_string(future) + "_" + std::to_string(replication);
}

std::string rival_name(std::size_t pair, std::size_t replication) {
  return "rival_" + std::to_string(pair) + "_" + std::to_string(replication);
}

void write_paired(H5::Group& root, const std::string& name, const PairedAggregate& p) {
  H5::Group group = root.createGroup(name);
  std::vector<std::uint64_t> limbs;
  std::vector<std::uint8_t> invalid;
  for (const auto& metric : p.moments) {
    for (const ExactSum& sum : metric) {
      limbs.insert(limbs.end(), sum.limbs().begin(), sum.limbs().end());
      invalid.push_back(sum.invalid() ? 1 : 0);
    }
  }
  const hsize_t agents_dims[] = {1};
  const std::uint64_t agents[] = {p.agents};
  hdf5::write_array<std::uint64_t>(group, "agents", agents_dims, agents);
  const hsize_t limb_dims[] = {p.moments.size(), kMoments, 4};
  hdf5::write_array<std::uint64_t>(group, "limbs", limb_dims, limbs);
  const hsize_t flag_dims[] = {p.moments.size(), kMoments};
  hdf5::write_array<std::uint8_t>(group, "invalid", flag_dims, invalid);
}

PairedAggregate read_paired(const H5::Group& root, const std::string& name) {
  const H5::Group group = hdf5::open_group(root, name);
  const auto agents = hdf5::read_array<std::uint64_t>(group, "agents");
  const auto limbs = hdf5::read_array<std::uint64_t>(group, "limbs");
  const auto invalid = hdf5::read_array<std::uint8_t>(group, "invalid");
  if (agents.values.size() != 1 || limbs.dims.size() != 3 || limbs.dims[1] != kMoments ||
      invalid.values.size() * 4 != limbs.values.size()) {
    throw std::runtime_error(name + ": not paired sums");
  }
  PairedAggregate p;
  p.agents = agents.values[0];
  p.moments.resize(limbs.dims[0]);
  for (std::size_t m = 0; m < p.moments.size(); ++m) {
    for (std::size_t j = 0; j < kMoments; ++j) {
      const std::size_t at = m * kMoments + j;
      std::array<std::uint64_t, 4> l{};
      for (std::size_t k = 0; k < 4; ++k) l[k] = limbs.values[at * 4 + k];
      p.moments[m][j] = ExactSum::from_limbs(l, invalid.values[at] != 0);
    }
  }
  return p;
}

}  // namespace

std::vector<char> comparison_to_bytes(const ComparisonRun& comparison) {
  H5::Exception::dontPrint();
  try {
    return hdf5::file_image([&](H5::Group& root) {
      for (std::size_t k = 0; k < comparison.runs.size(); ++k) {
        H5::Group run = root.createGroup("run_" + std::to_string(k));
        hdf5::write_raw_aggregates(run, comparison.runs[k].replications);
      }
      for (std::size_t f = 0; f < comparison.paired.size(); ++f) {
        for (std::size_t r = 0; r < comparison.paired[f].size(); ++r) {
          write_paired(root, paired_name(f, r), comparison.paired[f][r]);
        }
      }
      for (std::size_t p = 0; p < comparison.rivals.size(); ++p) {
        const std::vector<PairedAggregate>& replications = comparison.rivals[p].replications;
        for (std::size_t r = 0; r < replications.size(); ++r) {
          write_paired(root, rival_name(p, r), replications[r]);
        }
      }
    }).to_vector();
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot pack a comparison: " + e.getDetailMsg());
  }
}

void merge_comparison_bytes(ComparisonRun& into, std::span<const char> bytes) {
  H5::Exception::dontPrint();
  try {
    hdf5::read_file_image(bytes, [&](const H5::Group& root) {
      for (std::size_t k = 0; k < into.runs.size(); ++k) {
        const std::vector<Aggregate> share =
            hdf5::read_raw_aggregates(hdf5::open_group(root, "run_" + std::to_string(k)));
        auto& mine = into.runs[k].replications;
        if (share.size() != mine.size()) throw std::runtime_error("replications differ");
        for (std::size_t r = 0; r < share.size(); ++r) mine[r].merge(share[r]);
      }
      for (std::size_t f = 0; f < into.paired.size(); ++f) {
        for (std::size_t r = 0; r < into.paired[f].size(); ++r) {
          into.paired[f][r].merge(read_paired(root, paired_name(f, r)));
        }
      }
      for (std::size_t p = 0; p < into.rivals.size(); ++p) {
        std::vector<PairedAggregate>& replications = into.rivals[p].replications;
        for (std::size_t r = 0; r < replications.size(); ++r) {
          replications[r].merge(read_paired(root, rival_name(p, r)));
        }
      }
    });
  } catch (const H5::Exception& e) {
    throw std::runtime_error("cannot unpack a comparison: " + e.getDetailMsg());
  }
}

}  // namespace cjsim
