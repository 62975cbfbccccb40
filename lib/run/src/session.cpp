#include "asyncdemo/run/session.hpp"

#include "asyncdemo/errors.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace asyncdemo {

namespace {

// Whether an interrupt was asked for; if so, the session acts on it now.
bool requested(const InterruptSource& i) {
  if (!i.requested || i.requested->load(std::memory_order_relaxed) == 0) return false;
  if (i.noticed) i.noticed->store(1, std::memory_order_relaxed);
  return true;
}

// How CPython's traceback would end (python_error), as people see it: each
// line escaped, so that a message holding a newline or an escape sequence
// stays on its line and shows as repr would show it.
std::string shown_error(const std::exception_ptr& e) {
  auto out = escape_like_repr(python_line(e));
  for (const auto& line : python_group_lines(e))
    out += "\n" + escape_like_repr(line);
  return out;
}

// A message for stderr: whatever it echoes, nothing raw reaches the terminal.
void say(std::FILE* err, const std::string& message) {
  std::fflush(nullptr); // what was printed comes first
  fmt::print(err, "asyncdemo: {}\n", escape_lines_like_repr(message));
}

// A run that was stopped before it began.
RunResult not_run(const RunPlan& plan, Mode m) {
  RunResult r;
  r.mode = m;
  r.clock = plan.clock;
  r.speed = plan.speed;
  if (plan.scenario->random) r.seed = plan.seed;
  r.interrupted = true;
  return r;
}

} // namespace

SessionOutcome run_session(const RunPlan& plan, const std::vector<Reporter*>& reporters,
                           std::FILE* err, InterruptSource interrupts) {
  const Scenario& s = *plan.scenario;
  auto each = [&](auto&& f) {
    for (auto* r : reporters)
      f(*r);
  };

  // The models first: every mode on the virtual clock. On the virtual
  // clock the model run is the run itself: a light scenario takes its run's
  // time, any other is replayed, not run again. On the real clock a light
  // scenario has its model worked out when it can be (swarm's is its
  // longest sleep; a file's, its steps followed without a loop): a model
  // run would cost as much as the run.
  const bool virtual_clock = plan.clock == ClockKind::virtual_time;
  std::map<Mode, RunResult> models;
  std::set<Mode> model_from_run; // light, virtual: the run gives the model
  bool stopped = false;
  auto model_of = [&](Mode m) {
    if (models.count(m) || stopped) return;
    if (s.light && virtual_clock) {
      model_from_run.insert(m);
      RunResult later; // the run's time, once it is known
      later.mode = m;
      models.emplace(m, std::move(later));
      return;
    }
    if (s.light && s.model) {
      const auto worked_out =
          s.model(Context{m, plan.params, plan.seed, nullptr, interrupts.requested});
      stopped = requested(interrupts);
      if (worked_out || stopped) {
        RunResult r; // the model's time only: nothing ran
        r.mode = m;
        r.elapsed = worked_out.value_or(Duration{});
        models.emplace(m, std::move(r));
        return;
      }
    }
    // On the virtual clock the model is the run: it keeps what a view needs.
    auto r = model_run(s, plan.params, m, plan.seed, interrupts, virtual_clock && plan.snapshots(),
                       plan.workers);
    stopped = r.interrupted || requested(interrupts);
    models.emplace(m, std::move(r));
  };
  for (auto m : plan.modes)
    model_of(m);
  std::optional<Duration> sync_model;
  if (s.supports(Mode::sync)) {
    model_of(Mode::sync);
    if (models.count(Mode::sync) && !model_from_run.count(Mode::sync))
      sync_model = models.at(Mode::sync).elapsed;
  } else if (s.model && !stopped) {
    // No sync mode, but a sync equivalent worked out (swarm: the sum of its sleeps).
    sync_model =
        s.model(Context{Mode::sync, plan.params, plan.seed, nullptr, interrupts.requested});
    stopped = requested(interrupts);
  }
  for (auto m : plan.modes) // a stopped preparation leaves some models unknown
    models.try_emplace(m, RunResult{});

  SessionView view{plan, s, models, sync_model};
  for (auto m : plan.modes) {
    if (models.at(m).failure) break; // the real run reports it
    view.longest = std::max(view.longest, models.at(m).elapsed);
  }
  each([&](Reporter& r) { r.session_begins(view); });

  std::vector<Reporter*> live;
  for (auto* r : reporters)
    if (r->live_events()) live.push_back(r);
  Recorder::Sink sink;
  if (!live.empty())
    sink = [&live](const RecordedEvent& e, const Recorder& rec) {
      for (auto* r : live)
        r->event(e, rec);
    };

  // Every run is kept to the end: reporters hold on to them (the trace, the
  // comparison). Reserved, so that they never move.
  std::vector<RunResult> runs;
  runs.reserve(plan.modes.size() * static_cast<std::size_t>(plan.runs));
  std::vector<ModeRuns> measured;
  SessionOutcome outcome = SessionOutcome::ok;
  bool quit = false;
  for (auto m : plan.modes) {
    ModeRuns mr{m, models.at(m).elapsed, {}};
    for (int i = 0; i < plan.runs && outcome == SessionOutcome::ok && !quit; ++i) {
      each([&](Reporter& r) { r.run_begins(m, i); });
      if (stopped || requested(interrupts)) {
        runs.push_back(not_run(plan, m));
      } else if (virtual_clock && !s.light) {
        // The model run was this very run: its events are shown now.
        auto& model = models.at(m);
        runs.push_back(std::move(model));
        model.elapsed = runs.back().elapsed; // the model's time stays for the reports
        if (sink)
          for (const auto& e : runs.back().recorder.events())
            sink(e, runs.back().recorder);
      } else {
        runs.push_back(run_scenario(s, plan.params,
                                    RunOptions{m, plan.clock, plan.speed, plan.seed, interrupts,
                                               plan.snapshots(), plan.workers},
                                    sink));
      }
      const auto& r = runs.back();
      if (model_from_run.count(m)) {
        models.at(m).elapsed = r.elapsed;
        if (m == Mode::sync) view.sync_model = r.elapsed;
      }
      if (r.interrupted) {
        outcome = SessionOutcome::interrupted;
      } else if (r.failure) {
        // As CPython's traceback ends: "ValueError: boom" (and a group's tree).
        // A program's own error says where it was raised, as a traceback's
        // last entry does.
        if (const auto where = raised_at(r.failure); !where.empty())
          say(err, fmt::format("{}: {}", where, shown_error(r.failure)));
        else
          say(err,
              fmt::format("{} --mode={} failed: {}", s.name, to_string(m), shown_error(r.failure)));
        outcome = SessionOutcome::failed;
      } else {
        mr.times.push_back(r.elapsed);
      }
      for (auto* rep : reporters) {
        rep->run_ended(r, i);
        if (rep->quit()) { // --step's q: what follows is not wanted
          quit = true;
          break;
        }
      }
    }
    if (outcome != SessionOutcome::ok || quit) break;
    measured.push_back(mr);
    const auto base = sync_baseline(measured, sync_model);
    each([&](Reporter& r) { r.mode_measured(measured.back(), base); });
  }

  if (outcome == SessionOutcome::ok && !quit && plan.comparison()) {
    std::vector<const RunResult*> run_ptrs;
    std::vector<RunContext> contexts;
    for (const auto& r : runs) {
      run_ptrs.push_back(&r);
      contexts.push_back(RunContext{s.name, models.at(r.mode).elapsed, sync_model});
    }
    const ComparisonResult cmp{measured, sync_baseline(measured, sync_model), run_ptrs, contexts,
                               plan.skipped};
    each([&](Reporter& r) { r.compared(cmp); });
  }

  // An interrupt during the reports still ends as one.
  if (outcome == SessionOutcome::ok && requested(interrupts)) outcome = SessionOutcome::interrupted;
  for (auto* r : reporters) {
    std::string why;
    if (!r->finish(outcome, why)) {
      say(err, why);
      if (outcome == SessionOutcome::ok) outcome = SessionOutcome::failed;
    }
  }
  // The assertions are judged last, on a session that went well.
  if (outcome == SessionOutcome::ok)
    for (auto* r : reporters)
      if (const auto why = r->unmet(); !why.empty()) {
        say(err, why);
        outcome = SessionOutcome::unmet;
      }
  return outcome;
}

} // namespace asyncdemo
