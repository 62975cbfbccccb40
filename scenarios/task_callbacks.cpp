// Seed 002 §34.5: do_something wraps worker in a task, adds a done callback
// that prints the result, awaits the task, then asks it cancelled(), done(),
// result() and exception(). With --cancel it cancels the task while the
// worker sleeps: the same questions then answer as asyncio does for a
// cancelled task (cancelled() true, result() and exception() raise).
#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;
using namespace std::chrono_literals;

Coro<int> worker() {
  print("worker - will take some time");
  co_await sleep(1s); // pause: do_something can run
  print("worker - Done it");
  co_return 42;
}

// The seed's print_it, which would raise on a cancelled task: it says so
// instead.
void print_it(Task<int>& task) {
  if (task.cancelled())
    print("print_it - the task was cancelled");
  else
    print("print_it result: {}", task.result());
}

std::string_view python_bool(bool b) {
  return b ? "True" : "False";
}

Coro<> do_something(bool cancel) {
  print("do_something - create task for worker");
  auto task = create_task(worker(), "worker");
  print("do_something - add a callback");
  task.add_done_callback(print_it);
  if (cancel) {
    co_await sleep(500ms); // the worker starts and sleeps
    print("do_something - cancel the task");
    task.cancel();
  }
  try {
    co_await task;
  } catch (const CancelledError&) {
    print("do_something - await task raised CancelledError");
  }
  // Information on task
  print("do_something - task.cancelled(): {}", python_bool(task.cancelled()));
  print("do_something - task.done(): {}", python_bool(task.done()));
  try {
    print("do_something - task.result(): {}", task.result());
  } catch (const CancelledError&) {
    print("do_something - task.result() raised CancelledError");
  }
  try {
    print("do_something - task.exception(): {}", describe(task.exception()));
  } catch (const CancelledError&) {
    print("do_something - task.exception() raised CancelledError");
  }
  print("do_something - finished");
}

// The seed's main(): prints around asyncio.run(do_something()).
Coro<> task_callbacks_main(const Context& ctx) {
  print("Main - Starting");
  co_await do_something(ctx.params.get("cancel") == "true");
  print("Main - Done");
}

PythonSource task_callbacks_python(const Context& ctx) {
  const bool cancel = ctx.params.get("cancel") == "true";
  const std::string cancel_source =
      R"(    await asyncio.sleep(0.5 * SCALE)  # the worker starts and sleeps
    print("do_something - cancel the task")
    task.cancel()
)";
  return {R"(async def worker():
    print("worker - will take some time")
    await asyncio.sleep(1 * SCALE)  # pause: do_something can run
    print("worker - Done it")
    return 42


# The seed's print_it, which would raise on a cancelled task: it says so
# instead.
def print_it(task):
    if task.cancelled():
        print("print_it - the task was cancelled")
    else:
        print("print_it result:", task.result())


async def do_something():
    print("do_something - create task for worker")
    task = asyncio.create_task(worker(), name="worker")
    print("do_something - add a callback")
    task.add_done_callback(print_it)
)" + (cancel ? cancel_source : "") +
              R"(    try:
        await task
    except asyncio.CancelledError:
        print("do_something - await task raised CancelledError")
    # Information on task
    print("do_something - task.cancelled():", task.cancelled())
    print("do_something - task.done():", task.done())
    try:
        print("do_something - task.result():", task.result())
    except asyncio.CancelledError:
        print("do_something - task.result() raised CancelledError")
    try:
        print("do_something - task.exception():", task.exception())
    except asyncio.CancelledError:
        print("do_something - task.exception() raised CancelledError")
    print("do_something - finished")
)",
          "do_something()"};
}

std::string check_cancel(std::string_view text) {
  if (text == "true" || text == "false") return {};
  return fmt::format("{} is not true or false; use --cancel alone to cancel the task", quote(text));
}

const Registration registration{Scenario{
    .name = "task-callbacks",
    .seed = "002 §34.5",
    .summary = "create_task, add_done_callback, then cancelled/done/result/exception: 1 s; "
               "--cancel cancels it",
    .modes = {Mode::create_task},
    .default_mode = Mode::create_task,
    .params = {{.name = "cancel",
                .help = "Cancel the task while the worker sleeps (at 0.5 s)",
                .default_value = "false",
                .check = check_cancel,
                .flag = true}},
    .main = task_callbacks_main,
    .python = task_callbacks_python,
}};

} // namespace
