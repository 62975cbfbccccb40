#include "asyncdemo/mode.hpp"

namespace asyncdemo {

std::string_view to_string(Mode m) noexcept {
  switch (m) {
  case Mode::sync:
    return "sync";
  case Mode::await_:
    return "await";
  case Mode::create_task:
    return "create_task";
  case Mode::gather:
    return "gather";
  case Mode::as_completed:
    return "as_completed";
  case Mode::threads:
    return "threads";
  }
  return "?";
}

std::optional<Mode> parse_mode(std::string_view text) noexcept {
  std::string name(text);
  for (auto& c : name)
    if (c == '-') c = '_';
  for (auto m : every_mode)
    if (to_string(m) == name) return m;
  if (name == to_string(Mode::threads)) return Mode::threads;
  return std::nullopt;
}

std::string join(const std::vector<Mode>& modes) {
  std::string out;
  for (auto m : modes) {
    if (!out.empty()) out += ", ";
    out += to_string(m);
  }
  return out;
}

} // namespace asyncdemo
