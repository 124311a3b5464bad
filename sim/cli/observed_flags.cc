// Shared observed-data options.
#include "sim/cli/observed_flags.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <vector>

#include "sim/cli/commands.h"

namespace cjsim {

void add_observed_data_flags(CLI::App& command, ObservedReadOptions& o, bool* funnel) {
  const std::map<std::string, ObservedFormat> formats{{"auto", ObservedFormat::automatic},
                                                      {"events", ObservedFormat::event_log},
                                                      {"paths", ObservedFormat::path_table},
                                                      {"xes", ObservedFormat::xes}};
  std::vector<std::string> names{"auto", "events", "paths", "xes"};
  std::string help =
      "The data's kind: events (one CSV row per visit), paths (one CSV row per path with "
      "counts), xes";
  if (funnel) {
    names.push_back("funnel");
    help += ", funnel (customers reaching each step, CSV)";
  }
  help += "; auto tells them apart by name and header";
  command
      .add_option_function<std::string>(
          "--format",
          [&o, funnel, formats](const std::string& name) {
            if (funnel) *funnel = name == "funnel";
            if (const auto it = formats.find(name); it != formats.end()) o.format = it->second;
          },
          help)
      ->transform(CLI::IsMember(names, CLI::ignore_case))
      ->default_str("auto");
  EventLogColumns& e = o.events;
  command.add_option("--customer-column", e.customer, "Event logs: the customer column")
      ->capture_default_str();
  command
      .add_option("--timestamp-column", e.timestamp,
                  "Event logs: the timestamp column (epoch seconds or ISO 8601)")
      ->capture_default_str();
  command.add_option("--touchpoint-column", e.touchpoint, "Event logs: the touchpoint column")
      ->capture_default_str();
  command.add_option("--channel-column", e.channel, "Event logs: the channel column, if any")
      ->capture_default_str();
  command.add_option("--stage-column", e.stage, "Event logs: the stage column, if any")
      ->capture_default_str();
  command.add_option("--value-column", e.value, "Event logs: the conversion value column, if any")
      ->capture_default_str();
  command
      .add_option("--converted-column", e.converted,
                  "Event logs: the converted (true/false) column, if any")
      ->capture_default_str();
  command
      .add_option("--segment-column", e.segment,
                  "Event logs: the segment or persona column, if any")
      ->capture_default_str();
  command.add_option("--conversion-touchpoint", e.conversion_touchpoints,
                     "Event logs and XES: a touchpoint every visit to which is a conversion "
                     "(repeat for several)");
  PathTableColumns& p = o.paths;
  command.add_option("--path-column", p.path, "Path tables: the path column")
      ->capture_default_str();
  command.add_option("--conversions-column", p.conversions, "Path tables: conversions per path")
      ->capture_default_str();
  command
      .add_option("--conversion-value-column", p.value,
                  "Path tables: conversion value per path, if any")
      ->capture_default_str();
  command
      .add_option("--null-column", p.nulls,
                  "Path tables: customers per path who did not convert, if any")
      ->capture_default_str();
  command
      .add_option("--path-separator", p.separator,
                  "Path tables: what separates the channels of a path")
      ->capture_default_str();
}

ObservedJourneys load_observed_for_command(const std::string& path,
                                           const ObservedReadOptions& options) {
  Diagnostics diagnostics;
  std::optional<ObservedJourneys> data = read_observed_file(path, options, diagnostics);
  std::cerr << diagnostics.to_string();
  if (!data) {
    std::cerr << fmt::format("cjsim: {}: {}, nothing was done\n", path,
                             counted(diagnostics.error_count(), "error"));
    throw ReportedError(kExitBadInput);
  }
  return std::move(*data);
}

}  // namespace cjsim
