// The option table: every option it holds reaches what it is for (the plan,
// or what asyncdemo prints instead of a run), the default --help shows is
// the one used, and no two options share a name or a destination.
#include "asyncdemo/cli/options.hpp"

#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace asyncdemo;
using asyncdemo::test::interpret;
using asyncdemo::test::outcome_text;

namespace {

// A command line that gives an option, and the same without it. A new
// option needs its case here: the test below fails until it has one.
struct Case {
  std::vector<std::string> without;
  std::string given; // appended to `without`
};

std::string key(const cli::OptionSpec& o) {
  return fmt::format("{}--{}",
                     o.command == cli::Command::top    ? ""
                     : o.command == cli::Command::list ? "list "
                                                       : "",
                     o.name);
}

const std::map<std::string, Case>& cases() {
  static const std::map<std::string, Case> c{
      {"--generate", {{}, "--generate=bash"}},
      {"list --format", {{"list"}, "--format=json"}},
      {"--mode", {{"breakfast"}, "--mode=sync"}},
      {"--clock", {{"breakfast"}, "--clock=virtual"}},
      {"--speed", {{"breakfast"}, "--speed=2"}},
      {"--workers", {{"breakfast"}, "--workers=3"}},
      {"--color", {{"breakfast"}, "--color=always"}},
      {"--format", {{"breakfast"}, "--format=json"}},
      {"--timeline", {{"breakfast"}, "--timeline"}},
      {"--trace", {{"breakfast"}, "--trace=t.json"}},
      {"--runs", {{"breakfast"}, "--runs=2"}},
      {"--step", {{"breakfast", "--clock=virtual"}, "--step"}},
      {"--html", {{"breakfast"}, "--html=r.html"}},
      {"--svg", {{"breakfast"}, "--svg=t.svg"}},
      {"--title", {{"breakfast", "--svg=t.svg"}, "--title=Breakfast"}},
      {"--scale", {{"breakfast", "--svg=t.svg"}, "--scale=2"}},
      {"--export-json", {{"breakfast"}, "--export-json=r.json"}},
      {"--export-markdown", {{"breakfast"}, "--export-markdown=r.md"}},
      {"--export-csv", {{"breakfast"}, "--export-csv=r.csv"}},
      {"--expect", {{"breakfast"}, "--expect=lines.txt"}},
      {"--expect-tolerance", {{"breakfast", "--expect=lines.txt"}, "--expect-tolerance=0.05"}},
      {"--min-speedup", {{"breakfast"}, "--min-speedup=1.5"}},
      {"--quiet", {{"breakfast"}, "--quiet"}},
      {"--verbose", {{"breakfast"}, "--verbose"}},
      {"--seed", {{"random-add"}, "--seed=7"}},
      {"--python", {{"breakfast"}, "--python"}},
  };
  return c;
}

// A scenario that takes the option (--seed: one that draws random numbers).
const char* scenario_for(const cli::OptionSpec& o) {
  return o.per_scenario == cli::PerScenario::random ? "random-add" : "breakfast";
}

} // namespace

TEST_CASE("options: every option of the table reaches what it is for") {
  for (const auto& o : cli::option_table()) {
    CAPTURE(key(o));
    const auto c = cases().find(key(o));
    REQUIRE_MESSAGE(c != cases().end(), "give the option a case in options_test.cpp");
    auto with = c->second.without;
    with.push_back(c->second.given);
    const auto before = outcome_text(interpret(c->second.without));
    const auto after = outcome_text(interpret(with));
    CAPTURE(after);
    CHECK_FALSE(after.starts_with("usage: "));
    CHECK(after != before);
    // By its short name too.
    if (o.short_name) {
      auto short_with = c->second.without;
      short_with.push_back(fmt::format("-{}", o.short_name));
      CHECK(outcome_text(interpret(short_with)) == after);
    }
  }
  // And every case is an option of the table (none left behind by a rename).
  for (const auto& [name, c] : cases()) {
    bool found = false;
    for (const auto& o : cli::option_table())
      found = found || key(o) == name;
    CHECK_MESSAGE(found, name);
  }
}

TEST_CASE("options: the default --help shows is the one a run takes") {
  for (const auto& o : cli::option_table()) {
    if (o.is_switch()) continue;
    CAPTURE(key(o));
    std::vector<std::string> without;
    std::string fallback(o.fallback);
    if (o.command == cli::Command::list) {
      without = {"list"};
    } else if (o.command == cli::Command::scenario) {
      const auto* s = Registry::instance().find(scenario_for(o));
      REQUIRE(s != nullptr);
      without = {s->name};
      if (o.per_scenario == cli::PerScenario::modes) fallback = to_string(s->default_mode);
    } else {
      CHECK(fallback.empty()); // asyncdemo's own options ask for something
      continue;
    }
    if (fallback.empty()) continue; // none: not given is not the same as any value
    auto with = without;
    with.push_back(fmt::format("--{}={}", o.name, fallback));
    CHECK(outcome_text(interpret(with), false) == outcome_text(interpret(without), false));
  }
}

TEST_CASE("options: names and destinations are each one option's") {
  std::set<std::string> names;
  std::set<std::string> shorts;
  const auto table = cli::option_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& o = table[i];
    CAPTURE(key(o));
    CHECK(names.insert(key(o)).second);
    if (o.short_name) CHECK(shorts.insert(fmt::format("{}", o.short_name)).second);
    CHECK_FALSE(o.help.empty());
    for (std::size_t j = 0; j < i; ++j)
      CHECK_FALSE(table[j].field == o.field);
    // What a scenario's command takes must not hide a scenario's own
    // parameter of the same name.
    if (o.command == cli::Command::scenario)
      for (const auto* s : Registry::instance().all())
        CHECK_MESSAGE(s->param(o.name) == nullptr, s->name);
  }
}

TEST_CASE("options: a switch is true when given, a value is kept as given, even empty") {
  const auto table = cli::option_table();
  for (const auto& o : table) {
    RawOptions raw;
    cli::Requests requests;
    cli::give(o, "", raw, requests);
    // Exactly one thing changed: the option's own field.
    const auto given = std::visit(
        [&](auto field) -> std::string {
          using F = decltype(field);
          if constexpr (std::is_same_v<F, bool RawOptions::*>)
            return raw.*field ? "true" : "false";
          else if constexpr (std::is_same_v<F, std::optional<std::string> RawOptions::*>)
            return (raw.*field).has_value() ? "'" + *(raw.*field) + "'" : "none";
          else
            return (requests.*field).has_value() ? "'" + *(requests.*field) + "'" : "none";
        },
        o.field);
    CHECK(given == (o.is_switch() ? "true" : "''"));
  }
}

TEST_CASE("options: --python refuses every option about a run, which it would ignore") {
  // What a program takes: its mode, its seed, the scenario's own parameters.
  const std::set<std::string> for_the_program{"mode", "seed", "python"};
  for (const auto& o : cli::option_table()) {
    if (o.command != cli::Command::scenario || for_the_program.count(std::string(o.name))) continue;
    CAPTURE(key(o));
    const auto c = cases().find(key(o));
    REQUIRE(c != cases().end());
    std::vector<std::string> args{"breakfast", "--python", c->second.given};
    const auto said = asyncdemo::test::refusal(args);
    const auto named =
        o.short_name ? fmt::format("-{}", o.short_name) : fmt::format("--{}", o.name);
    CHECK(said == fmt::format("--python prints the program and runs nothing, so {} does not "
                              "apply; drop one of them",
                              named));
  }
}

TEST_CASE("options: no two outputs may write one file") {
  const std::set<std::string> read_not_written{"expect"};
  for (const auto& o : cli::option_table()) {
    if (o.placeholder != "FILE" || read_not_written.count(std::string(o.name))) continue;
    CAPTURE(key(o));
    const std::string other = o.name == "trace" ? "--html" : "--trace";
    const auto said = asyncdemo::test::refusal(
        {"breakfast", fmt::format("--{}=same.out", o.name), other + "=./same.out"});
    CHECK(said.find("name the same file") != std::string::npos);
    CHECK(said.find(fmt::format("--{}", o.name)) != std::string::npos);
  }
}
