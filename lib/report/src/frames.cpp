// Frames: the recorder's snapshots, walked in order. Each iteration's events
// are split among the items of its queue (the loop says where each begins),
// what each item did is put in short phrases, and the caption (captions.cpp)
// is written from what the run's tasks were doing around it.
#include "asyncdemo/report/frames.hpp"

#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/units.hpp"

#include "frame_story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace asyncdemo {

using report_detail::ItemStory;
using report_detail::no_event;
using report_detail::task_label;

std::string py_seconds(Duration d, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return fmt::format("{}", std::round(to_seconds(d) * scale) / scale);
}

namespace report_detail {

std::string task_label(const Recorder& rec, TaskId id) {
  return rec.task(id) ? std::string(rec.task_name(id)) : std::string("a task");
}

std::string names(const std::vector<std::string>& items, std::size_t shown) {
  if (items.empty()) return {};
  if (items.size() == 1) return items[0];
  const bool all = items.size() <= shown + 1;
  const std::size_t listed = all ? items.size() - 1 : shown;
  std::string out;
  for (std::size_t i = 0; i < listed; ++i)
    out += (i ? ", " : "") + items[i];
  if (all) return out + " and " + items.back();
  return fmt::format("{} and {} more", out, items.size() - listed);
}

std::string names(const Recorder& rec, const std::vector<TaskId>& tasks, std::size_t shown) {
  std::vector<std::string> out;
  for (auto t : tasks)
    out.push_back(task_label(rec, t));
  return names(out, shown);
}

} // namespace report_detail

std::string wait_words(const Recorder& rec, std::size_t event, ClockKind clock) {
  const auto& e = rec.events().at(event);
  const auto* w = rec.wait_at(event);
  if (!w) return e.text; // kept without snapshots: the recorder's words
  switch (w->kind) {
  case Suspension::Kind::sleep:
    return fmt::format("awaits asyncio.sleep({})",
                       py_seconds(w->deadline - e.time, clock == ClockKind::real ? 3 : 6));
  case Suspension::Kind::task:
    return "awaits " + task_label(rec, w->task);
  case Suspension::Kind::gather: {
    // As the call reads: gather(coffee, eggs), or gather(t1, t2, t3, ... 7 more).
    std::string args;
    const std::size_t shown = w->tasks.size() > 5 ? 3 : w->tasks.size();
    for (std::size_t i = 0; i < shown; ++i)
      args += (i ? ", " : "") + task_label(rec, w->tasks[i]);
    if (w->tasks.empty()) args = "...";
    if (shown < w->tasks.size()) args += fmt::format(", ... {} more", w->tasks.size() - shown);
    return fmt::format("awaits gather({})", args);
  }
  case Suspension::Kind::as_completed:
    return "awaits the next task as_completed hands out";
  case Suspension::Kind::yield:
    return "awaits asyncio.sleep(0)";
  case Suspension::Kind::future:
    return "awaits a future";
  case Suspension::Kind::primitive:
    return "waits on " + std::string(w->name);
  default: // a kind with no words here yet: the recorder's own
    break;
  }
  return e.text.rfind("await", 0) == 0 || e.text.rfind("wait", 0) == 0 ? e.text
                                                                       : "waits: " + e.text;
}

namespace {

std::string item_label(const Recorder& rec, const ReadyItem& r) {
  const auto who = task_label(rec, r.task);
  const auto of = task_label(rec, r.of);
  switch (r.kind) {
  case ReadyItem::Kind::step:
    return who;
  case ReadyItem::Kind::timer:
    return "timer: " + who;
  case ReadyItem::Kind::wakeup:
    return fmt::format("wake {}", who);
  case ReadyItem::Kind::gather:
    return fmt::format("gather: {} is done", of);
  case ReadyItem::Kind::as_completed:
    return fmt::format("as_completed: {} is done", of);
  case ReadyItem::Kind::callback:
    return fmt::format("done callback of {}", of);
  case ReadyItem::Kind::stop:
    return "stop the loop";
  case ReadyItem::Kind::timer_callback: // wait_for's deadline, a to_thread result, ...
    return fmt::format("{} timer: {}", r.what, who);
  }
  return "?";
}

bool ends_task(EventKind k) {
  return k == EventKind::task_done || k == EventKind::task_cancelled || k == EventKind::task_failed;
}

// The story of one item: its events, sorted into what a caption reads.
ItemStory story_of(const Recorder& rec, const ReadyItem& item, std::size_t first, std::size_t end,
                   const std::vector<std::size_t>& last_wait) {
  ItemStory s;
  s.item = item;
  s.first_event = first;
  s.end_event = end;
  if (item.kind == ReadyItem::Kind::step || item.kind == ReadyItem::Kind::wakeup) s.who = item.task;
  // What the task it wakes or runs was suspended on (a timer's: its sleep).
  const auto waiter = item.kind == ReadyItem::Kind::timer ? item.task : s.who;
  if (waiter >= 0 && static_cast<std::size_t>(waiter) < last_wait.size())
    s.waited_on = last_wait[static_cast<std::size_t>(waiter)];
  const auto& events = rec.events();
  Duration block_began{}, block_asked{};
  for (auto i = first; i < end; ++i) {
    const auto& e = events[i];
    const bool own = e.task == s.who;
    switch (e.kind) {
    case EventKind::task_created:
      s.created.push_back(e.task);
      break;
    case EventKind::task_started:
      s.started = s.started || own;
      break;
    case EventKind::task_resumed:
      s.resumed = s.resumed || own;
      break;
    case EventKind::print:
      s.prints.push_back(i);
      break;
    case EventKind::block_begin:
      block_began = e.time;
      block_asked = rec.block_length_at(i);
      if (s.blocks.empty()) s.blocked_from = e.time;
      break;
    case EventKind::block_end:
      // What time.sleep was given; what it took, if that was not kept.
      s.blocks.push_back(block_asked > Duration::zero() ? block_asked : e.time - block_began);
      break;
    case EventKind::task_suspended:
      if (own) {
        s.end = ItemStory::End::suspended;
        s.end_at = i;
      }
      break;
    case EventKind::task_done:
    case EventKind::task_cancelled:
    case EventKind::task_failed:
      if (own) {
        s.end = e.kind == EventKind::task_done        ? ItemStory::End::done
                : e.kind == EventKind::task_cancelled ? ItemStory::End::cancelled
                                                      : ItemStory::End::failed;
        s.end_at = i;
      }
      break;
    default:
      break;
    }
  }
  return s;
}

// What an item did, phrase by phrase, for the list of what ran.
std::vector<std::string> did_of(const Recorder& rec, const ItemStory& s, ClockKind clock) {
  std::vector<std::string> out;
  const auto& events = rec.events();
  if (s.started) out.emplace_back("started");
  if (s.resumed) out.emplace_back("resumed");
  // In the order they happened: prints (the first few), blocks, tasks made
  // (together, when one follows another).
  constexpr std::size_t prints_shown = 3;
  std::size_t prints = 0;
  std::vector<TaskId> made;
  auto made_so_far = [&] {
    if (!made.empty()) out.push_back("created " + report_detail::names(rec, made));
    made.clear();
  };
  Duration began{}, asked{};
  for (auto i = s.first_event; i < s.end_event; ++i) {
    const auto& e = events[i];
    if (e.kind != EventKind::task_created) made_so_far();
    switch (e.kind) {
    case EventKind::print:
      if (++prints <= prints_shown) out.push_back("printed " + quote(e.text));
      if (prints == prints_shown + 1 && s.prints.size() > prints_shown)
        out.push_back(fmt::format("printed {} more line{}", s.prints.size() - prints_shown,
                                  s.prints.size() - prints_shown == 1 ? "" : "s"));
      break;
    case EventKind::warning:
      out.push_back("Python warns: " + e.text);
      break;
    case EventKind::task_created:
      made.push_back(e.task);
      break;
    case EventKind::block_begin:
      began = e.time;
      asked = rec.block_length_at(i);
      break;
    case EventKind::block_end:
      out.push_back(fmt::format("called time.sleep({}): the loop was blocked {} → {}",
                                py_seconds(asked > Duration::zero() ? asked : e.time - began),
                                format_seconds(began), format_seconds(e.time)));
      break;
    case EventKind::interrupted:
      out.emplace_back("interrupted (Ctrl-C)");
      break;
    default:
      if (i == s.end_at) {
        if (e.kind == EventKind::task_suspended)
          out.push_back(wait_words(rec, i, clock));
        else if (e.kind == EventKind::task_done)
          out.push_back("finished: " + (e.text.empty() ? std::string("None") : e.text));
        else if (e.kind == EventKind::task_cancelled)
          out.emplace_back("cancelled");
        else if (e.kind == EventKind::task_failed)
          out.push_back("failed: " + e.text);
      }
      break;
    }
  }
  made_so_far();
  if (out.empty() && s.item.kind == ReadyItem::Kind::timer)
    out.emplace_back("its sleep is over: it is ready again");
  return out;
}

} // namespace

std::vector<Frame> frames_of(const Recorder& rec, ClockKind clock, Mode mode,
                             const std::vector<std::string>* program) {
  std::vector<Frame> out;
  const auto& snaps = rec.snapshots();
  const auto& events = rec.events();
  const auto n_tasks = rec.tasks().size();
  std::vector<TaskOutcome> outcome(n_tasks, TaskOutcome::pending);
  std::vector<std::size_t> last_wait(n_tasks, no_event);
  std::vector<std::size_t> gather_of(n_tasks, no_event);
  std::vector<bool> asleep(n_tasks, false); // its last event: a sleep's suspension
  std::size_t sleeping = 0;
  std::map<std::size_t, report_detail::GatherProgress> gathers;
  std::size_t printed = 0;
  bool ready_before = false; // the first iteration runs main, made just before
  out.reserve(snaps.size());
  for (std::size_t k = 0; k < snaps.size(); ++k) {
    const auto& snap = snaps[k];
    report_detail::FrameStory story{rec,
                                    clock,
                                    mode == Mode::sync,
                                    snap,
                                    k > 0 && !ready_before,
                                    false,
                                    {},
                                    {},
                                    outcome,
                                    last_wait,
                                    gather_of,
                                    gathers,
                                    program};
    // Split the events among the items; what came before the first item
    // (main made, an interrupt noticed) is the iteration's own.
    for (std::size_t i = 0; i < snap.ran.size(); ++i) {
      const auto first = i < snap.item_events.size() ? snap.item_events[i] : snap.end_event;
      const auto end = i + 1 < snap.item_events.size() ? snap.item_events[i + 1] : snap.end_event;
      story.items.push_back(story_of(rec, snap.ran[i], first, std::max(first, end), last_wait));
    }
    // The run's state as it moves through the iteration.
    for (auto i = snap.first_event; i < snap.end_event; ++i) {
      const auto& e = events[i];
      const auto t = static_cast<std::size_t>(e.task);
      if (e.kind == EventKind::print) ++printed;
      if (e.kind == EventKind::warning) story.warnings.push_back(i);
      if (e.kind == EventKind::interrupted) story.interrupted = true;
      if (e.task < 0 || t >= n_tasks) continue;
      if (asleep[t]) { // whatever a sleeping task does next, it no longer sleeps
        asleep[t] = false;
        --sleeping;
      }
      if (e.kind == EventKind::task_suspended) {
        last_wait[t] = i;
        if (const auto* w = rec.wait_at(i); w && w->kind == Suspension::Kind::sleep) {
          asleep[t] = true;
          ++sleeping;
        }
        if (const auto* w = rec.wait_at(i); w && w->kind == Suspension::Kind::gather)
          for (auto child : w->tasks)
            if (child >= 0 && static_cast<std::size_t>(child) < n_tasks)
              gather_of[static_cast<std::size_t>(child)] = i;
      }
      if (ends_task(e.kind))
        outcome[t] = e.kind == EventKind::task_done        ? TaskOutcome::done
                     : e.kind == EventKind::task_cancelled ? TaskOutcome::cancelled
                                                           : TaskOutcome::failed;
    }
    // gather's bookkeeping: each item is one child heard of. A child's
    // first callback is the gather a task awaits (added when that gather
    // was made); a second, asyncio.run's own, over the tasks it cancelled.
    std::map<TaskId, int> callbacks_of;
    for (auto& item : story.items) {
      const auto child = static_cast<std::size_t>(item.item.of);
      if (item.item.kind != ReadyItem::Kind::gather || item.item.of < 0 || child >= n_tasks ||
          callbacks_of[item.item.of]++ > 0 || gather_of[child] == no_event)
        continue;
      item.gather = gather_of[child];
      auto& g = gathers[item.gather];
      item.gather_was_over = g.over;
      if (g.over) continue;
      ++g.heard;
      const auto* w = rec.wait_at(item.gather);
      if (outcome[child] == TaskOutcome::failed || outcome[child] == TaskOutcome::cancelled ||
          (w && g.heard >= w->tasks.size()))
        g.over = true;
    }

    Frame f;
    f.number = out.size() + 1;
    f.began = snap.began;
    f.ended = std::max(snap.ended, snap.began);
    f.waited = story.waited;
    f.first_event = snap.first_event;
    f.end_event = snap.end_event;
    f.printed = printed;
    f.lines = snap.lines;
    // A gather callback that no gather a task awaits takes, once main is
    // done, is asyncio.run's (over the tasks it cancelled): named so.
    const bool main_done = !outcome.empty() && outcome[0] != TaskOutcome::pending;
    const auto label = [&](const ReadyItem& r, bool awaited_gather) {
      return r.kind == ReadyItem::Kind::gather && !awaited_gather && main_done
                 ? fmt::format("asyncio.run: {} is done", task_label(rec, r.of))
                 : item_label(rec, r);
    };
    for (const auto& item : story.items)
      f.ran.push_back(FrameItem{item.item, label(item.item, item.gather != no_event),
                                did_of(rec, item, clock), item.first_event, item.end_event});
    std::map<TaskId, int> next_callbacks_of; // as above: a child's first is its gather's
    for (const auto& r : snap.ready) {
      const auto child = static_cast<std::size_t>(r.of);
      const bool awaited = r.kind == ReadyItem::Kind::gather && r.of >= 0 && child < n_tasks &&
                           next_callbacks_of[r.of]++ == 0 && gather_of[child] != no_event;
      f.ready.push_back(label(r, awaited));
    }
    f.ready_items = snap.ready;
    for (const auto& s : snap.sleepers) // a task's sleep, or a timer it set (wait_for's)
      f.timers.push_back(
          FrameTimer{s.task,
                     s.what.empty() ? task_label(rec, s.task)
                                    : fmt::format("{} timer: {}", s.what, task_label(rec, s.task)),
                     s.deadline});
    // The sleepers: all but those whose step is queued (a sleep over, or cancelled).
    f.sleeping = sleeping;
    for (const auto& r : snap.ready)
      if ((r.kind == ReadyItem::Kind::step || r.kind == ReadyItem::Kind::wakeup) && r.task >= 0 &&
          static_cast<std::size_t>(r.task) < n_tasks && asleep[static_cast<std::size_t>(r.task)])
        --f.sleeping;
    f.caption = report_detail::caption(story);
    ready_before = !snap.ready.empty();
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<TaskState> task_states(const Recorder& rec, const Frame& frame, ClockKind clock) {
  const auto& tasks = rec.tasks();
  std::vector<std::string> state(tasks.size());
  std::vector<bool> made(tasks.size(), false), over(tasks.size(), false);
  std::vector<std::size_t> chain_at(tasks.size(), no_event), wait_at(tasks.size(), no_event);
  const auto& events = rec.events();
  for (std::size_t i = 0; i < frame.end_event && i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.task < 0 || static_cast<std::size_t>(e.task) >= tasks.size()) continue;
    const auto t = static_cast<std::size_t>(e.task);
    auto& s = state[t];
    if (e.kind != EventKind::task_created && !rec.chain_at(i).empty()) chain_at[t] = i;
    if (e.kind == EventKind::task_suspended) wait_at[t] = i;
    if (ends_task(e.kind)) over[t] = true;
    switch (e.kind) {
    case EventKind::task_created:
      made[static_cast<std::size_t>(e.task)] = true;
      s = "ready: not started yet";
      break;
    case EventKind::task_started:
    case EventKind::task_resumed:
    case EventKind::block_end:
      s = "running";
      break;
    case EventKind::block_begin:
      s = "blocking the loop";
      break;
    case EventKind::task_suspended:
      s = e.text == "yield" ? "ready: awaits asyncio.sleep(0)" : wait_words(rec, i, clock);
      break;
    case EventKind::task_done:
      s = "done: " + (e.text.empty() ? std::string("None") : e.text);
      break;
    case EventKind::task_cancelled:
      s = "cancelled";
      break;
    case EventKind::task_failed:
      s = "failed: " + e.text;
      break;
    default:
      break;
    }
  }
  // A task with its step (or wake-up) queued runs in the next iteration.
  for (const auto& r : frame.ready_items) {
    if ((r.kind != ReadyItem::Kind::step && r.kind != ReadyItem::Kind::wakeup) || r.task < 0 ||
        static_cast<std::size_t>(r.task) >= tasks.size())
      continue;
    auto& s = state[static_cast<std::size_t>(r.task)];
    if (s.rfind("ready", 0) != 0) s = "ready to resume";
  }
  std::vector<TaskState> out;
  for (std::size_t t = 0; t < tasks.size(); ++t)
    if (made[t]) {
      TaskState ts{tasks[t].id, tasks[t].name, state[t], false, false, {}, {}};
      ts.over = over[t];
      for (const auto& item : frame.ran)
        if (item.item.kind == ReadyItem::Kind::step && item.item.task == tasks[t].id) ts.ran = true;
      if (!ts.over && chain_at[t] != no_event) ts.chain = rec.chain_at(chain_at[t]);
      if (const auto* w = wait_at[t] != no_event && !ts.over ? rec.wait_at(wait_at[t]) : nullptr) {
        if (w->kind == Suspension::Kind::gather ||
            (w->kind == Suspension::Kind::primitive && w->name == "TaskGroup"))
          ts.children = w->tasks;
        if (w->kind == Suspension::Kind::task && w->task != no_task) ts.children = {w->task};
      }
      out.push_back(std::move(ts));
    }
  return out;
}

} // namespace asyncdemo
