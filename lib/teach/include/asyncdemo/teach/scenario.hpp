#pragma once
// Scenarios and their registry. Each compiled scenario registers one from
// its own file in scenarios/:
//
//   static const asyncdemo::Registration reg{{.name = "breakfast", ...}};
//
// A scenario is what main() does in each mode (its coroutine), its
// parameters, and the asyncio program it mirrors (its Python twin).
#include "asyncdemo/coro.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/teach/mode.hpp"
#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/teach/source.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A scenario parameter, given on the command line as --name=value.
struct Param {
  std::string name;
  std::string help;
  std::string default_value;
  // Returns what is wrong with a value ("" when it is fine). Values reach
  // it as valid UTF-8 (the plan checks that first).
  std::function<std::string(std::string_view)> check;
  // A switch: --name alone sets "true" (--name=false also works).
  bool flag = false;
  // What --help shows for its value: N, SECONDS, LIST, TEXT, ...
  std::string kind = "VALUE";
  // The values it takes, when they are few names (--variant's): for the
  // completions and `list --format=json`. Empty for any other value.
  std::vector<std::string> choices{};
};

class Params {
public:
  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  const std::string& get(const std::string& name) const;
  // Which options the command line gave (a parameter, or "seed"), so that
  // a scenario can refuse one that its variant would ignore.
  void mark_given(std::string name) { given_.insert(std::move(name)); }
  bool given(const std::string& name) const { return given_.count(name) != 0; }

private:
  std::map<std::string, std::string> values_;
  std::set<std::string> given_;
};

// --seed's default: every random choice of a run follows from the seed, so a
// run is reproducible, and the --python program draws the same numbers.
inline constexpr std::uint64_t default_seed = 2024;

// Figures a scenario measures about itself (swarm: memory, timer
// lateness), kept apart from what it prints: they differ from run to run,
// and the reports show them as numbers (JSON) or as the scenario's own
// lines (text) after the run.
class Figures {
public:
  struct Figure {
    std::string name; // snake_case, as a JSON field: "peak_memory_bytes"
    double value = 0;
  };
  void add(std::string name, double value) { numbers_.push_back({std::move(name), value}); }
  // A line for people, shown after the run in text output.
  void note(std::string line) { lines_.push_back(std::move(line)); }
  const std::vector<Figure>& numbers() const noexcept { return numbers_; }
  const std::vector<std::string>& lines() const noexcept { return lines_; }
  bool empty() const noexcept { return numbers_.empty() && lines_.empty(); }

private:
  std::vector<Figure> numbers_;
  std::vector<std::string> lines_;
};

struct Scenario;

struct Context {
  Mode mode;
  const Params& params;
  std::uint64_t seed = default_seed;
  Figures* figures = nullptr; // where a scenario puts what it measures (may be null)
  // Non-zero once an interrupt is asked for: long work outside the loop
  // (a model worked out) stops early. May be null.
  const std::atomic<int>* stop = nullptr;
  // Where an interpreted program tells where its code is (the run's
  // recorder); may be null.
  SourceTrace* source = nullptr;
};

// A mode of a scenario's own (not one of asyncio's five).
struct OwnMode {
  Mode mode;
  std::string name;
};

// Where a scenario comes from, in words for people: "002 §34.6.2" (the
// teaching text's number, then its section) reads "tutorial 2, section
// 34.6.2"; "001, 002, 003" reads "tutorials 1, 2, 3"; "beyond the seeds"
// reads "beyond the tutorials". Anything else is kept as it is.
std::string origin_words(std::string_view seed);

struct Scenario {
  std::string name;
  std::string seed;    // where it comes from: "001", "002 §34.4.1" (origin_words)
  std::string summary; // one line: what it shows
  std::vector<Mode> modes;
  Mode default_mode = Mode::gather;
  std::vector<Param> params;
  bool random = false; // takes --seed
  std::function<Coro<void>(const Context&)> main;
  // The asyncio program it mirrors, for this mode and these parameters
  // (--python); python_program (python.hpp) puts it together.
  std::function<PythonSource(const Context&)> python;
  // Light (swarm): its many tasks are not recorded one by one, it has no
  // model run, and it reports its Figures instead of the summary line.
  bool light = false;
  // Checks a mode with the parameters before anything runs ("" when fine):
  // what no single Param::check can see, e.g. how many threads fit.
  std::function<std::string(Mode, const Params&)> check{};
  // A light scenario's model time, worked out rather than run (a model run
  // would cost as much as the run itself); nothing when it cannot be (then
  // the model is run) or when Context::stop stopped it. A scenario without
  // a sync mode is asked for Mode::sync too: its sync equivalent (the same
  // work one after another, what "vs sync" compares with), or nothing.
  std::function<std::optional<Duration>(const Context&)> model{};
  // Why a mode that `modes` lacks cannot run, as the one line that refuses
  // it (a Python program's: its main is not the jobs shape); empty, or ""
  // for a mode, for the usual words.
  std::function<std::string(Mode)> why_not{};
  // Modes of its own, which `modes` lists too.
  std::vector<OwnMode> own_modes{};
  // What the tool says about a run, after it ("why: ...", "pitfall: ..."):
  // narration, not the program's output, so it is shown apart from the
  // printed lines, and the --python program has it as a comment. Empty for
  // none.
  std::function<std::string(const Context&)> narration{};
  // A scenario file's text (asyncdemo show NAME); empty for compiled ones.
  std::string source{};
  std::string file{}; // where that text came from
  // A user's file, read from disk: it is run as `asyncdemo run FILE`, not
  // by its name.
  bool user_file = false;

  bool supports(Mode m) const noexcept;
  Params default_params() const;
  const Param* param(std::string_view name) const noexcept;
};

class Registry {
public:
  static Registry& instance();
  void add(Scenario s);
  const Scenario* find(std::string_view name) const noexcept;
  // In catalogue order: by seed, then name.
  std::vector<const Scenario*> all() const;
  std::vector<std::string> names() const;

private:
  std::vector<Scenario> scenarios_;
};

struct Registration {
  explicit Registration(Scenario s) { Registry::instance().add(std::move(s)); }
};

// The asyncio program of `s` in this context: the header (with the exact
// command line), the scenario's code, in its blocking form for sync mode,
// and the lines that run it.
std::string python_program(const Scenario& s, const Context& ctx);
// The line of that program on which `src` (what s.python gave for ctx)
// begins: after the header, or 1 for a whole program.
int python_code_line(const Scenario& s, const Context& ctx, const PythonSource& src);

} // namespace asyncdemo
