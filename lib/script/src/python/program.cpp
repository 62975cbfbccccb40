// A Python program as a Scenario (python.hpp): read, parsed, compiled, and
// run as CPython runs it. Its module level is plain code that may call
// asyncio.run anywhere (at the top, inside `if __name__ == "__main__":`,
// inside a plain main()); so it runs on a stack of its own (a fiber), and
// asyncio.run hands its coroutine back to the scenario's main task, which
// runs it on the loop and then hands the result back. Module code before
// and after runs as the program's plain part, with no loop of its own.
#include "asyncdemo/script/python.hpp"
#include "asyncdemo/script/python_program.hpp"

#include "compiler.hpp"
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

#include <cstring>
#include <filesystem>
#include <map>

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
    Object module(static_cast<HeapObject*>(new py::Frame(vm.program().module, Object())));
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
  const auto main_id = running_task_id();
  call_soon([&vm, &cancelled, stopped, main_id] {
    at_iteration_end([&vm, &cancelled, stopped, main_id] {
      for (const auto& t : vm.pending_tasks())
        if (const auto* to = t.as<py::TaskObject>();
            to && !to->task.done() && to->task.id() != main_id) {
          auto task = to->task;
          task.cancel();
          cancelled.push_back(task);
        }
      stopped->set();
    });
  });
  co_await stopped->wait();
  if (!cancelled.empty()) co_await gather(std::move(cancelled), return_exceptions);
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
  vm.run_hook = [f](const Object& coro) { return f->ask_driver(coro); };
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
  try {
    f.reply = co_await vm.await_object(std::move(coro));
  } catch (...) {
    f.failure = std::current_exception();
  }
  co_await end_of_run(vm);
  vm.running = false;
}

Coro<> run_program(std::shared_ptr<const py::Compiled> program, Context ctx) {
  auto vm = std::make_unique<Vm>(program, ctx.seed);
  // A view of the loop asks where the code is, while the machine lives.
  struct Told {
    SourceTrace* source;
    ~Told() {
      if (source) source->set_probe({});
    }
  } told{ctx.source};
  if (ctx.source) {
    vm->source = ctx.source;
    ctx.source->set_probe([machine = vm.get()] { return machine->where(); });
  }
  auto fiber = make_fiber(*vm);
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

std::variant<Scenario, LoadError> load_python_text(std::string text, const std::string& file) {
  if (text.find('\0') != std::string::npos || !valid_utf8(text))
    return LoadError{
        fmt::format("{}: this is not a text file (UTF-8); a program is Python", shown(file))};
  auto parsed = parse_python(text, shown(file));
  if (auto* error = std::get_if<ParseError>(&parsed)) return LoadError{error->message};
  auto tree = std::get<Block>(std::move(parsed));
  auto shape = program_shape::analyze(tree);
  auto compiled = py::compile(std::move(tree), shown(file), text);
  if (auto* error = std::get_if<py::CompileError>(&compiled)) return LoadError{error->message};

  // The program of each mode: its own as written; the others derived from
  // its jobs, printed, and read and compiled from that text, so that what
  // runs is what --python shows (its lines too).
  struct Modes {
    std::map<Mode, std::shared_ptr<const py::Compiled>> programs;
    std::map<Mode, std::string> texts;
  };
  auto modes = std::make_shared<Modes>();
  const auto own = std::get<std::shared_ptr<const py::Compiled>>(std::move(compiled));
  modes->programs[shape.own] = own;
  modes->texts[shape.own] = own->source;
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

  Scenario s;
  s.name = shown(std::filesystem::path(file).stem().string());
  s.seed = "your program";
  s.summary = "";
  s.modes = shape.modes();
  s.default_mode = shape.own;
  s.random = own->source.find("random") != std::string::npos;
  s.main = [modes](const Context& ctx) { return run_program(modes->programs.at(ctx.mode), ctx); };
  s.python = [modes](const Context& ctx) {
    PythonSource src(modes->texts.at(ctx.mode));
    src.verbatim = true;
    return src;
  };
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
      return fmt::format("--mode={} cannot be derived from {}'s main: {}; use one of {}, all", mode,
                         shown_file, it->second, join(modes));
    return {};
  };
  s.source = own->source;
  s.file = file;
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
