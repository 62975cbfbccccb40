// Seed 001: make coffee and fry eggs. Each job has a minute of preparation
// that holds the cook (time.sleep: blocking) and a wait that does not
// (asyncio.sleep). Sequential: 6 + 4 = 10; concurrent: 1 + 1 + 4 = 6.
#include "seed001.hpp"

#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;

Coro<> breakfast(const Context& ctx) {
  const auto start = now();
  co_await run_jobs(ctx.mode, seed001::jobs());
  print("breakfast is ready in {:.3f} s", to_seconds(now() - start));
}

// The seed's program, time.sleep for the preparation and asyncio.sleep for
// the waits, with main() in the chosen mode.
PythonSource breakfast_python(const Context& ctx) {
  return {seed001::coroutines_python() + "async def main():\n    start = now()\n" +
          python_run_jobs(ctx.mode, seed001::python_jobs) +
          "    print(f\"breakfast is ready in {now() - start:.3f} s\")\n"};
}

const Registration registration{Scenario{
    .name = "breakfast",
    .seed = "001",
    .summary = "coffee (1 s prep + 5 s wait) and eggs (1 s prep + 3 s wait): 10 s or 6 s",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {},
    .main = breakfast,
    .python = breakfast_python,
}};

} // namespace
