#pragma once
// The comparison of modes over one or more real runs each (--mode=all,
// --runs=N), rendered hyperfine-style: mean ± σ, min … max per mode, a
// table and the closing line "gather ran 1.67 × faster than sync".
#include "asyncdemo/mode.hpp"
#include "asyncdemo/report.hpp"
#include "asyncdemo/stats.hpp"

#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

struct ModeRuns {
  Mode mode{};
  Duration model{};
  std::vector<Duration> times; // elapsed, one per run
  Stats stats() const { return stats_of(times); }
};

// What every mode is compared with: the measured sync runs when sync is among
// them, else the sync model time; none when the scenario has no sync mode.
std::optional<Stats> sync_baseline(const std::vector<ModeRuns>& modes,
                                   std::optional<Duration> sync_model);

// The fastest mode (on a tie the idiomatic one, gather first); null when no
// mode is faster than the baseline could be compared.
const ModeRuns* fastest(const std::vector<ModeRuns>& modes);

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
