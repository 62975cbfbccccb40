// The second interpreter of a Script: it writes the asyncio program the
// script is (--python), as a tree (ast.hpp) printed as Python. Each
// instruction is written by its verb (verbs.cpp) from the same instructions
// the run takes (interpreter.cpp); main() composes the jobs as the mode says
// (composition_of), as the run does. A mode's program is written in its own
// form: sync mode's plain functions are written so, never made by editing
// the async program's text.
#include "asyncdemo/script/python_writer.hpp"

#include "twin.hpp"
#include "verbs.hpp"

#include <algorithm>

namespace asyncdemo::script {

namespace {

namespace py = ast;

// The [shared] variables a body assigns: its `global` statement.
void assigned(const Script& s, const std::vector<Instr>& code, std::vector<std::string>& out) {
  for (const auto& in : code) {
    if (in.op == Instr::Op::set_shared)
      for (const auto& sp : s.shared)
        if (sp.global == in.slot && std::find(out.begin(), out.end(), sp.name) == out.end())
          out.push_back(sp.name);
    assigned(s, in.inner, out);
    assigned(s, in.handler, out);
  }
}

void globals(Block& body, const Script& s, std::initializer_list<const std::vector<Instr>*> codes) {
  std::vector<std::string> names;
  for (const auto* code : codes)
    assigned(s, *code, names);
  if (!names.empty()) body.push_back(py::global(std::move(names)));
}

void append(Block& to, Block&& from) {
  for (auto& s : from)
    to.push_back(std::move(s));
}

StmtPtr coroutine(Twin& w, const Coroutine& c) {
  const Script& s = w.script();
  std::vector<std::string> params;
  // As the main's calls give them, whether the body reads index and item or not.
  if (c.count) params = {"index"};
  if (c.each) params = {"index", "item"};
  Block body;
  globals(body, s, {&c.body.code, &c.body.on_cancel});
  auto code = w.body(c.body.code, c.body.slot_names, c.body.task_names);
  if (c.body.on_cancel.empty()) {
    append(body, std::move(code));
  } else { // except asyncio.CancelledError: on_cancel; raise
    Handler h;
    h.type = py::dotted("asyncio.CancelledError");
    h.body = w.body(c.body.on_cancel, c.body.slot_names, c.body.task_names);
    h.body.push_back(py::raise_());
    std::vector<Handler> handlers;
    handlers.push_back(std::move(h));
    body.push_back(py::try_(std::move(code), std::move(handlers)));
  }
  return py::function(c.function, std::move(params), std::move(body), !w.blocking());
}

// A job's call as main makes it, and the loop it is made in: coffee(), or
// worker(index) in `for index in range(count)`, or job1(index, item) in
// `for index, item in enumerate(each)`.
struct JobCall {
  const Coroutine* job;
  ExprPtr call() const {
    std::vector<ExprPtr> args;
    if (job->count || job->each) args.push_back(py::name("index"));
    if (job->each) args.push_back(py::name("item"));
    return py::call(py::name(job->function), std::move(args));
  }
  // `body` inside the job's loop, if it has one.
  StmtPtr looped(Block body) const {
    if (job->count) {
      std::vector<ExprPtr> args;
      args.push_back(py::copy(*job->count));
      return py::for_(py::name("index"), py::call(py::name("range"), std::move(args)),
                      std::move(body));
    }
    std::vector<ExprPtr> pair, args;
    pair.push_back(py::name("index"));
    pair.push_back(py::name("item"));
    args.push_back(py::copy(*job->each));
    return py::for_(py::tuple(std::move(pair)), py::call(py::name("enumerate"), std::move(args)),
                    std::move(body));
  }
  bool loops() const { return job->count || job->each; }
};

// main() in the mode: before, the jobs as the mode composes them (each
// result through `each`), after; or the file's own steps.
StmtPtr main_function(Twin& w, Mode mode) {
  using C = Composition::Collect;
  const Script& s = w.script();
  const Main& m = s.main;
  Block body;
  globals(body, s, {&m.before.code, &m.each.code, &m.after.code, &m.steps.code});
  auto section = [&](const Body& b) { return w.body(b.code, m.slot_names, m.task_names); };
  if (m.explicit_steps) {
    append(body, section(m.steps));
    return py::function("main", std::vector<std::string>{}, std::move(body), !w.blocking());
  }
  append(body, section(m.before));
  std::vector<JobCall> jobs;
  for (const auto& c : s.coroutines)
    if (c.job) jobs.push_back({&c});
  const bool each = !m.each.code.empty();
  // The result just obtained: kept, then seen by `each`.
  auto keep = [&](Block& into) {
    std::vector<ExprPtr> args;
    args.push_back(py::name("result"));
    into.push_back(py::expr(py::call(py::dotted("results.append"), std::move(args))));
    if (each) append(into, section(m.each));
  };
  // Statements once per job, in its loop if it has one.
  auto per_job = [&](const JobCall& j, Block stmts) {
    if (j.loops())
      body.push_back(j.looped(std::move(stmts)));
    else
      append(body, std::move(stmts));
  };
  body.push_back(py::assign(py::name("results"), py::list({})));
  body.back()->origin = &m.slots; // main's own: its results, then its tasks
  const auto how = composition_of(mode);
  if (!how.tasks) {
    for (const auto& j : jobs) {
      Block stmts;
      stmts.push_back(py::assign(py::name("result"), w.awaited(j.call())));
      stmts.back()->origin = j.job; // main awaits the job inline
      keep(stmts);
      per_job(j, std::move(stmts));
    }
  } else {
    body.push_back(py::assign(py::name("started"), py::list({})));
    body.back()->origin = &m.tasks;
    for (const auto& j : jobs) {
      std::vector<ExprPtr> made, append_args;
      made.push_back(j.call());
      made.push_back(py::keyword("name", py::fstring(j.job->task_name)));
      append_args.push_back(py::call(py::dotted("asyncio.create_task"), std::move(made)));
      Block stmts;
      stmts.push_back(py::expr(py::call(py::dotted("started.append"), std::move(append_args))));
      stmts.back()->origin = &j.job->task_name; // main makes the job's task
      per_job(j, std::move(stmts));
    }
    Block loop;
    switch (how.collect) {
    case C::each_call:
    case C::each_task:
      loop.push_back(py::assign(py::name("result"), py::await_(py::name("task"))));
      loop.back()->origin = &m; // main collects the results
      keep(loop);
      body.push_back(py::for_(py::name("task"), py::name("started"), std::move(loop)));
      break;
    case C::gather: {
      keep(loop);
      std::vector<ExprPtr> args;
      args.push_back(py::starred(py::name("started")));
      body.push_back(py::for_(py::name("result"),
                              py::await_(py::call(py::dotted("asyncio.gather"), std::move(args))),
                              std::move(loop)));
      body.back()->origin = &m;
      break;
    }
    case C::as_completed: {
      loop.push_back(py::assign(py::name("result"), py::await_(py::name("next_done"))));
      loop.back()->origin = &m;
      keep(loop);
      std::vector<ExprPtr> args;
      args.push_back(py::name("started"));
      body.push_back(py::for_(py::name("next_done"),
                              py::call(py::dotted("asyncio.as_completed"), std::move(args)),
                              std::move(loop)));
      break;
    }
    }
  }
  append(body, section(m.after));
  return py::function("main", std::vector<std::string>{}, std::move(body), !w.blocking());
}

// A primitive of [shared] as the program makes it: asyncio's, or in a plain
// program threading's lock and semaphores.
ExprPtr primitive(const SharedSpec& sp, bool blocking) {
  using K = SharedSpec::Kind;
  const bool threading = blocking && (sp.kind == K::lock || sp.kind == K::semaphore ||
                                      sp.kind == K::bounded_semaphore);
  std::vector<ExprPtr> args;
  if (sp.expr) args.push_back(py::copy(*sp.expr));
  return py::call(
      py::attribute(py::name(threading ? "threading" : "asyncio"), python_class(sp.kind)),
      std::move(args));
}

} // namespace

PythonSource python_of(const Script& s, const Context& ctx) {
  const bool blocking = composition_of(ctx.mode).blocking;
  Twin w(s, blocking);
  Block program;
  if (!s.params.empty()) {
    program.push_back(py::comment("The parameters (asyncdemo's options)."));
    for (const auto& p : s.params) {
      std::string why;
      const auto v = p.read(ctx.params.get(p.option), why);
      auto value = py::none();
      if (v) value->literal = *v;
      program.push_back(py::assign(py::name(p.name), std::move(value)));
    }
    program.push_back(py::blank());
  }
  if (!s.values.empty()) {
    program.push_back(py::comment("Worked out before main."));
    for (const auto& v : s.values)
      program.push_back(py::assign(py::name(v.name), py::copy(*v.expr)));
    program.push_back(py::blank());
  }
  bool threading = false;
  if (!s.shared.empty()) {
    program.push_back(py::comment("Shared by the coroutines."));
    for (const auto& sp : s.shared) {
      if (sp.kind == SharedSpec::Kind::value) {
        program.push_back(py::assign(py::name(sp.name), py::copy(*sp.expr)));
        continue;
      }
      auto made = primitive(sp, blocking);
      threading = threading || made->callee->args[0]->name == "threading";
      program.push_back(py::assign(py::name(sp.name), std::move(made)));
    }
    program.push_back(py::blank());
  }
  if (!s.params.empty() || !s.values.empty() || !s.shared.empty()) program.push_back(py::blank());
  for (const auto& c : s.coroutines) {
    program.push_back(coroutine(w, c));
    program.push_back(py::blank());
    program.push_back(py::blank());
  }
  program.push_back(main_function(w, ctx.mode));
  Origins origins;
  PythonSource out(print_program(program, origins));
  out.origins = std::move(origins);
  out.threading = threading;
  return out;
}

} // namespace asyncdemo::script
