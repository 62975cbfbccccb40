#include "source_pane.hpp"

#include "frame_story.hpp"

#include "asyncdemo/teach/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncdemo::report_detail {

const std::string& ProgramText::line(int n) const {
  static const std::string none;
  return n >= 1 && static_cast<std::size_t>(n) <= lines.size()
             ? lines[static_cast<std::size_t>(n - 1)]
             : none;
}

ProgramText program_text(std::string program, const Recorder& rec) {
  ProgramText p;
  if (!rec.has_source()) {
    p.why_none = "no source pane: this catalogue entry is compiled C++, whose lines are not "
                 "followed (--python prints its program)";
    return p;
  }
  std::size_t at = 0;
  while (at < program.size()) {
    const auto nl = program.find('\n', at);
    p.lines.push_back(program.substr(at, nl == std::string::npos ? nl : nl - at));
    at = nl == std::string::npos ? program.size() : nl + 1;
  }
  return p;
}

std::string shown_program(const Scenario& s, const RunPlan& plan, Mode mode) {
  if (!s.python) return {};
  return python_program(s, Context{mode, plan.params, plan.seed});
}

std::string line_words(const ProgramText& p, int n) {
  std::string text = p.line(n);
  // Its comment goes (a # inside a string is kept: only "  # " after code).
  if (const auto hash = text.find("  # "); hash != std::string::npos) text.erase(hash);
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return fmt::format("line {}", n);
  text.erase(0, first);
  text.erase(text.find_last_not_of(" \t") + 1);
  if (const auto await = text.find("await "); await != std::string::npos) text.erase(0, await);
  if (!text.empty() && text.back() == ':') text.pop_back(); // for x in await gather(...):
  return text;
}

std::string chain_words(const ProgramText& p, const Recorder& rec, const TaskState& t) {
  if (t.chain.empty()) return {};
  std::string out = t.name;
  for (const auto& f : t.chain)
    out += fmt::format(" → {} (line {})", line_words(p, f.line), f.line);
  if (!t.children.empty()) {
    std::vector<std::string> kids;
    for (auto c : t.children)
      kids.push_back(task_label(rec, c));
    out += " → " + names(kids, 6);
  }
  return out;
}

std::vector<LineMark> line_marks(const std::vector<TaskState>& states) {
  std::vector<LineMark> marks;
  auto at = [&marks](int line) {
    auto it = std::find_if(marks.begin(), marks.end(),
                           [line](const LineMark& m) { return m.line == line; });
    if (it != marks.end()) return it;
    marks.push_back(LineMark{line, {}, {}, {}});
    return marks.end() - 1;
  };
  for (const auto& s : states) {
    if (s.over || s.chain.empty()) continue;
    auto it = at(s.chain.back().line);
    (s.ran ? it->ran : it->waiting).push_back(s.name);
    // The frames around it: each awaits the next one inline (await coffee()).
    for (std::size_t i = 0; i + 1 < s.chain.size(); ++i)
      at(s.chain[i].line)->inside.push_back(s.name);
  }
  std::sort(marks.begin(), marks.end(),
            [](const LineMark& a, const LineMark& b) { return a.line < b.line; });
  return marks;
}

int current_line(const Frame& f, const std::vector<TaskState>& states) {
  for (auto it = f.ran.rbegin(); it != f.ran.rend(); ++it) {
    if (it->item.kind != ReadyItem::Kind::step) continue;
    for (const auto& s : states)
      if (s.id == it->item.task && !s.chain.empty()) return s.chain.back().line;
  }
  for (const auto& s : states)
    if (!s.over && !s.chain.empty()) return s.chain.back().line;
  return f.lines.empty() ? 0 : f.lines.back();
}

} // namespace asyncdemo::report_detail
