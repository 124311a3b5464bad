// Agent records <-> the `agents` compound table, written and read in blocks so that memory
// for the rows does not double with millions of agents; paths as two flat arrays.
#include "reports/store/hdf5_agents.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/store/hdf5_io.h"

namespace cjsim::hdf5 {
namespace {

// One row of the table in memory; the file holds the same members, packed, in this order.
struct AgentRow {
  std::uint32_t replication;
  std::uint64_t agent;
  std::uint32_t persona;  // index into persona_ids
  std::uint32_t entry;    // index into touchpoint_ids
  std::uint32_t last;     // index into touchpoint_ids
  std::uint8_t ending;    // HDF5 enum: completed, dropped, capped, censored
  std::uint8_t converted;
  std::uint32_t steps;
  double final_emotion;
  double peak_emotion;
  double peak_end;
  double likelihood_to_recommend;
  double hours;
  double hours_to_convert;
  double revenue;
  double cost;
};

H5::EnumType ending_type() {
  H5::EnumType type{H5::IntType(H5::PredType::NATIVE_UINT8)};
  for (int k = 0; k < kEndingCount; ++k) {
    std::uint8_t value = static_cast<std::uint8_t>(k);
    type.insert(std::string(kEndingNames[k]), &value);
  }
  return type;
}

H5::CompType row_type() {
  H5::CompType type(sizeof(AgentRow));
  const auto u32 = H5::PredType::NATIVE_UINT32;
  const auto f64 = H5::PredType::NATIVE_DOUBLE;
  type.insertMember("replication", offsetof(AgentRow, replication), u32);
  type.insertMember("agent", offsetof(AgentRow, agent), H5::PredType::NATIVE_UINT64);
  type.insertMember("persona", offsetof(AgentRow, persona), u32);
  type.insertMember("entry", offsetof(AgentRow, entry), u32);
  type.insertMember("last", offsetof(AgentRow, last), u32);
  type.insertMember("ending", offsetof(AgentRow, ending), ending_type());
  type.insertMember("converted", offsetof(AgentRow, converted), H5::PredType::NATIVE_UINT8);
  type.insertMember("steps", offsetof(AgentRow, steps), u32);
  type.insertMember("final_emotion", offsetof(AgentRow, final_emotion), f64);
  type.insertMember("peak_emotion", offsetof(AgentRow, peak_emotion), f64);
  type.insertMember("peak_end", offsetof(AgentRow, peak_end), f64);
  type.insertMember("likelihood_to_recommend", offsetof(AgentRow, likelihood_to_recommend), f64);
  type.insertMember("hours", offsetof(AgentRow, hours), f64);
  type.insertMember("hours_to_convert", offsetof(AgentRow, hours_to_convert), f64);
  type.insertMember("revenue", offsetof(AgentRow, revenue), f64);
  type.insertMember("cost", offsetof(AgentRow, cost), f64);
  return type;
}

AgentRow row_of(const AgentRecord& record) {
  const AgentOutcome& o = record.outcome;
  AgentRow row;
  row.replication = record.replication;
  row.agent = record.agent;
  row.persona = o.persona;
  row.entry = o.entry;
  row.last = o.last;
  row.ending = static_cast<std::uint8_t>(o.ending);
  row.converted = o.converted ? 1 : 0;
  row.steps = o.steps;
  row.final_emotion = o.final_emotion;
  row.peak_emotion = o.peak_emotion;
  row.peak_end = o.peak_end;
  row.likelihood_to_recommend = o.likelihood_to_recommend;
  row.hours = o.hours;
  row.hours_to_convert = o.hours_to_convert;
  row.revenue = o.revenue;
  row.cost = o.cost;
  return row;
}

AgentRecord record_of(const AgentRow& row) {
  if (row.ending >= kEndingCount && row.ending != static_cast<std::uint8_t>(Ending::lost)) {
    throw std::runtime_error("agents: ending " + std::to_string(row.ending) + " is not known");
  }
  AgentRecord record;
  record.replication = row.replication;
  record.agent = row.agent;
  AgentOutcome& o = record.outcome;
  o.persona = row.persona;
  o.entry = row.entry;
  o.last = row.last;
  o.ending = static_cast<Ending>(row.ending);
  o.converted = row.converted != 0;
  o.steps = row.steps;
  o.final_emotion = row.final_emotion;
  o.peak_emotion = row.peak_emotion;
  o.peak_end = row.peak_end;
  o.likelihood_to_recommend = row.likelihood_to_recommend;
  o.hours = row.hours;
  o.hours_to_convert = row.hours_to_convert;
  o.revenue = row.revenue;
  o.cost = row.cost;
  return record;
}

// Rows per read or write: a whole number of chunks, about 8 MiB of rows in memory.
hsize_t block_rows(const H5::DataSet& dataset) {
  const H5::DSetCreatPropList properties = dataset.getCreatePlist();
  hsize_t chunk = 1 << 16;
  if (properties.getLayout() == H5D_CHUNKED) properties.getChunk(1, &chunk);
  chunk = std::clamp<hsize_t>(chunk, 1, hsize_t{1} << 20);  // whatever a damaged file claims
  return chunk * std::max<hsize_t>(1, (hsize_t{8} << 20) / (chunk * sizeof(AgentRow)));
}

void write_agent_table(H5::Group& run, const std::vector<AgentRecord>& records) {
  const H5::CompType memory = row_type();
  H5::CompType file;
  file.copy(memory);
  file.pack();
  const hsize_t dims[] = {records.size()};
  const H5::DSetCreatPropList layout =
      records.empty() ? H5::DSetCreatPropList::DEFAULT : compressed_layout(dims, file.getSize());
  H5::DataSet dataset = run.createDataSet("agents", file, H5::DataSpace(1, dims), layout);
  const hsize_t block = block_rows(dataset);
  std::vector<AgentRow> rows;
  for (hsize_t first = 0; first < records.size(); first += block) {
    const hsize_t count = std::min<hsize_t>(block, records.size() - first);
    rows.clear();
    for (hsize_t k = first; k < first + count; ++k) rows.push_back(row_of(records[k]));
    H5::DataSpace file_space = dataset.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &first);
    dataset.write(rows.data(), memory, H5::DataSpace(1, &count), file_space);
  }
}

std::vector<AgentRecord> read_agent_table(const H5::Group& run) {
  const H5::DataSet dataset = open_dataset(run, "agents");
  const std::vector<hsize_t> dims =
      checked_dimensions(dataset, "agents", H5T_COMPOUND, sizeof(AgentRow));
  if (dims.size() != 1) throw std::runtime_error("agents is not a 1-D table");
  const H5::CompType memory = row_type();
  const hsize_t block = block_rows(dataset);
  std::vector<AgentRecord> records;
  records.reserve(dims[0]);
  std::vector<AgentRow> rows;
  for (hsize_t first = 0; first < dims[0]; first += block) {
    const hsize_t count = std::min<hsize_t>(block, dims[0] - first);
    rows.resize(count);
    H5::DataSpace file_space = dataset.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, &count, &first);
    dataset.read(rows.data(), memory, H5::DataSpace(1, &count), file_space);
    for (const AgentRow& row : rows) records.push_back(record_of(row));
  }
  return records;
}

void write_paths(H5::Group& run, const AgentDetail& detail) {
  if (detail.path_offsets.size() != detail.records.size() + 1) {
    throw std::logic_error("agent paths: " + std::to_string(detail.path_offsets.size()) +
                           " offsets for " + std::to_string(detail.records.size()) + " agents");
  }
  H5::Group paths = run.createGroup("agent_paths");
  write_attribute(paths, "note",
                  "The touchpoints (indices into touchpoint_ids) of row k of the agents table "
                  "are touchpoints[offsets[k]:offsets[k+1]].");
  const hsize_t offset_dims[] = {detail.path_offsets.size()};
  write_array<std::uint64_t>(paths, "offsets", offset_dims, detail.path_offsets,
                             Storage::compressed);
  const hsize_t touchpoint_dims[] = {detail.path_touchpoints.size()};
  write_array<std::uint32_t>(paths, "touchpoints", touchpoint_dims, detail.path_touchpoints,
                             Storage::compressed);
}

void read_paths(const H5::Group& run, AgentDetail& detail) {
  auto offsets = read_array<std::uint64_t>(run, "agent_paths/offsets");
  auto touchpoints = read_array<std::uint32_t>(run, "agent_paths/touchpoints");
  if (offsets.dims.size() != 1 || offsets.values.size() != detail.records.size() + 1) {
    throw std::runtime_error("agent_paths/offsets does not have one more entry than agents");
  }
  if (offsets.values.front() != 0 || offsets.values.back() != touchpoints.values.size() ||
      !std::is_sorted(offsets.values.begin(), offsets.values.end())) {
    throw std::runtime_error("agent_paths/offsets do not index agent_paths/touchpoints");
  }
  detail.path_offsets = std::move(offsets.values);
  detail.path_touchpoints = std::move(touchpoints.values);
}

}  // namespace

void write_agent_detail(H5::Group& run, const AgentDetail& detail) {
  write_agent_table(run, detail.records);
  if (detail.path_offsets.empty()) return;
  write_paths(run, detail);
}

std::optional<AgentDetail> read_agent_detail(const H5::Group& run) {
  if (!has_link(run, "agents")) return std::nullopt;
  AgentDetail detail;
  detail.records = read_agent_table(run);
  if (has_link(run, "agent_paths")) read_paths(run, detail);
  return detail;
}

}  // namespace cjsim::hdf5
