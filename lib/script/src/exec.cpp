// The run's state and the steps both executors take (exec.hpp).
#include "exec.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/callback.hpp"
#include "asyncdemo/process/resources.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace asyncdemo::script {

namespace {

// now(): the loop's time, or the model's while one is worked out.
double scenario_now(const void* model) {
  return to_seconds(model ? static_cast<const ModelClock*>(model)->now : now());
}

EvalEnv env_of(RunState& run, Slots& slots) {
  EvalEnv env;
  env.globals = &run.globals;
  env.locals = slots.values.get();
  env.n_locals = slots.n;
  env.rng = &run.rng;
  env.now = &scenario_now;
  env.now_context = run.model;
  return env;
}

} // namespace

Object evaluate(const Expr& e, RunState& run, Slots& slots) {
  auto env = env_of(run, slots);
  return eval(e, env);
}

std::string render(const FString& f, RunState& run, Slots& slots) {
  auto env = env_of(run, slots);
  return eval(f, env);
}

// Seconds, as asyncio.sleep and time.sleep take them.
Duration seconds_of(const Object& v, Instr::Op op, bool sync) {
  if (!v.is_number() && v.kind() != Object::Kind::boolean)
    throw ScriptError(
        fmt::format("TypeError: '{}' object cannot be interpreted as seconds", v.type_name()));
  const double s = v.kind() == Object::Kind::boolean ? v.boolean() : v.number();
  if (std::isnan(s)) throw ScriptError("ValueError: Invalid value NaN (not a number)");
  // time.sleep refuses a negative time; asyncio.sleep takes it as 0 (but in
  // sync mode it is a time.sleep).
  if (s < 0 && (op == Instr::Op::block || sync))
    throw ScriptError("ValueError: sleep length must be non-negative");
  if (s > 365.0 * 86400) throw ScriptError("OverflowError: sleep length is too large");
  return seconds(std::max(s, 0.0));
}

Duration timeout_of(const Object& v) {
  if (!v.is_number() && v.kind() != Object::Kind::boolean)
    throw ScriptError(
        fmt::format("TypeError: '{}' object cannot be interpreted as seconds", v.type_name()));
  const double s = v.kind() == Object::Kind::boolean ? v.boolean() : v.number();
  if (std::isnan(s)) throw ScriptError("ValueError: Invalid value NaN (not a number)");
  if (std::abs(s) > 365.0 * 86400) throw ScriptError("OverflowError: timeout is too large");
  return seconds(s);
}

std::int64_t whole_of(const Object& v) {
  if (v.kind() == Object::Kind::integer) return v.integer();
  if (v.kind() == Object::Kind::boolean) return v.boolean();
  throw ScriptError(
      fmt::format("TypeError: '{}' object cannot be interpreted as an integer", v.type_name()));
}

std::int64_t count_of(const Object& v, std::string_view what) {
  const auto n = whole_of(v);
  if (n > max_count)
    throw ScriptError(fmt::format("OverflowError: {} goes up to {}, not {}", what, max_count, n));
  return std::max<std::int64_t>(0, n);
}

int semaphore_value(const Object& v) {
  const auto n = whole_of(v);
  if (n < 0) throw ScriptError("ValueError: Semaphore initial value must be >= 0");
  if (n > std::numeric_limits<int>::max())
    throw ScriptError(fmt::format("OverflowError: a Semaphore's value goes up to {} here, not {}",
                                  std::numeric_limits<int>::max(), n));
  return static_cast<int>(n);
}

int queue_size(const Object& v) {
  // Python's maxsize <= 0 is no limit; past what an int holds is none either.
  const auto n = whole_of(v);
  if (n <= 0 || n > std::numeric_limits<int>::max()) return 0;
  return static_cast<int>(n);
}

Duration step(const std::vector<Instr>& code, std::uint32_t& pc, RunState& run, Slots& slots,
              Object* result, bool sync, bool& done) {
  const Instr& in = code[pc++];
  switch (in.op) {
  case Instr::Op::print: {
    auto text = render(in.text, run, slots); // in the model too: it may draw numbers
    if (!run.model) print_line(text);
    return no_sleep;
  }
  case Instr::Op::sleep:
    return seconds_of(evaluate(*in.expr, run, slots), in.op, sync);
  case Instr::Op::block: {
    const auto d = seconds_of(evaluate(*in.expr, run, slots), in.op, sync);
    if (run.model)
      run.model->now += d;
    else
      block(d);
    return no_sleep;
  }
  case Instr::Op::loop: {
    // Two hidden slots: the count, then the counter.
    const auto n = count_of(evaluate(*in.expr, run, slots), "a repeat's count");
    if (n == 0) {
      pc = static_cast<std::uint32_t>(in.jump);
      return no_sleep;
    }
    slots[in.counter] = Object(n);
    slots[in.counter + 1] = Object(0);
    if (in.slot >= 0) slots[in.slot] = Object(0);
    return no_sleep;
  }
  case Instr::Op::next: {
    const auto i = slots[in.counter + 1].integer() + 1;
    if (i < slots[in.counter].integer()) {
      slots[in.counter + 1] = Object(i);
      if (in.slot >= 0) slots[in.slot] = Object(i);
      pc = static_cast<std::uint32_t>(in.jump) + 1;
    }
    return no_sleep;
  }
  case Instr::Op::set:
    slots[in.slot] = evaluate(*in.expr, run, slots);
    return no_sleep;
  case Instr::Op::ret:
    if (result) *result = evaluate(*in.expr, run, slots);
    done = true;
    return no_sleep;
  default:
    throw std::logic_error("script: a step the lean interpreter does not take");
  }
}

void start_slots(const Coroutine& c, Slots& slots, std::uint32_t index, const Object* item) {
  if (c.index_slot >= 0) slots[c.index_slot] = Object(static_cast<std::int64_t>(index));
  if (c.item_slot >= 0 && item) slots[c.item_slot] = *item;
}

std::vector<Group> groups_of(const Script& s, const std::vector<Object>& globals,
                             std::vector<Object>& items_kept) {
  std::vector<Object> scratch(16);
  EvalEnv env;
  env.globals = &globals;
  env.locals = scratch.data();
  env.n_locals = scratch.size();
  std::vector<Group> out;
  items_kept.reserve(s.coroutines.size()); // the items must not move
  std::int64_t total = 0;
  for (const auto& c : s.coroutines) {
    if (!c.job) continue;
    Group g{&c, 1, nullptr};
    if (c.count) {
      g.count = static_cast<std::uint32_t>(count_of(eval(*c.count, env), "a job's count"));
    } else if (c.each) {
      auto list = eval(*c.each, env);
      if (list.kind() == Object::Kind::text) { // one item per character, as Python's for
        List chars;
        const auto& t = list.text();
        for (std::size_t i = 0; i < t.size();) {
          std::size_t n = 1;
          while (i + n < t.size() && (static_cast<unsigned char>(t[i + n]) & 0xC0) == 0x80)
            ++n;
          chars.emplace_back(t.substr(i, n));
          i += n;
        }
        list = Object(std::move(chars));
      }
      if (list.kind() != Object::Kind::list)
        throw ScriptError(fmt::format("TypeError: '{}' object is not iterable", list.type_name()));
      items_kept.push_back(std::move(list));
      g.items = &items_kept.back().list();
      g.count = static_cast<std::uint32_t>(g.items->size());
    }
    total += g.count;
    if (total > max_count)
      throw ScriptError(fmt::format("OverflowError: the jobs make more than {} tasks", max_count));
    out.push_back(g);
  }
  if (const auto why = too_many_tasks(s, static_cast<std::size_t>(total)))
    throw ScriptError("MemoryError: " + *why);
  return out;
}

std::optional<std::string> too_many_tasks(const Script& s, std::size_t tasks) {
  // What a job costs while it waits, on the safe side: a lean one its
  // frame, its task and its queue entries (about 250 bytes measured); any
  // other its larger frame and its slots.
  const bool lean = std::all_of(s.coroutines.begin(), s.coroutines.end(),
                                [](const Coroutine& c) { return !c.job || c.body.lean; });
  const std::size_t bytes_per_task = lean ? 512 : 4096;
  const auto memory = memory_limit();
  const auto fit = memory.count / bytes_per_task;
  if (tasks <= fit) return std::nullopt;
  return fmt::format("the jobs make {} tasks, and about {} fit in the memory this run may use (by "
                     "{}); make fewer",
                     tasks, fit, memory.reason);
}

RunRef prepare_run(std::shared_ptr<const Script> script, const Context& ctx) {
  std::vector<Object> globals;
  for (const auto& p : script->params) {
    std::string why;
    auto v = p.read(ctx.params.get(p.option), why);
    if (!v) throw ScriptError(fmt::format("ValueError: --{}: {}", p.option, why));
    globals.push_back(std::move(*v));
  }
  RunRef run(new RunState(std::move(script), std::move(globals), ctx.seed));
  auto value_of = [&](const Expr& e) {
    std::vector<Object> scratch(8);
    EvalEnv env;
    env.globals = &run->globals;
    env.locals = scratch.data();
    env.n_locals = scratch.size();
    env.rng = &run->rng;
    return eval(e, env);
  };
  for (const auto& v : run->script->values)
    run->globals.push_back(value_of(*v.expr));
  // [shared], in file order, as the twin's module makes them.
  for (const auto& sp : run->script->shared) {
    SharedPrimitive p;
    using K = SharedSpec::Kind;
    switch (sp.kind) {
    case K::value:
      run->globals.push_back(value_of(*sp.expr));
      break;
    case K::lock:
      p.lock = std::make_unique<Lock>();
      break;
    case K::semaphore:
    case K::bounded_semaphore: {
      const auto v = semaphore_value(sp.expr ? value_of(*sp.expr) : Object(std::int64_t{1}));
      if (sp.kind == K::semaphore)
        p.semaphore = std::make_unique<Semaphore>(v);
      else
        p.semaphore = std::make_unique<BoundedSemaphore>(v);
      break;
    }
    case K::event:
      p.event = std::make_unique<Event>();
      break;
    case K::queue:
      p.queue = std::make_unique<Queue<Object>>(sp.expr ? queue_size(value_of(*sp.expr)) : 0);
      break;
    }
    run->shared.push_back(std::move(p));
  }
  return run;
}

} // namespace asyncdemo::script

namespace asyncdemo::script {

std::vector<SourceFrame> SourceLines::where() const {
  const auto it = stacks.find(running_task_id());
  return it == stacks.end() ? std::vector<SourceFrame>{} : it->second;
}

TaskId SourceLines::enter(const std::string& function) {
  const auto task = running_task_id();
  stacks[task].push_back(SourceFrame{function, 0});
  return task;
}

void SourceLines::leave(TaskId task) {
  const auto it = stacks.find(task);
  if (it == stacks.end()) return;
  if (!it->second.empty()) it->second.pop_back();
  if (it->second.empty()) stacks.erase(it);
}

void SourceLines::at(const void* origin) {
  const auto line = line_of.find(origin);
  if (line == line_of.end()) return;
  const auto it = stacks.find(running_task_id());
  if (it == stacks.end() || it->second.empty()) return;
  it->second.back().line = line->second;
  if (trace) trace->line_ran(line->second);
}

} // namespace asyncdemo::script
