// Seed 002's exercise: the factorials of 5, 7, 3 and 6, each awaiting 0.1 s
// every time round its loop. One after another that is 21 turns, 2.1 s;
// concurrently the longest, 7!, sets the pace: 0.7 s.
#include "asyncdemo/teach/scenario_kit.hpp"

namespace {

using namespace asyncdemo;
using namespace std::chrono_literals;

// 20! is the largest factorial that fits in 64 bits.
constexpr long long max_number = 20;
constexpr ListOf numbers_list{"number", "numbers", "whole numbers from 0 to 20",
                              "--numbers=5,7,3,6"};

Coro<unsigned long long> factorial(long long n) {
  print("factorial({}) - starting", n);
  unsigned long long result = 1;
  for (long long i = 1; i <= n; ++i) {
    co_await sleep(100ms); // each time round the loop: the others can run
    result *= static_cast<unsigned long long>(i);
  }
  print("factorial({}) = {}", n, result);
  co_return result;
}

std::vector<long long> numbers(const Params& p) {
  std::vector<long long> out;
  for (const auto& item : split_list(p.get("numbers")))
    out.push_back(*parse_whole(item));
  return out;
}

std::vector<Job<unsigned long long>> jobs(const std::vector<long long>& ns) {
  std::vector<Job<unsigned long long>> out;
  for (const long long n : ns)
    out.push_back({fmt::format("{}!", n), [n] { return factorial(n); }});
  return out;
}

Coro<> calculate_factorials(Mode mode, std::vector<long long> ns) {
  print("calculate_factorials - the factorials of {}", py_list(ns));
  const auto results = co_await run_jobs(mode, jobs(ns));
  print("calculate_factorials - results: {}", py_list(results));
}

// The main() the exercise suggests: prints around asyncio.run(...).
Coro<> factorial_main(const Context& ctx) {
  print("Main - Starting");
  co_await calculate_factorials(ctx.mode, numbers(ctx.params));
  print("Main - Done");
}

PythonSource factorial_python(const Context& ctx) {
  const auto ns = numbers(ctx.params);
  const auto form = py_form(ctx.mode);
  std::vector<PyJob> calls;
  for (const long long n : ns)
    calls.push_back({fmt::format("{}!", n), fmt::format("factorial({})", n)});
  // A wait's comment says what awaiting it lets happen: sync mode's blocks have none.
  const auto wait = form.blocking ? form.sleep("0.1 * SCALE")
                                  : form.sleep("0.1 * SCALE") +
                                        "  # each time round the loop: the others can run";
  return {fmt::format(R"({0} factorial(n):
    print(f"factorial({{n}}) - starting")
    result = 1
    for i in range(1, n + 1):
        {1}
        result *= i
    print(f"factorial({{n}}) = {{result}}")
    return result


{0} calculate_factorials(numbers):
    print(f"calculate_factorials - the factorials of {{numbers}}")
)",
                      form.def(), wait) +
              python_run_jobs(ctx.mode, calls) +
              "    print(\"calculate_factorials - results:\", results)\n",
          fmt::format("calculate_factorials({})", py_list(ns))};
}

std::string check_numbers(std::string_view text) {
  std::string why;
  const auto items = list_items(text, numbers_list, why);
  if (!items) return why;
  for (const auto& item : *items) {
    const auto n = parse_whole(item);
    if (n && *n > max_number)
      return fmt::format("{}! does not fit in 64 bits; give whole numbers from 0 to {}, e.g. "
                         "5,7,3,6",
                         *n, max_number);
    if (!n || *n < 0)
      return fmt::format("{} is not a whole number from 0 to {}; e.g. --numbers=5,7,3,6",
                         quote(item), max_number);
  }
  return {};
}

const Registration registration{Scenario{
    .name = "factorial",
    .seed = "002 exercise",
    .summary = "factorials of 5, 7, 3, 6, awaiting 0.1 s each time round the loop: 2.1 s or 0.7 s",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {{.name = "numbers",
                .help = "The numbers whose factorials to calculate, comma-separated, 0 to 20",
                .default_value = "5,7,3,6",
                .check = check_numbers,
                .kind = "LIST"}},
    .main = factorial_main,
    .python = factorial_python,
}};

} // namespace
