// What every HTML page of cjsim is made of: its charts, collected as the page is written, and
// the page template filled in (reports/html/report_template.html).
#pragma once

#include <fmt/format.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace cjsim::html_page {

using nlohmann::json;

// The charts of a page, in the order their containers appear.
class Charts {
 public:
  // The container of a new chart.
  // `extra` goes into the chart's entry beside its option: "views" (sets of series the reader
  // switches between) or "sankey" (the columns of a Sankey's nodes, to fit its labels).
  std::string add(json option, int height, const std::string& extra_class = "",
                  json extra = json::object()) {
    const std::string id = fmt::format("chart-{}", specs_.size() + 1);
    json spec = {{"id", id}, {"height", height}, {"option", std::move(option)}};
    spec.update(extra);
    specs_.push_back(std::move(spec));
    return fmt::format("<div class=\"chart{}\" id=\"{}\" style=\"height:{}px\"></div>\n",
                       extra_class.empty() ? "" : " " + extra_class, id, height);
  }
  const json& specs() const { return specs_; }
  // JSON that can sit inside a <script> element: '<', '>' and '&' only occur inside strings
  // there, where their \u escapes mean the same, and "</script>" can no longer close the element.
  std::string script_text() const {
    const std::string text = specs_.dump();
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
      if (c == '<') {
        out += "\\u003c";
      } else if (c == '>') {
        out += "\\u003e";
      } else if (c == '&') {
        out += "\\u0026";
      } else {
        out += c;
      }
    }
    return out;
  }

 private:
  json specs_ = json::array();
};

// The template with each {{name}} replaced, in one pass over the template only, so that no
// inserted text is ever searched for placeholders.
inline std::string fill(std::string_view page,
                        const std::map<std::string, std::string, std::less<>>& values) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = page.find("{{", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const auto value = values.find(page.substr(open + 2, close - open - 2));
    out += page.substr(at, open - at);
    if (value == values.end()) {
      out += page.substr(open, close + 2 - open);
    } else {
      out += value->second;
    }
    at = close + 2;
  }
  out += page.substr(at);
  return out;
}

}  // namespace cjsim::html_page
