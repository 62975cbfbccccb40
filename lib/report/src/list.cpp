#include "asyncdemo/report/list.hpp"

#include "asyncdemo/report/json.hpp"
#include "asyncdemo/report/tables.hpp"
#include "asyncdemo/text/wrap.hpp"
#include "asyncdemo/version.hpp"

#include "json_doc.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace asyncdemo {

namespace {

bool all_five(const Scenario& s) {
  return std::all_of(every_mode.begin(), every_mode.end(), [&](Mode m) { return s.supports(m); }) &&
         s.modes.size() == every_mode.size();
}

// Rows of cells, each column as wide as its widest cell up to its cap (the
// last takes what is left), cells wrapped within their columns.
template <std::size_t N>
std::string wrapped_table(const std::vector<std::array<std::string, N>>& rows,
                          const std::array<std::size_t, N>& caps, std::size_t width) {
  constexpr std::size_t gap = 2;
  std::array<std::size_t, N> w{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i + 1 < N; ++i)
      w[i] = std::max(w[i], std::min(caps[i], text_columns(row[i])));
  std::size_t used = 0;
  for (std::size_t i = 0; i + 1 < N; ++i)
    used += w[i] + gap;
  w[N - 1] = width > used + 12 ? width - used : 12; // narrower: its cells wrap
  std::string out;
  for (const auto& row : rows) {
    std::array<std::vector<std::string>, N> cells;
    std::size_t height = 1;
    for (std::size_t i = 0; i < N; ++i) {
      cells[i] = wrap(row[i], w[i]);
      height = std::max(height, cells[i].size());
    }
    for (std::size_t line = 0; line < height; ++line) {
      std::string text;
      for (std::size_t i = 0; i < N; ++i) {
        const auto cell = line < cells[i].size() ? cells[i][line] : std::string();
        text += cell;
        if (i + 1 < N) text += std::string(w[i] - std::min(w[i], text_columns(cell)) + gap, ' ');
      }
      while (!text.empty() && text.back() == ' ')
        text.pop_back();
      out += text + "\n";
    }
  }
  return out;
}

} // namespace

std::string modes_in_short(const Scenario& s) {
  return all_five(s) ? std::string("all five") : join(s.modes);
}

std::string scenario_list(const std::vector<const Scenario*>& scenarios, std::size_t width) {
  std::vector<std::array<std::string, 4>> rows{{"scenario", "from", "modes", "summary"}};
  for (const auto* s : scenarios)
    rows.push_back({s->name, origin_words(s->seed), modes_in_short(*s), s->summary});
  std::array<std::size_t, 4> natural{};
  for (const auto& row : rows)
    for (std::size_t i = 0; i < 4; ++i)
      natural[i] = std::max(natural[i], text_columns(row[i]));
  std::string out;
  if (natural[0] + natural[1] + natural[2] + natural[3] + 6 <= width) {
    out = wrapped_table<4>(rows, natural, width); // one line each
  } else {
    // Too narrow for one line each: the summary goes under its scenario.
    std::vector<std::array<std::string, 3>> heads;
    for (const auto& row : rows)
      heads.push_back({row[0], row[1], row[2]});
    const auto table = wrapped_table<3>(heads, {natural[0], width >= 72 ? 26u : 16u, 0}, width);
    std::size_t start = table.find('\n') + 1;
    out = table.substr(0, start);
    for (std::size_t i = 1; i < rows.size(); ++i) {
      // The scenario's lines in the table: up to the next line that starts a name.
      auto end = start;
      do
        end = table.find('\n', end) + 1;
      while (end < table.size() && table[end] == ' ');
      out += table.substr(start, end - start);
      out += wrap_indented(rows[i][3], width, "    ", "    ") + "\n";
      start = end;
    }
  }
  out += "\n" + wrap_indented(origin_note, width, "", "  ") + "\n";
  out += wrap_indented("all five: the five modes, sync, await, create_task, gather and "
                       "as_completed (and all, to compare them)",
                       width, "", "  ") +
         "\n";
  out += wrap_indented("asyncdemo NAME --help shows a scenario's options; asyncdemo show NAME "
                       "prints a scenario file to start your own from",
                       width, "", "  ") +
         "\n";
  return out;
}

std::string scenario_list_csv(const std::vector<const Scenario*>& scenarios) {
  std::string out = "name,origin,modes,default_mode,random,file,summary\n";
  for (const auto* s : scenarios) {
    std::string modes;
    for (auto m : s->modes)
      modes += (modes.empty() ? "" : " ") + std::string(to_string(m));
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(s->name), csv_field(s->seed), modes,
                       to_string(s->default_mode), s->random ? "true" : "false",
                       s->source.empty() ? "false" : "true", csv_field(s->summary));
  }
  return out;
}

std::string scenario_list_json(const std::vector<const Scenario*>& scenarios) {
  using json_doc::json;
  json doc = json_doc::header("list");
  doc["scenarios"] = json::array();
  for (const auto* s : scenarios) {
    json modes = json::array();
    for (auto m : s->modes)
      modes.push_back(std::string(to_string(m)));
    json params = json::array();
    for (const auto& p : s->params)
      params.push_back({{"name", p.name},
                        {"kind", p.flag ? json(nullptr) : json(p.kind)},
                        {"default", p.default_value},
                        {"choices", p.choices},
                        {"help", p.help}});
    doc["scenarios"].push_back({{"name", s->name},
                                {"origin", s->seed},
                                {"summary", s->summary},
                                {"modes", std::move(modes)},
                                {"default_mode", std::string(to_string(s->default_mode))},
                                {"random", s->random},
                                {"file", !s->source.empty()},
                                {"params", std::move(params)}});
  }
  return json_doc::dumped(doc, 2) + "\n";
}

} // namespace asyncdemo
