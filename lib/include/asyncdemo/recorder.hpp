#pragma once
// The recorder: what happened, when, in which task. The runtime reports into
// it; renderers (live lines, summaries, tables) read from it.
#include "asyncdemo/duration.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace asyncdemo {

enum class EventKind : std::uint8_t {
  task_created,
  task_started,
  task_suspended, // text says on what: "sleep until 6.000 s", "await eggs", "yield"
  task_resumed,
  task_done,
  task_cancelled,
  task_failed,
  print,
  block_begin, // the task holds the loop (time.sleep inside a coroutine)
  block_end,
  interrupted,
  warning, // text: what Python would warn about ("coroutine 'sleep' was never awaited")
};

const char* to_string(EventKind k) noexcept;

enum class TaskOutcome : std::uint8_t { pending, done, cancelled, failed };

const char* to_string(TaskOutcome o) noexcept;

inline constexpr int no_task = -1;

struct Event {
  Duration time{};
  int task = no_task;
  EventKind kind{};
  std::string text;
};

struct TaskRecord {
  int id = 0;
  std::string name;
  Duration created{};
  Duration started{-1};
  Duration finished{-1};
  TaskOutcome outcome = TaskOutcome::pending;
  std::string result; // the value, or the exception's message
  int finish_order = 0;
};

class Recorder {
public:
  // Called for every event as it happens (the live output).
  using Sink = std::function<void(const Event&, const Recorder&)>;

  void set_sink(Sink sink) { sink_ = std::move(sink); }

  int add_task(std::string name, Duration created);
  void record(Duration time, int task, EventKind kind, std::string text = {});
  void task_finished(int task, Duration time, TaskOutcome outcome, std::string result);

  const std::vector<Event>& events() const noexcept { return events_; }
  const std::vector<TaskRecord>& tasks() const noexcept { return tasks_; }
  const TaskRecord* task(int id) const noexcept;
  std::string_view task_name(int id) const noexcept;
  // The printed lines, in order, without time or task: what Python prints.
  std::vector<std::string> printed_lines() const;

private:
  std::vector<Event> events_;
  std::vector<TaskRecord> tasks_;
  Sink sink_;
  int finished_count_ = 0;
};

} // namespace asyncdemo
