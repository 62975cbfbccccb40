// loop.call_soon and loop.call_later for the layers above (callback.hpp).
#include "asyncdemo/callback.hpp"

#include "asyncdemo/detail/timer.hpp"
#include "asyncdemo/loop.hpp"
#include "asyncdemo/sleep.hpp"

namespace asyncdemo {

namespace {

void run(void* ctx) {
  (*static_cast<std::function<void()>*>(ctx))();
}
void drop(void* ctx) {
  delete static_cast<std::function<void()>*>(ctx);
}

} // namespace

CallbackHandle::CallbackHandle(Ref<detail::TimerHandle> h) noexcept : h_(std::move(h)) {}
CallbackHandle::~CallbackHandle() = default;
CallbackHandle::CallbackHandle(const CallbackHandle&) noexcept = default;
CallbackHandle& CallbackHandle::operator=(const CallbackHandle&) noexcept = default;

void CallbackHandle::cancel() noexcept {
  if (h_) h_->cancel();
}

bool CallbackHandle::cancelled() const noexcept {
  return !h_ || h_->cancelled();
}

TaskId running_task_id() noexcept {
  auto* loop = Loop::current();
  return loop ? detail::LoopInternals(*loop).current_task_id() : TaskId{};
}

CallbackHandle call_soon(std::function<void()> fn, const char* what) {
  auto* ctx = new std::function<void()>(std::move(fn));
  return CallbackHandle(detail::LoopInternals(running_loop()).call_soon(&run, ctx, &drop, what));
}

CallbackHandle call_later(Duration delay, std::function<void()> fn, const char* what) {
  auto* ctx = new std::function<void()>(std::move(fn));
  auto& loop = running_loop();
  return CallbackHandle(detail::LoopInternals(loop).call_at(now() + delay, &run, ctx, &drop, what));
}

} // namespace asyncdemo
