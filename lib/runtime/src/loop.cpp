#include "asyncdemo/loop.hpp"

#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/detail/task_base.hpp"
#include "asyncdemo/detail/thread_job.hpp"
#include "asyncdemo/gather.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>
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
using Sleeper = SleepQueue<detail::TaskBase>::Sleeper;
using detail::TimerHandle;

// A timer shares the sleep queue with the sleeping tasks: its entry is the
// timer's address with the low bit set (both are 16-byte aligned).
detail::TaskBase* queue_entry(TimerHandle* t) noexcept {
  return reinterpret_cast<detail::TaskBase*>(reinterpret_cast<std::uintptr_t>(t) | 1);
}
TimerHandle* timer_of(detail::TaskBase* entry) noexcept {
  const auto word = reinterpret_cast<std::uintptr_t>(entry);
  return word & 1 ? reinterpret_cast<TimerHandle*>(word & ~std::uintptr_t{1}) : nullptr;
}
// Whether a sleep queue entry still stands: a task still sleeping until
// it, or a timer neither cancelled nor run.
bool live_entry(const Sleeper& s) noexcept {
  if (auto* t = timer_of(s.task)) return !t->cancelled();
  return s.task->sleeping_on(s.deadline);
}
void release_entry(detail::TaskBase* entry) noexcept {
  if (auto* t = timer_of(entry))
    t->release();
  else
    entry->release();
}

void run_timer(TimerHandle& t) {
  // As asyncio's default exception handler: reported, and the loop goes on.
  try {
    t.run();
  } catch (...) {
    if (is_out_of_memory(std::current_exception())) throw; // the run ends: see errors.hpp
    std::fprintf(stderr, "Exception in callback: %s\n",
                 python_line(std::current_exception()).c_str());
  }
}

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
  case Handle::timer_callback:
    run_timer(*h.target<TimerHandle>());
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
  if (h.kind() == Handle::timer_callback) {
    h.target<TimerHandle>()->release();
    return;
  }
  auto* fut = h.target<detail::FutureBase>();
  if (!ran && h.kind() == Handle::first_callback) fut->drop_first_callback();
  fut->release();
}

// Blocking work on the real clock is sliced so that an interrupt is noticed.
constexpr auto block_slice = std::chrono::milliseconds(20);
// Sleeps and timers wake this much early and spin the rest: the kernel's
// wake-up latency (50-100 us) would otherwise add to every wait.
constexpr auto spin_margin = std::chrono::microseconds(150);
// An iteration with a million ready handles (a swarm's first steps) looks
// at the interrupt source every this many handles.
constexpr std::size_t poll_every = 1024;

void spin_until(SteadyClock::time_point t) {
  while (SteadyClock::now() < t) {
  }
}

} // namespace

// The default executor (to_thread): `size` workers; a job that finds them
// all busy waits in `waiting`, in the order it came, for the first to be
// free. On the real clock the jobs that run are `in_flight`, and what the
// workers have finished is handed over under the lock, as
// call_soon_threadsafe does; the rest is the loop thread's alone.
struct Loop::ThreadJobs {
  struct InFlight {
    std::shared_ptr<detail::ThreadJob> job;
    Ref<TimerHandle> done;
  };
  struct Waiting {
    std::shared_ptr<detail::ThreadJob> job;
    Ref<TimerHandle> done;
    const detail::FutureBase* awaited; // held by done's context
    Duration came{};                   // when it was submitted
  };
  std::size_t size = 1;
  std::deque<Waiting> waiting;
  // Virtual clock: when each worker that has run a job is free again, the
  // earliest first (a heap, at most `size`); a worker never used is free.
  std::vector<Duration> free_at;
  Duration latest_end{}; // virtual clock: when the last job's work ends
  std::size_t busy = 0;  // real clock: workers running a job
  std::vector<InFlight> in_flight;
  std::mutex m;
  std::vector<detail::ThreadJob*> finished; // by the workers, under m
  // Last: destroyed first, so that every worker has finished (and
  // handed its job over) before the rest goes.
  std::unique_ptr<detail::Workers> workers;
};

struct Loop::Io {
  asio::io_context ioc{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  asio::steady_timer timer{ioc};
  // The interrupt source's descriptor (a duplicate: the descriptor object
  // closes what it holds), watched while the loop waits.
  std::optional<asio::posix::stream_descriptor> wake;
  std::optional<SteadyClock::time_point> armed_at;
  std::uint64_t arm_gen = 0;
};

// What iteration_began and iteration_ended show an observer.
class Loop::View final : public LoopView {
public:
  explicit View(const Loop& loop) : loop_(loop) {}
  Duration now() const noexcept override { return loop_.now(); }
  std::uint64_t iteration() const noexcept override { return loop_.iterations_; }
  std::vector<ReadyItem> ready() const override;
  std::vector<SleeperItem> sleepers() const override;
  std::vector<SleeperItem> earliest_sleepers(std::size_t limit) const override;

private:
  const Loop& loop_;
};

namespace {

void stop_loop(detail::FutureBase&, void* self);

// Which callback a queued one is, for a view of the ready queue.
ReadyItem describe_callback(const detail::FutureBase& fut, const detail::Callback& cb) {
  ReadyItem item;
  item.of = fut.task_id();
  if (cb.fn == detail::TaskBase::wakeup_callback()) {
    item.kind = ReadyItem::Kind::wakeup;
    item.task = static_cast<const detail::TaskBase*>(cb.ctx)->id();
  } else if (cb.fn == detail::GatherFuture::child_done_callback()) {
    item.kind = ReadyItem::Kind::gather;
  } else if (cb.fn == detail::as_completed_callback()) {
    item.kind = ReadyItem::Kind::as_completed;
  } else if (cb.fn == &stop_loop) {
    item.kind = ReadyItem::Kind::stop;
  } else {
    item.kind = ReadyItem::Kind::callback;
  }
  return item;
}

} // namespace

std::vector<ReadyItem> Loop::View::ready() const {
  std::vector<ReadyItem> out;
  out.reserve(loop_.ready_.size());
  for (const auto& h : loop_.ready_) {
    switch (h.kind()) {
    case Handle::step:
      out.push_back({ReadyItem::Kind::step, h.target<detail::TaskBase>()->id(), no_task, {}});
      break;
    case Handle::timer:
      out.push_back({ReadyItem::Kind::timer, h.target<detail::TaskBase>()->id(), no_task, {}});
      break;
    case Handle::timer_callback: {
      const auto* t = h.target<TimerHandle>();
      out.push_back({ReadyItem::Kind::timer_callback, t->owner(), no_task, t->what()});
      break;
    }
    case Handle::first_callback: {
      const auto* fut = h.target<detail::FutureBase>();
      out.push_back(describe_callback(*fut, fut->first_callback()));
      break;
    }
    case Handle::callback: {
      const auto* node = h.target<detail::CallbackNode>();
      out.push_back(describe_callback(*node->fut, node->cb));
      break;
    }
    }
  }
  return out;
}

std::vector<SleeperItem> Loop::View::sleepers() const {
  std::vector<SleeperItem> out;
  loop_.sleepers_.for_each([&](const Sleeper& s) {
    if (!live_entry(s)) return;
    if (const auto* t = timer_of(s.task))
      out.push_back({t->owner(), s.deadline, t->what()});
    else
      out.push_back({s.task->id(), s.deadline, {}});
  });
  // Equal deadlines are in the order they were set already: keep it.
  std::stable_sort(out.begin(), out.end(), [](const SleeperItem& a, const SleeperItem& b) {
    return a.deadline < b.deadline;
  });
  return out;
}

std::vector<SleeperItem> Loop::View::earliest_sleepers(std::size_t limit) const {
  // Bucket by bucket, earliest first, each sorted (stably: ties keep the
  // order they were set in), until `limit` are found.
  std::vector<SleeperItem> out;
  loop_.sleepers_.for_each_bucket([&](const Sleeper* first, const Sleeper* last) {
    const auto from = out.size();
    for (auto* s = first; s != last; ++s) { // a task's sleep, or a timer (as sleepers() does)
      if (!live_entry(*s)) continue;
      if (const auto* t = timer_of(s->task))
        out.push_back({t->owner(), s->deadline, t->what()});
      else
        out.push_back({s->task->id(), s->deadline, {}});
    }
    std::stable_sort(
        out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
        [](const SleeperItem& a, const SleeperItem& b) { return a.deadline < b.deadline; });
    return out.size() < limit;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

namespace detail {
constinit thread_local Loop* t_running_loop = nullptr;

void throw_no_running_loop() {
  throw std::logic_error("no running event loop");
}
} // namespace detail

// The clock starts with the loop: run()'s main task is made (and recorded)
// before run_main, and its creation time must be on the same scale.
Loop::Loop(LoopConfig config) : config_(config), wall_start_ns_(steady_ns()) {
  // Only the real clock waits: the virtual one needs no io_context (whose
  // epoll, eventfd and timerfd would cost each model run system calls).
  if (config_.clock == ClockKind::real) io_ = std::make_unique<Io>();
  if (!(config_.speed > 0)) throw std::invalid_argument("speed must be positive");
  if (auto* o = config_.observer) {
    follow_unnamed_ = o->follows_unnamed_tasks();
    wants_iterations_ = o->wants_iterations();
  }
}

Loop::~Loop() {
  // Whatever is still queued is released without running.
  while (!ready_.empty()) {
    const auto h = ready_.front();
    ready_.pop_front();
    finish_handle(h, false);
  }
  while (!sleepers_.empty())
    release_entry(sleepers_.pop().task);
  threads_.reset(); // the workers finish what they hold
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
  if (h.kind() == Handle::timer_callback)
    h.target<TimerHandle>()->add_ref();
  else if (h.kind() != Handle::callback)
    h.target<detail::FutureBase>()->add_ref();
  ready_.push_back(h);
}

Ref<TimerHandle> Loop::call_at(Duration when, TimerHandle::Fn fn, void* ctx, TimerHandle::Drop drop,
                               const char* what) {
  Ref<TimerHandle> t(new TimerHandle(fn, ctx, drop, what, current_task_id()));
  t->when = when;
  t->add_ref(); // the queue's
  sleepers_.push(when, queue_entry(t.get()));
  return t;
}

Ref<TimerHandle> Loop::call_soon(TimerHandle::Fn fn, void* ctx, TimerHandle::Drop drop,
                                 const char* what) {
  Ref<TimerHandle> t(new TimerHandle(fn, ctx, drop, what, current_task_id()));
  t->when = now();
  call_soon(Handle::make(Handle::timer_callback, t.get()));
  return t;
}

std::size_t Loop::executor_workers() const noexcept {
  return threads_ ? threads_->size : 0;
}

void Loop::run_in_thread(std::shared_ptr<detail::ThreadJob> job, TimerHandle::Fn fn, void* ctx,
                         TimerHandle::Drop drop, const detail::FutureBase& awaited) {
  Ref<TimerHandle> done(new TimerHandle(fn, ctx, drop, "to_thread", current_task_id()));
  if (!threads_) {
    threads_ = std::make_unique<ThreadJobs>();
    threads_->size = config_.workers > 0 ? config_.workers : detail::default_workers();
  }
  threads_->waiting.push_back({std::move(job), std::move(done), &awaited, now()});
  start_thread_jobs(now());
}

void Loop::start_thread_jobs(Duration until) {
  if (!threads_) return;
  auto& t = *threads_;
  const auto later = [](Duration a, Duration b) { return a > b; }; // a min-heap
  if (config_.clock == ClockKind::virtual_time) {
    while (!t.waiting.empty()) {
      // The worker free first: one never used, else the earliest done.
      Duration free{};
      const bool reused = t.free_at.size() >= t.size;
      if (reused) {
        if (t.free_at.front() > until) return; // every worker is busy still
        std::pop_heap(t.free_at.begin(), t.free_at.end(), later);
        free = t.free_at.back();
        t.free_at.pop_back();
      }
      auto next = std::move(t.waiting.front());
      t.waiting.pop_front();
      if (next.awaited->done()) { // cancelled while it waited: skipped
        if (reused) {
          t.free_at.push_back(free);
          std::push_heap(t.free_at.begin(), t.free_at.end(), later);
        }
        continue;
      }
      // It runs to its end now, on a thread of its own, from when its
      // worker took it; its result is due when its blocking calls end.
      const auto begin = std::max(free, next.came);
      std::thread worker([&] { next.job->run_on_worker(true, config_.speed); });
      worker.join();
      const auto end = begin + next.job->blocked();
      t.free_at.push_back(end);
      std::push_heap(t.free_at.begin(), t.free_at.end(), later);
      t.latest_end = std::max(t.latest_end, end);
      next.done->when = end;
      next.done->add_ref();
      sleepers_.push(end, queue_entry(next.done.get()));
    }
    return;
  }
  while (!t.waiting.empty() && t.busy < t.size) {
    auto next = std::move(t.waiting.front());
    t.waiting.pop_front();
    if (next.awaited->done()) continue; // cancelled while it waited: skipped
    if (!t.workers) t.workers = std::make_unique<detail::Workers>(t.size);
    auto* io = io_.get();
    const double speed = config_.speed;
    auto* raw = next.job.get();
    auto* jobs = &t;
    t.in_flight.push_back({std::move(next.job), std::move(next.done)});
    ++t.busy;
    t.workers->submit([jobs, io, speed, raw] {
      raw->run_on_worker(false, speed);
      {
        std::lock_guard lock(jobs->m);
        jobs->finished.push_back(raw);
      }
      asio::post(io->ioc, [] {}); // wakes the loop's wait
    });
  }
}

void Loop::take_thread_results() {
  if (!threads_ || threads_->in_flight.empty()) return;
  std::vector<detail::ThreadJob*> finished;
  {
    std::lock_guard lock(threads_->m);
    finished.swap(threads_->finished);
  }
  auto& in_flight = threads_->in_flight;
  for (auto* job : finished) {
    const auto at = std::find_if(in_flight.begin(), in_flight.end(),
                                 [&](const ThreadJobs::InFlight& f) { return f.job.get() == job; });
    if (at == in_flight.end()) continue;
    call_soon(Handle::make(Handle::timer_callback, at->done.get()));
    in_flight.erase(at);
    --threads_->busy;
  }
  start_thread_jobs(now()); // the workers now free take the jobs waiting
}

void Loop::finish_thread_jobs() {
  if (!threads_) return;
  if (config_.clock == ClockKind::virtual_time) {
    // shutdown_default_executor waits for the workers, and for the jobs
    // still waiting for one (but those cancelled): here, for the virtual
    // time their work takes.
    start_thread_jobs(Duration::max());
    if (threads_->latest_end > virtual_now_) virtual_now_ = threads_->latest_end;
    return;
  }
  start_thread_jobs(now());
  while (!threads_->in_flight.empty()) {
    io_->ioc.run_one(); // a worker's post wakes it (or an interrupt: wait on)
    take_thread_results();
  }
}

void Loop::note_failed(detail::TaskBase& task) {
  if (&task != main_) failed_.emplace_back(&task); // run() hands main's on
}

void Loop::report_unretrieved() {
  auto failed = std::move(failed_);
  failed_.clear();
  for (auto& t : failed) {
    if (t->exception_retrieved()) continue;
    // CPython says it when the task is collected: at the end, here.
    const auto text =
        "Task exception was never retrieved: " + python_repr(t->exception_unretrieved());
    if (auto* o = config_.observer)
      o->warned(now(), t->id(), text);
    else
      std::fprintf(stderr, "%s\n", text.c_str());
  }
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
  if (task.tracked()) config_.observer->task_created(now(), task.id(), task.name());
  task.schedule_step();
}

void Loop::retire(detail::TaskBase& task) {
  (task.prev_pending ? task.prev_pending->next_pending : pending_head_) = task.next_pending;
  (task.next_pending ? task.next_pending->prev_pending : pending_tail_) = task.prev_pending;
  task.prev_pending = task.next_pending = nullptr;
  --pending_count_;
  task.release();
}

TaskId Loop::current_task_id() const noexcept {
  return current_task_ ? current_task_->id() : no_task;
}

void Loop::block(Duration d) {
  auto* task = current_task_;
  const TaskId id = task ? task->id() : no_task;
  auto* observer = task && !task->tracked() ? nullptr : config_.observer;
  // Sync mode stands for a plain program with no event loop, where Ctrl-C
  // raises KeyboardInterrupt out of time.sleep at once.
  const bool stop_on_interrupt = config_.sleep_blocks;
  bool stopped = stop_on_interrupt && poll_interrupt();
  if (observer) observer->block_began(now(), id, d);
  if (d > Duration::zero() && !stopped) {
    if (config_.clock == ClockKind::virtual_time) {
      virtual_now_ += d;
      // Meanwhile the executor's workers went on: a job waiting for one
      // began when it was free.
      if (threads_ && !threads_->waiting.empty()) start_thread_jobs(virtual_now_);
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
        poll_interrupt();
      }
      stopped = stop_on_interrupt && interrupted_;
      if (!stopped) spin_until(until);
    }
  }
  if (observer) observer->block_ended(now(), id);
  if (stopped) detail::throw_cancelled();
  throw_if_stopped();
}

void Loop::interrupt() {
  if (interrupted_) return;
  interrupted_ = true;
  if (config_.interrupts.noticed) config_.interrupts.noticed->store(1, std::memory_order_relaxed);
  if (config_.observer) config_.observer->interrupted(now());
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

std::vector<Ref<detail::TaskBase>> Loop::pending_snapshot() const {
  std::vector<Ref<detail::TaskBase>> out;
  out.reserve(pending_count_);
  for (auto* t = pending_head_; t; t = t->next_pending)
    out.emplace_back(t);
  return out;
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
  while (!sleepers_.empty() && !live_entry(sleepers_.top()))
    release_entry(sleepers_.pop().task);
}

// asyncio's BaseEventLoop._run_once.
void Loop::run_once() {
  if (stopped_with_) std::rethrow_exception(stopped_with_);
  drop_stale_sleepers();
  ++iterations_;
  const bool virt = config_.clock == ClockKind::virtual_time;
  const bool jobs_waiting = virt && threads_ && !threads_->waiting.empty();
  if (jobs_waiting) start_thread_jobs(virtual_now_);
  const bool threads_working = threads_ && !threads_->in_flight.empty();
  if (ready_.empty() && !stopping_) {
    if (sleepers_.empty()) {
      if (!threads_working)
        throw DeadlockError("every task is waiting and nothing is pending that could wake one");
      io_->ioc.run_one(); // a worker's result (or an interrupt) wakes it
    } else {
      const auto deadline = sleepers_.top().deadline;
      if (virt) {
        // Autojump: nothing is ready, so time moves to the next deadline
        // (where a worker may be free for a job that waits).
        if (deadline > virtual_now_) virtual_now_ = deadline;
        if (jobs_waiting) start_thread_jobs(virtual_now_);
      } else if (deadline > now()) {
        wait_until(deadline); // the io_context runs while waiting: an interrupt ends it
      }
    }
  }
  poll_interrupt();
  // What the workers finished is in the ready queue before the timers due
  // now, as call_soon_threadsafe put it there when they finished.
  if (threads_working) take_thread_results();

  const auto t = now();
  while (!sleepers_.empty() && sleepers_.top().deadline <= t) {
    auto s = sleepers_.pop();
    if (auto* timer = timer_of(s.task)) {
      if (!timer->cancelled()) call_soon(Handle::make(Handle::timer_callback, timer));
      timer->release();
      continue;
    }
    if (s.task->sleeping_on(s.deadline)) call_soon(Handle::make(Handle::timer, s.task));
    s.task->release();
  }

  if (wants_iterations_) config_.observer->iteration_began(View{*this});

  // Only what was ready when this iteration began; the rest waits a turn.
  const auto count = ready_.size();
  for (auto n = count; n > 0; --n) {
    if (n % poll_every == 0) poll_interrupt();
    if (stopped_with_) std::rethrow_exception(stopped_with_); // the rest stays queued
    const auto h = ready_.front();
    ready_.pop_front();
    struct Release { // even if a callback throws
      const Handle& h;
      ~Release() { finish_handle(h, true); }
    } release{h};
    if (wants_iterations_) config_.observer->item_began(count - n);
    run_handle(h);
  }
  // What loop.stop() would end here: asyncio.run's main is done.
  for (auto fns = std::exchange(at_iteration_end_, {}); auto& fn : fns)
    fn();
  if (wants_iterations_) config_.observer->iteration_ended(View{*this});
}

namespace {
void stop_loop(detail::FutureBase&, void* self) {
  *static_cast<bool*>(self) = true;
}
} // namespace

void Loop::run_until_complete(detail::FutureBase& fut) {
  fut.add_done_callback(&stop_loop, &stopping_);
  for (;;) {
    run_once();
    if (!stopping_) continue;
    stopping_ = false;
    // A stop for this future. One from an earlier run, that an exception
    // left behind (main, cancelled by the clean-up after a deadlock, is done
    // before the tasks it waited on), is not: CPython takes its callback
    // back (remove_done_callback) on the way out of run_until_complete.
    if (fut.done()) break;
  }
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
      if (self->io_) self->io_->wake.reset();
    }
  } current{this};

  main_ = &main;
  if (config_.clock == ClockKind::real) {
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); // precise wake-ups
    if (config_.interrupts.wake_fd >= 0) {
      const int fd = ::dup(config_.interrupts.wake_fd);
      if (fd < 0) throw std::system_error(errno, std::generic_category(), "dup");
      io_->wake.emplace(io_->ioc, fd);
      struct OnWake {
        Loop* loop;
        void operator()(const boost::system::error_code& ec) const {
          if (ec) return;
          loop->poll_interrupt();
          // Once interrupted, the descriptor stays readable: stop watching.
          if (!loop->interrupted_)
            loop->io_->wake->async_wait(asio::posix::stream_descriptor::wait_read, *this);
        }
      };
      io_->wake->async_wait(asio::posix::stream_descriptor::wait_read, OnWake{this});
    }
  }

  adopt(main);
  // asyncio.run's end (Runner.close): the tasks left are cancelled, then
  // shutdown_asyncgens and shutdown_default_executor each run the loop until
  // a task of theirs is done, two iterations, in which what is still in the
  // ready queue runs (a done callback of a task that ended in the last
  // iteration, and what it schedules); the default executor's work
  // finishes; what was never retrieved is said.
  auto run_left_over = [&] {
    for (int i = 0; i < 2 && !ready_.empty(); ++i)
      run_once();
  };
  auto end = [&] {
    cancel_all_tasks();
    run_left_over();
    finish_thread_jobs();
    run_left_over();
    report_unretrieved();
  };
  try {
    run_until_complete(main);
  } catch (...) {
    end();
    throw;
  }
  end();
}

} // namespace asyncdemo
