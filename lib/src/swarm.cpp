#include "asyncdemo/swarm.hpp"

#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/random.hpp"
#include "asyncdemo/sleep.hpp"
#include "asyncdemo/task.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

namespace asyncdemo {

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Shared {
  std::vector<std::int32_t> lateness;
  std::vector<std::uint32_t> order;
  std::size_t completed = 0;
  bool keep_order = false;
};

std::int32_t clamp_ns(std::int64_t ns) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(
      ns, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
}

// One task: asyncio.sleep(delay), and how late it woke. The deadline is
// taken once, so the lateness is measured against the very deadline the
// sleep queue holds.
Coro<std::uint32_t> sleeper(Shared* sh, std::uint32_t i, Duration delay) {
  auto wake = sleep_until(now() + delay); // named: its deadline is the frame's only copy
  co_await wake;
  sh->lateness[i] = clamp_ns((now() - wake.deadline).count());
  ++sh->completed;
  if (sh->keep_order) sh->order.push_back(i);
  co_return i;
}

void draw_progress(std::size_t done, std::size_t total) {
  constexpr int width = 30;
  const auto filled =
      static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
  std::fprintf(stderr, "\r[%s%s] %zu / %zu tasks done",
               std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total);
  std::fflush(stderr);
}

void clear_progress() {
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

// Redraws about ten times a wall second until cancelled.
Coro<> progress_bar(const Shared* sh, std::size_t total, double speed) {
  for (;;) {
    draw_progress(sh->completed, total);
    co_await sleep(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(100) * speed));
  }
}

Duration sleep_of(const SwarmSpec& spec, Random& rng, std::size_t i) {
  if (!spec.sleeps.empty()) return spec.sleeps[i];
  return seconds(rng.random() * to_seconds(spec.max_sleep));
}

// One std::thread per task, each blocking in its sleep; the loop's thread
// holds the loop while it joins them, as a plain threaded program would.
void run_threads(const SwarmSpec& spec, Shared& sh, SwarmResult& r) {
  Loop& loop = running_loop();
  const bool real = loop.config().clock == ClockKind::real;
  const double speed = loop.config().speed;
  std::atomic<std::size_t> done{0};
  Random rng(spec.seed);
  std::vector<std::thread> threads;
  threads.reserve(spec.tasks);
  std::string failure;
  for (std::size_t i = 0; i < spec.tasks; ++i) {
    const auto delay = sleep_of(spec, rng, i);
    r.largest_sleep = std::max(r.largest_sleep, delay);
    const auto wall = std::chrono::nanoseconds(
        static_cast<std::int64_t>(static_cast<double>(delay.count()) / speed));
    try {
      threads.emplace_back([&sh, &done, i, real, speed, deadline = SteadyClock::now() + wall] {
        // On the virtual clock a thread's sleep takes no time, as a task's does.
        if (real) {
          std::this_thread::sleep_until(deadline);
          const auto late = SteadyClock::now() - deadline;
          sh.lateness[i] = clamp_ns(static_cast<std::int64_t>(
              static_cast<double>(std::chrono::nanoseconds(late).count()) * speed));
        }
        done.fetch_add(1, std::memory_order_relaxed);
      });
    } catch (const std::system_error& e) {
      failure = fmt::format("could start only {} of {} threads: {}", i, spec.tasks, e.what());
      break;
    }
  }
  auto last_draw = SteadyClock::now();
  for (auto& t : threads) {
    t.join();
    if (spec.progress && SteadyClock::now() - last_draw > std::chrono::milliseconds(100)) {
      last_draw = SteadyClock::now();
      draw_progress(done.load(std::memory_order_relaxed), spec.tasks);
    }
  }
  if (spec.progress) clear_progress();
  if (!failure.empty()) throw std::runtime_error(failure);
  r.completed = done.load();
  sh.completed = r.completed;
  if (!real) block(r.largest_sleep); // the threads slept at once: time moves by the longest
}

std::size_t read_first_number(const char* path) {
  std::ifstream in(path);
  std::size_t v = 0;
  if (in >> v) return v;
  return std::numeric_limits<std::size_t>::max();
}

// MemAvailable from /proc/meminfo, in bytes.
std::size_t available_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::size_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return static_cast<std::size_t>(sysconf(_SC_AVPHYS_PAGES)) *
         static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

} // namespace

std::vector<Duration> swarm_sleeps(std::size_t tasks, Duration max_sleep, std::uint64_t seed) {
  SwarmSpec spec;
  spec.max_sleep = max_sleep;
  Random rng(seed);
  std::vector<Duration> out;
  out.reserve(tasks);
  for (std::size_t i = 0; i < tasks; ++i)
    out.push_back(sleep_of(spec, rng, i));
  return out;
}

Duration swarm_model(std::size_t tasks, Duration max_sleep, std::uint64_t seed) {
  SwarmSpec spec;
  spec.max_sleep = max_sleep;
  Random rng(seed);
  Duration longest{};
  for (std::size_t i = 0; i < tasks; ++i)
    longest = std::max(longest, sleep_of(spec, rng, i));
  return longest;
}

Coro<SwarmResult> swarm(SwarmSpec spec) {
  if (!spec.sleeps.empty()) spec.tasks = spec.sleeps.size();
  SwarmResult r;
  Shared sh;
  sh.lateness.assign(spec.tasks, 0);
  sh.keep_order = spec.keep_order;
  if (spec.keep_order) sh.order.reserve(spec.tasks);

  if (spec.mode == Mode::threads) {
    run_threads(spec, sh, r);
  } else {
    Random rng(spec.seed);
    std::vector<Task<std::uint32_t>> tasks;
    tasks.reserve(spec.tasks);
    for (std::size_t i = 0; i < spec.tasks; ++i) {
      const auto delay = sleep_of(spec, rng, i);
      r.largest_sleep = std::max(r.largest_sleep, delay);
      tasks.push_back(create_task(sleeper(&sh, static_cast<std::uint32_t>(i), delay)));
    }
    Task<> bar;
    if (spec.progress)
      bar = create_task(progress_bar(&sh, spec.tasks, running_loop().config().speed));

    switch (spec.mode) {
    case Mode::gather:
      co_await gather(std::move(tasks));
      break;
    case Mode::as_completed:
      sh.keep_order = false; // main keeps the order it is given
      for (auto next : as_completed(std::move(tasks))) {
        const auto i = co_await next;
        if (spec.keep_order) sh.order.push_back(i);
      }
      break;
    case Mode::create_task:
      for (auto& t : tasks)
        co_await t;
      tasks.clear();
      break;
    default:
      throw std::logic_error("swarm runs in gather, as_completed, create_task or threads mode");
    }
    if (bar.valid()) {
      bar.cancel();
      clear_progress();
    }
    r.completed = sh.completed;
  }
  r.lateness = std::move(sh.lateness);
  r.order = std::move(sh.order);
  co_return r;
}

LatenessSummary summarize_lateness(std::vector<std::int32_t> v) {
  LatenessSummary s;
  if (v.empty()) return s;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  s.early =
      static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](auto x) { return x < 0; }));
  auto at = [&](double q) {
    const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return static_cast<std::int64_t>(v[k]);
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  return s;
}

std::size_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::size_t peak_resident_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<std::size_t>(u.ru_maxrss) * 1024;
}

ThreadLimit thread_limit() {
  // Each limit, less what is in use already (threads now running, counted
  // by /proc/loadavg's fourth field, "running/total").
  std::size_t running = 0;
  {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c, d;
    if (in >> a >> b >> c >> d) {
      const auto slash = d.find('/');
      if (slash != std::string::npos) running = std::stoul(d.substr(slash + 1));
    }
  }
  ThreadLimit best{std::numeric_limits<std::size_t>::max(), ""};
  auto consider = [&](std::size_t limit, std::size_t used, const char* reason) {
    const auto left = limit > used ? limit - used : 0;
    if (left < best.count) best = ThreadLimit{left, reason};
  };
  consider(read_first_number("/proc/sys/kernel/threads-max"), running, "kernel.threads-max");
  consider(read_first_number("/proc/sys/kernel/pid_max"), running, "kernel.pid_max");
  // Each thread maps its stack and a guard page.
  consider(read_first_number("/proc/sys/vm/max_map_count") / 2, 0, "vm.max_map_count");
  rlimit nproc{};
  if (getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur != RLIM_INFINITY)
    consider(static_cast<std::size_t>(nproc.rlim_cur), running, "ulimit -u");
  // A thread costs its touched stack, its kernel stack and bookkeeping: 64 KiB
  // is on the safe side.
  consider(available_memory() / (64 * 1024), 0, "available memory");
  return best;
}

std::size_t task_limit() {
  // The swarm measures well under this per task; the margin covers the
  // growth of its vectors and queues.
  constexpr std::size_t bytes_per_task = 512;
  return std::min<std::size_t>(available_memory() / bytes_per_task,
                               std::numeric_limits<std::uint32_t>::max());
}

} // namespace asyncdemo
