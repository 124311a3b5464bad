// Counting yaml-cpp's parser events with a bound.
#include "scenarios/yaml_guard.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace cjsim {
namespace {

class EventLimit final : public YAML::EventHandler {
 public:
  explicit EventLimit(std::size_t bytes) : limit_(4 * bytes + 64) {}

  void OnDocumentStart(const YAML::Mark& mark) override { count(mark); }
  void OnDocumentEnd() override { count(last_); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    count(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnSequenceEnd() override { count(last_); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    count(mark);
  }
  void OnMapEnd() override { count(last_); }

 private:
  void count(const YAML::Mark& mark) {
    last_ = mark;
    if (++events_ > limit_) throw YamlRunaway{mark};
  }
  std::size_t limit_;
  std::size_t events_ = 0;
  YAML::Mark last_ = YAML::Mark::null_mark();
};

}  // namespace

void check_yaml_event_count(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  EventLimit limit(text.size());
  while (parser.HandleNextDocument(limit)) {
  }
}

}  // namespace cjsim
