// The processes of a run started by an MPI launcher (mpirun, srun), or this one process alone.
// MPI is initialised only when a launcher started the process (it sets OMPI_COMM_WORLD_SIZE,
// PMI_SIZE or PMIX_RANK), so a plain `cjsim` never loads or waits for an MPI runtime; builds
// without MPI (CJSIM_MPI=OFF) are always one process.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cjsim {

class ProcessGroup {
 public:
  // The processes of this program, initialised on first use.
  static ProcessGroup& world();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  // Rank 0 receives every rank's bytes, indexed by rank (its own included); the others get an
  // empty list. Collective: every rank calls it.
  std::vector<std::vector<char>> gather(std::span<const char> mine);
  // Rank 0's bytes, on every rank. Collective.
  std::vector<char> broadcast(std::span<const char> from_root);
  // Whether `flag` is true on any rank. Collective.
  bool any(bool flag);

  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

 private:
  ProcessGroup();
  ~ProcessGroup();
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

// Whether this build can spread work over MPI processes.
bool mpi_built();

// Ends every process of an MPI job with `code` when this one fails on its own (an error the
// others may never see, while they wait for it in a collective): without it the job would
// hang. Does nothing in a process that is alone.
void abort_other_processes(int code);

}  // namespace cjsim
