// The studio's HTTP server (cpp-httplib): the gate every request passes (Host, Origin, token),
// the JSON API over the folder's files and the jobs, and the page.
#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "reports/html/html_assets.h"
#include "sim/api/errors.h"
#include "sim/api/future_state_changes.h"
#include "sim/api/journey_sources.h"
#include "sim/api/run.h"
#include "sim/studio/access.h"
#include "sim/studio/files.h"
#include "sim/studio/jobs.h"
#include "sim/studio/journey_json.h"
#include "sim/studio/page_assets.h"
#include "sim/studio/studio.h"

namespace cjsim {
namespace {

using nlohmann::json;
using studio::RequestError;

constexpr const char* kJson = "application/json";

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void send_error(httplib::Response& res, int status, std::string_view message) {
  send_json(res, {{"error", message}}, status);
}

// The body as a JSON object, or 400 saying what is wrong with it.
json body_of(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    throw RequestError(400, "the request body is not JSON (malformed JSON)");
  }
  if (!body.is_object()) throw RequestError(400, "the request body must be a JSON object");
  return body;
}

std::string string_field(const json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || !it->is_string()) {
    throw RequestError(400, fmt::format("'{}' must be given, as a string", key));
  }
  return it->get<std::string>();
}

std::uint64_t whole_field(const json& body, const char* key, std::uint64_t fallback,
                          std::uint64_t least, std::uint64_t most) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_number_unsigned()) {
    throw RequestError(400, fmt::format("'{}' must be a whole number from {} to {}", key, least,
                                        most));
  }
  const std::uint64_t value = it->get<std::uint64_t>();
  if (value < least || value > most) {
    throw RequestError(400, fmt::format("'{}' is {}; the studio takes {} to {}", key, value, least,
                                        most));
  }
  return value;
}

// The `base:` a journey's text names, or "" (a YAML top-level key, or a JSON object's key).
std::string base_named(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    const json j = json::parse(text, nullptr, false);
    return j.is_object() && j.contains("base") && j["base"].is_string() ? j["base"].get<std::string>()
                                                                         : "";
  }
  std::size_t at = text.starts_with("base:") ? 0 : text.find("\nbase:");
  if (at == std::string_view::npos) return "";
  if (text[at] == '\n') ++at;
  std::string_view value = text.substr(at + 5);
  value = value.substr(0, value.find('\n'));
  const std::size_t comment = value.find(" #");
  if (comment != std::string_view::npos) value = value.substr(0, comment);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.remove_suffix(1);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

// Refuses (403) a text whose chain of `base:` files leaves the folder: the loader would read
// them, and their contents would reach the page in messages.
void check_bases(const studio::Folder& folder, const std::string& path, std::string_view text) {
  constexpr int kDeepest = 16;
  std::string at = path;
  std::string current(text);
  for (int depth = 0; depth < kDeepest; ++depth) {
    const std::string base = base_named(current);
    if (base.empty()) return;
    if (std::filesystem::path(base).is_absolute()) {
      throw RequestError(403, fmt::format("{}: its base '{}' is outside the studio's folder", at,
                                          base));
    }
    const std::string relative =
        (std::filesystem::path(at).parent_path() / base).lexically_normal().generic_string();
    if (relative.starts_with("..")) {
      throw RequestError(403, fmt::format("{}: its base '{}' is outside the studio's folder", at,
                                          base));
    }
    at = folder.resolve(relative, false);
    std::error_code error;
    if (!std::filesystem::is_regular_file(folder.root() / at, error)) return;  // loader says so
    current = folder.read(at).text;
  }
}

// A future state's changes as the loader reads them, or null when the text is not YAML (the
// diagnostics say why).
json changes_json(const std::string& path, std::string_view text) {
  if (base_named(text).empty()) return nullptr;
  try {
    return json::parse(future_state_changes(text, path).dump());
  } catch (const InvalidInput&) {
    return nullptr;
  }
}

// The result of checking a text as `cjsim validate` does, with a future state's changes.
json check_json(const std::string& path, std::string_view text) {
  const JourneyCheck check = check_journey_text(text, path);
  return {{"valid", check.scenario.has_value()},
          {"summary", check.summary},
          {"diagnostics", studio::diagnostics_json(check.diagnostics)},
          {"journey", check.scenario ? studio::journey_json(*check.scenario) : json(nullptr)},
          {"changes", changes_json(path, text)}};
}

class Studio {
 public:
  Studio(const StudioOptions& options, std::string token, int port)
      : options_(options),
        folder_("."),
        token_(std::move(token)),
        gate_(options.host, port, options.allowed_hosts),
        jobs_(options.most_runs) {}

  void route(httplib::Server& server);
  studio::Jobs& jobs() { return jobs_; }

 private:
  httplib::Server::HandlerResponse admit(const httplib::Request& req, httplib::Response& res);
  studio::JobRequest job_request(const json& body) const;

  StudioOptions options_;
  studio::Folder folder_;
  std::string token_;
  studio::Gate gate_;
  studio::Jobs jobs_;
};

httplib::Server::HandlerResponse Studio::admit(const httplib::Request& req,
                                               httplib::Response& res) {
  using Handled = httplib::Server::HandlerResponse;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "SAMEORIGIN");
  res.set_header("Referrer-Policy", "no-referrer");
  if (!gate_.host_allowed(req.get_header_value("Host"))) {
    send_error(res, 403, "this studio answers only to its own address (the Host header names "
                         "another: a DNS-rebound name?)");
    return Handled::Handled;
  }
  if (req.has_header("Origin") && !gate_.origin_allowed(req.get_header_value("Origin"))) {
    send_error(res, 403, "requests from other sites' pages are refused (Origin)");
    return Handled::Handled;
  }
  if (req.get_header_value("Sec-Fetch-Site") == "cross-site") {
    send_error(res, 403, "requests from other sites' pages are refused (Sec-Fetch-Site)");
    return Handled::Handled;
  }
  if (req.has_param("token")) {
    if (!studio::token_matches(req.get_param_value("token"), token_)) {
      send_error(res, 401, "wrong token: open the address `cjsim studio` printed");
      return Handled::Handled;
    }
    res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict",
                                             studio::kCookieName, token_));
    if (req.method == "GET" && req.path == "/") {
      res.set_redirect("/", 303);  // the token leaves the address bar and the history
      return Handled::Handled;
    }
    return Handled::Unhandled;
  }
  const std::string given = studio::token_of_headers(req.get_header_value("Authorization"),
                                                     req.get_header_value("Cookie"));
  if (!studio::token_matches(given, token_)) {
    send_error(res, 401, "a token is needed: open the address `cjsim studio` printed (it ends "
                         "in ?token=...), or send `Authorization: token ...`");
    return Handled::Handled;
  }
  return Handled::Unhandled;
}

studio::JobRequest Studio::job_request(const json& body) const {
  studio::JobRequest request;
  const std::string kind = string_field(body, "kind");
  if (kind != "run" && kind != "compare") {
    throw RequestError(400, fmt::format("'kind' is '{}'; it is 'run' or 'compare'", kind));
  }
  request.compare = kind == "compare";
  const auto journeys = body.find("journeys");
  if (journeys == body.end() || !journeys->is_array() || journeys->empty()) {
    throw RequestError(400, "'journeys' must list the journeys, as {\"path\": ...} objects");
  }
  constexpr std::size_t kMostJourneys = 16;
  if (journeys->size() > kMostJourneys) {
    throw RequestError(400, fmt::format("{} journeys; the studio compares at most {}",
                                        journeys->size(), kMostJourneys));
  }
  if (request.compare && journeys->size() < 2) {
    throw RequestError(400, "a comparison needs a current state and at least one future state");
  }
  for (const json& item : *journeys) {
    if (!item.is_object()) throw RequestError(400, "each of 'journeys' is a {\"path\": ...} object");
    JourneySource source;
    const bool has_text = item.contains("text") && !item["text"].is_null();
    source.path = folder_.resolve(string_field(item, "path"), !has_text);
    if (has_text) source.text = string_field(item, "text");
    check_bases(folder_, source.path,
                source.text ? *source.text : folder_.read(source.path).text);
    request.journeys.push_back(std::move(source));
    if (!request.compare) break;
  }
  RunSettings& settings = request.settings;
  settings.agents = whole_field(body, "agents", 100000, 1, options_.most_agents);
  settings.replications = static_cast<std::uint32_t>(
      whole_field(body, "replications", 1, 1, options_.most_replications));
  if (body.contains("seed") && !body["seed"].is_null()) {
    settings.seed = whole_field(body, "seed", 0, 0, std::numeric_limits<std::uint64_t>::max());
  }
  settings.threads = options_.threads;
  if (body.contains("rank_by")) request.rank_by = string_field(body, "rank_by");
  // The uncertain inputs drawn, as `--draws K [--total-effects]`: 0 none, else 2 to the most.
  const std::uint64_t most = options_.most_draws;
  const std::uint64_t draws = whole_field(body, "draws", 0, 0, most);
  if (draws == 1) {
    throw RequestError(400, fmt::format("'draws' is 1; the studio takes 0 (no draws) or 2 to {} "
                                        "(the draws give an interval; 32 or more is usual)",
                                        most));
  }
  request.draws.draws = static_cast<std::uint32_t>(draws);
  if (const auto it = body.find("total_effects"); it != body.end() && !it->is_null()) {
    if (!it->is_boolean()) throw RequestError(400, "'total_effects' must be true or false");
    request.draws.total_effects = it->get<bool>();
  }
  if (request.draws.total_effects && draws == 0) {
    throw RequestError(400, "'total_effects' needs 'draws' (2 or more): the total indices come "
                            "from the draws");
  }
  return request;
}

// Wraps a handler: every error becomes a status and {"error": message}, never a crash.
template <typename Handler>
httplib::Server::Handler guarded(Handler handler) {
  return [handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const RequestError& e) {
      send_error(res, e.status, e.what());
    } catch (const InvalidInput& e) {
      send_error(res, 422, e.what());
    } catch (const json::exception& e) {
      send_error(res, 400, fmt::format("a malformed request: {}", e.what()));
    } catch (const std::bad_alloc&) {
      send_error(res, 503, "out of memory");
    } catch (const std::exception& e) {
      send_error(res, 500, e.what());
    }
  };
}

void Studio::route(httplib::Server& server) {
  server.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return admit(req, res); });

  auto page = [](std::string content, const char* type) {
    return [content = std::move(content), type](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                     "img-src 'self' data:; frame-src 'none'; frame-ancestors 'self'");
      res.set_content(content, type);
    };
  };
  server.Get("/", page(html_assets::studio_index_html(), "text/html; charset=utf-8"));
  server.Get("/studio.js", page(html_assets::studio_js(), "text/javascript; charset=utf-8"));
  server.Get("/studio.css", page(html_assets::studio_css(), "text/css; charset=utf-8"));
  server.Get("/echarts.js", page(html_assets::echarts_js(), "text/javascript; charset=utf-8"));
  server.Get("/dagre.js", page(html_assets::dagre_js(), "text/javascript; charset=utf-8"));
  // The report's own chart code, so that the page draws results as the report does.
  server.Get("/report_charts.js",
             page(html_assets::report_charts_js(), "text/javascript; charset=utf-8"));

  server.Get("/api/files", guarded([this](const httplib::Request&, httplib::Response& res) {
    json files = json::array();
    for (const studio::ListedFile& f : folder_.list()) {
      files.push_back({{"path", f.path}, {"kind", studio::kind_name(f.kind)}, {"bytes", f.bytes}});
    }
    send_json(res, {{"folder", folder_.root().string()}, {"files", files}});
  }));

  server.Get("/api/file", guarded([this](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("path")) throw RequestError(400, "name the file: /api/file?path=...");
    const std::string path = folder_.resolve(req.get_param_value("path"), true);
    studio::Folder::Read read = folder_.read(path);
    json out = {{"path", path}, {"kind", studio::kind_name(read.kind)}, {"etag", read.etag}};
    if (read.kind != studio::FileKind::experiment) {
      check_bases(folder_, path, read.text);
      out.update(check_json(path, read.text));
    }
    out["text"] = std::move(read.text);
    send_json(res, out);
  }));

  server.Post("/api/validate", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const json body = body_of(req);
    const std::string path = folder_.resolve(string_field(body, "path"), false);
    const std::string text = string_field(body, "text");
    check_bases(folder_, path, text);
    send_json(res, check_json(path, text));
  }));

  // A future state's text with its `changes:` list replaced (each {KIND: VALUE}), the rest of
  // the text kept; nothing is saved.
  server.Post("/api/changes", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const nlohmann::ordered_json body = nlohmann::ordered_json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      throw RequestError(400, "the request body is not a JSON object (malformed JSON)");
    }
    const json plain = json::parse(req.body);
    const std::string path = folder_.resolve(string_field(plain, "path"), false);
    const std::string text = string_field(plain, "text");
    if (!body.contains("changes") || !body["changes"].is_array()) {
      throw RequestError(400, "'changes' must list the changes, each as {\"KIND\": VALUE}");
    }
    check_bases(folder_, path, text);
    const std::string written = with_changes(text, path, body["changes"]);
    json out = check_json(path, written);
    out["text"] = written;
    send_json(res, out);
  }));

  server.Put("/api/file", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const json body = body_of(req);
    const std::string path = folder_.resolve(string_field(body, "path"), false);
    std::optional<std::string> etag;
    if (body.contains("etag") && !body["etag"].is_null()) etag = string_field(body, "etag");
    const bool force = body.value("force", false);
    try {
      const std::string written = folder_.write(path, string_field(body, "text"), etag, force);
      send_json(res, {{"path", path}, {"etag", written}});
    } catch (const RequestError& e) {
      if (e.status != 409) throw;
      std::error_code error;
      const bool exists = std::filesystem::is_regular_file(path, error);
      send_json(res, {{"error", e.what()},
                      {"etag", exists ? json(folder_.read(path).etag) : json(nullptr)}},
                409);
    }
  }));

  server.Post("/api/jobs", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const json body = body_of(req);
    studio::JobRequest request = job_request(body);
    std::string command = request.compare ? "cjsim studio: compare" : "cjsim studio: run";
    for (const JourneySource& j : request.journeys) command += " " + j.path;
    if (request.draws.draws > 0) command += fmt::format(" --draws {}", request.draws.draws);
    if (request.draws.total_effects) command += " --total-effects";
    const std::string id = jobs_.start(std::move(request), command);
    send_json(res, jobs_.find(id)->status(), 202);
  }));

  server.Get(R"(/api/jobs/(\d+))", guarded([this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, jobs_.find(req.matches[1])->status());
  }));

  server.Delete(R"(/api/jobs/(\d+))", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const std::shared_ptr<studio::Job> job = jobs_.find(req.matches[1]);
    job->cancel();
    send_json(res, job->status());
  }));

  server.Get(R"(/api/jobs/(\d+)/result)", guarded([this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, jobs_.find(req.matches[1])->result_json());
  }));

  server.Get(R"(/api/jobs/(\d+)/charts)", guarded([this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, jobs_.find(req.matches[1])->chart_data());
  }));

  server.Get(R"(/api/jobs/(\d+)/answer)", guarded([this](const httplib::Request& req, httplib::Response& res) {
    send_json(res, jobs_.find(req.matches[1])->answer());
  }));

  server.Get(R"(/api/jobs/(\d+)/report)", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const std::string page = jobs_.find(req.matches[1])->report_html();
    // The report is self-contained: its inline scripts and styles, nothing from elsewhere.
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                   "img-src data:; frame-ancestors 'self'");
    if (req.has_param("download")) {
      res.set_header("Content-Disposition", "attachment; filename=\"cjsim-report.html\"");
    }
    res.set_content(page, "text/html; charset=utf-8");
  }));

  server.Post(R"(/api/jobs/(\d+)/save)", guarded([this](const httplib::Request& req, httplib::Response& res) {
    const json body = body_of(req);
    const std::string path = folder_.resolve(string_field(body, "path"), false);
    if (studio::kind_of(path, "") != studio::FileKind::result) {
      throw RequestError(400, fmt::format("'{}': results are saved as .h5 files", path));
    }
    static std::mutex hdf5;  // one HDF5 file written at a time
    const std::lock_guard lock(hdf5);
    jobs_.find(req.matches[1])->save(path, body.value("force", false));
    send_json(res, {{"path", path}});
  }));

  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* what = res.status == 413 ? "the request body is larger than the studio takes"
                       : res.status == 404 ? "no such page or endpoint"
                                           : "the request was refused";
    send_error(res, res.status, what);
  });
}

}  // namespace

void serve_studio(const StudioOptions& options, const std::atomic<bool>& stop,
                  const std::function<void(std::string_view)>& out,
                  const std::function<void(std::string_view)>& say) {
  const studio::Folder folder(options.dir);
  std::filesystem::current_path(folder.root());
  if (options.host_given) {
    say(fmt::format("warning: the studio listens on {}, beyond this machine's loopback: anyone "
                    "who can reach it and learns the token can read and write the journeys "
                    "under {}",
                    options.host, folder.root().string()));
  }
  httplib::Server server;
  server.set_payload_max_length(options.most_request_bytes);
  server.set_read_timeout(30, 0);
  // A browser keeps several connections open, each holding a worker while it idles: enough
  // workers that the page's requests never wait for one, idle connections closed soon.
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };
  server.set_keep_alive_timeout(2);
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{} (in use, or not an address of "
                                         "this machine)",
                                         options.host, options.port));
  }
  const std::string token = studio::new_token();
  Studio studio(options, token, port);
  studio.route(server);
  const std::string shown_host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  out(fmt::format("http://{}:{}/?token={}", shown_host, port, token));
  say(fmt::format("serving {}; Ctrl-C stops", folder.root().string()));

  // Ctrl-C raises `stop`; the server is stopped from here, again and again until it has
  // returned (a stop before it began listening would otherwise be lost).
  std::atomic<bool> returned{false};
  std::thread watcher([&] {
    while (!returned.load()) {
      if (stop.load()) {
        studio.jobs().cancel_all();
        server.stop();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  server.listen_after_bind();
  returned.store(true);
  watcher.join();
  studio.jobs().cancel_all();
}

}  // namespace cjsim
