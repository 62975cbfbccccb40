#include "asyncdemo/teach/scenario.hpp"

#include <algorithm>
#include <stdexcept>

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
