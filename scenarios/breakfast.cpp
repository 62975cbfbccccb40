// Seed 001: make coffee and fry eggs. Each job has a minute of preparation
// that holds the cook (time.sleep: blocking) and a wait that does not
// (asyncio.sleep). Sequential: 6 + 4 = 10; concurrent: 1 + 1 + 4 = 6.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/jobs.hpp"
#include "asyncdemo/python.hpp"
#include "asyncdemo/scenario.hpp"

namespace {

using namespace asyncdemo;
using namespace std::chrono_literals;

Coro<> make_coffee() {
  print("coffee: prepare ingredients");
  block(1s);
  print("coffee: waiting...");
  co_await sleep(5s); // pause: other tasks can run
  print("coffee: ready");
}

Coro<> fry_eggs() {
  print("eggs: prepare ingredients");
  block(1s);
  print("eggs: frying...");
  co_await sleep(3s); // pause: other tasks can run
  print("eggs: ready");
}

// Built outside the coroutine: g++ 12 cannot keep a braced list alive in a
// coroutine frame ("array used as initializer").
std::vector<Job<void>> jobs() {
  return {{"coffee", make_coffee}, {"eggs", fry_eggs}};
}

Coro<> breakfast(const Context& ctx) {
  const auto start = now();
  co_await run_jobs(ctx.mode, jobs());
  print("breakfast is ready in {:.3f} s", to_seconds(now() - start));
}

// The seed's program, time.sleep for the preparation and asyncio.sleep for
// the waits, with main() in the chosen mode.
std::string breakfast_python(const Context& ctx) {
  const std::string jobs_source = R"(async def make_coffee():
    print("coffee: prepare ingredients")
    time.sleep(1 * SCALE)
    print("coffee: waiting...")
    await asyncio.sleep(5 * SCALE)  # pause: other tasks can run
    print("coffee: ready")


async def fry_eggs():
    print("eggs: prepare ingredients")
    time.sleep(1 * SCALE)
    print("eggs: frying...")
    await asyncio.sleep(3 * SCALE)  # pause: other tasks can run
    print("eggs: ready")


async def main():
    start = now()
)";
  std::string out =
      jobs_source +
      python_run_jobs(ctx.mode, {{"coffee", "make_coffee()"}, {"eggs", "fry_eggs()"}}) +
      "    print(f\"breakfast is ready in {now() - start:.3f} s\")\n";
  if (ctx.mode == Mode::sync) out = python_blocking(out);
  return python_header(fmt::format("breakfast --mode={}", to_string(ctx.mode)), std::nullopt) +
         out + python_footer(ctx.mode);
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
