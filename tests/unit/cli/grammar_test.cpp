// The argument grammar, in-process: what each argument of a command line
// is taken as, before CLI11 sees it, and the one line that refuses it.
#include "asyncdemo/cli/grammar.hpp"

#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace asyncdemo;
using asyncdemo::test::interpret;
using asyncdemo::test::outcome_text;
using asyncdemo::test::refusal;

namespace {

// A command with one value option, one switch and one short switch.
cli::Grammar small() {
  cli::Grammar g;
  g.command = "demo";
  g.values["trace"] = "FILE";
  g.switches = {"timeline", "quiet"};
  g.shorts = "q";
  return g;
}

// What CLI11 is handed, in the order given (normalise hands it last first).
std::vector<std::string> normalised(std::vector<std::string> args) {
  auto out = cli::normalise(args, small());
  if (const auto* refused = std::get_if<std::string>(&out)) return {"refused: " + *refused};
  auto v = std::get<std::vector<std::string>>(out);
  std::reverse(v.begin(), v.end());
  return v;
}

std::string refused(std::vector<std::string> args) {
  auto out = cli::normalise(args, small());
  if (const auto* r = std::get_if<std::string>(&out)) return *r;
  return "(accepted)";
}

const RunPlan& plan_of(const cli::Outcome& o) {
  REQUIRE_MESSAGE(std::holds_alternative<cli::Run>(o), outcome_text(o));
  return std::get<cli::Run>(o).plan;
}

} // namespace

TEST_CASE("grammar: a value option takes its value after '=' or as the next argument") {
  using V = std::vector<std::string>;
  CHECK(normalised({"demo", "--trace=t.json"}) == V{"demo", "--trace", "t.json"});
  CHECK(normalised({"demo", "--trace", "t.json"}) == V{"demo", "--trace", "t.json"});
  // A value may hold '=' and look like a negative number.
  CHECK(normalised({"demo", "--trace=a=b"}) == V{"demo", "--trace", "a=b"});
  CHECK(normalised({"demo", "--trace", "-5"}) == V{"demo", "--trace", "-5"});
  CHECK(normalised({"demo", "--trace", "-"}) == V{"demo", "--trace", "-"});
  // Through the binary's own path: the same plan either way.
  CHECK(outcome_text(interpret({"breakfast", "--clock=virtual", "--mode=sync"})) ==
        outcome_text(interpret({"breakfast", "--clock", "virtual", "--mode", "sync"})));
  CHECK(plan_of(interpret({"breakfast", "--clock", "virtual"})).clock == ClockKind::virtual_time);
}

TEST_CASE("grammar: an empty --opt= is a value, and is refused as one") {
  using V = std::vector<std::string>;
  CHECK(normalised({"demo", "--trace="}) == V{"demo", "--trace", ""});
  CHECK(normalised({"demo", "--trace=", "-q"}) == V{"demo", "--trace", "", "-q"});
  CHECK(refusal({"breakfast", "--trace="}) == "--trace needs a file name, e.g. --trace=trace.json");
  CHECK(refusal({"breakfast", "--trace=", "-q"}) ==
        "--trace needs a file name, e.g. --trace=trace.json");
  CHECK(refusal({"breakfast", "--mode="}).starts_with("--mode: '' is not a mode"));
}

TEST_CASE("grammar: a value option never takes an option as its value") {
  CHECK(refused({"demo", "--trace", "-q"}) ==
        "--trace needs a value (--trace=FILE); '-q', which follows it, is taken as an option");
  CHECK(refused({"demo", "--trace"}) ==
        "--trace needs a value (--trace=FILE); see 'asyncdemo demo --help'");
  CHECK(refusal({"breakfast", "--trace", "--timeline"}) ==
        "--trace needs a value (--trace=FILE); '--timeline', which follows it, is taken as an "
        "option");
  CHECK(refusal({"breakfast", "--trace"}) ==
        "--trace needs a value (--trace=FILE); see 'asyncdemo breakfast --help'");
}

TEST_CASE("grammar: switches refuse values") {
  CHECK(refused({"demo", "--timeline=yes"}) ==
        "--timeline is a switch and takes no value (got 'yes'); give --timeline alone");
  CHECK(refused({"demo", "--timeline="}) ==
        "--timeline is a switch and takes no value (got ''); give --timeline alone");
  CHECK(refused({"demo", "-q=1"}) == "'-q' takes no value; give -q alone");
  CHECK(refusal({"breakfast", "--python=1"}) ==
        "--python is a switch and takes no value (got '1'); give --python alone");
  CHECK(refusal({"breakfast", "-v=\x1b[31m"}) == "'-v' takes no value; give -v alone");
  // A cluster of short switches is one argument.
  CHECK(normalised({"demo", "-qq"}) == std::vector<std::string>{"demo", "-qq"});
  CHECK(refusal({"breakfast", "-qv"}) ==
        "-q (only the summary) and -v (every step of the loop) contradict each other; give one "
        "of them");
}

TEST_CASE("grammar: a scenario's own switch takes true or false, and nothing else") {
  const auto cancel = [](std::vector<std::string> tail) {
    std::vector<std::string> args{"task-callbacks", "--clock=virtual"};
    args.insert(args.end(), tail.begin(), tail.end());
    return plan_of(interpret(args)).params.get("cancel");
  };
  CHECK(cancel({}) == "false");
  CHECK(cancel({"--cancel"}) == "true");
  CHECK(cancel({"--cancel=true"}) == "true");
  CHECK(cancel({"--cancel=false"}) == "false");
  CHECK(cancel({"--cancel", "--cancel=false"}) == "false"); // the last one wins
  CHECK(cancel({"--cancel=false", "--cancel"}) == "true");
  CHECK(refusal({"task-callbacks", "--cancel=maybe"}) ==
        "--cancel: 'maybe' is not true or false; use --cancel alone to switch it on");
  CHECK(refusal({"task-callbacks", "--cancel="}).starts_with("--cancel: '' is not true or false"));
  // Another scenario does not have it.
  CHECK(refusal({"breakfast", "--cancel"}) ==
        "unknown option '--cancel'; see 'asyncdemo breakfast --help'");
}

TEST_CASE("grammar: an unknown option is refused, with the nearest known one") {
  CHECK(refusal({"breakfast", "--mdoe=gather"}) ==
        "unknown option '--mdoe' (did you mean '--mode'?); see 'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", "--bogus"}) ==
        "unknown option '--bogus'; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", "-x"}) == "unknown option '-x'; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", "--=x"}) ==
        "unknown option '--=x'; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", "--\x1b[31m"}) ==
        "unknown option '--\\x1b[31m'; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"list", "--bogus"}) == "unknown option '--bogus'; see 'asyncdemo list --help'");
  CHECK(refusal({"--bogus"}) == "unknown option '--bogus'; see 'asyncdemo --help'");
  // --seed is an option of the scenarios that draw random numbers.
  CHECK(refusal({"breakfast", "--seed=3"}) ==
        "breakfast draws no random numbers, so --seed does not apply; drop it");
  CHECK(plan_of(interpret({"random-add", "--seed=3", "--clock=virtual"})).seed == 3);
  // A scenario's name, misspelt.
  CHECK(
      refusal({"breakfats"}) ==
      "unknown scenario 'breakfats' (did you mean 'breakfast'?); 'asyncdemo list' shows them all");
}

TEST_CASE("grammar: options come after the scenario") {
  CHECK(refusal({"--clock=virtual", "breakfast"}) ==
        "'--clock=virtual' comes before the scenario; name the scenario first: asyncdemo "
        "breakfast [options]");
  CHECK(refusal({"--mode", "gather", "breakfast"}) ==
        "'--mode' comes before the scenario; name the scenario first: asyncdemo breakfast "
        "[options]");
  CHECK(refusal({"-q", "list"}) ==
        "'-q' comes before the scenario; name the scenario first: asyncdemo list [options]");
}

TEST_CASE("grammar: '--' ends nothing, and no command takes arguments") {
  // A "--" at the end is harmless.
  CHECK(outcome_text(interpret({"breakfast", "--clock=virtual", "--"})) ==
        outcome_text(interpret({"breakfast", "--clock=virtual"})));
  CHECK(refusal({"breakfast", "--", "x"}) ==
        "unexpected argument 'x' after '--' (asyncdemo takes options only); see 'asyncdemo "
        "breakfast --help'");
  CHECK(refusal({"breakfast", "--", "--clock=virtual"}) ==
        "unexpected argument '--clock=virtual' after '--' (asyncdemo takes options only); see "
        "'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", "--clock=virtual", "extra"}) ==
        "unexpected argument 'extra'; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"breakfast", ""}) == "unexpected argument ''; see 'asyncdemo breakfast --help'");
  CHECK(refusal({"list", "--", "x"}) ==
        "unexpected argument 'x' after '--' (asyncdemo takes options only); see 'asyncdemo list "
        "--help'");
}

TEST_CASE("grammar: given twice, an option takes its last value") {
  const auto p = plan_of(interpret({"breakfast", "--clock=virtual", "--mode=sync", "--mode",
                                    "gather", "--format=json", "--format=text"}));
  CHECK(p.modes == std::vector<Mode>{Mode::gather});
  CHECK(p.format == Format::text);
  // A bad last one is refused, a bad first one is not looked at.
  CHECK(refusal({"breakfast", "--clock=virtual", "--mode=gather", "--mode=bogus"})
            .starts_with("--mode: 'bogus' is not a mode"));
  CHECK(refusal({"breakfast", "--clock=virtual", "--mode=bogus", "--mode=gather"}) == "(a run)");
  CHECK(refusal({"breakfast", "--clock=virtual", "--trace=t.json", "--trace="}) ==
        "--trace needs a file name, e.g. --trace=trace.json");
}
