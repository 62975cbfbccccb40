// A Python program as a Scenario (python.hpp): read, parsed, compiled, and
// run as CPython runs it. Its module level is plain code that may call
// asyncio.run anywhere (at the top, inside `if __name__ == "__main__":`,
// inside a plain main()); so it runs on a stack of its own (a fiber), and
// asyncio.run hands its coroutine back to the scenario's main task, which
// runs it on the loop and then hands the result back. Module code before
// and after runs as the program's plain part, with no loop of its own.
#include "asyncdemo/script/program.hpp"
#include "asyncdemo/script/python.hpp"
#include "asyncdemo/script/python_program.hpp"

#include "compiler.hpp"
#include "declared.hpp"
#include "shape.hpp"
#include "vm.hpp"

#include "../reading.hpp"

#include "asyncdemo/asyncdemo.hpp"
#include "asyncdemo/callback.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace asyncdemo::script {

namespace {

using py::Vm;

// A stack for the module's code: reserved, given pages as it grows, its
// lowest page a guard.
class Stack {
public:
  static constexpr std::size_t bytes = std::size_t{256} << 20;
  Stack() {
    base_ = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base_ == MAP_FAILED) throw std::bad_alloc();
    ::mprotect(base_, 4096, PROT_NONE);
  }
  ~Stack() { ::munmap(base_, bytes); }
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  void* base() const noexcept { return base_; }

private:
  void* base_ = nullptr;
};

// The module's code on its fiber, and what it asks the driver.
struct Fiber {
  Vm* vm = nullptr;
  Stack stack;
  ucontext_t fiber{}, driver{};
  bool finished = false;
  Object request;             // the coroutine asyncio.run asked to be run
  Object reply;               // what it gave back
  std::exception_ptr failure; // how it ended, or how the module did
  std::exception_ptr module_failure;
#if defined(__SANITIZE_ADDRESS__)
  void* fake = nullptr;
  const void* driver_bottom = nullptr;
  std::size_t driver_size = 0;
#endif

  void to_fiber() {
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(&fake, stack.base(), Stack::bytes);
#endif
    ::swapcontext(&driver, &fiber);
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  }
  // asyncio.run(coro) from the module's code: the driver runs it on the loop.
  // The module's frame, and the line of its last statement when that
  // statement's asyncio.run is the last thing the module does (0 if not).
  const py::Frame* module = nullptr;
  int final_line = 0;
  bool last_run = false; // this asyncio.run is that one
  Object ask_driver(const Object& coro) {
    request = coro;
    to_driver();
    auto e = std::move(failure);
    failure = nullptr;
    if (e) std::rethrow_exception(e);
    return std::move(reply);
  }
  void to_driver() {
#if defined(__SANITIZE_ADDRESS__)
    void* mine = nullptr;
    __sanitizer_start_switch_fiber(finished ? nullptr : &mine, driver_bottom, driver_size);
#endif
    ::swapcontext(&fiber, &driver);
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(mine, &driver_bottom, &driver_size);
#endif
  }
};

thread_local Fiber* t_fiber = nullptr;

void fiber_entry() {
  auto* f = t_fiber;
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_finish_switch_fiber(nullptr, &f->driver_bottom, &f->driver_size);
#endif
  try {
    auto& vm = *f->vm;
    Object module = py::Frame::make(vm.program().module, Object());
    f->module = static_cast<py::Frame*>(module.heap());
    vm.run_sync(*static_cast<py::Frame*>(module.heap()));
  } catch (...) {
    f->module_failure = std::current_exception();
  }
  f->finished = true;
  f->to_driver(); // never comes back
}

// asyncio.run's end, as CPython's: main's done callback stops the loop once
// the iteration after main's end has run its callbacks; then the tasks still
// pending are cancelled (oldest first) and run until they finish cancelling.
Coro<> end_of_run(Vm& vm) {
  auto stopped = std::make_shared<Event>();
  std::vector<Task<Object>> cancelled;
  call_soon([&vm, &cancelled, stopped] {
    at_iteration_end([&vm, &cancelled, stopped] {
      for (const auto& t : vm.pending_tasks())
        if (const auto* to = t.as<py::TaskObject>(); to && !to->main && !to->task.done()) {
          auto task = to->task;
          task.cancel();
          cancelled.push_back(task);
        }
      stopped->set();
    });
  });
  co_await stopped->wait();
  if (!cancelled.empty()) co_await gather(std::move(cancelled), return_exceptions);
  // Runner.close's shutdown_asyncgens and shutdown_default_executor run the
  // loop two iterations each: what is left in the ready queue runs there
  // (main's step, queued behind it, stands for theirs).
  for (int i = 0; i < 4 && running_loop().has_ready(); ++i)
    co_await sleep(Duration::zero());
}

// A program's ExceptionGroup as the runtime's, whose end of a traceback is
// drawn with its sub-exceptions (CPython stops drawing at ten levels; so does
// this, and deeper ones stay as they are).
std::exception_ptr as_runtime_group(const Object& exc, int depth) {
  const auto* e = exc.as<py::ExceptionObject>();
  if (!e || e->exceptions.empty() || depth >= 10) return std::make_exception_ptr(py::PyError(exc));
  std::vector<std::exception_ptr> subs;
  for (const auto& sub : e->exceptions)
    subs.push_back(as_runtime_group(sub, depth + 1));
  return std::make_exception_ptr(ExceptionGroup(e->message, std::move(subs)));
}

// The module's fiber, made ready to start; asyncio.run inside it comes back
// here with the coroutine to run.
std::unique_ptr<Fiber> make_fiber(Vm& vm) {
  auto fiber = std::make_unique<Fiber>();
  fiber->vm = &vm;
  ::getcontext(&fiber->fiber);
  fiber->fiber.uc_stack.ss_sp = fiber->stack.base();
  fiber->fiber.uc_stack.ss_size = Stack::bytes;
  fiber->fiber.uc_link = nullptr;
  ::makecontext(&fiber->fiber, fiber_entry, 0);
  Fiber* f = fiber.get();
  vm.run_hook = [f, &vm](const Object& coro) {
    f->last_run =
        f->final_line > 0 && vm.running_frame == f->module && f->module->line == f->final_line;
    return f->ask_driver(coro);
  };
  return fiber;
}

// Runs the module until it asks for a coroutine to be run (true) or ends.
bool resume_module(Fiber& f) {
  t_fiber = &f;
  f.to_fiber();
  t_fiber = nullptr;
  return !f.finished;
}

Coro<> run_asked(Vm& vm, Fiber& f) {
  // asyncio.run(coro): the coroutine runs as the main task's own work.
  Object coro = std::move(f.request);
  vm.running = true;
  // Its Task object (asyncio.current_task() in main, all_tasks(), a
  // cancel() from another task), numbered as CPython numbers it.
  py::TaskObject::Main main{Ref<detail::TaskBase>(&detail::running_task()), Future<Object>()};
  auto outcome = main.outcome;
  vm.main_task = Object(
      static_cast<HeapObject*>(new py::TaskObject(std::move(main), vm.next_task_name(), coro)));
  try {
    f.reply = co_await vm.await_object(std::move(coro));
    outcome.set_result(f.reply);
  } catch (...) {
    f.failure = std::current_exception();
    if (is_cancelled_error(f.failure)) {
      std::optional<std::string> message; // what awaiting main raises says the same
      try {
        std::rethrow_exception(f.failure);
      } catch (const CancelledError& c) {
        if (c.message()) message = *c.message();
      } catch (...) {
      }
      outcome.cancel(message ? &*message : nullptr);
    } else
      outcome.set_exception(f.failure);
    outcome.state()->mark_retrieved(); // asyncio.run raises it: nothing to report
  }
  // The module's last asyncio.run: nothing of the module runs after it, so
  // its end is the loop's own (Loop::run_main's, as for every scenario),
  // which the views tell as asyncio.run's.
  if (!f.last_run) co_await end_of_run(vm);
  // asyncio.run's Runner.close runs two tasks of its own
  // (shutdown_asyncgens, shutdown_default_executor): they take the next two
  // task numbers, as CPython's counter counts them.
  vm.next_task_name();
  vm.next_task_name();
  vm.running = false;
}

// The line of the module's last statement, when it is an asyncio.run whose
// return is the last thing the module does: `asyncio.run(main())` (or `x =
// asyncio.run(...)`, `run(...)`) on one line, last in the module or last
// under a last `if` with no else (`if __name__ == "__main__":`); 0 if not
// (`print(asyncio.run(main()))` prints after asyncio.run's end).
int final_statement_line(const script::Block& module) {
  using script::Stmt;
  auto last_of = [](const script::Block& b) -> const Stmt* {
    for (auto it = b.rbegin(); it != b.rend(); ++it)
      if ((*it)->kind != Stmt::Kind::comment && (*it)->kind != Stmt::Kind::blank) return it->get();
    return nullptr;
  };
  const Stmt* last = last_of(module);
  while (last && last->kind == Stmt::Kind::if_ && last->orelse.empty())
    last = last_of(last->body);
  if (!last || !last->value || last->end_line != last->pos.line) return 0;
  if (last->kind == Stmt::Kind::assign) {
    for (const auto& t : last->targets)
      if (t->kind != Expr::Kind::name) return 0;
  } else if (last->kind != Stmt::Kind::expr) {
    return 0;
  }
  const auto& call = *last->value;
  if (call.kind != Expr::Kind::call || !call.callee) return 0;
  const auto& f = *call.callee;
  const bool run = (f.kind == Expr::Kind::name && f.name == "run") ||
                   (f.kind == Expr::Kind::attribute && f.name == "run" && f.args.size() == 1 &&
                    f.args[0]->kind == Expr::Kind::name && f.args[0]->name == "asyncio");
  return run ? last->pos.line : 0;
}

Coro<> run_program(std::shared_ptr<const py::Compiled> program, Context ctx, bool light) {
  // The machine lives as long as the loop: the tasks it made may outlive
  // this coroutine (asyncio.run's end cancels them after main returns), and
  // a view of the loop asks it where the code is until then.
  struct Machine {
    Vm vm;
    SourceTrace* source = nullptr;
    Machine(std::shared_ptr<const py::Compiled> p, std::uint64_t seed) : vm(std::move(p), seed) {}
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;
    ~Machine() {
      if (source) source->set_probe({});
    }
  };
  auto machine = std::make_shared<Machine>(program, ctx.seed);
  running_loop().keep_until_closed(machine);
  auto* vm = &machine->vm;
  vm->light = light;
  if (ctx.source) {
    machine->source = ctx.source;
    vm->source = ctx.source;
    ctx.source->set_probe([vm] { return vm->where(); });
  }
  auto fiber = make_fiber(*vm);
  fiber->final_line = final_statement_line(program->tree);
  while (resume_module(*fiber))
    co_await run_asked(*vm, *fiber);
  vm->flush_line();
  if (fiber->module_failure) {
    try {
      std::rethrow_exception(fiber->module_failure);
    } catch (py::PyError& e) {
      // The traceback's last entry: the line that raised it.
      const auto* exc = e.exception().as<py::ExceptionObject>();
      const auto where =
          exc && exc->line > 0 ? fmt::format("{}:{}", program->file, exc->line) : std::string();
      if (exc && !exc->exceptions.empty()) { // a group: drawn as CPython draws it
        auto group = as_runtime_group(e.exception(), 0);
        try {
          std::rethrow_exception(group);
        } catch (Error& g) {
          g.set_where(where);
          throw;
        }
      }
      e.set_where(where);
      throw;
    }
  }
}

std::variant<std::string, LoadError> read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return LoadError{fmt::format("cannot read {}: {}; give the path of a Python program (.py)",
                                 quote(path), std::strerror(errno))};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return LoadError{
        fmt::format("{} is not a regular file; give the path of a Python program", quote(path))};
  if (static_cast<std::size_t>(st.st_size) > max_file_bytes)
    return LoadError{fmt::format("{} is {} bytes; a program is at most {} bytes", quote(path),
                                 st.st_size, max_file_bytes)};
  std::string text;
  char chunk[65536];
  for (;;) {
    const auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return LoadError{fmt::format("cannot read {}: {}", quote(path), std::strerror(errno))};
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    if (text.size() > max_file_bytes)
      return LoadError{fmt::format("{} is more than {} bytes; a program is at most {} bytes",
                                   quote(path), max_file_bytes, max_file_bytes)};
  }
  return text;
}

} // namespace

namespace {

// The program of each mode, for one text (the constants set): its own as
// written; the others derived from its jobs, printed, and read and
// compiled from that text, so that what runs is what --python shows (its
// lines too). A program that sets its mode itself (a MODE constant) has
// only its own: the text for each mode is another text.
struct Modes {
  program_shape::Shape shape;
  std::map<Mode, std::shared_ptr<const py::Compiled>> programs;
  std::map<Mode, std::string> texts;
};

std::variant<std::shared_ptr<Modes>, LoadError>
compile_modes(const std::string& text, const std::string& file, bool derive) {
  auto parsed = parse_python(text, shown(file));
  if (auto* error = std::get_if<ParseError>(&parsed)) return LoadError{error->message};
  auto tree = std::get<Block>(std::move(parsed));
  auto modes = std::make_shared<Modes>();
  auto& shape = modes->shape;
  shape = program_shape::analyze(tree);
  auto compiled = py::compile(std::move(tree), shown(file), text);
  if (auto* error = std::get_if<py::CompileError>(&compiled)) return LoadError{error->message};
  const auto own = std::get<std::shared_ptr<const py::Compiled>>(std::move(compiled));
  modes->programs[shape.own] = own;
  modes->texts[shape.own] = own->source;
  if (!derive) return modes;
  for (auto m : shape.modes()) {
    if (m == shape.own) continue;
    auto copy = parse_python(text, shown(file));
    auto derived = print_program(
        program_shape::derive(std::get<Block>(std::move(copy)), m, escape_like_repr(file)));
    const auto name = fmt::format("{} (--mode={})", shown(file), to_string(m));
    // What is derived reads back and compiles; should it not, the mode is
    // refused, saying so, rather than the program.
    auto reread = parse_python(derived, name);
    if (auto* error = std::get_if<ParseError>(&reread)) {
      shape.underivable[m] = "asyncdemo wrote it wrong (" + error->message + "), a bug to report";
      continue;
    }
    auto again = py::compile(std::get<Block>(std::move(reread)), name, derived);
    if (auto* error = std::get_if<py::CompileError>(&again)) {
      shape.underivable[m] = "asyncdemo wrote it wrong (" + error->message + "), a bug to report";
      continue;
    }
    modes->programs[m] = std::get<std::shared_ptr<const py::Compiled>>(std::move(again));
    modes->texts[m] = std::move(derived);
  }
  return modes;
}

// A program and what it declares: the programs of each run's constants,
// compiled once each (most runs take the defaults).
struct Entry {
  std::string text, file;
  declared::Declared declared;
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const Modes>> compiled; // by text

  // The program and its text for this run's mode and parameters.
  std::pair<std::shared_ptr<const py::Compiled>, std::string> program(const Context& ctx) {
    const bool as_written = declared.mode_constant() || declared.mode;
    auto text_now = declared.text_for(text, ctx);
    std::shared_ptr<const Modes> modes;
    {
      std::lock_guard lock(mutex);
      if (auto it = compiled.find(text_now); it != compiled.end()) modes = it->second;
    }
    if (!modes) {
      auto made = compile_modes(text_now, file, !as_written);
      // The constants hold literals of their own type: a text that read
      // once reads with any of them.
      if (auto* error = std::get_if<LoadError>(&made)) throw std::logic_error(error->message);
      modes = std::get<0>(std::move(made));
      std::lock_guard lock(mutex);
      if (compiled.size() > 64) compiled.clear(); // a bound, not a cache of everything
      compiled.emplace(text_now, modes);
    }
    if (as_written)
      return {modes->programs.at(modes->shape.own), modes->texts.at(modes->shape.own)};
    if (auto it = modes->shape.underivable.find(ctx.mode); it != modes->shape.underivable.end())
      throw std::logic_error(fmt::format("--mode={} cannot be derived from {}: {}",
                                         to_string(ctx.mode), shown(file), it->second));
    return {modes->programs.at(ctx.mode), modes->texts.at(ctx.mode)};
  }
};

} // namespace

std::variant<Scenario, LoadError> load_python_text(std::string text, const std::string& file,
                                                   Compile when) {
  if (text.find('\0') != std::string::npos || !valid_utf8(text))
    return LoadError{
        fmt::format("{}: this is not a text file (UTF-8); a program is Python", shown(file))};
  auto parsed = parse_python(text, shown(file));
  if (auto* error = std::get_if<ParseError>(&parsed)) return LoadError{error->message};
  auto read = declared::read(text, std::get<Block>(parsed), file);
  if (auto* error = std::get_if<LoadError>(&read)) return *error;

  auto entry = std::make_shared<Entry>();
  entry->declared = std::get<declared::Declared>(std::move(read));
  const auto& d = entry->declared;
  const auto* mode_constant = d.mode_constant();
  // The program as written (the defaults): read, compiled and its modes
  // derived now, so that what is wrong with it is said before anything runs;
  // a built-in one's shape alone (its modes are derived at its first run).
  program_shape::Shape shape;
  if (when == Compile::now) {
    auto made = compile_modes(text, file, !mode_constant && !d.mode);
    if (auto* error = std::get_if<LoadError>(&made)) return *error;
    auto modes = std::get<0>(std::move(made));
    entry->compiled.emplace(text, modes);
    shape = modes->shape;
  } else {
    shape = program_shape::analyze(std::get<Block>(parsed));
  }

  Scenario s;
  s.name = shown(std::filesystem::path(file).stem().string());
  s.seed = d.origin.empty() ? "your program" : d.origin;
  s.summary = d.summary;
  if (mode_constant) {
    s.modes = mode_constant->modes;
    s.default_mode = *parse_mode(mode_constant->param.default_value);
  } else if (d.mode) {
    s.modes = {*d.mode};
    s.default_mode = *d.mode;
  } else {
    s.modes = shape.modes();
    s.default_mode = shape.own;
  }
  for (const auto& c : d.constants)
    if (!c.mode && !c.seed) s.params.push_back(c.param);
  s.random = text.find("random") != std::string::npos;
  // As a scenario file with more jobs than light_above: a program that
  // makes coroutines or tasks over a range that long (shape.hpp) records
  // its main only (views that show tasks one by one are refused).
  s.light = shape.largest_range > light_above;
  s.main = [entry, light = s.light](const Context& ctx) {
    return run_program(entry->program(ctx).first, ctx, light);
  };
  s.python = [entry](const Context& ctx) {
    PythonSource src(entry->program(ctx).second);
    src.verbatim = true;
    return src;
  };
  if (!mode_constant && !d.mode)
    s.why_not = [shape, shown_file = shown(file), modes = s.modes](Mode m) -> std::string {
      const auto mode = to_string(m);
      if (!shape.jobs && shape.own == Mode::sync)
        return fmt::format("{} has no asyncio.run, so it runs only as written: --mode=sync; drop "
                           "--mode",
                           shown_file);
      if (!shape.jobs)
        return fmt::format("{}'s main is not the jobs shape ({}), so it runs only as written: "
                           "--mode={}; drop --mode",
                           shown_file, shape.why_not_jobs, to_string(shape.own));
      if (auto it = shape.underivable.find(m); it != shape.underivable.end())
        return fmt::format("--mode={} cannot be derived from {}'s main: {}; use one of {}, all",
                           mode, shown_file, it->second, join(modes));
      return {};
    };
  if (std::any_of(d.constants.begin(), d.constants.end(),
                  [](const auto& c) { return !c.for_option.empty(); }))
    s.check = [entry](Mode m, const Params& p) { return entry->declared.check(m, p); };
  if (!d.narrations.empty())
    s.narration = [entry](const Context& ctx) { return entry->declared.narration(ctx); };
  s.source = text;
  s.file = file;
  entry->text = std::move(text);
  entry->file = file;
  return s;
}

std::variant<Scenario, LoadError> load_python(const std::string& path) {
  auto text = read_file(path);
  if (auto* error = std::get_if<LoadError>(&text)) return *error;
  auto loaded = load_python_text(std::get<std::string>(std::move(text)), path);
  if (auto* s = std::get_if<Scenario>(&loaded)) s->user_file = true;
  return loaded;
}

} // namespace asyncdemo::script
