// Seed 001: make coffee and fry eggs. Each job has a minute of preparation
// that holds the cook (time.sleep: blocking) and a wait that does not
// (asyncio.sleep). Sequential: 6 + 4 = 10; concurrent: 1 + 1 + 4 = 6.
#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/jobs.hpp"
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

const Registration registration{Scenario{
    .name = "breakfast",
    .seed = "001",
    .summary = "coffee (1 s prep + 5 s wait) and eggs (1 s prep + 3 s wait): 10 s or 6 s",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {},
    .main = breakfast,
}};

} // namespace
