#pragma once
// wait: asyncio.wait. Waits for tasks until the first completes
// (first_completed), the first raises (first_exception) or all are done
// (all_completed), or the timeout passes; it raises nothing itself and
// cancels nothing: it hands back which are done and which are pending.
//
//   done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)
//   auto [done, pending] = co_await wait(tasks, ReturnWhen::first_completed);
//
// CPython hands back sets, whose order varies from run to run; here both
// lists keep the order the tasks were given in.
#include "asyncdemo/detail/release_waiter.hpp"
#include "asyncdemo/task.hpp"

#include <optional>
#include <vector>

namespace asyncdemo {

enum class ReturnWhen { first_completed, first_exception, all_completed };

template <class T> struct Waited {
  std::vector<Task<T>> done;
  std::vector<Task<T>> pending;
};

namespace detail {

// What every task's done callback shares (_wait's locals).
struct WaitState {
  std::size_t counter;
  ReturnWhen when;
  Ref<Waiter> waiter;
  Ref<TimerHandle> timeout;
  std::uint32_t refs = 0;
  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }

  // _on_completion
  static void on_completion(FutureBase& f, void* self) {
    auto& s = *static_cast<WaitState*>(self);
    --s.counter;
    if (s.counter == 0 || s.when == ReturnWhen::first_completed ||
        (s.when == ReturnWhen::first_exception && !f.cancelled() && f.exception())) {
      if (s.timeout) s.timeout->cancel();
      if (!s.waiter->done()) s.waiter->set_value();
    }
  }
};

} // namespace detail

template <class T>
Coro<Waited<T>> wait(std::vector<Task<T>> fs, ReturnWhen when = ReturnWhen::all_completed,
                     std::optional<Duration> timeout = {}) {
  if (fs.empty()) throw ValueError("Set of Tasks/Futures is empty.");
  Loop& loop = running_loop();
  Future<> waiter;
  Ref<detail::WaitState> st(new detail::WaitState{fs.size(), when, {}, {}});
  st->waiter = Ref<detail::Waiter>(waiter.state());
  if (timeout)
    st->timeout = detail::LoopInternals(loop).call_at(loop.now() + *timeout, &detail::release,
                                                      detail::hold(waiter.state()), &detail::let_go,
                                                      "asyncio.wait");
  std::vector<std::uint64_t> ids;
  for (auto& f : fs) {
    st->add_ref();
    ids.push_back(
        f.state()->add_removable_callback(&detail::WaitState::on_completion, st.get(), [](void* s) {
          static_cast<detail::WaitState*>(s)->release();
        }));
  }
  std::exception_ptr error;
  try {
    co_await waiter.waiting_as("asyncio.wait");
  } catch (...) {
    error = std::current_exception();
  }
  // finally
  if (st->timeout) st->timeout->cancel();
  for (std::size_t i = 0; i < fs.size(); ++i)
    fs[i].remove_done_callback(ids[i]);
  if (error) std::rethrow_exception(error);
  Waited<T> out;
  for (auto& f : fs)
    (f.done() ? out.done : out.pending).push_back(f);
  co_return out;
}

} // namespace asyncdemo
