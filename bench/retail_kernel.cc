// A lean, single-purpose simulator of the plain model (sim/model/MODEL.md, 1.4), the C++
// reference that bench/run measures cjsim against. Written for the benchmark, simply and
// apart from the engine: its own generator (xoshiro256+ per agent, polar normals), no
// observer, three counters (agent-steps, conversions, promoters).
//
// Usage: retail_kernel TABLES AGENTS [THREADS] [SEED]
//   TABLES: the journey as `python3 bench/journey_tables.py JOURNEY.yaml` writes it.
// Prints one JSON object: the counters, seconds and agent-steps per second.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Journey {
  double memory = 0, kappa = 0, horizon = 0, promoter_threshold = 0;
  long max_steps = 0;
  int touchpoints = 0, transitions = 0, personas = 0;
  // per touchpoint
  std::vector<double> mu, sigma, dropout, dur_a, dur_b, value, entry_weight;
  std::vector<int> dur_kind, is_conversion, out_begin, out_end;
  // per transition
  std::vector<int> to;
  std::vector<double> weight, bias;
  // per persona
  std::vector<double> share, sensitivity, odds, e0, s0, value_multiplier;
  // per persona x touchpoint / transition, built once
  std::vector<double> entry_cumulative;   // running sums of entry weight x affinity
  std::vector<double> choice_weight;      // weight x affinity of the target
  std::vector<double> dropout_base;       // logit(dropout) + ln(odds)
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "retail_kernel: %s\n", what.c_str());
  std::exit(2);
}

Journey read_journey(const char* path) {
  std::ifstream in(path);
  if (!in) fail(std::string(path) + ": cannot open");
  std::string word;
  auto number = [&]() {
    if (!(in >> word)) fail(std::string(path) + ": ends too early");
    char* end = nullptr;
    const double x = std::strtod(word.c_str(), &end);
    if (*end != '\0') fail(std::string(path) + ": not a number: " + word);
    return x;
  };
  std::string magic, version;
  in >> magic >> version;
  if (magic != "cjsim-journey-tables" || version != "1") fail(std::string(path) + ": not journey tables");
  Journey j;
  j.memory = number(), j.kappa = number(), j.max_steps = long(number()), j.horizon = number();
  j.promoter_threshold = number();
  j.touchpoints = int(number()), j.transitions = int(number()), j.personas = int(number());
  for (int v = 0; v < j.touchpoints; ++v) {
    j.mu.push_back(number()), j.sigma.push_back(number()), j.dropout.push_back(number());
    j.dur_kind.push_back(int(number())), j.dur_a.push_back(number()), j.dur_b.push_back(number());
    j.value.push_back(number()), j.is_conversion.push_back(int(number()));
    j.entry_weight.push_back(number());
    j.out_begin.push_back(int(number())), j.out_end.push_back(int(number()));
  }
  for (int e = 0; e < j.transitions; ++e) {
    j.to.push_back(int(number())), j.weight.push_back(number()), j.bias.push_back(number());
  }
  std::vector<double> affinity;
  for (int p = 0; p < j.personas; ++p) {
    j.share.push_back(number()), j.sensitivity.push_back(number()), j.odds.push_back(number());
    j.e0.push_back(number()), j.s0.push_back(number()), j.value_multiplier.push_back(number());
    for (int v = 0; v < j.touchpoints; ++v) affinity.push_back(number());
  }
  // Per-persona tables: what does not depend on the agent's emotion is computed once.
  for (int p = 0; p < j.personas; ++p) {
    const double* a = &affinity[std::size_t(p) * j.touchpoints];
    double sum = 0;
    for (int v = 0; v < j.touchpoints; ++v) {
      sum += j.entry_weight[v] * a[v];
      j.entry_cumulative.push_back(sum);
      double base;
      if (j.dropout[v] >= 1) base = INFINITY;
      else if (j.dropout[v] <= 0 || j.odds[p] <= 0) base = -INFINITY;
      else base = std::log(j.dropout[v] / (1 - j.dropout[v])) + std::log(j.odds[p]);
      j.dropout_base.push_back(base);
    }
    for (int e = 0; e < j.transitions; ++e) j.choice_weight.push_back(j.weight[e] * a[j.to[e]]);
  }
  return j;
}

// xoshiro256+ (Blackman and Vigna), seeded by splitmix64 from (seed, agent).
struct Random {
  std::uint64_t s[4];
  double spare = 0;
  bool has_spare = false;

  Random(std::uint64_t seed, std::uint64_t agent) {
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ (agent + 0x632BE59BD9B4E019ull);
    for (auto& word : s) {
      std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = s[0] + s[3];
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double normal() {  // Marsaglia's polar method: two normals per accepted pair
    if (has_spare) {
      has_spare = false;
      return spare;
    }
    double u, v, q;
    do {
      u = 2 * uniform() - 1, v = 2 * uniform() - 1, q = u * u + v * v;
    } while (q >= 1 || q == 0);
    const double m = std::sqrt(-2 * std::log(q) / q);
    spare = v * m, has_spare = true;
    return u * m;
  }
  double exponential() { return -std::log1p(-uniform()); }
};

// The first index whose running sum exceeds target (the last one if rounding lands at the top).
int pick(const double* cumulative, int n, double target) {
  for (int i = 0; i < n; ++i)
    if (target < cumulative[i]) return i;
  return n - 1;
}

struct Counters {
  std::uint64_t steps = 0, conversions = 0, promoters = 0;
};

void simulate(const Journey& j, std::uint64_t seed, std::uint64_t first, std::uint64_t last,
              Counters& c) {
  std::vector<double> share_cumulative;
  double sum = 0;
  for (double s : j.share) share_cumulative.push_back(sum += s);
  std::vector<double> cumulative(16);
  for (std::uint64_t agent = first; agent < last; ++agent) {
    Random rng(seed, agent);
    const int p = pick(share_cumulative.data(), j.personas, rng.uniform() * sum);
    double e = j.e0[p] + j.s0[p] * rng.normal();
    const double* entry = &j.entry_cumulative[std::size_t(p) * j.touchpoints];
    int v = pick(entry, j.touchpoints, rng.uniform() * entry[j.touchpoints - 1]);
    double clock = 0, peak = 0;
    bool converted = false;
    for (long step = 1;; ++step) {
      ++c.steps;
      e = std::clamp(j.memory * e + j.sensitivity[p] * (j.mu[v] + j.sigma[v] * rng.normal()), -1.0, 1.0);
      if (step == 1 || std::abs(e) > std::abs(peak)) peak = e;
      if (j.dur_kind[v] == 0) clock += j.dur_a[v];
      else if (j.dur_kind[v] == 1) clock += j.dur_a[v] * rng.exponential();
      else clock += std::exp(j.dur_a[v] + j.dur_b[v] * rng.normal());
      if (clock > j.horizon) break;
      if (j.is_conversion[v]) converted = true;
      const int begin = j.out_begin[v], n = j.out_end[v] - begin;
      if (n == 0) break;
      const double x = j.dropout_base[std::size_t(p) * j.touchpoints + v] - j.kappa * e;
      if (rng.uniform() < 1 / (1 + std::exp(-x))) break;
      const double* w = &j.choice_weight[std::size_t(p) * j.transitions + begin];
      if (std::size_t(n) > cumulative.size()) cumulative.resize(n);
      double total = 0;
      for (int k = 0; k < n; ++k) {
        const double b = j.bias[begin + k];
        cumulative[k] = total += b == 0 ? w[k] : w[k] * std::exp(b * e);
      }
      const int next = j.to[begin + pick(cumulative.data(), n, rng.uniform() * total)];
      if (step >= j.max_steps) break;
      v = next;
    }
    if (converted) {
      ++c.conversions;
      if (5 * ((peak + e) / 2 + 1) >= j.promoter_threshold) ++c.promoters;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) fail("usage: retail_kernel TABLES AGENTS [THREADS] [SEED]");
  const auto start = std::chrono::steady_clock::now();
  const Journey j = read_journey(argv[1]);
  const std::uint64_t agents = std::strtoull(argv[2], nullptr, 10);
  const int threads = argc > 3 ? std::atoi(argv[3]) : 1;
  const std::uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;
  if (agents == 0 || threads < 1) fail("AGENTS and THREADS must be positive");

  std::vector<Counters> counters(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back(simulate, std::cref(j), seed, agents * t / threads,
                         agents * (t + 1) / threads, std::ref(counters[t]));
  }
  Counters total;
  for (int t = 0; t < threads; ++t) {
    workers[t].join();
    total.steps += counters[t].steps, total.conversions += counters[t].conversions;
    total.promoters += counters[t].promoters;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"agents\": %llu, \"threads\": %d, \"steps\": %llu, \"conversions\": %llu, "
      "\"promoters\": %llu, \"seconds\": %.6f, \"agent_steps_per_second\": %.1f}\n",
      (unsigned long long)agents, threads, (unsigned long long)total.steps,
      (unsigned long long)total.conversions, (unsigned long long)total.promoters, seconds,
      double(total.steps) / seconds);
}
