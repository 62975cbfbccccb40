#include "asyncdemo/detail/task_base.hpp"

#include "asyncdemo/loop.hpp"

#include <stdexcept>
#include <vector>

namespace asyncdemo::detail {

TaskBase& running_task() {
  Loop* loop = Loop::current();
  TaskBase* task = loop ? LoopInternals(*loop).current_task() : nullptr;
  if (!task) throw std::logic_error("await outside of a running task");
  return *task;
}

TaskBase::TaskBase(Loop& loop, std::coroutine_handle<> root, std::string&& name)
    : FutureBase(loop), root_(root), leaf_(root) {
  const TaskId id = LoopInternals(loop).number_task(!name.empty());
  if (id == no_task && name.empty()) return; // no number, no name: nothing to keep
  auto& r = rare();
  r.task_id = id;
  // Unnamed tasks are numbered as asyncio numbers them (main is Task-1).
  r.name = name.empty() ? "Task-" + std::to_string(id + 1) : std::move(name);
}

const std::string& TaskBase::name() const noexcept {
  static const std::string untracked;
  const auto* r = rare_if_any();
  return r ? r->name : untracked;
}

void TaskBase::stop_waiting() noexcept {
  if (auto* f = awaited()) f->release();
  waiting_on_ = 0;
  wait_ = Wait::none;
}

TaskBase::~TaskBase() {
  destroy_frame();
  stop_waiting();
}

void TaskBase::destroy_frame() noexcept {
  if (root_) std::exchange(root_, {}).destroy();
  leaf_ = {};
}

void TaskBase::set_message(std::optional<std::string> Rare::*which, const std::string* message) {
  if (message)
    rare().*which = *message;
  else if (auto* r = const_cast<Rare*>(rare_if_any()))
    (r->*which).reset();
}

bool TaskBase::cancel(const std::string* message) {
  if (done()) {
    mark_retrieved(); // as Future.cancel() does, even then
    return false;
  }
  if (cancels_ < 255) ++cancels_;
  if (tracked()) {
    auto& l = loop();
    l.observer()->cancel_requested(l.now(), id(), LoopInternals(l).current_task_id());
  }
  switch (wait_) {
  case Wait::future:
    if (awaited()->cancel(message)) return true;
    break;
  case Wait::timer:
    // The sleep's future is cancelled: the task wakes up with CancelledError
    // (its queue entry is stale from now on).
    set_message(&Rare::throw_message, message);
    stop_waiting();
    left_sleeps_ = true;
    throw_cancel_ = true;
    schedule_step();
    return true;
  case Wait::yield:
  case Wait::none:
    break;
  }
  must_cancel_ = true;
  set_message(&Rare::cancel_message, message);
  return true;
}

void TaskBase::wait_timer(std::coroutine_handle<> leaf, Duration deadline) {
  leaf_ = leaf;
  auto& loop = this->loop();
  LoopInternals inner(loop);
  // A stale entry at this very deadline would wake this sleep in the place
  // the old one was set, ahead of sleeps set since: take it out.
  if (left_sleeps_) inner.forget_sleeps(deadline, *this);
  inner.call_at(deadline, *this);
  waiting_on_ = static_cast<std::uintptr_t>(deadline.count());
  wait_ = Wait::timer;
  if (tracked())
    loop.observer()->task_suspended(loop.now(), id(),
                                    Suspension{Suspension::Kind::sleep, deadline, no_task, {}});
  if (must_cancel_) { // cancelled while running: the new sleep is cancelled at once
    must_cancel_ = false;
    cancel(cancel_message());
  }
}

void TaskBase::wait_future(std::coroutine_handle<> leaf, FutureBase& fut, const char* what,
                           const Suspension* as) {
  if (&fut == this) throw std::logic_error("a task cannot await itself");
  leaf_ = leaf;
  fut.add_ref();
  waiting_on_ = reinterpret_cast<std::uintptr_t>(&fut);
  wait_ = Wait::future;
  fut.add_done_callback(&TaskBase::wakeup, this);
  if (tracked()) {
    auto& loop = this->loop();
    std::vector<TaskId> tasks;
    loop.observer()->task_suspended(loop.now(), id(),
                                    as ? *as
                                    : what
                                        ? Suspension{Suspension::Kind::primitive, {}, no_task, what}
                                        : fut.awaited_as(tasks));
  }
  if (must_cancel_ && fut.cancel(cancel_message())) must_cancel_ = false;
}

void TaskBase::wait_yield(std::coroutine_handle<> leaf) {
  leaf_ = leaf;
  wait_ = Wait::yield;
  if (tracked()) {
    auto& loop = this->loop();
    loop.observer()->task_suspended(loop.now(), id(),
                                    Suspension{Suspension::Kind::yield, {}, no_task, {}});
  }
  schedule_step();
}

void TaskBase::resume_point() {
  if (throw_cancel_) {
    throw_cancel_ = false;
    throw_cancelled(message(&Rare::throw_message));
  }
}

void TaskBase::wakeup(FutureBase&, void* self) {
  static_cast<TaskBase*>(self)->step();
}

void TaskBase::timer_fired() {
  // Cancelled since the sleep queue let it go: nothing to wake. Nothing else
  // can have happened: a sleeping task has no step queued, so it cannot
  // have slept again before this runs.
  if (wait_ != Wait::timer) return;
  // The sleep's future is now done; its callback wakes the task next turn.
  stop_waiting();
  schedule_step();
}

void TaskBase::abandon() noexcept {
  destroy_frame();
  stop_waiting();
  drop_callbacks();
}

void TaskBase::schedule_step() {
  LoopInternals(loop()).call_soon(Handle::make(Handle::step, this));
}

void TaskBase::step() {
  if (done()) return;
  if (must_cancel_) {
    must_cancel_ = false;
    // A CancelledError already on its way in (out of a sleep) keeps its
    // message (Task.__step keeps an exc that is one).
    if (!throw_cancel_) set_message(&Rare::throw_message, cancel_message());
    throw_cancel_ = true;
  }
  stop_waiting();
  auto& loop = this->loop();
  LoopInternals inner(loop);
  const TaskId tid = id();
  if (!started_) {
    started_ = true;
    if (throw_cancel_) { // cancelled before it ever ran: the body never starts
      throw_cancel_ = false;
      if (const auto* m = message(&Rare::throw_message)) { // what awaiting it raises
        auto& r = rare();
        r.cancelled_exc = std::make_exception_ptr(CancelledError(*m));
        r.cancel_message.reset();
      }
      destroy_frame();
      if (tracked())
        loop.observer()->task_finished(loop.now(), tid, TaskOutcome::cancelled, "CancelledError");
      mark_cancelled();
      inner.retire(*this);
      return;
    }
    if (tracked()) loop.observer()->task_started(loop.now(), tid);
  } else if (tracked()) {
    loop.observer()->task_resumed(loop.now(), tid);
  }
  // Cancelled while its root coroutine, which catches nothing, is the one
  // suspended: destroying the frame unwinds it as the CancelledError would
  // (its locals' destructors run, and it ends cancelled), without throwing.
  // A swarm's million tasks on Ctrl-C would each pay for an exception.
  if (throw_cancel_ && quiet_root_ && leaf_ == root_) {
    throw_cancel_ = false;
    TaskBase* outer = inner.current_task();
    inner.set_current_task(this); // its destructors run as its own code would
    destroy_frame();
    inner.set_current_task(outer);
    if (tracked())
      loop.observer()->task_finished(loop.now(), tid, TaskOutcome::cancelled, "CancelledError");
    mark_cancelled();
    inner.retire(*this);
    return;
  }
  TaskBase* outer = inner.current_task();
  inner.set_current_task(this);
  leaf_.resume();
  inner.set_current_task(outer);
  if (root_.done()) finish();
}

void TaskBase::finish() {
  auto& loop = this->loop();
  LoopInternals inner(loop);
  const TaskId tid = id();
  auto* observer = tid != no_task ? loop.observer() : nullptr;
  const auto now = observer ? loop.now() : Duration{};
  if (auto e = root_exception()) {
    destroy_frame();
    if (is_out_of_memory(e)) loop.stop_with(e); // the run ends: see errors.hpp
    if (is_cancelled_error(e)) {
      if (observer) observer->task_finished(now, tid, TaskOutcome::cancelled, "CancelledError");
      // Awaiting it raises this very error, once (Task._cancelled_exc).
      if (cancel_message() || cancelled_with_message(e)) {
        auto& r = rare();
        r.cancelled_exc = e;
        r.cancel_message.reset();
      }
      mark_cancelled();
    } else {
      if (observer) observer->task_finished(now, tid, TaskOutcome::failed, python_line(e));
      set_exception(e);
      inner.note_failed(*this);
    }
  } else if (must_cancel_) { // cancelled right as it returned
    must_cancel_ = false;
    destroy_frame();
    if (observer) observer->task_finished(now, tid, TaskOutcome::cancelled, "CancelledError");
    mark_cancelled();
  } else {
    take_root_result();
    destroy_frame();
    if (observer) observer->task_finished(now, tid, TaskOutcome::done, describe_result());
    set_result();
  }
  inner.retire(*this);
}

} // namespace asyncdemo::detail
