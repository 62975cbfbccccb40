// The verbs of the scenario files: for each, how its step is read into
// instructions and how those are written as Python (verbs.hpp).
#include "verbs.hpp"

#include "reading.hpp"
#include "twin.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace asyncdemo::script {

namespace {

using K = SharedSpec::Kind;
using Op = Instr::Op;
namespace py = ast;

Instr at(const StepArgs& a, Op op) {
  Instr in;
  in.op = op;
  in.pos = a.reader.pos_of(a.node);
  return in;
}

// `as = "name"`: the variable that keeps the step's result.
void keep_as(StepArgs& a, Instr& in) {
  if (const auto* as = a.table.get("as")) in.slot = a.reader.define(*as, a.scope);
}

// A block's steps: nested, in the same scope, with no return inside.
void block(StepArgs& a, const toml::node& steps, std::vector<Instr>& into) {
  ++a.scope.blocks;
  a.reader.steps_of(steps, into, a.scope, a.returns, a.in_main);
  --a.scope.blocks;
  if (into.empty()) a.reader.fail(steps, "an empty block does nothing; give it at least one step");
}

void on_timeout(StepArgs& a, Instr& in) {
  if (const auto* h = a.table.get("on_timeout")) block(a, *h, in.handler);
}

// Coroutine names, each one the step may call.
void targets(StepArgs& a, Instr& in, std::string_view verb) {
  const auto* list = a.arg.as_array();
  if (!list || list->empty())
    a.reader.fail(a.arg, fmt::format("{} takes coroutine names: {{ {} = [\"a\", \"b\"], as = "
                                     "\"results\" }}",
                                     verb, verb));
  for (const auto& x : *list) {
    in.targets.push_back(a.reader.coroutine_index(x));
    a.reader.check_call(x, in.targets.back());
  }
}

// try: what `body` writes; except TimeoutError: the handler. Without one,
// just the body.
template <class F> void guarded(Twin& w, const Instr& in, F&& body) {
  if (in.handler.empty()) {
    body();
    return;
  }
  Block tried;
  {
    auto s = py::try_({}, {});
    auto* stmt = s.get();
    w.open(std::move(s));
    body();
    w.close();
    Handler h;
    h.type = py::name("TimeoutError");
    h.body = w.statements(in.handler);
    stmt->handlers.push_back(std::move(h));
  }
}

// f(), named as its task: f(), name='f'.
std::vector<ExprPtr> named_calls(Twin& w, const std::vector<int>& targets, ExprPtr maker) {
  std::vector<ExprPtr> out;
  for (const int t : targets) {
    std::vector<ExprPtr> args;
    args.push_back(w.call(t));
    args.push_back(py::keyword("name", py::str(w.function(t))));
    out.push_back(py::call(py::copy(*maker), std::move(args)));
  }
  return out;
}

// ---- print, sleep, block ----

void read_print(StepArgs& a) {
  auto in = at(a, Op::print);
  in.text = a.reader.text_in(a.arg, "print", 10'000, a.scope);
  a.out.push_back(std::move(in));
}
void write_print(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  args.push_back(py::fstring(in.text));
  w.emit(py::expr(py::call(py::name("print"), std::move(args))));
}

void read_sleep(StepArgs& a) {
  auto in = at(a, Op::sleep);
  in.expr = a.reader.duration(a.arg, a.scope, "sleep");
  a.out.push_back(std::move(in));
}
void write_sleep(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  args.push_back(w.seconds(*in.expr));
  if (w.blocking()) // a plain program: the wait blocks
    w.emit(py::expr(py::call(py::dotted("time.sleep"), std::move(args))));
  else
    w.emit(py::expr(py::await_(py::call(py::dotted("asyncio.sleep"), std::move(args)))));
}

void read_block(StepArgs& a) {
  auto in = at(a, Op::block);
  in.expr = a.reader.duration(a.arg, a.scope, "block");
  a.out.push_back(std::move(in));
}
void write_block(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  args.push_back(w.seconds(*in.expr));
  // Only beside an event loop is there a loop to hold.
  w.emit(py::expr(py::call(py::dotted("time.sleep"), std::move(args)),
                  w.blocking() ? std::string() : "holds the loop"));
}

// ---- repeat, set, return, if ----

void read_repeat(StepArgs& a) {
  auto in = at(a, Op::loop);
  in.expr = a.reader.count(a.arg, a.scope, "repeat");
  in.counter = a.scope.hidden();
  if (const auto* as = a.table.get("as")) in.slot = a.reader.define(*as, a.scope);
  const auto* body = a.table.get("steps");
  if (!body) a.reader.fail(a.node, "repeat needs steps: { repeat = 3, steps = [ ... ] }");
  const auto loop_at = a.out.size();
  a.out.push_back(std::move(in));
  a.reader.steps_of(*body, a.out, a.scope, a.returns, a.in_main);
  Instr next = at(a, Op::next);
  next.counter = a.out[loop_at].counter;
  next.slot = a.out[loop_at].slot;
  next.jump = static_cast<int>(loop_at);
  a.out.push_back(std::move(next));
  a.out[loop_at].jump = static_cast<int>(a.out.size());
}
void write_repeat(Twin& w, const Instr& in) {
  if (in.op == Op::next) {
    w.close();
    return;
  }
  std::vector<ExprPtr> args;
  args.push_back(py::copy(*in.expr));
  w.open(py::for_(in.slot >= 0 ? w.slot(in.slot) : py::name("_"),
                  py::call(py::name("range"), std::move(args)), {}));
}

void read_set(StepArgs& a) {
  auto in = at(a, Op::set);
  const auto& to =
      a.reader.need(a.table, "to", a.node, "the value: a number, or an expression in a string");
  in.expr = a.reader.expression(to, a.scope);
  if (const int g = a.reader.shared_value(a.arg); g >= 0) { // a [shared] variable: the global
    in.op = Op::set_shared;
    in.slot = g;
  } else {
    in.slot =
        a.reader.define(a.arg, a.scope); // after the value: set = "x", to = "x + 1" reads the old x
  }
  a.out.push_back(std::move(in));
}
void write_set(Twin& w, const Instr& in) {
  if (in.op == Op::set_shared) {
    for (const auto& sp : w.script().shared)
      if (sp.global == in.slot) w.emit(py::assign(py::name(sp.name), py::copy(*in.expr)));
    return;
  }
  w.emit(py::assign(w.slot(in.slot), py::copy(*in.expr)));
}

void read_return(StepArgs& a) {
  if (a.scope.blocks > 0)
    a.reader.fail(a.node, "return inside a with, timeout or if block is not taken here; set a "
                          "variable and return it after the block");
  auto in = at(a, Op::ret);
  in.expr = a.reader.expression(a.arg, a.scope);
  a.returns = true;
  a.out.push_back(std::move(in));
}
void write_return(Twin& w, const Instr& in) {
  w.emit(py::return_(py::copy(*in.expr)));
}

void read_if(StepArgs& a) {
  auto in = at(a, Op::if_);
  in.expr = a.reader.expression(a.arg, a.scope);
  const auto* then = a.table.get("steps");
  if (!then)
    a.reader.fail(a.node, "if needs steps: { if = \"use_lock\", steps = [ ... ], else = [ ... ] }");
  const auto if_at = a.out.size();
  a.out.push_back(std::move(in));
  ++a.scope.blocks;
  a.reader.steps_of(*then, a.out, a.scope, a.returns, a.in_main);
  if (const auto* otherwise = a.table.get("else")) {
    Instr jump;
    jump.op = Op::else_;
    jump.pos = a.reader.pos_of(*otherwise);
    const auto else_at = a.out.size();
    a.out.push_back(std::move(jump));
    a.out[if_at].jump = static_cast<int>(a.out.size());
    a.reader.steps_of(*otherwise, a.out, a.scope, a.returns, a.in_main);
    a.out[else_at].jump = static_cast<int>(a.out.size());
  } else {
    a.out[if_at].jump = static_cast<int>(a.out.size());
  }
  --a.scope.blocks;
  // The jumps land on end_if, which does nothing: past it either way.
  a.out.push_back(at(a, Op::end_if));
}
void write_if(Twin& w, const Instr& in) {
  if (in.op == Op::else_)
    w.open_else();
  else if (in.op == Op::end_if)
    w.close();
  else
    w.open(py::if_(py::copy(*in.expr), {}));
}

// ---- coroutines and tasks ----

void read_call(StepArgs& a) {
  auto in = at(a, Op::call);
  in.target = a.reader.coroutine_index(a.arg);
  a.reader.check_call(a.arg, in.target);
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_call(Twin& w, const Instr& in) {
  w.emit(w.keep(in.slot, w.awaited(w.call(in.target))));
}

void read_task(StepArgs& a) {
  auto in = at(a, Op::task);
  in.target = a.reader.coroutine_index(a.arg);
  a.reader.check_call(a.arg, in.target);
  const auto* as = a.table.get("as");
  if (!as) a.reader.fail(a.node, "a task step names its task: { task = \"worker\", as = \"t\" }");
  in.task = a.reader.define_task(*as, a.scope);
  if (const auto* name = a.table.get("name"))
    in.text = a.reader.text_in(*name, "name", 60, a.scope);
  else {
    FString::Piece piece;
    piece.text = a.reader.script().coroutines[static_cast<std::size_t>(in.target)].function;
    in.text.pieces.push_back(std::move(piece));
  }
  a.out.push_back(std::move(in));
}
void write_task(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  args.push_back(w.call(in.target));
  args.push_back(py::keyword("name", py::fstring(in.text)));
  w.emit(py::assign(w.task(in.task), py::call(py::dotted("asyncio.create_task"), std::move(args))));
}

void read_await(StepArgs& a) {
  auto in = at(a, Op::await_);
  in.task = a.reader.task_of(a.arg, a.scope);
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_await(Twin& w, const Instr& in) {
  w.emit(w.keep(in.slot, py::await_(w.task(in.task))));
}

void read_cancel(StepArgs& a) {
  auto in = at(a, Op::cancel);
  in.task = a.reader.task_of(a.arg, a.scope);
  a.out.push_back(std::move(in));
}
void write_cancel(Twin& w, const Instr& in) {
  w.emit(py::expr(py::call(py::attribute(w.task(in.task), "cancel"))));
}

void read_gather(StepArgs& a) {
  auto in = at(a, Op::gather);
  const auto* list = a.arg.as_array();
  if (!list || list->empty())
    a.reader.fail(a.arg,
                  "gather takes coroutine names: { gather = [\"a\", \"b\"], as = \"results\" }");
  for (const auto& x : *list) {
    in.targets.push_back(a.reader.coroutine_index(x));
    a.reader.check_call(x, in.targets.back());
  }
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_gather(Twin& w, const Instr& in) {
  std::vector<ExprPtr> calls;
  for (const int t : in.targets)
    calls.push_back(w.call(t));
  w.emit(w.keep(in.slot, py::await_(py::call(py::dotted("asyncio.gather"), std::move(calls)))));
}

// ---- the primitives ----

void read_with(StepArgs& a) {
  auto in = at(a, Op::with);
  in.target = a.reader.shared_of(a.arg, {K::lock, K::semaphore, K::bounded_semaphore}, "with",
                                 "lock = \"Lock()\"");
  const auto* steps = a.table.get("steps");
  if (!steps) a.reader.fail(a.node, "with needs steps: { with = \"lock\", steps = [ ... ] }");
  block(a, *steps, in.inner);
  a.out.push_back(std::move(in));
}
void write_with(Twin& w, const Instr& in) {
  // A plain program's lock is threading's, held with a plain with.
  std::vector<WithItem> items;
  items.push_back({w.shared(in.target), nullptr});
  w.emit(py::with_(std::move(items), w.statements(in.inner), !w.blocking()));
}

void read_timeout(StepArgs& a) {
  auto in = at(a, Op::timeout);
  in.expr = a.reader.seconds_value(a.arg, a.scope, "timeout");
  const auto* steps = a.table.get("steps");
  if (!steps) a.reader.fail(a.node, "timeout needs steps: { timeout = 2, steps = [ ... ] }");
  block(a, *steps, in.inner);
  on_timeout(a, in);
  a.out.push_back(std::move(in));
}
void write_timeout(Twin& w, const Instr& in) {
  guarded(w, in, [&] {
    std::vector<ExprPtr> args;
    args.push_back(w.seconds(*in.expr));
    std::vector<WithItem> items;
    items.push_back({py::call(py::dotted("asyncio.timeout"), std::move(args)), nullptr});
    w.emit(py::with_(std::move(items), w.statements(in.inner), true));
  });
}

void read_wait_for(StepArgs& a) {
  auto in = at(a, Op::wait_for);
  in.target = a.reader.coroutine_index(a.arg);
  a.reader.check_call(a.arg, in.target);
  const auto& limit =
      a.reader.need(a.table, "timeout", a.node, "seconds: { wait_for = \"job\", timeout = 2 }");
  in.expr = a.reader.seconds_value(limit, a.scope, "timeout");
  on_timeout(a, in);
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_wait_for(Twin& w, const Instr& in) {
  if (in.slot >= 0 && !in.handler.empty()) w.emit(py::assign(w.slot(in.slot), py::none()));
  guarded(w, in, [&] {
    std::vector<ExprPtr> args;
    args.push_back(w.call(in.target));
    args.push_back(py::keyword("timeout", w.seconds(*in.expr)));
    w.emit(w.keep(in.slot, py::await_(py::call(py::dotted("asyncio.wait_for"), std::move(args)))));
  });
}

void read_taskgroup(StepArgs& a) {
  auto in = at(a, Op::taskgroup);
  targets(a, in, "taskgroup");
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_taskgroup(Twin& w, const Instr& in) {
  Block body;
  body.push_back(py::assign(py::name("_group"),
                            py::list(named_calls(w, in.targets, py::dotted("_tg.create_task")))));
  std::vector<WithItem> items;
  items.push_back({py::call(py::dotted("asyncio.TaskGroup")), py::name("_tg")});
  w.emit(py::with_(std::move(items), std::move(body), true));
  if (in.slot >= 0)
    w.emit(py::assign(w.slot(in.slot), py::comprehension(py::call(py::dotted("_t.result")), "_t",
                                                         py::name("_group"))));
}

void read_wait(StepArgs& a) {
  auto in = at(a, Op::wait);
  targets(a, in, "wait");
  in.word = "ALL_COMPLETED";
  if (const auto* when = a.table.get("return_when")) {
    in.word = a.reader.text_of(*when, "return_when", 20);
    if (in.word != "FIRST_COMPLETED" && in.word != "FIRST_EXCEPTION" && in.word != "ALL_COMPLETED")
      a.reader.fail(*when, fmt::format("return_when {} is not one of FIRST_COMPLETED, "
                                       "FIRST_EXCEPTION, ALL_COMPLETED",
                                       quote(in.word)));
  }
  if (const auto* limit = a.table.get("timeout"))
    in.expr = a.reader.seconds_value(*limit, a.scope, "timeout");
  if (const auto* c = a.table.get("cancel_pending")) {
    if (!c->is_boolean()) a.reader.fail(*c, "cancel_pending is true or false");
    in.flag = *c->value<bool>();
  }
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_wait(Twin& w, const Instr& in) {
  w.emit(py::assign(py::name("_tasks"),
                    py::list(named_calls(w, in.targets, py::dotted("asyncio.create_task")))));
  std::vector<ExprPtr> args;
  args.push_back(py::name("_tasks"));
  args.push_back(py::keyword("return_when", py::dotted("asyncio." + in.word)));
  if (in.expr) args.push_back(py::keyword("timeout", w.seconds(*in.expr)));
  std::vector<ExprPtr> pair;
  pair.push_back(py::name("_done"));
  pair.push_back(py::name("_pending"));
  w.emit(py::assign(py::tuple(std::move(pair)),
                    py::await_(py::call(py::dotted("asyncio.wait"), std::move(args)))));
  if (in.flag) { // in the order given: sets have none
    Block cancel;
    cancel.push_back(py::expr(py::call(py::dotted("_t.cancel"))));
    Block each;
    each.push_back(
        py::if_(py::compare("in", py::name("_t"), py::name("_pending")), std::move(cancel)));
    auto loop = py::for_(py::name("_t"), py::name("_tasks"), std::move(each));
    loop->note = "in the order given: sets have none";
    w.emit(std::move(loop));
  }
  if (in.slot >= 0)
    w.emit(py::assign(w.slot(in.slot),
                      py::comprehension(py::call(py::dotted("_t.result")), "_t", py::name("_tasks"),
                                        py::compare("in", py::name("_t"), py::name("_done")))));
}

void read_to_thread(StepArgs& a) {
  auto in = at(a, Op::to_thread);
  in.expr = a.reader.duration(a.arg, a.scope, "to_thread");
  a.out.push_back(std::move(in));
}
void write_to_thread(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  if (w.blocking()) { // a plain program makes the call itself
    args.push_back(w.seconds(*in.expr));
    w.emit(py::expr(py::call(py::dotted("time.sleep"), std::move(args))));
    return;
  }
  args.push_back(py::dotted("time.sleep"));
  args.push_back(w.seconds(*in.expr));
  w.emit(py::expr(py::await_(py::call(py::dotted("asyncio.to_thread"), std::move(args)))));
}

void read_raise(StepArgs& a) {
  auto in = at(a, Op::raise);
  in.word = a.reader.text_of(a.arg, "an exception's type", 40);
  static const std::vector<std::string> types{"Exception", "ValueError", "RuntimeError",
                                              "TypeError", "TimeoutError"};
  if (std::find(types.begin(), types.end(), in.word) == types.end()) {
    const auto near = closest(in.word, types);
    a.reader.fail(a.arg,
                  fmt::format("{} is not an exception raise takes{}; use {}", quote(in.word),
                              near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                              fmt::join(types, ", ")));
  }
  if (const auto* m = a.table.get("message"))
    in.text = a.reader.text_in(*m, "message", 1000, a.scope);
  a.out.push_back(std::move(in));
}
void write_raise(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  if (!in.text.pieces.empty()) args.push_back(py::fstring(in.text));
  w.emit(py::raise_(py::call(py::name(in.word), std::move(args))));
}

// A queue's step: its shared name, and an item for put.
Instr queue_step(StepArgs& a, Op op, std::string_view verb) {
  auto in = at(a, op);
  in.target = a.reader.shared_of(a.arg, {K::queue}, verb, "queue = \"Queue(2)\"");
  return in;
}

void read_put(StepArgs& a, Op op, std::string_view verb) {
  auto in = queue_step(a, op, verb);
  in.expr = a.reader.expression(
      a.reader.need(a.table, "item", a.node, "what to put: { put = \"queue\", item = \"i\" }"),
      a.scope);
  a.out.push_back(std::move(in));
}
void read_put(StepArgs& a) {
  read_put(a, Op::put, "put");
}
void read_put_nowait(StepArgs& a) {
  read_put(a, Op::put_nowait, "put_nowait");
}
void write_put(Twin& w, const Instr& in) {
  std::vector<ExprPtr> args;
  args.push_back(py::copy(*in.expr));
  if (in.op == Op::put)
    w.emit(
        py::expr(py::await_(py::call(py::attribute(w.shared(in.target), "put"), std::move(args)))));
  else
    w.emit(py::expr(py::call(py::attribute(w.shared(in.target), "put_nowait"), std::move(args))));
}

void read_get(StepArgs& a) {
  auto in = queue_step(a, Op::get, "get");
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void read_get_nowait(StepArgs& a) {
  auto in = queue_step(a, Op::get_nowait, "get_nowait");
  keep_as(a, in);
  a.out.push_back(std::move(in));
}
void write_get(Twin& w, const Instr& in) {
  auto call = py::call(py::attribute(w.shared(in.target), in.op == Op::get ? "get" : "get_nowait"));
  w.emit(w.keep(in.slot, in.op == Op::get ? py::await_(std::move(call)) : std::move(call)));
}

void read_task_done(StepArgs& a) {
  a.out.push_back(queue_step(a, Op::task_done, "task_done"));
}
void read_join(StepArgs& a) {
  a.out.push_back(queue_step(a, Op::join, "join"));
}
void write_queue_call(Twin& w, const Instr& in) {
  if (in.op == Op::join)
    w.emit(py::expr(py::await_(py::call(py::attribute(w.shared(in.target), "join")))));
  else
    w.emit(py::expr(py::call(py::attribute(w.shared(in.target), "task_done"))));
}

Instr event_step(StepArgs& a, Op op, std::string_view verb) {
  auto in = at(a, op);
  in.target = a.reader.shared_of(a.arg, {K::event}, verb, "gate = \"Event()\"");
  return in;
}
void read_set_event(StepArgs& a) {
  a.out.push_back(event_step(a, Op::set_event, "set_event"));
}
void read_clear_event(StepArgs& a) {
  a.out.push_back(event_step(a, Op::clear_event, "clear_event"));
}
void read_wait_event(StepArgs& a) {
  a.out.push_back(event_step(a, Op::wait_event, "wait_event"));
}
void write_event(Twin& w, const Instr& in) {
  const char* method = in.op == Op::set_event ? "set" : in.op == Op::clear_event ? "clear" : "wait";
  auto call = py::call(py::attribute(w.shared(in.target), method));
  w.emit(py::expr(in.op == Op::wait_event ? py::await_(std::move(call)) : std::move(call)));
}

} // namespace

const std::vector<Verb>& verbs() {
  // needs_loop: only an event loop can run the step (a plain program has
  // none): the tasks and the primitives, but a lock (a plain program's is
  // threading's) and to_thread (a plain program calls the function). A
  // file that uses one has no sync mode.
  static const std::vector<Verb> table{
      {"print", {}, false, read_print, write_print},
      {"sleep", {}, false, read_sleep, write_sleep},
      {"block", {}, false, read_block, write_block},
      {"repeat", {"steps", "as"}, false, read_repeat, write_repeat},
      {"set", {"to"}, false, read_set, write_set},
      {"return", {}, false, read_return, write_return},
      {"call", {"as"}, false, read_call, write_call},
      {"task", {"as", "name"}, true, read_task, write_task},
      {"await", {"as"}, true, read_await, write_await},
      {"cancel", {}, true, read_cancel, write_cancel},
      {"gather", {"as"}, true, read_gather, write_gather},
      {"if", {"steps", "else"}, false, read_if, write_if},
      {"with", {"steps"}, false, read_with, write_with},
      {"timeout", {"steps", "on_timeout"}, true, read_timeout, write_timeout},
      {"wait_for", {"timeout", "as", "on_timeout"}, true, read_wait_for, write_wait_for},
      {"taskgroup", {"as"}, true, read_taskgroup, write_taskgroup},
      {"wait", {"return_when", "timeout", "cancel_pending", "as"}, true, read_wait, write_wait},
      {"to_thread", {}, false, read_to_thread, write_to_thread},
      {"raise", {"message"}, false, read_raise, write_raise},
      {"put", {"item"}, true, read_put, write_put},
      {"put_nowait", {"item"}, true, read_put_nowait, write_put},
      {"get", {"as"}, true, read_get, write_get},
      {"get_nowait", {"as"}, true, read_get_nowait, write_get},
      {"task_done", {}, true, read_task_done, write_queue_call},
      {"join", {}, true, read_join, write_queue_call},
      {"set_event", {}, true, read_set_event, write_event},
      {"clear_event", {}, true, read_clear_event, write_event},
      {"wait_event", {}, true, read_wait_event, write_event},
  };
  return table;
}

const Verb* find_verb(std::string_view name) {
  for (const auto& v : verbs())
    if (v.name == name) return &v;
  return nullptr;
}

const Verb& verb_of(Instr::Op op) {
  static const auto by_op = [] {
    std::vector<const Verb*> out(static_cast<std::size_t>(Op::wait_event) + 1, nullptr);
    auto set = [&](Op o, std::string_view verb) {
      out[static_cast<std::size_t>(o)] = find_verb(verb);
    };
    set(Op::print, "print");
    set(Op::sleep, "sleep");
    set(Op::block, "block");
    set(Op::loop, "repeat");
    set(Op::next, "repeat");
    set(Op::set, "set");
    set(Op::set_shared, "set");
    set(Op::ret, "return");
    set(Op::call, "call");
    set(Op::task, "task");
    set(Op::await_, "await");
    set(Op::cancel, "cancel");
    set(Op::gather, "gather");
    set(Op::if_, "if");
    set(Op::else_, "if");
    set(Op::end_if, "if");
    set(Op::with, "with");
    set(Op::timeout, "timeout");
    set(Op::wait_for, "wait_for");
    set(Op::taskgroup, "taskgroup");
    set(Op::wait, "wait");
    set(Op::to_thread, "to_thread");
    set(Op::raise, "raise");
    set(Op::put, "put");
    set(Op::put_nowait, "put_nowait");
    set(Op::get, "get");
    set(Op::get_nowait, "get_nowait");
    set(Op::task_done, "task_done");
    set(Op::join, "join");
    set(Op::set_event, "set_event");
    set(Op::clear_event, "clear_event");
    set(Op::wait_event, "wait_event");
    return out;
  }();
  const auto* v = by_op.at(static_cast<std::size_t>(op));
  if (!v) throw std::logic_error("an instruction without its verb");
  return *v;
}

bool needs_loop(Instr::Op op) noexcept {
  return verb_of(op).needs_loop;
}

bool lean(Instr::Op op) noexcept {
  switch (op) {
  case Op::print:
  case Op::sleep:
  case Op::block:
  case Op::loop:
  case Op::next:
  case Op::set:
  case Op::ret:
    return true;
  default:
    return false;
  }
}

// ---- reading a list of steps ----

void Reading::steps_of(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
                       bool in_main) {
  const auto* a = node.as_array();
  if (!a)
    fail(node, fmt::format("steps must be an array of steps, e.g. [ {{ sleep = 1 }} ], not {}",
                           type_of(node)));
  if (++scope.depth > max_nesting)
    fail(node, fmt::format("steps nest deeper than {} levels", max_nesting));
  for (const auto& s : *a)
    step(s, out, scope, returns, in_main);
  --scope.depth;
}

void Reading::step(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
                   bool in_main) {
  const auto* t = node.as_table();
  if (!t) fail(node, fmt::format("a step is a table, e.g. {{ sleep = 1 }}, not {}", type_of(node)));
  const Verb* verb = nullptr;
  // timeout is a verb of its own, and a key of wait_for and wait.
  const bool timeout_is_key = t->get("wait_for") || t->get("wait");
  for (const auto& [key, value] : *t)
    if (const auto* v = find_verb(key.str())) {
      if (key.str() == "timeout" && timeout_is_key) continue;
      if (verb)
        fail(node,
             fmt::format("a step does one thing: '{}' or '{}', not both", verb->name, key.str()));
      verb = v;
    }
  if (!verb) {
    std::vector<std::string> names;
    for (const auto& v : verbs())
      names.emplace_back(v.name);
    const auto first = t->empty() ? std::string() : std::string(t->begin()->first.str());
    const auto near = closest(first, names);
    fail(node, fmt::format("{} is not a step{}; a step is one of {}",
                           first.empty() ? std::string("{}") : quote(first),
                           near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                           fmt::join(names, ", ")));
  }
  std::vector<std::string_view> keys{verb->name};
  keys.insert(keys.end(), verb->keys.begin(), verb->keys.end());
  const bool vowel = std::string_view("aeiou").find(verb->name.front()) != std::string_view::npos;
  only_keys(*t, keys, fmt::format("{} {} step", vowel ? "an" : "a", verb->name));
  StepArgs args{*this, *t, node, *t->get(verb->name), scope, returns, in_main, out};
  verb->read(args);
}

} // namespace asyncdemo::script
