#pragma once
// Text renderers: the live line per print, the summary after a run, and the
// table that compares modes. They return strings (or write to a FILE*) and
// know nothing of the command line.
#include "asyncdemo/mode.hpp"
#include "asyncdemo/recorder.hpp"
#include "asyncdemo/runner.hpp"
#include "asyncdemo/scenario.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

struct Style {
  bool color = false;
};

// "6.000 s", "12.5 ms": a duration for people.
std::string format_seconds(Duration d, int decimals = 3);
std::string format_overhead(Duration measured, Duration model);
std::string format_ratio(double r); // "1.67 ×"

// Prints each print event as it happens: time, task, text. Widths come from
// the model run, so the columns line up from the first line on. Verbose, it
// also prints the loop's view of every other event (created, started,
// suspended on what, resumed, done), dimmed and marked with "·". Warnings
// ("coroutine 'sleep' was never awaited") go to err, where CPython writes
// them: the learner sees them in place, and stdout stays what print() printed.
class LivePrinter {
public:
  LivePrinter(std::FILE* out, Style style, Duration longest, std::size_t name_width,
              bool verbose = false, std::FILE* err = stderr);
  void operator()(const Event& e, const Recorder& rec);

  // Widths that fit every line of a model run.
  static std::size_t name_width_for(const Recorder& model, bool verbose = false);

private:
  std::FILE* out_;
  std::FILE* err_;
  Style style_;
  int time_width_;
  std::size_t name_width_;
  bool verbose_;
};

struct Comparison {
  const RunResult* run = nullptr;
  Duration model{};
};

// One line after a single run: elapsed, model, sync equivalent, speedup.
std::string summary_line(const RunResult& run, Duration model, std::optional<Duration> sync_model,
                         Style style);

// The --mode=all table and its closing line ("gather ran 1.67 × faster than sync").
std::string mode_table(const std::vector<Comparison>& rows, Style style);
std::string closing_line(const std::vector<Comparison>& rows, Style style);

// The closing sentence for the fastest mode, its speedup over sync and how
// to write it ("1.67 ×", "1.67 ± 0.01 ×"); below 1.005 it says that
// nothing overlapped.
std::string faster_than_sync(Mode best, double ratio, const std::string& ratio_text, Style style);

// "interrupted at 3.214 s: cancelled coffee, eggs"
std::string interrupted_line(const RunResult& run, Style style);

// "── gather ──": the heading of one mode's lines in --mode=all.
std::string mode_header(Mode m, Style style);

// `asyncdemo list`: scenario, seed, modes, summary; aligned.
std::string scenario_list(const std::vector<const Scenario*>& scenarios);

} // namespace asyncdemo
