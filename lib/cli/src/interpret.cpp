#include "asyncdemo/cli/interpret.hpp"

#include "asyncdemo/cli/grammar.hpp"
#include "asyncdemo/report/list.hpp"
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/script/python_program.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"
#include "asyncdemo/text/wrap.hpp"

#include "commands.hpp"
#include "completions.hpp"
#include "help.hpp"
#include "man.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

namespace asyncdemo::cli {

namespace {

bool is_help(std::string_view arg) {
  return arg == "--help" || arg == "-h";
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string>& known) {
  if (auto n = closest(typed, known)) return fmt::format(" (did you mean '{}'?)", *n);
  return {};
}

// asyncdemo show NAME: a built-in scenario file, to start one's own from.
Outcome show(const std::vector<std::string>& args, const Environment& env) {
  auto& registry = Registry::instance();
  std::vector<std::string> files;
  for (const auto* s : registry.all())
    if (!s->source.empty()) files.push_back(s->name);
  const auto which = fmt::format("the scenario files are {}", fmt::join(files, ", "));
  if (args.size() == 2 && is_help(args[1]))
    return Print{
        wrap_indented("asyncdemo show NAME: print a built-in scenario's file, to start one "
                      "of your own from: asyncdemo show breakfast > mine.toml, then "
                      "asyncdemo run mine.toml (docs/scenario-files.md).",
                      env.width, "", "") +
        "\n\n" + wrap_indented(which + ".", env.width, "", "") + "\n"};
  if (args.size() != 2 || args[1].starts_with('-'))
    return Usage{fmt::format("show takes one scenario's name, e.g. asyncdemo show "
                             "breakfast > mine.toml; {}",
                             which)};
  const auto* s = registry.find(args[1]);
  if (!s)
    return Usage{fmt::format("unknown scenario {}{}; {}", quote(args[1]),
                             did_you_mean(args[1], files), which)};
  if (s->source.empty())
    return Usage{
        fmt::format("{} is compiled C++ (scenarios/), not a scenario file; {}", s->name, which)};
  return Print{s->source, 0, false};
}

// asyncdemo --generate=KIND: the man page or a shell's completions, from
// the descriptions of every command.
Outcome generate(const std::string& kind) {
  const Commands c(every_command());
  std::vector<CommandDoc> docs;
  docs.push_back(describe(c.app, "", "asyncdemo [OPTIONS]", nullptr, c.choices));
  docs.push_back(describe(*c.list, "list", "asyncdemo list [OPTIONS]", nullptr, c.choices));
  for (const auto& [name, s] : every_command())
    docs.push_back(describe(*c.app.get_subcommand(name), name,
                            name == "run" ? "asyncdemo run FILE [OPTIONS]"
                                          : "asyncdemo " + name + " [OPTIONS]",
                            s, c.choices));
  if (kind == "man") return Print{man_page(docs), 0, false};
  if (kind == "bash") return Print{bash_completion(docs), 0, false};
  if (kind == "zsh") return Print{zsh_completion(docs), 0, false};
  if (kind == "fish") return Print{fish_completion(docs), 0, false};
  return Usage{fmt::format("--generate: {} is not something asyncdemo generates; use man, bash, "
                           "zsh or fish",
                           quote(kind))};
}

Outcome list(const std::string& format, const Environment& env) {
  const auto all = Registry::instance().all();
  if (format == "text") return Print{scenario_list(all, env.width)};
  if (format == "json") return Print{scenario_list_json(all), 0, false};
  if (format == "csv") return Print{scenario_list_csv(all), 0, false};
  return Usage{
      fmt::format("--format: {} is not a format of list; use text, json or csv", quote(format))};
}

// A scenario's command line, planned: a run, or --python's program.
Outcome plan(const Scenario& s, std::shared_ptr<const Scenario> file, const RawOptions& raw,
             const Environment& env) {
  auto planned = make_plan(s, raw, env);
  if (const auto* error = std::get_if<PlanError>(&planned)) return Usage{error->message};
  auto& p = std::get<RunPlan>(planned);
  if (p.python) {
    const Context ctx{p.modes.front(), p.params, p.seed};
    return Print{python_program(s, ctx), 0, false};
  }
  return Run{std::move(file), std::move(p)};
}

// A user's file, as the rest of asyncdemo sees it: its words for people
// (its name, a file's stem when it gives none; its origin and summary; its
// parameters' help) escaped wherever they are shown, JSON's "scenario"
// included; what runs (the parameters' defaults) as it is.
Scenario for_people(Scenario s) {
  s.name = escape_like_repr(s.name);
  s.seed = escape_like_repr(s.seed);
  s.summary = escape_like_repr(s.summary);
  for (auto& p : s.params)
    p.help = escape_like_repr(p.help);
  return s;
}

Outcome interpret_args(const std::vector<std::string>& given, const Environment& env) {
  auto& registry = Registry::instance();
  std::vector<std::string> args = given;
  std::string first = args.empty() ? "" : args[0];
  if (first == "show") return show(args, env);

  // asyncdemo help [NAME]: the same as asyncdemo [NAME] --help.
  if (first == "help") {
    if (args.size() > 2)
      return Usage{fmt::format("help takes one name, e.g. asyncdemo help breakfast; {} is one "
                               "too many",
                               quote(args[2]))};
    std::vector<std::string> asked;
    if (args.size() == 2 && args[1] != "help") asked.push_back(args[1]);
    asked.emplace_back("--help");
    args = std::move(asked);
    first = args.size() > 1 ? args[0] : "";
    if (first == "show") return show(args, env);
  }

  // asyncdemo run FILE [options]: the file's scenario, as the command "run";
  // asyncdemo run --help: what every file takes.
  std::shared_ptr<const Scenario> file;
  const bool run_help = first == "run" && args.size() == 2 && is_help(args[1]);
  if (first == "run" && !run_help) {
    if (args.size() < 2 || args[1].starts_with('-'))
      return Usage{"run takes a scenario file, e.g. asyncdemo run kitchen.toml (asyncdemo show "
                   "breakfast > kitchen.toml makes one)"};
    if (args[1].ends_with(".py")) { // a Python program (docs/python-programs.md)
      auto loaded = script::load_python(args[1]);
      if (const auto* error = std::get_if<script::LoadError>(&loaded)) return Usage{error->message};
      file = std::make_shared<const Scenario>(for_people(std::get<Scenario>(std::move(loaded))));
    } else {
      auto loaded = script::load_file(args[1]);
      if (const auto* error = std::get_if<script::LoadError>(&loaded)) return Usage{error->message};
      file = std::make_shared<const Scenario>(
          for_people(script::scenario_of(std::get<0>(std::move(loaded)))));
    }
    args.erase(args.begin() + 1);
  }

  // An unknown scenario gets a suggestion before CLI11 sees it.
  const Scenario* chosen = file            ? file.get()
                           : run_help      ? &any_file()
                           : !args.empty() ? registry.find(args[0])
                                           : nullptr;
  if (!args.empty() && !args[0].starts_with('-') && args[0] != "list" && !chosen) {
    std::vector<std::string> names = registry.names();
    for (const char* command : {"list", "show", "run", "help"})
      names.emplace_back(command);
    return Usage{fmt::format("unknown scenario {}{}; 'asyncdemo list' shows them all",
                             quote(args[0]), did_you_mean(args[0], names))};
  }

  const bool listing = !args.empty() && args[0] == "list";
  const std::string command = file || run_help ? "run" : chosen ? chosen->name : "";
  Commands c(chosen ? std::vector<ScenarioCommand>{{command, chosen}}
                    : std::vector<ScenarioCommand>{});
  // A file's command is "run FILE" in the hints (quoted if it would show as something else).
  const auto named =
      file ? "run " + (printable(file->file) ? file->file : quote(file->file)) : command;
  const auto grammar = chosen    ? Grammar::of(*c.app.get_subcommand(command), named, chosen)
                       : listing ? Grammar::of(*c.list, "list", nullptr)
                                 : Grammar::of(c.app, "", nullptr);
  auto normalised = normalise(args, grammar);
  if (const auto* refusal = std::get_if<std::string>(&normalised)) return Usage{*refusal};
  try {
    c.app.parse(std::get<std::vector<std::string>>(normalised));
  } catch (const CLI::CallForHelp&) {
    // Our own help, fitted to the terminal, for the command that asked.
    if (chosen)
      return Print{help_text(describe(*c.app.get_subcommand(command), command,
                                      file || run_help ? "asyncdemo run FILE [OPTIONS]"
                                                       : "asyncdemo " + command + " [OPTIONS]",
                                      chosen, c.choices),
                             env.width)};
    if (listing)
      return Print{help_text(
          describe(*c.list, "list", "asyncdemo list [OPTIONS]", nullptr, c.choices), env.width)};
    return Print{top_help(describe(c.app, "", "asyncdemo [OPTIONS]", nullptr, c.choices),
                          registry.all(), env.width)};
  } catch (const CLI::CallForVersion& e) {
    return Print{std::string(e.what()) + "\n"};
  } catch (const CLI::ParseError& e) {
    return Usage{fmt::format("{}; {}", reword(e), grammar.hint())};
  }

  Requests requests;
  RawOptions raw;
  c.top.collect(raw, requests);
  if (requests.generate) return generate(*requests.generate);
  if (c.list->parsed()) {
    c.list_options.collect(raw, requests);
    return list(requests.list_format.value_or("text"), env);
  }
  if (chosen && !run_help && c.app.got_subcommand(command)) {
    c.scenarios.at(command).collect(raw, requests);
    return plan(*chosen, std::move(file), raw, env);
  }
  return Print{short_usage(registry.all(), env.width)};
}

} // namespace

// Whatever a command line or a file holds, what is said about it reaches the
// terminal escaped: a usage error stays one line, help and list show no
// control or invisible character raw.
Outcome interpret(const std::vector<std::string>& args, const Environment& env) {
  auto outcome = interpret_args(args, env);
  if (auto* usage = std::get_if<Usage>(&outcome))
    usage->message = escape_like_repr(usage->message);
  else if (auto* print = std::get_if<Print>(&outcome); print && print->for_people)
    print->text = escape_lines_like_repr(print->text);
  return outcome;
}

std::string notes_text(const RunPlan& plan) {
  std::string out;
  for (const auto& note : plan.notes)
    out += plan.dim_notes ? fmt::format("\x1b[2masyncdemo: {}\x1b[0m\n", note)
                          : fmt::format("asyncdemo: {}\n", note);
  return out;
}

} // namespace asyncdemo::cli
