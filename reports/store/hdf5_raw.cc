// Raw aggregates <-> arrays. Exact sums are stored as their integer limbs (least significant
// first, two's complement), so that reading back restores them to the bit.
#include "reports/store/hdf5_raw.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "reports/store/hdf5_io.h"

namespace cjsim::hdf5 {
namespace {

using Rows = std::span<const Aggregate* const>;

constexpr std::size_t kCountFields = 9;
constexpr std::size_t kSumFields = 13;
constexpr const char* kCountNames =
    "agents,steps,conversions,ended_completed,ended_dropped,ended_capped,ended_censored,"
    "promoters,detractors";
constexpr const char* kSumNames =
    "revenue,revenue_sq,cost,cost_sq,margin_sq,hours,hours_sq,hours_to_convert,"
    "hours_to_convert_sq,score,score_sq,peak_end,peak_end_sq";

// The counts and sums of OutcomeSums in the order of kCountNames and kSumNames; Sums is
// OutcomeSums or const OutcomeSums.
template <class Sums>
auto counts_of(Sums& s) {
  return std::array{&s.agents,   &s.steps,    &s.conversions, &s.ended[0],  &s.ended[1],
                    &s.ended[2], &s.ended[3], &s.promoters,   &s.detractors};
}

template <class Sums>
auto sums_of(Sums& s) {
  return std::array{&s.revenue,    &s.revenue_sq,       &s.cost,
                    &s.cost_sq,    &s.margin_sq,        &s.hours,
                    &s.hours_sq,   &s.hours_to_convert, &s.hours_to_convert_sq,
                    &s.score,      &s.score_sq,         &s.peak_end,
                    &s.peak_end_sq};
}

static_assert(std::tuple_size_v<decltype(counts_of(std::declval<OutcomeSums&>()))> == kCountFields);
static_assert(std::tuple_size_v<decltype(sums_of(std::declval<OutcomeSums&>()))> == kSumFields);
static_assert(kEndingCount == 4, "the ended_* fields name every ending");

std::string shape_text(std::span<const hsize_t> dims) {
  std::string text = "[";
  for (std::size_t k = 0; k < dims.size(); ++k) {
    text += (k ? ", " : "") + std::to_string(dims[k]);
  }
  return text + "]";
}

template <class T>
Array<T> read_shaped(const H5::Group& run, const std::string& path, std::vector<hsize_t> expected) {
  Array<T> array = read_array<T>(run, path);
  if (array.dims != expected) {
    throw std::runtime_error(path + " has shape " + shape_text(array.dims) + ", expected " +
                             shape_text(expected));
  }
  return array;
}

// Per-replication vectors laid end to end, [R, width].
template <class Get>
std::vector<std::uint64_t> rows_of(Rows replications, Get get) {
  std::vector<std::uint64_t> out;
  for (const Aggregate* a : replications) {
    const auto& row = get(*a);
    out.insert(out.end(), row.begin(), row.end());
  }
  return out;
}

void write_rows(H5::Group& raw, const std::string& name, Rows replications,
                std::size_t width, const std::vector<std::uint64_t>& values) {
  const hsize_t dims[] = {replications.size(), width};
  write_array<std::uint64_t>(raw, name, dims, values, Storage::packed);
}

void write_persona_sums(H5::Group& raw, Rows replications) {
  const std::size_t personas = replications.front()->personas.size();
  std::vector<std::uint64_t> counts, limbs;
  std::vector<std::uint8_t> invalid;
  counts.reserve(replications.size() * personas * kCountFields);
  limbs.reserve(replications.size() * personas * kSumFields * 4);
  invalid.reserve(replications.size() * personas * kSumFields);
  for (const Aggregate* a : replications) {
    for (const OutcomeSums& p : a->personas) {
      for (const std::uint64_t* c : counts_of(p)) counts.push_back(*c);
      for (const ExactSum* s : sums_of(p)) {
        limbs.insert(limbs.end(), s->limbs().begin(), s->limbs().end());
        invalid.push_back(s->invalid() ? 1 : 0);
      }
    }
  }
  const hsize_t count_dims[] = {replications.size(), personas, kCountFields};
  write_array<std::uint64_t>(raw, "persona_counts", count_dims, counts, Storage::packed);
  write_attribute(raw.openDataSet("persona_counts"), "fields", kCountNames);

  const hsize_t limb_dims[] = {replications.size(), personas, kSumFields, 4};
  write_array<std::uint64_t>(raw, "persona_sums", limb_dims, limbs, Storage::packed_limbs);
  H5::DataSet sums = raw.openDataSet("persona_sums");
  write_attribute(sums, "fields", kSumNames);
  write_attribute(sums, "encoding",
                  "256-bit two's complement fixed point, 128 fractional bits, "
                  "4 uint64 limbs least significant first");

  const hsize_t invalid_dims[] = {replications.size(), personas, kSumFields};
  write_array<std::uint8_t>(raw, "persona_sums_invalid", invalid_dims, invalid, Storage::packed);
}

// A tally of every persona of every replication laid end to end, [R, P, width].
template <class T>
std::vector<T> tally_rows(Rows replications,
                          const std::vector<T> TouchpointTallies::*member) {
  std::vector<T> out;
  out.reserve(replications.size() * replications.front()->persona_tallies.size() *
              (replications.front()->persona_tallies.front().*member).size());
  for (const Aggregate* a : replications) {
    for (const TouchpointTallies& t : a->persona_tallies) {
      out.insert(out.end(), (t.*member).begin(), (t.*member).end());
    }
  }
  return out;
}

void write_tally(H5::Group& raw, const std::string& name, Rows replications,
                 const std::vector<std::uint64_t> TouchpointTallies::*member) {
  const TouchpointTallies& first = replications.front()->persona_tallies.front();
  const hsize_t dims[] = {replications.size(), replications.front()->persona_tallies.size(),
                          (first.*member).size()};
  write_array<std::uint64_t>(raw, name, dims, tally_rows(replications, member), Storage::packed);
}

// BoundedSum: a 128-bit two's complement integer scaled by 2^-62, as 2 uint64 halves (low
// first), [R, P, n, 2].
void write_bounded(H5::Group& raw, const std::string& name, Rows replications,
                   const std::vector<BoundedSum> TouchpointTallies::*member) {
  const TouchpointTallies& first = replications.front()->persona_tallies.front();
  std::vector<std::uint64_t> halves;
  halves.reserve(2 * replications.size() * replications.front()->persona_tallies.size() *
                 (first.*member).size());
  for (const Aggregate* a : replications) {
    for (const TouchpointTallies& t : a->persona_tallies) {
      for (const BoundedSum& s : t.*member) {
        const auto bits = static_cast<uint128>(s.raw());
        halves.push_back(static_cast<std::uint64_t>(bits));
        halves.push_back(static_cast<std::uint64_t>(bits >> 64));
      }
    }
  }
  const hsize_t dims[] = {replications.size(), replications.front()->persona_tallies.size(),
                          (first.*member).size(), 2};
  write_array<std::uint64_t>(raw, name, dims, halves, Storage::packed_limbs);
  write_attribute(raw.openDataSet(name), "encoding",
                  "128-bit two's complement fixed point, 62 fractional bits, "
                  "2 uint64 halves least significant first");
}

// The split of dropouts by whether the agent had converted: raw/persona_left_after_converting
// [R, P] and raw/dropouts_after_converting [R, P, T]. Written only when known; results of a
// cjsim before them lack both, and read back with the split unknown.
void write_split(H5::Group& raw, Rows replications) {
  for (const Aggregate* a : replications) {
    if (!a->split_known()) return;
  }
  std::vector<std::uint64_t> left;
  for (const Aggregate* a : replications) {
    for (const OutcomeSums& p : a->personas) left.push_back(p.left_after_converting);
  }
  const hsize_t dims[] = {replications.size(), replications.front()->personas.size()};
  write_array<std::uint64_t>(raw, "persona_left_after_converting", dims, left, Storage::packed);
  write_attribute(raw.openDataSet("persona_left_after_converting"), "note",
                  "journeys that ended dropped after the agent converted; the others of "
                  "persona_counts' ended_dropped gave up before converting");
  write_tally(raw, "dropouts_after_converting", replications,
              &TouchpointTallies::dropouts_after_converting);
}

// Agents lost at an entry a future state removed (MODEL.md 1.11): raw/persona_lost [R, P],
// written only when there are some, so that other results keep their files as they were.
void write_lost(H5::Group& raw, Rows replications) {
  std::vector<std::uint64_t> lost;
  std::uint64_t any = 0;
  for (const Aggregate* a : replications) {
    for (const OutcomeSums& p : a->personas) {
      lost.push_back(p.lost);
      any += p.lost;
    }
  }
  if (any == 0) return;
  const hsize_t dims[] = {replications.size(), replications.front()->personas.size()};
  write_array<std::uint64_t>(raw, "persona_lost", dims, lost, Storage::packed);
  write_attribute(raw.openDataSet("persona_lost"), "note",
                  "agents whose entry draw picked an entry the future state removed with its "
                  "traffic lost; counted in agents, in none of the ended_* counts");
}

void read_lost(const H5::Group& run, std::vector<Aggregate>& out) {
  if (!has_link(run, "raw/persona_lost")) return;
  const auto lost =
      read_shaped<std::uint64_t>(run, "raw/persona_lost", {out.size(), out.front().personas.size()});
  std::size_t k = 0;
  for (Aggregate& a : out) {
    for (OutcomeSums& p : a.personas) {
      p.lost = lost.values[k++];
      if (p.lost > p.agents) throw std::runtime_error("raw/persona_lost counts more than agents");
    }
  }
}

void read_persona_sums(const H5::Group& run, std::vector<Aggregate>& out) {
  const auto counts = read_array<std::uint64_t>(run, "raw/persona_counts");
  if (counts.dims.size() != 3 || counts.dims[2] != kCountFields) {
    throw std::runtime_error("raw/persona_counts has shape " + shape_text(counts.dims) +
                             ", expected [R, P, " + std::to_string(kCountFields) + "]");
  }
  const std::size_t replications = counts.dims[0], personas = counts.dims[1];
  const auto limbs =
      read_shaped<std::uint64_t>(run, "raw/persona_sums", {replications, personas, kSumFields, 4});
  const auto invalid = read_shaped<std::uint8_t>(run, "raw/persona_sums_invalid",
                                                 {replications, personas, kSumFields});
  out.resize(replications);
  std::size_t c = 0, s = 0;
  for (Aggregate& a : out) {
    a.personas.resize(personas);
    for (OutcomeSums& p : a.personas) {
      for (std::uint64_t* field : counts_of(p)) *field = counts.values[c++];
      for (ExactSum* field : sums_of(p)) {
        std::array<std::uint64_t, 4> l;
        std::copy_n(limbs.values.begin() + static_cast<std::ptrdiff_t>(4 * s), 4, l.begin());
        *field = ExactSum::from_limbs(l, invalid.values[s] != 0);
        ++s;
      }
    }
  }
}

// Reads raw/<name> of shape [R, width], width taken from the file when `width` is 0.
Array<std::uint64_t> read_rows(const H5::Group& run, const std::string& name,
                               std::size_t replications, std::size_t width) {
  const std::string path = "raw/" + name;
  Array<std::uint64_t> array = read_array<std::uint64_t>(run, path);
  if (array.dims.size() == 2 && array.dims[0] == replications &&
      (width == 0 || array.dims[1] == width)) {
    return array;
  }
  throw std::runtime_error(path + " has shape " + shape_text(array.dims) + ", expected [" +
                           std::to_string(replications) + ", " +
                           (width ? std::to_string(width) : std::string("n")) + "]");
}

template <class Row>
void scatter_rows(const Array<std::uint64_t>& array, std::vector<Aggregate>& out, Row row) {
  const std::size_t width = array.dims[1];
  for (std::size_t r = 0; r < out.size(); ++r) {
    auto& target = row(out[r]);
    if constexpr (requires { target.resize(width); }) target.resize(width);
    const auto first = array.values.begin() + static_cast<std::ptrdiff_t>(r * width);
    std::copy(first, first + static_cast<std::ptrdiff_t>(width), target.begin());
  }
}

// Reads raw/<name> of shape [R, P, width] (width from the file when 0) into every persona's
// tally; returns the width.
std::size_t read_tally(const H5::Group& run, const std::string& name, std::size_t width,
                       std::vector<Aggregate>& out,
                       std::vector<std::uint64_t> TouchpointTallies::*member) {
  const std::string path = "raw/" + name;
  const std::size_t personas = out.front().personas.size();
  const Array<std::uint64_t> array = read_array<std::uint64_t>(run, path);
  if (array.dims.size() != 3 || array.dims[0] != out.size() || array.dims[1] != personas ||
      (width != 0 && array.dims[2] != width)) {
    throw std::runtime_error(path + " has shape " + shape_text(array.dims) + ", expected [" +
                             std::to_string(out.size()) + ", " + std::to_string(personas) + ", " +
                             (width ? std::to_string(width) : std::string("n")) + "]");
  }
  width = array.dims[2];
  auto next = array.values.begin();
  for (Aggregate& a : out) {
    for (TouchpointTallies& t : a.persona_tallies) {
      (t.*member).assign(next, next + static_cast<std::ptrdiff_t>(width));
      next += static_cast<std::ptrdiff_t>(width);
    }
  }
  return width;
}

void read_split(const H5::Group& run, std::size_t touchpoints, std::vector<Aggregate>& out) {
  const bool has_left = has_link(run, "raw/persona_left_after_converting");
  const bool has_tally = has_link(run, "raw/dropouts_after_converting");
  if (has_left != has_tally) {
    throw std::runtime_error(
        std::string("raw/") +
        (has_left ? "dropouts_after_converting" : "persona_left_after_converting") +
        " is missing, though its companion is there");
  }
  if (!has_left) {
    for (Aggregate& a : out) {
      for (OutcomeSums& p : a.personas) p.split_known = false;
      for (TouchpointTallies& t : a.persona_tallies) {
        t.dropouts_after_converting.assign(touchpoints, 0);
        t.split_known = false;
      }
    }
    return;
  }
  const auto left = read_shaped<std::uint64_t>(run, "raw/persona_left_after_converting",
                                               {out.size(), out.front().personas.size()});
  std::size_t k = 0;
  for (Aggregate& a : out) {
    for (OutcomeSums& p : a.personas) {
      p.left_after_converting = left.values[k++];
      if (p.left_after_converting > p.ended[static_cast<int>(Ending::dropped)]) {
        throw std::runtime_error(
            "raw/persona_left_after_converting counts more journeys than ended dropped");
      }
    }
  }
  read_tally(run, "dropouts_after_converting", touchpoints, out,
             &TouchpointTallies::dropouts_after_converting);
  for (const Aggregate& a : out) {
    for (const TouchpointTallies& t : a.persona_tallies) {
      for (std::size_t v = 0; v < touchpoints; ++v) {
        if (t.dropouts_after_converting[v] > t.dropouts[v]) {
          throw std::runtime_error(
              "raw/dropouts_after_converting counts more journeys than raw/dropouts");
        }
      }
    }
  }
}

void read_bounded(const H5::Group& run, const std::string& name, std::size_t touchpoints,
                  std::vector<Aggregate>& out,
                  std::vector<BoundedSum> TouchpointTallies::*member) {
  const auto halves = read_shaped<std::uint64_t>(
      run, "raw/" + name, {out.size(), out.front().personas.size(), touchpoints, 2});
  std::size_t k = 0;
  for (Aggregate& a : out) {
    for (TouchpointTallies& t : a.persona_tallies) {
      (t.*member).resize(touchpoints);
      for (BoundedSum& s : t.*member) {
        const uint128 bits =
            (static_cast<uint128>(halves.values[k + 1]) << 64) | halves.values[k];
        s = BoundedSum::from_raw(static_cast<int128>(bits));
        k += 2;
      }
    }
  }
}

}  // namespace

void write_raw_aggregates(H5::Group& run, Rows replications) {
  if (replications.empty()) throw std::logic_error("a run has at least one replication");
  H5::Group raw = run.createGroup("raw");
  write_attribute(raw, "note",
                  "Aggregates of each replication, exact; the first dimension is the "
                  "replication. The tables at the run's level are computed from these.");
  write_persona_sums(raw, replications);
  const Aggregate& first = *replications.front();
  using Vec = std::vector<std::uint64_t>;
  using T = TouchpointTallies;
  for (auto [name, member] : {std::pair{"visits", &T::visits}, {"dropouts", &T::dropouts},
                              {"completions", &T::completions}, {"conversions", &T::conversions},
                              {"stage_reach", &T::stage_reach}}) {
    write_tally(raw, name, replications, member);
  }
  write_split(raw, replications);
  write_lost(raw, replications);
  write_bounded(raw, "emotion", replications, &T::emotion);
  write_bounded(raw, "emotion_sq", replications, &T::emotion_sq);
  write_rows(raw, "transitions", replications, first.transitions.size(),
             rows_of(replications, [](const Aggregate& a) -> const Vec& { return a.transitions; }));
  write_rows(raw, "score_customers", replications, kScoreBins,
             rows_of(
                 replications, [](const Aggregate& a) -> auto& { return a.score_customers; }));
  write_rows(raw, "score_all", replications, kScoreBins,
             rows_of(
                 replications, [](const Aggregate& a) -> auto& { return a.score_all; }));
  write_rows(raw, "path_length", replications, kPathLengthBins,
             rows_of(
                 replications, [](const Aggregate& a) -> auto& { return a.path_length; }));
}

void write_raw_aggregates(H5::Group& run, std::span<const Aggregate> replications) {
  std::vector<const Aggregate*> rows;
  rows.reserve(replications.size());
  for (const Aggregate& a : replications) rows.push_back(&a);
  write_raw_aggregates(run, Rows(rows));
}

std::vector<Aggregate> read_raw_aggregates(const H5::Group& run) {
  std::vector<Aggregate> out;
  read_persona_sums(run, out);
  const std::size_t replications = out.size();
  if (replications == 0) throw std::runtime_error("raw/persona_counts holds no replication");
  for (Aggregate& a : out) a.persona_tallies.resize(a.personas.size());
  using T = TouchpointTallies;
  const std::size_t touchpoints = read_tally(run, "visits", 0, out, &T::visits);
  for (auto [name, member] : {std::pair{"dropouts", &T::dropouts},
                              {"completions", &T::completions}, {"conversions", &T::conversions}}) {
    read_tally(run, name, touchpoints, out, member);
  }
  read_tally(run, "stage_reach", 0, out, &T::stage_reach);
  read_split(run, touchpoints, out);
  read_lost(run, out);
  read_bounded(run, "emotion", touchpoints, out, &T::emotion);
  read_bounded(run, "emotion_sq", touchpoints, out, &T::emotion_sq);
  scatter_rows(
      read_rows(run, "transitions", replications, 0), out,
      [](Aggregate & a) -> auto& { return a.transitions; });
  scatter_rows(
      read_rows(run, "score_customers", replications, kScoreBins), out,
      [](Aggregate & a) -> auto& { return a.score_customers; });
  scatter_rows(
      read_rows(run, "score_all", replications, kScoreBins), out,
      [](Aggregate & a) -> auto& { return a.score_all; });
  scatter_rows(
      read_rows(run, "path_length", replications, kPathLengthBins), out,
      [](Aggregate & a) -> auto& { return a.path_length; });
  return out;
}

}  // namespace cjsim::hdf5
