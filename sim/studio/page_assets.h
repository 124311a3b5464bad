// The studio's page, embedded into the binary at build time (reports/html/embed_text.cmake,
// from sim/studio/page/), so that `cjsim studio` needs no files beside it.
#pragma once

#include <string>

namespace cjsim::html_assets {

std::string studio_index_html();  // sim/studio/page/index.html
std::string studio_js();          // sim/studio/page/studio.js
std::string studio_css();         // sim/studio/page/studio.css
std::string dagre_js();           // npm @dagrejs/dagre's dist/dagre.min.js (the graph's layout)

}  // namespace cjsim::html_assets
