// The resumable sweep job: output checks, the parts directory and its lock, rounds of points
// over the processes, and the file assembled from the parts.
#include "sim/api/sweep_job.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "reports/render/sweep_report.h"
#include "reports/store/command_outputs.h"
#include "reports/store/run_metadata.h"
#include "scenarios/experiment.h"
#include "sim/api/errors.h"
#include "sim/api/limits.h"
#include "sim/api/run.h"
#include "sim/api/stage.h"
#include "sim/dist/process_group.h"
#include "sim/engine/block_runner.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

// Less than the smallest sweep file (reports/store/hdf5_sweep.h): refused up front on a file
// system with less room.
constexpr std::uint64_t kLeastSweepFileBytes = 8 * 1024;

bool any_process(const Context& context, bool flag) {
  return context.processes == nullptr ? flag : context.processes->any(flag);
}

// The warning for a sweep file of an older cjsim, which has no checksums.
std::string unchecked_file_warning(const std::string& path) {
  return fmt::format("warning: {} was written by an older cjsim, without checksums: damage to "
                     "it would go unnoticed",
                     path);
}

// "no headline figure 'x' (they are conversion_rate, ...)", or "" for a headline figure.
std::string unknown_metric(const std::string& metric) {
  if (find_headline_figure(metric) != nullptr) return "";
  std::vector<std::string_view> names;
  for (const NamedFigure& f : kHeadlineFigures) names.push_back(f.name);
  return fmt::format("no headline figure '{}' (they are {})", metric, fmt::join(names, ", "));
}

// Whether the finished sweep file `out` can be trusted: every checksum verified. A damaged
// file beside the parts of its sweep is assembled again from them, and so is a file of an
// older cjsim (without checksums); without parts a damaged file cannot be rebuilt, and the
// sweep must be run again.
bool finished_file_is_whole(const std::string& out, const std::string& parts,
                            const Context& context) {
  try {
    if (verify_sweep_file(out)) return true;
    if (!fs::exists(parts)) {
      context.note(unchecked_file_warning(out));
      return true;
    }
    context.note(fmt::format("{} has no checksums; it is assembled again from {}", out, parts));
    return false;
  } catch (const std::exception& e) {
    if (!fs::exists(parts)) {
      throw std::runtime_error(fmt::format(
          "{}; there are no parts to rebuild it from: run the sweep again with --force",
          e.what()));
    }
    context.note(fmt::format("warning: {}; it is assembled again from {}", e.what(), parts));
    return false;
  }
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

// Throws naming `what` when a part lacks the calendar totals of a calendar sweep's points (or
// holds them for a plain sweep): the fingerprint keeps experiments apart, this the format.
void check_calendar_part(const SweepPart& part, bool calendar, const std::string& what) {
  const std::size_t expected = calendar ? part.points.size() : 0;
  if (part.calendar.size() != expected) {
    throw std::runtime_error(fmt::format("{}: {} calendar totals for {} design points", what,
                                         part.calendar.size(), part.points.size()));
  }
}

std::vector<char> shared_decision(const Context& context, std::span<const std::size_t> points,
                                  std::uint64_t stop) {
  std::vector<char> bytes = encode(points, stop);
  return context.processes == nullptr ? bytes : context.processes->broadcast(bytes);
}

}  // namespace

struct SweepJob::Output {
  explicit Output(bool force) : outputs(overwrite_if(force)) {}
  CommandOutputs outputs;
  PendingFile* file = nullptr;
};

std::string design_points_text(const SweepPlan& plan) {
  const Experiment& x = plan.experiment;
  std::vector<std::string> header = {"point"};
  const bool several = plan.bases.size() > 1;
  if (several) header.emplace_back("scenario");
  for (const ExperimentParameter& p : x.parameters) header.push_back(p.path.text);
  std::vector<std::size_t> widths;
  for (const std::string& h : header) widths.push_back(h.size());
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    std::vector<std::string> row = {std::to_string(k)};
    if (several) row.push_back(plan.bases[plan.points[k].scenario].name);
    for (double v : plan.points[k].values) row.push_back(fmt::format("{:.6g}", v));
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    rows.push_back(std::move(row));
  }
  const std::string size =
      !is_calendar_plan(plan) ? fmt::format("{} agents", x.agents)
      : x.days > 0            ? fmt::format("{} days", x.days)
                              : std::string("calendar.days");
  std::string out = fmt::format("{} ({} design): {} points, {} x {} replication{}, seed {}\n\n",
                                x.name, design_name(x.design), plan.points.size(), size,
                                x.replications, x.replications == 1 ? "" : "s", x.seed);
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += "  ";
      out += fmt::format("{:>{}}", cells[c], widths[c]);
    }
    out += "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
  return out;
}

std::string default_sweep_output(const std::string& experiment) {
  return fs::path(experiment).stem().string() + ".h5";
}

void check_sweep_metric(const std::string& metric) {
  const std::string problem = unknown_sweep_metric(metric);
  if (!problem.empty()) throw std::runtime_error(problem);
}

void check_sweep_metric(const std::string& metric, const SweepPlan& plan) {
  check_sweep_metric(metric);
  if (!is_calendar_sweep_metric(metric)) return;
  if (!is_calendar_plan(plan)) {
    throw std::runtime_error(fmt::format("--metric {}: a figure of calendar journeys; {} sweeps "
                                         "journeys without a calendar",
                                         metric, plan.experiment.path));
  }
  const std::string_view resource = sweep_metric_resource(metric);
  if (resource.empty()) return;
  for (const Scenario& base : plan.bases) {
    const bool has = std::any_of(base.resources.begin(), base.resources.end(),
                                 [&](const Resource& r) { return r.id == resource; });
    if (has) continue;
    std::vector<std::string_view> ids;
    for (const Resource& r : base.resources) ids.push_back(r.id);
    throw std::runtime_error(fmt::format("--metric {}: '{}' has no resource '{}' (it has {})",
                                         metric, base.name, resource, fmt::join(ids, ", ")));
  }
}

StoredSweep read_sweep_for_summary(const std::string& path, const Context& context) {
  StoredSweep sweep = read_sweep_file(path);
  if (!sweep.checksummed) {
    context.note(unchecked_file_warning(path));
  }
  return sweep;
}

SweepJob::SweepJob(SweepRequest request, const Context& context)
    : request_(std::move(request)),
      context_(context),
      out_(request_.out.empty() ? default_sweep_output(request_.experiment) : request_.out) {
  // Every process plans (the files are small); all agree whether to go on.
  Diagnostics diagnostics;
  if (std::optional<Experiment> experiment =
          load_experiment_file(request_.experiment, diagnostics)) {
    if (request_.agents) experiment->agents = *request_.agents;
    if (request_.replications) experiment->replications = *request_.replications;
    if (request_.seed) experiment->seed = *request_.seed;
    if (request_.days) experiment->days = *request_.days;
    if (request_.warmup_days) experiment->warmup_days = *request_.warmup_days;
    if (const std::string problem = unknown_metric(experiment->metric); !problem.empty()) {
      diagnostics.error(experiment->metric_where, problem);
    } else {
      plan_ = plan_sweep(std::move(*experiment), diagnostics,
                         BlockRunner::threads_for(request_.threads));
    }
  }
  if (plan_ && request_.agents && is_calendar_plan(*plan_)) {
    diagnostics.error(plan_->experiment.scenario_where.front(),
                      "--agents does not apply to calendar journeys: their arrivals decide how "
                      "many agents there are; sweep calendar.arrivals_per_day or give --days");
    plan_.reset();
  }
  if (plan_ && (request_.agents || request_.replications || request_.seed)) {
    // Results made with overrides are never mixed with the file's own (or other overrides').
    plan_->fingerprint += fmt::format("+agents={}+replications={}+seed={}",
                                      plan_->experiment.agents, plan_->experiment.replications,
                                      plan_->experiment.seed);
  }
  if (plan_ && (request_.days || request_.warmup_days)) {
    plan_->fingerprint += fmt::format("+days={}+warmup_days={}", plan_->experiment.days,
                                      plan_->experiment.warmup_days);
  }
  if (context.reports() && context.diagnostics) context.diagnostics(request_.experiment, diagnostics);
  if (any_process(context, !plan_)) {
    if (!context.reports()) throw FailedElsewhere(false);
    throw InvalidInput(request_.experiment, diagnostics.error_count(), "nothing was run");
  }
  (void)sweep_reference(*plan_, request_.reference);  // a --reference past the points: now
}

SweepJob::~SweepJob() {
  if (lock_ >= 0) ::close(lock_);
}

std::string SweepJob::parts_directory() const {
  if (!sharded()) return out_ + ".parts";
  return fmt::format("{}.shard-{}-of-{}.parts", out_, request_.shard_index, request_.shard_count);
}

// A merge's first step, under the lock of OUT.parts/: moves the parts of every shard's
// directory (OUT.shard-I-of-N.parts/) into it, each shard's locked meanwhile so that a shard
// still running is refused rather than robbed.
void SweepJob::gather_shards() {
  const fs::path out(out_);
  const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const std::string prefix = out.filename().string() + ".shard-";
  for (const fs::directory_entry& entry : fs::directory_iterator(parts_directory())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("batch-")) {
      const std::uint64_t number = std::strtoull(name.c_str() + 6, nullptr, 10);
      next_part_ = std::max(next_part_, number + 1);
    }
  }
  std::vector<fs::path> shards;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.starts_with(prefix) && name.ends_with(".parts")) {
      shards.push_back(entry.path());
    }
  }
  std::sort(shards.begin(), shards.end());
  for (const fs::path& shard : shards) {
    const std::string lock = (shard / "lock").string();
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error(fmt::format("{}: a shard is still running (or cannot be locked)",
                                           shard.string()));
    }
    for (const fs::directory_entry& entry : fs::directory_iterator(shard)) {
      if (!is_sweep_part_name(entry.path().filename().string())) continue;
      fs::rename(entry.path(), fs::path(parts_directory()) / sweep_part_name(next_part_++));
    }
    ::close(fd);
    shard_directories_.push_back(shard.string());
  }
}

// Holds a lock on the parts directory for as long as the job lives, so that two sweeps never
// write the same parts (the kernel drops it when the process ends, however it ends).
void SweepJob::lock_parts() {
  if (lock_ >= 0) return;
  const std::string parts = parts_directory();
  const std::string path = (fs::path(parts) / "lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error(fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw std::runtime_error(fmt::format("another cjsim sweep is writing {} now", parts));
  }
  lock_ = fd;
}

// The points already stored in the parts directory (made by this plan); removes leftovers of
// interrupted writes and sets the number of the next part. Throws when a part was made by
// another experiment.
std::set<std::size_t> SweepJob::stored_points() {
  const std::string parts = parts_directory();
  std::set<std::size_t> done;
  for (const fs::directory_entry& entry : fs::directory_iterator(parts)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      fs::remove(entry.path());  // a write that a kill interrupted: never finished points
      continue;
    }
    if (!is_sweep_part_name(name)) continue;
    SweepPart part;
    try {
      part = read_sweep_part(entry.path().string());
    } catch (const std::exception& e) {
      context_.note(fmt::format("warning: {}; its points run again", e.what()));
      fs::remove(entry.path());
      continue;
    }
    if (part.fingerprint != plan_->fingerprint) {
      throw std::runtime_error(fmt::format(
          "{} holds points of a different experiment (the experiment file or a scenario it "
          "uses has changed since); resuming would mix results. Rerun with --force to start "
          "over (cjsim sweep {} --out {} --force)",
          parts, plan_->experiment.path, out_));
    }
    for (std::uint64_t point : part.points) {
      if (point >= plan_->points.size()) {
        throw std::runtime_error(
            fmt::format("{}: not the part of a point of this experiment", name));
      }
      done.insert(point);
    }
    if (name.starts_with("batch-")) {
      const std::uint64_t number = std::strtoull(name.c_str() + 6, nullptr, 10);
      next_part_ = std::max(next_part_, number + 1);
    }
  }
  return done;
}

// Commits the finished points `pending` (their values kept in committed_) as the next part
// file, and empties it.
void SweepJob::store_part(std::vector<std::uint64_t>& pending) {
  if (pending.empty()) return;
  std::vector<const std::vector<Aggregate>*> replications;
  std::vector<const std::vector<CalendarTotals>*> calendar;
  std::vector<const std::vector<AgentGroupFigures>*> groups;
  const bool calendar_plan = !committed_.calendar.empty();
  for (std::uint64_t point : pending) {
    replications.push_back(&committed_.results.at(point));
    if (calendar_plan) {
      calendar.push_back(&committed_.calendar.at(point));
    } else {
      groups.push_back(&committed_.groups.at(point));
    }
  }
  const std::string name = sweep_part_name(next_part_);
  write_sweep_part_image(
      (fs::path(parts_directory()) / name).string(),
      sweep_part_image(
          SweepPartView{plan_->fingerprint, pending, replications, calendar, groups}));
  ++next_part_;
  committed_.parts.insert(name);
  pending.clear();
}

// Rank 0's decisions before anything runs: output checks, the parts directory, the points
// still to run. Throws with the reason when the sweep must not start; `complete` when a
// resumed sweep had already finished.
std::vector<std::size_t> SweepJob::prepare_output(bool& complete) {
  SweepRequest o = request_;
  const std::string parts = parts_directory();
  if (o.resume && o.force) throw std::runtime_error("--resume and --force contradict each other");
  if (o.merge && (o.force || sharded())) {
    throw std::runtime_error(
        "--merge gathers the shards' parts: give it without --force or --shard");
  }
  o.resume = o.resume || o.merge;  // a merge finishes the sweep from the parts it gathers
  const bool damaged =
      o.resume && fs::is_regular_file(out_) && !finished_file_is_whole(out_, parts, context_);
  if (o.resume && fs::is_regular_file(out_) && !damaged) {
    if (read_sweep_file(out_).fingerprint != plan_->fingerprint) {
      throw std::runtime_error(fmt::format(
          "{} is a finished sweep of a different experiment (or of scenario files that have "
          "changed since); pass --force to run this one over it",
          out_));
    }
    // The file is only ever assembled from every point: the sweep is complete. Parts left
    // beside it mean a kill came between the file's rename and their removal.
    if (fs::exists(parts)) {
      lock_parts();
      fs::remove_all(parts);
    }
    complete = true;
    return {};
  }
  if (damaged) {
    // Under the lock: the parts are ours to assemble it from. Removed before the output's
    // checks, which refuse a file that exists.
    lock_parts();
    fs::remove(out_);
  }
  // The output's checks: the experiment and its scenario files are inputs.
  output_ = std::make_unique<Output>(o.force);
  CommandOutputs& outputs = output_->outputs;
  outputs.add_input(plan_->experiment.path, "the experiment file");
  for (const std::string& scenario : plan_->experiment.scenarios) {
    outputs.add_input(scenario, "a scenario file of the experiment");
  }
  for (const Scenario& base : plan_->bases) {
    for (const SourceFile& source : base.base_sources) {
      outputs.add_input(source.path, "a base journey file");
    }
  }
  if (o.results_printed) outputs.add_standard_output();
  // A shard writes only its parts; the merge writes OUT.
  if (!sharded()) output_->file = &outputs.add("--out", out_, kLeastSweepFileBytes);
  if (!o.resume) {
    if (fs::exists(parts)) {
      if (!o.force) {
        throw std::runtime_error(fmt::format(
            "{} holds the finished points of an interrupted sweep; pass --resume to finish it, "
            "or --force to start over",
            parts));
      }
      lock_parts();  // never discard the parts of a sweep that is running
      fs::remove_all(parts);
    }
  }
  fs::create_directories(parts);
  if (!damaged) lock_parts();
  remove_stale_temporaries(out_);
  if (o.merge) gather_shards();
  const std::set<std::size_t> done = stored_points();
  if (o.resume) {
    context_.note(fmt::format("{}: {} of {} design points are stored in {}",
                              o.merge ? "merging" : "resuming", done.size(),
                              plan_->points.size(), parts));
  }
  std::vector<std::size_t> missing;
  for (std::size_t k = 0; k < plan_->points.size(); ++k) {
    const bool mine = !sharded() || k % request_.shard_count == request_.shard_index;
    if (mine && !done.contains(k)) missing.push_back(k);
  }
  if (o.merge && !missing.empty()) {
    throw std::runtime_error(fmt::format(
        "{} of {} design points are in no shard's parts (the first: point {}); run the shards "
        "that have not finished (--shard I/N) and merge again, or finish here with --resume",
        missing.size(), plan_->points.size(), missing.front()));
  }
  return missing;
}

std::optional<StoredSweep> SweepJob::run() {
  const auto started = std::chrono::steady_clock::now();
  const SweepPlan& plan = *plan_;
  const std::string parts = parts_directory();
  const bool root = context_.reports();

  std::vector<std::size_t> missing;
  std::string problem;
  std::uint64_t stop = 0;
  if (root) {
    try {
      check_sweep_lengths(plan, request_.allow_long, context_, request_.threads);
      bool complete = false;
      missing = prepare_output(complete);
      if (complete) stop = kStopComplete;
    } catch (const std::exception& e) {
      problem = e.what();
      stop = kStopFailed;
    }
  }
  missing = decode(shared_decision(context_, missing, stop), stop);
  if (stop == kStopFailed) {
    if (root) throw std::runtime_error(problem);
    throw FailedElsewhere(false);
  }
  if (stop == kStopComplete) {
    if (root) context_.note(fmt::format("{} is already complete; nothing to resume", out_));
    return std::nullopt;
  }

  // Run the missing points in rounds. Each round gives every process `batch` consecutive
  // points of `missing`, which it runs side by side when they are small; rank 0 gathers the
  // round's finished points and commits them as a part once checkpoint_seconds have passed
  // since the last (and when the job ends or stops); all stop if any point was interrupted.
  const std::uint64_t per_point = plan.experiment.agents * plan.experiment.replications;
  const unsigned threads = BlockRunner::threads_for(request_.threads);
  const std::size_t batch = points_per_round(plan, threads);
  const std::size_t processes = static_cast<std::size_t>(context_.process_count());
  const std::size_t rank =
      context_.processes == nullptr ? 0 : static_cast<std::size_t>(context_.processes->rank());
  const std::size_t per_round = processes * batch;
  const std::size_t rounds = (missing.size() + per_round - 1) / per_round;
  std::uint64_t committed = 0;
  std::size_t points_done = 0;
  bool interrupted = false;
  const bool calendar = is_calendar_plan(plan);
  std::vector<std::uint64_t> pending;  // finished points not yet in a part
  if (root) {
    committed_.results.assign(plan.points.size(), {});
    committed_.calendar.assign(calendar ? plan.points.size() : 0, {});
    committed_.groups.assign(plan.points.size(), {});
  }
  // The figures of the points this process ran, computed with the journey they ran on (the
  // file is still assembled from the parts' aggregates, which give the same figures).
  std::vector<std::optional<PointFigures>> known_figures(root ? plan.points.size() : 0);
  auto last_stored = std::chrono::steady_clock::now();
  PointJourneys journeys(plan);  // the journeys of rounds of one point, kept between them
  {
    const Stage stage(context_, "sweeping", "agents");
    for (std::size_t round = 0; round < rounds && !interrupted; ++round) {
      const std::size_t first = round * per_round;
      const std::size_t round_points = std::min(per_round, missing.size() - first);
      const std::size_t mine_first = std::min(first + rank * batch, missing.size());
      const std::size_t mine = std::min(batch, missing.size() - mine_first);
      stage.status(round_points == 1
                       ? fmt::format("point {} of {} to run", points_done + 1, missing.size())
                       : fmt::format("points {}-{} of {} to run", points_done + 1,
                                     points_done + round_points, missing.size()));
      // Rank 0's own progress stands for the round's: the round's points run side by side.
      RunOptions options;
      options.threads = threads;
      options.cancel = context_.cancel;
      options.progress = [&, round_start = committed](std::uint64_t done, std::uint64_t) {
        stage.update(round_start + done * round_points / std::max<std::size_t>(mine, 1),
                     per_point * missing.size());
      };
      std::vector<std::optional<PointFigures>> figures;
      std::vector<std::vector<CalendarTotals>> totals;
      std::vector<std::vector<AgentGroupFigures>> groups;
      std::vector<std::vector<Aggregate>> results = run_sweep_points(
          plan, std::span(missing).subspan(mine_first, mine), options, root ? &figures : nullptr,
          &journeys, calendar ? &totals : nullptr, calendar ? nullptr : &groups);
      for (std::size_t j = 0; j < mine && root; ++j) {
        known_figures[missing[mine_first + j]] = std::move(figures[j]);
      }
      SweepPart finished{plan.fingerprint, {}, {}, {}, {}};
      bool cancelled = false;
      for (std::size_t j = 0; j < mine; ++j) {
        if (results[j].empty()) {
          cancelled = true;
          continue;
        }
        finished.points.push_back(missing[mine_first + j]);
        finished.replications.push_back(std::move(results[j]));
        if (calendar) finished.calendar.push_back(std::move(totals[j]));
        if (!calendar) finished.groups.push_back(std::move(groups[j]));
      }
      if (context_.processes != nullptr) {
        // One message per process and round: its finished points as a part's bytes.
        const std::vector<char> image =
            finished.points.empty() || root ? std::vector<char>{} : sweep_part_image(finished);
        const std::vector<std::vector<char>> gathered = context_.processes->gather(image);
        if (root) {
          for (std::size_t r = 1; r < gathered.size(); ++r) {
            if (gathered[r].empty()) continue;
            SweepPart theirs =
                read_sweep_part_image(gathered[r], fmt::format("the points of process {}", r));
            check_calendar_part(theirs, calendar, fmt::format("the points of process {}", r));
            for (std::size_t j = 0; j < theirs.points.size(); ++j) {
              finished.points.push_back(theirs.points[j]);
              finished.replications.push_back(std::move(theirs.replications[j]));
              if (calendar) finished.calendar.push_back(std::move(theirs.calendar[j]));
              if (!theirs.groups.empty()) finished.groups.push_back(std::move(theirs.groups[j]));
            }
          }
        }
      }
      // A cancel during the last round, once every point is done, lets the file be assembled.
      const bool more = round + 1 < rounds;
      interrupted = any_process(context_, cancelled || (more && is_cancelled(context_.cancel)));
      if (!root) continue;
      points_done += finished.points.size();
      committed += per_point * finished.points.size();
      for (std::size_t j = 0; j < finished.points.size(); ++j) {
        const std::uint64_t point = finished.points[j];
        pending.push_back(point);
        committed_.results.at(point) = std::move(finished.replications[j]);
        if (calendar) committed_.calendar.at(point) = std::move(finished.calendar[j]);
        if (j < finished.groups.size()) committed_.groups.at(point) = std::move(finished.groups[j]);
      }
      const auto now = std::chrono::steady_clock::now();
      const bool due =
          std::chrono::duration<double>(now - last_stored).count() >= request_.checkpoint_seconds;
      // The points finished since the last part, when that took less than a checkpoint, go
      // straight into the file: a crash while it is assembled loses no more work than a crash
      // before the next part could, and a short sweep costs no part at all. A shard's points
      // are its result: all stored.
      if (due || interrupted || (!more && sharded())) {
        store_part(pending);
        last_stored = now;
      }
    }
  }
  if (interrupted) {
    if (!root) throw FailedElsewhere(true);
    throw Interrupted(fmt::format(
        "interrupted; finished design points are kept in {}; finish with: cjsim sweep {} --out "
        "{} --resume{}",
        parts, request_.experiment, out_,
        sharded() ? fmt::format(" --shard {}/{}", request_.shard_index, request_.shard_count)
                  : ""));
  }
  if (!root) return std::nullopt;
  if (sharded()) {
    context_.note(fmt::format(
        "shard {} of {}: its design points are stored in {}; once every shard is done: cjsim "
        "sweep {} --out {} --merge",
        request_.shard_index, request_.shard_count, parts, request_.experiment, out_));
    return std::nullopt;
  }

  // Assemble from the parts alone, so a resumed sweep and a straight one build the same file:
  // the parts this job wrote hold what it kept of them (committed_), the others are read.
  std::vector<std::vector<Aggregate>> results = std::move(committed_.results);
  std::vector<std::vector<CalendarTotals>> totals = std::move(committed_.calendar);
  // Each point's agent groups; a point of a part without them (an older cjsim's) leaves its
  // empty, and the sweep is then paired by replication.
  std::vector<std::vector<AgentGroupFigures>> groups = std::move(committed_.groups);
  for (const fs::directory_entry& entry : fs::directory_iterator(parts)) {
    const std::string name = entry.path().filename().string();
    if (!is_sweep_part_name(name) || committed_.parts.contains(name)) continue;
    SweepPart part = read_sweep_part(entry.path().string());
    if (part.fingerprint != plan.fingerprint) {
      throw std::runtime_error(fmt::format("{}: changed while the sweep ran", parts));
    }
    check_calendar_part(part, calendar, entry.path().string());
    for (std::size_t j = 0; j < part.points.size(); ++j) {
      if (part.points[j] >= results.size()) {
        throw std::runtime_error(fmt::format("{}: changed while the sweep ran", parts));
      }
      results[part.points[j]] = std::move(part.replications[j]);
      if (calendar) totals[part.points[j]] = std::move(part.calendar[j]);
      if (!part.groups.empty()) groups[part.points[j]] = std::move(part.groups[j]);
    }
  }
  for (std::size_t k = 0; k < results.size(); ++k) {
    if (results[k].empty()) {
      throw std::runtime_error(
          fmt::format("{}: design point {} is missing (changed while the sweep ran)", parts, k));
    }
  }
  SweepInvocation invocation;
  invocation.command_line = context_.command_line;
  invocation.created = utc_timestamp();
  invocation.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  invocation.threads = threads;
  invocation.processes = static_cast<unsigned>(processes);
  SweepFigures figures =
      sweep_figures(plan, results, known_figures, totals, request_.reference, std::move(groups));
  write_sweep_file(*output_->file, plan, figures, results, invocation, totals);
  // Read back from the file as written, before it is put in place: if showing it fails, the
  // parts stay for a resume.
  return read_written_sweep_file(output_->file->temporary(), std::move(figures.agent_groups),
                                 figures.groups_per_replication);
}

void SweepJob::commit() {
  if (output_ == nullptr) return;
  output_->outputs.commit();
  if (sharded()) return;  // the parts are the shard's result, until the merge
  fs::remove_all(parts_directory());
  for (const std::string& shard : shard_directories_) fs::remove_all(shard);
}

}  // namespace cjsim
