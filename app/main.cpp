// asyncdemo's command line: CLI11 wiring only. What it runs and prints lives
// in lib/ (session, runner, report) and scenarios/.
#include "asyncdemo/errors.hpp"
#include "asyncdemo/parse.hpp"
#include "asyncdemo/report.hpp"
#include "asyncdemo/runner.hpp"
#include "asyncdemo/scenario.hpp"
#include "asyncdemo/session.hpp"
#include "asyncdemo/suggest.hpp"
#include "asyncdemo/terminal.hpp"
#include "asyncdemo/trace.hpp"
#include "asyncdemo/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace asyncdemo;

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_interrupted = 130;

// One line on stderr: what was wrong and what would be right. (fputs: a
// closed or full stderr must not turn a usage error into a crash.)
int usage_error(const std::string& message) {
  std::fputs(("asyncdemo: " + message + "\n").c_str(), stderr);
  return exit_usage;
}

struct RunArgs {
  std::string mode;
  std::string clock = "real";
  std::string speed = "1";
  std::string color = "auto";
  std::string seed = std::to_string(default_seed);
  bool python = false;
  std::string format = "text";
  std::string runs = "1";
  bool timeline = false;
  std::optional<std::string> trace;
  bool quiet = false;
  bool verbose = false;
  std::map<std::string, std::string> params;
};

std::vector<std::string> mode_names() {
  std::vector<std::string> out;
  for (auto m : every_mode)
    out.emplace_back(to_string(m));
  out.emplace_back("all");
  return out;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& known) {
  if (auto near = closest(typed, known)) return fmt::format(" (did you mean '{}'?)", *near);
  return {};
}

// CLI11's messages, said the way the rest of ours are.
std::string reword(const CLI::ParseError& e) {
  const std::string what = e.what();
  for (std::string_view extras :
       {"The following arguments were not expected: ", "The following argument was not expected: "})
    if (what.rfind(extras, 0) == 0) {
      const auto arg = what.substr(extras.size());
      return (arg.rfind('-', 0) == 0 ? "unknown option " : "unexpected argument ") + arg;
    }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const auto colon = what.find(':');
    if (colon != std::string::npos && what.rfind("--", 0) == 0)
      return fmt::format("{} needs a value ({}=VALUE)", what.substr(0, colon),
                         what.substr(0, colon));
  }
  return what;
}

// --speed: a plain decimal number in range.
std::optional<double> parse_speed(const std::string& text) {
  const auto v = parse_number(text);
  if (!v || *v < min_speed || *v > max_speed) return std::nullopt;
  return v;
}

// --runs: a whole number of runs from 1 to max_runs.
std::optional<int> parse_runs(const std::string& text) {
  const auto v = parse_whole<int>(text);
  if (!v || *v < 1 || *v > max_runs) return std::nullopt;
  return v;
}

bool use_color(const std::string& choice) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
         !(term && std::string_view(term) == "dumb");
}

void print_usage() {
  fmt::print("asyncdemo {}: watch async concurrency happen\n\n"
             "usage: asyncdemo <scenario> [--mode=MODE] [--clock=real|virtual] [--speed=X]\n"
             "                  [--format=FORMAT] [--timeline] [--trace=FILE] [--runs=N] [-q|-v]\n"
             "       asyncdemo list\n"
             "       asyncdemo <scenario> --help\n\n"
             "scenarios:\n",
             version);
  const auto scenarios = Registry::instance().all();
  std::size_t w = 0;
  for (const auto* s : scenarios)
    w = std::max(w, s->name.size());
  for (const auto* s : scenarios)
    fmt::print("  {:<{}}  {}\n", s->name, w, s->summary);
  fmt::print("\ntry: asyncdemo breakfast --mode=gather\n");
}

int run(const Scenario& s, const RunArgs& a) {
  std::vector<Mode> modes;
  if (a.mode == "all") {
    modes = s.modes;
  } else if (auto m = parse_mode(a.mode)) {
    if (!s.supports(*m))
      return usage_error(fmt::format("{} does not support --mode={}; it supports {}, all", s.name,
                                     to_string(*m), join(s.modes)));
    modes = {*m};
  } else {
    return usage_error(fmt::format("--mode: '{}' is not a mode{}; use one of {}, all", a.mode,
                                   did_you_mean(a.mode, mode_names()), join(s.modes)));
  }
  if (a.clock != "real" && a.clock != "virtual")
    return usage_error(fmt::format("--clock: '{}' is not a clock; use real or virtual", a.clock));
  const auto speed = parse_speed(a.speed);
  if (!speed)
    return usage_error(fmt::format("--speed: '{}' is not a number from {:g} to {:g}; use e.g. "
                                   "--speed=100 to run 100× faster than real time, or "
                                   "--clock=virtual to run instantly",
                                   a.speed, min_speed, max_speed));
  if (a.color != "auto" && a.color != "always" && a.color != "never")
    return usage_error(
        fmt::format("--color: '{}' is not a choice; use auto, always or never", a.color));
  const auto seed = parse_whole<std::uint64_t>(a.seed);
  if (!seed)
    return usage_error(fmt::format("--seed: '{}' is not a whole number from 0 to {}; e.g. --seed=7",
                                   a.seed, std::numeric_limits<std::uint64_t>::max()));
  const auto format = parse_format(a.format);
  if (!format)
    return usage_error(
        fmt::format("--format: '{}' is not a format; use {}", a.format, format_names));
  const auto runs = parse_runs(a.runs);
  if (!runs)
    return usage_error(fmt::format(
        "--runs: '{}' is not a whole number from 1 to {}; e.g. --runs=10", a.runs, max_runs));
  if (*runs > 1 && a.clock == "virtual")
    return usage_error(fmt::format("--runs={} repeats real-clock runs, and the virtual clock gives "
                                   "the same exact time every run; drop --clock=virtual",
                                   *runs));
  if (a.quiet && a.verbose)
    return usage_error("-q (only the summary) and -v (every step of the loop) contradict each "
                       "other; give one of them");
  if (a.timeline && *format != Format::text)
    return usage_error(fmt::format("--timeline draws a chart for people, not for --format={}; "
                                   "use --format=text, or --trace=FILE for a timeline in a file",
                                   a.format));
  if (s.light && (a.timeline || a.trace))
    return usage_error(fmt::format("--{}: {} does not record its tasks one by one (there are too "
                                   "many to draw); use it with another scenario",
                                   a.timeline ? "timeline" : "trace", s.name));
  if (a.timeline && *runs > 1)
    return usage_error("--timeline draws one run, not --runs; drop one of them");
  Params params = s.default_params();
  for (const auto& p : s.params) {
    const auto& value = a.params.at(p.name);
    if (p.check)
      if (auto why = p.check(value); !why.empty())
        return usage_error(fmt::format("--{}: {}", p.name, why));
    params.set(p.name, value);
  }
  if (s.check)
    for (auto m : modes)
      if (auto why = s.check(m, params); !why.empty()) return usage_error(why);

  if (a.python) {
    if (modes.size() != 1)
      return usage_error(fmt::format("--python prints one mode's program; add --mode={}",
                                     to_string(s.default_mode)));
    std::fputs(s.python(Context{modes.front(), params, *seed}).c_str(), stdout);
    return 0;
  }

  // Last of the checks: it leaves a temporary file, removed unless committed.
  std::optional<TraceFile> trace;
  if (a.trace) {
    std::string why;
    trace = TraceFile::open(*a.trace, why);
    if (!trace) return usage_error(why);
  }

  SessionOptions session;
  session.modes = modes;
  session.clock = a.clock == "real" ? ClockKind::real : ClockKind::virtual_time;
  session.speed = *speed;
  session.seed = *seed;
  session.style = Style{use_color(a.color)};
  session.format = *format;
  session.verbosity = a.quiet     ? Verbosity::quiet
                      : a.verbose ? Verbosity::verbose
                                  : Verbosity::normal;
  session.timeline = a.timeline;
  session.width = terminal_width(stdout);
  session.trace = trace ? &*trace : nullptr;
  session.runs = *runs;
  switch (run_session(s, params, session, stdout, stderr)) {
  case SessionOutcome::ok:
    return 0;
  case SessionOutcome::failed:
    return exit_failed;
  case SessionOutcome::interrupted:
    return exit_interrupted;
  }
  return exit_failed;
}

} // namespace

int run_cli(int argc, char** argv) {
  // Into a closed pipe (`asyncdemo breakfast | head -1`) we end quietly.
  std::signal(SIGPIPE, SIG_DFL);
  auto& registry = Registry::instance();

  // An unknown scenario gets a suggestion before CLI11 sees it.
  if (argc > 1 && argv[1][0] != '-' && std::string_view(argv[1]) != "list" &&
      !registry.find(argv[1])) {
    if (std::string_view(argv[1]) == "help") {
      print_usage();
      return 0;
    }
    return usage_error(fmt::format("unknown scenario '{}'{}; 'asyncdemo list' shows them all",
                                   argv[1], did_you_mean(argv[1], registry.names())));
  }

  CLI::App app{"asyncdemo: the classic Python asyncio teaching programs, run as C++20 coroutines "
               "on Boost.Asio, with timing.",
               "asyncdemo"};
  app.set_version_flag("--version", std::string("asyncdemo ") + version);
  app.require_subcommand(0, 1);
  // Given twice, an option takes its last value, as most tools do.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.footer(
      "Run 'asyncdemo list' for the scenarios, 'asyncdemo <scenario> --help' for options.\n");
  auto* list = app.add_subcommand("list", "List the scenarios: seed, modes supported, summary");

  std::map<std::string, RunArgs> args;
  for (const auto* s : registry.all()) {
    auto& a = args[s->name];
    a.mode = std::string(to_string(s->default_mode));
    auto* sub = app.add_subcommand(s->name, s->summary);
    sub->footer(fmt::format("Seed {}. Modes: {}, all.\n", s->seed, join(s->modes)));
    sub->add_option("--mode", a.mode,
                    "How to run it: sync, await, create_task (or create-task), gather, "
                    "as_completed, or all to compare every mode")
        ->type_name("MODE")
        ->capture_default_str();
    sub->add_option("--clock", a.clock,
                    "real: wall time (scaled by --speed); virtual: instant, exact, deterministic")
        ->type_name("CLOCK")
        ->capture_default_str();
    sub->add_option("--speed", a.speed,
                    "On the real clock, how many times faster than real time, 0.001 to 1000 "
                    "(100: a 10 s run takes 0.1 s)")
        ->type_name("X")
        ->capture_default_str();
    sub->add_option("--color", a.color, "Colour the output: auto (on a terminal), always, never")
        ->type_name("WHEN")
        ->capture_default_str();
    sub->add_option("--format", a.format,
                    "text: lines and a summary; json: one document (docs/json.md); jsonl: one "
                    "event per line as it happens; csv, markdown: the table of tasks")
        ->type_name("FORMAT")
        ->capture_default_str();
    sub->add_flag("--timeline", a.timeline,
                  "After the run, draw a chart of what each task did when (fits COLUMNS)");
    sub->add_option("--trace", a.trace,
                    "Write a Chrome trace-event JSON file of the run (open it in ui.perfetto.dev)")
        ->type_name("FILE");
    sub->add_option("--runs", a.runs,
                    "Run each mode N times on the real clock; report mean ± σ, min and max")
        ->type_name("N")
        ->capture_default_str();
    sub->add_flag("-q,--quiet", a.quiet, "Print only the summary line");
    sub->add_flag("-v,--verbose", a.verbose,
                  "Also print the loop's view: each task created, started, suspended on what, "
                  "resumed, done");
    if (s->random)
      sub->add_option("--seed", a.seed,
                      "Seed of every random choice: the same seed gives the same run")
          ->type_name("N")
          ->capture_default_str();
    if (s->python)
      sub->add_flag("--python", a.python,
                    "Print the equivalent Python asyncio program for --mode and exit (runnable "
                    "with python3)");
    for (const auto& p : s->params) {
      a.params[p.name] = p.default_value;
      if (p.flag)
        sub->add_flag("--" + p.name, a.params[p.name], p.help);
      else
        sub->add_option("--" + p.name, a.params[p.name], p.help)->capture_default_str();
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    const std::string where = argc > 1 && argv[1][0] != '-' ? std::string(" ") + argv[1] : "";
    return usage_error(fmt::format("{}; see 'asyncdemo{} --help'", reword(e), where));
  }

  if (list->parsed()) {
    std::fputs(scenario_list(registry.all()).c_str(), stdout);
    return 0;
  }
  for (const auto* s : registry.all())
    if (app.got_subcommand(s->name)) return run(*s, args[s->name]);
  print_usage();
  return 0;
}

// Whatever escapes is one line and exit 1, and a write error on stdout is
// reported (into a closed pipe SIGPIPE has already ended us quietly).
int main(int argc, char** argv) {
  int code = exit_failed;
  try {
    code = run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::fputs(("asyncdemo: error: " + std::string(e.what()) + "\n").c_str(), stderr);
    return exit_failed;
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fputs("asyncdemo: error: could not write the output\n", stderr);
    return exit_failed;
  }
  return code;
}
