// A Python program's modes (docs/python-programs.md, "Modes"): its own, read
// from how main composes its work; the others derived from the jobs shape's
// calls; and the one line that refuses a mode that cannot be. That the
// derived programs print what CPython prints is tests/python/program_modes.py's.
#include "asyncdemo/script/python_program.hpp"

#include <doctest/doctest.h>

#include <string>

// Named apart, and no using-directive at file scope: unity builds batch
// this file with others.
namespace python_modes_test {

using namespace asyncdemo;
using namespace asyncdemo::script;

Scenario load(const std::string& source) {
  auto result = load_python_text(source, "b.py");
  if (const auto* error = std::get_if<LoadError>(&result)) FAIL(error->message);
  return std::move(std::get<Scenario>(result));
}

std::string program(const Scenario& s, Mode m) {
  Params params;
  return s.python(Context{m, params}).code;
}

const std::string jobs = "import asyncio\n"
                         "from time import sleep, time\n"
                         "\n"
                         "async def coffee():\n"
                         "    sleep(1)\n"
                         "    await asyncio.sleep(5)\n"
                         "    return 'coffee'\n"
                         "\n"
                         "async def eggs():\n"
                         "    await asyncio.sleep(3)\n"
                         "    return 'eggs'\n"
                         "\n";

TEST_CASE("python modes: a gather of calls is gather, and every mode derives from it") {
  const auto s = load(jobs + "async def main():\n"
                             "    results = await asyncio.gather(coffee(), eggs())\n"
                             "    print(results)\n"
                             "\n"
                             "asyncio.run(main())\n");
  CHECK(s.default_mode == Mode::gather);
  CHECK(s.modes == std::vector<Mode>(every_mode.begin(), every_mode.end()));
  // The own mode is the file as written; the others are new programs.
  CHECK(program(s, Mode::gather) == s.source);
  const auto sync = program(s, Mode::sync);
  CHECK(sync.find("def coffee():\n    sleep(1)\n    sleep(5)\n") != std::string::npos);
  CHECK(sync.find("async def") == std::string::npos);
  CHECK(sync.find("    results = [coffee(), eggs()]\n") != std::string::npos);
  CHECK(sync.find("\nmain()\n") != std::string::npos);
  CHECK(program(s, Mode::await_).find("    results = [await coffee(), await eggs()]\n") !=
        std::string::npos);
  const auto tasks = program(s, Mode::create_task);
  CHECK(tasks.find("    coffee_task = asyncio.create_task(coffee())\n"
                   "    eggs_task = asyncio.create_task(eggs())\n"
                   "    results = [await coffee_task, await eggs_task]\n") != std::string::npos);
  CHECK(program(s, Mode::as_completed)
            .find("    results = []\n"
                  "    for f in asyncio.as_completed([coffee(), eggs()]):\n"
                  "        results.append(await f)\n") != std::string::npos);
}

TEST_CASE("python modes: each shape of main is its own mode") {
  CHECK(load(jobs + "async def main():\n"
                    "    await coffee()\n"
                    "    await eggs()\n"
                    "asyncio.run(main())\n")
            .default_mode == Mode::await_);
  CHECK(load(jobs + "async def main():\n"
                    "    a = asyncio.create_task(coffee())\n"
                    "    b = asyncio.create_task(eggs())\n"
                    "    await a, await b\n"
                    "asyncio.run(main())\n")
            .default_mode == Mode::create_task);
  CHECK(load(jobs + "async def main():\n"
                    "    for f in asyncio.as_completed([coffee(), eggs()]):\n"
                    "        print(await f)\n"
                    "asyncio.run(main())\n")
            .default_mode == Mode::as_completed);
  const auto plain = load("import time\ntime.sleep(1)\nprint('done')\n");
  CHECK(plain.default_mode == Mode::sync);
  CHECK(plain.modes == std::vector<Mode>{Mode::sync});
}

TEST_CASE("python modes: a main that is not the jobs shape runs only as written") {
  const auto s = load(jobs + "async def main():\n"
                             "    t = asyncio.create_task(coffee())\n"
                             "    await asyncio.sleep(1)\n"
                             "    await t\n"
                             "asyncio.run(main())\n");
  CHECK(s.default_mode == Mode::create_task);
  CHECK(s.modes == std::vector<Mode>{Mode::create_task});
  CHECK(s.why_not(Mode::gather) ==
        "b.py's main is not the jobs shape (at line 15, main awaits something other than "
        "coroutine calls gathered, made tasks, awaited one by one or looped over as_completed), "
        "so it runs only as written: --mode=create_task; drop --mode");
  CHECK(load("print(1)\n").why_not(Mode::gather) ==
        "b.py has no asyncio.run, so it runs only as written: --mode=sync; drop --mode");
}

TEST_CASE("python modes: a mode that cannot be derived says why") {
  const auto by_position = load(jobs + "async def main():\n"
                                       "    r = await asyncio.gather(coffee(), eggs())\n"
                                       "    print(r[0])\n"
                                       "asyncio.run(main())\n");
  CHECK_FALSE(by_position.supports(Mode::as_completed));
  CHECK(by_position.why_not(Mode::as_completed) ==
        "--mode=as_completed cannot be derived from b.py's main: main reads the results by "
        "position (line 15), and as_completed gives them in the order they finish; use one of "
        "sync, await, create_task, gather, all");
  const auto no_sync = load("import asyncio\n"
                            "async def job(q):\n"
                            "    await q.get()\n"
                            "async def main():\n"
                            "    q = asyncio.Queue()\n"
                            "    await asyncio.gather(job(q), job(q))\n"
                            "asyncio.run(main())\n");
  CHECK_FALSE(no_sync.supports(Mode::sync));
  CHECK(no_sync.supports(Mode::await_));
  CHECK(no_sync.why_not(Mode::sync)
            .find("job awaits something other than a statement `await "
                  "asyncio.sleep(x)` (line 3)") != std::string::npos);
}

TEST_CASE("python modes: a new name is new, an import added where sync needs one") {
  const auto s = load("import asyncio\n"
                      "async def job(n):\n"
                      "    await asyncio.sleep(n)\n"
                      "async def main():\n"
                      "    f = 1\n"
                      "    task1 = 2\n"
                      "    await asyncio.gather(job(1), job(2))\n"
                      "    print(f, task1)\n"
                      "asyncio.run(main())\n");
  CHECK(program(s, Mode::as_completed).find("for f2 in asyncio.as_completed([job(1), job(2)]):") !=
        std::string::npos);
  CHECK(program(s, Mode::create_task).find("task1_2 = asyncio.create_task(job(1))") !=
        std::string::npos);
  const auto sync = program(s, Mode::sync);
  CHECK(sync.find("import time\n") != std::string::npos);
  CHECK(sync.find("    time.sleep(n)\n") != std::string::npos);
}

TEST_CASE("python modes: blocks as deep as a program may nest are read without harm") {
  std::string deep = "import asyncio\nasync def job():\n    await asyncio.sleep(1)\n"
                     "async def main():\n";
  std::string indent = "    ";
  for (int i = 0; i < 90; ++i) {
    deep += indent + "if True:\n";
    indent += " ";
  }
  deep += indent + "await asyncio.gather(job(), job())\nasyncio.run(main())\n";
  const auto s = load(deep);
  CHECK(s.default_mode == Mode::gather);
}

TEST_CASE("python programs: making tasks over a range past light_above runs light, counting "
          "does not") {
  const std::string job = "import asyncio\n"
                          "\n"
                          "TASKS = 20_000\n"
                          "\n"
                          "async def job(i):\n"
                          "    await asyncio.sleep(0)\n"
                          "\n";
  CHECK(load(job + "async def main():\n"
                   "    await asyncio.gather(*(job(i) for i in range(1_000_000)))\n"
                   "\n"
                   "asyncio.run(main())\n")
            .light);
  CHECK(load(job + "async def main():\n"
                   "    tasks = []\n"
                   "    for i in range(TASKS):\n"
                   "        tasks.append(asyncio.create_task(job(i)))\n"
                   "    for t in tasks:\n"
                   "        await t\n"
                   "\n"
                   "asyncio.run(main())\n")
            .light);
  // A busy loop holds the loop, a short range makes few tasks: both recorded.
  CHECK_FALSE(load(job + "async def main():\n"
                         "    for _ in range(10_000_000):\n"
                         "        pass\n"
                         "    await asyncio.gather(*(job(i) for i in range(100)))\n"
                         "\n"
                         "asyncio.run(main())\n")
                  .light);
}

} // namespace python_modes_test
