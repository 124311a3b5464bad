// The studio's jobs: one thread each, the library API called with a Context whose progress,
// notes and cancel flag belong to the job.
#include "sim/studio/jobs.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/calendar_file.h"
#include "reports/store/comparison_file.h"
#include "reports/store/draws_file.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/output_file.h"
#include "reports/store/results_reader.h"
#include "sim/api/calendar.h"
#include "sim/api/calendar_draws.h"
#include "sim/api/compare.h"
#include "sim/api/errors.h"
#include "sim/api/journey_text.h"
#include "sim/studio/answer_json.h"
#include "sim/studio/files.h"

namespace cjsim::studio {

// Progress as numbers the page polls: written by the engine's threads, read by the server's.
class Job::Progress : public cjsim::Progress {
 public:
  void start(std::string_view stage, std::string_view) override {
    const std::lock_guard lock(mutex_);
    stage_ = stage;
    done_ = total_ = 0;
  }
  void update(std::uint64_t done, std::uint64_t total) override {
    done_.store(done, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
  }
  void status(std::string_view words) override {
    const std::lock_guard lock(mutex_);
    stage_ = words;
  }
  void finish() override {}
  nlohmann::json json() const {
    const std::lock_guard lock(mutex_);
    return {{"stage", stage_}, {"done", done_.load()}, {"total", total_.load()}};
  }

 private:
  mutable std::mutex mutex_;
  std::string stage_ = "reading";
  std::atomic<std::uint64_t> done_{0}, total_{0};
};

namespace {

bool any_calendar(std::span<const Scenario> scenarios) {
  return std::any_of(scenarios.begin(), scenarios.end(),
                     [](const Scenario& s) { return s.calendar.has_value(); });
}

// As `cjsim run/compare` runs a calendar journey: its arrivals decide how many agents there are.
CalendarSettings calendar_settings(const RunSettings& settings) {
  CalendarSettings out;
  out.seed = settings.seed;
  out.replications = settings.replications;
  out.threads = settings.threads;
  return out;
}

}  // namespace

struct Job::Compared {
  CompareOutcome outcome;
};

// A calendar journey's run or comparison (sim/api/calendar.h), or with draws one of those
// (sim/api/calendar_draws.h).
struct Job::Calendar {
  std::optional<CalendarOutcome> run;
  std::optional<CalendarCompareOutcome> compared;
  std::optional<UncertainCalendarRunOutcome> run_draws;
  std::optional<UncertainCalendarCompareOutcome> compared_draws;
  // With draws: what the JSON and the file show of them, digested once when the job ends.
  std::optional<CalendarDrawsDigest> digest;
};

// What the draws of a plain run or comparison gave, and what its report shows of them.
struct Job::Drawn {
  UncertaintyReport uncertainty;
  DrawsDigest digest;
};

Job::Job(std::string id, JobRequest request, std::string command_line)
    : id_(std::move(id)),
      request_(std::move(request)),
      command_line_(std::move(command_line)),
      progress_(std::make_unique<Progress>()) {
  thread_ = std::thread([this] { run(); });
}

Job::~Job() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

Job::State Job::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

void Job::run_comparison(const Context& context) {
  const DrawSettings& draws = request_.draws;
  const bool drawing = draws.draws > 0;
  CompiledJourneys journeys = load_journey_sources(request_.journeys, context, drawing);
  if (any_calendar(journeys.scenarios)) {
    if (!std::all_of(journeys.scenarios.begin(), journeys.scenarios.end(),
                     [](const Scenario& s) { return s.calendar.has_value(); })) {
      throw std::runtime_error("compare takes calendar journeys only with calendar "
                               "journeys: give every state a calendar, or none");
    }
    auto calendar = std::make_unique<Calendar>();
    const CalendarSettings settings = calendar_settings(request_.settings);
    if (drawing) {
      calendar->compared_draws = compare_calendar_journeys_with_draws(
          journeys, settings, request_.rank_by, draws, context);
      if (!calendar->compared_draws) throw std::runtime_error("the comparison gave no result");
      calendar->digest = calendar_draws_digest(*calendar->compared_draws, request_.rank_by);
    } else {
      calendar->compared = compare_calendar_journeys(journeys, settings, context);
      if (!calendar->compared) throw std::runtime_error("the comparison gave no result");
    }
    const std::lock_guard lock(mutex_);
    calendar_ = std::move(calendar);
    journeys_ = std::move(journeys);
    return;
  }
  auto compared = std::make_unique<Compared>();
  std::unique_ptr<Drawn> drawn;
  if (drawing) {
    UncertainCompareOutcome outcome = compare_journeys_with_draws(
        journeys, request_.settings, request_.rank_by, draws, context);
    if (!outcome.central.report || !outcome.uncertainty) {
      throw std::runtime_error("the comparison gave no result");
    }
    compared->outcome = std::move(outcome.central);
    const ComparisonReport& report = *compared->outcome.report;
    drawn = std::make_unique<Drawn>(Drawn{std::move(*outcome.uncertainty), {}});
    drawn->digest = digest_draws(report.summaries, drawn->uncertainty, report.rank_by);
  } else {
    compared->outcome = compare_journeys(journeys, request_.settings, request_.rank_by, context);
  }
  const std::lock_guard lock(mutex_);
  compared_ = std::move(compared);
  drawn_ = std::move(drawn);
  journeys_ = std::move(journeys);
}

void Job::run_journey_job(const Context& context) {
  const DrawSettings& draws = request_.draws;
  const bool drawing = draws.draws > 0;
  // A run compiles the scenario itself, so it is read whole (load_journey_sources keeps
  // only what results record).
  const JourneySource& source = request_.journeys.front();
  const Scenario scenario = source.text ? load_journey_text(*source.text, source.path, context)
                                        : load_journey(source.path, context);
  if (scenario.calendar) {
    auto calendar = std::make_unique<Calendar>();
    const CalendarSettings settings = calendar_settings(request_.settings);
    if (drawing) {
      calendar->run_draws =
          run_calendar_journey_with_draws(scenario, source.path, settings, draws, context);
      if (!calendar->run_draws) throw std::runtime_error("the run gave no result");
      calendar->digest = calendar_draws_digest(*calendar->run_draws);
    } else {
      calendar->run = run_calendar_journey(scenario, source.path, settings, context);
      if (!calendar->run) throw std::runtime_error("the run gave no result");
    }
    const std::lock_guard lock(mutex_);
    calendar_ = std::move(calendar);
    return;
  }
  if (!drawing) {
    RunOutcome run = run_journey(scenario, source.path, request_.settings, context);
    const std::lock_guard lock(mutex_);
    run_ = std::move(run);
    return;
  }
  UncertainRunOutcome outcome =
      run_journey_with_draws(scenario, source.path, request_.settings, draws, context);
  if (!outcome.central.summary || !outcome.uncertainty) {
    throw std::runtime_error("the run gave no result");
  }
  auto drawn = std::make_unique<Drawn>(Drawn{std::move(*outcome.uncertainty), {}});
  drawn->digest = digest_draws({*outcome.central.summary}, drawn->uncertainty, "conversion_rate");
  const std::lock_guard lock(mutex_);
  run_ = std::move(outcome.central);
  drawn_ = std::move(drawn);
}

void Job::run() {
  Context context;
  context.command_line = command_line_;
  context.cancel = &cancel_;
  context.progress = progress_.get();
  context.notice = [this](std::string_view words) {
    const std::lock_guard lock(mutex_);
    messages_.emplace_back(words);
  };
  context.diagnostics = [this](const std::string&, const Diagnostics& diagnostics) {
    const std::lock_guard lock(mutex_);
    for (const Diagnostic& d : diagnostics.all()) messages_.push_back(format_diagnostic(d));
  };
  State end = State::done;
  std::string error;
  try {
    if (request_.compare) {
      run_comparison(context);
    } else {
      run_journey_job(context);
    }
  } catch (const RunCancelled&) {
    end = State::cancelled;
    error = "cancelled; nothing was kept";
  } catch (const std::bad_alloc&) {
    end = State::failed;
    error = "out of memory; ask for fewer agents or replications";
  } catch (const std::exception& e) {
    end = State::failed;
    error = e.what();
  }
  const std::lock_guard lock(mutex_);
  state_ = end;
  error_ = std::move(error);
}

nlohmann::json Job::status() const {
  nlohmann::json out = progress_->json();
  const std::lock_guard lock(mutex_);
  static constexpr const char* kStates[] = {"running", "done", "failed", "cancelled"};
  out["id"] = id_;
  out["kind"] = request_.compare ? "compare" : "run";
  out["state"] = kStates[static_cast<int>(state_)];
  out["messages"] = messages_;
  out["error"] = error_;
  out["agents"] = request_.settings.agents;
  out["draws"] = request_.draws.draws;
  return out;
}

void Job::require_done() const {
  const State now = state();
  if (now == State::running) throw RequestError(409, "the job is still running");
  if (now != State::done) {
    const std::lock_guard lock(mutex_);
    throw RequestError(409, fmt::format("the job has no result: {}", error_));
  }
}

nlohmann::json Job::result_json() const {
  require_done();
  // Exactly what `cjsim run/compare [--draws K] --json` print, a run's seed, version and path
  // included.
  if (calendar_) {
    if (calendar_->compared) return calendar_comparison_json(calendar_->compared->report);
    if (calendar_->compared_draws) {
      const UncertainCalendarCompareOutcome& c = *calendar_->compared_draws;
      nlohmann::json json = calendar_comparison_json(c.central.report);
      add_calendar_comparison_uncertainty_json(json, c.central.report.names, *calendar_->digest);
      return json;
    }
    const CalendarOutcome& run =
        calendar_->run ? *calendar_->run : calendar_->run_draws->central;
    nlohmann::json json = calendar_summary_json(run.summary, run.result.seconds);
    put_run_identity(json, run.metadata);
    if (calendar_->run_draws) {
      add_calendar_run_uncertainty_json(json, *calendar_->digest);
    }
    return json;
  }
  if (compared_) {
    nlohmann::json json = comparison_json(*compared_->outcome.report);
    if (drawn_) {
      add_comparison_uncertainty_json(json, *compared_->outcome.report, drawn_->uncertainty);
    }
    return json;
  }
  nlohmann::json json = summary_json(*run_->summary, run_->result.seconds);
  put_run_identity(json, run_->metadata);
  if (drawn_) add_run_uncertainty_json(json, drawn_->uncertainty);
  return json;
}

void Job::refuse_calendar(const char* what) const {
  if (calendar_) {
    throw RequestError(409, fmt::format("a calendar journey's results have no {} in the studio "
                                        "yet; its figures are in the result (the page's tables)",
                                        what));
  }
}

std::string Job::report_html() const {
  require_done();
  refuse_calendar("HTML report");
  const DrawsDigest* digest = drawn_ ? &drawn_->digest : nullptr;
  if (compared_) return html_report(*compared_->outcome.report, digest);
  return html_report(single_run_report(*run_->summary, run_->metadata), digest);
}

nlohmann::json Job::chart_data() const {
  require_done();
  refuse_calendar("charts");
  const DrawsDigest* digest = drawn_ ? &drawn_->digest : nullptr;
  if (compared_) return chart_data_json(*compared_->outcome.report, digest);
  return chart_data_json(single_run_report(*run_->summary, run_->metadata), digest);
}

nlohmann::json Job::answer() const {
  require_done();
  refuse_calendar("answer cards");
  const std::optional<AnswerDraws> draws =
      drawn_ ? std::optional<AnswerDraws>(AnswerDraws{drawn_->uncertainty, drawn_->digest})
             : std::nullopt;
  if (compared_) return answer_json(*compared_->outcome.report, draws ? &*draws : nullptr);
  if (!draws) {
    throw RequestError(409, "a run has no answer; the answer is a comparison's (or, with "
                            "draws, how sure a run's figures are)");
  }
  return run_answer_json(single_run_report(*run_->summary, run_->metadata), *draws);
}

void Job::save(const std::string& path, bool force) const {
  require_done();
  PendingFile file(path, overwrite_if(force));
  if (calendar_ && calendar_->compared) {
    write_calendar_comparison_file(file, calendar_->compared->report,
                                   calendar_->compared->data(*journeys_));
  } else if (calendar_ && calendar_->compared_draws) {
    const UncertainCalendarCompareOutcome& c = *calendar_->compared_draws;
    write_calendar_comparison_file_with_draws(file, c.central.report, c.central.data(*journeys_),
                                              request_.rank_by, c.uncertainty,
                                              draw_summaries(c), *calendar_->digest);
  } else if (calendar_ && calendar_->run_draws) {
    const UncertainCalendarRunOutcome& r = *calendar_->run_draws;
    write_calendar_run_file_with_draws(file, r.central.metadata, r.central.data(), r.uncertainty,
                                       draw_summaries(r), *calendar_->digest);
  } else if (calendar_) {
    write_calendar_run_file(file, calendar_->run->metadata, calendar_->run->data());
  } else if (compared_) {
    std::vector<const CompiledJourney*> pointers;
    for (const CompiledJourney& j : journeys_->journeys) pointers.push_back(&j);
    if (drawn_) {
      write_comparison_file_with_draws(file, *compared_->outcome.report, pointers,
                                       compared_->outcome.comparison, drawn_->uncertainty);
    } else {
      write_comparison_file(file, *compared_->outcome.report, pointers,
                            compared_->outcome.comparison);
    }
  } else if (drawn_) {
    write_run_file_with_draws(file, run_->journey, run_->metadata, run_->result, *run_->summary,
                              drawn_->uncertainty);
  } else {
    write_run_file(file, run_->journey, run_->metadata, run_->result, *run_->summary);
  }
  try {
    file.commit();
  } catch (const std::runtime_error& e) {
    throw RequestError(409, e.what());  // a file there already, and no force
  }
}

Jobs::Jobs(int most_running) : most_running_(most_running) {}

Jobs::~Jobs() { cancel_all(); }

void Jobs::cancel_all() {
  const std::lock_guard lock(mutex_);
  for (auto& [id, job] : jobs_) job->cancel();
}

std::string Jobs::start(JobRequest request, std::string command_line) {
  constexpr std::size_t kMostKept = 8;
  const std::lock_guard lock(mutex_);
  int running = 0;
  for (const auto& [id, job] : jobs_) running += job->running() ? 1 : 0;
  if (running >= most_running_) {
    throw RequestError(429, fmt::format("{} runs are under way, the most the studio takes at "
                                        "once; wait for one or cancel it",
                                        running));
  }
  // Forget the oldest finished jobs beyond the few kept.
  for (auto it = order_.begin(); order_.size() >= kMostKept && it != order_.end();) {
    if (!jobs_.at(*it)->running()) {
      jobs_.erase(*it);
      it = order_.erase(it);
    } else {
      ++it;
    }
  }
  const std::string id = std::to_string(next_++);
  jobs_[id] = std::make_shared<Job>(id, std::move(request), std::move(command_line));
  order_.push_back(id);
  return id;
}

std::shared_ptr<Job> Jobs::find(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) throw RequestError(404, fmt::format("no job '{}'", id));
  return it->second;
}

}  // namespace cjsim::studio
