// asyncdemo's command line: parse it (CLI11), ask for a plan, run it, and
// turn the outcome into an exit status. What a plan allows is decided in
// lib/run/src/plan.cpp; what is printed, in lib/report.
#include "asyncdemo/process/signals.hpp"
#include "asyncdemo/process/terminal.hpp"
#include "asyncdemo/report/list.hpp"
#include "asyncdemo/report/reporters.hpp"
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/session.hpp"
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"
#include "asyncdemo/text/wrap.hpp"
#include "asyncdemo/version.hpp"

#include "completions.hpp"
#include "help.hpp"
#include "man.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace asyncdemo;

constexpr int exit_failed = 1;
constexpr int exit_usage = 2;
constexpr int exit_unmet = 3; // --expect or --min-speedup did not hold

// One line on stderr: what was wrong and what would be right. (fputs: a
// closed or full stderr must not turn a usage error into a crash.)
int usage_error(const std::string& message) {
  std::fputs(("asyncdemo: " + message + "\n").c_str(), stderr);
  return exit_usage;
}

// The options of one scenario's command, as CLI11 fills them.
struct Command {
  std::string mode, clock, speed, color, seed, format, runs, trace, html, svg;
  std::string export_json, export_markdown, export_csv, expect, min_speedup;
  std::map<std::string, CLI::Option*> given; // by option name, to tell given from default
  bool timeline = false, quiet = false, verbose = false, python = false, step = false;
  std::map<std::string, std::string> params;
  std::map<std::string, CLI::Option*> param_options;

  RawOptions raw() const {
    RawOptions r;
    auto take = [&](const char* name, const std::string& value, std::optional<std::string>& to) {
      if (const auto it = given.find(name); it != given.end() && it->second->count() > 0)
        to = value;
    };
    take("mode", mode, r.mode);
    take("clock", clock, r.clock);
    take("speed", speed, r.speed);
    take("color", color, r.color);
    take("seed", seed, r.seed);
    take("format", format, r.format);
    take("runs", runs, r.runs);
    take("trace", trace, r.trace);
    take("export-json", export_json, r.export_json);
    take("export-markdown", export_markdown, r.export_markdown);
    take("export-csv", export_csv, r.export_csv);
    take("expect", expect, r.expect);
    take("min-speedup", min_speedup, r.min_speedup);
    take("html", html, r.html);
    take("svg", svg, r.svg);
    r.step = step;
    r.timeline = timeline;
    r.quiet = quiet;
    r.verbose = verbose;
    r.python = python;
    for (const auto& [name, option] : param_options)
      if (option->count() > 0) r.params[name] = params.at(name);
    return r;
  }
};

// CLI11's messages, said the way the rest of ours are.
std::string reword(const CLI::ParseError& e) {
  const std::string what = e.what();
  for (std::string_view extras :
       {"The following arguments were not expected: ", "The following argument was not expected: "})
    if (what.rfind(extras, 0) == 0) {
      const auto arg = what.substr(extras.size());
      return (arg.rfind('-', 0) == 0 ? "unknown option " : "unexpected argument ") + quote(arg);
    }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const auto colon = what.find(':');
    if (colon != std::string::npos && what.rfind("--", 0) == 0)
      return fmt::format("{} needs a value ({}=VALUE)", what.substr(0, colon),
                         what.substr(0, colon));
  }
  return "could not read the command line: " + quote(what);
}

void print_usage() {
  std::fputs(cli::short_usage(Registry::instance().all(), terminal_width(stdout)).c_str(), stdout);
}

// What one command line may hold: asyncdemo's own options (before any
// scenario), list's, or a scenario's, as they were given to CLI11.
struct Grammar {
  std::string command;                // "" (asyncdemo itself), "list" or a scenario's name
  const Scenario* scenario = nullptr; // when the command is one
  std::map<std::string, std::string, std::less<>> values; // name -> its value in --help: MODE, FILE
  std::vector<std::string> switches;                      // long names
  std::string shorts;                                     // the one-letter switches

  static Grammar of(const CLI::App& app, std::string command, const Scenario* s) {
    Grammar g{std::move(command), s, {}, {}, {}};
    for (const auto* o : app.get_options()) {
      const bool flag = o->get_expected_max() == 0;
      for (const auto& name : o->get_lnames())
        if (flag)
          g.switches.push_back(name);
        else
          g.values[name] = o->get_type_name();
      if (flag)
        for (const auto& name : o->get_snames())
          g.shorts += name;
    }
    return g;
  }
  std::string hint() const {
    return fmt::format("see 'asyncdemo{}{} --help'", command.empty() ? "" : " ", command);
  }
  std::string unknown(std::string_view option, std::string_view name) const {
    if (scenario && name == "seed")
      return fmt::format("{} draws no random numbers, so --seed does not apply; drop it",
                         scenario->name);
    std::string near;
    auto names = switches;
    for (const auto& [n, kind] : values)
      names.push_back(n);
    if (!name.empty())
      if (auto n = closest(name, names)) near = fmt::format(" (did you mean '--{}'?)", *n);
    return fmt::format("unknown option {}{}; {}", quote(option), near, hint());
  }
};

// An argument after an option that needs a value, which is an option
// itself rather than the value ("-5" is a value, "-q" is not).
bool looks_like_option(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-' && !parse_number(arg);
}

// Every argument is checked against the command's grammar before CLI11 sees
// it, so that CLI11 never guesses: an option that needs a value takes the
// next argument only when that is not an option (--trace -q is refused),
// an empty value (--trace=) stays a value, switches take no value
// (--timeline=yes is refused; a scenario's switch takes --name=true or
// --name=false), and no command takes arguments (not even after "--").
// Returns the arguments CLI11 is to see, or a refusal.
std::variant<std::vector<std::string>, std::string> normalise(int argc, char** argv,
                                                              const Grammar& g) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> out;
  std::size_t i = 0;
  if (!g.command.empty()) {
    out.push_back(args[i++]);
  } else {
    // asyncdemo --mode=gather breakfast: the options came first.
    for (const auto& a : args)
      if (a == "list" || Registry::instance().find(a))
        return fmt::format("{} comes before the scenario; name the scenario first: asyncdemo {} "
                           "[options]",
                           quote(args.front()), a);
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size())
        return fmt::format("unexpected argument {} after '--' (asyncdemo takes options only); {}",
                           quote(args[i + 1]), g.hint());
      continue; // a "--" at the end is harmless
    }
    if (arg.size() < 2 || arg[0] != '-')
      return fmt::format("unexpected argument {}; {}", quote(arg), g.hint());
    const auto eq = arg.find('=');
    if (arg[1] != '-') { // short: -q, -v, -h, -qv
      const auto letters = arg.substr(1, eq == std::string::npos ? eq : eq - 1);
      if (letters.empty() || letters.find_first_not_of(g.shorts) != std::string::npos)
        return g.unknown(arg.substr(0, eq), letters.size() > 1 ? letters : "");
      if (eq != std::string::npos)
        return fmt::format("{} takes no value; give {} alone", quote(arg.substr(0, eq)),
                           arg.substr(0, eq));
      out.push_back(arg);
      continue;
    }
    const auto name = arg.substr(2, eq == std::string::npos ? eq : eq - 2);
    std::optional<std::string> value;
    if (eq != std::string::npos) value = arg.substr(eq + 1);
    if (const Param* param = g.scenario ? g.scenario->param(name) : nullptr; param && param->flag) {
      // --cancel, --cancel=true or --cancel=false; given twice, the last one wins.
      if (value && *value != "true" && *value != "false")
        return fmt::format("--{}: {}", name, param->check ? param->check(*value) : quote(*value));
      out.push_back(arg);
      continue;
    }
    if (std::find(g.switches.begin(), g.switches.end(), name) != g.switches.end()) {
      if (value)
        return fmt::format("--{} is a switch and takes no value (got {}); give --{} alone", name,
                           quote(*value), name);
      out.push_back(arg);
      continue;
    }
    const auto kind = g.values.find(name);
    if (kind == g.values.end()) return g.unknown(name.empty() ? arg : arg.substr(0, eq), name);
    if (!value) {
      if (i + 1 == args.size())
        return fmt::format("--{0} needs a value (--{0}={1}); {2}", name, kind->second, g.hint());
      if (looks_like_option(args[i + 1]))
        return fmt::format("--{0} needs a value (--{0}={1}); {2}, which follows it, is taken as "
                           "an option",
                           name, kind->second, quote(args[i + 1]));
      value = args[++i];
    }
    out.push_back("--" + name);
    out.push_back(*value); // even when empty: an empty value is a value
  }
  std::reverse(out.begin(), out.end()); // CLI11 takes them last first
  return out;
}

int run_scenario_command(const Scenario& s, const Command& c) {
  const auto planned = make_plan(s, c.raw(), Environment::of_process());
  if (const auto* error = std::get_if<PlanError>(&planned)) return usage_error(error->message);
  const auto& plan = std::get<RunPlan>(planned);

  if (plan.python) {
    const Context ctx{plan.modes.front(), plan.params, plan.seed};
    std::fputs(python_program(s, ctx).c_str(), stdout);
    return 0;
  }
  // Checked before anything runs: an unwritable --trace is refused now.
  auto reporters = make_reporters(plan, stdout);
  if (!reporters.error.empty()) return usage_error(reporters.error);
  switch (run_session(plan, reporters.pointers(), stderr, signals::source())) {
  case SessionOutcome::ok:
    return 0;
  case SessionOutcome::failed:
    return exit_failed;
  case SessionOutcome::interrupted:
    return signals::exit_status();
  case SessionOutcome::unmet:
    return exit_unmet;
  }
  return exit_failed;
}

// A scenario's command: asyncdemo's own options, then the scenario's.
void add_command(CLI::App& app, const Scenario& s, const std::string& name, Command& c,
                 cli::Choices& choices) {
  c.mode = std::string(to_string(s.default_mode));
  c.clock = "real";
  c.speed = "1";
  c.color = "auto";
  c.seed = std::to_string(default_seed);
  c.format = "text";
  c.runs = "1";
  auto* sub = app.add_subcommand(name, s.summary);
  sub->footer(fmt::format("Seed {}. Modes: {}, all.\n", s.seed, join(s.modes)));
  // Choices, for --help and the completions (the plan checks the values).
  auto option = [&](const char* option_name, std::string& to, const char* kind, std::string help,
                    bool show_default = true, std::vector<std::string> values = {}) {
    auto* o =
        sub->add_option(std::string("--") + option_name, to, std::move(help))->type_name(kind);
    if (show_default) o->capture_default_str();
    c.given[option_name] = o;
    if (!values.empty()) choices[o] = std::move(values);
  };
  std::vector<std::string> modes;
  for (auto m : s.modes)
    modes.emplace_back(to_string(m));
  modes.emplace_back("all");
  option("mode", c.mode, "MODE",
         fmt::format("How to run it: {}, or all to compare them (create-task is create_task too)",
                     join(s.modes)),
         true, modes);
  option("clock", c.clock, "CLOCK",
         "real: wall time (scaled by --speed); virtual: instant, exact, deterministic", true,
         {"real", "virtual"});
  option("speed", c.speed, "X",
         "On the real clock, how many times faster than real time, 0.001 to 1000 (100: a 10 s "
         "run takes 0.1 s)");
  option("color", c.color, "WHEN", "Colour the output: auto (on a terminal), always, never", true,
         {"auto", "always", "never"});
  option("format", c.format, "FORMAT",
         "text: lines and a summary; json: one document (docs/json.md); jsonl: one event per "
         "line as it happens; csv, markdown: the table of tasks",
         true, {format_choices.begin(), format_choices.end()});
  sub->add_flag("--timeline", c.timeline,
                "After the run, draw a chart of what each task did when (fits COLUMNS)");
  option("trace", c.trace, "FILE",
         "Write a Chrome trace-event JSON file of the run (open it in ui.perfetto.dev)", false);
  option("runs", c.runs, "N",
         "Run each mode N times on the real clock; report mean ± σ, min and max");
  sub->add_flag("--step", c.step,
                "Walk through the run one loop iteration at a time: Enter or space next, b back, "
                "c to the end, q quit (one command a line when stdin is not a terminal); needs "
                "--clock=virtual");
  option("html", c.html, "FILE",
         "Write a replay of the run to open in a browser: the timeline with a cursor, the "
         "loop's queues at each iteration, play, step and back (one file, nothing fetched)",
         false);
  option("svg", c.svg, "FILE",
         "Write the timeline as an SVG image, for slides and handouts (--mode=all stacks the "
         "modes)",
         false);
  option("export-json", c.export_json, "FILE",
         "Also write the report as JSON (what --format=json prints) to FILE", false);
  option("export-markdown", c.export_markdown, "FILE",
         "Also write the report as Markdown to FILE: each run's tasks, the table of modes", false);
  option("export-csv", c.export_csv, "FILE",
         "Also write CSV to FILE: the table of modes for --mode=all or --runs, else the tasks",
         false);
  option("expect", c.expect, "FILE",
         "Check that the run prints FILE's lines, in order (the text alone, as the --python "
         "program prints it); if not, show the first difference and exit 3",
         false);
  option("min-speedup", c.min_speedup, "X",
         "Exit 3 unless the best mode runs at least X times faster than sync (with --mode=all: "
         "the best concurrent mode)",
         false);
  sub->add_flag("-q,--quiet", c.quiet, "Print only the summary line");
  sub->add_flag("-v,--verbose", c.verbose,
                "Also print the loop's view: each task created, started, suspended on what, "
                "resumed, done");
  if (s.random)
    option("seed", c.seed, "N", "Seed of every random choice: the same seed gives the same run");
  sub->add_flag("--python", c.python,
                "Print the equivalent Python asyncio program for --mode and exit (runnable with "
                "python3)");
  for (const auto& p : s.params) {
    c.params[p.name] = p.default_value;
    CLI::Option* o = nullptr;
    if (p.flag)
      o = sub->add_flag("--" + p.name, c.params[p.name], p.help);
    else
      o = sub->add_option("--" + p.name, c.params[p.name], p.help)
              ->type_name(p.kind)
              ->capture_default_str();
    c.param_options[p.name] = o;
  }
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& known) {
  if (auto n = closest(typed, known)) return fmt::format(" (did you mean '{}'?)", *n);
  return {};
}

// asyncdemo show NAME: a built-in scenario file, to start one's own from.
int show(int argc, char** argv) {
  auto& registry = Registry::instance();
  std::vector<std::string> files;
  for (const auto* s : registry.all())
    if (!s->source.empty()) files.push_back(s->name);
  const auto which = fmt::format("the scenario files are {}", fmt::join(files, ", "));
  if (argc == 3 && (std::string_view(argv[2]) == "--help" || std::string_view(argv[2]) == "-h")) {
    const auto width = terminal_width(stdout);
    std::fputs((wrap_indented("asyncdemo show NAME: print a built-in scenario's file, to start one "
                              "of your own from: asyncdemo show breakfast > mine.toml, then "
                              "asyncdemo run mine.toml (docs/scenario-files.md).",
                              width, "", "") +
                "\n\n" + wrap_indented(which + ".", width, "", "") + "\n")
                   .c_str(),
               stdout);
    return 0;
  }
  if (argc != 3 || argv[2][0] == '-')
    return usage_error(fmt::format("show takes one scenario's name, e.g. asyncdemo show "
                                   "breakfast > mine.toml; {}",
                                   which));
  const auto* s = registry.find(argv[2]);
  if (!s)
    return usage_error(fmt::format("unknown scenario {}{}; {}", quote(argv[2]),
                                   did_you_mean(argv[2], files), which));
  if (s->source.empty())
    return usage_error(
        fmt::format("{} is compiled C++ (scenarios/), not a scenario file; {}", s->name, which));
  std::fputs(s->source.c_str(), stdout);
  return 0;
}

// The scenario `asyncdemo run --help` describes: any file, before it is read.
const Scenario& any_file() {
  static const Scenario s{
      .name = "FILE",
      .seed = "your file",
      .summary = "run a scenario file of your own (a TOML file: docs/scenario-files.md)",
      .modes = {every_mode.begin(), every_mode.end()},
      .params = {},
      .random = true, // --seed, for a file that draws random numbers
      .main = {},
      .python = {},
  };
  return s;
}

int generate(const std::string& kind, const CLI::App& app,
             const std::map<std::string, Command>& commands, const cli::Choices& choices) {
  std::vector<cli::CommandDoc> docs;
  docs.push_back(cli::describe(app, "", "asyncdemo [OPTIONS]", nullptr, choices));
  docs.push_back(cli::describe(*app.get_subcommand("list"), "list", "asyncdemo list [OPTIONS]",
                               nullptr, choices));
  docs.push_back(cli::describe(*app.get_subcommand("run"), "run", "asyncdemo run FILE [OPTIONS]",
                               &any_file(), choices));
  for (const auto* s : Registry::instance().all())
    if (commands.count(s->name))
      docs.push_back(cli::describe(*app.get_subcommand(s->name), s->name,
                                   "asyncdemo " + s->name + " [OPTIONS]", s, choices));
  std::string text;
  if (kind == "man")
    text = cli::man_page(docs);
  else if (kind == "bash")
    text = cli::bash_completion(docs);
  else if (kind == "zsh")
    text = cli::zsh_completion(docs);
  else if (kind == "fish")
    text = cli::fish_completion(docs);
  else
    return usage_error(fmt::format("--generate: {} is not something asyncdemo generates; use man, "
                                   "bash, zsh or fish",
                                   quote(kind)));
  std::fputs(text.c_str(), stdout);
  return 0;
}

} // namespace

int run_cli(int argc, char** argv) {
  auto& registry = Registry::instance();
  std::string_view first = argc > 1 ? argv[1] : "";
  if (first == "show") return show(argc, argv);

  // asyncdemo help [NAME]: the same as asyncdemo [NAME] --help.
  static char help_flag[] = "--help";
  std::vector<char*> help_args{argv[0]};
  if (first == "help") {
    if (argc > 3)
      return usage_error(fmt::format("help takes one name, e.g. asyncdemo help breakfast; {} "
                                     "is one too many",
                                     quote(argv[3])));
    if (argc == 3 && std::string_view(argv[2]) != "help") help_args.push_back(argv[2]);
    help_args.push_back(help_flag);
    argc = static_cast<int>(help_args.size());
    argv = help_args.data();
    first = argc > 2 ? argv[1] : "";
    if (first == "show") return show(argc, argv);
  }

  // asyncdemo run FILE [options]: the file's scenario, as the command "run";
  // asyncdemo run --help: what every file takes.
  std::optional<Scenario> file_scenario;
  std::vector<char*> args_after_file;
  const bool run_help =
      first == "run" && argc == 3 &&
      (std::string_view(argv[2]) == "--help" || std::string_view(argv[2]) == "-h");
  if (first == "run" && !run_help) {
    if (argc < 3 || argv[2][0] == '-')
      return usage_error("run takes a scenario file, e.g. asyncdemo run kitchen.toml "
                         "(asyncdemo show breakfast > kitchen.toml makes one)");
    auto loaded = script::load_file(argv[2]);
    if (const auto* error = std::get_if<script::LoadError>(&loaded))
      return usage_error(error->message);
    file_scenario = script::scenario_of(std::get<0>(std::move(loaded)));
    args_after_file.push_back(argv[0]);
    args_after_file.push_back(argv[1]);
    for (int i = 3; i < argc; ++i)
      args_after_file.push_back(argv[i]);
    argc = static_cast<int>(args_after_file.size());
    argv = args_after_file.data();
  }

  // An unknown scenario gets a suggestion before CLI11 sees it.
  const Scenario* chosen = file_scenario ? &*file_scenario
                           : run_help    ? &any_file()
                           : argc > 1    ? registry.find(argv[1])
                                         : nullptr;
  if (argc > 1 && argv[1][0] != '-' && std::string_view(argv[1]) != "list" && !chosen) {
    std::vector<std::string> names = registry.names();
    for (const char* command : {"list", "show", "run", "help"})
      names.emplace_back(command);
    return usage_error(fmt::format("unknown scenario {}{}; 'asyncdemo list' shows them all",
                                   quote(argv[1]), did_you_mean(argv[1], names)));
  }

  CLI::App app{"asyncdemo: the classic Python asyncio teaching programs, run as C++20 coroutines "
               "on Boost.Asio, with timing.",
               "asyncdemo"};
  app.set_version_flag("-V,--version", std::string("asyncdemo ") + version);
  app.require_subcommand(0, 1);
  // Given twice, an option takes its last value, as most tools do.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cli::Choices choices;
  std::string generate_kind;
  auto* generate_option =
      app.add_option("--generate", generate_kind,
                     "Print the man page (man) or a shell's completion script (bash, zsh, fish), "
                     "made from these same options; cmake --install puts them in place")
          ->type_name("KIND");
  choices[generate_option] = {"man", "bash", "zsh", "fish"};
  auto* list = app.add_subcommand("list", "List the scenarios: seed, modes supported, summary");
  std::string list_format = "text";
  auto* list_format_option =
      list->add_option("--format", list_format, "text: a table for people; json, csv: for scripts")
          ->type_name("FORMAT")
          ->capture_default_str();
  choices[list_format_option] = {"text", "json", "csv"};

  std::map<std::string, Command> commands;
  if (file_scenario) {
    add_command(app, *file_scenario, "run", commands["run"], choices);
  } else {
    add_command(app, any_file(), "run", commands["run"], choices);
    for (const auto* s : registry.all())
      add_command(app, *s, s->name, commands[s->name], choices);
  }

  const bool listing = argc > 1 && std::string_view(argv[1]) == "list";
  const std::string command_name = file_scenario || run_help ? "run" : chosen ? chosen->name : "";
  const auto grammar = chosen
                           ? Grammar::of(*app.get_subcommand(command_name),
                                         file_scenario ? "run " + (printable(file_scenario->file)
                                                                       ? file_scenario->file
                                                                       : quote(file_scenario->file))
                                                       : command_name,
                                         chosen)
                       : listing ? Grammar::of(*list, "list", nullptr)
                                 : Grammar::of(app, "", nullptr);
  auto args = normalise(argc, argv, grammar);
  if (const auto* refusal = std::get_if<std::string>(&args)) return usage_error(*refusal);
  try {
    app.parse(std::get<std::vector<std::string>>(args));
  } catch (const CLI::CallForHelp&) {
    // Our own help, fitted to the terminal, for the command that asked.
    const auto width = terminal_width(stdout);
    std::string text;
    if (chosen)
      text = cli::help_text(cli::describe(*app.get_subcommand(command_name), command_name,
                                          file_scenario || run_help
                                              ? "asyncdemo run FILE [OPTIONS]"
                                              : "asyncdemo " + command_name + " [OPTIONS]",
                                          chosen, choices),
                            width);
    else if (listing)
      text = cli::help_text(
          cli::describe(*list, "list", "asyncdemo list [OPTIONS]", nullptr, choices), width);
    else
      text = cli::top_help(cli::describe(app, "", "asyncdemo [OPTIONS]", nullptr, choices),
                           registry.all(), width);
    std::fputs(text.c_str(), stdout);
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(fmt::format("{}; {}", reword(e), grammar.hint()));
  }

  if (generate_option->count() > 0) return generate(generate_kind, app, commands, choices);
  if (list->parsed()) {
    std::string text;
    if (list_format == "text")
      text = scenario_list(registry.all(), terminal_width(stdout));
    else if (list_format == "json")
      text = scenario_list_json(registry.all());
    else if (list_format == "csv")
      text = scenario_list_csv(registry.all());
    else
      return usage_error(fmt::format("--format: {} is not a format of list; use text, json or csv",
                                     quote(list_format)));
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  if (chosen && !run_help && app.got_subcommand(command_name))
    return run_scenario_command(*chosen, commands.at(command_name));
  print_usage();
  return 0;
}

// Whatever escapes is one line and exit 1, and a write error on stdout is
// reported (into a closed pipe SIGPIPE has already ended us quietly).
int main(int argc, char** argv) {
  // First of all: signals are handled, and descriptors 0-2 are open, for
  // the whole life of the process.
  signals::install();
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
  // A stop asked for at the very end still ends as one.
  if (code == 0 && signals::requested()) return signals::exit_status();
  return code;
}
