#pragma once
// The run plan: the command line, checked and settled, in one place. The
// command line gives raw text (RawOptions); make_plan checks every value and
// every combination against the scenario, and either returns the plan the
// session carries out or one line saying what was wrong and what would be
// right. No option is ever silently ignored: a combination either works
// or is refused here.
#include "asyncdemo/loop.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace asyncdemo {

// lines: the program's printed text alone, one line each (an --expect file).
enum class Format : std::uint8_t { text, json, jsonl, csv, markdown, lines };

// The formats' names, in Format's order (for --help and the completions too).
inline constexpr std::array<std::string_view, 6> format_choices{"text", "json",     "jsonl",
                                                                "csv",  "markdown", "lines"};
std::optional<Format> parse_format(std::string_view text) noexcept;
std::string_view to_string(Format f) noexcept;
inline constexpr std::string_view format_names = "text, json, jsonl, csv, markdown or lines";

// -q: only the summary line; -v: also the loop's view of every task.
enum class Verbosity : std::uint8_t { quiet, normal, verbose };

// --runs's range: enough for a steady mean, not a typo's worth of hours.
inline constexpr int max_runs = 10'000;

// --expect-tolerance's range: an hour is more than any demo's timing varies.
inline constexpr double max_expect_tolerance = 3600;

// --min-speedup's range: above 0, and no more than a swarm of millions can show.
inline constexpr double max_min_speedup = 1e9;

// --scale's range (--html, --svg): from a handout's half size to a far wall.
inline constexpr double min_view_scale = 0.5;
inline constexpr double max_view_scale = 4;
// --title's length, in characters: a line over a slide, not a paragraph.
inline constexpr std::size_t max_title_chars = 200;

// --workers's range: each is a thread on the real clock.
inline constexpr std::size_t max_workers = 1024;

struct Style {
  bool color = false;
  // Lines for people (the summary, narration) are fitted to this width; 0
  // leaves them whole (a file or a pipe, without COLUMNS: for scripts).
  std::size_t fit = 0;
};

// What the command line said, before any check; an option not given is
// empty (so that "given" and "left at its default" can be told apart). The
// option table (lib/cli/src/options.cpp) fills it: each field is an entry's.
struct RawOptions {
  std::optional<std::string> mode, clock, speed, color, seed, format, runs, trace, workers;
  // Files written beside the output, and what a run must show (exit 3 if not).
  std::optional<std::string> export_json, export_markdown, export_csv, expect, min_speedup;
  std::optional<std::string> expect_tolerance;
  bool timeline = false, quiet = false, verbose = false, python = false;
  std::optional<std::string> html, svg;      // the views of the loop (--html, --svg)
  std::optional<std::string> title, scale;   // and what they are headed and sized with
  bool step = false;                         // and --step
  std::map<std::string, std::string> params; // the scenario's, as given: name -> value
};

// What the plan reads of the process's surroundings; a test sets its own.
struct Environment {
  bool stdout_is_terminal = false;
  bool stderr_is_terminal = false; // where progress is drawn
  bool no_color = false;           // NO_COLOR is set and not empty
  bool dumb_terminal = false;      // TERM=dumb
  std::size_t width = 80;          // COLUMNS, else the terminal's, else 80
  bool width_known = false;        // COLUMNS is set, or stdout is a terminal
  static Environment of_process();
};

struct RunPlan {
  const Scenario* scenario = nullptr;
  Params params;
  std::vector<Mode> modes; // one, or each the scenario supports (--mode=all)
  // Modes --mode=all leaves out, and why: the scenario's check refused them
  // (swarm's threads, beyond the machine's threads) while others can run.
  struct Skipped {
    Mode mode{};
    std::string why;
  };
  std::vector<Skipped> skipped;
  ClockKind clock = ClockKind::real;
  double speed = 1.0;
  // to_thread's executor: --workers, or 0 for CPython's default size on
  // this machine (min(32, CPUs + 4)).
  std::size_t workers = 0;
  std::uint64_t seed = default_seed;
  Format format = Format::text;
  Verbosity verbosity = Verbosity::normal;
  Style style;
  std::size_t width = 80; // of the timeline
  bool timeline = false;
  std::optional<std::string> trace; // the path, not yet checked for writing
  // --export-json=FILE, ...: the report in that format, written at the end.
  std::optional<std::string> export_json, export_markdown, export_csv;
  // --expect=FILE: the lines every run must print (checked when the file is read).
  std::optional<std::string> expect;
  // --expect-tolerance=SECONDS: how far apart the numbers in a line may be
  // (0: the lines are compared exactly).
  double expect_tolerance = 0;
  // --min-speedup=X: how many times faster than sync the best mode must run.
  std::optional<double> min_speedup;
  int runs = 1;
  bool python = false;             // print the Python twin of the one mode, run nothing
  bool step = false;               // walk through the run, iteration by iteration
  std::optional<std::string> html; // the replay's path, not yet checked for writing
  std::optional<std::string> svg;  // the timeline image's path, likewise
  // --title: the heading of the page and the image (none: the scenario's
  // name and summary); --scale: their size for a projector (the SVG's width
  // and height, the page's root font size).
  std::optional<std::string> title;
  double scale = 1.0;
  // A progress bar on stderr while --runs measures: only on a terminal, and
  // not when jsonl streams its lines onto the same terminal.
  bool progress = false;
  // What the plan inferred from the command line rather than was told
  // (--step without --clock: the virtual clock), one line each for stderr,
  // dim when stderr is a terminal that takes colour.
  std::vector<std::string> notes;
  bool dim_notes = false;

  // Derived: how the session shows the runs.
  bool several() const noexcept { return modes.size() > 1; }
  bool live() const noexcept { return runs == 1; } // --runs: measured, not watched
  bool comparison() const noexcept { return several() || !live(); }
  // Whether the runs keep a snapshot of every iteration (only a view pays,
  // and the trace: its iterations, its wake-ups, what each await waits on).
  bool snapshots() const noexcept { return step || html.has_value() || trace.has_value(); }
};

// The reason a command line is refused: one line, in the tool's words.
struct PlanError {
  std::string message;
};

std::variant<RunPlan, PlanError> make_plan(const Scenario& s, const RawOptions& raw,
                                           const Environment& env);

} // namespace asyncdemo
