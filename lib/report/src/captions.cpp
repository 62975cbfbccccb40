// Captions: one sentence per iteration that says what the loop did and
// why, in the seeds' words. The first rule that fits an iteration writes
// it: the clock jumped (or the loop slept); something blocked the loop;
// one task ran; several ran in turn; only the loop's own callbacks ran
// (gather's, as_completed's, a done callback, the stop).
#include "asyncdemo/text/units.hpp"

#include "frame_story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace asyncdemo::report_detail {

namespace {

using End = ItemStory::End;

std::string possessive(const std::string& name) {
  return name + (!name.empty() && name.back() == 's' ? "'" : "'s");
}

std::string times(std::size_t n) {
  return n == 2 ? "twice" : fmt::format("{} times", n);
}

const WaitRecord* wait_of(const FrameStory& s, std::size_t event) {
  return event == no_event ? nullptr : s.rec.wait_at(event);
}

// "5.000 s, when eggs' sleep ends"
std::string when_sleeps_end(const FrameStory& s) {
  std::vector<std::string> sleepers;
  // The sleep's deadline: on the real clock the loop wakes a moment after it.
  auto deadline = s.snap.began;
  for (const auto& it : s.items) {
    if (it.item.kind != ReadyItem::Kind::timer) continue;
    if (sleepers.empty() && it.waited_on != no_event)
      if (const auto* w = wait_of(s, it.waited_on); w && w->kind == Suspension::Kind::sleep)
        deadline = w->deadline;
    sleepers.push_back(task_label(s.rec, it.item.task));
  }
  const auto at = format_seconds(deadline);
  if (sleepers.empty()) return at;
  if (sleepers.size() == 1)
    return fmt::format("{}, when {} sleep ends", at, possessive(sleepers[0]));
  return fmt::format("{}, when the sleeps of {} end", at, names(sleepers));
}

// The tasks a step made that are now in the ready queue, in order.
std::vector<TaskId> made_and_ready(const FrameStory& s, const ItemStory& it) {
  std::vector<TaskId> out;
  if (it.created.empty()) return out;
  for (const auto& r : s.snap.ready) // tasks are numbered as they are made: `created` is sorted
    if (r.kind == ReadyItem::Kind::step &&
        std::binary_search(it.created.begin(), it.created.end(), r.task))
      out.push_back(r.task);
  return out;
}

// "both tasks are ready, and run in the order they were created"
std::string new_tasks_run(const FrameStory& s, const std::vector<TaskId>& ready,
                          const std::vector<TaskId>& awaited) {
  const bool same = ready == awaited;
  if (ready.size() == 1)
    return fmt::format("{} is ready, and runs next", task_label(s.rec, ready[0]));
  if (same && ready.size() == 2)
    return "both tasks are ready, and run in the order they were created";
  if (same)
    return fmt::format("all {} tasks are ready, and run in the order they were created",
                       ready.size());
  return fmt::format("{} are ready, and run in the order they were created", names(s.rec, ready));
}

// Who hears of a task's end in the next iteration: its done callbacks.
std::string hearers(const FrameStory& s, TaskId who) {
  std::vector<std::string> nouns;
  bool stop = false;
  TaskId waker = no_task;
  int gathers_seen = 0;
  for (const auto& r : s.snap.ready) {
    if (r.of != who) continue;
    switch (r.kind) {
    case ReadyItem::Kind::wakeup:
      nouns.push_back(task_label(s.rec, r.task));
      waker = r.task;
      break;
    case ReadyItem::Kind::gather: {
      // Its first gather callback is the gather a task awaits (which, over
      // already, hears nothing); another, once main is done, asyncio.run's
      // own (over the tasks it cancelled), said as the next caption says it.
      const auto id = static_cast<std::size_t>(who);
      const auto g =
          who >= 0 && id < s.gather_of.size() && !gathers_seen++ ? s.gather_of[id] : no_event;
      if (g != no_event) {
        if (const auto at = s.gathers.find(g); at == s.gathers.end() || !at->second.over)
          nouns.emplace_back("gather");
        break;
      }
      const bool cleanup = !s.outcome.empty() && s.outcome[0] != TaskOutcome::pending;
      nouns.emplace_back(cleanup ? "asyncio.run" : "gather");
      break;
    }
    case ReadyItem::Kind::as_completed:
      nouns.emplace_back("as_completed");
      break;
    case ReadyItem::Kind::callback:
      nouns.emplace_back("its done callback");
      break;
    case ReadyItem::Kind::stop:
      stop = true;
      break;
    default:
      break;
    }
  }
  if (stop) return s.sync ? "the program ends" : "asyncio.run stops the loop next";
  if (nouns.empty()) return "no task is waiting for it";
  if (nouns.size() == 1 && waker != no_task)
    return fmt::format("{}, which awaits it, wakes in the next iteration",
                       task_label(s.rec, waker));
  return fmt::format("{} {} of it in the next iteration", names(nouns),
                     nouns.size() == 1 ? "hears" : "hear");
}

// Why a task that waits on a primitive gives up the loop, and what wakes
// it (its waiters wake first come, first served: a deque of futures).
std::string primitive_why(std::string_view name) {
  if (name == "Lock") return "it queues for the lock, and wakes when it is handed the lock";
  if (name == "Semaphore" || name == "BoundedSemaphore")
    return "it queues for a place, and wakes when one is handed to it";
  if (name == "Event") return "it wakes when the event is set";
  if (name == "Queue.get") return "it wakes when an item is put in the queue";
  if (name == "Queue.put") return "it wakes when an item is taken out of the full queue";
  if (name == "Queue.join") return "it wakes when every item put has been marked task_done";
  if (name == "TaskGroup") return "it wakes when every task of the group is done";
  if (name == "wait_for") return "it wakes when the task is done, or at the timeout";
  if (name == "asyncio.wait") return "it wakes when the tasks are done as return_when asks";
  if (name == "to_thread")
    return "the work runs on a worker thread, and the loop runs the others meanwhile";
  return "it gives up the loop until that is done";
}

// A wait on a primitive with the primitive's state then: "waits on the
// Lock (task1 holds it; 2 waiting)". Empty if the runtime did not tell it.
std::string primitive_wait(const FrameStory& s, const WaitRecord& w) {
  const auto* p = s.rec.primitive_wait(w);
  if (!p) return {};
  const auto& st = p->state;
  const auto line = st.waiting > 1 ? fmt::format("; {} waiting", st.waiting) : std::string();
  std::vector<std::string> holders;
  for (auto t : p->holders)
    holders.push_back(task_label(s.rec, t));
  if (w.name == "Lock") {
    if (st.free == 0 && !holders.empty())
      return fmt::format("waits on the Lock ({} holds it{})", holders.front(), line);
    return {};
  }
  if (w.name == "Semaphore" || w.name == "BoundedSemaphore") {
    if (st.free > 0) // places free, but others were in line first
      return fmt::format("waits on the {} ({} free, {} ahead in line)", w.name, st.free,
                         st.waiting - 1);
    if (holders.empty()) return fmt::format("waits on the {} (no place free{})", w.name, line);
    return fmt::format("waits on the {} ({} taken by {}{})", w.name,
                       holders.size() == 1 ? std::string("its one place")
                                           : fmt::format("its {} places", holders.size()),
                       names(holders), line);
  }
  if (w.name == "Queue.put")
    return fmt::format("waits on Queue.put (the Queue holds {} of {}{})", st.items, st.maxsize,
                       line);
  if (w.name == "Queue.get") return fmt::format("waits on Queue.get (the Queue is empty{})", line);
  return {};
}

// What ended a wait on a primitive, for a wake-up's caption: "the Lock is
// handed to task2, so task2 resumes ...".
std::string primitive_woke(std::string_view name, const std::string& who) {
  if (name == "Lock") return fmt::format("the Lock is handed to {}", who);
  if (name == "Semaphore" || name == "BoundedSemaphore")
    return fmt::format("a place of the {} is handed to {}", name, who);
  if (name == "Event") return "the Event is set";
  if (name == "Queue.get") return fmt::format("an item is in the queue for {}", who);
  if (name == "Queue.put") return fmt::format("the queue has room for {}", who);
  if (name == "Queue.join") return "every item of the queue is done";
  if (name == "to_thread") return fmt::format("{} to_thread work is done", possessive(who));
  if (name == "TaskGroup") return "every task of the TaskGroup is done";
  return fmt::format("{} wait is over", possessive(std::string(name))); // wait_for, asyncio.wait
}

// What a task waited on, without the verb: "gather(coffee, eggs)", "eggs".
std::string awaited_thing(const FrameStory& s, std::size_t event) {
  auto words = wait_words(s.rec, event, s.clock);
  for (std::string_view verb : {"awaits ", "waits on ", "waits: "})
    if (words.rfind(verb, 0) == 0) return words.substr(verb.size());
  return words;
}

// The end of a task's step, and why it matters: "awaits gather(coffee,
// eggs)" and "both tasks are ready, ...".
struct Clause {
  std::string lead;
  std::string why;
};

Clause ending(const FrameStory& s, const ItemStory& it, bool why = true) {
  const auto who = task_label(s.rec, it.who);
  const auto& events = s.rec.events();
  switch (it.end) {
  case End::suspended: {
    const auto* w = wait_of(s, it.end_at);
    auto words = w && w->kind == Suspension::Kind::primitive ? primitive_wait(s, *w) : "";
    if (words.empty()) words = wait_words(s.rec, it.end_at, s.clock);
    const auto ready = made_and_ready(s, it);
    Clause c{fmt::format("{} {}", who, words), {}};
    const auto kind = w ? w->kind : Suspension::Kind::future;
    switch (kind) {
    case Suspension::Kind::gather:
      if (!ready.empty())
        c.why = new_tasks_run(s, ready, w->tasks);
      else
        c.why = fmt::format("it wakes when {} done",
                            w->tasks.size() == 1 ? "that task is"
                                                 : fmt::format("all {} are", w->tasks.size()));
      break;
    case Suspension::Kind::as_completed:
      c.why =
          ready.empty() ? "it wakes when the next task finishes" : new_tasks_run(s, ready, ready);
      break;
    case Suspension::Kind::task:
      if (ready.size() == 1 && ready[0] == w->task)
        c.why = fmt::format("{} is ready, and runs next", task_label(s.rec, w->task));
      else if (!ready.empty())
        c.why = new_tasks_run(s, ready, {});
      else
        c.why = fmt::format("it wakes when {} is done", task_label(s.rec, w->task));
      break;
    case Suspension::Kind::sleep:
      c.why = fmt::format("it gives up the loop until {}", format_seconds(w->deadline));
      if (!ready.empty())
        c.why += fmt::format(", and {} {} meanwhile", names(s.rec, ready),
                             ready.size() == 1 ? "runs" : "run");
      break;
    case Suspension::Kind::yield:
      c.why = "it goes to the back of the ready queue, so the others run first";
      break;
    case Suspension::Kind::primitive:
      c.why = w->name == "TaskGroup" && !w->tasks.empty()
                  ? fmt::format("it wakes when {} {} done", names(s.rec, w->tasks),
                                w->tasks.size() == 1 ? "is" : "are")
                  : primitive_why(w->name);
      break;
    default:
      c.why = "it gives up the loop until that is done";
      break;
    }
    return c;
  }
  case End::done: {
    const auto& result = events[it.end_at].text;
    auto lead = result.empty() || result == "None" ? who + " finishes"
                                                   : fmt::format("{} returns {}", who, result);
    // Tasks it made and never awaited: asyncio.run will cancel them.
    std::vector<TaskId> left;
    for (auto t : it.created)
      if (t >= 0 && static_cast<std::size_t>(t) < s.outcome.size() &&
          s.outcome[static_cast<std::size_t>(t)] == TaskOutcome::pending)
        left.push_back(t);
    if (!left.empty()) lead += fmt::format(", leaving {} pending", names(s.rec, left));
    return {lead, why ? hearers(s, it.who) : ""};
  }
  case End::cancelled: {
    // Who asked (the last Task.cancel() of it before this step).
    // The loop's own code (a TaskGroup's abort, a timer) is named only
    // when it is asyncio.run's clean-up, once main is done.
    std::string by;
    const bool main_done = !s.outcome.empty() && s.outcome[0] != TaskOutcome::pending;
    for (const auto& r : s.rec.cancel_requests())
      if (r.target == it.who && r.at <= it.first_event)
        by = r.by != no_task ? task_label(s.rec, r.by) : main_done ? "asyncio.run" : "";
    const auto asked = by.empty() ? std::string() : fmt::format(" ({} cancelled it)", by);
    return {it.started || it.resumed
                ? who + " resumes with CancelledError at its await" + asked + ", and ends"
                : who + " is cancelled before it ever ran" + asked,
            why ? hearers(s, it.who) : ""};
  }
  case End::failed:
    return {fmt::format("{} fails with {}", who, events[it.end_at].text),
            why ? hearers(s, it.who) : ""};
  case End::none:
    break;
  }
  return {who + " runs", "it is still running"};
}

// A wake-up says what ended the wait first: "gather(coffee, eggs) is done:
// main resumes and finishes".
// Sleeping tasks that a step woke before their time: Task.cancel() on a
// sleeping task queues its step (a timer would have run first otherwise).
std::vector<TaskId> cancelled_sleepers(const FrameStory& s, const ItemStory& it) {
  std::vector<TaskId> timers;
  for (const auto& i : s.items)
    if (i.item.kind == ReadyItem::Kind::timer) timers.push_back(i.item.task);
  std::sort(timers.begin(), timers.end());
  std::vector<TaskId> out;
  for (const auto& r : s.snap.ready) {
    if (r.kind != ReadyItem::Kind::step || r.task == it.who || r.task < 0 ||
        static_cast<std::size_t>(r.task) >= s.last_wait.size())
      continue;
    const auto* w = wait_of(s, s.last_wait[static_cast<std::size_t>(r.task)]);
    if (w && w->kind == Suspension::Kind::sleep &&
        !std::binary_search(timers.begin(), timers.end(), r.task))
      out.push_back(r.task);
  }
  return out;
}

// The tasks `it`'s task cancelled while it ran (Task.cancel()), in order.
std::vector<TaskId> cancelled_by(const FrameStory& s, const ItemStory& it) {
  std::vector<TaskId> out;
  for (const auto& r : s.rec.cancel_requests())
    if (r.by == it.who && r.at >= it.first_event && r.at <= it.end_event && r.target != it.who &&
        std::find(out.begin(), out.end(), r.target) == out.end())
      out.push_back(r.target);
  return out;
}

Clause task_clause(const FrameStory& s, const ItemStory& it) {
  auto c = ending(s, it);
  const auto who = task_label(s.rec, it.who);
  auto cancelled = cancelled_by(s, it);
  if (cancelled.empty()) cancelled = cancelled_sleepers(s, it);
  if (!cancelled.empty() && it.ran_task()) {
    const auto rest = c.lead.substr(std::min(c.lead.size(), who.size() + 1));
    c.lead = fmt::format("{} {}cancels {}, then {}", who, it.resumed ? "resumes, " : "",
                         names(s.rec, cancelled), rest);
    return c;
  }
  if (!it.resumed || it.end == End::cancelled) return c;
  // "main finishes" becomes "main resumes and finishes".
  const auto rest = c.lead.substr(std::min(c.lead.size(), who.size() + 1));
  c.lead = fmt::format("{} resumes and {}", who, rest);
  if (it.item.kind != ReadyItem::Kind::wakeup || it.waited_on == no_event) return c;
  // A wake-up says first what ended the wait.
  const auto* w = wait_of(s, it.waited_on);
  if (w && w->kind == Suspension::Kind::as_completed) {
    const auto* again = it.end == End::suspended ? wait_of(s, it.end_at) : nullptr;
    c.lead = again && again->kind == Suspension::Kind::as_completed
                 ? fmt::format("{} resumes with a finished task from as_completed, and awaits "
                               "the next one",
                               who)
                 : fmt::format("as_completed hands {} a finished task, so {}", who, c.lead);
    return c;
  }
  // What it awaited went wrong: the wait ends in an exception (gather's
  // when a child raised or was cancelled).
  const auto outcome = [&](TaskId t) {
    const auto id = static_cast<std::size_t>(t);
    return t >= 0 && id < s.outcome.size() ? s.outcome[id] : TaskOutcome::pending;
  };
  const auto went_wrong = [&](TaskId t) {
    return outcome(t) == TaskOutcome::failed || outcome(t) == TaskOutcome::cancelled;
  };
  const char* how = "is done";
  if (w && w->kind == Suspension::Kind::task && outcome(w->task) == TaskOutcome::failed)
    how = "has failed";
  else if (w && w->kind == Suspension::Kind::task && outcome(w->task) == TaskOutcome::cancelled)
    how = "was cancelled";
  else if (w && w->kind == Suspension::Kind::gather &&
           std::any_of(w->tasks.begin(), w->tasks.end(), went_wrong))
    how = "has failed";
  if (w && w->kind == Suspension::Kind::primitive) {
    // What it left: a Semaphore's places free, a Lock's line.
    std::string left;
    if (const auto* h = s.rec.taken_by(it.who, it.first_event, it.end_event)) {
      if (w->name == "Lock" && h->state.waiting > 0)
        left = fmt::format(" ({} still waiting)", h->state.waiting);
      else if (w->name != "Lock")
        left = fmt::format(" ({} free now)", h->state.free);
    }
    c.lead = fmt::format("{}{}, so {}", primitive_woke(w->name, who), left, c.lead);
    return c;
  }
  c.lead = fmt::format("{} {}, so {}", awaited_thing(s, it.waited_on), how, c.lead);
  return c;
}

std::string blocking(const FrameStory& s, std::size_t index) {
  const auto& it = s.items[index];
  const auto who = task_label(s.rec, it.who);
  Duration total{};
  for (auto d : it.blocks)
    total += d;
  const auto lead =
      it.blocks.size() == 1
          ? fmt::format("{} calls time.sleep({})", who,
                        py_seconds(total, s.clock == ClockKind::real ? 3 : 6))
          : fmt::format("{} calls time.sleep {} ({} s in all)", who, times(it.blocks.size()),
                        py_seconds(total, s.clock == ClockKind::real ? 3 : 6));
  std::vector<std::string> waiting, also;
  for (auto j = index + 1; j < s.items.size(); ++j) {
    const auto& other = s.items[j];
    if (other.who == no_task || other.who == it.who) continue;
    const auto name = task_label(s.rec, other.who);
    if (std::find(waiting.begin(), waiting.end(), name) == waiting.end()) waiting.push_back(name);
    if (!other.blocks.empty()) also.push_back(name);
  }
  if (s.sync) return lead + ": a plain program does one thing at a time";
  auto out = waiting.empty()
                 ? fmt::format("{}: the loop is blocked, nothing else can run meanwhile", lead)
                 : fmt::format("{}: the loop is blocked, {} must wait", lead, names(waiting));
  if (!also.empty())
    out += fmt::format("; then {} {} it too", names(also), also.size() == 1 ? "blocks" : "block");
  else if (it.end == End::suspended)
    out += "; then it " + wait_words(s.rec, it.end_at, s.clock);
  return out;
}

// Several tasks ran, none blocking: "First and Second run in turn, in the
// order they became ready: each awaits asyncio.sleep(2)".
std::string in_turn(const FrameStory& s, const std::vector<const ItemStory*>& ran) {
  std::vector<TaskId> who;
  bool all_new = true;
  std::vector<std::string> endings;
  for (const auto* it : ran) {
    who.push_back(it->who);
    all_new = all_new && it->started;
    const auto c =
        ending(s, *it, false); // the leads only: a thousand finishing say "each finishes"
    const auto name = task_label(s.rec, it->who);
    endings.push_back(c.lead.substr(std::min(c.lead.size(), name.size() + 1)));
  }
  const auto order = all_new ? "were created" : "became ready";
  const bool same = std::all_of(endings.begin(), endings.end(),
                                [&](const std::string& e) { return e == endings.front(); });
  if (same)
    return fmt::format("{} run in turn, in the order they {}: each {}", names(s.rec, who), order,
                       endings.front());
  std::vector<std::string> each;
  for (std::size_t i = 0; i < ran.size(); ++i)
    each.push_back(fmt::format("{} {}", task_label(s.rec, who[i]), endings[i]));
  return fmt::format("{} run in turn, in the order they {}: {}", names(s.rec, who), order,
                     names(each, 2));
}

// The loop's own callbacks: gather's and as_completed's bookkeeping, a done
// callback of the program's, the stop.
std::string callbacks(const FrameStory& s) {
  std::vector<std::string> clauses;
  // gather's bookkeeping, by whom it reports to: a gather a task awaits
  // (by its suspension event, in the order first heard), one that is over
  // already, asyncio.run's own.
  std::vector<std::pair<std::size_t, std::vector<TaskId>>> live;
  std::vector<TaskId> late, own;
  std::size_t late_gather = no_event;
  for (const auto& it : s.items) {
    const auto of = task_label(s.rec, it.item.of);
    switch (it.item.kind) {
    case ReadyItem::Kind::gather: {
      if (it.gather == no_event) {
        own.push_back(it.item.of);
      } else if (it.gather_was_over) {
        late.push_back(it.item.of);
        late_gather = it.gather;
      } else {
        auto g = std::find_if(live.begin(), live.end(),
                              [&](const auto& l) { return l.first == it.gather; });
        if (g == live.end()) g = live.insert(live.end(), {it.gather, {}});
        g->second.push_back(it.item.of);
      }
      break;
    }
    case ReadyItem::Kind::as_completed: {
      std::string waiter;
      for (const auto& r : s.snap.ready) {
        const auto* w = r.kind == ReadyItem::Kind::wakeup && r.task >= 0 &&
                                static_cast<std::size_t>(r.task) < s.last_wait.size()
                            ? wait_of(s, s.last_wait[static_cast<std::size_t>(r.task)])
                            : nullptr;
        if (w && w->kind == Suspension::Kind::as_completed) waiter = task_label(s.rec, r.task);
      }
      clauses.push_back(waiter.empty()
                            ? fmt::format("as_completed hears that {} is done: it waits in its "
                                          "queue for the next await",
                                          of)
                            : fmt::format("as_completed hears that {} is done: {}, waiting for the "
                                          "next task, wakes in the next iteration",
                                          of, waiter));
      break;
    }
    case ReadyItem::Kind::callback:
      clauses.push_back(it.prints.empty()
                            ? fmt::format("{} done callback runs", possessive(of))
                            : fmt::format("{} done callback runs and prints {}", possessive(of),
                                          it.prints.size() == 1
                                              ? std::string("a line")
                                              : fmt::format("{} lines", it.prints.size())));
      break;
    case ReadyItem::Kind::stop: {
      std::vector<TaskId> pending;
      for (std::size_t t = 0; t < s.outcome.size(); ++t)
        if (s.outcome[t] == TaskOutcome::pending) pending.push_back(static_cast<TaskId>(t));
      if (it.item.of == no_task) // asyncio.run's clean-up: the gather of the cancelled tasks
        clauses.emplace_back("every cancelled task has finished, so asyncio.run stops the loop "
                             "for good");
      else if (s.sync)
        clauses.push_back(fmt::format("{} has returned: the program is over", of));
      else if (pending.empty())
        clauses.push_back(fmt::format("{} is done, so asyncio.run stops the loop", of));
      else
        clauses.push_back(fmt::format("{} is done, so asyncio.run stops the loop and cancels "
                                      "{}, still pending",
                                      of, names(s.rec, pending)));
      break;
    }
    case ReadyItem::Kind::timer:
      clauses.push_back(fmt::format("{} sleep is over: it resumes in the next iteration",
                                    possessive(task_label(s.rec, it.item.task))));
      break;
    case ReadyItem::Kind::timer_callback: {
      const auto who = possessive(task_label(s.rec, it.item.task));
      const auto what = it.item.what;
      clauses.push_back(
          what == "to_thread"
              ? fmt::format("{} to_thread work is over: its result is handed back", who)
          : what == "timeout"
              ? fmt::format("{} asyncio.timeout expires: the task is cancelled", who)
              : fmt::format("{} {} timeout passes: it stops waiting", who, what));
      break;
    }
    default:
      break;
    }
  }
  std::vector<std::string> heard;
  const auto failed = [&](TaskId t) {
    return t >= 0 && static_cast<std::size_t>(t) < s.outcome.size() &&
           (s.outcome[static_cast<std::size_t>(t)] == TaskOutcome::failed ||
            s.outcome[static_cast<std::size_t>(t)] == TaskOutcome::cancelled);
  };
  for (const auto& [event, children] : live) {
    const auto who = names(s.rec, children);
    const auto verb = children.size() == 1 ? "is" : "are";
    const auto* gather = wait_of(s, event);
    const auto awaiter = task_label(s.rec, s.rec.events()[event].task);
    const auto at = s.gathers.find(event);
    const auto so_far = at == s.gathers.end() ? 0 : at->second.heard;
    const auto n = gather ? gather->tasks.size() : 0;
    if (const auto bad = std::find_if(children.begin(), children.end(), failed);
        bad != children.end()) {
      // "coffee was cancelled", "bad has failed": the first is the gather's fate.
      const auto how = fmt::format(
          "{} {}", task_label(s.rec, *bad),
          s.outcome[static_cast<std::size_t>(*bad)] == TaskOutcome::cancelled ? "was cancelled"
                                                                              : "has failed");
      heard.push_back(fmt::format(
          "gather hears that {}: gather fails too, and {} wakes in the next iteration",
          children.size() == 1 ? how : fmt::format("{} {} done, and {}", who, verb, how), awaiter));
    } else if (so_far < n)
      heard.push_back(fmt::format("gather hears that {} {} done ({} of {}): {} keeps waiting", who,
                                  verb, so_far, n, awaiter));
    else
      heard.push_back(fmt::format("gather hears that {} {} done, the last of {}: {} wakes in the "
                                  "next iteration",
                                  who, verb, n, awaiter));
  }
  if (!late.empty())
    heard.push_back(late.size() == 1
                        ? fmt::format("{} is over already, so {} end changes nothing",
                                      awaited_thing(s, late_gather),
                                      possessive(task_label(s.rec, late[0])))
                        : fmt::format("{} is over already, so the ends of {} change nothing",
                                      awaited_thing(s, late_gather), names(s.rec, late)));
  if (!own.empty()) {
    // No task awaits it: asyncio.run's own, over the tasks it cancelled.
    const auto who = names(s.rec, own);
    const auto verb = own.size() == 1 ? "is" : "are";
    const bool cleanup = !s.outcome.empty() && s.outcome[0] != TaskOutcome::pending;
    heard.push_back(cleanup ? fmt::format("asyncio.run hears that {} {} done cancelling", who, verb)
                            : fmt::format("gather hears that {} {} done", who, verb));
  }
  clauses.insert(clauses.begin(), heard.begin(), heard.end());
  if (clauses.empty()) return "the loop runs its callbacks";
  auto out = clauses[0];
  for (std::size_t i = 1; i < clauses.size(); ++i)
    out += "; then " + clauses[i];
  return out;
}

// The first coroutine `function` awaits after `line` (its own code, not
// asyncio's): "eggs()" after "result = await coffee()". Empty if none.
std::string next_awaited(const std::vector<std::string>& program, const std::string& function,
                         int line) {
  const auto indent = [](const std::string& t) { return t.find_first_not_of(' '); };
  int def = line;
  while (def >= 1) { // the function's own def
    const auto& t = program[static_cast<std::size_t>(def - 1)];
    const auto at = indent(t);
    if (at != std::string::npos &&
        (t.compare(at, 10 + function.size(), "async def " + function) == 0 ||
         t.compare(at, 4 + function.size(), "def " + function) == 0))
      break;
    --def;
  }
  if (def < 1) return {};
  const auto body = indent(program[static_cast<std::size_t>(def - 1)]);
  for (auto n = static_cast<std::size_t>(line); n < program.size(); ++n) {
    const auto& t = program[n];
    const auto at = indent(t);
    if (at == std::string::npos) continue;
    if (at <= body) break; // past the function's end
    for (auto a = t.find("await "); a != std::string::npos; a = t.find("await ", a + 6)) {
      auto b = a + 6, e = b;
      while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '_'))
        ++e;
      if (e > b && e < t.size() && t[e] == '(') return t.substr(b, e - b) + "()";
    }
  }
  return {};
}

// Why nothing else runs while the one task left is inside a coroutine it
// awaits inline (await mode): what it has not called yet cannot run.
std::string still_inside(const FrameStory& s) {
  if (s.items.empty()) return {};
  const auto& first = s.items.front();
  const auto who = first.who != no_task ? first.who : first.item.task;
  if (who < 0 || static_cast<std::size_t>(who) >= s.last_wait.size()) return {};
  for (std::size_t t = 0; t < s.outcome.size(); ++t)
    if (static_cast<TaskId>(t) != who && s.outcome[t] == TaskOutcome::pending) return {};
  const auto wait = s.last_wait[static_cast<std::size_t>(who)];
  if (wait == no_event) return {};
  const auto& chain = s.rec.chain_at(wait);
  if (chain.size() < 2) return {};
  const auto inside =
      fmt::format("{} is still inside await {}()", task_label(s.rec, who), chain[1].function);
  const auto next =
      s.program ? next_awaited(*s.program, chain[0].function, chain[0].line) : std::string();
  if (!next.empty())
    return fmt::format("; {} has not been called yet: {}, so nothing else can run", next, inside);
  return fmt::format("; {}, so nothing else can run", inside);
}

std::string plain(const FrameStory& s) {
  if (s.waited) {
    const bool all_timers = std::all_of(s.items.begin(), s.items.end(), [](const ItemStory& it) {
      return it.item.kind == ReadyItem::Kind::timer;
    });
    if (all_timers)
      return (s.clock == ClockKind::virtual_time ? "nothing is ready: the clock jumps to "
                                                 : "nothing is ready: the loop sleeps until ") +
             when_sleeps_end(s) + still_inside(s);
  }
  for (std::size_t i = 0; i < s.items.size(); ++i)
    if (!s.items[i].blocks.empty()) return blocking(s, i);
  std::vector<const ItemStory*> ran;
  for (const auto& it : s.items)
    if (it.ran_task()) ran.push_back(&it);
  if (ran.size() == 1) {
    const auto c = task_clause(s, *ran.front());
    auto out = c.why.empty() ? c.lead : c.lead + ": " + c.why;
    // A done callback of the program's, or the stop, that ran beside it.
    std::string before, after;
    bool seen = false;
    for (const auto& it : s.items) {
      if (&it == ran.front()) seen = true;
      if (it.item.kind != ReadyItem::Kind::callback && it.item.kind != ReadyItem::Kind::stop)
        continue;
      FrameStory one{s.rec, s.clock,   s.sync,      s.snap,      false,     false,    {it},
                     {},    s.outcome, s.last_wait, s.gather_of, s.gathers, s.program};
      (seen ? after : before) += callbacks(one) + "; then ";
    }
    if (!after.empty()) after = "; then " + after.substr(0, after.size() - 7);
    return before + out + after;
  }
  if (ran.size() > 1) return in_turn(s, ran);
  return callbacks(s);
}

} // namespace

std::string caption(const FrameStory& s) {
  auto out = plain(s);
  if (s.interrupted) out = "interrupted (Ctrl-C): asyncio.run cancels main; " + out;
  if (!s.warnings.empty())
    out += fmt::format(" (Python warns: {})", s.rec.events()[s.warnings.front()].text);
  return out;
}

} // namespace asyncdemo::report_detail
