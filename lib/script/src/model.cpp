// The second executor of a Script: a light run's model time, worked out
// without a loop. A million-job file on the real clock would otherwise
// need a whole virtual-clock run first to know its model (as much time
// again as the run); the compiled swarm works its model out too.
//
// It takes the same steps as the coroutines (exec.hpp) in the order
// asyncio's loop would take them on the virtual clock: a ready queue run a
// snapshot at a time, a sleep's timer that makes its task ready a turn
// after it fires, a zero sleep that yields one turn, a block that moves the
// clock on at once. Random numbers are drawn in that same order, so every
// duration is the run's own. Only the shapes it can follow exactly are
// taken: every job lean (no other coroutine awaited, no on_cancel) and a
// main that takes no time and draws no number between the jobs; any other
// file has its model run, as before. model_test.cpp holds it to the
// virtual run, program by program.
#include "asyncdemo/script/interpreter.hpp"

#include "exec.hpp"

#include "asyncdemo/sleep_queue.hpp"

#include <algorithm>

namespace asyncdemo::script {

namespace {

bool draws(const Expr& e) {
  if (e.kind == Expr::Kind::call && (e.fn == Expr::Fn::random || e.fn == Expr::Fn::randint ||
                                     e.fn == Expr::Fn::uniform || e.fn == Expr::Fn::choice))
    return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const ExprPtr& a) { return a && draws(*a); });
}

bool draws(const Instr& in) {
  if (in.expr && draws(*in.expr)) return true;
  return std::any_of(in.text.pieces.begin(), in.text.pieces.end(),
                     [](const FString::Piece& p) { return p.expr && draws(*p.expr); });
}

// Main's sections may print, set and repeat, but not wait or block (and
// `each`, which runs between the jobs' steps, may not draw either).
bool timeless(const Body& b, bool may_draw) {
  return std::all_of(b.code.begin(), b.code.end(), [&](const Instr& in) {
    return in.op != Instr::Op::sleep && in.op != Instr::Op::block && lean(in.op) &&
           (may_draw || !draws(in));
  });
}

// 24 bytes: a swarm works out a million of them.
struct Job {
  Slots slots;
  std::uint32_t pc = 0;
  std::uint32_t group = 0; // its job, in the model's list
};

class Model {
public:
  Model(RunState& run, Mode mode, const std::atomic<int>* stop) : run_(run), stop_(stop) {
    const auto how = composition_of(mode);
    sync_ = how.blocking;
    sequential_ = !how.tasks; // one job at a time: a sleep passes with nothing else to run
    returns_ = std::any_of(run.script->coroutines.begin(), run.script->coroutines.end(),
                           [](const Coroutine& c) { return c.job && c.body.returns; });
  }

  // The model's time, or nothing if an interrupt stopped it.
  std::optional<Duration> time_of(const std::vector<Group>& groups) {
    std::size_t total = 0;
    for (const auto& g : groups)
      total += g.count;
    if (!sequential_) jobs_.reserve(total); // the timers point into it: it must not move
    for (const auto& g : groups) {
      const auto group = static_cast<std::uint32_t>(bodies_.size());
      bodies_.push_back(&g.job->body.code);
      for (std::uint32_t i = 0; i < g.count; ++i) {
        Job j{Slots(g.job->body.slot_names.size()), 0, group};
        start_slots(*g.job, j.slots, i, item_of(g, i));
        if (sequential_) {
          while (!advance(j)) { // the only task: a sleep moves the clock on
          }
          if (stopped()) return std::nullopt;
        } else {
          jobs_.push_back(std::move(j));
        }
      }
    }
    if (sequential_) return clock_.now;
    // Made in main's first turn, the jobs take their first steps in the next.
    ready_.reserve(jobs_.size());
    for (std::uint32_t i = 0; i < jobs_.size(); ++i)
      ready_.push_back(i << 1);
    std::vector<std::uint32_t> turn; // the ready queue as a turn begins: only these run in it
    turn.reserve(jobs_.size());
    while (!ready_.empty() || !timers_.empty()) {
      if (ready_.empty()) clock_.now = std::max(clock_.now, timers_.top().deadline);
      while (!timers_.empty() && timers_.top().deadline <= clock_.now)
        ready_.push_back(static_cast<std::uint32_t>(timers_.pop().task - jobs_.data()) << 1 |
                         timer);
      turn.swap(ready_);
      ready_.clear();
      for (const auto h : turn) {
        if (h & timer) // the sleep's future is done: the task wakes next turn
          ready_.push_back(h & ~timer);
        else
          advance(jobs_[h >> 1]);
        if (++steps_ % 65536 == 0 && stopped()) return std::nullopt;
      }
    }
    return end_;
  }

  ModelClock& clock() { return clock_; }

private:
  // The ready queue holds a job's index, shifted, with this bit for its
  // sleep's timer (else its next step).
  static constexpr std::uint32_t timer = 1;
  static_assert(max_count < (std::int64_t{1} << 31), "a job's index, shifted, fits");

  bool stopped() const { return stop_ && stop_->load(std::memory_order_relaxed) != 0; }

  // Runs a job's steps up to its next sleep; true once it has finished.
  // Sequential modes: the sleep itself passes (nothing else could run).
  bool advance(Job& j) {
    const auto& code = *bodies_[j.group];
    Object* result = returns_ ? &scratch_ : nullptr;
    bool done = false;
    while (j.pc < code.size() && !done) {
      const auto d = step(code, j.pc, run_, j.slots, result, sync_, done);
      if (d == no_sleep) continue;
      if (sequential_) { // a block, or a sleep with nothing else to run: time passes
        clock_.now += d;
        continue;
      }
      if (d <= Duration::zero())
        ready_.push_back(static_cast<std::uint32_t>(&j - jobs_.data()) << 1); // sleep(0): a yield
      else
        timers_.push(clock_.now + d, &j); // ties keep the order they were set in
      return false;
    }
    end_ = std::max(end_, clock_.now);
    j.slots = Slots(0); // a finished job's locals go
    return true;
  }

  RunState& run_;
  const std::atomic<int>* stop_;
  bool sync_ = false, sequential_ = false, returns_ = false;
  ModelClock clock_;
  Object scratch_;
  std::vector<const std::vector<Instr>*> bodies_; // each group's job's steps
  std::vector<Job> jobs_;
  std::vector<std::uint32_t> ready_;
  SleepQueue<Job> timers_; // the loop's own sleep queue, of jobs
  std::uint64_t steps_ = 0;
  Duration end_{};
};

} // namespace

bool model_worked_out(const Script& s) {
  const auto& m = s.main;
  if (m.explicit_steps) return false;
  if (!timeless(m.before, true) || !timeless(m.each, false) || !timeless(m.after, true))
    return false;
  return std::all_of(s.coroutines.begin(), s.coroutines.end(),
                     [](const Coroutine& c) { return !c.job || c.body.lean; });
}

std::optional<Duration> model_time(std::shared_ptr<const Script> script, const Context& ctx) {
  if (!model_worked_out(*script)) return std::nullopt;
  auto run = prepare_run(std::move(script), ctx);
  const Script& s = *run->script;
  Model model(*run, ctx.mode, ctx.stop);
  run->model = &model.clock();
  // Main's before: its numbers are drawn first (it takes no time).
  Slots main_slots(static_cast<std::size_t>(s.main.slots));
  bool done = false;
  for (std::uint32_t pc = 0; pc < s.main.before.code.size() && !done;)
    step(s.main.before.code, pc, *run, main_slots, nullptr, false, done);
  std::vector<Object> items_kept;
  const auto groups = groups_of(s, run->globals, items_kept);
  return model.time_of(groups);
}

} // namespace asyncdemo::script
