// Seed 000: delayedPrint(delay, text) prints its text five times, waiting
// `delay` seconds before each. Twice in a row that is 2 × 5 × 2 = 20 s; as
// tasks the waits overlap and "First" and "Second" alternate: 10 s.
#include "asyncdemo/teach/scenario_kit.hpp"

#include <algorithm>
#include <cctype>

namespace {

using namespace asyncdemo;

constexpr double max_delay = 3600;
constexpr long long max_times = 1000;
constexpr std::size_t max_text = 1000; // bytes: each is a line to read, and a task name
constexpr ListOf texts_list{"text", "texts", "comma-separated texts", "First,Second"};

Coro<> delayed_print(double delay, std::string text, long long times) {
  long long i = 0;
  while (i < times) {
    co_await sleep(delay); // pause: the other texts can print
    print("{}", text);
    ++i;
  }
}

struct Settings {
  double delay;
  long long times;
  std::vector<std::string> texts;
};

Settings settings(const Params& p) {
  return {*parse_number(p.get("delay")), *parse_whole(p.get("times")), split_list(p.get("texts"))};
}

// A task is named after its text, keeping only the characters that a name
// column and a Python string literal take as they are.
std::string task_name(std::string text) {
  std::replace_if(
      text.begin(), text.end(),
      [](unsigned char c) { return c < 0x80 && !std::isalnum(c) && c != '-' && c != '.'; }, '_');
  return text;
}

std::vector<Job<void>> jobs(const Settings& s) {
  std::vector<Job<void>> out;
  for (const auto& text : s.texts)
    out.push_back({task_name(text), [delay = s.delay, text, times = s.times] {
                     return delayed_print(delay, text, times);
                   }});
  return out;
}

Coro<> delayed_print_main(const Context& ctx) {
  co_await run_jobs(ctx.mode, jobs(settings(ctx.params)));
}

PythonSource delayed_print_python(const Context& ctx) {
  const auto s = settings(ctx.params);
  std::vector<PyJob> calls;
  for (const auto& text : s.texts)
    calls.push_back(
        {task_name(text), fmt::format("delayedPrint({}, {})", py_float(s.delay), py_str(text))});
  return {fmt::format(R"(async def delayedPrint(delay, text):
    i = 0
    while i < {}:
        await asyncio.sleep(delay * SCALE)  # pause: the other texts can print
        print(text)
        i += 1


async def main():
)",
                      s.times) +
          python_run_jobs(ctx.mode, calls)};
}

std::string check_delay(std::string_view text) {
  const auto v = parse_number(text);
  if (!v || *v < 0 || *v > max_delay)
    return fmt::format("{} is not a number of seconds from 0 to {:g}; e.g. --delay=2", quote(text),
                       max_delay);
  return {};
}

std::string check_times(std::string_view text) {
  const auto v = parse_whole(text);
  if (!v || *v < 1 || *v > max_times)
    return fmt::format("{} is not a whole number from 1 to {}; e.g. --times=5", quote(text),
                       max_times);
  return {};
}

std::string check_texts(std::string_view text) {
  std::string why;
  const auto items = list_items(text, texts_list, why);
  if (!items) return why;
  for (const auto& item : *items) {
    // Each text is printed as it is: nothing in it may move the cursor,
    // colour the terminal or turn the line round.
    if (!printable(item))
      return fmt::format("{} has a control or invisible character; give plain text, e.g. "
                         "--texts=First,Second",
                         quote(item));
    if (item.size() > max_text)
      return fmt::format("a text of {} bytes is too long; give texts of at most {} bytes, e.g. "
                         "--texts=First,Second",
                         item.size(), max_text);
  }
  return {};
}

const Registration registration{Scenario{
    .name = "delayed-print",
    .seed = "000",
    .summary = "delayedPrint(2, \"First\") and (2, \"Second\"), 5 prints each: 20 s or 10 s",
    .modes = {every_mode.begin(), every_mode.end()},
    .default_mode = Mode::gather,
    .params = {{.name = "delay",
                .help = "Seconds each delayedPrint waits before each print",
                .default_value = "2",
                .check = check_delay,
                .kind = "SECONDS"},
               {.name = "times",
                .help = "How many times each text is printed",
                .default_value = "5",
                .check = check_times,
                .kind = "N"},
               {.name = "texts",
                .help = "The texts, comma-separated: one delayedPrint each",
                .default_value = "First,Second",
                .check = check_texts,
                .kind = "LIST"}},
    .main = delayed_print_main,
    .python = delayed_print_python,
}};

} // namespace
