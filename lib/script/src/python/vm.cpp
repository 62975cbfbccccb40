// The machine (vm.hpp): frames stepped one operation at a time, calls,
// stores, iteration, and the exceptions on their way through C++.
#include "vm.hpp"

#include "../numbers.hpp"
#include "../values.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/script/limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <new>

namespace asyncdemo::py {

namespace {

// Python's recursion limit (sys.getrecursionlimit()).
constexpr int max_depth = 1000;

// A local not yet bound (UnboundLocalError when read).
struct Unbound final : HeapObject {
  Unbound() : HeapObject(Type::other) { add_ref(); } // never freed
  const char* type_name() const noexcept override { return "unbound"; }
};
Object unbound() {
  static Unbound* u = new Unbound();
  return Object(static_cast<HeapObject*>(u));
}

Frame& frame_of(const Object& o) {
  return *static_cast<Frame*>(o.heap());
}

std::string qualified_name(const ExceptionTypeObject& c) {
  return c.module.empty() ? c.name : c.module + "." + c.name;
}

} // namespace

// ---------------------------------------------------------------------------
// Exceptions

PyError::PyError(Object exc)
    : Error(
          [&] {
            const auto* e = exc.as<ExceptionObject>();
            return e && e->cls() ? qualified_name(*e->cls()) : std::string("Exception");
          }(),
          exc.str()),
      exc_(std::move(exc)) {}

struct Vm::Classes {
  std::map<std::string, Object, std::less<>> by_name;
  Object add(const std::string& name, const std::string& base, const std::string& module = {}) {
    Object b;
    if (!base.empty()) b = by_name.at(base);
    Object c(static_cast<HeapObject*>(new ExceptionTypeObject(name, b, module)));
    by_name[name] = c;
    return c;
  }
};

Object Vm::exception_class(const std::string& name) const {
  const auto it = classes_->by_name.find(name);
  if (it == classes_->by_name.end()) return classes_->by_name.at("RuntimeError");
  return it->second;
}

Object Vm::new_exception(const std::string& cls, std::string message) {
  List args;
  if (!message.empty()) args.emplace_back(std::move(message));
  return Object(
      static_cast<HeapObject*>(new ExceptionObject(exception_class(cls), std::move(args))));
}

void Vm::raise(const std::string& cls, std::string message) {
  raise(new_exception(cls, std::move(message)));
}

void Vm::raise(Object exc) {
  throw PyError(std::move(exc));
}

Object Vm::exception_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const PyError& x) {
    return x.exception();
  } catch (const CancelledError& c) {
    auto exc = new_exception("CancelledError", {});
    if (c.message()) exc.as<ExceptionObject>()->args = {Object(*c.message())};
    return exc;
  } catch (const ExceptionGroup& g) {
    auto exc = new_exception("ExceptionGroup", {});
    auto* eo = exc.as<ExceptionObject>();
    eo->message = g.group_message();
    for (const auto& sub : g.exceptions())
      eo->exceptions.push_back(exception_of(sub));
    eo->args = {Object(g.group_message()), Object(List(eo->exceptions))};
    return exc;
  } catch (const DeadlockError&) {
    throw; // not the program's: the run is stuck
  } catch (const StepLimit&) {
    throw; // not the program's either: it has run too long
  } catch (const Error& x) {
    auto type = x.type();
    for (const char* prefix : {"asyncio.queues.", "asyncio.exceptions.", "asyncio."})
      if (type.rfind(prefix, 0) == 0) type.erase(0, std::string_view(prefix).size());
    return new_exception(type, x.message());
  } catch (const InvalidStateError& x) {
    return new_exception("InvalidStateError", x.what());
  } catch (const ScriptError& x) {
    // The evaluator's "TypeError: message".
    const std::string text = x.what();
    const auto colon = text.find(": ");
    const auto type = colon == std::string::npos ? text : text.substr(0, colon);
    const auto message = colon == std::string::npos ? std::string() : text.substr(colon + 2);
    if (classes_->by_name.count(type)) return new_exception(type, message);
    return new_exception("RuntimeError", text);
  } catch (const std::bad_alloc&) {
    return new_exception("MemoryError", {});
  } catch (const std::exception& x) {
    return new_exception("RuntimeError", x.what());
  }
}

std::exception_ptr Vm::to_cpp(const Object& exc) {
  const auto* e = exc.as<ExceptionObject>();
  if (e && e->is("CancelledError")) {
    // Its message goes with it (CancelledError('stop'): what awaiting the
    // task it ends raises); other arguments are the program's alone.
    if (e->args.size() == 1) return std::make_exception_ptr(CancelledError(e->args[0].str()));
    return std::make_exception_ptr(CancelledError{});
  }
  return std::make_exception_ptr(PyError(exc));
}

bool ExceptionTypeObject::is_subclass_of(const ExceptionTypeObject* other) const noexcept {
  for (const auto* c = this; c; c = c->base.as<ExceptionTypeObject>()) {
    if (c == other) return true;
    if (c->group && other->name == "BaseExceptionGroup") return true;
  }
  return false;
}

bool ExceptionObject::is(const char* name) const {
  for (const auto* c = cls(); c; c = c->base.as<ExceptionTypeObject>())
    if (c->name == name) return true;
  return false;
}

bool Vm::isinstance_exc(const Object& exc, const Object& cls) {
  if (cls.kind() == Object::Kind::tuple) {
    for (const auto& c : cls.list())
      if (isinstance_exc(exc, c)) return true;
    return false;
  }
  const auto* c = cls.as<ExceptionTypeObject>();
  if (!c)
    raise("TypeError", "catching classes that do not inherit from BaseException is not allowed");
  const auto* e = exc.as<ExceptionObject>();
  return e && e->cls() && e->cls()->is_subclass_of(c);
}

// ---------------------------------------------------------------------------
// The machine

Vm::Vm(std::shared_ptr<const Compiled> program, std::uint64_t seed)
    : program_(std::move(program)), rng_(seed), classes_(std::make_unique<Classes>()) {
  auto& c = *classes_;
  c.add("BaseException", "");
  c.add("Exception", "BaseException");
  c.add("ArithmeticError", "Exception");
  c.add("ZeroDivisionError", "ArithmeticError");
  c.add("OverflowError", "ArithmeticError");
  c.add("AssertionError", "Exception");
  c.add("AttributeError", "Exception");
  c.add("LookupError", "Exception");
  c.add("IndexError", "LookupError");
  c.add("KeyError", "LookupError");
  c.add("NameError", "Exception");
  c.add("UnboundLocalError", "NameError");
  c.add("RuntimeError", "Exception");
  c.add("RecursionError", "RuntimeError");
  c.add("NotImplementedError", "RuntimeError");
  c.add("TypeError", "Exception");
  c.add("ValueError", "Exception");
  c.add("UnicodeError", "ValueError");
  c.add("UnicodeEncodeError", "UnicodeError");
  c.add("StopIteration", "Exception");
  c.add("StopAsyncIteration", "Exception");
  c.add("MemoryError", "Exception");
  c.add("OSError", "Exception");
  c.add("TimeoutError", "OSError");
  c.add("BaseExceptionGroup", "BaseException").as<ExceptionTypeObject>()->group = true;
  c.add("ExceptionGroup", "Exception").as<ExceptionTypeObject>()->group = true;
  c.add("GeneratorExit", "BaseException");
  c.add("KeyboardInterrupt", "BaseException");
  c.add("SystemExit", "BaseException");
  c.add("CancelledError", "BaseException", "asyncio.exceptions");
  c.add("InvalidStateError", "Exception", "asyncio.exceptions");
  c.add("QueueEmpty", "Exception", "asyncio.queues");
  c.add("QueueFull", "Exception", "asyncio.queues");
  globals_.assign(program_->globals.size(), unbound());
  for (std::size_t i = 0; i < program_->globals.size(); ++i)
    if (program_->globals[i] == "__name__") globals_[i] = Object(std::string("__main__"));
  builtins_ = make_builtins(*this);
  for (const char* m : {"asyncio", "time", "random"})
    modules_.push_back(make_module(*this, m));
}

Vm::~Vm() = default;

const Object& Vm::builtin(int index) const {
  return builtins_.at(static_cast<std::size_t>(index));
}

Object Vm::module(const std::string& name) {
  for (const auto& m : modules_)
    if (m.as<ModuleObject>()->name == name) return m;
  raise("ModuleNotFoundError", fmt::format("No module named '{}'", name));
}

Object Vm::evaluate(const Expr& e, Frame& frame) {
  EvalEnv env;
  env.globals = &globals_;
  env.locals = frame.slots().data();
  env.n_locals = frame.slots().size();
  env.rng = &rng_;
  env.vm = this;
  env.frame = &frame;
  return eval(e, env);
}

Object Vm::load_free(Frame& frame, int index) {
  const auto* fn = frame.function.as<FunctionObject>();
  return fn->closure.at(static_cast<std::size_t>(index));
}

// ---- storing ----

void Vm::store(const Expr& t, Object value, Frame& frame) {
  switch (t.kind) {
  case Expr::Kind::name: {
    const auto slot = static_cast<std::size_t>(t.ref.slot);
    switch (t.ref.scope) {
    case NameRef::Scope::local:
      frame.slots().at(slot) = std::move(value);
      return;
    case NameRef::Scope::cell: {
      auto* cell = frame.slots().at(slot).as<CellObject>();
      cell->value = std::move(value);
      cell->set = true;
      return;
    }
    case NameRef::Scope::free: {
      auto* cell = load_free(frame, t.ref.slot).as<CellObject>();
      cell->value = std::move(value);
      cell->set = true;
      return;
    }
    case NameRef::Scope::global:
      globals_.at(slot) = std::move(value);
      return;
    case NameRef::Scope::builtin:
      break;
    }
    raise("SyntaxError", fmt::format("cannot assign to {}", t.name));
  }
  case Expr::Kind::tuple:
  case Expr::Kind::list: {
    auto items = to_list(value);
    std::size_t star = t.args.size();
    for (std::size_t i = 0; i < t.args.size(); ++i)
      if (t.args[i]->kind == Expr::Kind::starred) star = i;
    const auto n = t.args.size();
    if (star == n) {
      if (items.size() != n) {
        if (items.size() < n)
          raise("ValueError",
                fmt::format("not enough values to unpack (expected {}, got {})", n, items.size()));
        raise("ValueError", fmt::format("too many values to unpack (expected {})", n));
      }
      for (std::size_t i = 0; i < n; ++i)
        store(*t.args[i], std::move(items[i]), frame);
      return;
    }
    if (items.size() < n - 1)
      raise("ValueError", fmt::format("not enough values to unpack (expected at least {}, got {})",
                                      n - 1, items.size()));
    const auto after = n - 1 - star;
    for (std::size_t i = 0; i < star; ++i)
      store(*t.args[i], std::move(items[i]), frame);
    List middle(items.begin() + static_cast<std::ptrdiff_t>(star),
                items.end() - static_cast<std::ptrdiff_t>(after));
    store(*t.args[star]->args[0], Object(std::move(middle)), frame);
    for (std::size_t i = 0; i < after; ++i)
      store(*t.args[star + 1 + i], std::move(items[items.size() - after + i]), frame);
    return;
  }
  case Expr::Kind::index:
    set_subscript(evaluate(*t.args[0], frame), evaluate(*t.args[1], frame), std::move(value));
    return;
  case Expr::Kind::attribute: {
    const auto obj = evaluate(*t.args[0], frame);
    raise("AttributeError",
          fmt::format("'{}' object attribute '{}' is read-only", obj.type_name(), t.name));
  }
  default:
    raise("SyntaxError", "cannot assign to expression");
  }
}

void Vm::remove(const Expr& t, Frame& frame) {
  switch (t.kind) {
  case Expr::Kind::name:
    switch (t.ref.scope) {
    case NameRef::Scope::local:
      frame.slots().at(static_cast<std::size_t>(t.ref.slot)) = unbound();
      return;
    case NameRef::Scope::global:
      globals_.at(static_cast<std::size_t>(t.ref.slot)) = unbound();
      return;
    case NameRef::Scope::cell:
      frame.slots().at(static_cast<std::size_t>(t.ref.slot)).as<CellObject>()->set = false;
      return;
    default:
      raise("SyntaxError", fmt::format("cannot delete {}", t.name));
    }
  case Expr::Kind::tuple:
  case Expr::Kind::list:
    for (const auto& a : t.args)
      remove(*a, frame);
    return;
  case Expr::Kind::index:
    del_subscript(evaluate(*t.args[0], frame), evaluate(*t.args[1], frame));
    return;
  default:
    raise("SyntaxError", "cannot delete expression");
  }
}

void Vm::aug(const Op& op, Frame& frame) {
  const auto& t = *op.target;
  // A subscript's object and index are evaluated once.
  if (t.kind == Expr::Kind::index) {
    const auto obj = evaluate(*t.args[0], frame);
    const auto index = evaluate(*t.args[1], frame);
    const auto old = subscript(obj, index);
    const auto rhs = evaluate(*op.a, frame);
    set_subscript(obj, index, inplace(old, op.op, rhs));
    return;
  }
  const auto old = evaluate(t, frame);
  const auto rhs = evaluate(*op.a, frame);
  store(t, inplace(old, op.op, rhs), frame);
}

Object Vm::make_function(const Code& code, std::shared_ptr<const Code> shared, Frame& frame) {
  std::vector<Object> defaults(code.params.size(), unbound());
  if (code.ast_params)
    for (std::size_t i = 0; i < code.ast_params->size(); ++i)
      if (const auto& d = (*code.ast_params)[i].default_value) defaults[i] = evaluate(*d, frame);
  std::vector<Object> closure;
  for (const auto& from : code.closure_from)
    closure.push_back(from.scope == NameRef::Scope::cell
                          ? frame.slots().at(static_cast<std::size_t>(from.slot))
                          : load_free(frame, from.slot));
  auto* fn = new FunctionObject(std::move(shared), std::move(defaults), std::move(closure));
  fn->name = code.name;
  return Object(static_cast<HeapObject*>(fn));
}

// ---- calls ----

std::optional<Object> Args::take(std::string_view name) {
  for (auto it = keywords.begin(); it != keywords.end(); ++it)
    if (it->first == name) {
      auto v = std::move(it->second);
      keywords.erase(it);
      return v;
    }
  return std::nullopt;
}

void Args::no_more_keywords(std::string_view function) const {
  if (!keywords.empty())
    throw ScriptError(fmt::format("TypeError: {}() got an unexpected keyword argument '{}'",
                                  function, keywords.front().first));
}

Object Frame::make(std::shared_ptr<const Code> c, Object fn) {
  const auto n = static_cast<std::uint32_t>(c->slot_names.size());
  static_assert(sizeof(Frame) % alignof(Object) == 0);
  void* mem = recycled_allocate(bytes(n));
  try {
    return Object(static_cast<HeapObject*>(::new (mem) Frame(std::move(c), std::move(fn), n)));
  } catch (...) {
    recycled_free(mem, bytes(n));
    throw;
  }
}

const std::string& CoroutineObject::name() const noexcept {
  return native ? native->name : static_cast<const Frame*>(frame.heap())->code->qualname;
}

void Frame::operator delete(Frame* f, std::destroying_delete_t) noexcept {
  const auto size = bytes(f->n_slots);
  f->~Frame();
  recycled_free(f, size);
}

Object Vm::frame_for(const FunctionObject& fn, Args& args) {
  const Code& code = *fn.code;
  Object frame_obj = Frame::make(fn.code, Object(const_cast<FunctionObject*>(&fn)));
  auto& f = frame_of(frame_obj);
  for (auto& s : f.slots())
    s = unbound();
  const auto& params = code.params;
  const auto& name = code.name;
  std::size_t positional = 0;
  int var_positional = -1, var_keyword = -1;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].kind == Parameter::Kind::positional) ++positional;
    if (params[i].kind == Parameter::Kind::var_positional) var_positional = static_cast<int>(i);
    if (params[i].kind == Parameter::Kind::var_keyword) var_keyword = static_cast<int>(i);
  }
  auto& given = args.positional;
  if (given.size() > positional && var_positional < 0) {
    std::size_t required = 0;
    for (std::size_t i = 0; i < positional; ++i)
      if (fn.defaults[i].same(unbound())) ++required;
    const auto takes = required == positional ? fmt::format("{}", positional)
                                              : fmt::format("from {} to {}", required, positional);
    raise("TypeError", fmt::format("{}() takes {} positional argument{} but {} {} given", name,
                                   takes, positional == 1 ? "" : "s", given.size(),
                                   given.size() == 1 ? "was" : "were"));
  }
  for (std::size_t i = 0; i < std::min(given.size(), positional); ++i)
    f.slots()[i] = std::move(given[i]);
  if (var_positional >= 0) {
    List rest;
    for (std::size_t i = positional; i < given.size(); ++i)
      rest.push_back(std::move(given[i]));
    f.slots()[static_cast<std::size_t>(var_positional)] = Object::tuple(std::move(rest));
  }
  DictObject* extra = nullptr;
  if (var_keyword >= 0) {
    extra = new DictObject();
    f.slots()[static_cast<std::size_t>(var_keyword)] = Object(static_cast<HeapObject*>(extra));
  }
  for (auto& [key, value] : args.keywords) {
    bool placed = false;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto k = params[i].kind;
      if (params[i].name != key ||
          (k != Parameter::Kind::positional && k != Parameter::Kind::keyword_only))
        continue;
      if (!f.slots()[i].same(unbound()))
        raise("TypeError", fmt::format("{}() got multiple values for argument '{}'", name, key));
      f.slots()[i] = std::move(value);
      placed = true;
      break;
    }
    if (placed) continue;
    if (!extra)
      raise("TypeError", fmt::format("{}() got an unexpected keyword argument '{}'", name, key));
    extra->set(Object(key), std::move(value));
  }
  // Defaults, and what is still missing.
  std::vector<std::string> missing;
  bool keyword_missing = false;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto k = params[i].kind;
    if (k != Parameter::Kind::positional && k != Parameter::Kind::keyword_only) continue;
    if (!f.slots()[i].same(unbound())) continue;
    if (!fn.defaults[i].same(unbound())) {
      f.slots()[i] = fn.defaults[i];
      continue;
    }
    missing.push_back("'" + params[i].name + "'");
    keyword_missing = keyword_missing || k == Parameter::Kind::keyword_only;
  }
  if (!missing.empty()) {
    std::string names;
    for (std::size_t i = 0; i < missing.size(); ++i)
      names += (i == 0                    ? ""
                : i + 1 == missing.size() ? (missing.size() > 2 ? ", and " : " and ")
                                          : ", ") +
               missing[i];
    raise("TypeError", fmt::format("{}() missing {} required {} argument{}: {}", name,
                                   missing.size(), keyword_missing ? "keyword-only" : "positional",
                                   missing.size() == 1 ? "" : "s", names));
  }
  // Captured locals live in cells, parameters among them.
  for (const int c : code.cell_slots) {
    auto* cell = new CellObject();
    auto& slot = f.slots()[static_cast<std::size_t>(c)];
    if (!slot.same(unbound())) {
      cell->value = slot;
      cell->set = true;
    }
    slot = Object(static_cast<HeapObject*>(cell));
  }
  return frame_obj;
}

Object Vm::call(const Object& callee, std::vector<Object> positional) {
  Args args;
  args.positional = std::move(positional);
  return call(callee, args);
}

Object Vm::call(const Object& callee, Args& args) {
  switch (callee.heap_type()) {
  case HeapObject::Type::function: {
    const auto& fn = *callee.as<FunctionObject>();
    auto frame = frame_for(fn, args);
    const Code& code = *fn.code;
    if (code.is_generator)
      return Object(static_cast<HeapObject*>(new GeneratorObject(std::move(frame))));
    if (code.is_async)
      return Object(static_cast<HeapObject*>(new CoroutineObject(std::move(frame))));
    return run_sync(frame_of(frame));
  }
  case HeapObject::Type::builtin:
    return callee.as<BuiltinObject>()->fn(*this, args);
  case HeapObject::Type::type:
    return callee.as<TypeObject>()->make(*this, args);
  case HeapObject::Type::method: {
    const auto* m = callee.as<MethodObject>();
    args.positional.insert(args.positional.begin(), m->self);
    return call(m->function, args);
  }
  case HeapObject::Type::exception_type: {
    args.no_more_keywords(callee.as<ExceptionTypeObject>()->name);
    auto* e = new ExceptionObject(callee, args.positional);
    Object exc(static_cast<HeapObject*>(e));
    if (e->cls()->group) { // ExceptionGroup(message, [exceptions])
      if (args.positional.size() != 2)
        raise("TypeError", fmt::format("{} expected 2 arguments, got {}", e->cls()->name,
                                       args.positional.size()));
      if (args.positional[0].kind() != Object::Kind::text)
        raise("TypeError",
              "argument 1 must be str, not " + std::string(args.positional[0].type_name()));
      e->message = args.positional[0].text();
      e->exceptions = to_list(args.positional[1]);
      if (e->exceptions.empty())
        raise("ValueError", "second argument (exceptions) must be a non-empty sequence");
      e->args = {args.positional[0], Object::tuple(e->exceptions)};
    }
    return exc;
  }
  default:
    raise("TypeError", fmt::format("'{}' object is not callable", callee.type_name()));
  }
}

// ---------------------------------------------------------------------------
// Stepping

bool Vm::handle(Frame& f, std::exception_ptr e) {
  Object exc = exception_of(e);
  if (auto* eo = exc.as<ExceptionObject>(); eo && eo->line == 0) {
    eo->line = f.line;
    eo->where = f.code->qualname;
  }
  const Code& code = *f.code;
  const int h = f.pc < code.ops.size() ? code.ops[f.pc].handler : -1;
  if (h < 0) std::rethrow_exception(to_cpp(exc));
  const auto& handler = code.handlers[static_cast<std::size_t>(h)];
  f.slots()[static_cast<std::size_t>(handler.slot)] = std::move(exc);
  f.pc = static_cast<std::uint32_t>(handler.target);
  return true;
}

void Vm::begin_step(Frame& f) {
  f.resuming = false;
  if (f.thrown) {
    auto e = std::move(f.thrown);
    f.thrown = nullptr;
    std::rethrow_exception(e);
  }
  const Op& op = f.code->ops[f.pc];
  switch (op.kind) {
  case Op::Kind::await_:
    if (op.slot >= 0) f.slots()[static_cast<std::size_t>(op.slot)] = std::move(f.passed);
    break;
  case Op::Kind::with_enter:
    if (op.target) store(*op.target, Object(), f); // Lock's and Semaphore's __aenter__: None
    break;
  case Op::Kind::with_exit:
    break; // not suppressed: the next op raises it again, if there was one
  default:
    break;
  }
  f.passed = Object();
  ++f.pc;
}

Stop Vm::step(Frame& f) {
  const Code& code = *f.code;
  running_frame = &f;
  for (;;) {
    try {
      if (f.resuming) begin_step(f);
      for (;;) {
        const Op& op = code.ops[f.pc];
        if (op.line != f.line) {
          f.line = op.line;
          if (source) [[unlikely]]
            source->line_ran(op.line);
        }
        if (++steps > max_steps) [[unlikely]]
          throw StepLimit(fmt::format(
              "the program ran {} steps without ending (at line {}), the most asyncdemo runs "
              "of one program; an endless loop?",
              max_steps, op.line));
        switch (op.kind) {
        case Op::Kind::expr:
          evaluate(*op.a, f);
          break;
        case Op::Kind::assign:
          store(*op.target, evaluate(*op.a, f), f);
          break;
        case Op::Kind::aug_assign:
          aug(op, f);
          break;
        case Op::Kind::jump:
          f.pc = static_cast<std::uint32_t>(op.to);
          continue;
        case Op::Kind::jump_if_false:
        case Op::Kind::jump_if_true:
          if (evaluate(*op.a, f).truthy() == (op.kind == Op::Kind::jump_if_true)) {
            f.pc = static_cast<std::uint32_t>(op.to);
            continue;
          }
          break;
        case Op::Kind::iter_init:
          f.slots()[static_cast<std::size_t>(op.slot)] = iter(evaluate(*op.a, f));
          break;
        case Op::Kind::iter_next: {
          auto item = next(f.slots()[static_cast<std::size_t>(op.slot)]);
          if (!item) {
            f.pc = static_cast<std::uint32_t>(op.to);
            continue;
          }
          store(*op.target, std::move(*item), f);
          break;
        }
        case Op::Kind::ret:
          f.passed = op.a ? evaluate(*op.a, f) : Object();
          return Stop::returned;
        case Op::Kind::raise: {
          if (!op.a) raise("RuntimeError", "No active exception to reraise");
          auto exc = evaluate(*op.a, f);
          if (exc.heap_type() == HeapObject::Type::exception_type) {
            Args none;
            exc = call(exc, none);
          }
          auto* eo = exc.as<ExceptionObject>();
          if (!eo) raise("TypeError", "exceptions must derive from BaseException");
          eo->line = op.line;
          eo->where = code.qualname;
          if (op.b) eo->cause = evaluate(*op.b, f);
          raise(std::move(exc));
        }
        case Op::Kind::reraise: {
          auto exc = f.slots()[static_cast<std::size_t>(op.slot)];
          if (op.op == "group") { // what the except* clauses left
            const auto* eo = exc.as<ExceptionObject>();
            if (!eo || (eo->cls() && eo->cls()->group && eo->exceptions.empty())) break;
          }
          std::rethrow_exception(to_cpp(exc));
        }
        case Op::Kind::await_:
          f.passed = evaluate(*op.a, f);
          f.resuming = true;
          return Stop::awaits;
        case Op::Kind::sleep:
          f.passed = evaluate(*op.a, f);
          f.resuming = true;
          return Stop::sleeps;
        case Op::Kind::match: {
          const auto& exc = f.slots()[static_cast<std::size_t>(op.slot)];
          if (!isinstance_exc(exc, evaluate(*op.a, f))) {
            f.pc = static_cast<std::uint32_t>(op.to);
            continue;
          }
          if (op.target) store(*op.target, exc, f);
          break;
        }
        case Op::Kind::match_star: {
          // Split the group: the matching part to slot2 (and the name), the
          // rest stays for the next except*.
          auto& held = f.slots()[static_cast<std::size_t>(op.slot)];
          const auto types = evaluate(*op.a, f);
          auto* eo = held.as<ExceptionObject>();
          List matched, rest;
          Object group;
          if (eo && eo->cls() && eo->cls()->group) {
            for (const auto& sub : eo->exceptions)
              (isinstance_exc(sub, types) ? matched : rest).push_back(sub);
            group = held;
          } else if (eo) { // a lone exception is wrapped in a group of one
            (isinstance_exc(held, types) ? matched : rest).push_back(held);
          }
          if (matched.empty()) {
            f.pc = static_cast<std::uint32_t>(op.to);
            continue;
          }
          auto make = [&](List items) {
            auto g = new_exception(eo && eo->cls()->group ? eo->cls()->name : "ExceptionGroup", {});
            auto* go = g.as<ExceptionObject>();
            go->message = eo && eo->cls()->group ? eo->message : std::string();
            go->exceptions = std::move(items);
            go->args = {Object(go->message), Object(List(go->exceptions))};
            return g;
          };
          auto part = make(std::move(matched));
          f.slots()[static_cast<std::size_t>(op.slot2)] = part;
          if (op.target) store(*op.target, part, f);
          held = rest.empty() ? make({}) : make(std::move(rest));
          break;
        }
        case Op::Kind::clear:
          f.slots()[static_cast<std::size_t>(op.slot)] = Object();
          break;
        case Op::Kind::with_enter:
          with_enter(op, f);
          if (f.resuming) return Stop::awaits;
          break;
        case Op::Kind::with_exit:
          if (with_exit(op, f)) { // suppressed
            f.pc = static_cast<std::uint32_t>(op.to);
            continue;
          }
          if (f.resuming) return Stop::awaits;
          break;
        case Op::Kind::function:
          store(*op.target,
                make_function(*program_->codes[static_cast<std::size_t>(op.index)],
                              program_->codes[static_cast<std::size_t>(op.index)], f),
                f);
          break;
        case Op::Kind::del:
          remove(*op.target, f);
          break;
        case Op::Kind::assert_:
          if (!evaluate(*op.a, f).truthy()) {
            auto exc = new_exception("AssertionError", {});
            if (op.b) exc.as<ExceptionObject>()->args = {evaluate(*op.b, f)};
            raise(std::move(exc));
          }
          break;
        case Op::Kind::import: {
          const auto dot = op.op.find('.');
          auto m = module(op.op.substr(0, dot));
          store(*op.target, dot == std::string::npos ? m : getattr(m, op.op.substr(dot + 1)), f);
          break;
        }
        case Op::Kind::yield:
          f.passed = evaluate(*op.a, f);
          ++f.pc;
          return Stop::yields;
        case Op::Kind::append: {
          auto& into = f.slots()[static_cast<std::size_t>(op.slot)];
          auto v = evaluate(*op.a, f);
          if (op.b) {
            into.as<DictObject>()->set(v, evaluate(*op.b, f));
          } else if (into.kind() == Object::Kind::list) {
            if (into.list().size() >= script::max_list_len)
              raise("MemoryError",
                    fmt::format("a list holds at most {} items here", script::max_list_len));
            into.append(std::move(v));
          } else {
            into.as<SetObject>()->add(v);
          }
          break;
        }
        case Op::Kind::nop:
          break;
        }
        ++f.pc;
      }
    } catch (...) {
      handle(f, std::current_exception()); // to the handler, or out (it throws)
    }
  }
}

Duration Vm::sleep_of(Frame& frame) {
  const auto& v = frame.passed;
  if (!v.is_number() && v.kind() != Object::Kind::boolean)
    raise("TypeError",
          fmt::format("'<=' not supported between instances of '{}' and 'int'", v.type_name()));
  const double s = v.kind() == Object::Kind::boolean ? v.boolean() : v.number();
  if (std::isnan(s)) raise("ValueError", "Invalid value NaN (not a number)");
  if (s > 365.0 * 86400 * 100)
    raise("OverflowError", "timestamp too large to convert to C _PyTime_t");
  return seconds(std::max(s, 0.0));
}

Object Vm::run_sync(Frame& frame) {
  if (++depth > max_depth) {
    --depth;
    raise("RecursionError", "maximum recursion depth exceeded");
  }
  struct Leave {
    int& d;
    ~Leave() { --d; }
  } leave{depth};
  const Entered entered(*this, frame);
  for (;;) {
    const auto stop = step(frame);
    if (stop == Stop::returned) return std::move(frame.passed);
    raise("RuntimeError", "a plain function cannot wait"); // (the compiler allows no await)
  }
}

Coro<Object> Vm::run_async(Object frame) {
  return run_frame(Running(*this, frame_of(frame)));
}

Vm::Running::~Running() {
  if (!frame) return;
  // As it ends (returned, raised, or destroyed with its task), the frame
  // that awaited it inline runs again: the running frame, if it was this.
  if (vm->running_frame == frame) vm->running_frame = frame->caller;
  frame->caller = nullptr;
  frame->release();
}

Coro<Object> Vm::run_frame(Running running) {
  auto& f = *running.frame;
  for (;;) {
    const auto stop = step(f);
    if (stop == Stop::returned) co_return std::move(f.passed);
    if (stop == Stop::sleeps) {
      const auto d = sleep_of(f);
      f.passed = Object();
      try {
        co_await SleepForAwaiter{d};
      } catch (...) {
        f.thrown = std::current_exception();
      }
      continue;
    }
    co_await await_awaiting(f);
  }
}

Coro<> Vm::await_awaiting(Frame& f) {
  auto what = std::move(f.passed);
  try {
    // `await f()` inside f nests as deep as CPython lets it, then raises
    // (each level holds a native frame here too).
    if (auto* c = what.as<CoroutineObject>(); c && c->frame.is_heap()) {
      frame_of(c->frame).awaited_depth = f.awaited_depth + 1;
      frame_of(c->frame).caller = &f;
      if (f.awaited_depth + 1 > max_depth) {
        c->started = true; // CPython entered its frame: it does not warn of it as never awaited
        raise("RecursionError", "maximum recursion depth exceeded");
      }
    }
    f.passed = co_await await_object(std::move(what));
  } catch (...) {
    f.thrown = std::current_exception();
  }
}

std::vector<SourceFrame> Vm::where() const {
  std::vector<SourceFrame> chain;
  // (bounded: a chain is at most the recursion limit deep)
  for (const Frame* f = running_frame; f && chain.size() <= static_cast<std::size_t>(max_depth);
       f = f->caller)
    chain.push_back({f->code->qualname, f->line});
  std::reverse(chain.begin(), chain.end());
  return chain;
}

Coro<Object> Vm::await_object(Object what) {
  switch (what.heap_type()) {
  case HeapObject::Type::coroutine: {
    auto* c = what.as<CoroutineObject>();
    if (c->started) raise("RuntimeError", "cannot reuse already awaited coroutine");
    c->started = true;
    if (c->sleep()) {
      co_await SleepForAwaiter{*c->sleep()};
      co_return Object();
    }
    if (c->native) co_return co_await c->native->run();
    co_return co_await run_async(c->frame);
  }
  case HeapObject::Type::task: {
    auto* t = what.as<TaskObject>();
    if (!t->main) co_return co_await t->task;
    if (t->main->runtime.get() == &detail::running_task() && !t->main->outcome.done())
      raise("RuntimeError", "Task cannot await on itself: " + t->repr());
    co_return co_await t->main->outcome;
  }
  case HeapObject::Type::future:
    co_return co_await what.as<FutureObject>()->future;
  default:
    raise("TypeError",
          fmt::format("object {} can't be used in 'await' expression", what.type_name()));
  }
}

// ---- print ----

void Vm::write(const std::string& text) {
  for (const char c : text) {
    if (c == '\n') {
      print_line_ahead(worker_clock.value_or(Duration{}), line_);
      line_.clear();
    } else {
      line_ += c;
      if (line_.size() > script::max_str_bytes)
        raise("MemoryError", "a printed line is longer than a string may be");
    }
  }
}

void Vm::flush_line() {
  if (!line_.empty()) {
    print_line_ahead(worker_clock.value_or(Duration{}), line_);
    line_.clear();
  }
}

double Vm::now() const {
  return to_seconds(asyncdemo::now() + worker_clock.value_or(Duration{}));
}

std::string where_raised(const Object& exc, const std::string& file) {
  const auto* e = exc.as<ExceptionObject>();
  if (!e || e->line == 0) return {};
  return fmt::format("{}, line {}, in {}", file, e->line, e->where);
}

} // namespace asyncdemo::py
