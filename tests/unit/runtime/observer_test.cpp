// The loop observer: what it is told, the view of the queues it may ask for
// at each iteration, and that without one nothing is numbered or kept.
#include "../test_support.hpp"
#include "asyncdemo/asyncdemo.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace asyncdemo;
using namespace std::chrono_literals;

namespace {

// Keeps, per iteration, "t=1.000 ready=[step 1, step 2] sleepers=[1@6.000]".
class QueueWatcher final : public LoopObserver {
public:
  bool wants_iterations() const override { return true; }
  void task_created(Duration, TaskId id, std::string_view name) override {
    names.resize(static_cast<std::size_t>(id) + 1);
    names[static_cast<std::size_t>(id)] = name;
  }
  void iteration_began(const LoopView& view) override {
    std::string ready, sleepers;
    for (const auto& r : view.ready())
      ready += fmt::format("{}{} {}", ready.empty() ? "" : ", ", kind(r), who(r));
    for (const auto& s : view.sleepers())
      sleepers += fmt::format("{}{}@{:.3f}", sleepers.empty() ? "" : ", ", name(s.task),
                              to_seconds(s.deadline));
    lines.push_back(
        fmt::format("t={:.3f} ready=[{}] sleepers=[{}]", to_seconds(view.now()), ready, sleepers));
  }

  std::vector<std::string> lines;
  std::vector<std::string> names;

private:
  std::string name(TaskId id) const {
    return id >= 0 && static_cast<std::size_t>(id) < names.size()
               ? names[static_cast<std::size_t>(id)]
               : "?";
  }
  static const char* kind(const ReadyItem& r) {
    switch (r.kind) {
    case ReadyItem::Kind::step:
      return "step";
    case ReadyItem::Kind::timer:
      return "timer";
    case ReadyItem::Kind::wakeup:
      return "wakeup";
    case ReadyItem::Kind::gather:
      return "gather";
    case ReadyItem::Kind::as_completed:
      return "as_completed";
    case ReadyItem::Kind::callback:
      return "callback";
    case ReadyItem::Kind::stop:
      return "stop";
    }
    return "?";
  }
  std::string who(const ReadyItem& r) const {
    if (r.kind == ReadyItem::Kind::step || r.kind == ReadyItem::Kind::timer) return name(r.task);
    if (r.kind == ReadyItem::Kind::wakeup) return name(r.task) + "<-" + name(r.of);
    return name(r.of);
  }
};

Coro<> job(double prep, double wait) {
  block(prep);
  co_await sleep(wait);
}

Coro<> gather_two() {
  co_await gather(named("coffee", job(1, 5)), named("eggs", job(1, 3)));
}

} // namespace

TEST_CASE("observer: each iteration's ready queue in order, and the sleepers by deadline") {
  QueueWatcher w;
  Loop loop(LoopConfig{.observer = &w});
  loop.run(gather_two());
  CHECK(test::joined(w.lines) ==
        test::joined({
            "t=0.000 ready=[step main] sleepers=[]",
            // gather made both tasks: they run in the order they were created
            "t=0.000 ready=[step coffee, step eggs] sleepers=[]",
            "t=5.000 ready=[timer eggs] sleepers=[coffee@6.000]",
            "t=5.000 ready=[step eggs] sleepers=[coffee@6.000]",
            "t=5.000 ready=[gather eggs] sleepers=[coffee@6.000]",
            "t=6.000 ready=[timer coffee] sleepers=[]",
            "t=6.000 ready=[step coffee] sleepers=[]",
            "t=6.000 ready=[gather coffee] sleepers=[]",
            "t=6.000 ready=[wakeup main<-?] sleepers=[]",
            "t=6.000 ready=[stop main] sleepers=[]",
        }));
}

TEST_CASE("observer: none attached, no task is numbered and nothing is kept") {
  Loop loop;
  Task<> seen;
  loop.run([](Task<>& out) -> Coro<> {
    out = create_task(job(0, 1));
    auto named_task = create_task(job(0, 1), "named");
    CHECK(out.id() == no_task);
    CHECK(out.name().empty()); // no number: no "Task-N" either
    CHECK(named_task.name() == "named");
    co_await out;
    co_await named_task;
  }(seen));
  CHECK(seen.done());
}

TEST_CASE("observer: one that follows named tasks only numbers those") {
  test::RecordedLoop loop(LoopConfig{}, false);
  loop.run([]() -> Coro<> {
    auto a = create_task(job(0, 1));
    auto b = create_task(job(0, 2), "b");
    CHECK(a.id() == no_task);
    CHECK(b.id() == 1); // main is 0
    co_await a;
    co_await b;
  }());
  REQUIRE(loop.recorder().tasks().size() == 2);
  CHECK(loop.recorder().tasks()[1].name == "b");
}

TEST_CASE("observer: unnamed tasks are named as asyncio names them") {
  test::RecordedLoop loop;
  loop.run(
      []() -> Coro<> {
        auto a = create_task(job(0, 1));
        CHECK(a.name() == "Task-2");
        co_await a;
      }(),
      "");
  CHECK(loop.recorder().tasks()[0].name == "Task-1");
}

TEST_CASE("observer: where each item's events start, and what the iteration left") {
  // Per iteration: "ran [main@0] left [coffee, eggs] sleepers []"
  class Ends final : public LoopObserver {
  public:
    bool wants_iterations() const override { return true; }
    void printed(Duration, TaskId, std::string_view) override { ++events; }
    void task_started(Duration, TaskId) override { ++events; }
    void iteration_began(const LoopView& view) override {
      line = fmt::format("t={:.3f} items@", to_seconds(view.now()));
      first = true;
    }
    void item_began(std::size_t index) override {
      line += fmt::format("{}{}:{}", first ? "" : ",", index, events);
      first = false;
    }
    void iteration_ended(const LoopView& view) override {
      lines.push_back(fmt::format("{} end={:.3f} left={} sleepers={}", line, to_seconds(view.now()),
                                  view.ready().size(), view.sleepers().size()));
    }
    std::vector<std::string> lines;
    std::string line;
    bool first = true;
    int events = 0;
  } w;
  Loop loop(LoopConfig{.observer = &w});
  loop.run(gather_two());
  CHECK(test::joined(w.lines) ==
        test::joined({
            "t=0.000 items@0:0 end=0.000 left=2 sleepers=0", // main starts in item 0
            // coffee blocks from 0 to 1, eggs from 1 to 2
            "t=0.000 items@0:1,1:2 end=2.000 left=0 sleepers=2",
            "t=5.000 items@0:3 end=5.000 left=1 sleepers=1",
            "t=5.000 items@0:3 end=5.000 left=1 sleepers=1",
            "t=5.000 items@0:3 end=5.000 left=0 sleepers=1",
            "t=6.000 items@0:3 end=6.000 left=1 sleepers=0",
            "t=6.000 items@0:3 end=6.000 left=1 sleepers=0",
            "t=6.000 items@0:3 end=6.000 left=1 sleepers=0",
            "t=6.000 items@0:3 end=6.000 left=1 sleepers=0",
            "t=6.000 items@0:3 end=6.000 left=0 sleepers=0",
        }));
}

TEST_CASE("observer: a task awaiting gather is told its children, if iterations are wanted") {
  class Waits final : public LoopObserver {
  public:
    explicit Waits(bool iterations) : iterations_(iterations) {}
    bool wants_iterations() const override { return iterations_; }
    void task_suspended(Duration, TaskId task, const Suspension& s) override {
      std::string ids;
      for (auto t : s.tasks)
        ids += fmt::format("{}{}", ids.empty() ? "" : ",", t);
      lines.push_back(fmt::format("{}:{}[{}]", task, static_cast<int>(s.kind), ids));
    }
    std::vector<std::string> lines;

  private:
    bool iterations_;
  };
  const auto gather_kind = static_cast<int>(Suspension::Kind::gather);
  const auto sleep_kind = static_cast<int>(Suspension::Kind::sleep);
  Waits seen(true), blind(false);
  Loop(LoopConfig{.observer = &seen}).run(gather_two());
  Loop(LoopConfig{.observer = &blind}).run(gather_two());
  CHECK(seen.lines.front() == fmt::format("0:{}[1,2]", gather_kind));
  CHECK(blind.lines.front() == fmt::format("0:{}[]", gather_kind)); // a swarm's million: not listed
  CHECK(seen.lines[1] == fmt::format("1:{}[]", sleep_kind));

  // as_completed's awaiter waits on the next task it hands out.
  Waits next(false);
  Loop(LoopConfig{.observer = &next}).run([]() -> Coro<> {
    std::vector<Task<>> tasks;
    tasks.push_back(create_task(job(0, 1)));
    for (auto f : as_completed(std::move(tasks)))
      co_await f;
  }());
  CHECK(next.lines.front() ==
        fmt::format("0:{}[]", static_cast<int>(Suspension::Kind::as_completed)));
}

TEST_CASE("recorder: snapshots only when asked, each event in one iteration") {
  test::RecordedLoop plain;
  plain.run(gather_two());
  CHECK(plain.recorder().snapshots().empty());
  CHECK(plain.recorder().wait_at(4) == nullptr);

  Recorder rec;
  rec.keep_snapshots(); // before the loop is made: it asks once
  Loop(LoopConfig{.observer = &rec}).run(gather_two());
  const auto& snaps = rec.snapshots();
  REQUIRE(snaps.size() == 10);
  CHECK(snaps.front().first_event == 0); // main made before the first iteration: in it
  for (std::size_t i = 1; i < snaps.size(); ++i)
    CHECK(snaps[i].first_event == snaps[i - 1].end_event);
  CHECK(snaps.back().end_event == rec.events().size());
  CHECK(snaps[1].ran.size() == 2);
  CHECK(snaps[1].item_events.size() == 2);
  CHECK(snaps[1].ended == 2s);
  CHECK(snaps[2].began == 5s); // the jump
  REQUIRE(snaps[1].sleepers.size() == 2);
  CHECK(snaps[1].sleepers[0].deadline == 5s); // eggs first: earliest deadline
  // main's suspension, in full.
  const auto& events = rec.events();
  std::size_t suspended = 0;
  while (events[suspended].kind != EventKind::task_suspended)
    ++suspended;
  const auto* w = rec.wait_at(suspended);
  REQUIRE(w != nullptr);
  CHECK(w->kind == Suspension::Kind::gather);
  CHECK(w->tasks == std::vector<TaskId>{1, 2});
  CHECK(events[suspended].text == "await"); // -v's words, as before
}

TEST_CASE("observer: the earliest sleepers are the first of all of them, ties in order") {
  // Compared at each iteration: the first few, found bucket by bucket, are
  // the head of the whole sorted list.
  class Heads final : public LoopObserver {
  public:
    bool wants_iterations() const override { return true; }
    void iteration_ended(const LoopView& view) override {
      const auto all = view.sleepers();
      for (std::size_t limit : {0u, 1u, 3u, 7u, 1000u}) {
        const auto head = view.earliest_sleepers(limit);
        REQUIRE(head.size() == std::min(limit, all.size()));
        for (std::size_t i = 0; i < head.size(); ++i) {
          CHECK(head[i].task == all[i].task);
          CHECK(head[i].deadline == all[i].deadline);
        }
      }
      most = std::max(most, all.size());
    }
    std::size_t most = 0;
  } heads;
  Loop loop(LoopConfig{.observer = &heads});
  loop.run([]() -> Coro<> {
    std::vector<Task<>> tasks;
    // Deadlines from 0 to 3 s, many equal, some a bucket (1 ms) apart.
    for (int i = 0; i < 60; ++i)
      tasks.push_back(
          create_task(job(0, (i * 7 % 13) * 0.25 + (i % 3) * 0.0005), "t" + std::to_string(i)));
    for (auto& t : tasks)
      co_await t;
  }());
  CHECK(heads.most > 50); // those sleeping 0 s only yield
}
