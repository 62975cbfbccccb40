// --timeline: the chart, and the reporter that draws it after each run.
#include "asyncdemo/report/timeline.hpp"

#include "asyncdemo/report/detail/text.hpp"
#include "asyncdemo/report/spans.hpp"
#include "asyncdemo/report/summary.hpp"

#include "outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace asyncdemo {

namespace {

using namespace std::chrono_literals;
using report_detail::columns;

constexpr std::array<char, 5> marks{'.', '=', '#', '-', '~'}; // by SpanKind
// In a column shared by several states, the longest wins; on a tie the one
// that matters more to the reader: blocking, then running.
constexpr std::array<int, 5> rank{0, 2, 3, 1, 1};

char end_mark(TaskOutcome o) {
  switch (o) {
  case TaskOutcome::done:
    return '|';
  case TaskOutcome::cancelled:
    return 'x';
  case TaskOutcome::failed:
    return '!';
  case TaskOutcome::pending:
    break;
  }
  return ' ';
}

struct Unit {
  const char* name;
  std::int64_t ns;
};

// The unit a duration reads best in: 1.5 s, 250 ms, 2 min.
Unit unit_for(Duration d) {
  if (d < 1ms) return {"µs", 1'000};
  if (d < 1s) return {"ms", 1'000'000};
  if (d < 60s) return {"s", 1'000'000'000};
  if (d < 3600s) return {"min", 60'000'000'000};
  return {"h", 3'600'000'000'000};
}

std::vector<Duration> candidate_steps() {
  std::vector<Duration> out;
  for (std::int64_t decade = 1'000; decade <= 10'000'000'000; decade *= 10)
    for (std::int64_t m : {1, 2, 5})
      out.emplace_back(m * decade);
  for (std::int64_t minutes : {1, 2, 5, 10, 15, 30})
    out.emplace_back(minutes * 60'000'000'000);
  for (std::int64_t hours : {1, 2, 3, 6, 12, 24, 48, 120, 240, 480, 1200, 2400})
    out.emplace_back(hours * 3'600'000'000'000);
  return out;
}

} // namespace

std::string tick_label(Duration tick, Duration scale) {
  const auto u = unit_for(scale);
  return fmt::format("{:g} {}", static_cast<double>(tick.count()) / static_cast<double>(u.ns),
                     u.name);
}

Duration column_duration(Duration scale, std::size_t cells) {
  static const auto steps = candidate_steps();
  for (auto step : steps)
    if (step * static_cast<std::int64_t>(cells) >= scale) return step;
  return steps.back();
}

Duration tick_step(Duration column, std::size_t cells) {
  static const auto steps = candidate_steps();
  const auto scale = column * static_cast<std::int64_t>(cells);
  const auto unit = unit_for(scale).ns;
  for (auto step : steps) {
    // Ticks fall on columns, read as at most three decimals of the axis's
    // unit (0.25 min, not 0.1667), and a label and a space fit between two.
    if (step < column || step % column != Duration::zero()) continue;
    if ((step.count() * 1000) % unit != 0) continue;
    const auto apart = static_cast<std::size_t>(step / column);
    std::size_t widest = 0;
    for (Duration t{}; t <= scale && widest + 1 <= apart; t += step)
      widest = std::max(widest, columns(tick_label(t, scale)));
    if (apart >= widest + 1) return step;
  }
  return steps.back();
}

std::string timeline(const Recorder& rec, Duration scale, std::size_t width, std::size_t name_width,
                     bool with_legend) {
  if (scale <= Duration::zero()) scale = 1ms;
  const auto& tasks = rec.tasks();
  std::size_t name_w = std::max<std::size_t>(4, name_width);
  for (const auto& t : tasks)
    name_w = std::max(name_w, columns(t.name));
  name_w = std::min(name_w, std::max<std::size_t>(4, width / 4));
  const std::size_t prefix = name_w + 2;
  // Each column stands for a round duration (100 ms, not 84.507 ms), so that
  // the ticks fall on columns; one more column holds the end mark of a task
  // that ends at the very end.
  const std::size_t room = std::max<std::size_t>(10, width > prefix + 1 ? width - prefix - 1 : 0);
  const auto column = column_duration(scale, room);
  const auto n = (scale.count() + column.count() - 1) / column.count();
  const auto cells = static_cast<std::size_t>(n);
  auto col_of = [&](Duration t) {
    return static_cast<std::size_t>(std::clamp<std::int64_t>(t.count() / column.count(), 0, n));
  };
  const auto axis_end = column * n;
  auto edge = [&](std::size_t c) { return column * static_cast<std::int64_t>(c); };

  std::string out;
  // The axis: labels over ticks.
  const auto step = tick_step(column, cells);
  std::string labels(prefix, ' '), ticks(prefix, ' ');
  std::string axis(cells + 1, '-');
  std::size_t free_from = 0; // the first column a label may start at
  for (Duration t{}; t <= axis_end; t += step) {
    const auto c = col_of(t);
    axis[c] = '+';
    const auto label = tick_label(t, axis_end);
    if (c < free_from || prefix + c + columns(label) > std::max(width, prefix + cells + 1))
      continue;
    labels += std::string(c - (columns(labels) - prefix), ' ') + label;
    free_from = c + columns(label) + 1;
  }
  out += labels + "\n" + ticks + axis + "\n";

  // One row per task, in the order they were made.
  const auto spans = task_spans(rec, scale);
  bool waited = false; // a '~' was drawn: the legend says what it is
  for (const auto& t : tasks) {
    std::string row(cells + 1, ' ');
    std::vector<std::array<std::int64_t, 5>> cover(cells, std::array<std::int64_t, 5>{});
    for (const auto& s : spans[static_cast<std::size_t>(t.id)]) {
      if (s.end <= s.begin) continue;
      const auto last = std::min(col_of(s.end), cells - 1);
      for (auto c = col_of(s.begin); c <= last; ++c) {
        const auto overlap = std::min(s.end, edge(c + 1)) - std::max(s.begin, edge(c));
        if (overlap > Duration::zero())
          cover[c][static_cast<std::size_t>(s.kind)] += overlap.count();
      }
    }
    for (std::size_t c = 0; c < cells; ++c) {
      std::size_t best = 0;
      for (std::size_t k = 1; k < marks.size(); ++k)
        if (cover[c][k] > cover[c][best] || (cover[c][k] == cover[c][best] && rank[k] > rank[best]))
          best = k;
      if (cover[c][best] > 0) row[c] = marks[best];
      if (row[c] == '~') waited = true;
    }
    if (t.outcome != TaskOutcome::pending && t.finished.count() >= 0)
      row[col_of(t.finished)] = end_mark(t.outcome);
    // Trailing spaces would only make the golden files fragile.
    row.erase(row.find_last_not_of(' ') + 1);
    std::string name = t.name;
    if (columns(name) > name_w) { // cut between characters, never inside one
      std::size_t end = 0;
      for (std::size_t kept = 0; end < name.size(); ++end)
        if ((static_cast<unsigned char>(name[end]) & 0xC0) != 0x80 && ++kept > name_w - 1) break;
      name = name.substr(0, end) + "~";
    }
    out += report_detail::pad(name, name_w) + "  " + row + "\n";
  }

  if (!with_legend) return out;
  // The legend, wrapped to the width ('~' only in charts that have one).
  std::vector<std::string> legend{"# blocking the loop", "= running",
                                  "- awaiting (a timer or a task)"};
  if (waited) legend.emplace_back("~ waiting on a primitive (Lock, Queue, Event, ...)");
  for (auto item : {". ready, waiting for the loop", "| done", "x cancelled", "! failed"})
    legend.emplace_back(item);
  legend.push_back(fmt::format("one column: {}", tick_label(column, column)));
  std::string line;
  for (const auto& item : legend) {
    if (!line.empty() && columns(line) + 3 + columns(item) > width) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : "   ") + item;
  }
  out += line + "\n";
  return out;
}

namespace {

// After each run's summary: its chart. With --mode=all every chart has one
// time scale and one name column, and the legend comes once, under the last.
class TimelineReporter final : public Reporter {
public:
  TimelineReporter(const RunPlan& plan, std::FILE* out) : plan_(plan), out_(out) {}
  void session_begins(const SessionView& v) override {
    view_ = &v;
    for (const auto& [m, model] : v.models)
      for (const auto& t : model.recorder.tasks())
        names_ = std::max(names_, t.name.size());
  }
  void run_ended(const RunResult& r, int) override {
    if (!r.ok() || !plan_.live()) return;
    const bool several = plan_.several();
    const auto scale = several ? std::max(view_->longest, r.elapsed) : r.elapsed;
    if (!several) fmt::print(out_, "\n");
    if (several && plan_.verbosity == Verbosity::quiet)
      fmt::print(out_, "{}\n", mode_header(r.mode, plan_.style));
    put(out_, timeline(r.recorder, scale, plan_.width, several ? names_ : 4,
                       r.mode == plan_.modes.back()));
    if (several) fmt::print(out_, "\n");
  }

private:
  const RunPlan& plan_;
  std::FILE* out_;
  const SessionView* view_ = nullptr;
  std::size_t names_ = 4;
};

} // namespace

std::unique_ptr<Reporter> make_timeline_reporter(const RunPlan& plan, std::FILE* out,
                                                 std::string&) {
  return std::make_unique<TimelineReporter>(plan, out);
}

} // namespace asyncdemo
