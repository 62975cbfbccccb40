#pragma once
// Scenarios and their registry. Each file in scenarios/ registers one:
//
//   static const asyncdemo::Registration reg{{.name = "breakfast", ...}};
#include "asyncdemo/coro.hpp"
#include "asyncdemo/duration.hpp"
#include "asyncdemo/mode.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace asyncdemo {

// A scenario parameter, given on the command line as --name=value.
struct Param {
  std::string name;
  std::string help;
  std::string default_value;
  // Returns what is wrong with a value ("" when it is fine).
  std::function<std::string(std::string_view)> check;
  // A switch: --name alone sets "true" (--name=false also works).
  bool flag = false;
};

class Params {
public:
  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  const std::string& get(const std::string& name) const;

private:
  std::map<std::string, std::string> values_;
};

// --seed's default: every random choice of a run follows from the seed, so a
// run is reproducible, and the --python program draws the same numbers.
inline constexpr std::uint64_t default_seed = 2024;

struct Context {
  Mode mode;
  const Params& params;
  std::uint64_t seed = default_seed;
};

struct Scenario {
  std::string name;
  std::string seed;    // where it comes from: "001", "002 §34.4.1"
  std::string summary; // one line: what it shows
  std::vector<Mode> modes;
  Mode default_mode = Mode::gather;
  std::vector<Param> params;
  bool random = false; // takes --seed
  std::function<Coro<void>(const Context&)> main;
  // The equivalent asyncio program for this mode and these parameters (--python).
  std::function<std::string(const Context&)> python;
  // Light (swarm): its many tasks are not recorded, it has no model run, and
  // it prints its own figures at the end instead of the summary line.
  bool light = false;
  // Checks a mode with the parameters before anything runs ("" when fine):
  // what no single Param::check can see, e.g. how many threads fit.
  std::function<std::string(Mode, const Params&)> check{};
  // A light scenario's model time, worked out rather than run (a model run
  // would cost as much as the run itself).
  std::function<Duration(const Context&)> model{};

  bool supports(Mode m) const noexcept;
  Params default_params() const;
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

} // namespace asyncdemo
