#pragma once
// --runs=N rendered hyperfine-style: mean ± σ, min … max per mode, a table
// and the closing line "gather ran 1.67 ± 0.01 × faster than sync".
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/stats.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

// "gather (10 runs)\n  Time (mean ± σ):  …\n  Range (min … max):  …\n"
std::string runs_block(const ModeRuns& m, std::optional<Stats> base, Style style);
// mode | mean ± σ | min | max | model | overhead | vs sync
std::string runs_table(const std::vector<ModeRuns>& modes, std::optional<Stats> base, Style style);
// -q with --runs: "gather · 6.001 s ± 0.052 ms (10 runs) · model 6.000 s · 1.67 ± 0.00 × faster
// than sync"
std::string runs_summary_line(const ModeRuns& m, std::optional<Stats> base, Style style);
// "gather ran 1.67 ± 0.01 × faster than sync"
std::string runs_closing_line(const std::vector<ModeRuns>& modes, std::optional<Stats> base,
                              Style style);

} // namespace asyncdemo
