#pragma once
// Queue: asyncio.Queue. put() waits while the queue is full (maxsize > 0),
// get() while it is empty; each wakes the first waiter of the other side
// that is still waiting. task_done() counts an item as handled; join()
// waits until every item put has been.
#include "asyncdemo/coro.hpp"
#include "asyncdemo/detail/waiters.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/event.hpp"

#include <cstddef>
#include <deque>
#include <utility>

namespace asyncdemo {

template <class T> class Queue {
public:
  // maxsize <= 0: no limit.
  explicit Queue(int maxsize = 0) : maxsize_(maxsize) { finished_.set(); }
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  std::size_t qsize() const noexcept { return items_.size(); }
  int maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return items_.empty(); }
  bool full() const noexcept {
    return maxsize_ > 0 && items_.size() >= static_cast<std::size_t>(maxsize_);
  }
  std::size_t unfinished_tasks() const noexcept { return unfinished_; }

  Coro<> put(T item) {
    while (full()) {
      Future<> putter;
      putters_.push_back(putter);
      std::exception_ptr error;
      try {
        const auto as = detail::waiting_on("Queue.put", state(putters_));
        co_await putter.waiting_as("Queue.put", &as);
      } catch (...) {
        error = std::current_exception();
      }
      if (error) {
        putter.cancel(); // in case it is not done yet
        detail::remove_waiter(putters_, putter);
        // Woken by a get, but cannot take the place: the next in line.
        if (!full() && !putter.cancelled()) wakeup_next(putters_);
        std::rethrow_exception(error);
      }
    }
    put_nowait(std::move(item));
  }

  void put_nowait(T item) {
    if (full()) throw QueueFull();
    items_.push_back(std::move(item));
    ++unfinished_;
    finished_.clear();
    wakeup_next(getters_);
  }

  Coro<T> get() {
    while (empty()) {
      Future<> getter;
      getters_.push_back(getter);
      std::exception_ptr error;
      try {
        const auto as = detail::waiting_on("Queue.get", state(getters_));
        co_await getter.waiting_as("Queue.get", &as);
      } catch (...) {
        error = std::current_exception();
      }
      if (error) {
        getter.cancel();
        detail::remove_waiter(getters_, getter);
        // Woken by a put, but cannot take the item: the next in line.
        if (!empty() && !getter.cancelled()) wakeup_next(getters_);
        std::rethrow_exception(error);
      }
    }
    co_return get_nowait();
  }

  T get_nowait() {
    if (empty()) throw QueueEmpty();
    T item = std::move(items_.front());
    items_.pop_front();
    wakeup_next(putters_);
    return item;
  }

  void task_done() {
    if (unfinished_ == 0) throw ValueError("task_done() called too many times");
    if (--unfinished_ == 0) finished_.set();
  }

  Coro<> join() {
    if (unfinished_ > 0) co_await finished_.wait("Queue.join");
  }

  std::size_t getters() const noexcept { return getters_.size(); }
  std::size_t putters() const noexcept { return putters_.size(); }

private:
  PrimitiveState state(const detail::Waiters& line) const noexcept {
    return PrimitiveState{this, -1, static_cast<int>(items_.size()), maxsize_, line.size()};
  }
  // Wakes the first waiter that is not done yet (each is taken off).
  static void wakeup_next(detail::Waiters& ws) {
    while (!ws.empty()) {
      auto w = std::move(ws.front());
      ws.pop_front();
      if (!w.done()) {
        w.set_result();
        break;
      }
    }
  }

  std::deque<T> items_;
  detail::Waiters getters_, putters_;
  int maxsize_;
  std::size_t unfinished_ = 0;
  Event finished_;
};

} // namespace asyncdemo
