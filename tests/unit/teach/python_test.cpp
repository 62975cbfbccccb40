// The Python twin of a compiled scenario: each mode's program is written in
// its own form, from what the mode is (composition_of), not by editing the
// async program's text.
#include "asyncdemo/teach/python.hpp"

#include <doctest/doctest.h>

using namespace asyncdemo;

TEST_CASE("python_run_jobs writes each mode's composition") {
  const std::vector<PyJob> jobs{{"a", "a()"}, {"b", "b()"}};
  CHECK(python_run_jobs(Mode::sync, jobs) == "    results = [a(), b()]\n");
  CHECK(python_run_jobs(Mode::await_, jobs) == "    results = [await a(), await b()]\n");
  CHECK(python_run_jobs(Mode::create_task, jobs) ==
        "    task1 = asyncio.create_task(a(), name=\"a\")\n"
        "    task2 = asyncio.create_task(b(), name=\"b\")\n"
        "    results = [await task1, await task2]\n");
  CHECK(python_run_jobs(Mode::gather, jobs) == "    results = await asyncio.gather(a(), b())\n");
  CHECK(python_run_jobs(Mode::as_completed, jobs).find("asyncio.as_completed(tasks)") !=
        std::string::npos);
}

TEST_CASE("PyForm: sync mode's words are a plain program's") {
  const auto sync = py_form(Mode::sync), gather = py_form(Mode::gather);
  CHECK(sync.blocking);
  CHECK(sync.def() == "def");
  CHECK(sync.await_().empty());
  CHECK(sync.sleep("2 * SCALE") == "time.sleep(2 * SCALE)");
  CHECK_FALSE(gather.blocking);
  CHECK(gather.def() == "async def");
  CHECK(gather.await_() == "await ");
  CHECK(gather.sleep("2 * SCALE") == "await asyncio.sleep(2 * SCALE)");
}
