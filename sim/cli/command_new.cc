// `cjsim new NAME.yaml`: a commented starting journey (five stages from awareness to advocacy,
// a few touchpoints, two personas) that validates and runs as it is.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>

#include "scenarios/starter.h"
#include "sim/cli/commands.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

struct NewOptions {
  std::string file;
  std::string name;
  bool force = false;
};

// "my_bank-journey.yaml" -> "My bank journey".
std::string name_from_file(const std::string& file) {
  std::string name = std::filesystem::path(file).stem().string();
  for (char& c : name) {
    if (c == '_' || c == '-') c = ' ';
  }
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name.empty() ? "My journey" : name;
}

int new_command(const NewOptions& o) {
  if (!o.file.ends_with(".yaml") && !o.file.ends_with(".yml")) {
    throw std::runtime_error(fmt::format("{}: a journey file's name ends in .yaml or .yml", o.file));
  }
  CommandOutputs outputs(overwrite_if(o.force));
  PendingFile& file = outputs.add("FILE", o.file);
  file.write(starter_journey_yaml(o.name.empty() ? name_from_file(o.file) : o.name, o.file));
  commit_and_announce(outputs);
  std::cerr << fmt::format("cjsim: edit it, then: cjsim validate {0} && cjsim run {0}\n", o.file);
  return 0;
}

}  // namespace

CommandAction add_new_command(CLI::App& command) {
  auto o = std::make_shared<NewOptions>();
  command.add_option("file", o->file, "The journey file to write (NAME.yaml)")
      ->required()
      ->check(file_name_check());
  command.add_option("--name", o->name, "The journey's name (default: from the file's name)");
  command.add_flag("-f,--force", o->force, "Overwrite the file if it exists");
  return [o](const Context&) { return new_command(*o); };
}

}  // namespace cjsim
