#include "swarm.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/process/resources.hpp"
#include "asyncdemo/ref.hpp"
#include "asyncdemo/script/random.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

namespace asyncdemo {

namespace {

using SteadyClock = std::chrono::steady_clock;

// What the tasks report into. Each sleeper holds a reference: a task still
// running when main is cancelled (an interrupt) must not write into a
// swarm that is gone.
struct Shared {
  std::vector<std::int64_t> lateness;
  std::vector<std::uint32_t> order;
  std::size_t completed = 0;
  bool keep_order = false;
  bool over = false; // the swarm is done or cancelled: the bar draws no more
  std::uint32_t refs = 0;
  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};
using SharedRef = Ref<Shared>;

// One task: asyncio.sleep(delay), and how late it woke. The deadline is
// taken once, so the lateness is measured against the very deadline the
// sleep queue holds.
Coro<std::uint32_t> sleeper(SharedRef sh, std::uint32_t i, Duration delay) {
  co_await catches_nothing{};             // Ctrl-C ends a million of these: no exception each
  auto wake = sleep_until(now() + delay); // named: its deadline is the frame's only copy
  co_await wake;
  sh->lateness[i] = (now() - wake.deadline).count();
  ++sh->completed;
  if (sh->keep_order) sh->order.push_back(i);
  co_return i;
}

// The bar, hyperfine-style: the spawning phase ("made"), then the waiting
// one ("done"), with an estimate of the wall time left once it is known.
void draw_progress(std::size_t count, std::size_t total, const char* what,
                   std::optional<double> seconds_left = std::nullopt) {
  constexpr int width = 30;
  const auto filled = static_cast<int>(
      static_cast<double>(count) / static_cast<double>(std::max<std::size_t>(total, 1)) * width);
  const auto left =
      seconds_left ? fmt::format("  {:.1f} s left", std::max(*seconds_left, 0.0)) : std::string();
  fmt::print(stderr, "\r[{}{}] {} / {} tasks {}{}\x1b[K", std::string(filled, '#'),
             std::string(width - filled, '.'), count, total, what, left);
  std::fflush(stderr);
}

void clear_progress() {
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

// Drawn at most ten times a second while the tasks (or threads) are made.
struct SpawnBar {
  bool on;
  SteadyClock::time_point last = SteadyClock::now();
  void at(std::size_t made, std::size_t total) {
    if (!on || made % 1024 != 0 || SteadyClock::now() - last < std::chrono::milliseconds(100))
      return;
    last = SteadyClock::now();
    draw_progress(made, total, "made");
  }
};

// Redraws about ten times a wall second until the swarm is over. It first
// runs right after the tasks, which start their sleeps then: the time left
// is until the longest of them ends.
Coro<> progress_bar(SharedRef sh, std::size_t total, double speed, Duration longest) {
  const auto end = now() + longest;
  while (!sh->over) {
    draw_progress(sh->completed, total, "done", to_seconds(end - now()) / speed);
    co_await sleep(std::chrono::duration_cast<Duration>(std::chrono::milliseconds(100) * speed));
  }
}

// However the swarm ends (cancelled too), the bar stops and its line is
// cleared before anything else is printed.
struct EndOfSwarm {
  Shared& sh;
  bool bar;
  ~EndOfSwarm() {
    sh.over = true;
    if (bar) clear_progress();
  }
};

Duration sleep_of(const SwarmSpec& spec, Random& rng, std::size_t i) {
  if (!spec.sleeps.empty()) return spec.sleeps[i];
  return seconds(rng.random() * to_seconds(spec.max_sleep));
}

// How often (in tasks or threads started) a long start-up looks for an
// interrupt: well under a millisecond of work.
constexpr std::size_t poll_every = 4096;

// One std::thread per task, each blocking in its sleep; the loop's thread
// holds the loop while it waits for them, as a plain threaded program
// would. An interrupt wakes every thread at once (their sleeps wait on a
// condition) and the swarm ends cancelled.
void run_threads(const SwarmSpec& spec, Shared& sh, SwarmResult& r) {
  Loop& loop = running_loop();
  const bool real = loop.config().clock == ClockKind::real;
  const double speed = loop.config().speed;
  struct Stop {
    std::mutex m;
    std::condition_variable cv;
    bool now = false;
  } stop;
  std::atomic<std::size_t> done{0};
  std::vector<std::thread> threads;
  threads.reserve(spec.tasks);
  auto halt = [&] {
    {
      std::lock_guard lk(stop.m);
      stop.now = true;
    }
    stop.cv.notify_all();
    for (auto& t : threads)
      t.join();
  };
  // The threads take no stop signal: the loop's thread handles them.
  sigset_t stop_signals, old;
  sigemptyset(&stop_signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGALRM})
    sigaddset(&stop_signals, sig);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old);
  Random rng(spec.seed);
  std::string failure;
  SpawnBar spawning{spec.progress};
  auto last_deadline = SteadyClock::now();
  for (std::size_t i = 0; i < spec.tasks; ++i) {
    if (i % poll_every == 0 && loop.poll_interrupt()) break;
    spawning.at(i, spec.tasks);
    const auto delay = sleep_of(spec, rng, i);
    r.largest_sleep = std::max(r.largest_sleep, delay);
    const auto wall = std::chrono::nanoseconds(
        static_cast<std::int64_t>(static_cast<double>(delay.count()) / speed));
    last_deadline = std::max(last_deadline, SteadyClock::now() + wall);
    try {
      threads.emplace_back(
          [&sh, &done, &stop, i, real, speed, deadline = SteadyClock::now() + wall] {
            // On the virtual clock a thread's sleep takes no time, as a task's does.
            if (real) {
              std::unique_lock lk(stop.m);
              if (stop.cv.wait_until(lk, deadline, [&] { return stop.now; })) return;
              lk.unlock();
              const auto late = SteadyClock::now() - deadline;
              sh.lateness[i] = static_cast<std::int64_t>(
                  static_cast<double>(std::chrono::nanoseconds(late).count()) * speed);
            }
            done.fetch_add(1, std::memory_order_relaxed);
          });
    } catch (const std::system_error& e) {
      failure = fmt::format("could start only {} of {} threads: {}", i, spec.tasks, e.what());
      break;
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  // Wait for them, looking for an interrupt every few milliseconds.
  auto last_draw = SteadyClock::now();
  while (!loop.interrupted() && failure.empty() &&
         done.load(std::memory_order_relaxed) < threads.size()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    loop.poll_interrupt();
    if (spec.progress && SteadyClock::now() - last_draw > std::chrono::milliseconds(100)) {
      last_draw = SteadyClock::now();
      draw_progress(done.load(std::memory_order_relaxed), spec.tasks, "done",
                    std::chrono::duration<double>(last_deadline - last_draw).count());
    }
  }
  halt();
  if (loop.interrupted()) throw CancelledError{};
  if (!failure.empty()) throw std::runtime_error(failure);
  r.completed = done.load();
  sh.completed = r.completed;
  if (!real) block(r.largest_sleep); // the threads slept at once: time moves by the longest
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

Duration swarm_sync_model(std::size_t tasks, Duration max_sleep, std::uint64_t seed) {
  SwarmSpec spec;
  spec.max_sleep = max_sleep;
  Random rng(seed);
  Duration total{};
  for (std::size_t i = 0; i < tasks; ++i)
    total += sleep_of(spec, rng, i);
  return total;
}

Coro<SwarmResult> swarm(SwarmSpec spec) {
  if (!spec.sleeps.empty()) spec.tasks = spec.sleeps.size();
  SwarmResult r;
  const SharedRef sh(new Shared);
  sh->lateness.assign(spec.tasks, 0);
  sh->keep_order = spec.keep_order;
  if (spec.keep_order) sh->order.reserve(spec.tasks);
  const EndOfSwarm end{*sh, spec.progress};

  if (spec.mode == threads_mode) {
    run_threads(spec, *sh, r);
  } else {
    Loop& loop = running_loop();
    Random rng(spec.seed);
    std::vector<Task<std::uint32_t>> tasks;
    tasks.reserve(spec.tasks);
    SpawnBar spawning{spec.progress};
    for (std::size_t i = 0; i < spec.tasks; ++i) {
      // A million tasks take a while to make: an interrupt ends it here.
      if (i % poll_every == 0 && loop.poll_interrupt()) throw CancelledError{};
      spawning.at(i, spec.tasks);
      const auto delay = sleep_of(spec, rng, i);
      r.largest_sleep = std::max(r.largest_sleep, delay);
      tasks.push_back(create_task(sleeper(sh, static_cast<std::uint32_t>(i), delay)));
    }
    Task<> bar;
    if (spec.progress)
      bar = create_task(progress_bar(sh, spec.tasks, loop.config().speed, r.largest_sleep));

    switch (spec.mode) {
    case Mode::gather:
      co_await gather(std::move(tasks));
      break;
    case Mode::as_completed:
      sh->keep_order = false; // main keeps the order it is given
      for (auto next : as_completed(std::move(tasks))) {
        const auto i = co_await next;
        if (spec.keep_order) sh->order.push_back(i);
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
    if (bar.valid()) bar.cancel();
    r.completed = sh->completed;
  }
  r.lateness = std::move(sh->lateness);
  r.order = std::move(sh->order);
  co_return r;
}

LatenessSummary summarize_lateness(std::vector<std::int64_t> v) {
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
    return v[k];
  };
  s.p50 = at(0.50);
  s.p99 = at(0.99);
  return s;
}

Limit task_limit() {
  // The swarm measures well under this per task; the margin covers the
  // growth of its vectors and queues.
  constexpr std::size_t bytes_per_task = 512;
  const auto memory = memory_limit();
  return Limit{std::min<std::size_t>(memory.count / bytes_per_task,
                                     std::numeric_limits<std::uint32_t>::max()),
               memory.reason};
}

} // namespace asyncdemo
