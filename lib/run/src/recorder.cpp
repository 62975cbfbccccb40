// The recorder: every event the loop reports, kept for the reports.
#include "asyncdemo/run/recorder.hpp"

#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace asyncdemo {

void Recorder::keep(std::string_view text, std::string& shown, std::vector<Exact>& exact,
                    std::size_t index) {
  if (printable(text)) {
    shown.assign(text);
    return;
  }
  shown = escape_like_repr(text);
  // In order of index (tasks finish in any order).
  const auto at = std::lower_bound(exact.begin(), exact.end(), index,
                                   [](const Exact& x, std::size_t i) { return x.index < i; });
  if (at != exact.end() && at->index == index)
    at->text = text;
  else
    exact.insert(at, Exact{index, std::string(text)});
}

std::string_view Recorder::exact_of(const std::vector<Exact>& exact, std::size_t index,
                                    std::string_view shown) noexcept {
  const auto it = std::lower_bound(exact.begin(), exact.end(), index,
                                   [](const Exact& x, std::size_t i) { return x.index < i; });
  return it != exact.end() && it->index == index ? std::string_view(it->text) : shown;
}

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

std::string describe(const Suspension& s) {
  switch (s.kind) {
  case Suspension::Kind::sleep: {
    char buf[48];
    std::snprintf(buf, sizeof buf, "sleep until %.3f s", to_seconds(s.deadline));
    return buf;
  }
  case Suspension::Kind::task:
    return "await " + std::string(s.name);
  case Suspension::Kind::future:
    return "await";
  case Suspension::Kind::yield:
    return "yield";
  case Suspension::Kind::gather:
  case Suspension::Kind::as_completed:
    return "await"; // a future, as -v has always said; a view says more
  case Suspension::Kind::primitive:
    return "waits on " + std::string(s.name);
  }
  return {};
}

bool Recorder::room(Duration at, std::size_t bytes) {
  if (full_) return false;
  const bool events = events_.size() < max_events_kept && snapshots_.size() < max_events_kept;
  if (events && printed_bytes_ + bytes <= max_printed_bytes_kept) {
    printed_bytes_ += bytes;
    return true;
  }
  full_ = true;
  const auto why =
      events ? fmt::format("the run printed more than {} MiB, the most asyncdemo keeps of one run",
                           max_printed_bytes_kept >> 20)
             : fmt::format("the run made more than {} events (prints, and each task's steps), the "
                           "most asyncdemo keeps of one run",
                           max_events_kept);
  if (on_full_)
    on_full_(std::make_exception_ptr(
        RecordingLimit(fmt::format("{}; stopped at {}", why, format_seconds(at)))));
  return false;
}

void Recorder::record(Duration time, TaskId task, EventKind kind, std::string_view text) {
  if (!room(time, kind == EventKind::print ? text.size() : 0)) return;
  events_.push_back(RecordedEvent{time, task, kind, {}});
  keep(text, events_.back().text, exact_texts_, events_.size() - 1);
  if (probe_) {
    // Said from inside the running code: where it is. A task about to run
    // (started, resumed) is not there yet.
    std::uint32_t index = 0;
    if (kind != EventKind::task_started && kind != EventKind::task_resumed &&
        kind != EventKind::interrupted) {
      auto chain = probe_();
      if (!chain.empty()) {
        if (chain != chains_.back()) chains_.push_back(std::move(chain));
        index = static_cast<std::uint32_t>(chains_.size() - 1);
      }
    }
    if (index != 0 || !event_chains_.empty()) {
      event_chains_.resize(events_.size() - 1, 0);
      event_chains_.push_back(index);
    }
  }
  if (sink_) sink_(events_.back(), *this);
}

void Recorder::task_created(Duration at, TaskId task, std::string_view name) {
  // The loop numbers followed tasks 0, 1, 2, ... as they are made.
  if (static_cast<std::size_t>(task) != tasks_.size() || full_) return;
  tasks_.push_back(
      TaskRecord{task, {}, at, Duration{-1}, Duration{-1}, TaskOutcome::pending, {}, 0});
  keep(name, tasks_.back().name, exact_names_, tasks_.size() - 1);
  record(at, task, EventKind::task_created);
}

void Recorder::task_started(Duration at, TaskId task) {
  if (auto* t = task >= 0 && static_cast<std::size_t>(task) < tasks_.size()
                    ? &tasks_[static_cast<std::size_t>(task)]
                    : nullptr)
    t->started = at;
  record(at, task, EventKind::task_started);
}

void Recorder::task_suspended(Duration at, TaskId task, const Suspension& on) {
  if (full_) return;
  if (keep_snapshots_) {
    WaitRecord w{events_.size(),
                 on.kind,
                 on.deadline,
                 on.task,
                 0,
                 std::vector<TaskId>(on.tasks.begin(), on.tasks.end()),
                 on.kind == Suspension::Kind::primitive ? on.name : std::string_view{}};
    if (on.state.which) {
      PrimitiveWait p{on.state, {}};
      for (const auto& [which, held] : holders_)
        if (which == on.state.which) p.holders = held;
      primitive_waits_.push_back(std::move(p));
      w.primitive = static_cast<std::uint32_t>(primitive_waits_.size());
    }
    waits_.push_back(std::move(w));
  }
  record(at, task, EventKind::task_suspended, describe(on));
}

void Recorder::task_resumed(Duration at, TaskId task) {
  record(at, task, EventKind::task_resumed);
}

void Recorder::task_finished(Duration at, TaskId task, TaskOutcome outcome,
                             std::string_view result) {
  if (task >= 0 && static_cast<std::size_t>(task) < tasks_.size()) {
    auto& t = tasks_[static_cast<std::size_t>(task)];
    t.finished = at;
    t.outcome = outcome;
    keep(result, t.result, exact_results_, static_cast<std::size_t>(task));
    t.finish_order = ++finished_count_;
  }
  const auto kind = outcome == TaskOutcome::done        ? EventKind::task_done
                    : outcome == TaskOutcome::cancelled ? EventKind::task_cancelled
                                                        : EventKind::task_failed;
  record(at, task, kind, result);
}

void Recorder::block_began(Duration at, TaskId task, Duration length) {
  if (full_) return;
  if (keep_snapshots_) block_lengths_.emplace_back(events_.size(), length);
  record(at, task, EventKind::block_begin);
}

void Recorder::block_ended(Duration at, TaskId task) {
  record(at, task, EventKind::block_end);
}

void Recorder::printed(Duration at, TaskId task, std::string_view text) {
  record(at, task, EventKind::print, text);
}

void Recorder::warned(Duration at, TaskId task, std::string_view text) {
  record(at, task, EventKind::warning, text);
}

void Recorder::interrupted(Duration at) {
  record(at, no_task, EventKind::interrupted);
}

void Recorder::iteration_began(const LoopView& view) {
  // An iteration that a callback's exception cut short ends here.
  if (iteration_open_) {
    snapshots_.back().ended = view.now();
    snapshots_.back().end_event = events_.size();
    iteration_open_ = false;
  }
  if (full_ || !room(view.now(), 0)) return;
  Snapshot s;
  s.iteration = view.iteration();
  s.began = view.now();
  s.ran = view.ready();
  s.item_events.reserve(s.ran.size());
  s.first_event = snapshots_.empty() ? 0 : snapshots_.back().end_event;
  s.end_event = s.first_event;
  snapshots_.push_back(std::move(s));
  iteration_open_ = true;
}

void Recorder::item_began(std::size_t) {
  if (iteration_open_) snapshots_.back().item_events.push_back(events_.size());
}

void Recorder::iteration_ended(const LoopView& view) {
  if (!iteration_open_) return;
  iteration_open_ = false;
  auto& s = snapshots_.back();
  s.ended = view.now();
  s.end_event = events_.size();
  s.ready = view.ready();
  s.sleepers = view.earliest_sleepers(Snapshot::sleepers_kept);
}

void Recorder::cancel_requested(Duration, TaskId target, TaskId by) {
  if (!full_) cancels_.push_back(CancelRequest{events_.size(), target, by});
}

void Recorder::line_ran(int line) {
  if (!iteration_open_) return; // the module's own code, before the loop or after it
  auto& lines = snapshots_.back().lines;
  if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
}

const std::vector<SourceFrame>& Recorder::chain_at(std::size_t event) const noexcept {
  return event < event_chains_.size() ? chains_[event_chains_[event]] : chains_.front();
}

int Recorder::line_at(std::size_t event) const noexcept {
  const auto& chain = chain_at(event);
  return chain.empty() ? 0 : chain.back().line;
}

void Recorder::run_over(Duration at) {
  if (!iteration_open_) return;
  iteration_open_ = false;
  snapshots_.back().ended = at;
  snapshots_.back().end_event = events_.size();
}

void Recorder::primitive_held(Duration, TaskId task, bool taken, const PrimitiveState& state) {
  if (full_ || !keep_snapshots_ || !state.which) return;
  auto at = std::find_if(holders_.begin(), holders_.end(),
                         [&](const auto& h) { return h.first == state.which; });
  if (at == holders_.end()) at = holders_.insert(holders_.end(), {state.which, {}});
  auto& held = at->second;
  if (taken) {
    held.push_back(task);
  } else if (!held.empty()) {
    // Given back by its holder, or by another task (a Semaphore's release
    // may come from anywhere): then the longest held.
    const auto mine = std::find(held.begin(), held.end(), task);
    held.erase(mine != held.end() ? mine : held.begin());
  }
  if (holds_.size() < max_events_kept) // bounded as the events are
    holds_.push_back(HoldRecord{events_.size(), task, taken, state});
}

const HoldRecord* Recorder::taken_by(TaskId task, std::size_t from, std::size_t to) const noexcept {
  auto it = std::lower_bound(holds_.begin(), holds_.end(), from,
                             [](const HoldRecord& h, std::size_t e) { return h.event < e; });
  for (; it != holds_.end() && it->event <= to; ++it)
    if (it->taken && it->task == task) return &*it;
  return nullptr;
}

const WaitRecord* Recorder::wait_at(std::size_t event) const noexcept {
  const auto it = std::lower_bound(waits_.begin(), waits_.end(), event,
                                   [](const WaitRecord& w, std::size_t e) { return w.event < e; });
  return it != waits_.end() && it->event == event ? &*it : nullptr;
}

Duration Recorder::block_length_at(std::size_t event) const noexcept {
  const auto it = std::lower_bound(
      block_lengths_.begin(), block_lengths_.end(), event,
      [](const std::pair<std::size_t, Duration>& b, std::size_t e) { return b.first < e; });
  return it != block_lengths_.end() && it->first == event ? it->second : Duration{};
}

const TaskRecord* Recorder::task(TaskId id) const noexcept {
  if (id < 0 || static_cast<std::size_t>(id) >= tasks_.size()) return nullptr;
  return &tasks_[static_cast<std::size_t>(id)];
}

std::string_view Recorder::task_name(TaskId id) const noexcept {
  const auto* t = task(id);
  return t ? std::string_view(t->name) : std::string_view("-");
}

std::string_view Recorder::exact_text(const RecordedEvent& e) const noexcept {
  if (events_.empty() || &e < events_.data() || &e >= events_.data() + events_.size())
    return e.text;
  return exact_of(exact_texts_, static_cast<std::size_t>(&e - events_.data()), e.text);
}

std::string_view Recorder::exact_name(const TaskRecord& t) const noexcept {
  return exact_of(exact_names_, static_cast<std::size_t>(t.id), t.name);
}

std::string_view Recorder::exact_result(const TaskRecord& t) const noexcept {
  return exact_of(exact_results_, static_cast<std::size_t>(t.id), t.result);
}

std::vector<std::string> Recorder::printed_lines() const {
  std::vector<std::string> out;
  for (const auto& e : events_)
    if (e.kind == EventKind::print) out.emplace_back(exact_text(e));
  return out;
}

} // namespace asyncdemo
