// Seed 002 §34.6.2: labelled workers A, B and C; as_completed hands their
// results back as each one finishes, not in the order they started. Each
// worker sleeps its own delay (seeded random, or --delays) so that the
// completion order visibly differs from the start order.
#include "asyncdemo/teach/random.hpp"
#include "asyncdemo/teach/scenario_kit.hpp"

#include <memory>

namespace {

using namespace asyncdemo;

constexpr std::string_view labels = "ABC";
constexpr double max_delay = 60;
constexpr ListOf delays_list{"delay", "delays", "seconds for A, B and C", "--delays=1.5,0.5,1"};

// One generator for the whole run, as the seed's global random: the delays
// are drawn first, then each result as its worker wakes, the order in
// which the --python program draws them.
using Rng = std::shared_ptr<Random>;

Coro<std::string> worker(std::string label, double delay, Rng rng) {
  print("Worker - will take some time");
  co_await sleep(delay); // pause: the other workers can run
  const long long result = rng->randint(1, 10);
  print("Worker - Done it");
  co_return label + std::to_string(result);
}

// --delays, or random ones from 0.5 to 2 s in tenths.
std::vector<double> delays(const Params& p, Random& rng) {
  std::vector<double> out;
  if (p.get("delays") == "random") {
    for (std::size_t i = 0; i < labels.size(); ++i)
      out.push_back(static_cast<double>(rng.randint(5, 20)) / 10);
  } else {
    for (const auto& item : split_list(p.get("delays")))
      out.push_back(*parse_number(item));
  }
  return out;
}

std::vector<Task<std::string>> start_workers(const std::vector<double>& ds, const Rng& rng) {
  std::vector<Task<std::string>> tasks;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string label(1, labels[i]);
    tasks.push_back(create_task(worker(label, ds[i], rng), label));
  }
  return tasks;
}

Coro<> do_something(Mode mode, const Params& params, Rng rng) {
  // Each worker sleeps its own delay, so they finish out of order.
  const auto ds = delays(params, *rng);
  print("do_something - will wait for worker");
  if (mode == Mode::sync || mode == Mode::await_) {
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const auto result = co_await worker(std::string(1, labels[i]), ds[i], rng);
      print("do_something - result: {}", result);
    }
  } else if (mode == Mode::create_task) {
    for (auto& task : start_workers(ds, rng)) {
      const auto result = co_await task;
      print("do_something - result: {}", result);
    }
  } else if (mode == Mode::gather) {
    for (const auto& result : co_await gather(start_workers(ds, rng)))
      print("do_something - result: {}", result);
  } else {
    for (auto async_func : as_completed(start_workers(ds, rng))) {
      const auto result = co_await async_func;
      print("do_something - result: {}", result);
    }
  }
}

// The seed's main(): prints around asyncio.run(do_something()).
Coro<> as_completed_main(const Context& ctx) {
  print("Main - Starting");
  co_await do_something(ctx.mode, ctx.params, std::make_shared<Random>(ctx.seed));
  print("Main - Done");
}

// main()'s loop over the workers in each mode, as do_something runs it.
std::string python_loop(Mode mode) {
  constexpr std::string_view tasks =
      "    tasks = [asyncio.create_task(worker(label, delay), name=label)\n"
      "             for label, delay in zip(\"ABC\", delays)]\n";
  constexpr std::string_view print_result = "print(\"do_something - result:\", result)\n";
  switch (mode) {
  case Mode::sync:
  case Mode::await_:
    return fmt::format("    for label, delay in zip(\"ABC\", delays):\n"
                       "        result = await worker(label, delay)\n"
                       "        {}",
                       print_result);
  case Mode::create_task:
    return fmt::format("{}    for task in tasks:\n"
                       "        result = await task\n"
                       "        {}",
                       tasks, print_result);
  case Mode::gather:
    return fmt::format("{}    for result in await asyncio.gather(*tasks):\n"
                       "        {}",
                       tasks, print_result);
  case Mode::as_completed:
    return fmt::format("{}    for async_func in asyncio.as_completed(tasks):\n"
                       "        result = await async_func\n"
                       "        {}",
                       tasks, print_result);
  }
  return {};
}

// Slower than the usual SCALE: random delays can be 0.1 s apart, which the
// usual scale makes 1 ms, less than a busy machine's scheduling jitter; then
// two workers finish in one turn of the loop and the lines reorder.
constexpr double python_scale = 0.2;

PythonSource as_completed_python(const Context& ctx) {
  std::string delays_source = "[random.randint(5, 20) / 10 for _ in \"ABC\"]";
  if (ctx.params.get("delays") != "random") {
    std::vector<std::string> ds;
    for (const auto& item : split_list(ctx.params.get("delays")))
      ds.push_back(py_float(*parse_number(item)));
    delays_source = fmt::format("[{}]", fmt::join(ds, ", "));
  }
  return {fmt::format(R"(async def worker(label, delay):
    print("Worker - will take some time")
    await asyncio.sleep(delay * SCALE)  # pause: the other workers can run
    result = random.randint(1, 10)
    print("Worker - Done it")
    return label + str(result)


async def do_something():
    # Each worker sleeps its own delay, so they finish out of order.
    delays = {}
    print("do_something - will wait for worker")
{})",
                      delays_source, python_loop(ctx.mode)),
          "do_something()", python_scale};
}

std::string check_delays(std::string_view text) {
  if (text == "random") return {};
  std::string why;
  const auto items = list_items(text, delays_list, why);
  if (!items) return why;
  if (items->size() != labels.size())
    return fmt::format("{} is not three delays; give seconds for A, B and C, e.g. "
                       "--delays=1.5,0.5,1, or random",
                       quote(text));
  for (const auto& item : *items) {
    const auto v = parse_number(item);
    if (!v || *v < 0 || *v > max_delay)
      return fmt::format("{} is not a number of seconds from 0 to {:g}; e.g. --delays=1.5,0.5,1",
                         quote(item), max_delay);
  }
  return {};
}

const Registration registration{Scenario{
    .name = "as-completed",
    .seed = "002 §34.6.2",
    .summary = "workers A, B, C sleep their own random delays; as_completed gives results as "
               "each finishes",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::as_completed,
    .params = {{"delays",
                "Seconds that A, B and C each sleep, comma-separated (e.g. 1.5,0.5,1), or random: "
                "0.5 to 2 s each, drawn from --seed",
                "random", check_delays}},
    .random = true,
    .main = as_completed_main,
    .python = as_completed_python,
}};

} // namespace
