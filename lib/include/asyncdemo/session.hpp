#pragma once
// A session: what `asyncdemo <scenario>` does once its options are valid.
// Each mode first runs on the virtual clock (instantly: its exact model time,
// and the widths that keep the live lines aligned), then for real with its
// lines (or events) printed as they happen, then the summary or the
// comparison, in the chosen format; then the timeline and the trace file.
#include "asyncdemo/report.hpp"
#include "asyncdemo/runner.hpp"
#include "asyncdemo/scenario.hpp"
#include "asyncdemo/terminal.hpp"
#include "asyncdemo/trace.hpp"

#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace asyncdemo {

enum class Format : std::uint8_t { text, json, jsonl, csv, markdown };

std::optional<Format> parse_format(std::string_view text) noexcept;
std::string_view to_string(Format f) noexcept;
inline constexpr std::string_view format_names = "text, json, jsonl, csv or markdown";

// -q: only the summary line; -v: also the loop's view of every task.
enum class Verbosity : std::uint8_t { quiet, normal, verbose };

// --runs's range: enough for a steady mean, not a typo's worth of hours.
inline constexpr int max_runs = 10'000;

struct SessionOptions {
  std::vector<Mode> modes;
  ClockKind clock = ClockKind::real;
  double speed = 1.0;
  std::uint64_t seed = default_seed;
  Style style;
  Format format = Format::text;
  Verbosity verbosity = Verbosity::normal;
  bool timeline = false;
  std::size_t width = default_width; // of the timeline
  TraceFile* trace = nullptr;        // opened (and so checked) before the session
  int runs = 1;                      // real runs per mode (--runs)
};

enum class SessionOutcome { ok, failed, interrupted };

SessionOutcome run_session(const Scenario& s, const Params& params, const SessionOptions& opts,
                           std::FILE* out, std::FILE* err);

} // namespace asyncdemo
