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
    case ReadyItem::Kind::timer_callback:
      return "timer_callback";
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
