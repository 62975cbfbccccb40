#pragma once
// The values a Python program makes beyond str, list and tuple
// (object.hpp): dicts and sets (keys hashed as Python hashes them), ranges,
// functions with their closures, methods, coroutines, tasks and futures of
// the runtime, exceptions and their classes, modules, iterators and
// generators, asyncio's primitives. Private to the language.
#include "asyncdemo/event.hpp"
#include "asyncdemo/future.hpp"
#include "asyncdemo/lock.hpp"
#include "asyncdemo/queue.hpp"
#include "asyncdemo/script/object.hpp"
#include "asyncdemo/semaphore.hpp"
#include "asyncdemo/task.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace asyncdemo::py {

struct Code;
struct Frame;
class Vm;

// Python's hash(x) (TypeError for an unhashable value).
std::int64_t hash_of(const Object& v);

// ---- containers ----

class DictObject final : public HeapObject {
public:
  static constexpr Type tag = Type::dict;
  DictObject() : HeapObject(Type::dict) {}
  const char* type_name() const noexcept override { return "dict"; }
  std::string repr() const override;
  bool truthy() const override { return size_ != 0; }

  std::size_t size() const noexcept { return size_; }
  const Object* find(const Object& key) const;
  void set(const Object& key, Object value);
  bool erase(const Object& key);
  void clear();
  // The live entries, in insertion order (erased ones skipped by the caller
  // through `alive`).
  struct Entry {
    std::int64_t hash;
    Object key, value;
    bool alive;
  };
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::uint64_t version() const noexcept { return version_; } // changes on every insert or erase

private:
  std::vector<Entry> entries_;
  std::unordered_multimap<std::int64_t, std::size_t> index_;
  std::size_t size_ = 0;
  std::uint64_t version_ = 0;
};

// A set, in CPython's own table (open addressing, nine linear probes, then
// perturbation): it iterates as CPython's set does for the same hashes (a
// set of ints prints as CPython prints it).
class SetObject final : public HeapObject {
public:
  static constexpr Type tag = Type::set;
  explicit SetObject(bool frozen = false);
  const char* type_name() const noexcept override { return frozen_ ? "frozenset" : "set"; }
  std::string repr() const override;
  bool truthy() const override { return used_ != 0; }
  bool contains(const Object& v) const;
  void add(const Object& v);
  bool discard(const Object& v);
  std::size_t size() const noexcept { return used_; }
  List items() const; // in table order
  void clear();
  // CPython's set_merge: another set's items, its table copied or walked
  // as CPython's is (a | b, a |= b, set(s), s.copy(), s.update(t)).
  void merge(const SetObject& other);
  // The one resize CPython makes before adding n items of a dict.
  void expect(std::size_t n);

private:
  struct Slot {
    enum class State : std::uint8_t { empty, active, dummy } state = State::empty;
    std::int64_t hash = 0;
    Object key;
  };
  std::optional<std::size_t> slot_of(const Object& key, std::int64_t hash) const;
  void add_entry(const Object& key, std::int64_t hash);
  void insert_clean(Object key, std::int64_t hash); // absent, and the table has no dummies
  void resize(std::size_t minused);
  bool frozen_;
  std::vector<Slot> table_;
  std::size_t fill_ = 0, used_ = 0;
};

class RangeObject final : public HeapObject {
public:
  static constexpr Type tag = Type::range;
  RangeObject(std::int64_t start, std::int64_t stop, std::int64_t step)
      : HeapObject(Type::range), start(start), stop(stop), step(step) {}
  const char* type_name() const noexcept override { return "range"; }
  std::string repr() const override;
  bool truthy() const override { return length() != 0; }
  std::int64_t length() const noexcept;
  std::int64_t at(std::int64_t i) const noexcept { return start + i * step; }
  std::int64_t start, stop, step;
};

// ---- functions ----

struct CellObject final : HeapObject {
  static constexpr Type tag = Type::cell;
  CellObject() : HeapObject(Type::cell) {}
  const char* type_name() const noexcept override { return "cell"; }
  Object value;
  bool set = false;
};

class FunctionObject final : public HeapObject {
public:
  static constexpr Type tag = Type::function;
  FunctionObject(std::shared_ptr<const Code> code, std::vector<Object> defaults,
                 std::vector<Object> closure)
      : HeapObject(Type::function), code(std::move(code)), defaults(std::move(defaults)),
        closure(std::move(closure)) {}
  const char* type_name() const noexcept override { return "function"; }
  std::string repr() const override;
  std::shared_ptr<const Code> code;
  std::vector<Object> defaults; // one per parameter: the default, or a missing marker
  std::vector<Object> closure;  // CellObjects, in the code's free-variable order
  std::string name;             // __name__ (set_name may not change it: functions keep theirs)
};

// A value given to a call: positional and keyword arguments.
struct Args {
  std::vector<Object> positional;
  std::vector<std::pair<std::string, Object>> keywords;
  // The keyword `name`, taken out (nothing if not given).
  std::optional<Object> take(std::string_view name);
  // Refuses the keywords left: "f() got an unexpected keyword argument 'x'".
  void no_more_keywords(std::string_view function) const;
};

using NativeFn = std::function<Object(Vm&, Args&)>;

class BuiltinObject final : public HeapObject {
public:
  static constexpr Type tag = Type::builtin;
  BuiltinObject(std::string name, NativeFn fn, std::string kind = "builtin_function_or_method")
      : HeapObject(Type::builtin), name(std::move(name)), fn(std::move(fn)), kind(std::move(kind)) {
  }
  const char* type_name() const noexcept override { return kind.c_str(); }
  std::string repr() const override;
  std::string name;
  NativeFn fn;
  std::string kind;
};

// obj.method: the function with its self.
class MethodObject final : public HeapObject {
public:
  static constexpr Type tag = Type::method;
  MethodObject(Object self, Object function)
      : HeapObject(Type::method), self(std::move(self)), function(std::move(function)) {}
  const char* type_name() const noexcept override { return "method"; }
  std::string repr() const override;
  Object self, function;
};

// A native function, and one bound to its self (a str's .upper, a task's
// .cancel).
inline Object native_function(std::string name, NativeFn fn) {
  return Object(static_cast<HeapObject*>(new BuiltinObject(std::move(name), std::move(fn))));
}
inline Object native_method(const Object& self, std::string name, NativeFn fn) {
  return Object(static_cast<HeapObject*>(
      new MethodObject(self, native_function(std::move(name), std::move(fn)))));
}

// ---- coroutines, tasks, futures ----

// A call of an async function not yet awaited, or a builtin one
// (asyncio.sleep(1)): awaited once, or run as a task.
class CoroutineObject final : public HeapObject {
public:
  static constexpr Type tag = Type::coroutine;
  // A Python coroutine: its name is its frame's code's.
  explicit CoroutineObject(Object frame) : HeapObject(Type::coroutine), frame(std::move(frame)) {}
  CoroutineObject(std::function<Coro<Object>()> run, std::string name)
      : HeapObject(Type::coroutine),
        native(std::make_unique<Native>(Native{std::move(run), std::move(name), {}})) {}
  // One never awaited (nor made a task) warns as CPython's does when it is
  // dropped: "RuntimeWarning: coroutine 'sleep' was never awaited".
  ~CoroutineObject() override;
  CoroutineObject(const CoroutineObject&) = delete;
  CoroutineObject& operator=(const CoroutineObject&) = delete;
  const char* type_name() const noexcept override { return "coroutine"; }
  std::string repr() const override;
  const std::string& name() const noexcept; // its code's qualname, or a builtin's name
  // asyncio.sleep's delay, when it is awaited in place.
  const std::optional<Duration>& sleep() const noexcept {
    static const std::optional<Duration> none;
    return native ? native->sleep : none;
  }

  bool started = false; // awaited (or made a task) already (first: in HeapObject's padding)
  Object frame;         // a Python coroutine's frame
  // A builtin one's body and name (out of line: a swarm has a million of
  // the Python ones, which need neither).
  struct Native {
    std::function<Coro<Object>()> run;
    std::string name;
    std::optional<Duration> sleep; // asyncio.sleep's: awaited in place
  };
  std::unique_ptr<Native> native;
};

class TaskObject final : public HeapObject {
public:
  static constexpr Type tag = Type::task;
  TaskObject(Task<Object> task, std::string python_name, Object coro)
      : HeapObject(Type::task), task(std::move(task)), coro(std::move(coro)) {
    set_name(std::move(python_name));
  }
  // asyncio.run's main task. Its coroutine runs inside the runtime's main
  // task (the program's driver, which outlives it: the module goes on after
  // asyncio.run), so how it ended is a future of its own; a cancel() goes to
  // the runtime's task, where the coroutine awaits.
  struct Main {
    Ref<detail::TaskBase> runtime;
    Future<Object> outcome;
  };
  TaskObject(Main main, std::string python_name, Object coro)
      : HeapObject(Type::task), coro(std::move(coro)),
        main(std::make_unique<Main>(std::move(main))) {
    set_name(std::move(python_name));
  }
  const char* type_name() const noexcept override { return "Task"; }
  std::string repr() const override;

  // Task's methods, for either kind.
  const detail::FutureBase& state() const noexcept;
  Object result() const; // throws what Task.result() throws
  bool cancel(const std::string* message = nullptr);
  int cancelling() const noexcept;
  template <class F> void add_done_callback(F f) {
    if (main)
      main->outcome.add_done_callback(std::move(f));
    else
      task.add_done_callback(std::move(f));
  }

  Task<Object> task; // none for asyncio.run's main task
  // get_name(): Task-2, or the name= given. "Task-N" is kept as N (a swarm
  // has a million), any other name as it is.
  std::string name() const;
  void set_name(std::string name);
  Object coro; // what it runs (its repr names it)
  std::unique_ptr<Main> main;

private:
  std::uint64_t number_ = 0;           // N of "Task-N", or 0
  std::unique_ptr<std::string> given_; // any other name
};

class FutureObject final : public HeapObject {
public:
  static constexpr Type tag = Type::future;
  explicit FutureObject(Future<Object> f) : HeapObject(Type::future), future(std::move(f)) {}
  const char* type_name() const noexcept override { return "Future"; }
  std::string repr() const override;
  Future<Object> future;
};

// ---- exceptions ----

class ExceptionTypeObject final : public HeapObject {
public:
  static constexpr Type tag = Type::exception_type;
  ExceptionTypeObject(std::string name, Object base, std::string module = {})
      : HeapObject(Type::exception_type), name(std::move(name)), base(std::move(base)),
        module(std::move(module)) {}
  const char* type_name() const noexcept override { return "type"; }
  std::string repr() const override;
  bool is_subclass_of(const ExceptionTypeObject* other) const noexcept;
  std::string name;
  Object base;        // its base class (None for BaseException)
  std::string module; // "asyncio.exceptions" for CancelledError: how a traceback names it
  bool group = false; // ExceptionGroup, BaseExceptionGroup
};

class ExceptionObject final : public HeapObject {
public:
  static constexpr Type tag = Type::exception;
  ExceptionObject(Object type, List args)
      : HeapObject(Type::exception), type(std::move(type)), args(std::move(args)) {}
  const char* type_name() const noexcept override;
  std::string repr() const override;
  std::string str() const override;
  ExceptionTypeObject* cls() const { return type.as<ExceptionTypeObject>(); }
  bool is(const char* name) const; // an instance of the builtin class of that name
  Object type;
  List args;
  List exceptions;     // an exception group's
  std::string message; // an exception group's
  Object cause, context;
  int line = 0;      // where it was raised in the program (0: not in it)
  std::string where; // the function it was raised in
};

// ---- modules and other types ----

class ModuleObject final : public HeapObject {
public:
  static constexpr Type tag = Type::module;
  explicit ModuleObject(std::string name) : HeapObject(Type::module), name(std::move(name)) {}
  const char* type_name() const noexcept override { return "module"; }
  std::string repr() const override { return "<module '" + name + "'>"; }
  std::string name;
  std::unordered_map<std::string, Object> attrs;
};

// int, str, list, ... as values: called to convert or make.
class TypeObject final : public HeapObject {
public:
  static constexpr Type tag = Type::type;
  TypeObject(std::string name, NativeFn make)
      : HeapObject(Type::type), name(std::move(name)), make(std::move(make)) {}
  const char* type_name() const noexcept override { return "type"; }
  std::string repr() const override { return "<class '" + name + "'>"; }
  std::string name;
  NativeFn make;
};

// An iterator over a sequence, a range, a dict's keys/values/items, zip,
// enumerate, map... one C++ function that gives the next item or nothing.
class IteratorObject final : public HeapObject {
public:
  static constexpr Type tag = Type::iterator;
  IteratorObject(std::string kind, std::function<std::optional<Object>(Vm&)> next)
      : HeapObject(Type::iterator), kind(std::move(kind)), next(std::move(next)) {}
  const char* type_name() const noexcept override { return kind.c_str(); }
  std::string repr() const override { return "<" + kind + " object>"; }
  std::string kind;
  std::function<std::optional<Object>(Vm&)> next;
};

// A generator expression's frame, run one yield at a time.
class GeneratorObject final : public HeapObject {
public:
  static constexpr Type tag = Type::generator;
  explicit GeneratorObject(Object frame) : HeapObject(Type::generator), frame(std::move(frame)) {}
  const char* type_name() const noexcept override { return "generator"; }
  std::string repr() const override { return "<generator object <genexpr>>"; }
  Object frame;
  bool done = false;
};

// A primitive of asyncio: Lock, Semaphore, BoundedSemaphore, Event, Queue,
// TaskGroup, asyncio.timeout's context manager, the loop; what it wraps is
// the runtime's.
class PrimitiveObject final : public HeapObject {
public:
  static constexpr Type tag = Type::primitive;
  explicit PrimitiveObject(std::string kind) : HeapObject(Type::primitive), kind(std::move(kind)) {}
  const char* type_name() const noexcept override { return kind.c_str(); }
  std::string repr() const override;
  std::string kind;
  std::unique_ptr<Lock> lock;
  std::unique_ptr<Semaphore> semaphore;
  std::unique_ptr<Event> event;
  std::unique_ptr<Queue<Object>> queue;
  std::shared_ptr<void> state; // TaskGroup's, timeout's: their own kinds
};

} // namespace asyncdemo::py
