#include "asyncdemo/teach/scenario.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

namespace asyncdemo {

const std::string& Params::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::out_of_range("no parameter --" + name);
  return it->second;
}

bool Scenario::supports(Mode m) const noexcept {
  return std::find(modes.begin(), modes.end(), m) != modes.end();
}

Params Scenario::default_params() const {
  Params p;
  for (const auto& param : params)
    p.set(param.name, param.default_value);
  return p;
}

const Param* Scenario::param(std::string_view name) const noexcept {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

Registry& Registry::instance() {
  static Registry r;
  return r;
}

void Registry::add(Scenario s) {
  if (find(s.name)) throw std::logic_error("scenario registered twice: " + s.name);
  for (const auto& own : s.own_modes)
    name_own_mode(own.mode, own.name);
  scenarios_.push_back(std::move(s));
}

namespace {

// "002" → "2": a tutorial's number, as people count them.
std::optional<std::string> tutorial_number(std::string_view id) {
  if (id.size() != 3 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::to_string(std::stoi(std::string(id)));
}

} // namespace

std::string origin_words(std::string_view seed) {
  if (seed == "beyond the seeds") return "beyond the tutorials";
  if (const auto n = tutorial_number(seed)) return "tutorial " + *n;
  if (seed.size() > 4 && seed[3] == ' ') {
    const auto n = tutorial_number(seed.substr(0, 3));
    const auto rest = seed.substr(4);
    constexpr std::string_view section = "§";
    if (n && rest.starts_with(section))
      return "tutorial " + *n + ", section " + std::string(rest.substr(section.size()));
    if (n) return "tutorial " + *n + ", " + std::string(rest);
  }
  // "001, 002, 003"
  std::string numbers;
  std::size_t at = 0;
  while (at < seed.size()) {
    const auto n = tutorial_number(seed.substr(at, 3));
    if (!n) return std::string(seed);
    numbers += (numbers.empty() ? "" : ", ") + *n;
    at += 3;
    if (at == seed.size()) return "tutorials " + numbers;
    if (seed.substr(at, 2) != ", ") return std::string(seed);
    at += 2;
  }
  return std::string(seed);
}

const Scenario* Registry::find(std::string_view name) const noexcept {
  for (const auto& s : scenarios_)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<const Scenario*> Registry::all() const {
  std::vector<const Scenario*> out;
  for (const auto& s : scenarios_)
    out.push_back(&s);
  std::sort(out.begin(), out.end(), [](const Scenario* a, const Scenario* b) {
    return a->seed != b->seed ? a->seed < b->seed : a->name < b->name;
  });
  return out;
}

std::vector<std::string> Registry::names() const {
  std::vector<std::string> out;
  for (const auto* s : all())
    out.push_back(s->name);
  return out;
}

} // namespace asyncdemo
