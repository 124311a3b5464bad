// ProcessGroup over MPI when the build has it (CJSIM_WITH_MPI), else a group of one.
#include "sim/dist/process_group.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#ifdef CJSIM_WITH_MPI
// The C API only: the deprecated C++ bindings would need another library.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace cjsim {
namespace {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

}  // namespace

bool mpi_built() {
#ifdef CJSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

void abort_other_processes(int code) {
#ifdef CJSIM_WITH_MPI
  int initialised = 0, finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  if (!initialised || finalised) return;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1) MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
#endif
}

ProcessGroup& ProcessGroup::world() {
  static ProcessGroup group;
  return group;
}

ProcessGroup::ProcessGroup() {
#ifdef CJSIM_WITH_MPI
  if (!launched_by_mpi()) return;
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) MPI_Init(nullptr, nullptr);
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)launched_by_mpi;
#endif
}

ProcessGroup::~ProcessGroup() {
#ifdef CJSIM_WITH_MPI
  int finalised = 0;
  MPI_Finalized(&finalised);
  if (mpi_ && !finalised) MPI_Finalize();
#endif
}

std::vector<std::vector<char>> ProcessGroup::gather(std::span<const char> mine) {
  std::vector<std::vector<char>> out;
  if (size_ == 1) {
    out.emplace_back(mine.begin(), mine.end());
    return out;
  }
#ifdef CJSIM_WITH_MPI
  const auto count = static_cast<long long>(mine.size());
  std::vector<long long> counts(root() ? size_ : 0);
  MPI_Gather(&count, 1, MPI_LONG_LONG, counts.data(), 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  if (root()) {
    out.resize(static_cast<std::size_t>(size_));
    out[0].assign(mine.begin(), mine.end());
    for (int r = 1; r < size_; ++r) {
      auto& bytes = out[static_cast<std::size_t>(r)];
      bytes.resize(static_cast<std::size_t>(counts[static_cast<std::size_t>(r)]));
      // Sent in pieces below 2 GiB: MPI counts are ints.
      constexpr std::size_t kPiece = std::size_t{1} << 30;
      for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
        const std::size_t n = std::min(kPiece, bytes.size() - at);
        MPI_Recv(bytes.data() + at, static_cast<int>(n), MPI_BYTE, r, 0, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      }
    }
  } else {
    constexpr std::size_t kPiece = std::size_t{1} << 30;
    for (std::size_t at = 0; at < mine.size(); at += kPiece) {
      const std::size_t n = std::min(kPiece, mine.size() - at);
      MPI_Send(mine.data() + at, static_cast<int>(n), MPI_BYTE, 0, 0, MPI_COMM_WORLD);
    }
  }
#endif
  return out;
}

std::vector<char> ProcessGroup::broadcast(std::span<const char> from_root) {
  std::vector<char> out(from_root.begin(), from_root.end());
  if (size_ == 1) return out;
#ifdef CJSIM_WITH_MPI
  long long count = static_cast<long long>(out.size());
  MPI_Bcast(&count, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  out.resize(static_cast<std::size_t>(count));
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t at = 0; at < out.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, out.size() - at);
    MPI_Bcast(out.data() + at, static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD);
  }
#endif
  return out;
}

bool ProcessGroup::any(bool flag) {
  if (size_ == 1) return flag;
#ifdef CJSIM_WITH_MPI
  int mine = flag ? 1 : 0, result = 0;
  MPI_Allreduce(&mine, &result, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
  return result != 0;
#else
  return flag;
#endif
}

}  // namespace cjsim
