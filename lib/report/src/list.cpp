#include "asyncdemo/report/list.hpp"

#include "asyncdemo/report/detail/text.hpp"

#include <fmt/format.h>

namespace asyncdemo {

std::string scenario_list(const std::vector<const Scenario*>& scenarios) {
  using detail::columns;
  using detail::pad;
  std::size_t wn = columns("scenario"), ws = columns("seed"), wm = columns("modes");
  for (const auto* s : scenarios) {
    wn = std::max(wn, columns(s->name));
    ws = std::max(ws, columns(s->seed));
    wm = std::max(wm, columns(join(s->modes)));
  }
  std::string out =
      fmt::format("{}  {}  {}  summary\n", pad("scenario", wn), pad("seed", ws), pad("modes", wm));
  for (const auto* s : scenarios)
    out += fmt::format("{}  {}  {}  {}\n", pad(s->name, wn), pad(s->seed, ws),
                       pad(join(s->modes), wm), s->summary);
  return out;
}

} // namespace asyncdemo
