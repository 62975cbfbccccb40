#include "commands.hpp"

#include "asyncdemo/version.hpp"

#include <fmt/format.h>

namespace asyncdemo::cli {

namespace {

// The table's options of one command (for a scenario's command, as that
// scenario has them).
void add_options(CLI::App& app, Command command, const Scenario* s, Given& given,
                 Choices& choices) {
  for (const auto& spec : option_table()) {
    if (spec.command != command) continue;
    if (spec.per_scenario == PerScenario::random && !s->random) continue;
    const bool modes = spec.per_scenario == PerScenario::modes;
    auto& entry = given.entries.emplace_back();
    entry.spec = &spec;
    const auto names = spec.short_name ? fmt::format("-{},--{}", spec.short_name, spec.name)
                                       : fmt::format("--{}", spec.name);
    const auto help =
        modes ? fmt::format(fmt::runtime(spec.help), join(s->modes)) : std::string(spec.help);
    if (spec.is_switch()) {
      entry.option = app.add_flag(names, help);
      continue;
    }
    entry.option =
        app.add_option(names, entry.value, help)->type_name(std::string(spec.placeholder));
    const auto fallback =
        modes ? std::string(to_string(s->default_mode)) : std::string(spec.fallback);
    if (!fallback.empty()) entry.option->default_str(fallback);
    std::vector<std::string> names_taken(spec.choices.begin(), spec.choices.end());
    if (modes) {
      for (auto m : s->modes)
        names_taken.emplace_back(to_string(m));
      names_taken.emplace_back("all");
    }
    if (!names_taken.empty()) choices[entry.option] = std::move(names_taken);
  }
}

// A scenario's command: the table's options, then the scenario's own.
void add_command(CLI::App& app, const Scenario& s, const std::string& name, Given& given,
                 Choices& choices) {
  auto* sub = app.add_subcommand(name, s.summary);
  sub->footer(fmt::format("From: {}. Modes: {}, all.\n", origin_words(s.seed), join(s.modes)));
  add_options(*sub, Command::scenario, &s, given, choices);
  for (const auto& p : s.params) {
    auto& value = given.params[p.name] = p.default_value;
    CLI::Option* o = nullptr;
    if (p.flag)
      o = sub->add_flag("--" + p.name, value, p.help);
    else
      o = sub->add_option("--" + p.name, value, p.help)->type_name(p.kind)->capture_default_str();
    given.param_options[p.name] = o;
  }
}

} // namespace

void Given::collect(RawOptions& raw, Requests& requests) const {
  for (const auto& e : entries)
    if (e.option->count() > 0) give(*e.spec, e.value, raw, requests);
  for (const auto& [name, option] : param_options)
    if (option->count() > 0) raw.params[name] = params.at(name);
}

Commands::Commands(const std::vector<ScenarioCommand>& scenario_commands)
    : app("asyncdemo: the classic Python asyncio teaching programs, run as C++20 coroutines on "
          "Boost.Asio, with timing.",
          "asyncdemo") {
  app.set_version_flag("-V,--version", std::string("asyncdemo ") + version);
  app.require_subcommand(0, 1);
  // Given twice, an option takes its last value, as most tools do.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_options(app, Command::top, nullptr, top, choices);
  list = app.add_subcommand("list", "List the scenarios: seed, modes supported, summary");
  add_options(*list, Command::list, nullptr, list_options, choices);
  for (const auto& [name, s] : scenario_commands)
    add_command(app, *s, name, scenarios[name], choices);
}

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

std::vector<ScenarioCommand> every_command() {
  std::vector<ScenarioCommand> out{{"run", &any_file()}};
  for (const auto* s : Registry::instance().all())
    out.emplace_back(s->name, s);
  return out;
}

} // namespace asyncdemo::cli
