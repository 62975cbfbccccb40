// Three classic mistakes from the seeds, one per --variant, in every mode:
//   blocking    seed 001 (and 002's worker): time.sleep inside a coroutine
//               holds the whole loop; gather takes as long as sync (10 s).
//   no-await    seed 003's own code: asyncio.sleep(delay) without await makes
//               a coroutine and drops it: no pause at all (0 s), and the
//               dropped sleep warns, as CPython's RuntimeWarning does.
//   sequential  seed 001's second listing: await make_coffee(); await
//               fry_eggs() runs one after the other (10 s); the concurrent
//               modes are the fix (6 s).
#include "seed001.hpp"
#include "seed003.hpp"

#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;
using namespace asyncdemo::seed003;
using namespace std::chrono_literals;

// ---- blocking: the waits block too ----

Coro<> make_coffee_blocking() {
  print("coffee: prepare ingredients");
  block(1s);
  print("coffee: waiting...");
  block(5s); // time.sleep(5): the pitfall, should be await asyncio.sleep(5)
  print("coffee: ready");
  co_return;
}

Coro<> fry_eggs_blocking() {
  print("eggs: prepare ingredients");
  block(1s);
  print("eggs: frying...");
  block(3s); // time.sleep(3): the pitfall, should be await asyncio.sleep(3)
  print("eggs: ready");
  co_return;
}

// ---- no-await: seed 003's random_add as the seed wrote it ----

Coro<> random_add(Random& rng, double delay) {
  static_cast<void>(sleep(delay)); // the seed's asyncio.sleep(delay): never awaited
  // This retrieves a list of random ints
  const auto n = random_number_list(rng);
  print("{}", sum_line(n));
  co_return;
}

// sequential runs the seed's own coroutines (seed001.hpp). Built outside the
// coroutines: g++ 12 cannot keep a braced list alive in a coroutine frame.
std::vector<Job<void>> breakfast_jobs(bool blocking) {
  if (blocking) return {{"coffee", make_coffee_blocking}, {"eggs", fry_eggs_blocking}};
  return seed001::jobs();
}

std::vector<Job<void>> random_add_jobs(Random& rng, const std::vector<double>& delays) {
  std::vector<Job<void>> out;
  for (std::size_t i = 0; i < delays.size(); ++i)
    out.push_back(
        {fmt::format("call{}", i + 1), [&rng, d = delays[i]] { return random_add(rng, d); }});
  return out;
}

// The narration: what went wrong (or, for sequential in a concurrent mode,
// why this mode is the fix). No "await" followed by a space: the sync form
// of the Python program, where it is a comment, drops those.
std::string why(const std::string& variant, Mode mode) {
  if (variant == "blocking")
    return "pitfall: time.sleep holds the whole loop, so no mode can overlap the waits: every mode "
           "takes as long as sync";
  if (variant == "no-await")
    return "pitfall: asyncio.sleep(delay), never awaited, only makes a coroutine and drops it: "
           "nothing waits (Python warns on stderr: coroutine 'sleep' was never awaited)";
  if (mode == Mode::sync) return "the baseline: plain functions, one after the other";
  if (mode == Mode::await_)
    return "pitfall: await runs each coroutine to its end before the next starts, so nothing "
           "overlaps: as slow as sync";
  return fmt::format("the fix: {} starts both coroutines before waiting, so their waits overlap",
                     to_string(mode));
}

Coro<> pitfalls_main(const Context& ctx) {
  const auto& variant = ctx.params.get("variant");
  if (variant == "no-await") {
    Random rng(ctx.seed);
    co_await run_jobs(ctx.mode, random_add_jobs(rng, delays(ctx)));
  } else {
    co_await run_jobs(ctx.mode, breakfast_jobs(variant == "blocking"));
  }
}

PythonSource pitfalls_python(const Context& ctx) {
  const auto& variant = ctx.params.get("variant");
  const auto form = py_form(ctx.mode);
  std::string out;
  std::vector<PyJob> jobs;
  if (variant == "no-await") {
    out = "\n" + std::string(random_number_list_python) +
          fmt::format(R"(

{0} random_add(delay):
    asyncio.sleep(delay * SCALE)  # the seed's line: never awaited, so no pause
    # This retrieves a list of random ints
    n = random_number_list()
    print(f"Sum({{n}}) = {{sum(n)}}")


{0} main():
)",
                      form.def());
    const auto d = delays(ctx);
    for (std::size_t i = 0; i < d.size(); ++i)
      jobs.push_back({fmt::format("call{}", i + 1), fmt::format("random_add({})", py_float(d[i]))});
  } else {
    out = seed001::coroutines_python(form, variant == "blocking") + std::string(form.def()) +
          " main():\n";
    jobs = seed001::python_jobs;
  }
  return {out + python_run_jobs(ctx.mode, jobs) + python_comment(why(variant, ctx.mode), 4)};
}

// --delays and --seed are no-await's; another variant would ignore them.
std::string check_run(Mode, const Params& params) {
  const auto& variant = params.get("variant");
  if (variant == "no-await") return {};
  for (const char* option : {"delays", "seed"})
    if (params.given(option))
      return fmt::format("--{} is for --variant=no-await (its random_add calls), and "
                         "--variant={} has none; add --variant=no-await, or drop --{}",
                         option, variant, option);
  return {};
}

const Registration registration{Scenario{
    .name = "pitfalls",
    .seed = "001, 002, 003",
    .summary = "blocking in a coroutine, a sleep never awaited, awaiting one by one",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {variant_param({"blocking", "no-await", "sequential"},
                             "blocking: time.sleep in coroutines (seeds 001, 002); no-await: "
                             "asyncio.sleep(delay) without await (seed 003); sequential: await "
                             "one coroutine after another (seed 001)"),
               delays_param("no-await: the delays random_add is given (and never waits), in call "
                            "order")},
    .random = true,
    .main = pitfalls_main,
    .python = pitfalls_python,
    .check = check_run,
    .narration = [](const Context& ctx) { return why(ctx.params.get("variant"), ctx.mode); },
}};

} // namespace
