// Shared observed-data options.
#include "sim/cli/observed_flags.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <set>
#include <vector>

#include "sim/cli/commands.h"

namespace cjsim {

namespace {

// An option naming a column; that it was given is recorded in `given`, for the reader to
// require the column and to refuse the option where the format has no use for it.
void column_option(CLI::App& command, const std::string& name, std::string& column,
                   const std::string& help, std::set<std::string, std::less<>>& given) {
  command.add_option(name, column, help)
      ->capture_default_str()
      ->each([&given, name](const std::string&) { given.insert(name); });
}

}  // namespace

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
  column_option(command, "--customer-column", e.customer, "Event logs: the customer column",
                e.given);
  column_option(command, "--timestamp-column", e.timestamp,
                "Event logs: the timestamp column (epoch seconds or ISO 8601)", e.given);
  column_option(command, "--touchpoint-column", e.touchpoint, "Event logs: the touchpoint column",
                e.given);
  column_option(command, "--channel-column", e.channel, "Event logs: the channel column, if any",
                e.given);
  column_option(command, "--stage-column", e.stage, "Event logs: the stage column, if any",
                e.given);
  column_option(command, "--value-column", e.value,
                "Event logs: the conversion value column, if any", e.given);
  column_option(command, "--converted-column", e.converted,
                "Event logs: the converted (true/false) column, if any", e.given);
  column_option(command, "--segment-column", e.segment,
                "Event logs: the segment or persona column, if any (fit: each segment is fitted "
                "as a persona of its own numbers)",
                e.given);
  command
      .add_option("--conversion-touchpoint", e.conversion_touchpoints,
                  "Event logs and XES: a touchpoint every visit to which is a conversion "
                  "(repeat for several)")
      ->each([&e](const std::string&) { e.given.insert("--conversion-touchpoint"); });
  column_option(command, "--lifecycle-column", e.lifecycle,
                "Event logs and XES: the lifecycle transition column (attribute), for --lifecycle",
                e.given);
  command
      .add_option("--lifecycle", e.lifecycles,
                  "Event logs and XES: keep only events of this lifecycle transition (repeat for "
                  "several; any case), e.g. complete for one visit per activity where a log "
                  "records schedule, start and complete; an event with none counts as complete")
      ->each([&e](const std::string&) { e.given.insert("--lifecycle"); });
  command
      .add_option("--activity", e.activities,
                  "Event logs and XES: keep only visits to touchpoints (activities) matching this "
                  "shell pattern, e.g. 'A_*' (repeat for several; after --classifier)")
      ->each([&e](const std::string&) { e.given.insert("--activity"); });
  command
      .add_option("--exclude-activity", e.excluded_activities,
                  "Event logs and XES: leave out visits to touchpoints (activities) matching this "
                  "shell pattern, e.g. 'W_*' (repeat for several)")
      ->each([&e](const std::string&) { e.given.insert("--exclude-activity"); });
  command.add_option_function<std::string>(
      "--classifier",
      [&e](const std::string& text) {
        e.classifier = classifier_keys(text);
        e.given.insert("--classifier");
      },
      "Event logs and XES: the columns (attributes) whose values, joined by '+', name the "
      "touchpoint, as an XES classifier (concept:name+lifecycle:transition); default the "
      "touchpoint column (XES: concept:name)");
  PathTableColumns& p = o.paths;
  column_option(command, "--path-column", p.path, "Path tables: the path column", p.given);
  column_option(command, "--conversions-column", p.conversions, "Path tables: conversions per path",
                p.given);
  column_option(command, "--conversion-value-column", p.value,
                "Path tables: conversion value per path, if any", p.given);
  column_option(command, "--null-column", p.nulls,
                "Path tables: customers per path who did not convert, if any", p.given);
  column_option(command, "--path-separator", p.separator,
                "Path tables: what separates the channels of a path", p.given);
}

}  // namespace cjsim
