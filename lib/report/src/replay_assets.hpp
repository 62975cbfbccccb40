#pragma once
// The --html page's parts (lib/report/replay/), embedded at build time by
// cmake/EmbedText.cmake.
#include <string_view>

namespace asyncdemo::assets {
extern const std::string_view page_html;
extern const std::string_view style_css;
extern const std::string_view replay_js;
} // namespace asyncdemo::assets
