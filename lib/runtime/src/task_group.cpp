#include "asyncdemo/task_group.hpp"

#include "asyncdemo/detail/waiters.hpp"

#include <vector>

namespace asyncdemo {

namespace detail {

void GroupState::check_open() const {
  if (exiting && tasks.empty()) throw RuntimeError("TaskGroup is finished");
  if (aborting) throw RuntimeError("TaskGroup is shutting down");
}

void GroupState::adopt(TaskBase& task) {
  add_ref();
  task.add_done_callback(&on_task_done, this, &drop);
  tasks.emplace_back(&task);
}

void GroupState::abort() {
  aborting = true;
  for (auto& t : tasks)
    if (!t->done()) t->cancel();
}

// _on_task_done
void GroupState::on_task_done(FutureBase& task, void* self) {
  auto& g = *static_cast<GroupState*>(self);
  for (auto it = g.tasks.begin(); it != g.tasks.end(); ++it)
    if (it->get() == &task) {
      g.tasks.erase(it);
      break;
    }
  if (g.on_completed && g.tasks.empty() && !g.on_completed->done()) g.on_completed->set_result();
  if (task.cancelled()) return;
  auto exc = task.exception();
  if (!exc) return;
  g.errors.push_back(exc);
  if (g.parent->done()) return; // CPython reports it to the loop's handler
  if (!g.aborting && !g.parent_cancel_requested) {
    // Abort what runs now, the body included: the parent is cancelled, and
    // __aexit__ takes that cancellation back.
    g.abort();
    g.parent_cancel_requested = true;
    g.parent->cancel();
  }
}

} // namespace detail

TaskGroup::TaskGroup() {
  Loop* loop = Loop::current();
  auto* parent = loop ? detail::LoopInternals(*loop).current_task() : nullptr;
  if (!parent) throw RuntimeError("TaskGroup cannot determine the parent task");
  st_ = Ref<detail::GroupState>(new detail::GroupState(*parent));
}

Coro<> TaskGroup::exit(std::exception_ptr et) {
  auto st = st_; // the group's state outlives this object if need be
  auto& g = *st;
  g.exiting = true;
  std::exception_ptr propagate_cancellation = is_cancelled_error(et) ? et : nullptr;
  if (g.parent_cancel_requested && g.parent->uncancel() == 0)
    propagate_cancellation = nullptr; // no cancellation left but ours
  if (et && !g.aborting) g.abort();
  // A loop: the wait itself may be cancelled, more than once.
  while (!g.tasks.empty()) {
    if (!g.on_completed) g.on_completed.emplace();
    std::exception_ptr cancelled;
    try {
      // A view of the loop shows the parent waiting on the group's tasks.
      std::vector<TaskId> ids;
      auto as = detail::waiting_on("TaskGroup", {});
      if (detail::state_observer())
        for (const auto& t : g.tasks)
          if (t->id() != no_task) ids.push_back(t->id());
      as.tasks = ids;
      co_await g.on_completed->waiting_as("TaskGroup", &as);
    } catch (const CancelledError&) {
      cancelled = std::current_exception();
    }
    if (cancelled && !g.aborting) {
      propagate_cancellation = cancelled; // the parent is cancelled from outside
      g.abort();
    }
    g.on_completed.reset();
  }
  // Other errors come first; a cancellation alone goes on as it came.
  if (propagate_cancellation && g.errors.empty()) std::rethrow_exception(propagate_cancellation);
  if (et && !is_cancelled_error(et)) g.errors.push_back(et);
  if (!g.errors.empty()) {
    auto errors = std::move(g.errors);
    g.errors.clear();
    throw ExceptionGroup("unhandled errors in a TaskGroup", std::move(errors));
  }
}

} // namespace asyncdemo
