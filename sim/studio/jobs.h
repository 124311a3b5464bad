// Runs and comparisons started from the page: each a job on a thread of its own, with its
// progress and a cancel flag the server holds, bounded in number; finished jobs keep their
// results for the page to fetch, save (HDF5) and export (the HTML report).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/api/journey_sources.h"
#include "sim/api/run.h"
#include "sim/api/uncertainty.h"

namespace cjsim::studio {

struct JobRequest {
  bool compare = false;  // else a run of the first journey
  std::vector<JourneySource> journeys;
  RunSettings settings;
  std::string rank_by = "conversion_rate";
  DrawSettings draws;  // the uncertain inputs drawn, as `--draws K [--total-effects]`; 0: none
};

class Job;

class Jobs {
 public:
  explicit Jobs(int most_running);
  ~Jobs();  // cancels every job under way and waits for it
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Starts a job; RequestError 429 when `most_running` are under way. Returns its id.
  std::string start(JobRequest request, std::string command_line);
  // The job, or RequestError 404.
  std::shared_ptr<Job> find(const std::string& id) const;
  void cancel_all();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::vector<std::string> order_;  // oldest first, to forget the oldest finished
  int most_running_;
  std::uint64_t next_ = 1;
};

class Job {
 public:
  enum class State { running, done, failed, cancelled };
  Job(std::string id, JobRequest request, std::string command_line);
  ~Job();

  const std::string& id() const { return id_; }
  bool running() const { return state() == State::running; }
  State state() const;
  void cancel() { cancel_.store(true); }
  // {"id", "kind", "state", "stage", "done", "total", "messages", "error"}
  nlohmann::json status() const;
  // What `cjsim run --json` or `cjsim compare --json` prints; RequestError 409 until done.
  nlohmann::json result_json() const;
  // The self-contained HTML report (reports/html).
  std::string report_html() const;
  // The charts of that report as data for cjsimDrawCharts (reports/html/report_charts.js).
  nlohmann::json chart_data() const;
  // A comparison's answer cards (answer_json.h), or a run's with draws (run_answer_json);
  // RequestError 409 for a run without draws.
  nlohmann::json answer() const;
  // Writes the results as `cjsim run/compare --output` does (HDF5) to `path`.
  void save(const std::string& path, bool force) const;

 private:
  class Progress;
  void run();
  void run_comparison(const Context& context);  // the library's compare_journeys[_with_draws]
  void run_journey_job(const Context& context);  // run_journey[_with_draws]
  void require_done() const;
  // RequestError 409 for a calendar journey's results, which have no `what` here yet.
  void refuse_calendar(const char* what) const;

  std::string id_;
  JobRequest request_;
  std::string command_line_;
  std::atomic<bool> cancel_{false};
  std::unique_ptr<Progress> progress_;
  mutable std::mutex mutex_;
  State state_ = State::running;
  std::string error_;
  std::vector<std::string> messages_;
  std::optional<CompiledJourneys> journeys_;
  std::optional<RunOutcome> run_;
  struct Compared;
  std::unique_ptr<Compared> compared_;
  struct Calendar;
  std::unique_ptr<Calendar> calendar_;  // a calendar journey's run or comparison
  struct Drawn;
  std::unique_ptr<Drawn> drawn_;  // a plain run's or comparison's draws of uncertain inputs
  std::thread thread_;
};

}  // namespace cjsim::studio
