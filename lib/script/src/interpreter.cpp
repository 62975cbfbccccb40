// The first interpreter of a Script: it runs it as coroutines on the
// runtime. Each job or helper coroutine is one coroutine that steps through
// its instructions; the mode composes the jobs as run_jobs does (and as the
// Python twin writes it: python_writer.cpp).
//
// A file with a million jobs must cost about what the compiled swarm does,
// so the common body (print, sleep, block, repeat, set, return) runs in a
// lean coroutine with a small frame, and evaluation allocates nothing.
#include "asyncdemo/script/interpreter.hpp"

#include "exec.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <memory>

namespace asyncdemo::script {

namespace {

// The value a coroutine of R hands back, as a script sees it.
template <class R> struct ResultOf {
  Object value;
  Object* get() { return &value; }
};
template <> struct ResultOf<void> {
  Object* get() { return nullptr; }
};

// A user's file names where a step raised, FILE:LINE:COLUMN, as a
// traceback's last entry does; the innermost step keeps its place as the
// error passes through the coroutines that awaited it.
void locate(RaisedAt& e, const RunState& run, const Instr& in) {
  if (e.where().empty() && run.script->user_file && in.pos.line > 0)
    e.set_where(fmt::format("{}:{}:{}", escape_like_repr(run.script->file), in.pos.line,
                            in.pos.column)); // the name in one line, as a load error's
}

// A lean body: no other coroutine awaited, no on_cancel. Its frame holds
// little more than the run, its place and the one sleep it awaits (a
// swarm's million of them are about the compiled swarm's size).
template <class R>
Coro<R> interpret_lean(RunRef run, const Coroutine* c, std::uint32_t index, const Object* item) {
  co_await catches_nothing{}; // no on_cancel: a cancelled lean job just ends
  const SourceFrameGuard frame(run->source.get(), c->function);
  Slots slots(c->body.slot_names.size());
  start_slots(*c, slots, index, item);
  ResultOf<R> result;
  bool done = false;
  SleepForAwaiter nap{}; // awaited in place: the frame holds one duration, not two
  for (std::uint32_t pc = 0; pc < c->body.code.size() && !done;) {
    const auto at = pc; // not kept across the await: the frame stays as small
    source_at(*run, &c->body.code[pc]);
    try {
      nap.delay = step(c->body.code, pc, *run, slots, result.get(),
                       running_loop().config().sleep_blocks, done);
    } catch (RaisedAt& e) {
      locate(e, *run, c->body.code[at]);
      throw;
    }
    if (nap.delay != no_sleep) co_await nap;
  }
  if constexpr (!std::is_void_v<R>) co_return std::move(result.value);
}

// Any body: a job or helper coroutine (c, with locals of its own) or a
// section of main (in main's slots and tasks, shared). A coroutine that is
// cancelled and has on_cancel steps runs those, and stays cancelled.
template <class R>
Coro<R> interpret(RunRef run, const Coroutine* c, Slots* shared_slots,
                  std::unique_ptr<Task<Object>[]>* shared_tasks, const std::vector<Instr>* code,
                  std::uint32_t index, const Object* item);

// The steps on shared state and the primitives (a file of their own would
// be one concept apart, but they share interpret's frame: the body's slots,
// tasks and place).
template <class Tasks>
Coro<> primitive_step(RunRef run, const Coroutine* c, Slots& slots, Tasks& tasks, const Instr& in,
                      std::uint32_t& pc, std::uint32_t index, const Object* item);

Task<Object> start(RunState& run, const Coroutine& c, std::string name) {
  if (c.body.lean)
    return create_task(interpret_lean<Object>(RunRef(&run), &c, 0, nullptr), std::move(name));
  return create_task(
      interpret<Object>(RunRef(&run), &c, nullptr, nullptr, &c.body.code, 0, nullptr),
      std::move(name));
}

Coro<Object> call(RunState& run, const Coroutine& c) {
  if (c.body.lean) co_return co_await interpret_lean<Object>(RunRef(&run), &c, 0, nullptr);
  co_return co_await interpret<Object>(RunRef(&run), &c, nullptr, nullptr, &c.body.code, 0,
                                       nullptr);
}

template <class R>
Coro<R> interpret(RunRef run, const Coroutine* c, Slots* shared_slots,
                  std::unique_ptr<Task<Object>[]>* shared_tasks, const std::vector<Instr>* code,
                  std::uint32_t index, const Object* item) {
  // A coroutine has a frame of its own; a section of main, or a block of a
  // body (async with's), runs in the frame it is part of.
  const bool own_frame = c && !shared_slots;
  const SourceFrameGuard frame(own_frame ? run->source.get() : nullptr,
                               own_frame ? c->function : std::string());
  Slots own(shared_slots ? 0 : c->body.slot_names.size());
  std::unique_ptr<Task<Object>[]> own_tasks;
  if (!shared_slots && !c->body.task_names.empty())
    own_tasks = std::make_unique<Task<Object>[]>(c->body.task_names.size());
  Slots& slots = shared_slots ? *shared_slots : own;
  auto& tasks = shared_tasks ? *shared_tasks : own_tasks;
  if (!shared_slots) start_slots(*c, slots, index, item);
  std::exception_ptr cancelled;
  ResultOf<R> result;
  std::uint32_t at = 0; // the step running: an error raised in it names its place
  for (;;) {
    try {
      bool done = false;
      for (std::uint32_t pc = 0; pc < code->size() && !done;) {
        at = pc;
        const Instr& in = (*code)[pc];
        source_at(*run, &in);
        if (lean(in.op)) {
          const auto d = step(*code, pc, *run, slots, result.get(),
                              running_loop().config().sleep_blocks, done);
          if (d != no_sleep) co_await SleepForAwaiter{d};
          continue;
        }
        ++pc;
        switch (in.op) {
        case Instr::Op::call: {
          auto v =
              co_await call(*run, run->script->coroutines[static_cast<std::size_t>(in.target)]);
          if (in.slot >= 0) slots[in.slot] = std::move(v);
          break;
        }
        case Instr::Op::task:
          tasks[static_cast<std::size_t>(in.task)] =
              start(*run, run->script->coroutines[static_cast<std::size_t>(in.target)],
                    render(in.text, *run, slots));
          break;
        case Instr::Op::await_: {
          auto v = co_await tasks[static_cast<std::size_t>(in.task)];
          if (in.slot >= 0) slots[in.slot] = std::move(v);
          break;
        }
        case Instr::Op::cancel:
          tasks[static_cast<std::size_t>(in.task)].cancel();
          break;
        case Instr::Op::gather: {
          std::vector<Task<Object>> started;
          for (const int t : in.targets) {
            const auto& callee = run->script->coroutines[static_cast<std::size_t>(t)];
            started.push_back(start(*run, callee, callee.function));
          }
          auto values = co_await gather(std::move(started));
          if (in.slot >= 0) slots[in.slot] = Object(List(values.begin(), values.end()));
          break;
        }
        default:
          co_await primitive_step(run, c, slots, tasks, in, pc, index, item);
          break;
        }
      }
      break;
    } catch (RaisedAt& e) {
      locate(e, *run, (*code)[at]);
      throw;
    } catch (const CancelledError&) {
      if (cancelled || !c || shared_slots || c->body.on_cancel.empty()) throw;
      cancelled = std::current_exception();
    }
    code = &c->body.on_cancel; // then stay cancelled
  }
  if (cancelled) std::rethrow_exception(cancelled);
  if constexpr (!std::is_void_v<R>) co_return std::move(result.value);
}

// A TimeoutError, whoever raised it (asyncio's, or a raise step's).
bool is_timeout(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const Error& x) {
    return x.type() == "TimeoutError";
  } catch (...) {
    return false;
  }
}

template <class Tasks>
Coro<> primitive_step(RunRef run, const Coroutine* c, Slots& slots, Tasks& tasks, const Instr& in,
                      std::uint32_t& pc, std::uint32_t index, const Object* item) {
  const auto& coroutines = run->script->coroutines;
  auto value = [&](const Expr& e) { return evaluate(e, *run, slots); };
  // A block's steps: in this body's slots and tasks, inline.
  auto section = [&](const std::vector<Instr>& code) {
    return interpret<void>(run, c, &slots, &tasks, &code, index, item);
  };
  auto queue = [&]() -> Queue<Object>& {
    return *run->shared[static_cast<std::size_t>(in.target)].queue;
  };
  auto event = [&]() -> Event& { return *run->shared[static_cast<std::size_t>(in.target)].event; };
  using Op = Instr::Op;
  switch (in.op) {
  case Op::set_shared:
    run->globals[static_cast<std::size_t>(in.slot)] = value(*in.expr);
    break;
  case Op::if_:
    if (!value(*in.expr).truthy()) pc = static_cast<std::uint32_t>(in.jump);
    break;
  case Op::else_:
    pc = static_cast<std::uint32_t>(in.jump);
    break;
  case Op::end_if:
    break;
  case Op::with: { // async with lock: the place goes back however the block ends
    auto& p = run->shared[static_cast<std::size_t>(in.target)];
    if (p.lock)
      co_await p.lock->acquire();
    else
      co_await p.semaphore->acquire();
    std::exception_ptr error;
    try {
      co_await section(in.inner);
    } catch (...) {
      error = std::current_exception();
    }
    if (p.lock)
      p.lock->release();
    else
      p.semaphore->release();
    if (error) std::rethrow_exception(error);
    break;
  }
  case Op::timeout: {
    Timeout cm(running_loop().now() + timeout_of(value(*in.expr)));
    cm.enter();
    std::exception_ptr error;
    try {
      co_await section(in.inner);
    } catch (...) {
      error = std::current_exception();
    }
    try {
      cm.exit(error);
    } catch (...) {
      error = std::current_exception(); // TimeoutError
    }
    if (error && !in.handler.empty() && is_timeout(error))
      co_await section(in.handler);
    else if (error)
      std::rethrow_exception(error);
    break;
  }
  case Op::wait_for: {
    const auto& callee = coroutines[static_cast<std::size_t>(in.target)];
    const auto limit = timeout_of(value(*in.expr));
    if (in.slot >= 0 && !in.handler.empty()) slots[in.slot] = Object(); // x = None first
    std::exception_ptr error;
    try {
      auto v = co_await wait_for(named(callee.function, call(*run, callee)), limit);
      if (in.slot >= 0) slots[in.slot] = std::move(v);
    } catch (...) {
      error = std::current_exception();
    }
    if (error && !in.handler.empty() && is_timeout(error))
      co_await section(in.handler);
    else if (error)
      std::rethrow_exception(error);
    break;
  }
  case Op::taskgroup: {
    TaskGroup tg;
    std::vector<Task<Object>> group;
    for (const int t : in.targets) {
      const auto& callee = coroutines[static_cast<std::size_t>(t)];
      group.push_back(tg.create_task(call(*run, callee), callee.function));
    }
    co_await tg.exit();
    if (in.slot >= 0) {
      List results;
      for (auto& t : group)
        results.push_back(t.result());
      slots[in.slot] = Object(std::move(results));
    }
    break;
  }
  case Op::wait: {
    std::vector<Task<Object>> started;
    for (const int t : in.targets) {
      const auto& callee = coroutines[static_cast<std::size_t>(t)];
      started.push_back(start(*run, callee, callee.function));
    }
    const auto when = in.word == "FIRST_COMPLETED"   ? ReturnWhen::first_completed
                      : in.word == "FIRST_EXCEPTION" ? ReturnWhen::first_exception
                                                     : ReturnWhen::all_completed;
    std::optional<Duration> limit;
    if (in.expr) limit = timeout_of(value(*in.expr));
    auto waited = co_await wait(started, when, limit);
    auto in_done = [&](const Task<Object>& t) {
      return std::any_of(waited.done.begin(), waited.done.end(),
                         [&](const Task<Object>& d) { return d.state() == t.state(); });
    };
    if (in.flag) // in the order given: CPython's sets have none
      for (auto& t : started)
        if (!in_done(t)) t.cancel();
    if (in.slot >= 0) {
      List results;
      for (auto& t : started)
        if (in_done(t)) results.push_back(t.result());
      slots[in.slot] = Object(std::move(results));
    }
    break;
  }
  case Op::to_thread: {
    const bool sync = running_loop().config().sleep_blocks;
    // time.sleep(d) on the worker: a bad d raises there, as Python's does.
    auto work = [d = value(*in.expr), sync] { block(seconds_of(d, Instr::Op::block, sync)); };
    co_await to_thread(std::move(work));
    break;
  }
  case Op::raise: {
    auto message = render(in.text, *run, slots);
    if (in.word == "TimeoutError") throw TimeoutError(std::move(message));
    throw Error(in.word, std::move(message));
  }
  case Op::put:
    co_await queue().put(value(*in.expr));
    break;
  case Op::put_nowait:
    queue().put_nowait(value(*in.expr));
    break;
  case Op::get: {
    auto v = co_await queue().get();
    if (in.slot >= 0) slots[in.slot] = std::move(v);
    break;
  }
  case Op::get_nowait: {
    auto v = queue().get_nowait();
    if (in.slot >= 0) slots[in.slot] = std::move(v);
    break;
  }
  case Op::task_done:
    queue().task_done();
    break;
  case Op::join:
    co_await queue().join();
    break;
  case Op::set_event:
    event().set();
    break;
  case Op::clear_event:
    event().clear();
    break;
  case Op::wait_event:
    co_await event().wait();
    break;
  default:
    break;
  }
}

std::string task_name_of(RunState& run, const Group& g, std::uint32_t i) {
  const Coroutine& c = *g.job;
  Slots slots(c.name_slot_names.size());
  if (c.name_index_slot >= 0) slots[c.name_index_slot] = Object(static_cast<std::int64_t>(i));
  if (c.name_item_slot >= 0 && g.items) slots[c.name_item_slot] = (*g.items)[i];
  return render(c.task_name, run, slots);
}

template <class R> Object value_of(asyncdemo::Value<R>&& v) {
  if constexpr (std::is_void_v<R>) {
    (void)v;
    return Object();
  } else {
    return std::move(v);
  }
}

template <class R> Coro<R> job(const RunRef& run, const Group& g, std::uint32_t i) {
  if (g.job->body.lean) return interpret_lean<R>(run, g.job, i, item_of(g, i));
  return interpret<R>(run, g.job, nullptr, nullptr, &g.job->body.code, i, item_of(g, i));
}

// Main in the mode: before, the jobs as the mode composes them
// (composition_of: each result through `each`), after; or the file's own
// steps.
template <class R> Coro<> compose(RunRef run, Mode mode) {
  const Script& s = *run->script;
  const Main& m = s.main;
  const SourceFrameGuard frame(run->source.get(), "main");
  Slots slots(static_cast<std::size_t>(m.slots));
  std::unique_ptr<Task<Object>[]> tasks;
  if (m.tasks) tasks = std::make_unique<Task<Object>[]>(static_cast<std::size_t>(m.tasks));
  auto section = [&](const Body& b) {
    return interpret<void>(run, nullptr, &slots, &tasks, &b.code, 0, nullptr);
  };
  if (m.explicit_steps) {
    co_await section(m.steps);
    co_return;
  }
  if (!m.before.code.empty()) co_await section(m.before);
  source_at(*run, &m.slots); // results = []
  std::vector<Object> items_kept;
  const auto groups = groups_of(s, run->globals, items_kept);
  Object results{List{}};
  const bool each = !m.each.code.empty();
  // Only a main that reads them keeps the results (a million Nones would
  // cost a swarm 40 MB).
  const bool kept = each || !m.after.code.empty();
  // A result in the order the mode gives them: kept, then `each` sees it.
  auto keep = [&](Object v) {
    if (!kept) return;
    results.append(v);
    if (!each) return;
    slots[m.result_slot] = std::move(v);
    slots[m.results_slot] = results;
  };
  using C = Composition::Collect;
  const auto how = composition_of(mode);
  if (!how.tasks) {
    for (const auto& g : groups)
      for (std::uint32_t i = 0; i < g.count; ++i) {
        source_at(*run, g.job);
        keep(value_of<R>(co_await job<R>(run, g, i)));
        if (each) co_await section(m.each);
      }
  } else {
    source_at(*run, &m.tasks); // started = []
    std::vector<Task<R>> started;
    std::size_t total = 0;
    for (const auto& g : groups)
      total += g.count;
    started.reserve(total);
    for (const auto& g : groups)
      for (std::uint32_t i = 0; i < g.count; ++i) {
        source_at(*run, &g.job->task_name);
        // A light run records named tasks only: its jobs go unnamed.
        started.push_back(
            create_task(job<R>(run, g, i), s.light ? std::string() : task_name_of(*run, g, i)));
      }
    source_at(*run, &m);
    switch (how.collect) {
    case C::each_call:
    case C::each_task:
      for (auto& t : started) {
        source_at(*run, &m);
        keep(value_of<R>(co_await t));
        if (each) co_await section(m.each);
      }
      break;
    case C::gather: {
      auto values = co_await gather(std::move(started));
      for (auto& v : values) {
        keep(value_of<R>(std::move(v)));
        if (each) co_await section(m.each);
      }
      break;
    }
    case C::as_completed:
      for (auto next : as_completed(std::move(started))) {
        source_at(*run, &m);
        keep(value_of<R>(co_await next));
        if (each) co_await section(m.each);
      }
      break;
    }
  }
  if (m.results_slot >= 0) slots[m.results_slot] = results;
  if (!m.after.code.empty()) co_await section(m.after);
}

} // namespace

Coro<> run_script(std::shared_ptr<const Script> script, const Context& ctx,
                  std::unordered_map<const void*, int> lines) {
  const bool values = std::any_of(script->coroutines.begin(), script->coroutines.end(),
                                  [](const Coroutine& c) { return c.job && c.body.returns; });
  const Mode mode = ctx.mode;
  auto run = prepare_run(std::move(script), ctx);
  // A view follows where the steps are, while the run lives.
  struct Told {
    SourceTrace* trace;
    ~Told() {
      if (trace) trace->set_probe({});
    }
  } told{ctx.source && !lines.empty() ? ctx.source : nullptr};
  if (told.trace) {
    run->source = std::make_unique<SourceLines>();
    run->source->trace = ctx.source;
    run->source->line_of = std::move(lines);
    ctx.source->set_probe([lines = run->source.get()] { return lines->where(); });
  }
  if (values)
    co_await compose<Object>(std::move(run), mode);
  else
    co_await compose<void>(std::move(run), mode);
}

} // namespace asyncdemo::script
