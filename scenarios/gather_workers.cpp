// Seed 002 §34.6.1: three workers each sleep 1 s and return a random number
// from 1 to 10; gather hands the results back in argument order. One after
// another that is 3 s; gathered, the sleeps overlap: 1 s.
#include "asyncdemo/teach/random.hpp"
#include "asyncdemo/teach/scenario_kit.hpp"

#include <memory>

namespace {

using namespace asyncdemo;
using namespace std::chrono_literals;

constexpr int workers = 3;

// The workers draw from one generator, as the seed's share Python's global
// random: in the order they wake, which is the order the Python draws in.
using Rng = std::shared_ptr<Random>;

Coro<long long> worker(Rng rng) {
  print("Worker - will take some time");
  co_await sleep(1s); // pause: the other workers can run
  const long long result = rng->randint(1, 10);
  print("Worker - Done it");
  co_return result;
}

std::vector<Job<long long>> jobs(const Rng& rng) {
  std::vector<Job<long long>> out;
  for (int i = 1; i <= workers; ++i)
    out.push_back({fmt::format("worker{}", i), [rng] { return worker(rng); }});
  return out;
}

Coro<> do_something(Mode mode, Rng rng) {
  print("do_something - will wait for worker");
  // Run three calls to worker and collect the results.
  const auto results = co_await run_jobs(mode, jobs(rng));
  print("results from calls: {}", py_list(results));
}

// The seed's main(): prints around asyncio.run(do_something()).
Coro<> gather_workers_main(const Context& ctx) {
  print("Main - Starting");
  co_await do_something(ctx.mode, std::make_shared<Random>(ctx.seed));
  print("Main - Done");
}

PythonSource gather_workers_python(const Context& ctx) {
  std::vector<PyJob> calls;
  for (int i = 1; i <= workers; ++i)
    calls.push_back({fmt::format("worker{}", i), "worker()"});
  return {R"(async def worker():
    print("Worker - will take some time")
    await asyncio.sleep(1 * SCALE)  # pause: the other workers can run
    result = random.randint(1, 10)
    print("Worker - Done it")
    return result


async def do_something():
    print("do_something - will wait for worker")
    # Run three calls to worker and collect the results.
)" + python_run_jobs(ctx.mode, calls) +
              "    print(\"results from calls:\", results)\n",
          "do_something()"};
}

const Registration registration{Scenario{
    .name = "gather-workers",
    .seed = "002 §34.6.1",
    .summary = "three workers sleep 1 s and return a random 1..10, results in argument order: "
               "3 s or 1 s",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {},
    .random = true,
    .main = gather_workers_main,
    .python = gather_workers_python,
}};

} // namespace
