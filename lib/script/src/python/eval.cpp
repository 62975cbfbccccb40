// A Python program's expressions: the evaluator's own operations
// (evaluator.cpp: numbers, strs, lists) and, for the rest of Python's
// values, the machine's data model (vm.hpp).
#include "vm.hpp"

#include "../numbers.hpp"
#include "../values.hpp"

#include "asyncdemo/script/limits.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <cmath>

namespace asyncdemo {

namespace {

// a | b, a & b, a - b of two sets, their tables made as CPython's set_or,
// set_intersection and set_difference make them: a copied, then b merged;
// the smaller set's that the larger holds; a copied less b's when a is more
// than four times b, else a's that b lacks.
Object set_operation(const std::string& op, const py::SetObject& a, const py::SetObject& b) {
  auto* out = new py::SetObject();
  Object result(static_cast<HeapObject*>(out));
  if (op == "|") {
    out->merge(a);
    out->merge(b);
  } else if (op == "-" && (a.size() >> 2) > b.size()) {
    out->merge(a);
    for (const auto& v : b.items())
      out->discard(v);
  } else if (op == "&") {
    const auto& small = b.size() > a.size() ? a : b;
    const auto& large = b.size() > a.size() ? b : a;
    for (const auto& v : small.items())
      if (large.contains(v)) out->add(v);
  } else {
    for (const auto& v : a.items())
      if (!b.contains(v)) out->add(v);
  }
  return result;
}

using py::Vm;
using K = Expr::Kind;

// What CPython's AST optimiser makes a constant: a literal, a sign or ~ of
// one, a tuple of them.
bool folded_constant(const Expr& e) {
  switch (e.kind) {
  case K::literal:
    return true;
  case K::unary:
    return e.op != "not" && e.args.size() == 1 && e.args[0]->kind == K::literal &&
           e.args[0]->literal.is_number();
  case K::tuple:
    return std::all_of(e.args.begin(), e.args.end(),
                       [](const ExprPtr& a) { return folded_constant(*a); });
  default:
    return false;
  }
}

py::Frame& frame_of(EvalEnv& env) {
  return *env.frame;
}

[[noreturn]] void name_error(Vm& vm, const std::string& name) {
  vm.raise("NameError", fmt::format("name '{}' is not defined", name));
}

bool unbound(const Object& v) {
  return v.is_heap() && std::string_view(v.type_name()) == "unbound";
}

Object load(const Expr& e, EvalEnv& env) {
  auto& vm = *env.vm;
  const auto slot = static_cast<std::size_t>(e.ref.slot);
  switch (e.ref.scope) {
  case NameRef::Scope::local: {
    const auto& v = env.locals[slot];
    if (unbound(v))
      vm.raise("UnboundLocalError",
               fmt::format("cannot access local variable '{}' where it is not associated with a "
                           "value",
                           e.name));
    return v;
  }
  case NameRef::Scope::cell:
  case NameRef::Scope::free: {
    const Object cell_obj = e.ref.scope == NameRef::Scope::cell
                                ? env.locals[slot]
                                : frame_of(env).function.as<py::FunctionObject>()->closure.at(slot);
    const auto* cell = cell_obj.as<py::CellObject>();
    if (!cell || !cell->set)
      vm.raise("NameError", fmt::format("cannot access free variable '{}' where it is not "
                                        "associated with a value in enclosing scope",
                                        e.name));
    return cell->value;
  }
  case NameRef::Scope::global: {
    const auto& v = env.globals->at(slot);
    if (unbound(v)) name_error(vm, e.name);
    return v;
  }
  case NameRef::Scope::builtin:
    return vm.builtin(e.ref.slot);
  }
  name_error(vm, e.name);
}

// The arguments of a call: *x spread, **x spread, name=x kept by name.
py::Args arguments(const Expr& e, EvalEnv& env) {
  auto& vm = *env.vm;
  py::Args args;
  for (const auto& a : e.args) {
    if (a->kind == K::starred) {
      for (auto& v : vm.to_list(eval(*a->args[0], env)))
        args.positional.push_back(std::move(v));
    } else if (a->kind == K::keyword) {
      auto v = eval(*a->args[0], env);
      if (!a->name.empty()) {
        for (const auto& [k, old] : args.keywords)
          if (k == a->name)
            vm.raise("SyntaxError", fmt::format("keyword argument repeated: {}", a->name));
        args.keywords.emplace_back(a->name, std::move(v));
        continue;
      }
      const auto* d = v.as<py::DictObject>();
      if (!d) vm.raise("TypeError", "argument after ** must be a mapping");
      for (const auto& entry : d->entries())
        if (entry.alive) {
          if (entry.key.kind() != Object::Kind::text)
            vm.raise("TypeError", "keywords must be strings");
          args.keywords.emplace_back(entry.key.text(), entry.value);
        }
    } else if (a->kind == K::generator && e.args.size() == 1) {
      args.positional.push_back(eval(*a, env));
    } else {
      args.positional.push_back(eval(*a, env));
    }
  }
  return args;
}

List items_of(const Expr& e, EvalEnv& env) {
  List out;
  for (const auto& a : e.args) {
    if (a->kind == K::starred) {
      for (auto& v : env.vm->to_list(eval(*a->args[0], env)))
        out.push_back(std::move(v));
    } else {
      out.push_back(eval(*a, env));
    }
  }
  return out;
}

bool compare_one(Vm& vm, const std::string& op, const Object& a, const Object& b) {
  if (op == "==") return a == b;
  if (op == "!=") return !(a == b);
  if (op == "is") return a.same(b);
  if (op == "is not") return !a.same(b);
  if (op == "in") return vm.contains(b, a);
  if (op == "not in") return !vm.contains(b, a);
  // Sequences order by their first difference.
  const bool seq = (a.kind() == Object::Kind::list && b.kind() == Object::Kind::list) ||
                   (a.kind() == Object::Kind::tuple && b.kind() == Object::Kind::tuple);
  if (seq) {
    const auto& x = a.list();
    const auto& y = b.list();
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
      if (!(x[i] == y[i])) return compare_one(vm, op, x[i], y[i]);
    const int c = x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    return op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
  }
  const auto* sa = a.as<py::SetObject>();
  const auto* sb = b.as<py::SetObject>();
  if (sa && sb) { // subset and superset
    auto subset = [&](const py::SetObject& x, const py::SetObject& y) {
      for (const auto& v : x.items())
        if (!y.contains(v)) return false;
      return true;
    };
    if (op == "<=") return subset(*sa, *sb);
    if (op == ">=") return subset(*sb, *sa);
    if (op == "<") return sa->size() < sb->size() && subset(*sa, *sb);
    return sb->size() < sa->size() && subset(*sb, *sa);
  }
  const int c = compare_order(a, b, op);
  if (c == 2) return false;
  return op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
}

std::string fstring_text(const FString& f, EvalEnv& env);

std::string field_text(const FString::Piece& p, EvalEnv& env) {
  auto& vm = *env.vm;
  auto v = eval(*p.expr, env);
  char conversion = p.conversion;
  const std::string spec = p.spec_fields ? fstring_text(*p.spec_fields, env) : p.spec;
  if (!p.self_documenting.empty() && !conversion && spec.empty()) conversion = 'r';
  if (conversion == 'r') v = Object(v.repr());
  if (conversion == 's') v = Object(v.str());
  if (conversion == 'a') v = Object(escape_like_repr(v.repr())); // ascii(): non-ASCII escaped too
  const auto shown = p.self_documenting.empty()
                         ? std::string()
                         : p.self_documenting + "=" + p.self_documenting_tail;
  return shown + vm.format_field(v, spec);
}

std::string fstring_text(const FString& f, EvalEnv& env) {
  std::string out;
  for (const auto& p : f.pieces) {
    out += p.expr ? field_text(p, env) : p.text;
    if (out.size() > script::max_str_bytes)
      env.vm->raise("MemoryError",
                    fmt::format("a string holds at most {} bytes here", script::max_str_bytes));
  }
  return out;
}

// A comprehension, a generator expression or a lambda: a function of its
// own code (its index kept in ref.slot), with the closure it needs; a
// comprehension's is called at once with the first iterator.
Object nested(const Expr& e, EvalEnv& env) {
  auto& vm = *env.vm;
  const auto& code = vm.program().codes.at(static_cast<std::size_t>(e.ref.slot));
  auto function = vm.make_function(*code, code, frame_of(env));
  if (e.kind == K::lambda) return function;
  py::Args args;
  args.positional.push_back(vm.iter(eval(*e.clauses.front().iter, env)));
  return vm.call(function, args);
}

} // namespace

// sorted, min and max order by `<` alone, as Python's do.
bool py::py_less(py::Vm& vm, const Object& a, const Object& b) {
  return compare_one(vm, "<", a, b);
}

Object eval_python(const Expr& e, EvalEnv& env) {
  auto& vm = *env.vm;
  switch (e.kind) {
  case K::literal:
    return e.literal;
  case K::name:
    return load(e, env);
  case K::unary: {
    auto v = eval(*e.args[0], env);
    if (e.op == "not") return Object(!v.truthy());
    if (e.op == "~") {
      if (v.kind() != Object::Kind::integer && v.kind() != Object::Kind::boolean)
        vm.raise("TypeError", fmt::format("bad operand type for unary ~: '{}'", v.type_name()));
      return Object(~(v.kind() == Object::Kind::boolean ? std::int64_t{v.boolean()} : v.integer()));
    }
    if (v.kind() == Object::Kind::integer && e.op == "-") return Object(num::neg(v.integer()));
    if (v.kind() == Object::Kind::boolean)
      return Object(std::int64_t{v.boolean() ? (e.op == "-" ? -1 : 1) : 0});
    if (v.is_number()) return e.op == "-" ? Object(-v.number()) : v;
    vm.raise("TypeError", fmt::format("bad operand type for unary {}: '{}'", e.op, v.type_name()));
  }
  case K::binary: {
    auto left = eval(*e.args[0], env);
    auto right = eval(*e.args[1], env);
    if (const auto* x = left.as<py::SetObject>())
      if (const auto* y = right.as<py::SetObject>())
        if (e.op == "|" || e.op == "&" || e.op == "-") return set_operation(e.op, *x, *y);
    return binary_op(e.op, left, right);
  }
  case K::compare: {
    auto left = eval(*e.args[0], env);
    for (std::size_t i = 1; i < e.args.size(); ++i) {
      auto right = eval(*e.args[i], env);
      const auto& op = e.ops.empty() ? e.op : e.ops[i - 1];
      if (!compare_one(vm, op, left, right)) return Object(false);
      left = std::move(right);
    }
    return Object(true);
  }
  case K::logic: {
    Object v;
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      v = eval(*e.args[i], env);
      if (e.op == "and" ? !v.truthy() : v.truthy()) return v;
    }
    return v;
  }
  case K::cond:
    return eval(*e.args[1], env).truthy() ? eval(*e.args[0], env) : eval(*e.args[2], env);
  case K::call: {
    auto callee = eval(*e.callee, env);
    auto args = arguments(e, env);
    return vm.call(callee, args);
  }
  case K::attribute:
    return vm.getattr(eval(*e.args[0], env), e.name);
  case K::index: {
    auto obj = eval(*e.args[0], env);
    const auto& i = *e.args[1];
    if (i.kind == K::slice) {
      List parts;
      for (std::size_t k = 0; k < 3; ++k)
        parts.push_back(k < i.args.size() && i.args[k] ? eval(*i.args[k], env) : Object());
      return vm.subscript(obj, Object(static_cast<HeapObject*>(
                                   new ListObject(std::move(parts), HeapObject::Type::other))));
    }
    return vm.subscript(obj, eval(i, env));
  }
  case K::list:
    return Object(items_of(e, env));
  case K::tuple:
    return Object::tuple(items_of(e, env));
  case K::set: {
    auto* s = new py::SetObject();
    Object out(static_cast<HeapObject*>(s));
    if (e.args.size() > 2 && std::all_of(e.args.begin(), e.args.end(),
                                         [](const ExprPtr& a) { return folded_constant(*a); })) {
      // CPython compiles a display of three or more constants to a
      // frozenset constant merged into a new set: its order is that merge's.
      // The compiler makes the frozenset twice: from the items, then (as it
      // merges the code's constants) from the first one's order.
      py::SetObject first(true), constant(true);
      for (const auto& v : items_of(e, env))
        first.add(v);
      for (const auto& v : first.items())
        constant.add(v);
      s->merge(constant);
      return out;
    }
    for (const auto& v : items_of(e, env))
      s->add(v);
    return out;
  }
  case K::dict: {
    auto* d = new py::DictObject();
    Object out(static_cast<HeapObject*>(d));
    for (std::size_t k = 0; k + 1 < e.args.size(); k += 2) {
      if (!e.args[k]) { // {**other}
        const auto other = eval(*e.args[k + 1], env);
        const auto* o = other.as<py::DictObject>();
        if (!o)
          vm.raise("TypeError", fmt::format("'{}' object is not a mapping", other.type_name()));
        for (const auto& entry : o->entries())
          if (entry.alive) d->set(entry.key, entry.value);
        continue;
      }
      auto key = eval(*e.args[k], env);
      d->set(key, eval(*e.args[k + 1], env));
    }
    return out;
  }
  case K::fstring:
    return Object(fstring_text(*e.fstring, env));
  case K::lambda:
  case K::list_comp:
  case K::set_comp:
  case K::dict_comp:
  case K::generator:
    return nested(e, env);
  case K::starred:
    vm.raise("SyntaxError", "can't use starred expression here");
  case K::await_:
  case K::keyword:
  case K::slice:
  case K::comprehension:
    break;
  }
  vm.raise("SystemError", "an expression the machine does not take");
}

} // namespace asyncdemo
