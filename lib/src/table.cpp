#include "asyncdemo/table.hpp"

#include <fmt/format.h>

#include <array>

namespace asyncdemo {

namespace {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A Markdown cell: a pipe would end the cell, a newline the row.
std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string csv_time(Duration d) {
  return d.count() < 0 ? std::string() : fmt::format("{:.6f}", to_seconds(d));
}

std::string md_time(Duration d) {
  return d.count() < 0 ? std::string("-") : format_seconds(d);
}

// The task's time on the loop: from its first step to its end.
Duration duration_of(const TaskRecord& t) {
  if (t.started.count() < 0 || t.finished.count() < 0) return Duration{-1};
  return t.finished - t.started;
}

std::string result_of(const TaskRecord& t) {
  if (t.outcome == TaskOutcome::done) return t.result;
  return fmt::format("{} ({})", to_string(t.outcome), t.result);
}

std::string order_of(const TaskRecord& t) {
  return t.finish_order == 0 ? std::string() : std::to_string(t.finish_order);
}

} // namespace

std::string tasks_csv_header() {
  return "mode,task,start,finish,duration,finish_order,state,result\n";
}

std::string tasks_csv_rows(const RunResult& run) {
  std::string out;
  for (const auto& t : run.recorder.tasks())
    out += fmt::format("{},{},{},{},{},{},{},{}\n", to_string(run.mode), csv_field(t.name),
                       csv_time(t.started), csv_time(t.finished), csv_time(duration_of(t)),
                       order_of(t), to_string(t.outcome), csv_field(t.result));
  return out;
}

std::string tasks_markdown(const RunResult& run, const std::string& title) {
  std::string out = fmt::format("### {}\n\n", title);
  out += "| task | start | finish | duration | finish order | result |\n"
         "|---|--:|--:|--:|--:|---|\n";
  for (const auto& t : run.recorder.tasks())
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", md_cell(t.name), md_time(t.started),
                       md_time(t.finished), md_time(duration_of(t)),
                       t.finish_order == 0 ? std::string("-") : order_of(t), md_cell(result_of(t)));
  return out;
}

std::string modes_csv(const std::vector<ModeRuns>& modes, std::optional<Stats> base) {
  std::string out = "mode,runs,mean,stddev,min,max,model,speedup\n";
  for (const auto& m : modes) {
    const auto s = m.stats();
    out += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{}\n", to_string(m.mode), s.n,
                       s.mean, s.stddev, s.min, s.max, to_seconds(m.model),
                       base ? fmt::format("{:.4f}", speedup(*base, s).value) : std::string());
  }
  return out;
}

std::string modes_markdown(const std::vector<ModeRuns>& modes, std::optional<Stats> base) {
  bool repeated = false;
  for (const auto& m : modes)
    repeated = repeated || m.times.size() > 1;
  std::string out = repeated ? "| mode | runs | mean ± σ | min | max | model | vs sync |\n"
                               "|---|--:|--:|--:|--:|--:|--:|\n"
                             : "| mode | elapsed | model | overhead | vs sync |\n"
                               "|---|--:|--:|--:|--:|\n";
  for (const auto& m : modes) {
    const auto s = m.stats();
    std::string vs = "-";
    if (base) {
      const auto r = speedup(*base, s);
      vs = repeated ? fmt::format("{:.2f} ± {:.2f} ×", r.value, r.stddev) : format_ratio(r.value);
    }
    if (repeated)
      out += fmt::format("| {} | {} | {} ± {:.3f} ms | {} | {} | {} | {} |\n", to_string(m.mode),
                         s.n, format_seconds(seconds(s.mean)), s.stddev * 1e3,
                         format_seconds(seconds(s.min)), format_seconds(seconds(s.max)),
                         format_seconds(m.model), vs);
    else
      out += fmt::format("| {} | {} | {} | {} | {} |\n", to_string(m.mode),
                         format_seconds(seconds(s.mean)), format_seconds(m.model),
                         format_overhead(seconds(s.mean), m.model), vs);
  }
  return out;
}

} // namespace asyncdemo
