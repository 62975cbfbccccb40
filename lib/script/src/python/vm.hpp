#pragma once
// The machine that runs a compiled Python program on the runtime's loop:
// frames stepped one operation at a time (step), a plain function's to its
// end at once, a coroutine's in a small C++ coroutine that awaits whatever
// the program awaits (a sleep in place, a task, a future, another
// coroutine); calls, attributes, iteration and the exceptions of Python's
// data model for the values the subset has. Private to the language.
#include "compiler.hpp"
#include "objects.hpp"

#include "asyncdemo/callback.hpp"
#include "asyncdemo/coro.hpp"
#include "asyncdemo/errors.hpp"
#include "asyncdemo/script/expr.hpp"
#include "asyncdemo/script/random.hpp"
#include "asyncdemo/teach/source.hpp"

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace asyncdemo::py {

// A Python exception on its way through C++: the runtime sees an Error
// (its class's name and str()), the program gets the very object back.
class PyError : public Error {
public:
  explicit PyError(Object exc);
  const Object& exception() const noexcept { return exc_; }

private:
  Object exc_;
};

// A program that runs past its budget of steps (an endless loop, say): not
// the program's to catch; the run ends with it.
struct StepLimit : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Steps of the machine a run may take: about ten seconds of work.
inline constexpr std::uint64_t max_steps = 300'000'000;

// A frame's slots: stored right after the frame, in the same allocation.
class Slots {
public:
  Object* data() noexcept { return p_; }
  std::size_t size() const noexcept { return n_; }
  Object& operator[](std::size_t i) noexcept { return p_[i]; }
  Object& at(std::size_t i) {
    if (i >= n_) throw std::out_of_range("a frame's slot");
    return p_[i];
  }
  Object* begin() noexcept { return p_; }
  Object* end() noexcept { return p_ + n_; }

private:
  friend struct Frame;
  Slots(Object* p, std::uint32_t n) noexcept : p_(p), n_(n) {}
  Object* p_;
  std::uint32_t n_;
};

// A running (or not yet started) function. Its slots follow it in the same
// recycled block (a swarm makes a million frames: every field counts).
struct Frame final : HeapObject {
  // A new frame of `c` with its slots.
  static Object make(std::shared_ptr<const Code> c, Object fn);
  ~Frame() override { std::destroy_n(slot_data(), n_slots); }
  // Frees what make allocated: the frame and its slots.
  static void operator delete(Frame* f, std::destroying_delete_t) noexcept;
  const char* type_name() const noexcept override { return "frame"; }
  Slots slots() noexcept { return Slots(slot_data(), n_slots); }

  // The next step begins by taking `passed` or `thrown` (first: it fits in
  // HeapObject's padding).
  bool resuming = false;
  std::uint32_t pc = 0;
  std::uint32_t n_slots;
  std::shared_ptr<const Code> code;
  Object function; // its closure
  // What a stop hands over, one at a time: what the frame awaits (and then
  // the awaited value), a generator's item, the result. One field, not four.
  Object passed;
  std::exception_ptr thrown; // or the exception the awaited raised
  int line = 0;              // the line it is at (for tracebacks and the views)
  int awaited_depth = 0;     // coroutines awaiting it, one inside another
  // While it runs: the frame that called it, or awaits it inline (null for
  // a task's own coroutine and the module); what a view's await chain walks.
  Frame* caller = nullptr;

private:
  Frame(std::shared_ptr<const Code> c, Object fn, std::uint32_t n)
      : HeapObject(Type::other), n_slots(n), code(std::move(c)), function(std::move(fn)) {
    std::uninitialized_default_construct_n(slot_data(), n);
  }
  Object* slot_data() noexcept { return reinterpret_cast<Object*>(this + 1); }
  static std::size_t bytes(std::uint32_t n) noexcept { return sizeof(Frame) + n * sizeof(Object); }
};

// What step() stopped at.
enum class Stop : std::uint8_t { returned, awaits, sleeps, yields };

class Vm {
public:
  Vm(std::shared_ptr<const Compiled> program, std::uint64_t seed);
  ~Vm();
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  const Compiled& program() const noexcept { return *program_; }
  std::vector<Object>& globals() noexcept { return globals_; }
  Random& rng() noexcept { return rng_; }
  const Object& builtin(int index) const;

  // ---- running ----
  // The module's code, to its end (a plain run: asyncio.run inside it runs
  // the loop). Throws PyError as the program ends, if it raises.
  Coro<Object> run_module();
  // A coroutine's frame to its end, on the running loop.
  Coro<Object> run_async(Object frame);
  // run_frame's hold on its frame (a reference), and what it does as it
  // ends, run or not: 16 bytes of a coroutine frame a swarm has a million of.
  struct Running {
    Vm* vm;
    Frame* frame;
    Running(Vm& v, Frame& f) noexcept : vm(&v), frame(&f) { f.add_ref(); }
    Running(Running&& o) noexcept : vm(o.vm), frame(std::exchange(o.frame, nullptr)) {}
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
    ~Running();
  };
  Coro<Object> run_frame(Running running);
  // What the frame awaits, other than a sleep: its value to f.passed, or what
  // it raised to f.thrown. A coroutine of its own, so that run_async's (a
  // swarm's million) holds no more than a sleep's awaiter.
  Coro<> await_awaiting(Frame& f);
  // A plain function's frame to its end, now.
  Object run_sync(Frame& frame);
  Stop step(Frame& frame);
  Duration sleep_of(Frame& frame); // what a frame stopped at Stop::sleeps for

  // ---- the data model ----
  Object call(const Object& callee, Args& args);
  Object call(const Object& callee, std::vector<Object> positional);
  Object getattr(const Object& obj, const std::string& name);
  Object subscript(const Object& obj, const Object& index);
  void set_subscript(const Object& obj, const Object& index, Object value);
  void del_subscript(const Object& obj, const Object& index);
  Object iter(const Object& obj);
  std::optional<Object> next(const Object& it);
  List to_list(const Object& iterable); // list(x), its size checked as it grows
  // CPython's set_update_internal: a set merged, a dict's keys after one
  // resize, any other iterable's items one by one.
  void set_update(SetObject& s, const Object& other);
  bool contains(const Object& container, const Object& item);
  Object evaluate(const Expr& e, Frame& frame);
  std::string format_field(const Object& v, const std::string& spec);

  // ---- exceptions ----
  Object exception_class(const std::string& name) const;
  Object new_exception(const std::string& cls, std::string message);
  [[noreturn]] void raise(const std::string& cls, std::string message);
  [[noreturn]] void raise(Object exc);
  // The program's exception for whatever C++ threw (a PyError's own object;
  // the runtime's CancelledError, TimeoutError, ExceptionGroup...; the
  // evaluator's "TypeError: ..."; out of memory: MemoryError).
  Object exception_of(const std::exception_ptr& e);
  // What to throw for it: a CancelledError is the runtime's own (the task
  // is then cancelled), any other a PyError.
  std::exception_ptr to_cpp(const Object& exc);
  bool isinstance_exc(const Object& exc, const Object& cls_or_tuple);

  // ---- tasks ----
  std::string next_task_name() { return "Task-" + std::to_string(++task_counter_); }
  Object make_task(const Object& coro, std::string name, bool in_group = false);
  // A light program's tasks go to the loop unnamed: not recorded one by one
  // (a million of them would not fit what a run keeps).
  bool light = false;
  Coro<Object> await_object(Object what); // whatever the program awaits
  Object main_task;                       // the TaskObject of asyncio.run's main (the latest run's)

  // print(): lines as they end (print's `end` may leave one open).
  void write(const std::string& text);
  void flush_line();

  // The loop of asyncio.run (set by it): asyncio.run inside a run refuses.
  bool running = false;
  // Modules by name ("asyncio", "time", "random").
  Object module(const std::string& name);
  // The clock as the program reads it (time.time(), loop.time()).
  double now() const;

  // Where the program is, for a view of the loop (null: nobody asks). The
  // frame that ran last, and what it was called or awaited by: the running
  // code's chain while a task runs, and a task's own when it suspends.
  SourceTrace* source = nullptr;
  Frame* running_frame = nullptr;
  std::vector<SourceFrame> where() const;
  // A frame run now, inside the one running (a plain call, a generator's
  // next item): its caller while it runs, and the running frame given back.
  struct Entered {
    Vm& vm;
    Frame& frame;
    Frame* outer;
    Entered(Vm& v, Frame& f) : vm(v), frame(f), outer(v.running_frame) { f.caller = outer; }
    ~Entered() {
      vm.running_frame = outer;
      frame.caller = nullptr;
    }
    Entered(const Entered&) = delete;
    Entered& operator=(const Entered&) = delete;
  };

  int depth = 0;           // Python calls in progress (a RecursionError past the limit)
  std::uint64_t steps = 0; // taken so far (a StepLimit past max_steps)

  // asyncio.run(coro): set by whoever runs the program (program.cpp), which
  // runs the coroutine as the main task and gives back its result.
  std::function<Object(const Object& coro)> run_hook;
  // The task running now (asyncio.current_task()), and the tasks not done.
  Object task_of_running();
  std::vector<Object> pending_tasks();
  void track(const Object& task); // a task made by the program
  // loop.call_soon (soon) and loop.call_later: cb(*args) run by the loop.
  CallbackHandle schedule(Duration delay, bool soon, Object cb, std::vector<Object> args);
  // to_thread's function: called now, where time.sleep holds only its worker.
  Coro<Object> call_in_worker(Object fn, Args args);
  // Inside to_thread's function: how far its worker's clock is ahead.
  std::optional<Duration> worker_clock;

  // A new function of `code` made in `frame`: its defaults evaluated there,
  // its closure taken from there.
  Object make_function(const Code& code, std::shared_ptr<const Code> shared, Frame& frame);
  // a op= b: a list extended in place, anything else a op b.
  Object inplace(const Object& a, const std::string& op, const Object& b);

private:
  friend class Modules;
  std::shared_ptr<const Compiled> program_;
  std::vector<Object> globals_;
  std::vector<Object> builtins_;
  std::vector<Object> modules_;
  Random rng_;
  std::uint64_t task_counter_ = 0; // Task-1 is the first asyncio.run's main
  std::string line_;               // printed, not yet ended
  std::vector<Object> tasks_;      // made by the program (pruned of the done ones)
  struct Classes;
  std::unique_ptr<Classes> classes_;

  Object frame_for(const FunctionObject& fn, Args& args);
  void store(const Expr& target, Object value, Frame& frame);
  void remove(const Expr& target, Frame& frame);
  Object load_free(Frame& frame, int index);
  void aug(Op const& op, Frame& frame);
  bool handle(Frame& frame, std::exception_ptr e); // to the op's handler; false: none
  void begin_step(Frame& frame);
  void with_enter(const Op& op, Frame& frame);
  bool with_exit(const Op& op, Frame& frame);
};

// a < b as Python orders (eval.cpp): what sorted, min and max use.
bool py_less(Vm& vm, const Object& a, const Object& b);

// str.format(*args, **kwargs) of `text` (builtins.cpp).
std::string str_format(Vm& vm, const std::string& text, Args& args);

// The builtins (builtins.cpp) and the modules (asyncio.cpp) a Vm is made
// with.
std::vector<Object> make_builtins(Vm& vm);
Object make_module(Vm& vm, const std::string& name);

// The program's own line and function for a traceback's last entry.
std::string where_raised(const Object& exc, const std::string& file);

} // namespace asyncdemo::py
