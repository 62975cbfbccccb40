#pragma once
// as_completed: asyncio.as_completed. Hands out the children's results in
// completion order:
//
//   for (auto next : as_completed(std::move(tasks))) {
//     auto result = co_await next;   // like `result = await f`
//   }
//
// As in CPython, a finished child goes through a queue: its done callback
// puts it there and wakes the waiting awaiter. One deliberate difference:
// CPython 3.11 starts the children in set order (by object hash, so it
// varies); here they start in argument order, so runs are reproducible.
#include "asyncdemo/callback.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/gather.hpp"
#include "asyncdemo/task.hpp"

#include <cstddef>
#include <deque>
#include <vector>

namespace asyncdemo {

namespace detail {

// What an awaiter of as_completed waits on (Queue.get's future): a plain
// future that tells the observer what it stands for.
class AsCompletedGetter final : public FutureBase {
public:
  using FutureBase::FutureBase;
  Suspension awaited_as(std::vector<TaskId>& tasks) const override;
};

// The queue of finished children and the awaiters waiting for one; shared
// by the children's done callbacks and the awaiters.
struct AsCompletedQueue {
  // Finished children in the order they finished; a null one is the timeout's
  // (_on_timeout's dummy None: its awaiter raises TimeoutError).
  std::deque<Ref<FutureBase>> finished;
  std::deque<Ref<AsCompletedGetter>> getters;
  std::size_t todo = 0;   // children not finished, none once it timed out
  CallbackHandle timeout; // _on_timeout's timer, while it is set
  std::uint32_t refs = 0;
  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};

// A child's done callback: into the queue, and wake the first getter
// (Queue.put_nowait and _wakeup_next).
void as_completed_done(FutureBase& child, void* queue);
// _on_timeout: a dummy for every child not finished; later ones are ignored.
void as_completed_timeout(AsCompletedQueue& q);
inline CallbackFn as_completed_callback() noexcept {
  return &as_completed_done;
}

} // namespace detail

template <class T> class AsCompleted {
public:
  explicit AsCompleted(std::vector<Task<T>> tasks)
      : q_(new detail::AsCompletedQueue), size_(tasks.size()) {
    q_->todo = size_;
    for (auto& t : tasks) {
      q_->add_ref(); // each callback keeps the queue alive
      t.state()->add_done_callback(&detail::as_completed_done, q_.get(), [](void* q) {
        static_cast<detail::AsCompletedQueue*>(q)->release();
      });
    }
  }

  std::size_t size() const noexcept { return size_; }

  // as_completed(timeout=): `timeout` from now (CPython sets it when the
  // generator is first iterated), every result not in by then is a
  // TimeoutError; the children go on.
  void set_timeout(Duration timeout) {
    if (q_->todo == 0) return;
    q_->timeout = call_later(
        timeout, [q = q_] { detail::as_completed_timeout(*q); }, "as_completed timeout");
  }

  // One `_wait_for_one()`: the result of the next child to finish.
  Coro<T> next() { return wait_for_one(q_); }

  class iterator {
  public:
    iterator(AsCompleted* ac, std::size_t i) : ac_(ac), i_(i) {}
    Coro<T> operator*() const { return ac_->next(); }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const iterator& o) const noexcept { return i_ == o.i_; }

  private:
    AsCompleted* ac_;
    std::size_t i_;
  };
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }

private:
  static Coro<T> wait_for_one(Ref<detail::AsCompletedQueue> q) {
    while (q->finished.empty()) { // Queue.get
      Ref<detail::AsCompletedGetter> getter(new detail::AsCompletedGetter(running_loop()));
      q->getters.push_back(getter);
      co_await detail::FutureAwaiter{*getter};
    }
    if (!q->finished.front()) {
      q->finished.pop_front();
      throw TimeoutError();
    }
    Task<T> t{
        Ref<detail::TaskState<T>>(static_cast<detail::TaskState<T>*>(q->finished.front().get()))};
    q->finished.pop_front();
    if constexpr (std::is_void_v<T>)
      t.result();
    else
      co_return t.result();
  }

  Ref<detail::AsCompletedQueue> q_;
  std::size_t size_;
};

template <class T> AsCompleted<T> as_completed(std::vector<Task<T>> tasks) {
  return AsCompleted<T>(std::move(tasks));
}

template <class T> AsCompleted<T> as_completed(std::vector<Coro<T>> coros) {
  return AsCompleted<T>(detail::start_all(std::move(coros)));
}

} // namespace asyncdemo
