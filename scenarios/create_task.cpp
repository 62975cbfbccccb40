// Seed 004: create_task schedules a coroutine; when it runs depends on what
// main does next. Four versions of the seed's main(), one per --variant:
//   no-await  shav, finished, text  (foo runs only once main has returned)
//   await     shav, text, finished  (main waits for foo)
//   sleep     shav, text, finished  (main sleeps 2 s; foo's 1 s ends first)
//   cancel    shav, text, finished  (main sleeps 0.5 s; foo's 10 s sleep is
//                                    cancelled at exit, and foo says so)
#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;

struct Variant {
  std::string name;
  double foo_sleep; // seconds foo sleeps after printing
  std::string wait; // what main does between create_task and 'finished' (Python)
  std::string why;  // the narration: why the lines came in this order
};

const std::vector<Variant>& variants() {
  static const std::vector<Variant> v{
      {"no-await", 1, "",
       "why: create_task only schedules foo; main never awaits it, so foo runs only once main "
       "has returned, and asyncio.run then cancels it at its sleep"},
      {"await", 1, "await task",
       "why: awaiting the task hands the loop to foo and waits for it to finish"},
      {"sleep", 1, "await asyncio.sleep(2 * SCALE)",
       "why: main's 2 s sleep hands the loop to foo, whose 1 s sleep ends first"},
      {"cancel", 10, "await asyncio.sleep(0.5 * SCALE)",
       "why: main's 0.5 s sleep lets foo print, but foo's 10 s sleep outlasts main, so "
       "asyncio.run cancels it at exit"},
  };
  return v;
}

std::vector<std::string> variant_names() {
  std::vector<std::string> out;
  for (const auto& v : variants())
    out.push_back(v.name);
  return out;
}

const Variant& chosen(const Context& ctx) {
  const auto& name = ctx.params.get("variant");
  for (const auto& v : variants())
    if (v.name == name) return v;
  return variants().front(); // not reached: --variant was checked
}

Coro<> foo(std::string text, double delay) {
  print("{}", text);
  try {
    co_await sleep(delay);
  } catch (const CancelledError&) {
    print("foo: cancelled at its sleep");
    throw;
  }
}

Coro<> create_task_main(const Context& ctx) {
  const Variant& v = chosen(ctx);
  print("shav");
  auto task = create_task(foo("text", v.foo_sleep), "foo");
  if (v.name == "await")
    co_await task;
  else if (v.name == "sleep")
    co_await sleep(2.0);
  else if (v.name == "cancel")
    co_await sleep(0.5);
  print("finished");
}

PythonSource create_task_python(const Context& ctx) {
  const Variant& v = chosen(ctx);
  return {fmt::format(R"(async def main():
    print("shav")
    task = asyncio.create_task(foo("text"), name="foo")
{}    print("finished")
{}

async def foo(text):
    print(text)
    try:
        await asyncio.sleep({:g} * SCALE)
    except asyncio.CancelledError:
        print("foo: cancelled at its sleep")
        raise
)",
                      v.wait.empty() ? "" : "    " + v.wait + "\n", python_comment(v.why, 4),
                      v.foo_sleep)};
}

const Registration registration{Scenario{
    .name = "create-task",
    .seed = "004",
    .summary = "shav, text, finished: when a created task runs, by what main does next",
    .modes = {Mode::create_task},
    .default_mode = Mode::create_task,
    .params = {variant_param(variant_names(),
                             "What main does after create_task: no-await (nothing), await (awaits "
                             "the task), sleep (sleeps 2 s), cancel (sleeps 0.5 s while the task "
                             "sleeps 10 s)")},
    .main = create_task_main,
    .python = create_task_python,
    .narration = [](const Context& ctx) { return chosen(ctx).why; },
}};

} // namespace
