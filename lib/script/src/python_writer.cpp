// The second interpreter of a Script: it writes the asyncio program the
// script is (--python). What the run does step by step (interpreter.cpp),
// this writes line by line: the same expressions, the same composition of
// the jobs in each mode, so that CPython prints the same lines.
#include "asyncdemo/script/python_writer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace asyncdemo::script {

namespace {

class Writer {
public:
  void line(int indent, const std::string& text) {
    out_ += std::string(static_cast<std::size_t>(indent) * 4, ' ') + text + "\n";
  }
  void blank() { out_ += "\n"; }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

std::string name_of(const std::vector<std::string>& names, int slot) {
  return names.at(static_cast<std::size_t>(slot));
}

std::string seconds(const Expr& e) {
  return to_python(e, 7) + " * SCALE";
}

std::string shared_name(const Script& s, int target) {
  return s.shared.at(static_cast<std::size_t>(target)).name;
}

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

void globals(Writer& w, const Script& s, std::initializer_list<const std::vector<Instr>*> codes) {
  std::vector<std::string> names;
  for (const auto* code : codes)
    assigned(s, *code, names);
  if (!names.empty()) w.line(1, fmt::format("global {}", fmt::join(names, ", ")));
}

// The instructions of a body as Python statements at `indent`.
void statements(Writer& w, const Script& s, const std::vector<Instr>& code,
                const std::vector<std::string>& slots, const std::vector<std::string>& tasks,
                int indent) {
  int depth = indent;
  bool opened = false; // the last line opened a block: an empty one needs pass
  auto assign = [&](int slot) { return slot >= 0 ? name_of(slots, slot) + " = " : std::string(); };
  auto function = [&](int target) {
    return s.coroutines[static_cast<std::size_t>(target)].function + "()";
  };
  auto calls = [&](const std::vector<int>& targets, std::string_view how) {
    std::string out;
    for (const int t : targets) {
      const auto& f = s.coroutines[static_cast<std::size_t>(t)].function;
      out += fmt::format("{}{}({}(), name={})", out.empty() ? "" : ", ", how, f, py_str(f));
    }
    return out;
  };
  // try: ... except TimeoutError: handler, around what `body` writes.
  auto guarded = [&](const Instr& in, auto&& body) {
    if (in.handler.empty()) {
      body(depth);
      return;
    }
    w.line(depth, "try:");
    body(depth + 1);
    w.line(depth, "except TimeoutError:");
    statements(w, s, in.handler, slots, tasks, depth + 1);
  };
  for (const auto& in : code) {
    if (in.op != Instr::Op::next && in.op != Instr::Op::else_ && in.op != Instr::Op::end_if)
      opened = false;
    switch (in.op) {
    case Instr::Op::print:
      w.line(depth, "print(" + to_python(in.text) + ")");
      break;
    case Instr::Op::sleep:
      w.line(depth, "await asyncio.sleep(" + seconds(*in.expr) + ")");
      break;
    case Instr::Op::block:
      w.line(depth, "time.sleep(" + seconds(*in.expr) + ")  # holds the loop");
      break;
    case Instr::Op::loop:
      w.line(depth, fmt::format("for {} in range({}):",
                                in.slot >= 0 ? name_of(slots, in.slot) : "_", to_python(*in.expr)));
      ++depth;
      opened = true;
      break;
    case Instr::Op::next:
      if (opened) w.line(depth, "pass");
      --depth;
      opened = false;
      break;
    case Instr::Op::set:
      w.line(depth, assign(in.slot) + to_python(*in.expr));
      break;
    case Instr::Op::ret:
      w.line(depth, "return " + to_python(*in.expr));
      break;
    case Instr::Op::call:
      w.line(depth, assign(in.slot) + "await " + function(in.target));
      break;
    case Instr::Op::task:
      w.line(depth, fmt::format("{} = asyncio.create_task({}, name={})", name_of(tasks, in.task),
                                function(in.target), to_python(in.text)));
      break;
    case Instr::Op::await_:
      w.line(depth, assign(in.slot) + "await " + name_of(tasks, in.task));
      break;
    case Instr::Op::cancel:
      w.line(depth, name_of(tasks, in.task) + ".cancel()");
      break;
    case Instr::Op::gather: {
      std::string calls;
      for (const int t : in.targets)
        calls += (calls.empty() ? "" : ", ") + function(t);
      w.line(depth, assign(in.slot) + "await asyncio.gather(" + calls + ")");
      break;
    }
    case Instr::Op::set_shared:
      for (const auto& sp : s.shared)
        if (sp.global == in.slot) w.line(depth, sp.name + " = " + to_python(*in.expr));
      break;
    case Instr::Op::if_:
      w.line(depth, "if " + to_python(*in.expr) + ":");
      ++depth;
      opened = true;
      break;
    case Instr::Op::else_:
      if (opened) w.line(depth, "pass");
      w.line(depth - 1, "else:");
      opened = true;
      break;
    case Instr::Op::end_if:
      if (opened) w.line(depth, "pass");
      --depth;
      opened = false;
      break;
    case Instr::Op::with:
      w.line(depth, "async with " + shared_name(s, in.target) + ":");
      statements(w, s, in.inner, slots, tasks, depth + 1);
      break;
    case Instr::Op::timeout:
      guarded(in, [&](int at) {
        w.line(at, "async with asyncio.timeout(" + seconds(*in.expr) + "):");
        statements(w, s, in.inner, slots, tasks, at + 1);
      });
      break;
    case Instr::Op::wait_for:
      if (in.slot >= 0 && !in.handler.empty()) w.line(depth, assign(in.slot) + "None");
      guarded(in, [&](int at) {
        w.line(at, fmt::format("{}await asyncio.wait_for({}, timeout={})", assign(in.slot),
                               function(in.target), seconds(*in.expr)));
      });
      break;
    case Instr::Op::taskgroup:
      w.line(depth, "async with asyncio.TaskGroup() as _tg:");
      w.line(depth + 1, "_group = [" + calls(in.targets, "_tg.create_task") + "]");
      if (in.slot >= 0) w.line(depth, assign(in.slot) + "[_t.result() for _t in _group]");
      break;
    case Instr::Op::wait:
      w.line(depth, "_tasks = [" + calls(in.targets, "asyncio.create_task") + "]");
      w.line(depth, fmt::format("_done, _pending = await asyncio.wait(_tasks, "
                                "return_when=asyncio.{}{})",
                                in.word, in.expr ? ", timeout=" + seconds(*in.expr) : ""));
      if (in.flag) {
        w.line(depth, "for _t in _tasks:  # in the order given: sets have none");
        w.line(depth + 1, "if _t in _pending:");
        w.line(depth + 2, "_t.cancel()");
      }
      if (in.slot >= 0)
        w.line(depth, assign(in.slot) + "[_t.result() for _t in _tasks if _t in _done]");
      break;
    case Instr::Op::to_thread:
      w.line(depth, "await asyncio.to_thread(time.sleep, " + seconds(*in.expr) + ")");
      break;
    case Instr::Op::raise:
      w.line(depth, fmt::format("raise {}({})", in.word,
                                in.text.pieces.empty() ? std::string() : to_python(in.text)));
      break;
    case Instr::Op::put:
      w.line(depth,
             fmt::format("await {}.put({})", shared_name(s, in.target), to_python(*in.expr)));
      break;
    case Instr::Op::put_nowait:
      w.line(depth,
             fmt::format("{}.put_nowait({})", shared_name(s, in.target), to_python(*in.expr)));
      break;
    case Instr::Op::get:
      w.line(depth, fmt::format("{}await {}.get()", assign(in.slot), shared_name(s, in.target)));
      break;
    case Instr::Op::get_nowait:
      w.line(depth, fmt::format("{}{}.get_nowait()", assign(in.slot), shared_name(s, in.target)));
      break;
    case Instr::Op::task_done:
      w.line(depth, shared_name(s, in.target) + ".task_done()");
      break;
    case Instr::Op::join:
      w.line(depth, "await " + shared_name(s, in.target) + ".join()");
      break;
    case Instr::Op::set_event:
      w.line(depth, shared_name(s, in.target) + ".set()");
      break;
    case Instr::Op::clear_event:
      w.line(depth, shared_name(s, in.target) + ".clear()");
      break;
    case Instr::Op::wait_event:
      w.line(depth, "await " + shared_name(s, in.target) + ".wait()");
      break;
    }
  }
}

void coroutine(Writer& w, const Script& s, const Coroutine& c) {
  std::string args;
  // As call_of calls it, whether the body reads index and item or not.
  if (c.count) args = "index";
  if (c.each) args = "index, item";
  w.line(0, fmt::format("async def {}({}):", c.function, args));
  globals(w, s, {&c.body.code, &c.body.on_cancel});
  const bool guarded = !c.body.on_cancel.empty();
  if (guarded) w.line(1, "try:");
  statements(w, s, c.body.code, c.body.slot_names, c.body.task_names, guarded ? 2 : 1);
  if (guarded) {
    w.line(1, "except asyncio.CancelledError:");
    statements(w, s, c.body.on_cancel, c.body.slot_names, c.body.task_names, 2);
    w.line(2, "raise");
  }
  w.blank();
  w.blank();
}

// A job's call and, as a task, its name: coffee() and "coffee", or
// worker(index) in a loop over range(count), or job1(index, item) over
// enumerate(each).
struct Call {
  std::string loop; // "" or the for line that gives index (and item)
  std::string call;
  std::string name;
};

Call call_of(const Coroutine& job) {
  Call c;
  if (job.count) {
    c.loop = "for index in range(" + to_python(*job.count) + "):";
    c.call = job.function + "(index)";
  } else if (job.each) {
    c.loop = "for index, item in enumerate(" + to_python(*job.each) + "):";
    c.call = job.function + "(index, item)";
  } else {
    c.call = job.function + "()";
  }
  c.name = to_python(job.task_name);
  return c;
}

// main() in the mode, as compose() in interpreter.cpp runs it.
void main_function(Writer& w, const Script& s, Mode mode) {
  const Main& m = s.main;
  w.line(0, "async def main():");
  globals(w, s, {&m.before.code, &m.each.code, &m.after.code, &m.steps.code});
  if (m.explicit_steps) {
    statements(w, s, m.steps.code, m.slot_names, m.task_names, 1);
    if (m.steps.code.empty()) w.line(1, "pass");
    return;
  }
  statements(w, s, m.before.code, m.slot_names, m.task_names, 1);
  std::vector<Call> calls;
  for (const auto& c : s.coroutines)
    if (c.job) calls.push_back(call_of(c));
  const bool each = !m.each.code.empty();
  auto keep = [&](int indent) {
    w.line(indent, "results.append(result)");
    if (each) statements(w, s, m.each.code, m.slot_names, m.task_names, indent);
  };
  w.line(1, "results = []");
  if (mode == Mode::sync || mode == Mode::await_) {
    for (const auto& c : calls) {
      const int in = c.loop.empty() ? 1 : 2;
      if (!c.loop.empty()) w.line(1, c.loop);
      w.line(in, "result = await " + c.call);
      keep(in);
    }
  } else {
    w.line(1, "started = []");
    for (const auto& c : calls) {
      const int in = c.loop.empty() ? 1 : 2;
      if (!c.loop.empty()) w.line(1, c.loop);
      w.line(in, fmt::format("started.append(asyncio.create_task({}, name={}))", c.call, c.name));
    }
    if (mode == Mode::create_task) {
      w.line(1, "for task in started:");
      w.line(2, "result = await task");
      keep(2);
    } else if (mode == Mode::gather) {
      w.line(1, "for result in await asyncio.gather(*started):");
      keep(2);
    } else {
      w.line(1, "for next_done in asyncio.as_completed(started):");
      w.line(2, "result = await next_done");
      keep(2);
    }
  }
  statements(w, s, m.after.code, m.slot_names, m.task_names, 1);
}

} // namespace

PythonSource python_of(const Script& s, const Context& ctx) {
  Writer w;
  if (!s.params.empty()) {
    w.line(0, "# The parameters (asyncdemo's options).");
    for (const auto& p : s.params) {
      std::string why;
      const auto v = p.read(ctx.params.get(p.option), why);
      w.line(0, fmt::format("{} = {}", p.name, v ? v->repr() : std::string("None")));
    }
    w.blank();
  }
  if (!s.values.empty()) {
    w.line(0, "# Worked out before main.");
    for (const auto& v : s.values)
      w.line(0, fmt::format("{} = {}", v.name, to_python(*v.expr)));
    w.blank();
  }
  if (!s.shared.empty()) {
    w.line(0, "# Shared by the coroutines.");
    for (const auto& sp : s.shared) {
      if (sp.kind == SharedSpec::Kind::value)
        w.line(0, fmt::format("{} = {}", sp.name, to_python(*sp.expr)));
      else
        w.line(0, fmt::format("{} = asyncio.{}({})", sp.name, python_class(sp.kind),
                              sp.expr ? to_python(*sp.expr) : std::string()));
    }
    w.blank();
  }
  if (!s.params.empty() || !s.values.empty() || !s.shared.empty()) w.blank();
  for (const auto& c : s.coroutines)
    coroutine(w, s, c);
  main_function(w, s, ctx.mode);
  return PythonSource(w.take());
}

} // namespace asyncdemo::script
