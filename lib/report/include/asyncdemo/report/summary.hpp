#pragma once
// The text that sums a run up: the summary line after one run, the table
// that compares modes and its closing line, the interrupted line, a mode's
// heading. Strings only: the reporters decide where they go.
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/run/stats.hpp"
#include "asyncdemo/text/units.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

// A run beside its model.
struct Comparison {
  const RunResult* run = nullptr;
  Duration model{};
};

// One line after a single run: elapsed, model, sync equivalent, speedup
// (broken between its fields when it is wider than style.fit).
std::string summary_line(const RunResult& run, Duration model, std::optional<Duration> sync_model,
                         Style style);

// What to_thread ran on: "to_thread: 6 workers" when a call used the
// executor, "to_thread: 6 workers, not used" when --workers gave the size
// and no call came; empty otherwise.
std::string executor_note(const RunResult& run);

// Fields joined by " · ", broken between them to fit style.fit.
std::string fitted(const std::vector<std::string>& fields, Style style);

// A scenario's narration ("pitfall: ..."), set apart from the printed
// lines: indented, its label bold, wrapped to style.fit.
std::string narration_block(const std::string& text, Style style);

// How a mode compares with sync, in words: "1.67 × faster than sync" (in
// green); "no faster than sync" when the ratio is within `noise` (or 0.5 %)
// of 1; else "1.02 × slower than sync". `spread` writes "1.67 ± 0.01 ×".
std::string versus_sync(Ratio r, double noise, bool spread, Style style);

// The --mode=all table and its closing line ("gather ran 1.67 × faster than
// sync"), against the sync run among the rows, else `sync_model`.
std::string mode_table(const std::vector<Comparison>& rows, std::optional<Duration> sync_model,
                       Style style);
std::string closing_line(const std::vector<Comparison>& rows, std::optional<Duration> sync_model,
                         Style style);

// Under the table, what its words mean, where a newcomer first meets them:
// the model (a mode's exact time) and the overhead (a run's distance from it).
std::string mode_table_legend(Style style);

// The closing sentence: the fastest mode and its speedup over sync ("gather
// ran 1.67 × faster than sync"), or, when `tied` (leaders() in
// run/stats.hpp) holds more than one mode, their tie; below 1.005 it says
// that nothing overlapped.
std::string closing_sentence(Mode best, const std::vector<Mode>& tied, Ratio r, bool spread,
                             Style style);

// "interrupted at 3.214 s: cancelled coffee, eggs"
std::string interrupted_line(const RunResult& run, Style style);

// "── gather ──": the heading of one mode's lines in --mode=all.
std::string mode_header(Mode m, Style style);

} // namespace asyncdemo
