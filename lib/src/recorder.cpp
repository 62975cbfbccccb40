#include "asyncdemo/recorder.hpp"

namespace asyncdemo {

const char* to_string(EventKind k) noexcept {
  switch (k) {
  case EventKind::task_created:
    return "created";
  case EventKind::task_started:
    return "started";
  case EventKind::task_suspended:
    return "suspended";
  case EventKind::task_resumed:
    return "resumed";
  case EventKind::task_done:
    return "done";
  case EventKind::task_cancelled:
    return "cancelled";
  case EventKind::task_failed:
    return "failed";
  case EventKind::print:
    return "print";
  case EventKind::block_begin:
    return "block_begin";
  case EventKind::block_end:
    return "block_end";
  case EventKind::interrupted:
    return "interrupted";
  case EventKind::warning:
    return "warning";
  }
  return "?";
}

const char* to_string(TaskOutcome o) noexcept {
  switch (o) {
  case TaskOutcome::pending:
    return "pending";
  case TaskOutcome::done:
    return "done";
  case TaskOutcome::cancelled:
    return "cancelled";
  case TaskOutcome::failed:
    return "failed";
  }
  return "?";
}

int Recorder::add_task(std::string name, Duration created) {
  const int id = static_cast<int>(tasks_.size());
  // Unnamed tasks are numbered as asyncio numbers them (main is Task-1).
  if (name.empty()) name = "Task-" + std::to_string(id + 1);
  tasks_.push_back(TaskRecord{
      id, std::move(name), created, Duration{-1}, Duration{-1}, TaskOutcome::pending, {}, 0});
  return id;
}

void Recorder::record(Duration time, int task, EventKind kind, std::string text) {
  if (kind == EventKind::task_started && task >= 0)
    tasks_[static_cast<std::size_t>(task)].started = time;
  events_.push_back(Event{time, task, kind, std::move(text)});
  if (sink_) sink_(events_.back(), *this);
}

void Recorder::task_finished(int task, Duration time, TaskOutcome outcome, std::string result) {
  auto& t = tasks_[static_cast<std::size_t>(task)];
  t.finished = time;
  t.outcome = outcome;
  t.result = result;
  t.finish_order = ++finished_count_;
  const auto kind = outcome == TaskOutcome::done        ? EventKind::task_done
                    : outcome == TaskOutcome::cancelled ? EventKind::task_cancelled
                                                        : EventKind::task_failed;
  record(time, task, kind, std::move(result));
}

const TaskRecord* Recorder::task(int id) const noexcept {
  if (id < 0 || static_cast<std::size_t>(id) >= tasks_.size()) return nullptr;
  return &tasks_[static_cast<std::size_t>(id)];
}

std::string_view Recorder::task_name(int id) const noexcept {
  const auto* t = task(id);
  return t ? std::string_view(t->name) : std::string_view("-");
}

std::vector<std::string> Recorder::printed_lines() const {
  std::vector<std::string> out;
  for (const auto& e : events_)
    if (e.kind == EventKind::print) out.push_back(e.text);
  return out;
}

} // namespace asyncdemo
