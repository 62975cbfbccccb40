#pragma once
// FutureBase: asyncio.Future without a value. It has a state, maybe an
// exception, and done callbacks that the loop runs (each scheduled with
// call_soon, in the order added) once it is done. Tasks, gather and
// as_completed are built on it; typed values live in the subclasses.
#include "asyncdemo/detail/handle.hpp"
#include "asyncdemo/detail/pool.hpp"
#include "asyncdemo/errors.hpp"

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo {
class Loop;
}

namespace asyncdemo::detail {

class FutureBase : public Pooled {
public:
  enum class State : std::uint8_t { pending, finished, failed, cancelled };

  explicit FutureBase(Loop& loop) noexcept : loop_(&loop) {}
  FutureBase(const FutureBase&) = delete;
  FutureBase& operator=(const FutureBase&) = delete;
  virtual ~FutureBase();

  Loop& loop() const noexcept { return *loop_; }
  State state() const noexcept { return state_; }
  bool done() const noexcept { return state_ != State::pending; }
  bool cancelled() const noexcept { return state_ == State::cancelled; }

  // Future.result() without the value: throws what result() would throw.
  void check_result() const;
  // Future.exception(): the stored exception, or null; throws CancelledError
  // when cancelled and InvalidStateError when not done.
  std::exception_ptr exception() const;

  // Future.cancel(); Task and gather override it.
  virtual bool cancel();
  // A task's name (what "await NAME" says), or null for a plain future.
  virtual const std::string* task_name() const noexcept { return nullptr; }

  // Python's add_done_callback: on a future already done the callback is
  // scheduled at once. `drop` (if any) releases ctx after the callback ran
  // or was removed. Returns an id for remove_done_callback.
  std::uint64_t add_done_callback(CallbackFn fn, void* ctx, DropFn drop = nullptr);
  std::size_t remove_done_callback(std::uint64_t id);

  void set_result();
  void set_exception(std::exception_ptr e);
  // Forgets every callback unrun (their contexts are released).
  void drop_callbacks() noexcept;

  void add_ref() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }

protected:
  // Marks the future cancelled and schedules callbacks (Future.cancel).
  bool mark_cancelled();
  void schedule_callbacks();
  virtual void on_done() {}

private:
  struct Callback {
    CallbackFn fn = nullptr; // null: an empty slot
    void* ctx = nullptr;
    DropFn drop = nullptr;
  };
  struct MoreCallback {
    Callback cb;
    std::uint32_t id;
  };
  // Takes every callback out, in the order added.
  std::vector<Callback> take_callbacks();

  Loop* loop_;
  std::exception_ptr exception_;
  // Almost every future has one callback (its awaiter's wake-up, or its
  // gather's): it lives inline; the rest, rarely any, in more_.
  Callback first_;
  std::unique_ptr<std::vector<MoreCallback>> more_;
  std::uint32_t first_id_ = 0;
  std::uint32_t next_callback_id_ = 1;
  std::uint32_t refs_ = 0;
  State state_ = State::pending;
};

} // namespace asyncdemo::detail
