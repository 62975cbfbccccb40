#pragma once
// Typed parameters that compiled scenarios (taskgroup, producer-consumer)
// share: a whole number in a range, seconds in a range, a switch, one of a
// few words; their values read back; and the Python twin's indentation.
#include "asyncdemo/teach/scenario_kit.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace asyncdemo::typed_params {

inline Param whole_param(std::string name, std::string help, int value, int min, int max) {
  return Param{
      .name = name,
      .help = std::move(help),
      .default_value = std::to_string(value),
      .check = [name, min, max](std::string_view v) -> std::string {
        const auto n = parse_whole(v);
        if (n && *n >= min && *n <= max) return {};
        return fmt::format("{} is not a whole number from {} to {}; e.g. --{}={}", quote(v), min,
                           max, name, min + 1);
      },
      .kind = "N",
  };
}

inline Param seconds_param(std::string name, std::string help, std::string value, double max) {
  return Param{
      .name = name,
      .help = std::move(help),
      .default_value = std::move(value),
      .check = [name, max](std::string_view v) -> std::string {
        const auto x = parse_number(v);
        if (x && *x >= 0 && *x <= max) return {};
        return fmt::format("{} is not a number of seconds from 0 to {:g}; e.g. --{}=0.5", quote(v),
                           max, name);
      },
      .kind = "SECONDS",
  };
}

inline Param flag_param(std::string name, std::string help) {
  return Param{
      .name = name,
      .help = std::move(help),
      .default_value = "false",
      .check = [name](std::string_view v) -> std::string {
        if (v == "true" || v == "false") return {};
        return fmt::format("{} is not true or false; use --{} alone to switch it on", quote(v),
                           name);
      },
      .flag = true,
      .kind = "",
  };
}

// One of a few words (the first is the default), with "did you mean".
inline Param choice_param(std::string name, std::vector<std::string> words, std::string help) {
  std::string first = words.front();
  return Param{
      .name = name,
      .help = std::move(help),
      .default_value = std::move(first),
      .check = [words = std::move(words)](std::string_view v) -> std::string {
        if (std::find(words.begin(), words.end(), v) != words.end()) return {};
        const auto near = closest(v, words);
        return fmt::format("{} is not one of {}{}", quote(v), fmt::join(words, ", "),
                           near ? fmt::format(" (did you mean '{}'?)", *near) : std::string());
      },
      .kind = "NAME",
  };
}

// The text, each line indented by `spaces`.
inline std::string indented(std::string_view text, std::size_t spaces) {
  std::string out;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const auto line = text.substr(0, eol);
    out += (line.empty() ? std::string() : std::string(spaces, ' ')) + std::string(line) + "\n";
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  return out;
}

inline bool flag(const Context& ctx, const std::string& name) {
  return ctx.params.get(name) == "true";
}
inline int whole(const Context& ctx, const std::string& name) {
  return static_cast<int>(*parse_whole(ctx.params.get(name)));
}
inline double number(const Context& ctx, const std::string& name) {
  return *parse_number(ctx.params.get(name));
}

} // namespace asyncdemo::typed_params
