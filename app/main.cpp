// asyncdemo's command line: CLI11 wiring only. What it runs and prints lives
// in lib/ (runner, report) and scenarios/.
#include "asyncdemo/errors.hpp"
#include "asyncdemo/report.hpp"
#include "asyncdemo/runner.hpp"
#include "asyncdemo/scenario.hpp"
#include "asyncdemo/suggest.hpp"
#include "asyncdemo/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace asyncdemo;

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_interrupted = 130;

// One line on stderr: what was wrong and what would be right.
int usage_error(const std::string& message) {
  fmt::print(stderr, "asyncdemo: {}\n", message);
  return exit_usage;
}

struct RunArgs {
  std::string mode;
  std::string clock = "real";
  std::string speed = "1";
  std::string color = "auto";
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

std::optional<double> parse_speed(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v <= 0) return std::nullopt;
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

void print_list() {
  const auto scenarios = Registry::instance().all();
  std::size_t wn = 8, ws = 4, wm = 5;
  for (const auto* s : scenarios) {
    wn = std::max(wn, s->name.size());
    ws = std::max(ws, s->seed.size());
    wm = std::max(wm, join(s->modes).size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", "scenario", wn, "seed", ws, "modes", wm, "summary");
  for (const auto* s : scenarios)
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {}\n", s->name, wn, s->seed, ws, join(s->modes), wm,
               s->summary);
}

void print_usage() {
  fmt::print("asyncdemo {}: watch async concurrency happen\n\n"
             "usage: asyncdemo <scenario> [--mode=MODE] [--clock=real|virtual] [--speed=X]\n"
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
    return usage_error(fmt::format("--speed: '{}' is not a positive number; use e.g. --speed=100 "
                                   "to run 100× faster than real time",
                                   a.speed));
  if (a.color != "auto" && a.color != "always" && a.color != "never")
    return usage_error(
        fmt::format("--color: '{}' is not a choice; use auto, always or never", a.color));
  Params params = s.default_params();
  for (const auto& p : s.params) {
    const auto& value = a.params.at(p.name);
    if (p.check)
      if (auto why = p.check(value); !why.empty())
        return usage_error(fmt::format("--{}: {}", p.name, why));
    params.set(p.name, value);
  }

  const Style style{use_color(a.color)};
  const auto clock = a.clock == "real" ? ClockKind::real : ClockKind::virtual_time;

  // The virtual clock gives each mode's exact model time first (instantly),
  // and with it the widths that keep the live lines aligned.
  std::map<Mode, RunResult> models;
  auto model_of = [&](Mode m) -> const RunResult& {
    auto it = models.find(m);
    if (it == models.end()) it = models.emplace(m, model_run(s, params, m)).first;
    return it->second;
  };
  Duration longest{};
  std::size_t name_width = 4;
  for (auto m : modes) {
    const auto& model = model_of(m);
    if (model.failure) break; // the real run reports it
    longest = std::max(longest, model.elapsed);
    name_width = std::max(name_width, LivePrinter::name_width_for(model.recorder));
  }
  std::optional<Duration> sync_model;
  if (s.supports(Mode::sync)) sync_model = model_of(Mode::sync).elapsed;

  std::vector<RunResult> runs;
  runs.reserve(modes.size());
  for (auto m : modes) {
    if (modes.size() > 1)
      fmt::print("{}── {} ──{}\n", style.color ? "\x1b[1m" : "", to_string(m),
                 style.color ? "\x1b[0m" : "");
    std::fflush(stdout);
    LivePrinter printer(stdout, style, longest, name_width);
    runs.push_back(run_scenario(s, params, RunOptions{m, clock, *speed, true}, printer));
    const auto& r = runs.back();
    if (r.interrupted) {
      fmt::print("\n{}\n", interrupted_line(r, style));
      return exit_interrupted;
    }
    if (r.failure) {
      fmt::print(stderr, "asyncdemo: {} --mode={} failed: {}\n", s.name, to_string(m),
                 describe(r.failure));
      return exit_failed;
    }
    if (modes.size() == 1)
      fmt::print("\n{}\n", summary_line(r, model_of(m).elapsed, sync_model, style));
    else
      fmt::print("\n");
  }
  if (modes.size() > 1) {
    std::vector<Comparison> rows;
    for (const auto& r : runs)
      rows.push_back(Comparison{&r, model_of(r.mode).elapsed});
    fmt::print("{}\n", mode_table(rows, style));
    if (auto line = closing_line(rows, style); !line.empty()) fmt::print("{}\n", line);
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
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
                    "On the real clock, how many times faster than real time (100: a 10 s run "
                    "takes 0.1 s)")
        ->type_name("X")
        ->capture_default_str();
    sub->add_option("--color", a.color, "Colour the output: auto (on a terminal), always, never")
        ->type_name("WHEN")
        ->capture_default_str();
    for (const auto& p : s->params) {
      a.params[p.name] = p.default_value;
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
    print_list();
    return 0;
  }
  for (const auto* s : registry.all())
    if (app.got_subcommand(s->name)) return run(*s, args[s->name]);
  print_usage();
  return 0;
}
