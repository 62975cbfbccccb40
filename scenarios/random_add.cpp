// Seed 003: random_add(delay) waits, then sums a list of random ints. Called
// as random_add(5), (8), (2): one after another it takes 5 + 8 + 2 = 15 s;
// concurrently only as long as the slowest, 8 s, and the calls finish in
// another order (the 2 s one first). The seed's table shows both.
#include "seed003.hpp"

#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;
using namespace asyncdemo::seed003;

Coro<> random_add(Random& rng, double delay) {
  co_await sleep(delay);
  // This retrieves a list of random ints
  const auto n = random_number_list(rng);
  print("{}", sum_line(n));
}

// One row of the seed's table: call | start | finish | finish order.
struct Row {
  Duration start{};
  Duration finish{};
  int finish_order = 0;
};

// Runs one call and notes when it started and finished.
Coro<> timed(std::function<Coro<>()> call, Row& row, int& finished) {
  row.start = now();
  co_await call();
  row.finish = now();
  row.finish_order = ++finished;
}

// Built outside the coroutine: g++ 12 cannot keep a braced list alive in a
// coroutine frame.
std::vector<Job<void>> jobs(Random& rng, const std::vector<double>& delays, std::vector<Row>& rows,
                            int& finished) {
  std::vector<Job<void>> out;
  for (std::size_t i = 0; i < delays.size(); ++i)
    out.push_back({fmt::format("call{}", i + 1), [&rng, &rows, &finished, i, d = delays[i]] {
                     return timed([&rng, d] { return random_add(rng, d); }, rows[i], finished);
                   }});
  return out;
}

Coro<> random_add_main(const Context& ctx) {
  Random rng(ctx.seed);
  const auto d = delays(ctx);
  std::vector<Row> rows(d.size());
  int finished = 0;
  co_await run_jobs(ctx.mode, jobs(rng, d, rows, finished));
  print("call |     start |    finish | finish order");
  for (std::size_t i = 0; i < rows.size(); ++i)
    print("{:>4} | {:7.3f} s | {:7.3f} s | {:>12}", i + 1, to_seconds(rows[i].start),
          to_seconds(rows[i].finish), rows[i].finish_order);
}

PythonSource random_add_python(const Context& ctx) {
  const auto form = py_form(ctx.mode);
  std::string out = "\n" + std::string(random_number_list_python) +
                    fmt::format(R"(

{0} random_add(delay):
    {1}
    # This retrieves a list of random ints
    n = random_number_list()
    print(f"Sum({{n}}) = {{sum(n)}}")


rows = {{}}  # call: (start, finish, finish order)


{0} timed(call, job):
    """Runs one call and notes when it started and finished."""
    start = now()
    {2}job()
    rows[call] = (start, now(), len(rows) + 1)


{0} main():
)",
                                form.def(), form.sleep("delay * SCALE"), form.await_());
  std::vector<PyJob> jobs;
  const auto d = delays(ctx);
  for (std::size_t i = 0; i < d.size(); ++i)
    jobs.push_back({fmt::format("call{}", i + 1),
                    fmt::format("timed({}, lambda: random_add({}))", i + 1, py_float(d[i]))});
  out +=
      python_run_jobs(ctx.mode, jobs) + R"(    print("call |     start |    finish | finish order")
    for call, (start, finish, order) in sorted(rows.items()):
        print(f"{call:>4} | {start:7.3f} s | {finish:7.3f} s | {order:>12}")
)";
  return {out};
}

const Registration registration{Scenario{
    .name = "random-add",
    .seed = "003",
    .summary = "random_add(5), (8), (2) sum random lists: 15 s one by one, 8 s concurrently",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {delays_param("Seconds each random_add call waits before it sums, in call order")},
    .random = true,
    .main = random_add_main,
    .python = random_add_python,
}};

} // namespace
