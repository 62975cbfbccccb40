#pragma once
// The sleep queue: every pending sleep of a loop, earliest first; one timer
// (or the virtual clock's jump) serves them all. Equal deadlines keep the
// order they were set in (DESIGN rule 4), by a sequence number.
#include <chrono>
#include <cstdint>
#include <queue>
#include <vector>

namespace asyncdemo::detail {

class TaskBase;

struct Sleeper {
  std::chrono::nanoseconds deadline;
  std::uint64_t seq;
  TaskBase* task;    // referenced while queued
  std::uint32_t gen; // the task's sleep generation; stale once it moved on

  friend bool operator>(const Sleeper& a, const Sleeper& b) noexcept {
    return a.deadline != b.deadline ? a.deadline > b.deadline : a.seq > b.seq;
  }
};

class SleepQueue {
public:
  void push(std::chrono::nanoseconds deadline, TaskBase* task, std::uint32_t gen) {
    heap_.push(Sleeper{deadline, next_seq_++, task, gen});
  }
  bool empty() const noexcept { return heap_.empty(); }
  std::size_t size() const noexcept { return heap_.size(); }
  const Sleeper& top() const noexcept { return heap_.top(); }
  Sleeper pop() {
    Sleeper s = heap_.top();
    heap_.pop();
    return s;
  }

private:
  std::priority_queue<Sleeper, std::vector<Sleeper>, std::greater<>> heap_;
  std::uint64_t next_seq_ = 0;
};

} // namespace asyncdemo::detail
