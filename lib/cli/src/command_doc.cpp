#include "command_doc.hpp"

#include <fmt/format.h>

namespace asyncdemo::cli {

CommandDoc describe(const CLI::App& app, std::string name, std::string usage,
                    const Scenario* scenario, const Choices& choices) {
  CommandDoc doc{std::move(name), std::move(usage), app.get_description(), scenario, {}, {}};
  for (const auto* o : app.get_options()) {
    OptionDoc d;
    if (!o->get_lnames().empty()) d.name = o->get_lnames().front();
    if (!o->get_snames().empty()) d.short_name = o->get_snames().front().front();
    if (d.name.empty()) continue; // every option has a long name; -h is --help's
    const bool value = o->get_expected_max() != 0;
    if (value) d.kind = o->get_type_name();
    if (value) d.fallback = o->get_default_str();
    d.help = o->get_description();
    if (const auto it = choices.find(o); it != choices.end()) d.choices = it->second;
    if (scenario)
      if (const auto* p = scenario->param(d.name)) {
        d.own = true;
        d.choices = p->choices;
      }
    if (d.name == "help") d.help = "Print this help and exit";
    if (d.name == "version") d.help = "Print asyncdemo's version and exit";
    doc.options.push_back(std::move(d));
  }
  if (scenario) doc.examples = examples_for(*scenario, doc.name == "run");
  return doc;
}

std::vector<std::string> examples_for(const Scenario& s, bool file) {
  const std::string cmd =
      file ? "asyncdemo run " + (s.file.empty() ? "FILE" : s.file) : "asyncdemo " + s.name;
  std::vector<std::string> out;
  if (s.modes.size() > 1)
    out.push_back(cmd + " --mode=all --clock=virtual    # every mode, compared, at once");
  out.push_back(fmt::format("{} --mode={} --python > {}.py    # the same program in asyncio", cmd,
                            to_string(s.default_mode), file ? "mine" : s.name));
  if (s.supports(Mode::sync) && s.modes.size() > 1)
    out.push_back(cmd + " --mode=all --clock=virtual -q --min-speedup=1.5    # for CI: exit 3 if "
                        "not");
  else
    out.push_back(cmd + " --clock=virtual --format=json    # for scripts (docs/json.md)");
  return out;
}

const std::vector<std::pair<std::string, std::string>>& exit_statuses() {
  static const std::vector<std::pair<std::string, std::string>> statuses{
      {"0", "it ran, and printed what it should"},
      {"1", "the scenario failed (its exception is shown), or the output could not be written"},
      {"2", "bad usage: one line on stderr says what was wrong and what would be right"},
      {"3", "an assertion did not hold: --expect (the lines differ) or --min-speedup"},
      {"130, 143, 129", "interrupted by SIGINT (Ctrl-C), SIGTERM or SIGHUP: what ran is reported"},
  };
  return statuses;
}

const std::vector<std::pair<std::string, std::string>>& words() {
  static const std::vector<std::pair<std::string, std::string>> w{
      {"model", "a run's exact time: the same mode on the virtual clock, where nothing but the "
                "program's own sleeps and blocking work takes time; a real run's overhead is how "
                "far it is from its model"},
      {"sync", "the baseline: the same work as plain functions, one after another; \"1.67 × "
               "faster than sync\" compares with it"},
      {"from", "the tutorial a scenario retells (tutorial 2, section 34.6.2), or beyond "
               "the tutorials: written for asyncdemo; --seed is another thing, the seed of the "
               "random numbers"},
      {"why:, pitfall:", "narration: asyncdemo explaining the run, not the program's output "
                         "(the --python program has it as a comment)"},
  };
  return w;
}

} // namespace asyncdemo::cli
