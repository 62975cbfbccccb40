#include "asyncdemo/loop.hpp"

#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/gather.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/prctl.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace asyncdemo {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
      .count();
}

using detail::Handle;

void run_handle(const Handle& h) {
  switch (h.kind()) {
  case Handle::step:
    h.target<detail::TaskBase>()->step();
    break;
  case Handle::timer:
    h.target<detail::TaskBase>()->timer_fired();
    break;
  case Handle::first_callback:
    h.target<detail::FutureBase>()->run_first_callback();
    break;
  case Handle::callback:
    detail::FutureBase::run_node(h.target<detail::CallbackNode>()); // frees it
    break;
  }
}

// After the run (even if it threw), or instead of it when the loop goes
// away: let go of what the handle holds.
void finish_handle(const Handle& h, bool ran) noexcept {
  if (h.kind() == Handle::callback) {
    if (!ran) detail::FutureBase::drop_node(h.target<detail::CallbackNode>());
    return;
  }
  auto* fut = h.target<detail::FutureBase>();
  if (!ran && h.kind() == Handle::first_callback) fut->drop_first_callback();
  fut->release();
}

// Blocking work on the real clock is sliced so that a second Ctrl-C is noticed.
constexpr auto block_slice = std::chrono::milliseconds(20);
// Sleeps and timers wake this much early and spin the rest: the kernel's
// wake-up latency (50-100 us) would otherwise add to every wait.
constexpr auto spin_margin = std::chrono::microseconds(150);
// A busy loop looks for signals (Ctrl-C) every this many iterations: a
// poll is a system call, too dear for each of a million wake-ups.
constexpr std::uint64_t poll_every = 1024;

void spin_until(SteadyClock::time_point t) {
  while (SteadyClock::now() < t) {
  }
}

} // namespace

struct Loop::Io {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  asio::steady_timer timer{ioc};
  std::optional<asio::signal_set> signals;
  std::optional<SteadyClock::time_point> armed_at;
  std::uint64_t arm_gen = 0;
};

namespace detail {
constinit thread_local Loop* t_running_loop = nullptr;

void throw_no_running_loop() {
  throw std::logic_error("no running event loop");
}
} // namespace detail

// The clock starts with the loop: run()'s main task is made (and recorded)
// before run_main, and its creation time must be on the same scale.
Loop::Loop(LoopConfig config)
    : config_(config), io_(std::make_unique<Io>()), wall_start_ns_(steady_ns()) {
  if (!(config_.speed > 0)) throw std::invalid_argument("speed must be positive");
}

Loop::~Loop() {
  // Whatever is still queued is released without running.
  while (!ready_.empty()) {
    const auto h = ready_.front();
    ready_.pop_front();
    finish_handle(h, false);
  }
  while (!sleepers_.empty())
    sleepers_.pop().task->release();
  for (auto& t : pending_snapshot()) {
    t->abandon();
    retire(*t);
  }
}

Duration Loop::wall_elapsed() const noexcept {
  if (config_.clock == ClockKind::virtual_time) return virtual_now_;
  return Duration(steady_ns() - wall_start_ns_);
}

Duration Loop::now() const noexcept {
  if (config_.clock == ClockKind::virtual_time) return virtual_now_;
  const auto wall = steady_ns() - wall_start_ns_;
  if (config_.speed == 1.0) return Duration(wall);
  return Duration(static_cast<std::int64_t>(static_cast<long double>(wall) * config_.speed));
}

void Loop::call_soon(const detail::Handle& h) {
  // A callback node already holds its future.
  if (h.kind() != Handle::callback) h.target<detail::FutureBase>()->add_ref();
  ready_.push_back(h);
}

void Loop::call_at(Duration deadline, detail::TaskBase& task) {
  task.add_ref();
  sleepers_.push(deadline, &task);
}

void Loop::forget_sleeps(Duration deadline, detail::TaskBase& task) {
  for (auto n = sleepers_.remove(deadline, &task); n > 0; --n)
    task.release(); // the caller holds the task: never the last reference
}

void Loop::adopt(detail::TaskBase& task) {
  task.add_ref(); // the loop keeps every pending task alive
  task.prev_pending = pending_tail_;
  task.next_pending = nullptr;
  (pending_tail_ ? pending_tail_->next_pending : pending_head_) = &task;
  pending_tail_ = &task;
  ++pending_count_;
  if (task.tracked()) recorder_.record(now(), task.id(), EventKind::task_created);
  task.schedule_step();
}

void Loop::retire(detail::TaskBase& task) {
  (task.prev_pending ? task.prev_pending->next_pending : pending_head_) = task.next_pending;
  (task.next_pending ? task.next_pending->prev_pending : pending_tail_) = task.prev_pending;
  task.prev_pending = task.next_pending = nullptr;
  --pending_count_;
  task.release();
}

void Loop::block(Duration d) {
  auto* task = current_task_;
  const int id = task ? task->id() : no_task;
  const bool track = !task || task->tracked();
  // Sync mode stands for a plain program with no event loop, where Ctrl-C
  // raises KeyboardInterrupt out of time.sleep at once.
  const bool stop_on_interrupt = config_.sleep_blocks;
  bool stopped = false;
  if (track) recorder_.record(now(), id, EventKind::block_begin);
  if (d > Duration::zero()) {
    if (config_.clock == ClockKind::virtual_time) {
      virtual_now_ += d;
    } else {
      const auto until = SteadyClock::now() + to_wall(d);
      // Sleep in slices, then spin the last moment. Under an event loop,
      // Ctrl-C does not cut it short: as with time.sleep under asyncio.run,
      // the first one cancels main and the work goes on; the slices let a
      // second one stop us at once.
      for (;;) {
        if (stop_on_interrupt && interrupted_) break;
        const auto left = until - SteadyClock::now();
        if (left <= spin_margin) break;
        std::this_thread::sleep_for(
            std::min<SteadyClock::duration>(left - spin_margin, block_slice));
        if (io_->signals) poll_io();
      }
      stopped = stop_on_interrupt && interrupted_;
      if (!stopped) spin_until(until);
    }
  }
  if (track) recorder_.record(now(), id, EventKind::block_end);
  if (stopped) throw CancelledError{};
}

void Loop::interrupt() {
  if (interrupted_) return;
  interrupted_ = true;
  recorder_.record(now(), no_task, EventKind::interrupted);
  // Cancel main while it runs; once it is done, run() cancels the rest, as
  // asyncio.run does. During that clean-up, cancel whatever is left.
  for (auto* t = pending_head_; t; t = t->next_pending)
    if (t == main_ && !t->done()) {
      t->cancel();
      return;
    }
  for (auto& t : pending_snapshot())
    t->cancel();
}

std::chrono::nanoseconds Loop::to_wall(Duration d) const noexcept {
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(static_cast<long double>(d.count()) / config_.speed));
}

std::vector<detail::Ref<detail::TaskBase>> Loop::pending_snapshot() const {
  std::vector<detail::Ref<detail::TaskBase>> out;
  out.reserve(pending_count_);
  for (auto* t = pending_head_; t; t = t->next_pending)
    out.emplace_back(t);
  return out;
}

void Loop::poll_io() {
  io_->ioc.poll();
}

void Loop::wait_until(Duration deadline) {
  // One steady_timer, armed at the earliest deadline, serves every sleeper.
  // Rounded up at other speeds, so the wake-up is never before the deadline.
  const auto at =
      SteadyClock::time_point(std::chrono::nanoseconds(wall_start_ns_) + to_wall(deadline) +
                              std::chrono::nanoseconds(config_.speed == 1.0 ? 0 : 1));
  const auto early = at - spin_margin;
  if (SteadyClock::now() < early) {
    if (io_->armed_at != early) {
      io_->armed_at = early;
      const auto gen = ++io_->arm_gen;
      io_->timer.expires_at(early);
      io_->timer.async_wait([this, gen](const boost::system::error_code&) {
        if (gen == io_->arm_gen) io_->armed_at.reset();
      });
    }
    io_->ioc.run_one();
    if (io_->armed_at) return; // woken by something else (Ctrl-C): look again
  }
  spin_until(at);
}

void Loop::drop_stale_sleepers() {
  while (!sleepers_.empty() && !sleepers_.top().task->sleeping_on(sleepers_.top().deadline))
    sleepers_.pop().task->release();
}

// asyncio's BaseEventLoop._run_once.
void Loop::run_once() {
  drop_stale_sleepers();
  ++iterations_;
  const bool virt = config_.clock == ClockKind::virtual_time;
  if (ready_.empty() && !stopping_) {
    if (sleepers_.empty())
      throw DeadlockError("every task is waiting and nothing is pending that could wake one");
    const auto deadline = sleepers_.top().deadline;
    if (virt) {
      // Autojump: nothing is ready, so time moves to the next deadline.
      if (deadline > virtual_now_) virtual_now_ = deadline;
      if (io_->signals && iterations_ % poll_every == 0) poll_io();
    } else if (deadline > now()) {
      wait_until(deadline); // the io_context runs while waiting: signals come in
    }
  } else if (io_->signals && iterations_ % poll_every == 0) {
    poll_io();
  }

  const auto t = now();
  while (!sleepers_.empty() && sleepers_.top().deadline <= t) {
    auto s = sleepers_.pop();
    if (s.task->sleeping_on(s.deadline)) call_soon(Handle::make(Handle::timer, s.task));
    s.task->release();
  }

  // Only what was ready when this iteration began; the rest waits a turn.
  for (auto n = ready_.size(); n > 0; --n) {
    const auto h = ready_.front();
    ready_.pop_front();
    struct Release { // even if a callback throws
      const Handle& h;
      ~Release() { finish_handle(h, true); }
    } release{h};
    run_handle(h);
  }
}

void Loop::run_until_complete(detail::FutureBase& fut) {
  fut.add_done_callback(
      [](detail::FutureBase&, void* self) { static_cast<Loop*>(self)->stopping_ = true; }, this);
  for (;;) {
    run_once();
    if (stopping_) break;
  }
  stopping_ = false;
  if (!fut.done()) throw std::logic_error("the loop stopped before the future was done");
}

void Loop::cancel_all_tasks() {
  const auto pending = pending_snapshot();
  if (pending.empty()) return;
  for (auto& t : pending)
    t->cancel();
  auto all = detail::make_gather({pending.begin(), pending.end()}, true);
  run_until_complete(*all);
}

void Loop::run_main(detail::TaskBase& main) {
  if (running_) throw std::logic_error("this loop is already running");
  struct Current {
    Loop* self;
    Loop* previous = detail::t_running_loop;
    explicit Current(Loop* s) : self(s) {
      detail::t_running_loop = s;
      s->running_ = true;
    }
    ~Current() {
      detail::t_running_loop = previous;
      self->running_ = false;
      self->io_->signals.reset();
    }
  } current{this};

  main_ = &main;
  if (config_.clock == ClockKind::real) prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); // precise wake-ups
  if (config_.handle_sigint) {
    io_->signals.emplace(io_->ioc, SIGINT);
    struct OnSignal {
      Loop* loop;
      void operator()(const boost::system::error_code& ec, int) const {
        if (ec) return;
        if (loop->interrupted_) std::_Exit(130); // a second Ctrl-C: stop now
        loop->interrupt();
        loop->io_->signals->async_wait(*this);
      }
    };
    io_->signals->async_wait(OnSignal{this});
  }

  adopt(main);
  try {
    run_until_complete(main);
  } catch (...) {
    cancel_all_tasks();
    throw;
  }
  cancel_all_tasks();
}

} // namespace asyncdemo
