// The worked-out model (model.cpp) against the run it stands for:
// random scenario files, each in every mode, whose model time must equal
// the virtual-clock run's to the nanosecond. Durations come from a few
// values so that ties abound; the random numbers are drawn in prints, sets,
// sleeps and main's before, so a step taken out of order shows as another
// duration.
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/script/interpreter.hpp"
#include "asyncdemo/script/program.hpp"

#include <algorithm>
#include <atomic>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <random>
#include <string>
#include <variant>
#include <vector>

using namespace asyncdemo;

namespace {

class Program {
public:
  explicit Program(std::uint32_t seed) : rng_(seed) {}

  std::string text() {
    std::string out = "summary = \"a random program\"\n";
    const int jobs = pick(1, 3);
    for (int j = 0; j < jobs; ++j) {
      std::vector<std::string> names;
      out += "[[job]]\n";
      if (chance(0.4)) {
        out += fmt::format("name = \"j{}_{{index}}\"\ncount = {}\n", j, pick(1, 6));
        names.push_back("index");
      } else {
        out += fmt::format("name = \"j{}\"\n", j);
      }
      out += "steps = " + steps(names, 0) + "\n";
    }
    if (chance(0.7)) {
      out += "[main]\n";
      if (chance(0.6))
        out += "before = [ { set = \"x\", to = \"random.random()\" }, { print = \"{x:.3f}\" } ]\n";
      if (chance(0.4)) out += "each = [ { print = \"got {result}\" } ]\n";
      out += "after = [ { print = \"after {now():.3f}\" } ]\n";
    }
    return out;
  }

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T> const T& one_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(0, static_cast<int>(v.size()) - 1))];
  }

  std::string duration(const std::vector<std::string>& names) {
    const std::vector<std::string> fixed{"0", "0", "0.1", "0.1", "0.2", "0.3", "0.5", "1"};
    const int r = pick(0, 9);
    if (r == 0 && std::count(names.begin(), names.end(), "index")) return "\"0.5 * (index % 2)\"";
    if (r == 1) return "\"random.choice([0.1, 0.2, 0.3])\"";
    if (r == 2) return "\"round(random.random(), 1)\"";
    if (r == 3) return "\"-1\""; // asyncio.sleep takes a negative time as 0
    return one_of(fixed);
  }

  std::string steps(std::vector<std::string> names, int depth) {
    std::vector<std::string> out;
    const int n = pick(1, depth ? 3 : 5);
    for (int i = 0; i < n; ++i) {
      switch (pick(0, depth < 2 ? 5 : 4)) {
      case 0:
      case 1: {
        std::string text = fmt::format("line {}", i);
        if (!names.empty() && chance(0.5)) text += " {" + one_of(names) + "}";
        if (chance(0.3)) text += " {random.randint(1, 6)}";
        out.push_back(fmt::format("{{ print = \"{}\" }}", text));
        break;
      }
      case 2:
      case 3:
        out.push_back("{ sleep = " + duration(names) + " }");
        break;
      case 4:
        if (chance(0.5)) {
          out.push_back(fmt::format("{{ block = {} }}",
                                    one_of(std::vector<std::string>{"0", "0.1", "0.25"})));
        } else {
          const auto var = fmt::format("v{}d{}", i, depth);
          out.push_back(fmt::format("{{ set = \"{}\", to = \"random.uniform(0, 1)\" }}", var));
          names.push_back(var);
        }
        break;
      default: {
        const auto var = fmt::format("r{}", depth);
        auto inner = names;
        inner.push_back(var);
        out.push_back(fmt::format("{{ repeat = {}, as = \"{}\", steps = {} }}", pick(0, 3), var,
                                  steps(inner, depth + 1)));
      }
      }
    }
    if (depth == 0 && chance(0.3)) out.push_back("{ return = \"random.randint(1, 100)\" }");
    std::string s = "[ ";
    for (std::size_t i = 0; i < out.size(); ++i)
      s += (i ? ", " : "") + out[i];
    return s + " ]";
  }

  std::mt19937 rng_;
};

} // namespace

TEST_CASE("a worked-out model equals the virtual run, program by program") {
  int compared = 0;
  for (std::uint32_t seed = 1; seed <= 1000; ++seed) {
    const auto text = Program(seed).text();
    auto loaded = script::load_text(text, "random.toml");
    const auto* script = std::get_if<std::shared_ptr<const script::Script>>(&loaded);
    REQUIRE_MESSAGE(script, text);
    REQUIRE_MESSAGE(script::model_worked_out(**script), text);
    const auto s = script::scenario_of(*script);
    Params params;
    for (const auto mode : s.modes) {
      const Context ctx{mode, params, seed, nullptr};
      const auto run = model_run(s, params, mode, seed);
      INFO(text);
      INFO("mode ", to_string(mode));
      if (!run.ok()) { // sync mode refuses a negative sleep; so does the model
        CHECK_THROWS_AS(script::model_time(*script, ctx), ScriptError);
        ++compared;
        continue;
      }
      const auto model = script::model_time(*script, ctx);
      REQUIRE(model);
      CHECK(model->count() == run.elapsed.count());
      ++compared;
    }
  }
  CHECK(compared == 1000 * 5);
}

TEST_CASE("a model is worked out only for what it can follow") {
  auto refused = [](const char* text) {
    auto loaded = script::load_text(text, "x.toml");
    const auto* s = std::get_if<std::shared_ptr<const script::Script>>(&loaded);
    REQUIRE(s);
    return !script::model_worked_out(**s);
  };
  // A job that awaits a helper is not lean.
  CHECK(refused(R"([[coroutine]]
name = "helper"
steps = [ { sleep = 1 } ]
[[job]]
name = "a"
steps = [ { call = "helper" } ])"));
  // Main that sleeps before the jobs, or draws between them.
  CHECK(refused(R"([[job]]
name = "a"
steps = [ { sleep = 1 } ]
[main]
before = [ { sleep = 1 } ])"));
  CHECK(refused(R"([[job]]
name = "a"
steps = [ { sleep = 1 } ]
[main]
each = [ { print = "{random.random()}" } ])"));
  CHECK_FALSE(refused(R"([[job]]
name = "a"
steps = [ { sleep = 1 } ]
[main]
after = [ { print = "{random.random()}" } ])"));
}

TEST_CASE("an interrupt stops a model being worked out") {
  auto loaded = script::load_text("[[job]]\nname = \"a\"\ncount = 100000\n"
                                  "steps = [ { sleep = 1 }, { sleep = 1 } ]\n",
                                  "x.toml");
  const auto& s = std::get<std::shared_ptr<const script::Script>>(loaded);
  Params params;
  std::atomic<int> stop{1};
  Context ctx{Mode::gather, params, 1, nullptr, &stop};
  CHECK_FALSE(script::model_time(s, ctx));
  stop = 0;
  const auto model = script::model_time(s, ctx);
  REQUIRE(model);
  CHECK(*model == seconds(2.0));
}
