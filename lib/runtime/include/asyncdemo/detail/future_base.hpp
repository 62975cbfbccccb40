#pragma once
// FutureBase: asyncio.Future without a value. It has a state, maybe an
// exception, and done callbacks that the loop runs (each scheduled with
// call_soon, in the order added) once it is done. Tasks, gather and
// as_completed are built on it; typed values live in the subclasses.
#include "asyncdemo/detail/handle.hpp"
#include "asyncdemo/detail/pool.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/observer.hpp"

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {
class Loop;
}

namespace asyncdemo::detail {

class FutureBase : public Pooled {
public:
  enum class State : std::uint8_t { pending, finished, failed, cancelled };

  // Made on (and only ever used on) `loop`, the running loop of this thread:
  // the future does not keep a pointer to it (a swarm holds a million tasks:
  // every 8 bytes is 8 MB).
  explicit FutureBase(Loop&) noexcept {}
  FutureBase(const FutureBase&) = delete;
  FutureBase& operator=(const FutureBase&) = delete;
  virtual ~FutureBase();

  Loop& loop() const noexcept;
  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ != State::pending; }
  bool cancelled() const noexcept { return state_ == State::cancelled; }

  // Future.result() without the value: throws what result() would throw.
  void check_result() const;
  // Future.exception(): the stored exception, or null; throws CancelledError
  // when cancelled and InvalidStateError when not done.
  std::exception_ptr exception() const;
  // Whether the stored exception was ever retrieved (by result(),
  // exception(), an await, or a cancel() after the end); one never
  // retrieved is reported at the end of the run, as CPython reports it.
  bool exception_retrieved() const noexcept { return !rare_ || rare_->retrieved; }
  // The stored exception, not counted as retrieved (for that report).
  std::exception_ptr exception_unretrieved() const noexcept {
    return rare_ ? rare_->exception : nullptr;
  }
  void mark_retrieved() const noexcept {
    if (rare_) rare_->retrieved = true;
  }

  // Future.cancel(msg); Task and gather override it. `message` (if any) is
  // what the CancelledError it raises carries.
  virtual bool cancel(const std::string* message = nullptr);
  // A task's name (what "await NAME" says), or null for a plain future.
  virtual const std::string* task_name() const noexcept { return nullptr; }
  // The observer's number of the task this future is, or no_task.
  TaskId task_id() const noexcept { return rare_ ? rare_->task_id : no_task; }
  // What a task that awaits this future waits on, as the observer is told:
  // a task by its name, or what the future stands for (gather's children go
  // in `tasks`, which the suspension refers to). A plain future by default.
  virtual Suspension awaited_as(std::vector<TaskId>& tasks) const;
  // The inline callback (for a view of the ready queue, which queues it).
  const Callback& first_callback() const noexcept { return first_; }

  // Python's add_done_callback: on a future already done the callback is
  // scheduled at once. `drop` (if any) releases ctx after the callback ran
  // or was dropped. The runtime's own callbacks cannot be removed.
  void add_done_callback(CallbackFn fn, void* ctx, DropFn drop = nullptr);
  // The same, for a callback that remove_done_callback(id) can take back.
  std::uint64_t add_removable_callback(CallbackFn fn, void* ctx, DropFn drop);
  std::size_t remove_done_callback(std::uint64_t id);

  void set_result();
  void set_exception(std::exception_ptr e);
  // Forgets every callback unrun (their contexts are released).
  void drop_callbacks() noexcept;

  void add_ref() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }

  // The loop runs (or, going away, drops) the inline callback it was handed
  // as a Handle::first_callback.
  void run_first_callback();
  void drop_first_callback() noexcept;
  // The loop runs (or drops) a Handle::callback, and frees its node.
  static void run_node(CallbackNode* node);
  static void drop_node(CallbackNode* node) noexcept;

protected:
  // Marks the future cancelled and schedules callbacks (Future.cancel).
  bool mark_cancelled(const std::string* message = nullptr);
  // Future._make_cancelled_error, thrown.
  [[noreturn]] void throw_cancelled_error() const;

public:
  // Future._make_cancelled_error: the error a cancelled future raises (its
  // coroutine's own the first time, else one with its message).
  std::exception_ptr cancelled_error() const;

protected:
  void schedule_callbacks();
  virtual void on_done() {}

  struct MoreCallback {
    Callback cb;
    std::uint32_t id; // 0: the runtime's, not removable
  };
  // What most futures never need, out of line: an exception, a second
  // callback, and a tracked task's number and name.
  struct Rare {
    std::exception_ptr exception;
    std::vector<MoreCallback> more;
    std::uint32_t next_callback_id = 1;
    TaskId task_id = no_task;
    std::string name;
    bool retrieved = false; // the exception, by result() or exception()
    // Future._cancel_message: what a CancelledError made for it says.
    std::optional<std::string> cancel_message;
    // Task._cancelled_exc: the CancelledError its coroutine ended with,
    // handed to the first to ask (later ones get a new one).
    std::exception_ptr cancelled_exc;
    // A task's: what the CancelledError its next step throws in says (the
    // sleep's future's message, when it was cancelled out of a sleep).
    std::optional<std::string> throw_message;
  };
  Rare& rare();
  const Rare* rare_if_any() const noexcept { return rare_.get(); }

private:
  // Almost every future has one callback (its awaiter's wake-up, or its
  // gather's): it lives inline, and is queued from here. The rest, rarely
  // any, are in rare_->more, after it in order.
  Callback first_;
  std::unique_ptr<Rare> rare_;
  std::uint32_t refs_ = 0;
  State state_ = State::pending; // TaskBase's small fields follow, in the tail padding
};

// A callback queued on its own (not a future's inline one).
struct CallbackNode : Pooled {
  FutureBase* fut; // referenced while queued
  Callback cb;
};

} // namespace asyncdemo::detail
