#pragma once
// TaskGroup: asyncio.TaskGroup (Python 3.11's structured concurrency). Its
// tasks run until all are done; the first that fails cancels the others
// (and the body, at its next await), and the failures come out together,
// as an ExceptionGroup.
//
//   async with asyncio.TaskGroup() as tg:    TaskGroup tg;   // entered here
//       tg.create_task(a())                  std::exception_ptr error;
//       tg.create_task(b())                  try {
//                                              tg.create_task(a());
//                                              tg.create_task(b());
//                                            } catch (...) { error = std::current_exception(); }
//                                            co_await tg.exit(error);
//
// One deliberate difference: CPython cancels the others in set order (by
// object hash, so it varies); here they are cancelled in creation order.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/task.hpp"

#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

namespace detail {

class GroupState {
public:
  explicit GroupState(TaskBase& parent) : parent(&parent) {}
  Ref<TaskBase> parent;
  std::vector<Ref<TaskBase>> tasks; // not yet done, in creation order
  std::vector<std::exception_ptr> errors;
  std::optional<Future<>> on_completed;
  bool exiting = false;
  bool aborting = false;
  bool parent_cancel_requested = false;
  std::uint32_t refs = 0;

  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
  void abort();
  static void on_task_done(FutureBase& task, void* self);
  static void drop(void* self) { static_cast<GroupState*>(self)->release(); }
  void adopt(TaskBase& task);
  void check_open() const;
};

} // namespace detail

class TaskGroup {
public:
  // __aenter__: the running task is the parent.
  TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  template <class T> Task<T> create_task(Coro<T> coro, std::string name = {}) {
    st_->check_open();
    auto t = asyncdemo::create_task(std::move(coro), std::move(name));
    st_->adopt(*t.state());
    return t;
  }

  // __aexit__ with what the body raised (or none): waits until every task
  // is done; raises the ExceptionGroup of the failures, or the body's
  // CancelledError if it was cancelled from outside.
  Coro<> exit(std::exception_ptr body_error = nullptr);

private:
  Ref<detail::GroupState> st_;
};

} // namespace asyncdemo
