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
#include "asyncdemo/gather.hpp"
#include "asyncdemo/task.hpp"

#include <cstddef>
#include <deque>
#include <vector>

namespace asyncdemo {

template <class T> class AsCompleted {
  struct State {
    std::deque<Task<T>> finished;
    std::deque<detail::Ref<detail::FutureBase>> getters;
    std::uint32_t refs = 0;
    void add_ref() noexcept { ++refs; }
    void release() noexcept {
      if (--refs == 0) delete this;
    }
  };

public:
  explicit AsCompleted(std::vector<Task<T>> tasks) : st_(new State), size_(tasks.size()) {
    for (auto& t : tasks) {
      st_->add_ref(); // each callback keeps the queue alive
      t.state()->add_done_callback(&on_done, st_.get(),
                                   [](void* s) { static_cast<State*>(s)->release(); });
    }
  }

  std::size_t size() const noexcept { return size_; }

  // One `_wait_for_one()`: the result of the next child to finish.
  Coro<T> next() { return wait_for_one(st_); }

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
  static void on_done(detail::FutureBase& fut, void* ctx) {
    auto* st = static_cast<State*>(ctx);
    st->finished.emplace_back(
        detail::Ref<detail::TaskState<T>>(static_cast<detail::TaskState<T>*>(&fut)));
    while (!st->getters.empty()) { // Queue._wakeup_next
      auto g = std::move(st->getters.front());
      st->getters.pop_front();
      if (!g->done()) {
        g->set_result();
        break;
      }
    }
  }

  static Coro<T> wait_for_one(detail::Ref<State> st) {
    while (st->finished.empty()) { // Queue.get
      detail::Ref<detail::FutureBase> getter(new detail::FutureBase(running_loop()));
      st->getters.push_back(getter);
      co_await detail::FutureAwaiter{*getter};
    }
    Task<T> t = std::move(st->finished.front());
    st->finished.pop_front();
    if constexpr (std::is_void_v<T>)
      t.result();
    else
      co_return t.result();
  }

  detail::Ref<State> st_;
  std::size_t size_;
};

template <class T> AsCompleted<T> as_completed(std::vector<Task<T>> tasks) {
  return AsCompleted<T>(std::move(tasks));
}

template <class T> AsCompleted<T> as_completed(std::vector<Coro<T>> coros) {
  return AsCompleted<T>(detail::start_all(std::move(coros)));
}

} // namespace asyncdemo
