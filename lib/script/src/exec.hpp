#pragma once
// What both executors of a Script share (private to the teaching layer):
// the run's state, a body's slots and the steps that await nothing. The
// coroutine interpreter (interpreter.cpp) awaits the sleeps a step returns;
// the model (model.cpp) works the same steps out on a clock of its
// own, without a loop.
#include "asyncdemo/duration.hpp"
#include "asyncdemo/event.hpp"
#include "asyncdemo/lock.hpp"
#include "asyncdemo/queue.hpp"
#include "asyncdemo/ref.hpp"
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/semaphore.hpp"
#include "asyncdemo/teach/scenario.hpp"
#include "asyncdemo/teach/source.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace asyncdemo::script {

// The model's clock: while it is set, a step prints nothing, a block moves
// it on and now() reads it (model.cpp).
struct ModelClock {
  Duration now{};
};

// A primitive of [shared], made for one run (a value of [shared] is a
// global instead, and leaves this empty).
struct SharedPrimitive {
  std::unique_ptr<Lock> lock;
  std::unique_ptr<Semaphore> semaphore; // a BoundedSemaphore too
  std::unique_ptr<Event> event;
  std::unique_ptr<Queue<Object>> queue;
};

// Where a run's steps are in the program --python prints, for a view of the
// loop (Context::source): each step's line, and each task's frames (its own
// body, then each coroutine it awaits inline), innermost last.
struct SourceLines {
  SourceTrace* trace = nullptr;
  std::unordered_map<const void*, int> line_of; // a step (or main's own part) → its line
  std::map<TaskId, std::vector<SourceFrame>> stacks;

  std::vector<SourceFrame> where() const;
  // A body begins in the running task (as its own, or awaited inline) and
  // ends; `at`: the running task's innermost body is at this step.
  TaskId enter(const std::string& function);
  void leave(TaskId task);
  void at(const void* origin);
};

// A body's frame while it runs, when the run is followed (a null run
// follows nothing).
class SourceFrameGuard {
public:
  SourceFrameGuard(SourceLines* lines, const std::string& function)
      : lines_(lines), task_(lines ? lines->enter(function) : no_task) {}
  ~SourceFrameGuard() {
    if (lines_) lines_->leave(task_);
  }
  SourceFrameGuard(const SourceFrameGuard&) = delete;
  SourceFrameGuard& operator=(const SourceFrameGuard&) = delete;

private:
  SourceLines* lines_;
  TaskId task_;
};

// What every coroutine of one run shares. Held by reference count: tasks
// still running when main ends (an interrupt, asyncio.run's clean-up) must
// not outlive it.
struct RunState {
  std::shared_ptr<const Script> script;
  std::vector<Object> globals; // the parameters' values, then [values], then [shared] values
  std::vector<SharedPrimitive> shared; // by [shared]'s order
  Random rng;
  ModelClock* model = nullptr;         // set: the steps are worked out, not run
  std::unique_ptr<SourceLines> source; // set: a view follows where the steps are
  std::uint32_t refs = 0;

  RunState(std::shared_ptr<const Script> s, std::vector<Object> g, std::uint64_t seed)
      : script(std::move(s)), globals(std::move(g)), rng(seed) {}
  void add_ref() noexcept { ++refs; }
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};
using RunRef = Ref<RunState>;

// The run's parameters read from the context, then its [values] evaluated
// in order (drawing random numbers before main, as the twin's module does).
RunRef prepare_run(std::shared_ptr<const Script> script, const Context& ctx);

// The running step's line, for a followed run.
inline void source_at(RunState& run, const void* origin) {
  if (run.source) [[unlikely]]
    run.source->at(origin);
}

// A body's value slots, on the heap only when it has any (a swarm's
// million jobs have none).
struct Slots {
  std::unique_ptr<Object[]> values;
  std::uint32_t n = 0;

  explicit Slots(std::size_t count) : n(static_cast<std::uint32_t>(count)) {
    if (count) values = std::make_unique<Object[]>(count);
  }

  Object& operator[](int slot) { return values[static_cast<std::size_t>(slot)]; }
};

Object evaluate(const Expr& e, RunState& run, Slots& slots);
std::string render(const FString& f, RunState& run, Slots& slots);
// A count (a repeat's, a job's), as range() takes it: `what` names it in
// the error past max_count.
std::int64_t count_of(const Object& v, std::string_view what);
// A Semaphore's initial value, and a Queue's maxsize, as asyncio takes them.
int semaphore_value(const Object& v);
int queue_size(const Object& v);

// Seconds as asyncio.sleep takes them (op sleep) or time.sleep (op block,
// or any in sync mode): a number; a negative sleep is 0, a negative block
// an error, as in Python.
Duration seconds_of(const Object& v, Instr::Op op, bool sync);
// A timeout's seconds: any number, a negative one already past.
Duration timeout_of(const Object& v);

// No sleep to await (what step returns for every other step).
constexpr Duration no_sleep{-1};

// The steps every body may take without awaiting another coroutine
// (Instr::Op::print ... ret). Returns the sleep to await, if the step is
// one (the caller awaits it: only a coroutine can), else no_sleep; moves pc
// on; sets `done` after a return.
Duration step(const std::vector<Instr>& code, std::uint32_t& pc, RunState& run, Slots& slots,
              Object* result, bool sync, bool& done);

// A job's index and item, in the slots its body reads them from.
void start_slots(const Coroutine& c, Slots& slots, std::uint32_t index, const Object* item);

// The jobs as the mode runs them: each job once, or once per index of its
// count, or once per item of its each. Kept as groups, not one entry per
// task: a swarm's million tasks need no list of their own.
struct Group {
  const Coroutine* job;
  std::uint32_t count;
  const List* items; // each: the items (kept alive by the caller)
};

std::vector<Group> groups_of(const Script& s, const std::vector<Object>& globals,
                             std::vector<Object>& items_kept);

// Why `tasks` job tasks would not fit in the memory this process may still
// use (a file's count is checked before any is made), or nothing.
std::optional<std::string> too_many_tasks(const Script& s, std::size_t tasks);

inline const Object* item_of(const Group& g, std::uint32_t i) {
  return g.items ? &(*g.items)[i] : nullptr;
}

} // namespace asyncdemo::script
