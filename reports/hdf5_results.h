// Run results as HDF5, an ordinary file that h5py and pandas read (layout in README.md,
// "HDF5 layout"). A file holds one run at its root, or, for comparisons, one run per group.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "reports/output_file.h"
#include "reports/run_metadata.h"
#include "sim/aggregate.h"
#include "sim/compiled_journey.h"
#include "sim/engine.h"
#include "sim/summary.h"

namespace H5 {
class Group;
}

namespace cjsim {

// Writes one run into `group` (the file's root group for `cjsim run`): metadata as
// attributes, human-readable tables, and the raw aggregates for exact re-reading.
void write_run(H5::Group& group, const CompiledJourney& journey, const RunMetadata& metadata,
               const RunResult& result, const Summary& summary);

// Writes a whole file through `write`, first under a temporary name in the same directory,
// then renamed to `path`: an interrupted or failed write never leaves a partial file there,
// and an existing file is replaced only with Overwrite::replace. Errors (HDF5's included)
// come out as std::runtime_error naming the path.
void write_file_atomically(const std::string& path,
                           const std::function<void(H5::Group& root)>& write,
                           Overwrite overwrite);

// Writes a whole file for one run, through write_file_atomically.
void write_run_file(const std::string& path, const CompiledJourney& journey,
                    const RunMetadata& metadata, const RunResult& result, const Summary& summary,
                    Overwrite overwrite);

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
