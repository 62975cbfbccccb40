// The modules a program may import: asyncio (on the runtime: its tasks,
// futures, gather, as_completed, wait, wait_for, timeout, shield, Queue,
// Lock, Semaphore, Event, TaskGroup, to_thread, the loop), time (its sleep
// holds the loop; its clocks read the loop's) and random (CPython's draws).
// And the methods of asyncio's values.
#include "vm.hpp"

#include "../numbers.hpp"
#include "../values.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/callback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace asyncdemo::py {

namespace {

// The coroutine of `run`, holding `run` itself: a lambda coroutine's
// captures live in its closure, which must outlive the coroutine (a task made
// of it outlives the object that held the closure).
Coro<Object> owning(std::function<Coro<Object>()> run) {
  co_return co_await run();
}

Object native_coro(std::string name, std::function<Coro<Object>()> run) {
  return Object(static_cast<HeapObject*>(
      new CoroutineObject([run = std::move(run)]() { return owning(run); }, std::move(name))));
}

void call_arity(Vm& vm, const Args& a, std::size_t lo, std::size_t hi, std::string_view name) {
  a.no_more_keywords(name);
  const auto n = a.positional.size();
  if (n < lo || n > hi)
    vm.raise("TypeError", fmt::format("{}() takes {} positional argument{} but {} were given", name,
                                      hi, hi == 1 ? "" : "s", n));
}

double seconds_arg(Vm& vm, const Object& v, const char* what) {
  if (v.kind() == Object::Kind::boolean) return v.boolean();
  if (!v.is_number())
    vm.raise("TypeError",
             fmt::format("{}: '{}' object cannot be interpreted as a number", what, v.type_name()));
  const double s = v.number();
  if (std::isnan(s)) vm.raise("ValueError", "Invalid value NaN (not a number)");
  if (std::fabs(s) > 365.0 * 86400 * 100)
    vm.raise("OverflowError", "timestamp too large to convert to C _PyTime_t");
  return s;
}

std::optional<Duration> timeout_arg(Vm& vm, const std::optional<Object>& v) {
  if (!v || v->kind() == Object::Kind::none) return std::nullopt;
  return seconds(seconds_arg(vm, *v, "timeout"));
}

// A coroutine or a task as a task (ensure_future): a coroutine is made one.
Object as_task(Vm& vm, const Object& aw) {
  if (aw.heap_type() == HeapObject::Type::task) return aw;
  if (aw.heap_type() == HeapObject::Type::coroutine) return vm.make_task(aw, vm.next_task_name());
  if (aw.heap_type() == HeapObject::Type::future)
    vm.raise("TypeError", "asyncdemo runs a subset of Python: a Future here is not in it; see "
                          "docs/python-programs.md");
  vm.raise("TypeError", fmt::format("An asyncio.Future, a coroutine or an awaitable is required"));
}

// A task's runtime task (checked by task_of before it is handed on).
Task<Object>& task_in(const Object& t) {
  return t.as<TaskObject>()->task;
}
Task<Object>& task_of(Vm& vm, const Object& t) {
  if (t.as<TaskObject>()->main)
    vm.raise("RuntimeError", "asyncdemo runs a subset of Python: asyncio.run's main task "
                             "given to gather, wait, wait_for or shield is not in it; see "
                             "docs/python-programs.md");
  return task_in(t);
}

Object set_of(const std::vector<Object>& items) {
  auto* s = new SetObject();
  Object out(static_cast<HeapObject*>(s));
  for (const auto& v : items)
    s->add(v);
  return out;
}

Object primitive(std::string kind) {
  return Object(static_cast<HeapObject*>(new PrimitiveObject(std::move(kind))));
}

struct TimeoutState {
  explicit TimeoutState(std::optional<Duration> when) : cm(when) {}
  Timeout cm;
};
// A Handle's: cancelled() is true once cancel() was called (run or not).
struct HandleState {
  explicit HandleState(CallbackHandle h) : handle(std::move(h)) {}
  CallbackHandle handle;
  bool cancelled = false;
};
struct GroupState {
  TaskGroup group;
  std::vector<Object> tasks;
};

} // namespace

Object Vm::make_task(const Object& coro, std::string name, bool in_group) {
  auto* c = coro.as<CoroutineObject>();
  if (!c) raise("TypeError", fmt::format("a coroutine was expected, got {}", coro.repr()));
  if (c->started) raise("RuntimeError", "cannot reuse already awaited coroutine");
  c->started = true;
  Coro<Object> body = c->sleep() ? [](Duration d) -> Coro<Object> {
    co_await SleepForAwaiter{d};
    co_return Object();
  }(*c->sleep())
      : c->native ? c->native->run()
                  : run_async(c->frame);
  (void)in_group;
  auto task = create_task(std::move(body), light ? std::string() : name);
  Object t(static_cast<HeapObject*>(new TaskObject(std::move(task), std::move(name), coro)));
  track(t);
  return t;
}

void Vm::track(const Object& task) {
  if (tasks_.size() >= 64 && tasks_.size() == tasks_.capacity()) // prune the done ones
    std::erase_if(tasks_, [](const Object& t) { return t.as<TaskObject>()->task.done(); });
  tasks_.push_back(task);
}

std::vector<Object> Vm::pending_tasks() {
  std::vector<Object> out;
  if (main_task.is_heap() && !main_task.as<TaskObject>()->state().done()) out.push_back(main_task);
  for (const auto& t : tasks_)
    if (!t.as<TaskObject>()->task.done()) out.push_back(t);
  return out;
}

Object Vm::task_of_running() {
  if (!Loop::current()) raise("RuntimeError", "no running event loop");
  // Told apart by the runtime's task, not its number: a light program's
  // tasks have none.
  const detail::TaskBase* running = &detail::running_task();
  for (auto it = tasks_.rbegin(); it != tasks_.rend(); ++it)
    if (it->as<TaskObject>()->task.state() == running) return *it;
  return main_task; // asyncio.run's own coroutine, or what it awaits inline
}

CallbackHandle Vm::schedule(Duration delay, bool soon, Object cb, std::vector<Object> args) {
  auto run = [this, cb, args]() { call(cb, args); };
  if (soon) return call_soon(run, "call_soon");
  // A negative delay (call_at a time gone by) is a deadline in the past, as
  // CPython's timer heap keeps it: it fires before those due now. (Not before
  // the loop's start, time zero.)
  return call_later(std::max(delay, -asyncdemo::now()), run, "call_later");
}

// asyncio.to_thread(fn, ...): the machine is one thread's, so fn runs at
// once, here, as if on a worker of its own: its time.sleep holds only that
// worker (the worker's clock moves on, not the loop's), and its result
// arrives when that much time has passed, through a future set by a timer,
// as the virtual-clock harness delivers a worker's result. (Every call has a
// worker: the executor's size is not modelled for programs.) In sync mode
// it is a plain call.
Coro<Object> Vm::call_in_worker(Object fn, Args args) {
  if (running_loop().config().sleep_blocks) co_return call(fn, args);
  Future<Object> done;
  const auto outer = worker_clock;
  worker_clock = Duration{};
  std::exception_ptr error;
  Object result;
  try {
    result = call(fn, args);
  } catch (const StepLimit&) {
    worker_clock = outer;
    throw;
  } catch (...) {
    error = std::current_exception();
  }
  const auto took = *worker_clock;
  worker_clock = outer;
  call_later(
      took,
      [done, result, error]() mutable {
        if (done.done()) return; // cancelled meanwhile
        if (error)
          done.set_exception(error);
        else
          done.set_result(result);
      },
      "to_thread");
  co_return co_await done;
}

// ---- async with: asyncio's context managers ----

void Vm::with_enter(const Op& op, Frame& f) {
  const auto mgr = evaluate(*op.a, f);
  f.slots()[static_cast<std::size_t>(op.slot)] = mgr;
  auto* p = mgr.as<PrimitiveObject>();
  if (!op.is_async)
    raise("TypeError", fmt::format("'{}' object does not support the context manager protocol",
                                   mgr.type_name()));
  if (!p)
    raise("TypeError", fmt::format("'{}' object does not support the asynchronous context manager "
                                   "protocol",
                                   mgr.type_name()));
  if (p->kind == "Lock" || p->kind == "Semaphore" || p->kind == "BoundedSemaphore") {
    f.passed = native_coro("acquire", [mgr]() -> Coro<Object> {
      auto* po = mgr.as<PrimitiveObject>();
      // (Not `c ? co_await x : co_await y`: GCC 12 runs both awaits.)
      if (po->lock) co_return Object(co_await po->lock->acquire());
      co_return Object(co_await po->semaphore->acquire());
    });
    f.resuming = true; // its target gets None (begin_step)
    return;
  }
  if (p->kind == "Timeout") {
    static_cast<TimeoutState*>(p->state.get())->cm.enter();
  } else if (p->kind == "TaskGroup") {
    if (p->state)
      raise("RuntimeError", fmt::format("TaskGroup {} has already been entered", mgr.repr()));
    p->state = std::make_shared<GroupState>();
  } else {
    raise("TypeError", fmt::format("'{}' object does not support the asynchronous context manager "
                                   "protocol",
                                   mgr.type_name()));
  }
  if (op.target) store(*op.target, mgr, f);
}

bool Vm::with_exit(const Op& op, Frame& f) {
  const auto mgr = f.slots()[static_cast<std::size_t>(op.slot)];
  const Object exc = op.slot2 >= 0 ? f.slots()[static_cast<std::size_t>(op.slot2)] : Object();
  auto* p = mgr.as<PrimitiveObject>();
  if (p->kind == "Lock" || p->kind == "Semaphore" || p->kind == "BoundedSemaphore") {
    if (p->lock)
      p->lock->release();
    else
      p->semaphore->release();
    return false;
  }
  const auto error = exc.is_heap() ? to_cpp(exc) : std::exception_ptr{};
  if (p->kind == "Timeout") {
    // A cancellation it caused comes out as TimeoutError (thrown from here).
    static_cast<TimeoutState*>(p->state.get())->cm.exit(error);
    return false;
  }
  // TaskGroup: waits for its tasks; a failure comes out as an ExceptionGroup.
  auto gs = std::static_pointer_cast<GroupState>(p->state);
  f.passed = native_coro("__aexit__", [gs, error]() -> Coro<Object> {
    co_await gs->group.exit(error);
    co_return Object();
  });
  f.resuming = true;
  return false;
}

Object make_module(Vm& vm, const std::string& name) {
  auto* m = new ModuleObject(name);
  Object out(static_cast<HeapObject*>(m));
  auto& at = m->attrs;
  if (name == "time") {
    at["sleep"] = native_function("sleep", [](Vm& vm, Args& a) {
      call_arity(vm, a, 1, 1, "sleep");
      const double s = seconds_arg(vm, a.positional[0], "sleep");
      if (s < 0) vm.raise("ValueError", "sleep length must be non-negative");
      if (vm.worker_clock)
        *vm.worker_clock += seconds(s); // holds its worker, not the loop
      else
        block(seconds(s));
      return Object();
    });
    for (const char* clock : {"time", "perf_counter", "monotonic"})
      at[clock] = native_function(clock, [clock](Vm& vm, Args& a) {
        call_arity(vm, a, 0, 0, clock);
        return Object(vm.now());
      });
    return out;
  }
  if (name == "random") {
    at["seed"] = native_function("seed", [](Vm& vm, Args& a) {
      call_arity(vm, a, 0, 1, "seed");
      if (a.positional.empty() || a.positional[0].kind() == Object::Kind::none)
        vm.raise("NotImplementedError", "asyncdemo runs a subset of Python: random.seed() without "
                                        "a number is not in it (a run is reproducible: give one)");
      const auto& v = a.positional[0];
      if (v.kind() != Object::Kind::integer && v.kind() != Object::Kind::boolean)
        vm.raise("NotImplementedError", "asyncdemo runs a subset of Python: random.seed() of a "
                                        "non-integer is not in it");
      const auto i = v.kind() == Object::Kind::boolean ? std::int64_t{v.boolean()} : v.integer();
      // CPython seeds with abs(n).
      vm.rng() = Random(i < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(i)
                              : static_cast<std::uint64_t>(i));
      return Object();
    });
    at["random"] = native_function("random", [](Vm& vm, Args& a) {
      call_arity(vm, a, 0, 0, "random");
      return Object(vm.rng().random());
    });
    at["uniform"] = native_function("uniform", [](Vm& vm, Args& a) {
      call_arity(vm, a, 2, 2, "uniform");
      const double lo = seconds_arg(vm, a.positional[0], "uniform"),
                   hi = seconds_arg(vm, a.positional[1], "uniform");
      return Object(vm.rng().uniform(lo, hi));
    });
    at["randint"] = native_function("randint", [](Vm& vm, Args& a) {
      call_arity(vm, a, 2, 2, "randint");
      auto whole = [&](const Object& v) {
        if (v.kind() == Object::Kind::integer) return v.integer();
        if (v.kind() == Object::Kind::boolean) return std::int64_t{v.boolean()};
        vm.raise("TypeError",
                 fmt::format("'{}' object cannot be interpreted as an integer", v.type_name()));
      };
      const auto lo = whole(a.positional[0]), hi = whole(a.positional[1]);
      if (hi < lo)
        vm.raise("ValueError", fmt::format("empty range for randrange() ({}, {}, {})", lo,
                                           num::add(hi, 1), num::sub(num::add(hi, 1), lo)));
      return Object(vm.rng().randint(lo, hi));
    });
    at["randrange"] = native_function("randrange", [](Vm& vm, Args& a) {
      call_arity(vm, a, 1, 3, "randrange");
      auto whole = [&](const Object& v) {
        if (v.kind() == Object::Kind::integer) return v.integer();
        vm.raise("TypeError",
                 fmt::format("'{}' object cannot be interpreted as an integer", v.type_name()));
      };
      std::int64_t start = 0, stop = 0, step = 1;
      if (a.positional.size() == 1) {
        stop = whole(a.positional[0]);
        if (stop <= 0) vm.raise("ValueError", "empty range for randrange()");
        return Object(static_cast<std::int64_t>(vm.rng().randbelow_wide(static_cast<u128>(stop))));
      }
      start = whole(a.positional[0]);
      stop = whole(a.positional[1]);
      if (a.positional.size() == 3) step = whole(a.positional[2]);
      if (step == 0) vm.raise("ValueError", "zero step for randrange()");
      const i128 width = static_cast<i128>(stop) - start;
      i128 n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step;
      if (n <= 0)
        vm.raise("ValueError", fmt::format("empty range for randrange() ({}, {}, {})", start, stop,
                                           static_cast<std::int64_t>(width)));
      if (step == 1)
        return Object(static_cast<std::int64_t>(
            start + static_cast<i128>(vm.rng().randbelow_wide(static_cast<u128>(n)))));
      return Object(static_cast<std::int64_t>(
          start + step * static_cast<i128>(vm.rng().randbelow_wide(static_cast<u128>(n)))));
    });
    at["choice"] = native_function("choice", [](Vm& vm, Args& a) {
      call_arity(vm, a, 1, 1, "choice");
      const auto items = vm.to_list(a.positional[0]);
      if (items.empty()) vm.raise("IndexError", "Cannot choose from an empty sequence");
      return items[static_cast<std::size_t>(vm.rng().randbelow(items.size()))];
    });
    at["shuffle"] = native_function("shuffle", [](Vm& vm, Args& a) {
      call_arity(vm, a, 1, 1, "shuffle");
      if (a.positional[0].kind() != Object::Kind::list)
        vm.raise("TypeError", fmt::format("'{}' object does not support item assignment",
                                          a.positional[0].type_name()));
      auto& x = a.positional[0].items();
      for (std::size_t i = x.size(); i > 1; --i) { // reversed(range(1, len(x)))
        const auto j = static_cast<std::size_t>(vm.rng().randbelow(i));
        std::swap(x[i - 1], x[j]);
      }
      return Object();
    });
    at["sample"] = native_function("sample", [](Vm& vm, Args& a) {
      auto k_kw = a.take("k");
      call_arity(vm, a, 1, 2, "sample");
      auto pool = vm.to_list(a.positional[0]);
      const auto n = pool.size();
      const Object kv = k_kw ? *k_kw : a.positional.size() > 1 ? a.positional[1] : Object();
      if (kv.kind() != Object::Kind::integer)
        vm.raise("TypeError", "sample() missing required argument 'k'");
      const auto k = kv.integer();
      if (k < 0 || static_cast<std::uint64_t>(k) > n)
        vm.raise("ValueError", "Sample larger than population or is negative");
      // CPython's: a pool of candidates for small samples, else a set of
      // chosen indices.
      std::size_t setsize = 21;
      if (k > 5) {
        double e = std::ceil(std::log(static_cast<double>(k) * 3) / std::log(4.0));
        setsize += static_cast<std::size_t>(std::pow(4.0, e));
      }
      List out;
      if (n <= setsize) {
        for (std::int64_t i = 0; i < k; ++i) {
          const auto j =
              static_cast<std::size_t>(vm.rng().randbelow(n - static_cast<std::size_t>(i)));
          out.push_back(pool[j]);
          pool[j] = pool[n - static_cast<std::size_t>(i) - 1];
        }
      } else {
        std::vector<std::size_t> selected;
        for (std::int64_t i = 0; i < k; ++i) {
          auto j = static_cast<std::size_t>(vm.rng().randbelow(n));
          while (std::find(selected.begin(), selected.end(), j) != selected.end())
            j = static_cast<std::size_t>(vm.rng().randbelow(n));
          selected.push_back(j);
          out.push_back(pool[j]);
        }
      }
      return Object(std::move(out));
    });
    return out;
  }
  // asyncio
  at["run"] = native_function("run", [](Vm& vm, Args& a) {
    a.take("debug");
    call_arity(vm, a, 1, 1, "run");
    if (!vm.run_hook) vm.raise("RuntimeError", "asyncio.run() cannot be called here");
    if (vm.running)
      vm.raise("RuntimeError", "asyncio.run() cannot be called from a running event loop");
    if (a.positional[0].heap_type() != HeapObject::Type::coroutine)
      vm.raise("ValueError",
               fmt::format("a coroutine was expected, got {}", a.positional[0].repr()));
    return vm.run_hook(a.positional[0]);
  });
  at["sleep"] = native_function("sleep", [](Vm& vm, Args& a) {
    auto result = a.take("result");
    call_arity(vm, a, 1, 2, "sleep");
    const double s = seconds_arg(vm, a.positional[0], "sleep");
    Object r = result ? *result : a.positional.size() > 1 ? a.positional[1] : Object();
    auto c = native_coro("sleep", [d = seconds(std::max(s, 0.0)), r]() -> Coro<Object> {
      co_await SleepForAwaiter{d};
      co_return r;
    });
    if (r.kind() == Object::Kind::none)
      c.as<CoroutineObject>()->native->sleep = seconds(std::max(s, 0.0));
    return c;
  });
  at["create_task"] = native_function("create_task", [](Vm& vm, Args& a) {
    auto name = a.take("name");
    a.take("context");
    call_arity(vm, a, 1, 1, "create_task");
    if (a.positional[0].heap_type() != HeapObject::Type::coroutine)
      vm.raise("TypeError",
               fmt::format("a coroutine was expected, got {}", a.positional[0].repr()));
    // Python 3.11 makes the task unnamed (taking a number) and then names
    // it: a name= still uses up a Task-N.
    std::string n = vm.next_task_name();
    if (name && name->kind() != Object::Kind::none) n = name->str();
    return vm.make_task(a.positional[0], std::move(n));
  });
  at["ensure_future"] = native_function("ensure_future", [](Vm& vm, Args& a) {
    call_arity(vm, a, 1, 1, "ensure_future");
    return as_task(vm, a.positional[0]);
  });
  at["gather"] = native_function("gather", [](Vm& vm, Args& a) {
    auto rex = a.take("return_exceptions");
    a.no_more_keywords("gather");
    // The children's tasks only (the program's objects are the Vm's to
    // keep), shared: the body is copied where it runs, and a million tasks
    // would be copied with it.
    auto children = std::make_shared<std::vector<Task<Object>>>();
    children->reserve(a.positional.size());
    for (const auto& aw : a.positional)
      children->push_back(task_of(vm, as_task(vm, aw)));
    const bool keep_errors = rex && rex->truthy();
    return native_coro("gather", [&vm, children, keep_errors]() -> Coro<Object> {
      auto ts = std::move(*children); // awaited once (the coroutine's started)
      List out;
      if (keep_errors) {
        auto outcomes = co_await gather(std::move(ts), return_exceptions);
        for (auto& o : outcomes) {
          if (o.ok())
            out.push_back(std::move(*o.value));
          else if (is_cancelled_error(o.error)) // Python 3.11's gather: CancelledError('')
            out.push_back(Object(static_cast<HeapObject*>(new ExceptionObject(
                vm.exception_class("CancelledError"), List{Object(std::string())}))));
          else
            out.push_back(vm.exception_of(o.error));
        }
      } else {
        auto values = co_await gather(std::move(ts));
        for (auto& v : values)
          out.push_back(std::move(v));
      }
      co_return Object(std::move(out));
    });
  });
  at["as_completed"] = native_function("as_completed", [](Vm& vm, Args& a) {
    auto timeout = a.take("timeout");
    call_arity(vm, a, 1, 1, "as_completed");
    const auto limit = timeout_arg(vm, timeout);
    std::vector<Task<Object>> ts;
    for (const auto& aw : vm.to_list(a.positional[0]))
      ts.push_back(task_of(vm, as_task(vm, aw)));
    auto ac = std::make_shared<AsCompleted<Object>>(std::move(ts));
    auto left = ac->size();
    return Object(static_cast<HeapObject*>(
        new IteratorObject("generator", [ac, left, limit](Vm&) mutable -> std::optional<Object> {
          // The generator's body runs at its first next(): the timeout starts then.
          if (limit && left == ac->size()) ac->set_timeout(*limit);
          if (left == 0) return std::nullopt;
          --left;
          return native_coro("_wait_for_one", [ac]() { return ac->next(); });
        })));
  });
  at["wait"] = native_function("wait", [](Vm& vm, Args& a) {
    auto timeout = a.take("timeout");
    auto when = a.take("return_when");
    call_arity(vm, a, 1, 1, "wait");
    std::vector<Object> tasks;
    for (const auto& aw : vm.to_list(a.positional[0])) {
      if (aw.heap_type() == HeapObject::Type::coroutine)
        vm.raise("TypeError", "Passing coroutines is forbidden, use tasks explicitly.");
      tasks.push_back(as_task(vm, aw));
      task_of(vm, tasks.back());
    }
    if (tasks.empty()) vm.raise("ValueError", "Set of Tasks/Futures is empty.");
    auto rw = ReturnWhen::all_completed;
    if (when) {
      const auto w = when->str();
      if (w == "FIRST_COMPLETED")
        rw = ReturnWhen::first_completed;
      else if (w == "FIRST_EXCEPTION")
        rw = ReturnWhen::first_exception;
      else if (w != "ALL_COMPLETED")
        vm.raise("ValueError", fmt::format("Invalid return_when value: {}", w));
    }
    const auto limit = timeout_arg(vm, timeout);
    return native_coro("wait", [tasks, rw, limit]() -> Coro<Object> {
      std::vector<Task<Object>> ts;
      for (const auto& t : tasks)
        ts.push_back(task_in(t));
      auto waited = co_await wait(ts, rw, limit);
      std::vector<Object> done, pending;
      for (const auto& t : tasks) {
        const bool is_done =
            std::any_of(waited.done.begin(), waited.done.end(),
                        [&](const Task<Object>& d) { return d.state() == task_in(t).state(); });
        (is_done ? done : pending).push_back(t);
      }
      co_return Object::tuple({set_of(done), set_of(pending)});
    });
  });
  at["wait_for"] = native_function("wait_for", [](Vm& vm, Args& a) {
    auto timeout = a.take("timeout");
    call_arity(vm, a, 1, 2, "wait_for");
    const auto t = timeout                   ? timeout
                   : a.positional.size() > 1 ? std::optional<Object>(a.positional[1])
                                             : std::nullopt;
    const auto limit = timeout_arg(vm, t);
    Object aw = a.positional[0];
    // Without a timeout 3.11's wait_for is a plain await: no task is made.
    if (!limit && aw.heap_type() != HeapObject::Type::future)
      return native_coro("wait_for",
                         [&vm, aw]() -> Coro<Object> { co_return co_await vm.await_object(aw); });
    if (aw.heap_type() == HeapObject::Type::future) // shield()'s, a loop's create_future()
      return native_coro("wait_for", [aw, limit]() -> Coro<Object> {
        co_return co_await wait_for(aw.as<FutureObject>()->future, limit);
      });
    Object task = as_task(vm, aw);
    task_of(vm, task);
    return native_coro("wait_for", [task, limit]() -> Coro<Object> {
      co_return co_await wait_for(task_in(task), limit);
    });
  });
  at["timeout"] = native_function("timeout", [](Vm& vm, Args& a) {
    call_arity(vm, a, 1, 1, "timeout");
    std::optional<Duration> when;
    if (a.positional[0].kind() != Object::Kind::none)
      when = now() + seconds(seconds_arg(vm, a.positional[0], "timeout"));
    auto p = primitive("Timeout");
    p.as<PrimitiveObject>()->state = std::make_shared<TimeoutState>(when);
    return p;
  });
  at["shield"] = native_function("shield", [](Vm& vm, Args& a) {
    call_arity(vm, a, 1, 1, "shield");
    auto inner = as_task(vm, a.positional[0]);
    return Object(static_cast<HeapObject*>(new FutureObject(shield(task_of(vm, inner)))));
  });
  at["to_thread"] = native_function("to_thread", [](Vm& vm, Args& a) {
    if (a.positional.empty())
      vm.raise("TypeError", "to_thread() missing 1 required positional argument: 'func'");
    Object func = a.positional[0];
    Args call;
    call.positional.assign(a.positional.begin() + 1, a.positional.end());
    call.keywords = a.keywords;
    return native_coro("to_thread", [&vm, func, call]() mutable -> Coro<Object> {
      co_return co_await vm.call_in_worker(func, call);
    });
  });
  at["current_task"] = native_function("current_task", [](Vm& vm, Args& a) {
    call_arity(vm, a, 0, 0, "current_task");
    return vm.task_of_running();
  });
  at["all_tasks"] = native_function("all_tasks", [](Vm& vm, Args& a) {
    call_arity(vm, a, 0, 0, "all_tasks");
    return set_of(vm.pending_tasks());
  });
  auto loop = primitive("loop");
  at["get_running_loop"] = native_function("get_running_loop", [loop](Vm& vm, Args& a) {
    call_arity(vm, a, 0, 0, "get_running_loop");
    return loop;
  });
  at["get_event_loop"] = at["get_running_loop"];
  for (const char* p : {"Lock", "Event"})
    at[p] = native_function(p, [p](Vm& vm, Args& a) {
      call_arity(vm, a, 0, 0, p);
      auto out = primitive(p);
      auto* po = out.as<PrimitiveObject>();
      if (std::string_view(p) == "Lock")
        po->lock = std::make_unique<Lock>();
      else
        po->event = std::make_unique<Event>();
      return out;
    });
  for (const char* p : {"Semaphore", "BoundedSemaphore"})
    at[p] = native_function(p, [p](Vm& vm, Args& a) {
      auto v = a.take("value");
      call_arity(vm, a, 0, 1, p);
      const Object value = v                      ? *v
                           : a.positional.empty() ? Object(std::int64_t{1})
                                                  : a.positional[0];
      if (value.kind() != Object::Kind::integer) vm.raise("TypeError", "'value' must be an int");
      if (value.integer() < 0) vm.raise("ValueError", "Semaphore initial value must be >= 0");
      if (value.integer() > std::numeric_limits<int>::max())
        vm.raise("OverflowError", "a Semaphore's value goes up to 2147483647 here");
      auto out = primitive(p);
      auto* po = out.as<PrimitiveObject>();
      const int n = static_cast<int>(value.integer());
      if (std::string_view(p) == "Semaphore")
        po->semaphore = std::make_unique<Semaphore>(n);
      else
        po->semaphore = std::make_unique<BoundedSemaphore>(n);
      return out;
    });
  at["Queue"] = native_function("Queue", [](Vm& vm, Args& a) {
    auto m = a.take("maxsize");
    call_arity(vm, a, 0, 1, "Queue");
    const Object size = m ? *m : a.positional.empty() ? Object(std::int64_t{0}) : a.positional[0];
    if (size.kind() != Object::Kind::integer) vm.raise("TypeError", "'maxsize' must be an int");
    auto out = primitive("Queue");
    const auto n = size.integer();
    out.as<PrimitiveObject>()->queue = std::make_unique<Queue<Object>>(
        n <= 0 || n > std::numeric_limits<int>::max() ? 0 : static_cast<int>(n));
    return out;
  });
  at["TaskGroup"] = native_function("TaskGroup", [](Vm& vm, Args& a) {
    call_arity(vm, a, 0, 0, "TaskGroup");
    auto out = primitive("TaskGroup");
    return out;
  });
  for (const char* c : {"CancelledError", "InvalidStateError", "QueueEmpty", "QueueFull"})
    at[c] = vm.exception_class(c);
  at["TimeoutError"] = vm.exception_class("TimeoutError");
  for (const char* w : {"FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"})
    at[w] = Object(std::string(w));
  return out;
}

bool module_allowed(std::string_view module) {
  return module == "asyncio" || module == "time" || module == "random";
}

bool module_attribute_allowed(std::string_view module, std::string_view name) {
  static const std::vector<std::string_view> asyncio{"run",
                                                     "sleep",
                                                     "create_task",
                                                     "ensure_future",
                                                     "gather",
                                                     "as_completed",
                                                     "wait",
                                                     "wait_for",
                                                     "timeout",
                                                     "shield",
                                                     "to_thread",
                                                     "current_task",
                                                     "all_tasks",
                                                     "get_running_loop",
                                                     "get_event_loop",
                                                     "Lock",
                                                     "Event",
                                                     "Semaphore",
                                                     "BoundedSemaphore",
                                                     "Queue",
                                                     "TaskGroup",
                                                     "CancelledError",
                                                     "InvalidStateError",
                                                     "QueueEmpty",
                                                     "QueueFull",
                                                     "TimeoutError",
                                                     "FIRST_COMPLETED",
                                                     "FIRST_EXCEPTION",
                                                     "ALL_COMPLETED"};
  static const std::vector<std::string_view> time{"sleep", "time", "perf_counter", "monotonic"};
  static const std::vector<std::string_view> random{"seed",      "random", "uniform", "randint",
                                                    "randrange", "choice", "shuffle", "sample"};
  const auto& names = module == "asyncio" ? asyncio : module == "time" ? time : random;
  return std::find(names.begin(), names.end(), name) != names.end();
}

// ---- the methods of asyncio's values ----

std::optional<Object> asyncio_attribute(Vm& vm, const Object& obj, const std::string& name) {
  switch (obj.heap_type()) {
  case HeapObject::Type::task:
  case HeapObject::Type::future:
    break;
  case HeapObject::Type::primitive:
    break;
  default:
    return std::nullopt;
  }
  const bool is_task = obj.heap_type() == HeapObject::Type::task;
  if (is_task || obj.heap_type() == HeapObject::Type::future) {
    auto handle = [is_task](const Object& self) -> detail::FutureBase& {
      return is_task ? const_cast<detail::FutureBase&>(self.as<TaskObject>()->state())
                     : static_cast<detail::FutureBase&>(*self.as<FutureObject>()->future.state());
    };
    (void)handle;
    auto m = [&](std::string n, NativeFn f) {
      return native_method(obj, std::move(n), std::move(f));
    };
    if (name == "done" || name == "cancelled")
      return m(name, [name, is_task](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, name);
        const auto& s = a.positional[0];
        const bool done =
            is_task ? s.as<TaskObject>()->state().done() : s.as<FutureObject>()->future.done();
        const bool cancelled = is_task ? s.as<TaskObject>()->state().cancelled()
                                       : s.as<FutureObject>()->future.cancelled();
        return Object(name == "done" ? done : cancelled);
      });
    if (name == "cancel")
      return m(name, [is_task](Vm& vm, Args& a) {
        auto msg = a.take("msg");
        call_arity(vm, a, 1, 2, "cancel");
        if (!msg && a.positional.size() == 2) msg = a.positional[1];
        // cancel(msg): the CancelledError it raises carries str(msg).
        std::optional<std::string> text;
        if (msg && msg->kind() != Object::Kind::none) text = msg->str();
        const auto* m = text ? &*text : nullptr;
        const auto& s = a.positional[0];
        return Object(is_task ? s.as<TaskObject>()->cancel(m)
                              : s.as<FutureObject>()->future.cancel(m));
      });
    if (name == "result")
      return m(name, [is_task](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "result");
        const auto& s = a.positional[0];
        try {
          return is_task ? s.as<TaskObject>()->result() : s.as<FutureObject>()->future.result();
        } catch (const InvalidStateError&) {
          vm.raise("InvalidStateError", "Result is not set.");
        }
      });
    if (name == "exception")
      return m(name, [is_task](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "exception");
        const auto& s = a.positional[0];
        const bool done =
            is_task ? s.as<TaskObject>()->state().done() : s.as<FutureObject>()->future.done();
        const bool cancelled = is_task ? s.as<TaskObject>()->state().cancelled()
                                       : s.as<FutureObject>()->future.cancelled();
        if (!done) vm.raise("InvalidStateError", "Exception is not set.");
        if (cancelled) vm.raise("CancelledError", {});
        const auto e = is_task ? s.as<TaskObject>()->state().exception()
                               : s.as<FutureObject>()->future.exception();
        return e ? vm.exception_of(e) : Object();
      });
    if (name == "add_done_callback")
      return m(name, [is_task](Vm& vm, Args& a) {
        a.take("context");
        call_arity(vm, a, 2, 2, "add_done_callback");
        Object self = a.positional[0], cb = a.positional[1];
        auto run = [&vm, self, cb](auto&) { vm.call(cb, {self}); };
        if (is_task)
          self.as<TaskObject>()->add_done_callback(run);
        else
          self.as<FutureObject>()->future.add_done_callback(run);
        return Object();
      });
    if (name == "set_result" && !is_task)
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 2, 2, "set_result");
        try {
          a.positional[0].as<FutureObject>()->future.set_result(a.positional[1]);
        } catch (const InvalidStateError&) {
          vm.raise("InvalidStateError", "invalid state");
        }
        return Object();
      });
    if (name == "set_exception" && !is_task)
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 2, 2, "set_exception");
        auto exc = a.positional[1];
        if (exc.heap_type() == HeapObject::Type::exception_type)
          exc = vm.call(exc, std::vector<Object>{});
        try {
          a.positional[0].as<FutureObject>()->future.set_exception(vm.to_cpp(exc));
        } catch (const InvalidStateError&) {
          vm.raise("InvalidStateError", "invalid state");
        }
        return Object();
      });
    if (is_task) {
      if (name == "get_name")
        return m(name, [](Vm& vm, Args& a) {
          call_arity(vm, a, 1, 1, "get_name");
          return Object(a.positional[0].as<TaskObject>()->name());
        });
      if (name == "set_name")
        return m(name, [](Vm& vm, Args& a) {
          call_arity(vm, a, 2, 2, "set_name");
          a.positional[0].as<TaskObject>()->set_name(a.positional[1].str());
          return Object();
        });
      if (name == "get_coro")
        return m(name, [](Vm& vm, Args& a) {
          call_arity(vm, a, 1, 1, "get_coro");
          return a.positional[0].as<TaskObject>()->coro;
        });
      if (name == "cancelling")
        return m(name, [](Vm& vm, Args& a) {
          call_arity(vm, a, 1, 1, "cancelling");
          return Object(std::int64_t{a.positional[0].as<TaskObject>()->cancelling()});
        });
    }
    vm.raise("AttributeError",
             fmt::format("'{}' object has no attribute '{}'", obj.type_name(), name));
  }
  // Primitives.
  auto* p = obj.as<PrimitiveObject>();
  auto m = [&](std::string n, NativeFn f) {
    return native_method(obj, std::move(n), std::move(f));
  };
  const auto& kind = p->kind;
  if (kind == "Lock" || kind == "Semaphore" || kind == "BoundedSemaphore") {
    if (name == "acquire")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "acquire");
        auto self = a.positional[0];
        return native_coro("acquire", [self]() -> Coro<Object> {
          auto* po = self.as<PrimitiveObject>();
          if (po->lock) co_return Object(co_await po->lock->acquire());
          co_return Object(co_await po->semaphore->acquire());
        });
      });
    if (name == "release")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "release");
        auto* po = a.positional[0].as<PrimitiveObject>();
        if (po->lock)
          po->lock->release();
        else
          po->semaphore->release();
        return Object();
      });
    if (name == "locked")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "locked");
        auto* po = a.positional[0].as<PrimitiveObject>();
        return Object(po->lock ? po->lock->locked() : po->semaphore->locked());
      });
  }
  if (kind == "Handle" || kind == "TimerHandle") {
    if (name == "cancel" || name == "cancelled")
      return m(name, [name](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, name);
        auto& h = *static_cast<HandleState*>(a.positional[0].as<PrimitiveObject>()->state.get());
        if (name == "cancelled") return Object(h.cancelled);
        h.handle.cancel();
        h.cancelled = true;
        return Object();
      });
  }
  if (kind == "Event") {
    if (name == "set" || name == "clear" || name == "is_set")
      return m(name, [name](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, name);
        auto& e = *a.positional[0].as<PrimitiveObject>()->event;
        if (name == "set") e.set();
        if (name == "clear") e.clear();
        return name == "is_set" ? Object(e.is_set()) : Object();
      });
    if (name == "wait")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "wait");
        auto self = a.positional[0];
        return native_coro("wait", [self]() -> Coro<Object> {
          co_await self.as<PrimitiveObject>()->event->wait();
          co_return Object(true);
        });
      });
  }
  if (kind == "Queue") {
    auto& q = *p->queue;
    if (name == "maxsize") return Object(std::int64_t{q.maxsize()});
    if (name == "put" || name == "get" || name == "join")
      return m(name, [name](Vm& vm, Args& a) {
        call_arity(vm, a, name == "put" ? 2 : 1, name == "put" ? 2 : 1, name);
        auto self = a.positional[0];
        auto item = name == "put" ? a.positional[1] : Object();
        return native_coro(name, [self, item, name]() -> Coro<Object> {
          auto& queue = *self.as<PrimitiveObject>()->queue;
          if (name == "put") {
            co_await queue.put(item);
            co_return Object();
          }
          if (name == "join") {
            co_await queue.join();
            co_return Object();
          }
          co_return co_await queue.get();
        });
      });
    if (name == "put_nowait" || name == "get_nowait" || name == "task_done" || name == "qsize" ||
        name == "empty" || name == "full")
      return m(name, [name](Vm& vm, Args& a) {
        call_arity(vm, a, name == "put_nowait" ? 2 : 1, name == "put_nowait" ? 2 : 1, name);
        auto& queue = *a.positional[0].as<PrimitiveObject>()->queue;
        if (name == "put_nowait") {
          queue.put_nowait(a.positional[1]);
          return Object();
        }
        if (name == "get_nowait") return queue.get_nowait();
        if (name == "task_done") {
          queue.task_done();
          return Object();
        }
        if (name == "qsize") return Object(static_cast<std::int64_t>(queue.qsize()));
        if (name == "empty") return Object(queue.empty());
        return Object(queue.full());
      });
  }
  if (kind == "TaskGroup" && name == "create_task")
    return m(name, [](Vm& vm, Args& a) {
      auto task_name = a.take("name");
      a.take("context");
      call_arity(vm, a, 2, 2, "create_task");
      auto* po = a.positional[0].as<PrimitiveObject>();
      auto* gs = static_cast<GroupState*>(po->state.get());
      if (!gs)
        vm.raise("RuntimeError",
                 fmt::format("TaskGroup {} has not been entered", a.positional[0].repr()));
      auto coro = a.positional[1];
      auto* c = coro.as<CoroutineObject>();
      if (!c) vm.raise("TypeError", fmt::format("a coroutine was expected, got {}", coro.repr()));
      if (c->started) vm.raise("RuntimeError", "cannot reuse already awaited coroutine");
      c->started = true;
      std::string n = vm.next_task_name(); // taken even when named, as 3.11's
      if (task_name && task_name->kind() != Object::Kind::none) n = task_name->str();
      auto body = c->sleep() ? [](Duration d) -> Coro<Object> {
        co_await SleepForAwaiter{d};
        co_return Object();
      }(*c->sleep())
          : c->native ? c->native->run()
                      : vm.run_async(c->frame);
      auto task = gs->group.create_task(std::move(body), vm.light ? std::string() : n);
      Object t(static_cast<HeapObject*>(new TaskObject(std::move(task), std::move(n), coro)));
      vm.track(t);
      return t;
    });
  if (kind == "loop") {
    if (name == "time")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "time");
        return Object(vm.now());
      });
    if (name == "create_future")
      return m(name, [](Vm& vm, Args& a) {
        call_arity(vm, a, 1, 1, "create_future");
        return Object(static_cast<HeapObject*>(new FutureObject(Future<Object>())));
      });
    if (name == "call_soon" || name == "call_later" || name == "call_at")
      return m(name, [name](Vm& vm, Args& a) {
        a.take("context");
        if (a.positional.size() < (name == "call_soon" ? 2u : 3u))
          vm.raise("TypeError", fmt::format("{}() missing a required argument", name));
        double delay = 0;
        std::size_t first = 2;
        if (name != "call_soon") {
          delay = seconds_arg(vm, a.positional[1], name.c_str());
          if (name == "call_at") delay -= vm.now();
          first = 3;
        }
        Object cb = a.positional[first - 1];
        std::vector<Object> args(a.positional.begin() + static_cast<std::ptrdiff_t>(first),
                                 a.positional.end());
        // Its Handle (TimerHandle): cancel() and cancelled().
        auto handle = primitive(name == "call_soon" ? "Handle" : "TimerHandle");
        handle.as<PrimitiveObject>()->state = std::make_shared<HandleState>(
            vm.schedule(seconds(delay), name == "call_soon", cb, std::move(args)));
        return handle;
      });
  }
  return std::nullopt;
}

} // namespace asyncdemo::py
