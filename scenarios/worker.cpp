// Seed 002 §34.4.1: do_something awaits worker, and worker *blocks* for 3 s
// (time.sleep) before returning 42. Awaiting runs it inline: nothing else
// could run meanwhile anyway, so it takes 3 s either way.
#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;
using namespace std::chrono_literals;

Coro<int> worker() {
  print("worker - will take some time");
  block(3s);
  print("worker - done it");
  co_return 42;
}

Coro<> do_something() {
  print("do_something - will wait for worker");
  const int result = co_await worker();
  print("do_something - result: {}", result);
}

// The seed's main(): prints around asyncio.run(do_something()).
Coro<> worker_main(const Context&) {
  print("Main - Starting");
  co_await do_something();
  print("Main - Done");
}

PythonSource worker_python(const Context&) {
  return {R"(async def worker():
    print("worker - will take some time")
    time.sleep(3 * SCALE)
    print("worker - done it")
    return 42


async def do_something():
    print("do_something - will wait for worker")
    result = await worker()
    print(f"do_something - result: {result}")
)",
          "do_something()"};
}

const Registration registration{Scenario{
    .name = "worker",
    .seed = "002 §34.4.1",
    .summary = "do_something awaits worker, which blocks 3 s and returns 42: 3 s either way",
    .modes = {Mode::sync, Mode::await_},
    .default_mode = Mode::await_,
    .params = {},
    .main = worker_main,
    .python = worker_python,
}};

} // namespace
