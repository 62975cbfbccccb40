#include "asyncdemo/teach/mode.hpp"

#include <map>

namespace asyncdemo {

namespace {
std::map<Mode, std::string>& own_names() {
  static std::map<Mode, std::string> names;
  return names;
}
} // namespace

void name_own_mode(Mode m, std::string name) {
  own_names()[m] = std::move(name);
}

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
  }
  const auto& names = own_names();
  const auto it = names.find(m);
  return it != names.end() ? std::string_view(it->second) : std::string_view("?");
}

std::optional<Mode> parse_mode(std::string_view text) noexcept {
  std::string name(text);
  for (auto& c : name)
    if (c == '-') c = '_';
  for (auto m : every_mode)
    if (to_string(m) == name) return m;
  for (const auto& [m, own] : own_names())
    if (own == name) return m;
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
