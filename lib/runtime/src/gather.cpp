#include "asyncdemo/gather.hpp"

#include "asyncdemo/as_completed.hpp"
#include "asyncdemo/loop.hpp"

namespace asyncdemo::detail {

GatherFuture::GatherFuture(Loop& loop, std::vector<Ref<FutureBase>> children,
                           bool return_exceptions)
    : FutureBase(loop), children_(std::move(children)), return_exceptions_(return_exceptions) {
  if (children_.empty()) {
    set_result();
    return;
  }
  for (auto& child : children_) {
    add_ref(); // each child's callback keeps the gather alive
    child->add_done_callback(&child_done, this,
                             [](void* self) { static_cast<GatherFuture*>(self)->release(); });
  }
}

// _GatheringFuture.cancel: cancel every child; the gather ends when they do.
bool GatherFuture::cancel(const std::string* message) {
  if (done()) return false;
  bool any = false;
  for (auto& child : children_)
    if (child->cancel(message)) any = true;
  if (any) cancel_requested_ = true;
  return any;
}

Suspension GatherFuture::awaited_as(std::vector<TaskId>& tasks) const {
  // Only a view of the loop reads the children, and a swarm gathers a million.
  if (LoopInternals(loop()).wants_iterations())
    for (const auto& child : children_)
      if (child->task_id() != no_task) tasks.push_back(child->task_id());
  Suspension s;
  s.kind = Suspension::Kind::gather;
  s.tasks = tasks;
  return s;
}

Suspension AsCompletedGetter::awaited_as(std::vector<TaskId>&) const {
  Suspension s;
  s.kind = Suspension::Kind::as_completed;
  return s;
}

// gather's _done_callback, as in CPython 3.11.
void GatherFuture::child_done(FutureBase& child, void* ctx) {
  auto& self = *static_cast<GatherFuture*>(ctx);
  ++self.finished_;
  if (self.done()) {
    child.mark_retrieved(); // nobody will see it now
    return;
  }
  if (!self.return_exceptions_) {
    if (child.cancelled()) {
      self.set_exception(child.cancelled_error());
      return;
    }
    if (auto e = child.exception()) {
      self.set_exception(e);
      return;
    }
  }
  if (self.finished_ == self.children_.size()) {
    // The results list takes every exception (return_exceptions).
    for (auto& c : self.children_)
      c->mark_retrieved();
    if (self.cancel_requested_) // the error of the child that ended last
      self.set_exception(child.cancelled_error());
    else
      self.set_result();
  }
}

namespace {
void put_finished(AsCompletedQueue& q, FutureBase* child) {
  q.finished.emplace_back(child);
  while (!q.getters.empty()) { // Queue._wakeup_next
    auto g = std::move(q.getters.front());
    q.getters.pop_front();
    if (!g->done()) {
      g->set_result();
      break;
    }
  }
}
} // namespace

void as_completed_done(FutureBase& child, void* queue) {
  auto* q = static_cast<AsCompletedQueue*>(queue);
  if (q->todo == 0) return; // _on_timeout() was here first
  --q->todo;
  put_finished(*q, &child);
  if (q->todo == 0 && !q->timeout.cancelled()) {
    q->timeout.cancel();
    q->timeout = {};
  }
}

void as_completed_timeout(AsCompletedQueue& q) {
  for (; q.todo > 0; --q.todo)
    put_finished(q, nullptr);
  q.timeout = {};
}

Ref<GatherFuture> make_gather(std::vector<Ref<FutureBase>> children, bool return_exceptions) {
  return Ref<GatherFuture>(
      new GatherFuture(running_loop(), std::move(children), return_exceptions));
}

} // namespace asyncdemo::detail
