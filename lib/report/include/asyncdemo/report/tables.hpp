#pragma once
// The tables of a run and of a comparison, as seed 003's timing tables lay
// them out: per task (start, finish, duration, finish order, result) and per
// mode (runs, mean, σ, min, max, model, speedup); in CSV for scripts
// (csv.cpp) and Markdown for notes (markdown.cpp).
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/run/stats.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// CSV quoted as RFC 4180 says, lines ending in LF as Unix tools expect: one
// header line, then one row per task of every run, with the mode first so
// that the runs of --mode=all share one table. Times are seconds, to the
// microsecond; a time that never came is empty.
std::string tasks_csv_header();
std::string tasks_csv_rows(const RunResult& run);
// mode, runs, mean, stddev, min, max, model, speedup
std::string modes_csv(const std::vector<ModeRuns>& modes, std::optional<Stats> base);
// One field as RFC 4180 quotes it (the tables, and `asyncdemo list --format=csv`).
std::string csv_field(std::string_view text);

// "### breakfast --mode=gather" (the title) and a Markdown table of the run's tasks.
std::string tasks_markdown(const RunResult& run, const std::string& title);
std::string modes_markdown(const std::vector<ModeRuns>& modes, std::optional<Stats> base);

} // namespace asyncdemo
