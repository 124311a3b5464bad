// `cjsim sweep`: run every design point of an experiment, committing each finished point as a
// part file in FILE.h5.parts/ so that a crash, a kill or Ctrl-C loses no finished point and
// --resume runs only the missing ones; then assemble FILE.h5 atomically from the parts. Under
// an MPI launcher the missing points are dealt round-robin over the processes, and rank 0,
// alone, writes. `cjsim sweep --summary FILE.h5` prints a sweep file.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "reports/render/sweep_report.h"
#include "reports/store/hdf5_sweep.h"
#include "reports/store/run_metadata.h"
#include "scenarios/experiment.h"
#include "scenarios/sweep_plan.h"
#include "sim/cli/commands.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"
#include "sim/dist/process_group.h"
#include "sim/engine/block_runner.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

struct SweepCommandOptions {
  std::string experiment;
  std::string out;
  bool resume = false;
  bool force = false;
  bool allow_long = false;
  unsigned threads = 0;
  std::string summary;  // a sweep file to print instead of running
  std::string metric;   // ranking figure for the printed table
  std::size_t top = 20;
};

std::string parts_directory(const std::string& out) { return out + ".parts"; }

std::string default_output(const std::string& experiment) {
  return fs::path(experiment).stem().string() + ".h5";
}

void warn_if_unchecked(const std::string& path, const StoredSweep& sweep) {
  if (sweep.checksummed) return;
  std::cerr << fmt::format(
      "cjsim: warning: {} was written by an older cjsim, without checksums: damage to it would "
      "go unnoticed\n",
      path);
}

void check_metric(const std::string& metric) {
  if (find_headline_figure(metric) != nullptr) return;
  std::string names;
  for (const NamedFigure& f : kHeadlineFigures)
    names += std::string(names.empty() ? "" : ", ") + f.name;
  throw std::runtime_error(fmt::format("no headline figure '{}' (they are {})", metric, names));
}

int print_summary(const SweepCommandOptions& o) {
  const StoredSweep sweep = read_sweep_file(o.summary);
  warn_if_unchecked(o.summary, sweep);
  const std::string metric = o.metric.empty() ? sweep.metric : o.metric;
  check_metric(metric);
  std::cout << sweep_summary_text(sweep, metric, o.top);
  return 0;
}

// Loads the experiment and plans every point; diagnostics go to stderr on rank 0 only.
std::optional<SweepPlan> plan_for_command(const std::string& path, bool speak) {
  Diagnostics diagnostics;
  std::optional<SweepPlan> plan;
  if (std::optional<Experiment> experiment = load_experiment_file(path, diagnostics)) {
    if (find_headline_figure(experiment->metric) == nullptr) {
      std::vector<std::string> names;
      for (const NamedFigure& f : kHeadlineFigures) names.emplace_back(f.name);
      diagnostics.error(experiment->metric_where,
                        fmt::format("no headline figure '{}' (they are {})", experiment->metric,
                                    fmt::join(names, ", ")));
    } else {
      plan = plan_sweep(std::move(*experiment), diagnostics);
    }
  }
  if (speak) {
    std::cerr << diagnostics.to_string();
    if (!plan) {
      std::cerr << fmt::format("cjsim: {}: {}, nothing was run\n", path,
                               counted(diagnostics.error_count(), "error"));
    }
  }
  return plan;
}

// The points already stored in the parts directory (made by this plan); removes leftovers of
// interrupted writes. Throws when a part was made by another experiment.
std::set<std::size_t> stored_points(const std::string& parts, const SweepPlan& plan,
                                    const std::string& out) {
  std::set<std::size_t> done;
  for (const fs::directory_entry& entry : fs::directory_iterator(parts)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      fs::remove(entry.path());  // a write that a kill interrupted: never a finished point
      continue;
    }
    if (!name.starts_with("point-") || !name.ends_with(".h5")) continue;
    SweepPart part;
    try {
      part = read_sweep_part(entry.path().string());
    } catch (const std::exception& e) {
      std::cerr << fmt::format("cjsim: warning: {}; that point runs again\n", e.what());
      fs::remove(entry.path());
      continue;
    }
    if (part.fingerprint != plan.fingerprint) {
      throw std::runtime_error(fmt::format(
          "{} holds points of a different experiment (the experiment file or a scenario it "
          "uses has changed since); resuming would mix results. Rerun with --force to start "
          "over (cjsim sweep {} --out {} --force)",
          parts, plan.experiment.path, out));
    }
    if (part.point >= plan.points.size() ||
        entry.path().filename() != sweep_part_name(part.point)) {
      throw std::runtime_error(fmt::format("{}: not the part of a point of this experiment", name));
    }
    done.insert(part.point);
  }
  return done;
}

// Holds a lock on the parts directory for the rest of the process, so that two sweeps never
// write the same parts (the kernel drops the lock when the process ends, however it ends).
void lock_parts(const std::string& parts) {
  const std::string path = (fs::path(parts) / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw std::runtime_error(fmt::format("another cjsim sweep is writing {} now", parts));
  }
  // Deliberately left open: the lock lasts as long as the process.
}

// The sweep file's checks (reports/store/command_outputs.h): the experiment and its scenario files
// are inputs.
PendingFile& add_sweep_file(CommandOutputs& outputs, const std::string& out, const SweepPlan& plan) {
  outputs.add_input(plan.experiment.path, "the experiment file");
  for (const std::string& scenario : plan.experiment.scenarios) {
    outputs.add_input(scenario, "a scenario file of the experiment");
  }
  for (const Scenario& base : plan.bases) {
    for (const SourceFile& source : base.base_sources) {
      outputs.add_input(source.path, "a base journey file");
    }
  }
  outputs.add_standard_output();
  return outputs.add("--out", out, kLeastResultFileBytes);
}

// Whether the finished sweep file `out` can be trusted: every checksum verified. A damaged
// file beside the parts of its sweep is assembled again from them, and so is a file of an
// older cjsim (without checksums); without parts a damaged file cannot be rebuilt, and the
// sweep must be run again.
bool finished_file_is_whole(const std::string& out, const std::string& parts) {
  try {
    if (verify_sweep_file(out)) return true;
    if (!fs::exists(parts)) {
      std::cerr << fmt::format("cjsim: warning: {} was written by an older cjsim, without "
                               "checksums: damage to it would go unnoticed\n",
                               out);
      return true;
    }
    std::cerr << fmt::format("cjsim: {} has no checksums; it is assembled again from {}\n", out,
                             parts);
    return false;
  } catch (const std::exception& e) {
    if (!fs::exists(parts)) {
      throw std::runtime_error(fmt::format(
          "{}; there are no parts to rebuild it from: run the sweep again with --force",
          e.what()));
    }
    std::cerr << fmt::format("cjsim: warning: {}; it is assembled again from {}\n", e.what(),
                             parts);
    return false;
  }
}

// Rank 0's decisions before anything runs: output checks, the parts directory, the points
// still to run. Throws with the reason when the sweep must not start; `complete` when a
// resumed sweep had already finished. `file` is set to the sweep file to write.
std::vector<std::size_t> prepare_output(const SweepCommandOptions& o, const std::string& out,
                                        const SweepPlan& plan, CommandOutputs& outputs,
                                        PendingFile*& file, bool& complete) {
  const std::string parts = parts_directory(out);
  if (o.resume && o.force) throw std::runtime_error("--resume and --force contradict each other");
  const bool damaged = o.resume && fs::is_regular_file(out) && !finished_file_is_whole(out, parts);
  if (o.resume && fs::is_regular_file(out) && !damaged) {
    if (read_sweep_file(out).fingerprint != plan.fingerprint) {
      throw std::runtime_error(fmt::format(
          "{} is a finished sweep of a different experiment (or of scenario files that have "
          "changed since); pass --force to run this one over it",
          out));
    }
    // The file is only ever assembled from every point: the sweep is complete. Parts left
    // beside it mean a kill came between the file's rename and their removal.
    if (fs::exists(parts)) {
      lock_parts(parts);
      fs::remove_all(parts);
    }
    complete = true;
    return {};
  }
  if (damaged) {
    // Under the lock: the parts are ours to assemble it from. Removed before the output's
    // checks, which refuse a file that exists.
    lock_parts(parts);
    fs::remove(out);
  }
  file = &add_sweep_file(outputs, out, plan);
  if (!o.resume) {
    if (fs::exists(parts)) {
      if (!o.force) {
        throw std::runtime_error(fmt::format(
            "{} holds the finished points of an interrupted sweep; pass --resume to finish it, "
            "or --force to start over",
            parts));
      }
      lock_parts(parts);  // never discard the parts of a sweep that is running
      fs::remove_all(parts);
    }
  }
  fs::create_directories(parts);
  if (!damaged) lock_parts(parts);
  remove_stale_temporaries(out);
  const std::set<std::size_t> done = stored_points(parts, plan, out);
  if (o.resume) {
    std::cerr << fmt::format("cjsim: resuming: {} of {} design points are stored in {}\n",
                             done.size(), plan.points.size(), parts);
  }
  std::vector<std::size_t> missing;
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    if (!done.contains(k)) missing.push_back(k);
  }
  return missing;
}

// Rank 0's decision as bytes for the others: the points to run, or stop (with an error, or
// because there is nothing to do).
constexpr std::uint64_t kStopFailed = UINT64_MAX;
constexpr std::uint64_t kStopComplete = UINT64_MAX - 1;

std::vector<char> encode(std::span<const std::size_t> points, std::uint64_t stop) {
  std::vector<char> bytes(sizeof(std::uint64_t) * (points.size() + 1));
  const std::uint64_t head = stop != 0 ? stop : points.size();
  std::memcpy(bytes.data(), &head, sizeof head);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::uint64_t p = points[i];
    std::memcpy(bytes.data() + sizeof(std::uint64_t) * (i + 1), &p, sizeof p);
  }
  return bytes;
}

std::vector<std::size_t> decode(std::span<const char> bytes, std::uint64_t& stop) {
  std::uint64_t head = 0;
  std::memcpy(&head, bytes.data(), sizeof head);
  stop = head >= kStopComplete ? head : 0;
  if (stop != 0) return {};
  std::vector<std::size_t> points(head);
  for (std::size_t i = 0; i < head; ++i) {
    std::uint64_t p = 0;
    std::memcpy(&p, bytes.data() + sizeof(std::uint64_t) * (i + 1), sizeof p);
    points[i] = p;
  }
  return points;
}

int run_sweep(const SweepCommandOptions& o) {
  ProcessGroup& group = ProcessGroup::world();
  const auto started = std::chrono::steady_clock::now();
  const std::string out = o.out.empty() ? default_output(o.experiment) : o.out;
  const std::string parts = parts_directory(out);

  // Every rank plans (the files are small); all agree whether to go on.
  std::optional<SweepPlan> plan = plan_for_command(o.experiment, group.root());
  if (group.any(!plan)) throw ReportedError(kExitBadInput);

  std::vector<std::size_t> missing;
  std::string problem;
  std::uint64_t stop = 0;
  // A resumed sweep never replaces a file (one in place means the sweep was complete).
  CommandOutputs outputs(overwrite_if(o.force));
  PendingFile* file = nullptr;
  if (group.root()) {
    try {
      check_sweep_lengths(*plan, o.allow_long);
      bool complete = false;
      missing = prepare_output(o, out, *plan, outputs, file, complete);
      if (complete) stop = kStopComplete;
    } catch (const std::exception& e) {
      problem = e.what();
      stop = kStopFailed;
    }
  }
  missing = decode(group.broadcast(encode(missing, stop)), stop);
  if (stop == kStopFailed) {
    if (group.root()) std::cerr << "cjsim: error: " << problem << "\n";
    throw ReportedError(kExitBadInput);
  }
  if (stop == kStopComplete) {
    if (group.root()) std::cerr << "cjsim: " << out << " is already complete; nothing to resume\n";
    return 0;
  }

  // Run the missing points in rounds. Each round gives every rank `batch` consecutive points
  // of `missing`, which it runs side by side when they are small; then rank 0 commits the
  // round's finished points, and all stop if any was interrupted.
  const std::uint64_t per_point = plan->experiment.agents * plan->experiment.replications;
  const unsigned threads = BlockRunner::threads_for(o.threads);
  const std::size_t batch = points_side_by_side(plan->experiment.agents, threads);
  const std::size_t ranks = static_cast<std::size_t>(group.size());
  const std::size_t per_round = ranks * batch;
  const std::size_t rounds = (missing.size() + per_round - 1) / per_round;
  ProgressBar progress("sweeping");
  InterruptGuard interrupt;
  std::uint64_t committed = 0;
  std::size_t points_done = 0;
  bool interrupted = false;
  for (std::size_t round = 0; round < rounds && !interrupted; ++round) {
    const std::size_t first = round * per_round;
    const std::size_t round_points = std::min(per_round, missing.size() - first);
    const std::size_t mine_first =
        std::min(first + static_cast<std::size_t>(group.rank()) * batch, missing.size());
    const std::size_t mine = std::min(batch, missing.size() - mine_first);
    progress.set_status(round_points == 1
                            ? fmt::format("point {} of {} to run", points_done + 1, missing.size())
                            : fmt::format("points {}-{} of {} to run", points_done + 1,
                                          points_done + round_points, missing.size()));
    // Rank 0's own progress stands for the round's: the round's points run side by side.
    RunOptions options;
    options.threads = threads;
    options.cancel = &interrupt.flag();
    options.progress = [&, round_start = committed](std::uint64_t done, std::uint64_t) {
      progress.update(round_start + done * round_points / std::max<std::size_t>(mine, 1),
                      per_point * missing.size());
    };
    const std::vector<std::vector<Aggregate>> results = run_sweep_points(
        *plan, std::span(missing).subspan(mine_first, mine), options);
    std::vector<std::vector<char>> images(batch);
    bool cancelled = false;
    for (std::size_t j = 0; j < mine; ++j) {
      if (results[j].empty()) {
        cancelled = true;
      } else {
        images[j] = sweep_part_image({plan->fingerprint, missing[mine_first + j], results[j]});
      }
    }
    for (std::size_t j = 0; j < batch; ++j) {
      const std::vector<std::vector<char>> gathered = group.gather(images[j]);
      if (!group.root()) continue;
      for (std::size_t r = 0; r < gathered.size(); ++r) {
        if (gathered[r].empty()) continue;
        const std::size_t point = missing[first + r * batch + j];
        write_sweep_part_image((fs::path(parts) / sweep_part_name(point)).string(), gathered[r]);
        ++points_done;
        committed += per_point;
      }
    }
    // A signal during the last round, once every point is done, lets the file be assembled.
    const bool more = round + 1 < rounds;
    interrupted = group.any(cancelled || (more && interrupt.flag().load()));
  }
  progress.finish();
  if (interrupted) {
    if (group.root()) {
      std::cerr << fmt::format(
          "cjsim: interrupted; finished design points are kept in {}; finish with: cjsim sweep "
          "{} --out {} --resume\n",
          parts, o.experiment, out);
    }
    throw ReportedError(kExitInterrupted);
  }
  if (!group.root()) return 0;

  // Assemble from the parts alone, so a resumed sweep and a straight one build the same file.
  std::vector<std::vector<Aggregate>> results(plan->points.size());
  for (std::size_t k = 0; k < plan->points.size(); ++k) {
    SweepPart part = read_sweep_part((fs::path(parts) / sweep_part_name(k)).string());
    if (part.fingerprint != plan->fingerprint || part.point != k) {
      throw std::runtime_error(fmt::format("{}: changed while the sweep ran", parts));
    }
    results[k] = std::move(part.replications);
  }
  SweepInvocation invocation;
  invocation.command_line = command_line();
  invocation.created = utc_timestamp();
  invocation.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  invocation.threads = threads;
  invocation.processes = static_cast<unsigned>(group.size());
  write_sweep_file(*file, *plan, results, invocation);
  // The summary is read from the file as written, before it is put in place: if printing
  // fails, the parts stay for --resume.
  const StoredSweep stored = read_sweep_file(file->temporary());
  std::cout << sweep_summary_text(stored, o.metric.empty() ? stored.metric : o.metric, o.top);
  outputs.commit();
  fs::remove_all(parts);
  std::cout << "\nResults written to " << out << "\n";
  return 0;
}

int sweep_command(const SweepCommandOptions& o) {
  if (!o.metric.empty()) check_metric(o.metric);
  if (!o.summary.empty()) {
    if (!o.experiment.empty()) {
      throw std::runtime_error("give either an experiment file to run or --summary FILE.h5");
    }
    return print_summary(o);
  }
  if (o.experiment.empty()) {
    throw std::runtime_error("name an experiment file to run (or --summary FILE.h5 to print one)");
  }
  return run_sweep(o);
}

}  // namespace

CommandAction add_sweep_command(CLI::App& command) {
  auto o = std::make_shared<SweepCommandOptions>();
  command.add_option("experiment", o->experiment,
                     "Experiment file (YAML): base scenario, parameters to vary, design");
  command
      .add_option("-o,--out", o->out,
                  "The HDF5 file of results (default: the experiment's name with .h5)")
      ->check(file_name_check());
  command.add_flag("--resume", o->resume,
                   "Finish an interrupted sweep: run only the points missing from FILE.h5.parts");
  command.add_flag("-f,--force", o->force,
                   "Overwrite the --out file and discard the parts of an interrupted sweep");
  add_allow_long_flag(command, o->allow_long);
  command.add_option("-t,--threads", o->threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_option("--summary", o->summary,
                     "Print the table and the sensitivity ranking of a sweep file; run nothing");
  command.add_option("--metric", o->metric,
                     "The headline figure that ranks points and parameters (default: the "
                     "experiment's metric, conversion_rate unless it names another)");
  command.add_option("--top", o->top, "Points listed, best first (0: all)")->capture_default_str();
  return [o] { return sweep_command(*o); };
}

}  // namespace cjsim
