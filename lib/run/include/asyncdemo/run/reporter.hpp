#pragma once
// Reporter: one output of a session (text, json, jsonl, csv, markdown, the
// timeline, the trace file). The session drives every reporter of the plan
// through the same steps, in order; each writes what its output needs at
// each step and ignores the rest. Which reporters a plan gets is decided in
// one table (lib/report/src/reporters.cpp).
#include "asyncdemo/run/plan.hpp"
#include "asyncdemo/run/recorder.hpp"
#include "asyncdemo/run/runner.hpp"
#include "asyncdemo/run/stats.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo {

// What the session knows before the first run, the same for every reporter.
struct SessionView {
  const RunPlan& plan;
  const Scenario& scenario;
  // Each mode's model: its exact time (and, unless the scenario is light,
  // its virtual run).
  const std::map<Mode, RunResult>& models;
  std::optional<Duration> sync_model; // none when the scenario has no sync mode
  Duration longest{};                 // the longest model: one time scale for all

  Duration model(Mode m) const { return models.at(m).elapsed; }
};

// What a run is compared with: its model time and the sync equivalent.
struct RunContext {
  std::string scenario;
  Duration model{};
  std::optional<Duration> sync_model;
};

// The end of a comparison (--mode=all, --runs): every mode measured, and
// every run (the first of each mode first, in mode order).
struct ComparisonResult {
  const std::vector<ModeRuns>& modes;
  std::optional<Stats> base; // sync's runs, or its model
  const std::vector<const RunResult*>& runs;
  const std::vector<RunContext>& contexts; // one per run
  // The modes --mode=all left out, and why (RunPlan::skipped).
  const std::vector<RunPlan::Skipped>& skipped;
};

// unmet: every run went well, but an assertion (--expect, --min-speedup)
// did not hold (exit status 3).
enum class SessionOutcome { ok, failed, interrupted, unmet };

class Reporter {
public:
  virtual ~Reporter() = default;

  virtual void session_begins(const SessionView&) {}
  // Run `index` (0 to runs - 1) of mode `m` is about to start.
  virtual void run_begins(Mode /*m*/, int /*index*/) {}
  // Whether it shows events as they happen (then event() gets each one).
  virtual bool live_events() const { return false; }
  virtual void event(const RecordedEvent&, const Recorder&) {}
  // A run has ended: well, failed or interrupted (run.ok() tells).
  virtual void run_ended(const RunResult& /*run*/, int /*index*/) {}
  // Whether the user ended the session from this output (--step's q): the
  // session stops there, as if done, and writes its files.
  virtual bool quit() const { return false; }
  // Every run of a mode has ended well; base is sync's (so far) or its model.
  virtual void mode_measured(const ModeRuns&, const std::optional<Stats>& /*base*/) {}
  virtual void compared(const ComparisonResult&) {}
  // The session is over (the trace is written now, whatever happened).
  // False, with `error` set, when the output could not be written.
  virtual bool finish(SessionOutcome, std::string& /*error*/) { return true; }
  // An assertion (--expect, --min-speedup): after finish, what it found
  // false, one or more lines; empty when it held, and for every output.
  virtual std::string unmet() const { return {}; }
};

} // namespace asyncdemo
