// Seed 002's claim, measured: async tasks are lighter than threads. A swarm
// of --tasks coroutines each sleeps a seeded random time below --max-sleep,
// then returns; or, in its own mode `threads`, one std::thread per task
// blocks in its sleep. No line per task: at the end, how long it took
// against the model (the longest sleep), the peak memory and its cost per
// task, and how late the timers fired, as figures (numbers in JSON).
#include "swarm.hpp"

#include "asyncdemo/teach/scenario_kit.hpp"
#include "asyncdemo/text/units.hpp"

#include <unistd.h>

namespace {

using namespace asyncdemo;

constexpr double longest_max_sleep = 86400; // a day

// Checked before anything is allocated: a count that memory cannot hold is
// refused here, not by the allocator halfway through.
std::string check_tasks(std::string_view text) {
  const auto limit = task_limit();
  const auto n = parse_whole<std::uint64_t>(text);
  if (!n || *n == 0)
    return fmt::format("{} is not a number of tasks; use a whole number from 1 to {}, e.g. "
                       "--tasks=1000000",
                       quote(text), limit.count);
  if (*n > limit.count)
    return fmt::format("{} tasks would not fit in the memory available ({} tasks at most, by {}); "
                       "use --tasks={} or fewer",
                       *n, limit.count, limit.reason, limit.count);
  return {};
}

std::string check_max_sleep(std::string_view text) {
  const auto s = parse_number(text);
  if (!s || *s <= 0 || *s > longest_max_sleep)
    return fmt::format("{} is not a number of seconds above 0 and up to {:g}; e.g. "
                       "--max-sleep=0.5",
                       quote(text), longest_max_sleep);
  return {};
}

// threads: one std::thread per task, so the machine's thread limits apply.
std::string check_run(Mode mode, const Params& params) {
  if (mode != threads_mode) return {};
  const auto n = *parse_whole<std::uint64_t>(params.get("tasks"));
  const auto limit = thread_limit();
  if (n <= limit.count) return {};
  if (limit.count == 0)
    return fmt::format("--mode=threads: this machine cannot start another thread ({} allows none); "
                       "use a coroutine mode (gather, as_completed, create_task)",
                       limit.reason);
  return fmt::format("--mode=threads: this machine cannot hold {} threads ({} allows {} more); use "
                     "--tasks={} or fewer, or a coroutine mode (gather, as_completed, create_task)",
                     n, limit.reason, limit.count, limit.count);
}

std::string ms(std::int64_t ns) {
  return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
}

Coro<> swarm_main(const Context& ctx) {
  const auto& loop = running_loop();
  SwarmSpec spec;
  spec.mode = ctx.mode;
  spec.tasks = *parse_whole<std::uint64_t>(ctx.params.get("tasks"));
  spec.max_sleep = seconds(*parse_number(ctx.params.get("max-sleep")));
  spec.seed = ctx.seed;
  const bool real = loop.config().clock == ClockKind::real;
  spec.progress = real && isatty(STDERR_FILENO);

  const auto rss_before = resident_bytes();
  const auto wall_start = std::chrono::steady_clock::now();
  const auto r = co_await swarm(spec);
  const auto wall = std::chrono::steady_clock::now() - wall_start;
  const auto peak = peak_resident_bytes();

  print("{} of {} tasks done · sleeps below {} · seed {}", r.completed, spec.tasks,
        format_seconds(spec.max_sleep), spec.seed);
  if (r.completed != spec.tasks)
    throw std::runtime_error(fmt::format("only {} of {} tasks completed", r.completed, spec.tasks));
  if (!ctx.figures) co_return;

  // What was measured: it differs from run to run, so it is kept apart.
  auto& f = *ctx.figures;
  const auto grown = peak > rss_before ? peak - rss_before : 0;
  const auto late = summarize_lateness(r.lateness);
  f.add("wall", to_seconds(std::chrono::duration_cast<Duration>(wall)));
  f.add("peak_memory_bytes", static_cast<double>(peak));
  f.add("bytes_per_task", static_cast<double>(grown / spec.tasks));
  f.add("lateness_p50", static_cast<double>(late.p50) / 1e9);
  f.add("lateness_p99", static_cast<double>(late.p99) / 1e9);
  f.add("lateness_max", static_cast<double>(late.max) / 1e9);
  f.add("timers_early", static_cast<double>(late.early));

  // Its time, model and sync equivalent are the summary line's, as for any
  // scenario (run.elapsed: the same figure the --mode=all table shows).
  f.note(fmt::format("wall {} · peak memory {:.1f} MiB · {} bytes per task",
                     format_seconds(std::chrono::duration_cast<Duration>(wall)),
                     static_cast<double>(peak) / (1024.0 * 1024), grown / spec.tasks));
  f.note(fmt::format(
      "timers late by p50 {} · p99 {} · max {} · {}", ms(late.p50), ms(late.p99), ms(late.max),
      late.early == 0 ? std::string("none early")
                      : fmt::format("{} EARLY (by up to {})", late.early, ms(-late.min))));
}

// Every task sleeps at once: the model is the longest sleep. Swarm has no
// sync mode (a million sleeps one by one take days), but its sync
// equivalent is known: the sum of the sleeps.
std::optional<Duration> model_of(const Context& ctx) {
  const auto tasks = *parse_whole<std::uint64_t>(ctx.params.get("tasks"));
  const auto max_sleep = seconds(*parse_number(ctx.params.get("max-sleep")));
  if (ctx.mode == Mode::sync) return swarm_sync_model(tasks, max_sleep, ctx.seed);
  return swarm_model(tasks, max_sleep, ctx.seed);
}

PythonSource swarm_python(const Context& ctx) {
  const auto n = ctx.params.get("tasks");
  const auto max_sleep = ctx.params.get("max-sleep");
  // Both measure themselves as the scenario does, after the run.
  const std::string footer = R"(

if __name__ == "__main__":
    start = time.perf_counter()
    main()
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"{TASKS} done in {wall:.3f} s, peak memory {peak / 2**20:.1f} MiB")
)";
  if (ctx.mode == threads_mode)
    return {fmt::format(R"(# One thread per task, each blocking in time.sleep.
import resource
import threading

TASKS = {}
MAX_SLEEP = {}
SEED = {}


def main():
    rng = random.Random(SEED)
    threads = [threading.Thread(target=time.sleep, args=(rng.random() * MAX_SLEEP,))
               for _ in range(TASKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
)",
                        n, max_sleep, ctx.seed),
            "", 1, footer};
  std::string run;
  switch (ctx.mode) {
  case Mode::as_completed:
    run = "    for next_done in asyncio.as_completed(tasks):\n        await next_done\n";
    break;
  case Mode::create_task:
    run = "    for t in tasks:\n        await t\n";
    break;
  default:
    run = "    await asyncio.gather(*tasks)\n";
    break;
  }
  return {fmt::format(R"(# TASKS tasks, each sleeping random.Random(SEED).random() * MAX_SLEEP
# seconds. (bench/swarm.py is the same program, with its numbers on the
# command line.)
import resource

TASKS = {}
MAX_SLEEP = {}
SEED = {}


async def sleeper(i, delay):
    await asyncio.sleep(delay)
    return i


async def amain():
    rng = random.Random(SEED)
    tasks = [asyncio.create_task(sleeper(i, rng.random() * MAX_SLEEP)) for i in range(TASKS)]
{}

def main():
    asyncio.run(amain())
)",
                      n, max_sleep, ctx.seed, run),
          "", 1, footer};
}

const Registration registration{Scenario{
    .name = "swarm",
    .seed = "002",
    .summary = "N tasks sleeping at once: time, memory and timer lateness; or one thread each",
    .modes = {Mode::gather, Mode::as_completed, Mode::create_task, threads_mode},
    .default_mode = Mode::gather,
    .params = {{.name = "tasks",
                .help = "How many tasks (or threads), each sleeping a random time",
                .default_value = "10000",
                .check = check_tasks,
                .kind = "N"},
               {.name = "max-sleep",
                .help = "Each sleep is random in [0, this) seconds",
                .default_value = "1",
                .check = check_max_sleep,
                .kind = "SECONDS"}},
    .random = true,
    .main = swarm_main,
    .python = swarm_python,
    .light = true,
    .check = check_run,
    .model = model_of,
    .own_modes = {{threads_mode, "threads"}},
}};

} // namespace
