#pragma once
// The text that sums a run up: the summary line after one run, the table
// that compares modes and its closing line, the interrupted line, a mode's
// heading. Strings only: the reporters decide where they go.
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/teach/units.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

// A run beside its model.
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

} // namespace asyncdemo
