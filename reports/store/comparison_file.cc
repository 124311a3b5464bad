// A comparison -> its HDF5 file.
#include "reports/store/comparison_file.h"

#include <H5Cpp.h>
#include <fmt/format.h>

#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_table.h"

namespace cjsim {

namespace {

// A table of differences; `rivals` adds which future state each is measured from.
void write_differences(H5::Group& root, const std::string& name, const std::vector<Difference>& ds,
                       const std::vector<std::string>& labels, bool rivals) {
    hdf5::CompoundTable table(ds.size());
    auto text = [&](auto get) {
      std::vector<std::string> v;
      for (const Difference& d : ds) v.push_back(get(d));
      return v;
    };
    auto number = [&](auto get) {
      std::vector<double> v;
      for (const Difference& d : ds) v.push_back(get(d));
      return v;
    };
    table.add_text("metric", text([](const Difference& d) { return d.metric; }));
    table.add_text("scope", text([](const Difference& d) { return d.scope; }));
    table.add_text("scenario", text([&labels](const Difference& d) { return labels[d.scenario]; }));
    std::vector<std::uint64_t> index, significant;
    for (const Difference& d : ds) {
      index.push_back(d.scenario);
      significant.push_back(d.significant ? 1 : 0);
    }
    table.add_u64("scenario_index", index);
    table.add_f64("current", number([](const Difference& d) { return d.current.value; }));
    table.add_f64("future", number([](const Difference& d) { return d.future.value; }));
    table.add_f64("difference", number([](const Difference& d) { return d.difference.value; }));
    table.add_f64("ci_low", number([](const Difference& d) { return d.difference.low; }));
    table.add_f64("ci_high", number([](const Difference& d) { return d.difference.high; }));
    table.add_u64("significant", significant);
    table.add_f64("paired_half_width", number([](const Difference& d) { return d.paired_half_width; }));
    table.add_f64("independent_half_width",
                  number([](const Difference& d) { return d.independent_half_width; }));
  if (rivals) {
    table.add_text("versus", text([&labels](const Difference& d) { return labels[d.versus]; }));
    std::vector<std::uint64_t> versus;
    for (const Difference& d : ds) versus.push_back(d.versus);
    table.add_u64("versus_index", versus);
  }
  table.write(root, name);
}

}  // namespace

void write_comparison_file(PendingFile& file, const ComparisonReport& r,
                           const std::vector<const CompiledJourney*>& journeys,
                           const ComparisonRun& comparison) {
  write_hdf5_file(file, [&](H5::Group& root) { write_comparison(root, r, journeys, comparison); });
}

void write_comparison(H5::Group& root, const ComparisonReport& r,
                      const std::vector<const CompiledJourney*>& journeys,
                      const ComparisonRun& comparison) {
  {
    hdf5::write_attribute(root, "format", "cjsim-comparison");
    hdf5::write_attribute(root, "format_version", std::uint64_t{2});  // 2: checksums
    hdf5::write_attribute(root, "method", r.method);
    hdf5::write_attribute(root, "rank_by", r.rank_by);
    hdf5::write_checksum(root);
    for (std::size_t k = 0; k < journeys.size(); ++k) {
      const std::string name = k == 0 ? "current" : fmt::format("future_{}", k);
      H5::Group group = root.createGroup(name);
      hdf5::write_attribute(group, "label", r.labels[k]);
      write_run(group, *journeys[k], r.metadata[k], comparison.runs[k], r.summaries[k]);
    }
    write_differences(root, "differences", r.differences, r.labels, false);
    if (!r.rivals.empty()) write_differences(root, "rivals", r.rivals, r.labels, true);
  }
}

}  // namespace cjsim
