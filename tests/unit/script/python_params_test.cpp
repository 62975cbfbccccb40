// What a Python program declares (docs/python-programs.md, "Catalogue
// entries and parameters"): its docstring's fields, its parameters (module
// constants with a `# --option` comment), each value checked and written
// into the program in the constant's place; MODE and SEED from asyncdemo's
// own options; a malformed declaration refused at its place.
#include "asyncdemo/script/python_program.hpp"

#include <doctest/doctest.h>

#include <string>

// Named apart, and no using-directive at file scope: unity builds batch
// this file with others.
namespace python_params_test {

using namespace asyncdemo;
using namespace asyncdemo::script;

Scenario load(const std::string& source) {
  auto result = load_python_text(source, "p.py");
  if (const auto* error = std::get_if<LoadError>(&result)) FAIL(error->message);
  return std::move(std::get<Scenario>(result));
}

std::string refusal(const std::string& source) {
  auto result = load_python_text(source, "p.py");
  if (const auto* error = std::get_if<LoadError>(&result)) return error->message;
  return "(loaded)";
}

const std::string program = R"("""A program with parameters.

summary: what it shows, in one line
  that goes on
origin: beyond the seeds
narration for --variant=slow: why: it is slow
narration: why: it is quick
"""

import asyncio

CANCEL = False  # --cancel: Cancel it
INTERVAL = 0.3  # --interval SECONDS (0, 10]: Seconds between the
                # numbers
COUNT = 3  # --count N [1, 5]: How many
DELAYS = [5, 8, 2]  # --delays SECONDS [0, 60] for --variant=slow: The delays
VARIANT = "quick"  # --variant quick|slow: Which
NAME = "it's"  # --name: A text
SEED = 2024  # --seed: random.seed's


async def main():
    print(CANCEL, INTERVAL, COUNT, DELAYS, VARIANT, NAME, SEED)


asyncio.run(main())
)";

const Param& param(const Scenario& s, std::string_view name) {
  const auto* p = s.param(name);
  REQUIRE(p != nullptr);
  return *p;
}

TEST_CASE("python params: the docstring's fields and the constants' parameters") {
  const auto s = load(program);
  CHECK(s.summary == "what it shows, in one line that goes on");
  CHECK(s.seed == "beyond the seeds");
  CHECK(s.params.size() == 6); // SEED is --seed's
  CHECK(s.param("seed") == nullptr);
  CHECK(param(s, "cancel").flag);
  CHECK(param(s, "cancel").default_value == "false");
  CHECK(param(s, "interval").help == "Seconds between the numbers");
  CHECK(param(s, "interval").kind == "SECONDS");
  CHECK(param(s, "count").kind == "N");
  CHECK(param(s, "delays").kind == "LIST");
  CHECK(param(s, "delays").default_value == "5,8,2");
  CHECK(param(s, "variant").choices == std::vector<std::string>{"quick", "slow"});
  CHECK(param(s, "name").default_value == "it's");
}

TEST_CASE("python params: a value is checked as the catalogue checks it") {
  const auto s = load(program);
  CHECK(param(s, "cancel").check("maybe") ==
        "'maybe' is not true or false; use --cancel alone to switch it on");
  CHECK(param(s, "interval").check("0") ==
        "'0' is not a number of seconds above 0 and at most 10; e.g. --interval=0.3");
  CHECK(param(s, "interval").check("10").empty());
  CHECK(param(s, "count").check("1.5") ==
        "'1.5' is not a whole number from 1 to 5; e.g. --count=3");
  CHECK(param(s, "delays").check("1,,2").starts_with("'1,,2' has an empty delay"));
  CHECK(param(s, "delays")
            .check("1,61")
            .starts_with(
                "'1,61' is not a list of delays; use seconds from 0 to 60 separated by commas"));
  CHECK(param(s, "delays").check("0.5,1").empty());
  CHECK(param(s, "variant").check("slo") ==
        "'slo' is not a variant (did you mean 'slow'?); use one of quick, slow");
}

TEST_CASE("python params: the values are written into the program, as literals") {
  const auto s = load(program);
  Params params = s.default_params();
  // The defaults: the program as written.
  CHECK(s.python(Context{s.default_mode, params, 2024}).code == s.source);
  params.set("cancel", "true");
  params.set("interval", "1");
  params.set("delays", "0.5,2");
  params.set("variant", "slow");
  params.set("name", "say \"hi\"\n");
  const auto code = s.python(Context{s.default_mode, params, 7}).code;
  CHECK(code.find("CANCEL = True  # --cancel") != std::string::npos);
  CHECK(code.find("INTERVAL = 1.0  # --interval") != std::string::npos);
  CHECK(code.find("DELAYS = [0.5, 2]  # --delays") != std::string::npos);
  CHECK(code.find("VARIANT = \"slow\"  # --variant") != std::string::npos);
  CHECK(code.find("NAME = \"say \\\"hi\\\"\\n\"  # --name") != std::string::npos);
  CHECK(code.find("SEED = 7  # --seed") != std::string::npos);
  CHECK(code.find("COUNT = 3  # --count") != std::string::npos);
}

TEST_CASE("python params: a parameter for another's value, and the narrations") {
  const auto s = load(program);
  Params params = s.default_params();
  params.mark_given("delays");
  REQUIRE(s.check);
  CHECK(s.check(s.default_mode, params) ==
        "--delays is for --variant=slow, and this is --variant=quick; add --variant=slow, or "
        "drop --delays");
  params.set("variant", "slow");
  CHECK(s.check(s.default_mode, params).empty());
  REQUIRE(s.narration);
  CHECK(s.narration(Context{s.default_mode, params}) == "why: it is slow");
  params.set("variant", "quick");
  CHECK(s.narration(Context{s.default_mode, params}) == "why: it is quick");
}

TEST_CASE("python params: MODE is --mode's, and the program composes its work itself") {
  const auto s = load("import asyncio\n"
                      "MODE = \"gather\"  # --mode await|gather: How main runs them\n"
                      "async def main():\n"
                      "    print(MODE)\n"
                      "asyncio.run(main())\n");
  CHECK(s.modes == std::vector<Mode>{Mode::await_, Mode::gather});
  CHECK(s.default_mode == Mode::gather);
  CHECK(s.params.empty());
  Params params;
  CHECK(s.python(Context{Mode::await_, params}).code.find("MODE = \"await\"  #") !=
        std::string::npos);
}

TEST_CASE("python params: a docstring's mode: names the program's own mode") {
  const auto s = load("\"\"\"A program.\n\nmode: create_task\n\"\"\"\n"
                      "import asyncio\n"
                      "async def job():\n"
                      "    await asyncio.sleep(1)\n"
                      "async def main():\n"
                      "    await asyncio.gather(job(), job())\n"
                      "asyncio.run(main())\n");
  CHECK(s.modes == std::vector<Mode>{Mode::create_task});
  CHECK(s.default_mode == Mode::create_task);
}

TEST_CASE("python params: a malformed declaration is refused at its place") {
  CHECK(refusal("X = 1  # --x [2, 3]: An x\n") ==
        "p.py:1:8: --x's default does not fit: '1' is not a whole number from 2 to 3; e.g. "
        "--x=1");
  CHECK(refusal("X = 'a'  # --x b|c: An x\n") ==
        "p.py:1:10: --x's default 'a' is not one of its values b, c");
  CHECK(refusal("X = 1  # --x\n").starts_with("p.py:1:8: a parameter's comment is"));
  CHECK(refusal("X = 1  # --x: \n") == "p.py:1:8: --x has no help after its ':'");
  CHECK(refusal("X = None  # --x: An x\n")
            .starts_with("p.py:1:11: --x's default is True or False, a str, a number"));
  CHECK(refusal("X = 1  # --format: An x\n") ==
        "p.py:1:8: --format is one of asyncdemo's own options; name the parameter otherwise");
  CHECK(refusal("X = 1  # --x for --y: An x\n") ==
        "p.py:1:1: --x is for --y, which the program does not declare");
  CHECK(refusal("X = 1  # --x: An x\nY = 2  # --x: A y\n") == "p.py:2:8: --x is declared twice");
  CHECK(refusal("MODE = 'gather'  # --mode gather|threads: M\n")
            .starts_with("p.py:1:18: --mode: 'threads' is not a mode"));
  // A comment that is not a declaration's, or one inside a function, is a comment.
  CHECK(refusal("X = 1  # the x\ndef f():\n    y = 1  # --y: not a parameter\n") == "(loaded)");
}

} // namespace python_params_test
