// interpret: what a command line asks for, short of running it: a usage
// error, text to print, or a run planned (a file's with its scenario).
#include "asyncdemo/version.hpp"

#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using namespace asyncdemo;
using asyncdemo::test::interpret;
using asyncdemo::test::outcome_text;
using asyncdemo::test::refusal;

namespace {

std::string printed(const std::vector<std::string>& args) {
  const auto outcome = interpret(args);
  const auto* p = std::get_if<cli::Print>(&outcome);
  REQUIRE_MESSAGE(p != nullptr, outcome_text(outcome));
  CHECK(p->status == 0);
  return p->text;
}

const std::string source_dir = ASYNCDEMO_SOURCE_DIR;

// A dash as the man page writes it.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text)
    out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("interpret: help, for each command and by 'help NAME' alike") {
  CHECK(printed({"--help"}).starts_with(fmt::format("asyncdemo {}: watch async", version)));
  CHECK(printed({"help"}) == printed({"-h"}));
  CHECK(printed({"help", "breakfast"}) == printed({"breakfast", "--help"}));
  CHECK(printed({"breakfast", "-h"}).starts_with("asyncdemo breakfast: "));
  CHECK(printed({"help", "list"}) == printed({"list", "--help"}));
  CHECK(printed({"help", "run"}) == printed({"run", "--help"}));
  CHECK(printed({"run", "-h"}).starts_with("asyncdemo run FILE: "));
  CHECK(printed({"help", "show"}) == printed({"show", "--help"}));
  CHECK(refusal({"help", "a", "b"}) ==
        "help takes one name, e.g. asyncdemo help breakfast; 'b' is one too many");
  // Fitted to the width it is given (the environment's, not the process's).
  Environment narrow;
  narrow.width = 40;
  const auto narrow_help = std::get<cli::Print>(cli::interpret({"breakfast", "--help"}, narrow));
  CHECK(narrow_help.text != printed({"breakfast", "--help"}));
}

TEST_CASE("interpret: asyncdemo alone, --version, list, show, --generate") {
  CHECK(printed({}).find("usage: asyncdemo <scenario>") != std::string::npos);
  CHECK(printed({"--version"}) == fmt::format("asyncdemo {}\n", version));
  CHECK(printed({"-V"}) == printed({"--version"}));
  CHECK(printed({"list"}).find("breakfast") != std::string::npos);
  CHECK(printed({"list", "--format=json"}).starts_with("{"));
  CHECK(printed({"list", "--format", "csv"}) != printed({"list"}));
  CHECK(refusal({"list", "--format=xml"}) ==
        "--format: 'xml' is not a format of list; use text, json or csv");
  CHECK(printed({"show", "breakfast"}) == contents(source_dir + "/scenarios/breakfast.toml"));
  CHECK(refusal({"show", "swarm"})
            .starts_with("swarm is compiled C++ (scenarios/), not a "
                         "scenario file"));
  CHECK(refusal({"show"}).starts_with("show takes one scenario's name"));
  CHECK(printed({"--generate=man"}).starts_with(".TH ASYNCDEMO 1"));
  // The man page names every scenario, and each scenario's own options.
  const auto man = printed({"--generate", "man"});
  for (const auto* s : Registry::instance().all()) {
    CHECK_MESSAGE(man.find(roff(s->name)) != std::string::npos, s->name);
    for (const auto& p : s->params)
      CHECK_MESSAGE(man.find(roff("--" + p.name)) != std::string::npos, p.name);
  }
  CHECK(printed({"--generate=bash"}).find("complete") != std::string::npos);
  CHECK(refusal({"--generate=x"}) ==
        "--generate: 'x' is not something asyncdemo generates; use man, bash, zsh or fish");
}

TEST_CASE("interpret: a scenario's command line is a run planned, or --python's program") {
  const auto run = interpret({"breakfast", "--clock=virtual", "--mode=all"});
  REQUIRE(std::holds_alternative<cli::Run>(run));
  const auto& r = std::get<cli::Run>(run);
  CHECK(r.file == nullptr);
  CHECK(r.plan.scenario == Registry::instance().find("breakfast"));
  CHECK(r.plan.several());
  CHECK(printed({"breakfast", "--python"}).find("import asyncio") != std::string::npos);
  CHECK(refusal({"breakfast", "--python", "--timeline"}) ==
        "--python prints the program and runs nothing, so --timeline does not apply; drop one of "
        "them");
  CHECK(refusal({"breakfast", "--mode=bogus"}).starts_with("--mode: 'bogus' is not a mode"));
}

TEST_CASE("interpret: run FILE reads the file, and the plan's scenario is the file's") {
  const auto path = source_dir + "/scenarios/breakfast.toml";
  const auto outcome = interpret({"run", path, "--clock=virtual", "--mode=sync"});
  REQUIRE_MESSAGE(std::holds_alternative<cli::Run>(outcome), outcome_text(outcome));
  const auto& r = std::get<cli::Run>(outcome);
  REQUIRE(r.file != nullptr);
  CHECK(r.plan.scenario == r.file.get());
  CHECK(r.plan.modes == std::vector<Mode>{Mode::sync});
  CHECK(printed({"run", path, "--help"}).starts_with("asyncdemo run FILE: "));
  CHECK(refusal({"run", path, "--bogus"}) ==
        fmt::format("unknown option '--bogus'; see 'asyncdemo run {} --help'", path));
  CHECK(refusal({"run"}).starts_with("run takes a scenario file"));
  CHECK(refusal({"run", "--clock=virtual"}).starts_with("run takes a scenario file"));
  CHECK(refusal({"run", source_dir + "/no/such/file.toml"})
            .starts_with(fmt::format("cannot read '{}/no/such/file.toml'", source_dir)));
}
