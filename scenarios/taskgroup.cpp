// Beyond the seeds: Python 3.11's structured concurrency. Three children
// (download 2 s, parse 1 s, upload 3 s) under an asyncio.TaskGroup; one
// fails (--fail). The group cancels the others at once and raises the
// failures together, as an ExceptionGroup, which main catches with
// except*. --mode=gather shows what gather does instead: it raises the
// first failure to main and lets the others run on (main then waits to see
// them end); --return-exceptions makes it hand back every outcome instead.
// --uncaught leaves main without its except: the run fails as CPython's
// would, exit status 1 and the traceback's last line.
//
// A compiled scenario, not a file: a file has no except (or except*), so
// it could not catch the group, or gather's error, and go on to show what
// became of each child.
//
// The children print nothing when cancelled: CPython cancels a failing
// group's other tasks in set order, which varies from run to run; main
// says how each ended, in a fixed order, once the group is done.
#include "typed_params.hpp"

namespace {

using namespace asyncdemo;
using namespace asyncdemo::typed_params;

struct Child {
  const char* name;
  int seconds;
};
constexpr std::array<Child, 3> children{{{"download", 2}, {"parse", 1}, {"upload", 3}}};

Coro<std::string> child(std::string name, double seconds, bool fails) {
  print("{}: starts ({:g} s)", name, seconds);
  co_await sleep(seconds);
  if (fails) {
    print("{}: fails", name);
    throw ValueError(name + " failed");
  }
  print("{}: done", name);
  co_return name;
}

// How a task ended, as main tells it.
std::string state(const Task<std::string>& t) {
  if (t.cancelled()) return "cancelled";
  if (auto e = t.exception()) return "failed with " + python_repr(e);
  return "done: '" + t.result() + "'";
}

void tell(const std::vector<Task<std::string>>& tasks) {
  for (const auto& t : tasks)
    print("main: {} {}", t.name(), state(t));
}

std::vector<Coro<std::string>> coros(const std::string& fail) {
  std::vector<Coro<std::string>> out;
  for (const auto& c : children)
    out.push_back(child(c.name, c.seconds, fail == c.name));
  return out;
}

Coro<> with_group(std::string fail, bool uncaught) {
  std::vector<Task<std::string>> tasks;
  std::exception_ptr group_error;
  try {
    TaskGroup tg; // the body below cannot raise: nothing for exit() to take
    auto started = coros(fail);
    for (std::size_t i = 0; i < children.size(); ++i)
      tasks.push_back(tg.create_task(std::move(started[i]), children[i].name));
    print("main: all three started; the group waits for them");
    co_await tg.exit();
  } catch (const ExceptionGroup&) {
    if (uncaught) throw;
    group_error = std::current_exception();
  }
  if (group_error)
    print("main: the group raised {} at {:.3f} s", python_repr(group_error), to_seconds(now()));
  tell(tasks);
}

Coro<> with_gather(std::string fail, bool uncaught, bool return_exceptions) {
  std::vector<Task<std::string>> tasks;
  auto started = coros(fail);
  for (std::size_t i = 0; i < children.size(); ++i)
    tasks.push_back(create_task(std::move(started[i]), children[i].name));
  print("main: all three started; gather waits for them");
  if (return_exceptions) {
    auto outcomes = co_await gather(tasks, asyncdemo::return_exceptions);
    std::vector<std::string> shown;
    for (const auto& o : outcomes)
      shown.push_back(o.ok() ? "'" + *o.value + "'" : python_repr(o.error));
    asyncdemo::print("main: gather gave [{}]", fmt::join(shown, ", "));
  } else {
    std::exception_ptr error;
    try {
      auto results = co_await gather(tasks);
      asyncdemo::print("main: gather gave ['{}']", fmt::join(results, "', '"));
    } catch (const ValueError&) {
      if (uncaught) throw;
      error = std::current_exception();
    }
    if (error) {
      print("main: gather raised {} at {:.3f} s; the others go on", python_repr(error),
            to_seconds(now()));
      co_await wait(tasks); // to see how they end
    }
  }
  tell(tasks);
}

Coro<> taskgroup_main(const Context& ctx) {
  const auto fail = ctx.params.get("fail");
  if (ctx.mode == Mode::gather)
    co_await with_gather(fail, flag(ctx, "uncaught"), flag(ctx, "return-exceptions"));
  else
    co_await with_group(fail, flag(ctx, "uncaught"));
}

PythonSource taskgroup_python(const Context& ctx) {
  const auto fail = ctx.params.get("fail");
  const bool uncaught = flag(ctx, "uncaught");
  std::string out = fmt::format(R"py(FAIL = {}  # the child that fails
CHILDREN = [("download", 2), ("parse", 1), ("upload", 3)]


async def child(name, seconds, fails):
    print(f"{{name}}: starts ({{seconds:g}} s)")
    await asyncio.sleep(seconds * SCALE)
    if fails:
        print(f"{{name}}: fails")
        raise ValueError(f"{{name}} failed")
    print(f"{{name}}: done")
    return name


def state(task):
    if task.cancelled():
        return "cancelled"
    if task.exception() is not None:
        return f"failed with {{task.exception()!r}}"
    return f"done: {{task.result()!r}}"


def tell(tasks):
    for task in tasks:
        print(f"main: {{task.get_name()}} {{state(task)}}")


)py",
                                fail == "none" ? std::string("None") : py_str(fail));
  if (ctx.mode == Mode::gather) {
    out += R"py(async def main():
    tasks = [asyncio.create_task(child(name, seconds, name == FAIL), name=name)
             for name, seconds in CHILDREN]
    print("main: all three started; gather waits for them")
)py";
    if (flag(ctx, "return-exceptions"))
      out += R"py(    results = await asyncio.gather(*tasks, return_exceptions=True)
    print(f"main: gather gave {results!r}")
)py";
    else if (uncaught)
      out += R"py(    results = await asyncio.gather(*tasks)  # a failure goes on up: main fails
    print(f"main: gather gave {results!r}")
)py";
    else
      out += R"py(    try:
        results = await asyncio.gather(*tasks)
        print(f"main: gather gave {results!r}")
    except ValueError as e:
        print(f"main: gather raised {e!r} at {now():.3f} s; the others go on")
        await asyncio.wait(tasks)  # to see how they end
)py";
  } else {
    const std::string group = R"py(async with asyncio.TaskGroup() as tg:
    for name, seconds in CHILDREN:
        tasks.append(tg.create_task(child(name, seconds, name == FAIL), name=name))
    print("main: all three started; the group waits for them")
)py";
    out += "async def main():\n    tasks = []\n";
    if (uncaught)
      out += "    # No except*: the group's ExceptionGroup goes on up, and main fails.\n" +
             indented(group, 4);
    else
      out += "    try:\n" + indented(group, 8) +
             "    except* ValueError as eg:\n"
             "        print(f\"main: the group raised {eg!r} at {now():.3f} s\")\n";
  }
  out += "    tell(tasks)\n";
  return {out};
}

std::string check_run(Mode mode, const Params& params) {
  if (mode != Mode::gather && params.get("return-exceptions") == "true")
    return "--return-exceptions is gather's (gather(..., return_exceptions=True)); add "
           "--mode=gather, or drop it";
  return {};
}

const Registration registration{Scenario{
    .name = "taskgroup",
    .seed = "beyond the seeds",
    .summary = "a TaskGroup of three, one fails: the others are cancelled, the failures "
               "come out together; gather instead",
    .modes = {Mode::create_task, Mode::gather},
    .default_mode = Mode::create_task,
    .params = {choice_param("fail", {"parse", "download", "upload", "none"},
                            "Which child fails (download takes 2 s, parse 1 s, upload 3 s), or "
                            "none"),
               flag_param("uncaught", "main does not catch the failure: the run fails as "
                                      "CPython's would (exit status 1)"),
               flag_param("return-exceptions", "gather only: every child's outcome comes back, "
                                               "exceptions included, and nothing is raised")},
    .main = taskgroup_main,
    .python = taskgroup_python,
    .check = check_run,
}};

} // namespace
