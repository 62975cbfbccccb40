// The compiler of Python programs (compiler.hpp): first the scopes (which
// name each function binds, declares global or nonlocal, reads of an outer
// one), then each function's operations.
#include "compiler.hpp"

#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace asyncdemo::py {

namespace {

using script::Block;
using script::Handler;
using script::Pos;
using script::Stmt;
using SK = Stmt::Kind;
using EK = Expr::Kind;

struct Failure {
  std::string message;
};

constexpr const char* subset_doc = "see docs/python-programs.md";

// ---------------------------------------------------------------------------
// Scopes

struct Scope {
  enum class Kind { module, function, lambda, comprehension } kind = Kind::function;
  Scope* parent = nullptr;
  bool is_async = false;
  std::string name, qualname;
  std::set<std::string> bound;
  std::set<std::string> globals;
  std::set<std::string> nonlocals;
  std::set<std::string> cells;
  std::vector<std::string> free; // in the order first needed
  std::vector<std::string> params;
  bool has_yield = false;

  bool binds(const std::string& n) const {
    return bound.count(n) && !globals.count(n) && !nonlocals.count(n);
  }
  void need_free(const std::string& n) {
    if (std::find(free.begin(), free.end(), n) == free.end()) free.push_back(n);
  }
};

bool is_builtin_module(std::string_view m) {
  return m == "asyncio" || m == "time" || m == "random";
}

class Scopes {
public:
  explicit Scopes(const std::string& file) : file_(file) {}

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw Failure{fmt::format("{}:{}:{}: {}", file_, line, column, message)};
  }

  Scope* module() { return &module_; }
  Scope* of(const void* node) {
    const auto it = by_node_.find(node);
    return it == by_node_.end() ? nullptr : it->second.get();
  }

  void collect(const Block& tree) {
    module_.kind = Scope::Kind::module;
    module_.name = "<module>";
    module_.qualname = "<module>";
    module_.bound.insert("__name__"); // "__main__", as a program run as a script
    for (const auto& s : tree)
      stmt(*s, &module_);
  }

private:
  Scope* child(const void* node, Scope::Kind kind, Scope* parent, std::string name) {
    auto sc = std::make_unique<Scope>();
    sc->kind = kind;
    sc->parent = parent;
    sc->name = name;
    const bool nested = parent->kind != Scope::Kind::module;
    sc->qualname = nested ? parent->qualname + ".<locals>." + name : name;
    auto* raw = sc.get();
    by_node_[node] = std::move(sc);
    return raw;
  }

  void bind(const Expr& target, Scope* sc) {
    switch (target.kind) {
    case EK::name:
      sc->bound.insert(target.name);
      // Classified as a read is: a module's or a `global` name is stored
      // in its global slot, a nonlocal one in its cell.
      uses_.push_back({const_cast<Expr*>(&target), sc});
      break;
    case EK::tuple:
    case EK::list:
      for (const auto& a : target.args)
        bind(*a, sc);
      break;
    case EK::starred:
      bind(*target.args[0], sc);
      break;
    default: // a subscript or an attribute: what it reads is read
      expr(target, sc);
      break;
    }
  }

  void block(const Block& b, Scope* sc) {
    for (const auto& s : b)
      stmt(*s, sc);
  }

  void stmt(const Stmt& s, Scope* sc) {
    auto e = [&](const ExprPtr& x) {
      if (x) expr(*x, sc);
    };
    switch (s.kind) {
    case SK::expr:
    case SK::return_:
      e(s.value);
      break;
    case SK::assign:
      e(s.value);
      for (const auto& t : s.targets)
        bind(*t, sc);
      break;
    case SK::aug_assign:
      e(s.value);
      bind(*s.target, sc);
      if (s.target->kind != EK::name) expr(*s.target, sc);
      break;
    case SK::ann_assign:
      e(s.value);
      bind(*s.target, sc);
      break;
    case SK::if_:
    case SK::while_:
      e(s.value);
      block(s.body, sc);
      block(s.orelse, sc);
      break;
    case SK::for_:
      if (s.is_async)
        fail(s.pos.line, s.pos.column,
             fmt::format("asyncdemo runs a subset of Python: `async for` is not in it; {}",
                         subset_doc));
      e(s.value);
      bind(*s.target, sc);
      block(s.body, sc);
      block(s.orelse, sc);
      break;
    case SK::raise_:
      e(s.value);
      e(s.cause);
      break;
    case SK::try_:
      block(s.body, sc);
      for (const auto& h : s.handlers) {
        e(h.type);
        if (!h.name.empty()) sc->bound.insert(h.name);
        block(h.body, sc);
      }
      block(s.orelse, sc);
      block(s.finalbody, sc);
      break;
    case SK::with_:
      for (const auto& item : s.items) {
        e(item.context);
        if (item.target) bind(*item.target, sc);
      }
      block(s.body, sc);
      break;
    case SK::function: {
      sc->bound.insert(s.name);
      for (const auto& p : s.params)
        e(p.default_value); // defaults are the definer's
      auto* inner = child(&s, Scope::Kind::function, sc, s.name);
      inner->is_async = s.is_async;
      for (const auto& p : s.params) {
        inner->params.push_back(p.name);
        inner->bound.insert(p.name);
      }
      block(s.body, inner);
      break;
    }
    case SK::global:
    case SK::nonlocal:
      for (const auto& n : s.names) {
        if (sc->kind == Scope::Kind::module && s.kind == SK::nonlocal)
          fail(s.pos.line, s.pos.column, "nonlocal declaration not allowed at module level");
        (s.kind == SK::global ? sc->globals : sc->nonlocals).insert(n);
        if (s.kind == SK::global) module_.bound.insert(n);
      }
      break;
    case SK::import:
      for (const auto& i : s.imports) {
        const auto top = i.name.substr(0, i.name.find('.'));
        if (!is_builtin_module(top) || i.name.find('.') != std::string::npos)
          fail(s.pos.line, s.pos.column,
               fmt::format("asyncdemo runs a subset of Python: `import {}` is not in it (its "
                           "programs import asyncio, time and random); {}",
                           i.name, subset_doc));
        sc->bound.insert(i.alias.empty() ? top : i.alias);
      }
      break;
    case SK::import_from:
      if (!is_builtin_module(s.name))
        fail(s.pos.line, s.pos.column,
             fmt::format("asyncdemo runs a subset of Python: `from {} import ...` is not in it "
                         "(its programs import asyncio, time and random); {}",
                         s.name, subset_doc));
      for (const auto& i : s.imports) {
        if (i.name == "*" || !module_attribute_allowed(s.name, i.name))
          fail(s.pos.line, s.pos.column,
               fmt::format("asyncdemo runs a subset of Python: `{}.{}` is not in it; {}", s.name,
                           i.name, subset_doc));
        sc->bound.insert(i.alias.empty() ? i.name : i.alias);
      }
      break;
    case SK::assert_:
      e(s.value);
      e(s.cause);
      break;
    case SK::del_:
      for (const auto& t : s.targets)
        bind(*t, sc);
      break;
    case SK::pass:
    case SK::break_:
    case SK::continue_:
    case SK::comment:
    case SK::blank:
      break;
    }
  }

  void comprehension(const Expr& x, Scope* sc, const char* name) {
    // The first iterable is the definer's; the rest belongs to the comprehension.
    expr(*x.clauses.front().iter, sc);
    auto* inner = child(&x, Scope::Kind::comprehension, sc, name);
    inner->params.push_back(".0");
    inner->bound.insert(".0");
    for (std::size_t i = 0; i < x.clauses.size(); ++i) {
      const auto& c = x.clauses[i];
      if (i > 0) expr(*c.iter, inner);
      bind(*c.target, inner);
      for (const auto& cond : c.ifs)
        expr(*cond, inner);
    }
    for (const auto& a : x.args)
      expr(*a, inner);
    if (x.kind == EK::generator) inner->has_yield = true;
  }

public:
  void expr(const Expr& x, Scope* sc) {
    switch (x.kind) {
    case EK::name:
      uses_.push_back({const_cast<Expr*>(&x), sc});
      return;
    case EK::lambda: {
      for (const auto& p : x.params)
        if (p.default_value) expr(*p.default_value, sc);
      auto* inner = child(&x, Scope::Kind::lambda, sc, "<lambda>");
      for (const auto& p : x.params) {
        inner->params.push_back(p.name);
        inner->bound.insert(p.name);
      }
      expr(*x.args[0], inner);
      return;
    }
    case EK::list_comp:
      comprehension(x, sc, "<listcomp>");
      return;
    case EK::set_comp:
      comprehension(x, sc, "<setcomp>");
      return;
    case EK::dict_comp:
      comprehension(x, sc, "<dictcomp>");
      return;
    case EK::generator:
      comprehension(x, sc, "<genexpr>");
      return;
    case EK::await_:
      if (!sc->is_async || sc->kind != Scope::Kind::function)
        fail(x.line, x.column,
             sc->kind == Scope::Kind::comprehension || sc->kind == Scope::Kind::lambda
                 ? "asyncdemo runs a subset of Python: `await` inside a comprehension or a "
                   "lambda is not in it; see docs/python-programs.md"
                 : "'await' outside async function");
      break;
    case EK::fstring:
      fstring(*x.fstring, sc);
      return;
    default:
      break;
    }
    if (x.callee) expr(*x.callee, sc);
    for (const auto& a : x.args)
      if (a) expr(*a, sc);
  }

  void fstring(const FString& f, Scope* sc) {
    for (const auto& p : f.pieces) {
      if (p.expr) expr(*p.expr, sc);
      if (p.spec_fields) fstring(*p.spec_fields, sc);
    }
  }

  struct Use {
    Expr* name;
    Scope* scope;
  };
  std::vector<Use>& uses() { return uses_; }
  std::map<const void*, std::unique_ptr<Scope>>& all() { return by_node_; }

private:
  std::string file_;
  Scope module_;
  std::map<const void*, std::unique_ptr<Scope>> by_node_;
  std::vector<Use> uses_;
};

// ---------------------------------------------------------------------------
// Code generation

class Compiler {
public:
  Compiler(Compiled& out, Scopes& scopes) : out_(out), scopes_(scopes) {}

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw Failure{fmt::format("{}:{}:{}: {}", out_.file, line, column, message)};
  }

  // Every name's place, now that every scope is known.
  void resolve() {
    // Which names the module binds (global slots), in a stable order.
    auto* m = scopes_.module();
    for (const auto& n : m->bound)
      global_slot(n);
    for (auto& [node, sc] : scopes_.all())
      for (const auto& n : sc->globals)
        global_slot(n);
    // Free names first (they make cells of the scopes around), then the rest.
    for (auto& use : scopes_.uses())
      classify(use.name->name, use.scope, use.name);
    for (auto& [node, sc] : scopes_.all())
      for (const auto& n : sc->nonlocals)
        if (!find_outer(n, sc.get()))
          fail(0, 0, fmt::format("no binding for nonlocal '{}' found", n));
  }

  std::shared_ptr<Code> module_code(const Block& tree) {
    auto code = std::make_shared<Code>();
    code->name = code->qualname = "<module>";
    Unit u{code.get(), scopes_.module()};
    unit_ = &u;
    statements(tree);
    emit(Op(Op::Kind::ret));
    unit_ = nullptr;
    return code;
  }

private:
  struct Loop {
    int continue_to = -1;
    std::vector<int> breaks; // jumps to patch
    std::size_t unwind_depth = 0;
  };
  // What leaving a block by return, break or continue must run first.
  struct Unwind {
    enum class Kind { finally, with, except_name } kind;
    const Block* body = nullptr; // finally's
    int slot = -1;               // with's manager, or the except's name slot
    bool is_async = false;
    int handler_outside = -1;   // the handler around it
    const Expr* name = nullptr; // except_name's target
  };
  struct Unit {
    Unit(Code* c, Scope* s) : code(c), scope(s) {}
    Code* code;
    Scope* scope;
    std::map<std::string, int> slots;
    int handler = -1;
    std::vector<Loop> loops;
    std::vector<Unwind> unwinds;
    int line = 0;
  };

  // ---- names ----

  int global_slot(const std::string& n) {
    const auto it = std::find(out_.globals.begin(), out_.globals.end(), n);
    if (it != out_.globals.end()) return static_cast<int>(it - out_.globals.begin());
    out_.globals.push_back(n);
    return static_cast<int>(out_.globals.size() - 1);
  }

  Scope* find_outer(const std::string& n, Scope* sc) {
    for (auto* p = sc->parent; p && p->kind != Scope::Kind::module; p = p->parent)
      if (p->binds(n)) return p;
    return nullptr;
  }

  void classify(const std::string& n, Scope* sc, Expr* e) {
    if (sc->kind == Scope::Kind::module || sc->globals.count(n)) {
      global_name(n, e);
      return;
    }
    if (sc->binds(n)) {
      e->ref = {NameRef::Scope::local, -1}; // its slot: when the unit is compiled
      return;
    }
    // Read from an outer function: free here and in every scope between.
    if (auto* owner = find_outer(n, sc)) {
      owner->cells.insert(n);
      for (auto* p = sc; p != owner; p = p->parent)
        p->need_free(n);
      e->ref = {NameRef::Scope::free, -1};
      return;
    }
    global_name(n, e);
  }

  void global_name(const std::string& n, Expr* e) {
    auto* m = scopes_.module();
    const bool module_binds = m->bound.count(n) != 0;
    if (!module_binds) {
      if (builtin_refused(n))
        fail(e->line, e->column,
             fmt::format("asyncdemo runs a subset of Python: `{}()` is not in it; {}", n,
                         subset_doc));
      const int b = builtin_index(n);
      if (b >= 0) {
        e->ref = {NameRef::Scope::builtin, b};
        return;
      }
    }
    e->ref = {NameRef::Scope::global, global_slot(n)};
  }

  // A local's slot in the unit being compiled (made on first need).
  int slot(const std::string& n) {
    auto& u = *unit_;
    const auto it = u.slots.find(n);
    if (it != u.slots.end()) return it->second;
    const int s = static_cast<int>(u.code->slot_names.size());
    u.code->slot_names.push_back(n);
    u.slots[n] = s;
    return s;
  }
  int temp() {
    const int s = static_cast<int>(unit_->code->slot_names.size());
    unit_->code->slot_names.push_back("");
    return s;
  }

  // Fills the name references of a unit's own expressions: locals and cells
  // by slot, free names by their index in the closure.
  void place(Expr& e) {
    if (e.kind == EK::name) {
      auto& sc = *unit_->scope;
      // A target not classified yet (an assignment's, a loop's): as a read
      // of it would be (global, nonlocal, the module's own, or local).
      if (e.ref.scope == NameRef::Scope::local && e.ref.slot < 0) classify(e.name, &sc, &e);
      if (e.ref.scope == NameRef::Scope::local && sc.kind != Scope::Kind::module) {
        e.ref.slot = slot(e.name);
        if (sc.cells.count(e.name)) e.ref.scope = NameRef::Scope::cell;
      } else if (e.ref.scope == NameRef::Scope::free) {
        const auto& f = unit_->code->free_names;
        const auto it = std::find(f.begin(), f.end(), e.name);
        e.ref.slot = static_cast<int>(it - f.begin());
      }
      return;
    }
    if (scopes_.of(&e)) { // a lambda or comprehension: its own unit
      nested(e);
      if (e.kind != EK::lambda) place(*e.clauses.front().iter);
      for (auto& p : e.params)
        if (p.default_value) place(*p.default_value);
      return;
    }
    if (e.callee) place(*e.callee);
    for (auto& a : e.args)
      if (a) place(*a);
    if (e.fstring) place(*e.fstring);
  }
  void place(FString& f) {
    for (auto& p : f.pieces) {
      if (p.expr) place(*p.expr);
      if (p.spec_fields) place(*p.spec_fields);
    }
  }
  void place(const ExprPtr& e) {
    if (e) place(*e);
  }

  // A target's names, as places to store into.
  void place_target(Expr& t) { place(t); }

  // ---- operations ----

  int emit(Op op) {
    op.handler = unit_->handler;
    if (!op.line) op.line = unit_->line;
    unit_->code->ops.push_back(op);
    return static_cast<int>(unit_->code->ops.size() - 1);
  }
  int here() const { return static_cast<int>(unit_->code->ops.size()); }
  void patch(int at, int to) { unit_->code->ops[static_cast<std::size_t>(at)].to = to; }

  Expr* made(ExprPtr e) {
    unit_->code->made.push_back(std::move(e));
    return unit_->code->made.back().get();
  }
  const Expr* temp_name(int s) {
    auto e = std::make_unique<Expr>();
    e->kind = EK::name;
    e->name = "";
    e->ref = {NameRef::Scope::local, s};
    return made(std::move(e));
  }

  // ---- awaits inside expressions, taken out in evaluation order ----

  static bool awaits(const Expr& e) {
    if (e.kind == EK::await_) return true;
    if (e.kind == EK::lambda || e.kind == EK::list_comp || e.kind == EK::set_comp ||
        e.kind == EK::dict_comp || e.kind == EK::generator)
      return false; // refused by the scopes if it awaits
    if (e.callee && awaits(*e.callee)) return true;
    for (const auto& a : e.args)
      if (a && awaits(*a)) return true;
    if (e.fstring)
      for (const auto& p : e.fstring->pieces)
        if (p.expr && awaits(*p.expr)) return true;
    return false;
  }

  // The expression with every await taken out: each awaited into a
  // temporary first, what is evaluated before it saved first too.
  const Expr* lower(const Expr& e) {
    if (!awaits(e)) return &e;
    if (e.kind == EK::await_) {
      const auto* inner = lower(*e.args[0]);
      const int t = temp();
      Op op(Op::Kind::await_);
      op.a = inner;
      op.slot = t;
      op.line = e.line ? e.line : unit_->line;
      emit(op);
      return temp_name(t);
    }
    if (e.kind == EK::logic || e.kind == EK::cond) return lower_branching(e);
    if (e.kind == EK::fstring)
      fail(e.line, e.column,
           "asyncdemo runs a subset of Python: `await` inside an f-string is not in it; await "
           "into a variable first; see docs/python-programs.md");
    // The operands in the order Python evaluates them.
    std::vector<const ExprPtr*> order;
    if (e.callee) order.push_back(&e.callee);
    for (const auto& a : e.args)
      if (a) order.push_back(&a);
    std::size_t last = 0;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (awaits(**order[i])) last = i;
    auto copy = script::ast::copy(e);
    std::vector<ExprPtr*> slots;
    if (copy->callee) slots.push_back(&copy->callee);
    for (auto& a : copy->args)
      if (a) slots.push_back(&a);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Expr& operand = **order[i];
      if (i < last && operand.kind != EK::literal && !awaits(operand)) {
        // Evaluated before a later operand's await: saved now.
        const int t = temp();
        Op op(Op::Kind::assign);
        op.a = &operand;
        op.target = temp_name(t);
        emit(op);
        *slots[i] = script::ast::copy(*temp_name(t));
      } else if (awaits(operand)) {
        *slots[i] = script::ast::copy(*lower(operand));
      }
    }
    return made(std::move(copy));
  }

  const Expr* lower_branching(const Expr& e) {
    // a and b / a or b / x if c else y with an await on a branch: as
    // statements, into one temporary.
    const int t = temp();
    auto store = [&](const Expr& v) {
      Op op(Op::Kind::assign);
      op.a = lower(v);
      op.target = temp_name(t);
      emit(op);
    };
    if (e.kind == EK::cond) {
      Op test(Op::Kind::jump_if_false);
      test.a = lower(*e.args[1]);
      const int j = emit(test);
      store(*e.args[0]);
      const int skip = emit(Op(Op::Kind::jump));
      patch(j, here());
      store(*e.args[2]);
      patch(skip, here());
      return temp_name(t);
    }
    std::vector<int> ends;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      store(*e.args[i]);
      if (i + 1 == e.args.size()) break;
      Op j(e.op == "and" ? Op::Kind::jump_if_false : Op::Kind::jump_if_true);
      j.a = temp_name(t);
      ends.push_back(emit(j));
    }
    for (const int j : ends)
      patch(j, here());
    return temp_name(t);
  }

  // ---- statements ----

  void statements(const Block& b) {
    for (const auto& s : b)
      statement(*s);
  }

  static bool is_sleep_call(const Expr& e, const Scope& module_scope) {
    // asyncio.sleep(x): the module asyncio, bound by import and never again.
    if (e.kind != EK::call || !e.callee || e.args.size() != 1 || e.args[0]->kind == EK::keyword ||
        e.args[0]->kind == EK::starred)
      return false;
    const auto& c = *e.callee;
    return c.kind == EK::attribute && c.name == "sleep" && c.args[0]->kind == EK::name &&
           c.args[0]->name == "asyncio" && c.args[0]->ref.scope == NameRef::Scope::global &&
           module_scope.bound.count("asyncio");
  }

  void statement(const Stmt& s) {
    unit_->line = s.pos.line;
    switch (s.kind) {
    case SK::expr: {
      place(*const_cast<Stmt&>(s).value);
      const auto& v = *s.value;
      if (v.kind == EK::await_ && is_sleep_call(*v.args[0], *scopes_.module()) &&
          !awaits(*v.args[0]->args[0]) && sleep_is_fixed_) {
        Op op(Op::Kind::sleep);
        op.a = v.args[0]->args[0].get();
        emit(op);
        break;
      }
      if (v.kind == EK::await_) {
        Op op(Op::Kind::await_);
        op.a = lower(*v.args[0]);
        emit(op);
        break;
      }
      Op op(Op::Kind::expr);
      op.a = lower(v);
      emit(op);
      break;
    }
    case SK::assign: {
      auto& m = const_cast<Stmt&>(s);
      place(*m.value);
      for (auto& t : m.targets) {
        if (awaits(*t))
          fail(t->line, t->column,
               "asyncdemo runs a subset of Python: `await` in an assignment's target is not in "
               "it; see docs/python-programs.md");
        place_target(*t);
      }
      const Expr* value = lower(*s.value);
      if (s.targets.size() > 1) {
        const int t = temp();
        Op keep(Op::Kind::assign);
        keep.a = value;
        keep.target = temp_name(t);
        emit(keep);
        value = temp_name(t);
      }
      for (const auto& t : s.targets) {
        Op op(Op::Kind::assign);
        op.a = value;
        op.target = t.get();
        emit(op);
      }
      break;
    }
    case SK::aug_assign: {
      auto& m = const_cast<Stmt&>(s);
      place(*m.value);
      place_target(*m.target);
      Op op(Op::Kind::aug_assign);
      op.a = lower(*s.value);
      op.target = s.target.get();
      op.op = s.op;
      emit(op);
      break;
    }
    case SK::ann_assign: {
      auto& m = const_cast<Stmt&>(s);
      if (!m.value) break;
      place(*m.value);
      place_target(*m.target);
      Op op(Op::Kind::assign);
      op.a = lower(*s.value);
      op.target = s.target.get();
      emit(op);
      break;
    }
    case SK::if_: {
      place(*const_cast<Stmt&>(s).value);
      Op test(Op::Kind::jump_if_false);
      test.a = lower(*s.value);
      const int j = emit(test);
      statements(s.body);
      if (s.orelse.empty()) {
        patch(j, here());
        break;
      }
      const int skip = emit(Op(Op::Kind::jump));
      patch(j, here());
      statements(s.orelse);
      patch(skip, here());
      break;
    }
    case SK::while_: {
      place(*const_cast<Stmt&>(s).value);
      const int top = here();
      Op test(Op::Kind::jump_if_false);
      test.a = lower(*s.value);
      const int j = emit(test);
      unit_->loops.push_back({top, {}, unit_->unwinds.size()});
      statements(s.body);
      Op back(Op::Kind::jump);
      back.to = top;
      emit(back);
      auto loop = std::move(unit_->loops.back());
      unit_->loops.pop_back();
      patch(j, here());
      statements(s.orelse);
      for (const int b : loop.breaks)
        patch(b, here());
      break;
    }
    case SK::for_: {
      auto& m = const_cast<Stmt&>(s);
      place(*m.value);
      place_target(*m.target);
      const int it = temp();
      Op init(Op::Kind::iter_init);
      init.a = lower(*s.value);
      init.slot = it;
      emit(init);
      const int top = here();
      Op next(Op::Kind::iter_next);
      next.slot = it;
      next.target = s.target.get();
      const int n = emit(next);
      unit_->loops.push_back({top, {}, unit_->unwinds.size()});
      statements(s.body);
      Op back(Op::Kind::jump);
      back.to = top;
      emit(back);
      auto loop = std::move(unit_->loops.back());
      unit_->loops.pop_back();
      patch(n, here());
      statements(s.orelse);
      for (const int b : loop.breaks)
        patch(b, here());
      break;
    }
    case SK::break_:
    case SK::continue_: {
      if (unit_->loops.empty())
        fail(s.pos.line, s.pos.column,
             s.kind == SK::break_ ? "'break' outside loop" : "'continue' not properly in loop");
      auto& loop = unit_->loops.back();
      unwind_to(loop.unwind_depth);
      Op j(Op::Kind::jump);
      if (s.kind == SK::continue_) {
        j.to = loop.continue_to;
        emit(j);
      } else {
        unit_->loops.back().breaks.push_back(emit(j));
      }
      break;
    }
    case SK::return_: {
      if (unit_->scope->kind == Scope::Kind::module)
        fail(s.pos.line, s.pos.column, "'return' outside function");
      const Expr* value = nullptr;
      if (s.value) {
        place(*const_cast<Stmt&>(s).value);
        value = lower(*s.value);
      }
      if (!unit_->unwinds.empty() && value) { // the value first, then the finally blocks
        const int t = temp();
        Op keep(Op::Kind::assign);
        keep.a = value;
        keep.target = temp_name(t);
        emit(keep);
        value = temp_name(t);
      }
      unwind_to(0);
      Op r(Op::Kind::ret);
      r.a = value;
      emit(r);
      break;
    }
    case SK::raise_: {
      auto& m = const_cast<Stmt&>(s);
      if (!s.value) { // a bare raise: the exception being handled
        const int held = handled_slot();
        if (held < 0) {
          Op op(Op::Kind::raise); // RuntimeError: No active exception to reraise
          emit(op);
          break;
        }
        Op op(Op::Kind::reraise);
        op.slot = held;
        emit(op);
        break;
      }
      place(*m.value);
      place(m.cause);
      Op op(Op::Kind::raise);
      op.a = lower(*s.value);
      op.b = s.cause ? lower(*s.cause) : nullptr;
      emit(op);
      break;
    }
    case SK::try_:
      try_statement(s);
      break;
    case SK::with_:
      with_statement(s, 0);
      break;
    case SK::function: {
      const auto index = nested_def(s);
      auto& m = const_cast<Stmt&>(s);
      for (auto& p : m.params)
        place(p.default_value);
      auto target = std::make_unique<Expr>();
      target->kind = EK::name;
      target->name = s.name;
      target->line = s.pos.line;
      target->column = s.pos.column;
      auto* t = made(std::move(target));
      classify(t->name, unit_->scope, t);
      place(*t);
      Op op(Op::Kind::function);
      op.index = index;
      op.target = t;
      emit(op);
      break;
    }
    case SK::import:
      for (const auto& i : s.imports) {
        auto* t = bound_name(i.alias.empty() ? i.name : i.alias, s);
        Op op(Op::Kind::import);
        op.op = i.name;
        op.target = t;
        emit(op);
      }
      break;
    case SK::import_from:
      for (const auto& i : s.imports) {
        auto* t = bound_name(i.alias.empty() ? i.name : i.alias, s);
        Op op(Op::Kind::import);
        op.op = s.name + "." + i.name;
        op.target = t;
        emit(op);
      }
      break;
    case SK::assert_: {
      auto& m = const_cast<Stmt&>(s);
      place(*m.value);
      place(m.cause);
      Op op(Op::Kind::assert_);
      op.a = lower(*s.value);
      op.b = s.cause ? lower(*s.cause) : nullptr;
      emit(op);
      break;
    }
    case SK::del_:
      for (auto& t : const_cast<Stmt&>(s).targets) {
        place_target(*t);
        Op op(Op::Kind::del);
        op.target = t.get();
        emit(op);
      }
      break;
    case SK::global:
    case SK::nonlocal:
    case SK::pass:
    case SK::comment:
    case SK::blank:
      break;
    }
  }

  Expr* bound_name(const std::string& n, const Stmt& s) {
    auto e = std::make_unique<Expr>();
    e->kind = EK::name;
    e->name = n;
    e->line = s.pos.line;
    e->column = s.pos.column;
    auto* t = made(std::move(e));
    classify(n, unit_->scope, t);
    place(*t);
    return t;
  }

  // The slot of the exception the innermost enclosing except holds.
  int handled_slot() const {
    for (auto it = unit_->unwinds.rbegin(); it != unit_->unwinds.rend(); ++it)
      if (it->kind == Unwind::Kind::except_name) return it->slot;
    return -1;
  }

  // Runs, innermost first, what leaving the blocks above `depth` must run.
  void unwind_to(std::size_t depth) {
    const auto saved_handler = unit_->handler;
    const auto saved = unit_->unwinds;
    for (std::size_t i = unit_->unwinds.size(); i > depth; --i) {
      const auto u = saved[i - 1];
      unit_->handler = u.handler_outside;
      unit_->unwinds.resize(i - 1); // a return inside the finally body unwinds the rest only
      if (u.kind == Unwind::Kind::finally) {
        statements(*u.body);
      } else if (u.kind == Unwind::Kind::with) {
        Op exit(Op::Kind::with_exit);
        exit.slot = u.slot;
        exit.is_async = u.is_async;
        emit(exit);
      }
    }
    unit_->unwinds = saved;
    unit_->handler = saved_handler;
  }

  int push_handler(int exc_slot) {
    auto& hs = unit_->code->handlers;
    hs.push_back({-1, exc_slot, unit_->handler});
    unit_->handler = static_cast<int>(hs.size() - 1);
    return unit_->handler;
  }

  void try_statement(const Stmt& s) {
    auto& code = *unit_->code;
    const int outside = unit_->handler;
    int finally_handler = -1, finally_exc = -1;
    if (!s.finalbody.empty()) {
      finally_exc = temp();
      finally_handler = push_handler(finally_exc);
      unit_->unwinds.push_back({Unwind::Kind::finally, &s.finalbody, -1, false, outside, nullptr});
    }
    std::vector<int> to_end;
    if (!s.handlers.empty()) {
      const int exc = temp();
      const int h = push_handler(exc);
      statements(s.body);
      unit_->handler = code.handlers[static_cast<std::size_t>(h)].parent;
      statements(s.orelse);
      to_end.push_back(emit(Op(Op::Kind::jump)));
      code.handlers[static_cast<std::size_t>(h)].target = here();
      for (const auto& handler : s.handlers) {
        int no_match = -1;
        const int part = handler.star ? temp() : exc;
        if (handler.type) {
          place(*const_cast<script::Handler&>(handler).type);
          Op m(handler.star ? Op::Kind::match_star : Op::Kind::match);
          m.a = handler.type.get();
          m.slot = exc;
          m.slot2 = part;
          m.line = handler.pos.line ? handler.pos.line : unit_->line;
          if (!handler.name.empty()) m.target = bound_name(handler.name, s);
          no_match = emit(m);
        } else if (handler.star) {
          fail(handler.pos.line, handler.pos.column, "expected one or more exception types");
        }
        unit_->unwinds.push_back(
            {Unwind::Kind::except_name, nullptr, part, false, unit_->handler, nullptr});
        statements(handler.body);
        unit_->unwinds.pop_back();
        if (!handler.name.empty()) { // the name goes with the handler, as in Python
          Op del(Op::Kind::del);
          del.target = bound_name(handler.name, s);
          emit(del);
        }
        if (handler.star) {
          // The next except* sees what is left; after the last, it is raised.
          if (no_match >= 0) patch(no_match, here());
          continue;
        }
        to_end.push_back(emit(Op(Op::Kind::jump)));
        if (no_match >= 0) patch(no_match, here());
      }
      // No except took it (or except* left some): it goes on.
      Op again(Op::Kind::reraise);
      again.slot = exc;
      if (s.handlers.front().star) again.op = "group"; // raised only if any is left
      emit(again);
      if (s.handlers.front().star) to_end.push_back(emit(Op(Op::Kind::jump)));
    } else {
      statements(s.body);
      statements(s.orelse);
    }
    for (const int j : to_end)
      patch(j, here());
    if (finally_handler >= 0) {
      unit_->unwinds.pop_back();
      unit_->handler = outside;
      statements(s.finalbody); // the way out without an exception
      const int skip = emit(Op(Op::Kind::jump));
      code.handlers[static_cast<std::size_t>(finally_handler)].target = here();
      statements(s.finalbody); // with one: then it goes on
      Op again(Op::Kind::reraise);
      again.slot = finally_exc;
      emit(again);
      patch(skip, here());
    }
    unit_->handler = outside;
  }

  void with_statement(const Stmt& s, std::size_t item) {
    auto& code = *unit_->code;
    const auto& it = s.items[item];
    auto& mit = const_cast<script::WithItem&>(it);
    place(*mit.context);
    if (mit.target) place_target(*mit.target);
    const int mgr = temp();
    Op enter(Op::Kind::with_enter);
    enter.a = lower(*it.context);
    enter.slot = mgr;
    enter.target = it.target.get();
    enter.is_async = s.is_async;
    emit(enter);
    const int outside = unit_->handler;
    const int exc = temp();
    const int h = push_handler(exc);
    unit_->unwinds.push_back({Unwind::Kind::with, nullptr, mgr, s.is_async, outside, nullptr});
    if (item + 1 < s.items.size())
      with_statement(s, item + 1);
    else
      statements(s.body);
    unit_->unwinds.pop_back();
    unit_->handler = outside;
    // __exit__ runs on the with statement's line, as in CPython (3.10 on):
    // a view shows `async with asyncio.TaskGroup()` waiting, not the body's
    // last line.
    Op exit(Op::Kind::with_exit);
    exit.slot = mgr;
    exit.is_async = s.is_async;
    exit.line = s.pos.line;
    emit(exit);
    const int skip = emit(Op(Op::Kind::jump));
    code.handlers[static_cast<std::size_t>(h)].target = here();
    Op exit_exc(Op::Kind::with_exit);
    exit_exc.line = s.pos.line;
    exit_exc.slot = mgr;
    exit_exc.slot2 = exc;
    exit_exc.is_async = s.is_async;
    const int suppressed = emit(exit_exc);
    Op again(Op::Kind::reraise);
    again.slot = exc;
    emit(again);
    patch(suppressed, here());
    patch(skip, here());
  }

  // ---- nested units ----

  std::shared_ptr<Code> begin_unit(Scope* sc, int line) {
    auto code = std::make_shared<Code>();
    code->name = sc->name;
    code->qualname = sc->qualname;
    code->is_async = sc->is_async;
    code->is_generator = sc->has_yield;
    code->first_line = line;
    code->free_names = sc->free;
    return code;
  }

  // Where each free name of `code` is found in the unit that makes it.
  void closure_of(Code& code) {
    auto& outer = *unit_;
    for (const auto& n : code.free_names) {
      if (outer.scope->cells.count(n)) {
        code.closure_from.push_back({NameRef::Scope::cell, slot(n)});
      } else {
        const auto& f = outer.code->free_names;
        const auto at = std::find(f.begin(), f.end(), n);
        code.closure_from.push_back({NameRef::Scope::free, static_cast<int>(at - f.begin())});
      }
    }
  }

  int add_code(std::shared_ptr<Code> code) {
    codes_.push_back(std::move(code));
    return static_cast<int>(codes_.size() - 1);
  }

  void finish_params(Code& code, Scope& sc) {
    for (const auto& p : sc.params)
      slot(p);
    for (const auto& c : sc.cells)
      code.cell_slots.push_back(slot(c));
  }

  int nested_def(const Stmt& s) {
    auto* sc = scopes_.of(&s);
    auto code = begin_unit(sc, s.pos.line);
    closure_of(*code);
    code->ast_params = &s.params;
    for (const auto& p : s.params) {
      Parameter q;
      q.name = p.name;
      q.kind = p.kind;
      code->params.push_back(std::move(q));
    }
    auto* saved = unit_;
    Unit u{code.get(), sc};
    unit_ = &u;
    finish_params(*code, *sc);
    statements(s.body);
    emit(Op(Op::Kind::ret));
    unit_ = saved;
    return add_code(code);
  }

  // A lambda or a comprehension: a unit of its own; its index is kept in
  // the expression (ref.slot).
  void nested(Expr& e) {
    auto* sc = scopes_.of(&e);
    auto code = begin_unit(sc, e.line);
    closure_of(*code);
    auto* saved = unit_;
    Unit u{code.get(), sc};
    unit_ = &u;
    if (e.kind == EK::lambda) {
      code->ast_params = &e.params;
      for (const auto& p : e.params) {
        Parameter q;
        q.name = p.name;
        q.kind = p.kind;
        code->params.push_back(std::move(q));
      }
      finish_params(*code, *sc);
      place(*e.args[0]);
      Op r(Op::Kind::ret);
      r.a = e.args[0].get();
      r.line = e.line;
      emit(r);
    } else {
      Parameter it;
      it.name = ".0";
      code->params.push_back(std::move(it));
      finish_params(*code, *sc);
      comprehension_body(e);
    }
    unit_ = saved;
    e.ref.slot = add_code(code);
  }

  void comprehension_body(Expr& e) {
    unit_->line = e.line;
    int result = -1;
    if (e.kind != EK::generator) {
      result = temp();
      auto empty = std::make_unique<Expr>();
      empty->kind = e.kind == EK::list_comp  ? EK::list
                    : e.kind == EK::set_comp ? EK::set
                                             : EK::dict;
      Op init(Op::Kind::assign);
      init.a = made(std::move(empty));
      init.target = temp_name(result);
      emit(init);
    }
    std::vector<std::pair<int, int>> loops; // (top, iter_next op)
    for (std::size_t i = 0; i < e.clauses.size(); ++i) {
      auto& c = e.clauses[i];
      place_target(*c.target);
      int it = slot(".0");
      if (i > 0) {
        place(*c.iter);
        it = temp();
        Op init(Op::Kind::iter_init);
        init.a = c.iter.get();
        init.slot = it;
        emit(init);
      }
      const int top = here();
      Op next(Op::Kind::iter_next);
      next.slot = it;
      next.target = c.target.get();
      loops.push_back({top, emit(next)});
      for (auto& cond : c.ifs) {
        place(*cond);
        Op skip(Op::Kind::jump_if_false);
        skip.a = cond.get();
        skip.to = top;
        emit(skip);
      }
    }
    for (auto& a : e.args)
      place(*a);
    if (e.kind == EK::generator) {
      Op y(Op::Kind::yield);
      y.a = e.args[0].get();
      emit(y);
    } else {
      Op add(Op::Kind::append);
      add.slot = result;
      add.a = e.args[0].get();
      if (e.kind == EK::dict_comp) add.b = e.args[1].get();
      emit(add);
    }
    for (auto l = loops.rbegin(); l != loops.rend(); ++l) {
      Op back(Op::Kind::jump);
      back.to = l->first;
      emit(back);
      patch(l->second, here());
    }
    Op r(Op::Kind::ret);
    r.a = result >= 0 ? temp_name(result) : nullptr;
    emit(r);
  }

public:
  std::vector<std::shared_ptr<Code>> codes_;
  bool sleep_is_fixed_ = true; // asyncio is bound only by its import

private:
  Compiled& out_;
  Scopes& scopes_;
  Unit* unit_ = nullptr;
};

// Whether `asyncio` is only ever bound by an import (then asyncio.sleep is
// asyncio's).
bool asyncio_fixed(const Block& tree) {
  int binds = 0;
  std::function<void(const Block&)> walk = [&](const Block& b) {
    for (const auto& s : b) {
      if (s->kind == SK::import)
        for (const auto& i : s->imports)
          if ((i.alias.empty() ? i.name : i.alias) == "asyncio") ++binds;
      if (s->kind == SK::assign)
        for (const auto& t : s->targets)
          if (t->kind == EK::name && t->name == "asyncio") binds += 2;
      if (s->kind == SK::function && s->name == "asyncio") binds += 2;
      walk(s->body);
      walk(s->orelse);
      walk(s->finalbody);
      for (const auto& h : s->handlers)
        walk(h.body);
    }
  };
  walk(tree);
  return binds == 1;
}

} // namespace

std::variant<std::shared_ptr<const Compiled>, CompileError>
compile(script::Block tree, std::string file, std::string source) {
  auto out = std::make_shared<Compiled>();
  out->tree = std::move(tree);
  out->file = std::move(file);
  out->source = std::move(source);
  try {
    Scopes scopes(out->file);
    scopes.collect(out->tree);
    Compiler c(*out, scopes);
    c.sleep_is_fixed_ = asyncio_fixed(out->tree);
    c.resolve();
    auto module = c.module_code(out->tree);
    // A function may outlive the compiler: every code is the program's, and
    // keeps it (and the tree its operations point into) alive.
    out->module = std::shared_ptr<const Code>(out, module.get());
    for (auto& code : c.codes_)
      out->codes.push_back(std::shared_ptr<const Code>(out, code.get()));
    c.codes_.push_back(std::move(module));
    out->owned = std::move(c.codes_);
  } catch (const Failure& f) {
    return CompileError{f.message};
  }
  return std::shared_ptr<const Compiled>(out);
}

} // namespace asyncdemo::py
