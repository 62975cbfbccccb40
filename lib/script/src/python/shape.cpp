// A program's main read for its composition, and the other modes' programs
// derived from its jobs (shape.hpp).
#include "shape.hpp"

#include "asyncdemo/script/python.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

namespace asyncdemo::script::program_shape {

namespace {

using K = Expr::Kind;
using S = Stmt::Kind;

// ---- Walking the tree (bounded: see shape.hpp) ----

// Each expression slot of `s` itself, not of its blocks.
template <class F> void own_exprs(Stmt& s, F&& f) {
  if (s.target) f(s.target);
  for (auto& t : s.targets)
    if (t) f(t);
  if (s.value) f(s.value);
  if (s.cause) f(s.cause);
  if (s.annotation) f(s.annotation);
  for (auto& h : s.handlers)
    if (h.type) f(h.type);
  for (auto& i : s.items) {
    if (i.context) f(i.context);
    if (i.target) f(i.target);
  }
  for (auto& p : s.params) {
    if (p.default_value) f(p.default_value);
    if (p.annotation) f(p.annotation);
  }
}

template <class F> void blocks_of(Stmt& s, F&& f) {
  f(s.body);
  f(s.orelse);
  for (auto& h : s.handlers)
    f(h.body);
  f(s.finalbody);
}

using ExprVisit = std::function<bool(ExprPtr&)>; // false: not into it

void walk_fstring(FString& fs, const ExprVisit& f);

// Pre-order over the expression in `slot` (it may be replaced).
void walk(ExprPtr& slot, const ExprVisit& f) {
  if (!slot || !f(slot)) return;
  Expr& e = *slot;
  if (e.callee) walk(e.callee, f);
  for (auto& a : e.args)
    walk(a, f);
  for (auto& c : e.clauses) {
    walk(c.target, f);
    walk(c.iter, f);
    for (auto& i : c.ifs)
      walk(i, f);
  }
  for (auto& p : e.params) {
    walk(p.default_value, f);
    walk(p.annotation, f);
  }
  if (e.fstring) walk_fstring(*e.fstring, f);
}

void walk_fstring(FString& fs, const ExprVisit& f) {
  for (auto& p : fs.pieces) {
    walk(p.expr, f);
    if (p.spec_fields) walk_fstring(*p.spec_fields, f);
  }
}

using StmtVisit = std::function<bool(Stmt&)>; // false: not into its blocks

void walk(Block& b, const StmtVisit& f, int depth = 0) {
  if (depth > max_block_depth + 1) throw std::length_error("blocks nest too deep");
  for (auto& s : b)
    if (f(*s)) blocks_of(*s, [&](Block& inner) { walk(inner, f, depth + 1); });
}

// Every expression slot in `b`, nested functions' included unless `own_scope`.
void each_expr(Block& b, const ExprVisit& f, bool own_scope = false) {
  walk(b, StmtVisit([&](Stmt& s) {
         own_exprs(s, [&](ExprPtr& e) { walk(e, f); });
         return !(own_scope && s.kind == S::function);
       }));
}

void each_expr(Stmt& s, const ExprVisit& f, bool own_scope = false) {
  own_exprs(s, [&](ExprPtr& e) { walk(e, f); });
  if (own_scope && s.kind == S::function) return;
  blocks_of(s, [&](Block& b) { each_expr(b, f, own_scope); });
}

// The line of the first await (or async for, async with) of `s` in its own
// scope, or 0.
int await_in(Stmt& s) {
  if (s.is_async && s.kind != S::function) return s.pos.line;
  int found = 0;
  const ExprVisit find = [&](ExprPtr& e) {
    if (!found && e->kind == K::await_) found = e->line;
    return !found;
  };
  // A nested def's defaults are this scope's; its body is its own.
  own_exprs(s, [&](ExprPtr& e) { walk(e, find); });
  if (found || s.kind == S::function) return found;
  blocks_of(s, [&](Block& b) {
    for (auto& inner : b)
      if (!found) found = await_in(*inner);
  });
  return found;
}

// How often each name is read or bound by a name expression.
template <class T> std::map<std::string, int> name_counts(T& tree) {
  std::map<std::string, int> n;
  each_expr(tree, [&](ExprPtr& e) {
    if (e->kind == K::name) ++n[e->name];
    return true;
  });
  return n;
}

int count_of(const std::map<std::string, int>& counts, const std::string& name) {
  auto it = counts.find(name);
  return it == counts.end() ? 0 : it->second;
}

// ---- What the program imports ----

struct Imports {
  std::string asyncio;                             // `import asyncio [as A]`: A
  std::map<std::string, std::string> from_asyncio; // `from asyncio import x [as y]`: y -> x
  std::string time;                                // `import time [as T]`: T
  std::map<std::string, std::string> from_time;    // y -> x
};

Imports imports_of(const Block& module) {
  Imports im;
  for (const auto& s : module) {
    if (s->kind == S::import) {
      for (const auto& i : s->imports) {
        const auto& bound = i.alias.empty() ? i.name : i.alias;
        if (i.name == "asyncio") im.asyncio = bound;
        if (i.name == "time") im.time = bound;
      }
    } else if (s->kind == S::import_from && (s->name == "asyncio" || s->name == "time")) {
      auto& to = s->name == "asyncio" ? im.from_asyncio : im.from_time;
      for (const auto& i : s->imports)
        to[i.alias.empty() ? i.name : i.alias] = i.name;
    }
  }
  return im;
}

// "gather" for asyncio.gather (or a name imported from asyncio); "" when
// `e` is not one of asyncio's.
std::string asyncio_name(const Expr& e, const Imports& im) {
  if (e.kind == K::attribute && e.args.size() == 1 && e.args[0] && e.args[0]->kind == K::name &&
      !im.asyncio.empty() && e.args[0]->name == im.asyncio)
    return e.name;
  if (e.kind == K::name)
    if (auto it = im.from_asyncio.find(e.name); it != im.from_asyncio.end()) return it->second;
  return {};
}

bool calls_asyncio(const Expr& e, const Imports& im, std::string_view what) {
  return e.kind == K::call && e.callee && asyncio_name(*e.callee, im) == what;
}

// Every name the program binds or reads, so that a new one is new.
std::set<std::string> names_in(Block& program) {
  std::set<std::string> names;
  walk(program, StmtVisit([&](Stmt& s) {
         if (!s.name.empty()) names.insert(s.name);
         for (const auto& n : s.names)
           names.insert(n);
         for (const auto& p : s.params)
           names.insert(p.name);
         for (const auto& i : s.imports)
           names.insert(i.alias.empty() ? i.name.substr(0, i.name.find('.')) : i.alias);
         for (const auto& h : s.handlers)
           if (!h.name.empty()) names.insert(h.name);
         own_exprs(s, [&](ExprPtr& e) {
           walk(e, [&](ExprPtr& x) {
             if (x->kind == K::name) names.insert(x->name);
             for (const auto& p : x->params)
               names.insert(p.name);
             return true;
           });
         });
         return true;
       }));
  return names;
}

// ---- main's composition ----

// Where main's jobs are run: statements first..last of its body.
struct Composition {
  Mode mode = Mode::await_;
  std::size_t first = 0, last = 0;
  std::vector<const Expr*> calls; // the jobs, in the order they are started
  enum class Results : std::uint8_t {
    none,      // not kept
    list,      // in one list, in job order (`results = await gather(...)`)
    each,      // each job's in a variable of its own (`a = await t1`)
    per_result // each handled as it comes: an as_completed loop's body
  } results = Results::none;
  bool loop_jumps = false;       // Results::per_result: its body breaks or continues
  std::string list;              // Results::list
  std::vector<std::string> each; // Results::each: job i's variable, or ""
  Stmt* loop = nullptr;          // Results::per_result: the loop, awaiting `var` once
  std::string var;
  std::vector<std::size_t> kept; // create_task: statements between creating and awaiting
  std::vector<std::string> task_names;
  int line = 0;
};

const Expr* awaited(const Expr* e) {
  return e && e->kind == K::await_ && e->args.size() == 1 ? e->args[0].get() : nullptr;
}

// A call that makes a coroutine (not one of asyncio's own).
bool job_call(const Expr* e, const Imports& im) {
  return e && e->kind == K::call && e->callee && asyncio_name(*e->callee, im).empty() &&
         !(e->callee->kind == K::name && e->callee->name == "print");
}

// The value of `x = value` (one target) or of an expression statement.
const Expr* value_of(const Stmt& s) {
  if (s.kind == S::expr || (s.kind == S::assign && s.targets.size() == 1)) return s.value.get();
  return nullptr;
}

const std::string* target_name(const Stmt& s) {
  if (s.kind == S::assign && s.targets.size() == 1 && s.targets[0]->kind == K::name)
    return &s.targets[0]->name;
  return nullptr;
}

struct Reader {
  Imports im;
  std::set<std::string> async_defs;      // module-level async defs
  std::map<std::string, int> main_names; // name uses in main's body

  std::optional<Composition> gather_at(Block& body, std::size_t i) {
    const Stmt& s = *body[i];
    const Expr* call = awaited(value_of(s));
    if (!call || !calls_asyncio(*call, im, "gather") || call->args.empty()) return {};
    Composition c;
    c.mode = Mode::gather;
    for (const auto& a : call->args) {
      if (!job_call(a.get(), im)) return {};
      c.calls.push_back(a.get());
    }
    if (s.kind == S::assign) {
      const Expr& t = *s.targets[0];
      if (t.kind == K::name) {
        c.results = Composition::Results::list;
        c.list = t.name;
      } else if ((t.kind == K::tuple || t.kind == K::list) && t.args.size() == c.calls.size() &&
                 std::all_of(t.args.begin(), t.args.end(),
                             [](const ExprPtr& x) { return x->kind == K::name; })) {
        c.results = Composition::Results::each;
        for (const auto& x : t.args)
          c.each.push_back(x->name);
      } else {
        return {};
      }
    }
    c.first = c.last = i;
    return c;
  }

  std::optional<Composition> as_completed_at(Block& body, std::size_t i) {
    Stmt& s = *body[i];
    if (s.kind != S::for_ || s.is_async || !s.orelse.empty() || !s.target ||
        s.target->kind != K::name || !s.value || !calls_asyncio(*s.value, im, "as_completed") ||
        s.value->args.size() != 1)
      return {};
    const Expr& jobs = *s.value->args[0];
    if ((jobs.kind != K::list && jobs.kind != K::tuple) || jobs.args.empty()) return {};
    Composition c;
    c.mode = Mode::as_completed;
    for (const auto& a : jobs.args) {
      if (!job_call(a.get(), im)) return {};
      c.calls.push_back(a.get());
    }
    // Its body awaits the loop's variable once, and awaits nothing else.
    const auto& var = s.target->name;
    int uses = 0, awaits = 0, awaits_var = 0;
    each_expr(s.body, [&](ExprPtr& e) {
      if (e->kind == K::name && e->name == var) ++uses;
      if (e->kind == K::await_) {
        ++awaits;
        const Expr* a = awaited(e.get());
        if (a && a->kind == K::name && a->name == var) ++awaits_var;
      }
      return true;
    });
    bool async_inside = false;
    walk(s.body, StmtVisit([&](Stmt& x) {
           if (x.is_async && x.kind != S::function) async_inside = true;
           return x.kind != S::function;
         }));
    if (uses != 1 || awaits != 1 || awaits_var != 1 || async_inside) return {};
    // A break or continue of this loop (not of one inside it).
    std::function<bool(Block&, int)> jumps = [&](Block& b, int depth) {
      if (depth > max_block_depth + 1) throw std::length_error("blocks nest too deep");
      for (auto& x : b) {
        if (x->kind == S::break_ || x->kind == S::continue_) return true;
        if (x->kind == S::for_ || x->kind == S::while_ || x->kind == S::function) {
          if (jumps(x->orelse, depth + 1)) return true;
          continue;
        }
        bool found = false;
        blocks_of(*x, [&](Block& inner) { found = found || jumps(inner, depth + 1); });
        if (found) return true;
      }
      return false;
    };
    c.loop_jumps = jumps(s.body, 0);
    c.results = Composition::Results::per_result;
    c.loop = &s;
    c.var = var;
    c.first = c.last = i;
    return c;
  }

  // `t = asyncio.create_task(job())`...: the task's name and the job.
  std::optional<std::pair<std::string, const Expr*>> creates(const Stmt& s) {
    const auto* name = target_name(s);
    const Expr* v = s.value.get();
    if (!name || !v || !calls_asyncio(*v, im, "create_task") || v->args.size() != 1 ||
        !job_call(v->args[0].get(), im))
      return {};
    return std::pair{*name, v->args[0].get()};
  }

  // Tasks created (statements i.. ), then awaited, each once. `next` is
  // where to look next when they are not.
  std::optional<Composition> tasks_at(Block& body, std::size_t i, std::size_t& next) {
    Composition c;
    c.mode = Mode::create_task;
    std::map<std::string, std::size_t> task; // name -> job
    std::size_t j = i;
    for (; j < body.size(); ++j) {
      auto made = creates(*body[j]);
      if (!made) break;
      if (!task.emplace(made->first, c.calls.size()).second) break;
      c.task_names.push_back(made->first);
      c.calls.push_back(made->second);
    }
    next = std::max(j, i + 1);
    if (c.calls.empty()) return {};
    const auto task_of = [&](const Expr* e) -> long {
      const Expr* a = awaited(e);
      if (!a || a->kind != K::name) return -1;
      auto it = task.find(a->name);
      return it == task.end() ? -1 : static_cast<long>(it->second);
    };
    // Statements that neither await nor touch the tasks may come before the
    // awaits (not more tasks: each run of them is looked at once).
    for (; j < body.size(); ++j) {
      if (await_in(*body[j])) break;
      if (creates(*body[j])) return {};
      bool touches = false;
      each_expr(*body[j], [&](ExprPtr& e) {
        if (e->kind == K::name && task.count(e->name)) touches = true;
        return !touches;
      });
      if (touches) return {};
      c.kept.push_back(j);
    }
    std::vector<bool> done(c.calls.size(), false);
    std::vector<std::string> vars(c.calls.size());
    bool as_list = false;
    std::size_t awaited_n = 0;
    for (; j < body.size() && awaited_n < c.calls.size(); ++j) {
      const Stmt& s = *body[j];
      const Expr* v = value_of(s);
      if (!v) return {};
      const auto take = [&](const Expr* e, const std::string& var) {
        const long t = task_of(e);
        if (t < 0 || done[static_cast<std::size_t>(t)]) return false;
        done[static_cast<std::size_t>(t)] = true;
        vars[static_cast<std::size_t>(t)] = var;
        ++awaited_n;
        return true;
      };
      if (s.kind == S::expr && v->kind == K::tuple) {
        for (const auto& x : v->args)
          if (!take(x.get(), "")) return {};
      } else if (s.kind == S::assign && v->kind == K::list) {
        // `results = [await t1, await t2]`: every task, in order, at once.
        if (awaited_n != 0 || !target_name(s) || v->args.size() != c.calls.size()) return {};
        for (std::size_t k = 0; k < v->args.size(); ++k)
          if (task_of(v->args[k].get()) != static_cast<long>(k) || !take(v->args[k].get(), ""))
            return {};
        as_list = true;
        c.list = *target_name(s);
      } else if (s.kind == S::expr) {
        if (!take(v, "")) return {};
      } else {
        const auto* name = target_name(s);
        if (!name || !take(v, *name)) return {};
      }
    }
    if (awaited_n != c.calls.size()) return {};
    // The tasks are used nowhere else in main: made, awaited.
    for (const auto& t : c.task_names)
      if (count_of(main_names, t) != 2) return {};
    c.first = i;
    c.last = j - 1;
    if (as_list) {
      c.results = Composition::Results::list;
    } else if (std::any_of(vars.begin(), vars.end(), [](const auto& v) { return !v.empty(); })) {
      c.results = Composition::Results::each;
      c.each = vars;
    }
    return c;
  }

  bool awaits_job(const Expr* e) {
    const Expr* a = awaited(e);
    return a && job_call(a, im) && a->callee->kind == K::name && async_defs.count(a->callee->name);
  }

  std::optional<Composition> awaits_at(Block& body, std::size_t i) {
    Composition c;
    c.mode = Mode::await_;
    const Stmt& first = *body[i];
    if (const Expr* v = value_of(first); v && first.kind == S::assign && target_name(first) &&
                                         v->kind == K::list && !v->args.empty()) {
      // `results = [await a(), await b()]`
      for (const auto& x : v->args) {
        if (!awaits_job(x.get())) return {};
        c.calls.push_back(awaited(x.get()));
      }
      c.results = Composition::Results::list;
      c.list = *target_name(first);
      c.first = c.last = i;
      return c;
    }
    std::vector<std::string> vars;
    std::size_t j = i;
    for (; j < body.size(); ++j) {
      const Stmt& s = *body[j];
      const Expr* v = value_of(s);
      if (!awaits_job(v)) break;
      if (s.kind == S::assign && !target_name(s)) break;
      c.calls.push_back(awaited(v));
      vars.push_back(s.kind == S::assign ? *target_name(s) : "");
    }
    if (c.calls.empty()) return {};
    if (std::any_of(vars.begin(), vars.end(), [](const auto& v) { return !v.empty(); })) {
      c.results = Composition::Results::each;
      c.each = vars;
    }
    c.first = i;
    c.last = j - 1;
    return c;
  }
};

// ---- The program as read ----

struct Read {
  Shape shape;
  Imports im;
  std::map<std::string, std::vector<Stmt*>> defs; // the module's functions by name
  std::map<std::string, int> names;               // name uses in the whole program
  Stmt* main = nullptr;
  ExprPtr* run = nullptr; // the asyncio.run(main()) call
  std::optional<Composition> jobs;
  std::vector<std::string> job_defs; // sync: the async defs the jobs call

  Stmt* def(const std::string& name) const {
    auto it = defs.find(name);
    return it != defs.end() && it->second.size() == 1 ? it->second.front() : nullptr;
  }
};

// The mode a main that is not the jobs shape is closest to, by what it calls.
Mode closest_mode(Stmt& main, const Imports& im) {
  std::set<std::string> used;
  each_expr(main.body, [&](ExprPtr& e) {
    if (auto n = asyncio_name(*e, im); !n.empty()) used.insert(n);
    return true;
  });
  if (used.count("gather")) return Mode::gather;
  if (used.count("as_completed")) return Mode::as_completed;
  if (used.count("create_task") || used.count("TaskGroup") || used.count("ensure_future"))
    return Mode::create_task;
  return Mode::await_;
}

std::string sync_refusal(Read& r);
std::string as_completed_refusal(Read& r);

Read read(Block& module) {
  Read r;
  r.im = imports_of(module);
  for (auto& s : module)
    if (s->kind == S::function) r.defs[s->name].push_back(s.get());
  std::vector<ExprPtr*> runs;
  walk(module, StmtVisit([&](Stmt& s) {
         own_exprs(s, [&](ExprPtr& e) {
           walk(e, [&](ExprPtr& x) {
             if (calls_asyncio(*x, r.im, "run")) runs.push_back(&x);
             if (x->kind == K::name) ++r.names[x->name];
             return true;
           });
         });
         return true;
       }));
  auto& shape = r.shape;
  if (runs.empty()) {
    shape.own = Mode::sync;
    shape.why_not_jobs = "it has no asyncio.run";
    return r;
  }
  const Expr& run = **runs.front();
  const Expr* arg = run.args.size() == 1 ? run.args[0].get() : nullptr;
  if (arg && arg->kind == K::call && arg->callee && arg->callee->kind == K::name)
    r.main = r.def(arg->callee->name);
  if (!r.main || !r.main->is_async) {
    r.main = nullptr;
    shape.own = Mode::await_;
    shape.why_not_jobs =
        fmt::format("its asyncio.run at line {} runs no call of an async def of its own", run.line);
    return r;
  }
  Stmt& main = *r.main;
  if (runs.size() > 1) {
    shape.own = closest_mode(main, r.im);
    shape.why_not_jobs = fmt::format("it calls asyncio.run more than once, at lines {} and {}",
                                     run.line, (*runs[1])->line);
    return r;
  }
  r.run = runs.front();
  Reader reader{r.im, {}, name_counts(main.body)};
  for (auto& [name, defs] : r.defs)
    if (defs.size() == 1 && defs.front()->is_async) reader.async_defs.insert(name);
  auto& body = main.body;
  for (std::size_t i = 0, next = 0; i < body.size() && !r.jobs; i = next) {
    if (auto c = reader.tasks_at(body, i, next)) {
      r.jobs = std::move(c);
    } else if (reader.creates(*body[i])) {
      continue; // tasks, not awaited as the jobs shape awaits them
    } else if (!await_in(*body[i])) {
      continue;
    } else if (auto c1 = reader.gather_at(body, i)) {
      r.jobs = std::move(c1);
    } else if (auto c2 = reader.as_completed_at(body, i)) {
      r.jobs = std::move(c2);
    } else if (auto c3 = reader.awaits_at(body, i)) {
      r.jobs = std::move(c3);
    } else {
      break;
    }
  }
  if (!r.jobs) {
    shape.own = closest_mode(main, r.im);
    int line = 0;
    for (auto& s : body)
      if ((line = await_in(*s))) break;
    shape.why_not_jobs =
        line ? fmt::format("at line {}, {} awaits something other than coroutine calls "
                           "gathered, made tasks, awaited one by one or looped over as_completed",
                           line, main.name)
             : fmt::format("{} awaits nothing", main.name);
    return r;
  }
  auto& c = *r.jobs;
  shape.own = c.mode;
  c.line = body[c.first]->pos.line;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (i >= c.first && i <= c.last) continue;
    if (const int line = await_in(*body[i])) {
      shape.why_not_jobs = fmt::format("{} awaits more than its jobs, at line {}", main.name, line);
      r.jobs.reset();
      return r;
    }
  }
  shape.jobs = true;
  if (c.loop_jumps)
    for (auto m : {Mode::sync, Mode::await_, Mode::create_task})
      shape.underivable[m] = fmt::format(
          "its as_completed loop (line {}) breaks or continues, and {} mode writes the loop's "
          "body once a job",
          c.line, to_string(m));
  if (auto why = sync_refusal(r); !why.empty()) shape.underivable.emplace(Mode::sync, why);
  if (c.mode != Mode::as_completed)
    if (auto why = as_completed_refusal(r); !why.empty())
      shape.underivable[Mode::as_completed] = why;
  return r;
}

// Sync runs the jobs as plain functions: each must be an async def of the
// module's, awaiting nothing but asyncio.sleep, called nowhere else.
std::string sync_refusal(Read& r) {
  auto& c = *r.jobs;
  std::map<std::string, int> calls;
  for (const Expr* call : c.calls) {
    const Stmt* def = call->callee->kind == K::name ? r.def(call->callee->name) : nullptr;
    if (!def || !def->is_async)
      return fmt::format("the job at line {} is not a call of an async def of the program's",
                         call->line);
    ++calls[call->callee->name];
  }
  for (const auto& [name, n] : calls) {
    if (name == r.main->name) return fmt::format("{} runs itself as a job", name);
    if (count_of(r.names, name) != n)
      return fmt::format("{} is used elsewhere too, and sync would make it a plain function", name);
    // Each await is a statement `await asyncio.sleep(x)`; nothing else of
    // asyncio's is used (it needs a running loop).
    std::string why;
    walk(r.def(name)->body, StmtVisit([&](Stmt& s) {
           if (!why.empty()) return false;
           if (s.is_async && s.kind != S::function) {
             why = fmt::format("{} has an async {} (line {}), which has no blocking form", name,
                               s.kind == S::for_ ? "for" : "with", s.pos.line);
             return false;
           }
           const Expr* sleep = nullptr;
           if (const Expr* a = s.kind == S::expr ? awaited(s.value.get()) : nullptr;
               a && calls_asyncio(*a, r.im, "sleep") && a->args.size() == 1 &&
               a->args[0]->kind != K::keyword && a->args[0]->kind != K::starred)
             sleep = s.value.get();
           own_exprs(s, [&](ExprPtr& e) {
             walk(e, [&](ExprPtr& x) {
               if (!why.empty()) return false;
               if (x->kind == K::await_ && x.get() != sleep)
                 why = fmt::format("{} awaits something other than a statement `await "
                                   "asyncio.sleep(x)` (line {}), which has no blocking form",
                                   name, x->line);
               else if (auto a = asyncio_name(*x, r.im); !a.empty() && a != "sleep")
                 why = fmt::format("{} uses asyncio.{} (line {}), which needs a running loop", name,
                                   a, x->line);
               return why.empty();
             });
           });
           return why.empty() && s.kind != S::function;
         }));
    if (!why.empty()) return why;
  }
  // main runs without a loop too: outside its jobs it uses nothing of asyncio's.
  auto& body = r.main->body;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (i >= c.first && i <= c.last) continue;
    std::string why;
    each_expr(*body[i], [&](ExprPtr& x) {
      if (auto a = asyncio_name(*x, r.im); !a.empty() && a != "sleep" && why.empty())
        why = fmt::format("{} uses asyncio.{} (line {}), which needs a running loop", r.main->name,
                          a, x->line);
      return why.empty();
    });
    if (!why.empty()) return why;
  }
  if (count_of(r.names, r.main->name) != 1)
    return fmt::format("{} is used elsewhere too, and sync would make it a plain function",
                       r.main->name);
  for (const auto& [name, n] : calls)
    r.job_defs.push_back(name);
  return {};
}

// as_completed gives the results in the order the jobs finish: a main that
// reads them by position cannot be written with it.
std::string as_completed_refusal(Read& r) {
  auto& c = *r.jobs;
  using R = Composition::Results;
  if (c.calls.size() == 1) return {}; // one job: no order to lose
  if (c.results == R::each) {
    std::string vars;
    for (const auto& v : c.each)
      if (!v.empty()) vars += (vars.empty() ? "" : ", ") + v;
    if (vars.empty()) return {};
    return fmt::format("{} keeps the jobs' results in variables of their own ({}), and "
                       "as_completed gives them in the order they finish",
                       r.main->name, vars);
  }
  if (c.results != R::list) return {};
  // The list may be read whole (printed, summed, iterated), not by position.
  static const std::set<std::string> whole{"print", "sum", "len", "sorted", "min",   "max",
                                           "set",   "any", "all", "list",   "tuple", "reversed"};
  auto& body = r.main->body;
  std::string why;
  const auto position = [&](int line) {
    if (why.empty())
      why = fmt::format("{} reads the results by position (line {}), and as_completed gives "
                        "them in the order they finish",
                        r.main->name, line);
  };
  for (std::size_t i = c.last + 1; i < body.size() && why.empty(); ++i) {
    Stmt& s = *body[i];
    // for x in results: ...
    std::set<const Expr*> fine;
    if (s.kind == S::for_ && s.value && s.value->kind == K::name && s.value->name == c.list)
      fine.insert(s.value.get());
    each_expr(s, [&](ExprPtr& e) {
      if (e->kind == K::call && e->callee && e->callee->kind == K::name &&
          whole.count(e->callee->name))
        for (const auto& a : e->args)
          if (a->kind == K::name && a->name == c.list) fine.insert(a.get());
      for (const auto& cl : e->clauses)
        if (cl.iter && cl.iter->kind == K::name && cl.iter->name == c.list)
          fine.insert(cl.iter.get());
      if (e->kind == K::name && e->name == c.list && !fine.count(e.get())) position(e->line);
      return true;
    });
  }
  return why;
}

// ---- Writing a mode ----

StmtPtr copy_stmt(const Stmt& s, int depth);

Block copy_block(const Block& b, int depth) {
  if (depth > max_block_depth + 1) throw std::length_error("blocks nest too deep");
  Block out;
  for (const auto& s : b)
    out.push_back(copy_stmt(*s, depth));
  return out;
}

ExprPtr copy_of(const ExprPtr& e) {
  return e ? ast::copy(*e) : nullptr;
}

StmtPtr copy_stmt(const Stmt& s, int depth) {
  auto c = std::make_unique<Stmt>();
  c->kind = s.kind;
  c->pos = s.pos;
  c->end_line = s.end_line;
  c->target = copy_of(s.target);
  for (const auto& t : s.targets)
    c->targets.push_back(copy_of(t));
  c->value = copy_of(s.value);
  c->cause = copy_of(s.cause);
  c->annotation = copy_of(s.annotation);
  c->op = s.op;
  c->body = copy_block(s.body, depth + 1);
  c->orelse = copy_block(s.orelse, depth + 1);
  c->finalbody = copy_block(s.finalbody, depth + 1);
  for (const auto& h : s.handlers) {
    Handler x;
    x.type = copy_of(h.type);
    x.name = h.name;
    x.body = copy_block(h.body, depth + 1);
    x.star = h.star;
    x.pos = h.pos;
    c->handlers.push_back(std::move(x));
  }
  for (const auto& i : s.items)
    c->items.push_back(WithItem{copy_of(i.context), copy_of(i.target)});
  c->name = s.name;
  c->names = s.names;
  for (const auto& p : s.params) {
    Parameter x;
    x.name = p.name;
    x.kind = p.kind;
    x.default_value = copy_of(p.default_value);
    x.line = p.line;
    x.column = p.column;
    x.annotation = copy_of(p.annotation);
    c->params.push_back(std::move(x));
  }
  c->imports = s.imports;
  c->is_async = s.is_async;
  c->note = s.note;
  return c;
}

struct Writer {
  Read& r;
  Block& module;
  std::set<std::string> names;
  bool import_asyncio = false;

  std::string fresh(const std::string& base) {
    // task1 taken: task1_2, not task12 (which reads as a twelfth).
    const bool digit = !base.empty() && base.back() >= '0' && base.back() <= '9';
    std::string n = base;
    for (int k = 2; names.count(n); ++k)
      n = fmt::format("{}{}{}", base, digit ? "_" : "", k);
    names.insert(n);
    return n;
  }

  ExprPtr asyncio(const std::string& attr) {
    for (const auto& [local, name] : r.im.from_asyncio)
      if (name == attr) return ast::name(local);
    if (!r.im.asyncio.empty()) return ast::attribute(ast::name(r.im.asyncio), attr);
    import_asyncio = true;
    return ast::attribute(ast::name("asyncio"), attr);
  }

  // The loop's body with its `await var` replaced by what `with` makes of it.
  Block body_with(const std::function<ExprPtr()>& with) {
    auto& c = *r.jobs;
    Block b = copy_block(c.loop->body, 0);
    each_expr(b, [&](ExprPtr& e) {
      const Expr* a = awaited(e.get());
      if (a && a->kind == K::name && a->name == c.var) {
        e = with();
        return false;
      }
      return true;
    });
    return b;
  }

  std::vector<ExprPtr> calls() {
    std::vector<ExprPtr> out;
    for (const Expr* call : r.jobs->calls)
      out.push_back(ast::copy(*call));
    return out;
  }

  std::vector<std::string> task_names() {
    auto& c = *r.jobs;
    std::set<std::string> callees;
    for (const Expr* call : c.calls)
      if (call->callee->kind == K::name) callees.insert(call->callee->name);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < c.calls.size(); ++i)
      out.push_back(callees.size() == c.calls.size() ? fresh(c.calls[i]->callee->name + "_task")
                                                     : fresh(fmt::format("task{}", i + 1)));
    return out;
  }

  // main's statements that run the jobs as `mode` composes them.
  Block compose(Mode mode) {
    auto& c = *r.jobs;
    using R = Composition::Results;
    Block out;
    auto jobs = calls();
    const auto n = jobs.size();
    // What job i's result is made of, before it is kept: the call, awaited or
    // not, or its task awaited.
    std::vector<std::function<ExprPtr()>> result(n);
    if (mode == Mode::create_task) {
      const auto tasks = task_names();
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<ExprPtr> args;
        args.push_back(std::move(jobs[i]));
        out.push_back(
            ast::assign(ast::name(tasks[i]), ast::call(asyncio("create_task"), std::move(args))));
        result[i] = [t = tasks[i]] { return ast::await_(ast::name(t)); };
      }
    } else if (mode == Mode::sync || mode == Mode::await_) {
      for (std::size_t i = 0; i < n; ++i) {
        auto shared = std::make_shared<ExprPtr>(std::move(jobs[i]));
        result[i] = [shared, mode] {
          auto call = ast::copy(**shared);
          return mode == Mode::sync ? std::move(call) : ast::await_(std::move(call));
        };
      }
    }
    if (mode == Mode::gather) {
      auto all = ast::await_(ast::call(asyncio("gather"), std::move(jobs)));
      switch (c.results) {
      case R::none:
        out.push_back(ast::expr(std::move(all)));
        break;
      case R::list:
        out.push_back(ast::assign(ast::name(c.list), std::move(all)));
        break;
      case R::each: {
        std::vector<ExprPtr> targets;
        for (const auto& v : c.each)
          targets.push_back(ast::name(v.empty() ? fresh("_") : v));
        auto target = n == 1 ? ast::list(std::move(targets)) : ast::tuple(std::move(targets));
        out.push_back(ast::assign(std::move(target), std::move(all)));
        break;
      }
      case R::per_result: {
        // `for f in as_completed(...): x = await f; ...` gathered is
        // `for x in await gather(...): ...`.
        auto body = body_with([&] { return ast::name(c.var); });
        std::string var = c.var;
        if (const auto* name = target_name(*body.front());
            name && body.front()->value->kind == K::name && body.front()->value->name == c.var) {
          var = *name;
          body.erase(body.begin());
        }
        out.push_back(ast::for_(ast::name(var), std::move(all), std::move(body)));
        break;
      }
      }
      return out;
    }
    if (mode == Mode::as_completed) {
      // R::each with variables is not derivable; without, it is R::none.
      std::vector<ExprPtr> args;
      args.push_back(ast::list(std::move(jobs)));
      auto each = ast::call(asyncio("as_completed"), std::move(args));
      const auto f = fresh("f");
      if (c.results == R::each) { // one job (as_completed_refusal)
        Block body;
        auto got = ast::await_(ast::name(f));
        body.push_back(c.each[0].empty() ? ast::expr(std::move(got))
                                         : ast::assign(ast::name(c.each[0]), std::move(got)));
        out.push_back(ast::for_(ast::name(f), std::move(each), std::move(body)));
      } else if (c.results == R::list) {
        out.push_back(ast::assign(ast::name(c.list), ast::list({})));
        Block body;
        std::vector<ExprPtr> one;
        one.push_back(ast::await_(ast::name(f)));
        body.push_back(
            ast::expr(ast::call(ast::attribute(ast::name(c.list), "append"), std::move(one))));
        out.push_back(ast::for_(ast::name(f), std::move(each), std::move(body)));
      } else {
        Block body;
        body.push_back(ast::expr(ast::await_(ast::name(f))));
        out.push_back(ast::for_(ast::name(f), std::move(each), std::move(body)));
      }
      return out;
    }
    // sync, await, create_task: each job's result in turn.
    switch (c.results) {
    case R::none:
      for (std::size_t i = 0; i < n; ++i)
        out.push_back(ast::expr(result[i]()));
      break;
    case R::list: {
      std::vector<ExprPtr> items;
      for (std::size_t i = 0; i < n; ++i)
        items.push_back(result[i]());
      out.push_back(ast::assign(ast::name(c.list), ast::list(std::move(items))));
      break;
    }
    case R::each:
      for (std::size_t i = 0; i < n; ++i)
        out.push_back(c.each[i].empty() ? ast::expr(result[i]())
                                        : ast::assign(ast::name(c.each[i]), result[i]()));
      break;
    case R::per_result:
      for (std::size_t i = 0; i < n; ++i) {
        // The loop's body once a job: its `await var` is the job's result.
        auto b = body_with([&] { return result[i](); });
        for (auto& s : b)
          out.push_back(std::move(s));
      }
      break;
    }
    return out;
  }

  // sync: the jobs plain functions, their asyncio.sleep time.sleep; main
  // plain, called where asyncio.run ran it.
  void make_sync() {
    ExprPtr sleep;
    std::string sleep_name, time_name;
    for (const auto& [local, name] : r.im.from_time)
      if (name == "sleep") sleep_name = local;
    if (sleep_name.empty()) {
      time_name = r.im.time;
      if (time_name.empty()) {
        time_name = fresh("time");
        StmtPtr imp = ast::import("time");
        if (time_name != "time") imp->imports[0].alias = time_name;
        module.insert(module.begin(), std::move(imp));
      }
    }
    const auto blocking = [&](ExprPtr seconds) {
      std::vector<ExprPtr> args;
      args.push_back(std::move(seconds));
      return ast::call(sleep_name.empty() ? ast::attribute(ast::name(time_name), "sleep")
                                          : ast::name(sleep_name),
                       std::move(args));
    };
    for (const auto& name : r.job_defs) {
      Stmt& def = *r.def(name);
      def.is_async = false;
      walk(def.body, StmtVisit([&](Stmt& s) {
             if (s.kind == S::expr)
               if (Expr* a = const_cast<Expr*>(awaited(s.value.get()));
                   a && calls_asyncio(*a, r.im, "sleep"))
                 s.value = blocking(std::move(a->args[0]));
             return s.kind != S::function;
           }));
    }
    r.main->is_async = false;
    ExprPtr call = std::move((*r.run)->args[0]);
    *r.run = std::move(call);
  }
};

// The longest range a loop or a comprehension goes over while it makes
// coroutines (calls an async def of the program) or tasks (create_task,
// ensure_future): `range(N)`, or `range(NAME)` of a module-level NAME = N.
// A loop that only counts (a busy loop that holds the event loop, say) is
// not one.
std::int64_t largest_task_range(Block& program) {
  std::set<std::string> async_defs;
  std::map<std::string, std::int64_t> constants;
  walk(program, StmtVisit([&](Stmt& s) {
         if (s.kind == S::function && s.is_async) async_defs.insert(s.name);
         return true;
       }));
  for (const auto& s : program)
    if (s->kind == S::assign && s->value && s->value->kind == K::literal &&
        s->value->literal.kind() == Object::Kind::integer)
      for (const auto& t : s->targets)
        if (t->kind == K::name) constants[t->name] = s->value->literal.integer();
  const auto length = [&](const Expr* e) -> std::int64_t {
    if (!e || e->kind != K::call || !e->callee || e->callee->kind != K::name ||
        e->callee->name != "range")
      return 0;
    std::int64_t n = 0;
    for (const auto& a : e->args)
      if (a->kind == K::literal && a->literal.kind() == Object::Kind::integer)
        n = std::max(n, a->literal.integer());
      else if (auto it = constants.find(a->name); a->kind == K::name && it != constants.end())
        n = std::max(n, it->second);
    return n;
  };
  const auto makes_coroutines = [&](ExprPtr& root) {
    bool found = false;
    walk(root, [&](ExprPtr& e) {
      if (e->kind == K::call && e->callee) {
        const auto& c = *e->callee;
        if ((c.kind == K::name &&
             (async_defs.count(c.name) || c.name == "create_task" || c.name == "ensure_future")) ||
            (c.kind == K::attribute && (c.name == "create_task" || c.name == "ensure_future")))
          found = true;
      }
      return !found;
    });
    return found;
  };
  std::int64_t longest = 0;
  each_expr(program, [&](ExprPtr& e) {
    if (e->kind == K::list_comp || e->kind == K::set_comp || e->kind == K::dict_comp ||
        e->kind == K::generator) {
      bool makes = false;
      for (auto& item : e->args)
        makes = makes || makes_coroutines(item);
      if (makes)
        for (const auto& c : e->clauses)
          longest = std::max(longest, length(c.iter.get()));
    }
    return true;
  });
  walk(program, StmtVisit([&](Stmt& s) {
         if (s.kind == S::for_ && length(s.value.get()) > longest) {
           bool makes = false;
           each_expr(s.body, [&](ExprPtr& e) {
             makes = makes || makes_coroutines(e);
             return !makes;
           });
           if (makes) longest = length(s.value.get());
         }
         return true;
       }));
  return longest;
}

} // namespace

std::vector<Mode> Shape::modes() const {
  std::vector<Mode> out;
  for (auto m : every_mode)
    if (m == own || (jobs && !underivable.count(m))) out.push_back(m);
  return out;
}

Shape analyze(Block& program) {
  auto shape = read(program).shape;
  shape.largest_range = largest_task_range(program);
  return shape;
}

Block derive(Block program, Mode mode, const std::string& file) {
  auto r = read(program);
  if (!r.shape.jobs || r.shape.underivable.count(mode) || mode == r.shape.own)
    throw std::logic_error("derive: the mode is not derived");
  Writer w{r, program, names_in(program)};
  auto& c = *r.jobs;
  // Before main's body changes: the statements the jobs keep (create_task's
  // between creating and awaiting) come first.
  Block composed = w.compose(mode);
  auto& body = r.main->body;
  Block kept;
  for (auto i : c.kept)
    kept.push_back(std::move(body[i]));
  const auto at = static_cast<std::ptrdiff_t>(c.first);
  body.erase(body.begin() + at, body.begin() + static_cast<std::ptrdiff_t>(c.last) + 1);
  for (auto& s : composed)
    kept.push_back(std::move(s));
  body.insert(body.begin() + at, std::make_move_iterator(kept.begin()),
              std::make_move_iterator(kept.end()));
  if (mode == Mode::sync) w.make_sync();
  if (w.import_asyncio) program.insert(program.begin(), ast::import("asyncio"));
  // Two empty lines around the definitions, as the files have them.
  Block spaced;
  bool after_def = false;
  for (auto& s : program) {
    const bool def = s->kind == S::function;
    if (!spaced.empty() && (def || after_def)) {
      spaced.push_back(ast::blank());
      spaced.push_back(ast::blank());
    }
    after_def = def;
    spaced.push_back(std::move(s));
  }
  program = std::move(spaced);
  program.insert(program.begin(),
                 ast::comment(fmt::format("{} in {} mode, derived by asyncdemo from its main's "
                                          "jobs (asyncdemo's docs/python-programs.md, \"Modes\")",
                                          file, to_string(mode))));
  return program;
}

} // namespace asyncdemo::script::program_shape
