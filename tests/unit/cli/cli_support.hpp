#pragma once
// Helpers of the command line's tests: a command line interpreted
// in-process, and its outcome as one string to compare.
#include "asyncdemo/cli/interpret.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <variant>
#include <vector>

namespace asyncdemo::test {

// A pipe's surroundings, 80 columns, as the tests of the binary run it.
inline Environment pipe_env() {
  return Environment{};
}

inline cli::Outcome interpret(const std::vector<std::string>& args) {
  return cli::interpret(args, pipe_env());
}

// The usage error's line, or what the outcome was instead.
inline std::string refusal(const std::vector<std::string>& args) {
  const auto outcome = interpret(args);
  if (const auto* u = std::get_if<cli::Usage>(&outcome)) return u->message;
  return std::holds_alternative<cli::Run>(outcome) ? "(a run)" : "(printed)";
}

// Every field of a plan that a command line can change, as text; `marks`:
// with the parameters the command line gave (given at their defaults, they
// leave the rest as it was).
inline std::string summary(const RunPlan& p, bool marks = true) {
  std::vector<std::string> modes, skipped, params;
  for (auto m : p.modes)
    modes.emplace_back(to_string(m));
  for (const auto& s : p.skipped)
    skipped.push_back(fmt::format("{}: {}", to_string(s.mode), s.why));
  for (const auto& param : p.scenario->params)
    params.push_back(fmt::format("{}={}{}", param.name, p.params.get(param.name),
                                 marks && p.params.given(param.name) ? " (given)" : ""));
  if (marks && p.params.given("seed")) params.emplace_back("seed (given)");
  const auto opt = [](const auto& o) { return o ? fmt::format("{}", *o) : std::string("-"); };
  return fmt::format(
      "scenario={} modes={} skipped=[{}] clock={} speed={} workers={} seed={} format={} "
      "verbosity={} "
      "color={} fit={} width={} timeline={} trace={} export_json={} export_markdown={} "
      "export_csv={} expect={} expect_tolerance={} min_speedup={} runs={} python={} step={} "
      "html={} svg={} title={} scale={} progress={} notes=[{}] params=[{}]",
      p.scenario->name, fmt::join(modes, ","), fmt::join(skipped, "; "),
      p.clock == ClockKind::real ? "real" : "virtual", p.speed, p.workers, p.seed,
      to_string(p.format), static_cast<int>(p.verbosity), p.style.color, p.style.fit, p.width,
      p.timeline, opt(p.trace), opt(p.export_json), opt(p.export_markdown), opt(p.export_csv),
      opt(p.expect), p.expect_tolerance, opt(p.min_speedup), p.runs, p.python, p.step, opt(p.html),
      opt(p.svg), opt(p.title), p.scale, p.progress, fmt::join(p.notes, "; "),
      fmt::join(params, ", "));
}

// The outcome as one string: "usage: ...", "print N: ..." or "run: ...".
inline std::string outcome_text(const cli::Outcome& outcome, bool marks = true) {
  if (const auto* u = std::get_if<cli::Usage>(&outcome)) return "usage: " + u->message;
  if (const auto* p = std::get_if<cli::Print>(&outcome))
    return fmt::format("print {}: {}", p->status, p->text);
  return "run: " + summary(std::get<cli::Run>(outcome).plan, marks);
}

} // namespace asyncdemo::test
