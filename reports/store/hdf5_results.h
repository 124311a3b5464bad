// Run results as HDF5, an ordinary file that h5py and pandas read (layout in
// reports/README.md, "HDF5 layout"). A file holds one run at its root, or, for comparisons, one
// run per group.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "reports/store/output_file.h"
#include "reports/store/run_metadata.h"
#include "sim/engine/aggregate.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace H5 {
class Group;
}

namespace cjsim {

// Writes one run into `group` (the file's root group for `cjsim run`): metadata as
// attributes, human-readable tables, and the raw aggregates for exact re-reading.
void write_run(H5::Group& group, const CompiledJourney& journey, const RunMetadata& metadata,
               const RunResult& result, const Summary& summary);

// Writes the whole content of `file` through `write` (its temporary, which the caller
// commits). The HDF5 file is built in memory and written out by the PendingFile: the HDF5
// library never meets a full or failing disk, whose errors it does not survive cleanly, and the
// system's reason (ENOSPC, EROFS) is what the error says. Errors (HDF5's included) come out as
// std::runtime_error naming the path; the temporary is removed when `file` dies uncommitted.
void write_hdf5_file(PendingFile& file, const std::function<void(H5::Group& root)>& write);

// Writes a whole file for one run, through write_hdf5_file.
void write_run_file(PendingFile& file, const CompiledJourney& journey,
                    const RunMetadata& metadata, const RunResult& result, const Summary& summary);

struct StoredRun {
  RunMetadata metadata;
  std::vector<Aggregate> replications;  // bit-identical to those written
  std::optional<AgentDetail> detail;
  bool checksummed = true;  // false for a file of an older cjsim, which has no checksums
};

// Reads a run written by write_run from `group_path` ("/" for a plain run file). Throws
// std::runtime_error naming the file and what is missing or malformed.
StoredRun read_run_file(const std::string& path, const std::string& group_path = "/");

}  // namespace cjsim
