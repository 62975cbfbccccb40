#include "asyncdemo/cli/options.hpp"

#include <array>
#include <type_traits>

namespace asyncdemo::cli {

namespace {

using R = RawOptions;

constexpr std::array<std::string_view, 4> generated{"man", "bash", "zsh", "fish"};
constexpr std::array<std::string_view, 3> list_formats{"text", "json", "csv"};
constexpr std::array<std::string_view, 2> clocks{"real", "virtual"};
constexpr std::array<std::string_view, 3> colors{"auto", "always", "never"};

// In the order --help shows them (CLI11's -h and -V come first, from
// CLI11 itself). An entry names only what it has: the rest keeps its
// default (which GCC 12 would warn about, member by member).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
constexpr auto table = std::to_array<OptionSpec>({
    {.command = Command::top,
     .name = "generate",
     .placeholder = "KIND",
     .help = "Print the man page (man) or a shell's completion script (bash, zsh, fish), made "
             "from these same options; cmake --install puts them in place",
     .choices = generated,
     .field = &Requests::generate},
    {.command = Command::list,
     .name = "format",
     .placeholder = "FORMAT",
     .help = "text: a table for people; json, csv: for scripts",
     .fallback = "text",
     .choices = list_formats,
     .field = &Requests::list_format},
    {.name = "mode",
     .placeholder = "MODE",
     .help = "How to run it: {}, or all to compare them (create-task is create_task too)",
     .field = &R::mode,
     .per_scenario = PerScenario::modes},
    {.name = "clock",
     .placeholder = "CLOCK",
     .help = "real: wall time (scaled by --speed); virtual: instant, exact, deterministic (what "
             "--step, --html and --svg use when no --clock is given)",
     .fallback = "real",
     .choices = clocks,
     .field = &R::clock},
    {.name = "speed",
     .placeholder = "X",
     .help = "On the real clock, how many times faster than real time, 0.001 to 1000 (100: a 10 "
             "s run takes 0.1 s)",
     .fallback = "1",
     .field = &R::speed},
    {.name = "workers",
     .placeholder = "N",
     .help = "The size of asyncio.to_thread's executor, 1 to 1024: a call made while all N are "
             "busy waits for one; by default CPython's, min(32, CPUs + 4), so give it to make a "
             "run the same on any machine",
     .field = &R::workers},
    {.name = "color",
     .placeholder = "WHEN",
     .help = "Colour the output: auto (on a terminal), always, never",
     .fallback = "auto",
     .choices = colors,
     .field = &R::color},
    {.name = "format",
     .placeholder = "FORMAT",
     .help = "text: lines and a summary; json: one document (docs/json.md); jsonl: one event per "
             "line as it happens; csv, markdown: the table of tasks; lines: only what the program "
             "prints, one line each (an --expect file)",
     .fallback = "text",
     .choices = format_choices,
     .field = &R::format},
    {.name = "timeline",
     .help = "After the run, draw a chart of what each task did when (fits COLUMNS)",
     .field = &R::timeline},
    {.name = "trace",
     .placeholder = "FILE",
     .help = "Write a Chrome trace-event JSON file of the run (open it in ui.perfetto.dev)",
     .field = &R::trace},
    {.name = "runs",
     .placeholder = "N",
     .help = "Run each mode N times on the real clock; report mean ± σ, min and max",
     .fallback = "1",
     .field = &R::runs},
    {.name = "step",
     .help = "Walk through the run one loop iteration at a time: Enter or space next, b back, c "
             "to the end, q quit (one command a line when stdin is not a terminal); on the "
             "virtual clock",
     .field = &R::step},
    {.name = "html",
     .placeholder = "FILE",
     .help = "Write a replay of the run to open in a browser: the timeline with a cursor, the "
             "loop's queues at each iteration, play, step and back (one file, nothing fetched)",
     .field = &R::html},
    {.name = "svg",
     .placeholder = "FILE",
     .help = "Write the timeline as an SVG image, for slides and handouts (--mode=all stacks the "
             "modes)",
     .field = &R::svg},
    {.name = "title",
     .placeholder = "HEADING",
     .help = "With --html or --svg: the heading of the page and the image (by default the "
             "scenario's name and what it shows)",
     .field = &R::title},
    {.name = "scale",
     .placeholder = "F",
     .help = "With --html or --svg: draw them F times as large for a projector, 0.5 to 4 (the "
             "image's width and height, the page's text); 1 by default",
     .field = &R::scale},
    {.name = "export-json",
     .placeholder = "FILE",
     .help = "Also write the report as JSON (what --format=json prints) to FILE",
     .field = &R::export_json},
    {.name = "export-markdown",
     .placeholder = "FILE",
     .help = "Also write the report as Markdown to FILE: each run's tasks, the table of modes",
     .field = &R::export_markdown},
    {.name = "export-csv",
     .placeholder = "FILE",
     .help = "Also write CSV to FILE: the table of modes for --mode=all or --runs, else the tasks",
     .field = &R::export_csv},
    {.name = "expect",
     .placeholder = "FILE",
     .help = "Check that the run prints FILE's lines, in order (the text alone, as the --python "
             "program prints it); if not, show the first difference and exit 3",
     .field = &R::expect},
    {.name = "expect-tolerance",
     .placeholder = "SECONDS",
     .help = "With --expect: numbers in a line match when they differ by at most SECONDS (for "
             "times measured on the real clock, e.g. 0.05); without it the lines must be equal",
     .field = &R::expect_tolerance},
    {.name = "min-speedup",
     .placeholder = "X",
     .help = "Exit 3 unless the best mode runs at least X times faster than sync (with "
             "--mode=all: the best concurrent mode)",
     .field = &R::min_speedup},
    {.name = "quiet", .short_name = 'q', .help = "Print only the summary line", .field = &R::quiet},
    {.name = "verbose",
     .short_name = 'v',
     .help = "Also print the loop's view: each task created, started, suspended on what, "
             "resumed, done",
     .field = &R::verbose},
    {.name = "seed",
     .placeholder = "N",
     .help = "Seed of every random choice: the same seed gives the same run",
     .fallback = "2024",
     .field = &R::seed,
     .per_scenario = PerScenario::random},
    {.name = "python",
     .help = "Print the equivalent Python asyncio program for --mode and exit (runnable with "
             "python3)",
     .field = &R::python},
});
#pragma GCC diagnostic pop

// A switch shows no value in --help, and nothing but a switch may.
constexpr bool placeholders_match() {
  for (const auto& o : table)
    if (o.placeholder.empty() != o.is_switch()) return false;
  return true;
}
static_assert(placeholders_match(), "a switch has no placeholder, and every value option has one");

} // namespace

std::span<const OptionSpec> option_table() noexcept {
  return table;
}

void give(const OptionSpec& spec, const std::string& value, RawOptions& raw, Requests& requests) {
  std::visit(
      [&](auto field) {
        using F = decltype(field);
        if constexpr (std::is_same_v<F, bool RawOptions::*>)
          raw.*field = true;
        else if constexpr (std::is_same_v<F, std::optional<std::string> RawOptions::*>)
          raw.*field = value;
        else
          requests.*field = value;
      },
      spec.field);
}

} // namespace asyncdemo::cli
