#pragma once
// Scenario files: a scenario as data (docs/scenario-files.md). A TOML file
// is read once into a Script: its parameters, its jobs and helper
// coroutines compiled to flat lists of instructions with every name
// resolved, and what main does. Two interpreters read a Script: one runs it
// as coroutines on the runtime (interpreter.cpp), the other writes the
// equivalent Python program (python_writer.cpp). A mode composes the jobs,
// as run_jobs does for compiled scenarios.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/script/expr.hpp"
#include "asyncdemo/teach/mode.hpp"
#include "asyncdemo/teach/scenario.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace asyncdemo::script {

// One instruction. Nested steps (repeat, if) are compiled to jumps, so that
// a job runs as one loop over its instructions, however deep they nest; a
// block that must end in its own way however its body ends (with, timeout)
// holds its body as instructions of its own (`inner`, and `handler` for
// on_timeout).
struct Instr {
  enum class Op : std::uint8_t {
    print,  // text
    sleep,  // expr seconds: await asyncio.sleep
    block,  // expr seconds: time.sleep, holds the loop
    loop,   // expr count; slot: the variable (or -1); counter: two hidden slots; jump: past `next`
    next,   // counter; jump: back to its loop
    set,    // slot = expr
    ret,    // return expr
    call,   // slot = await coroutine `target`() (inline: no task)
    task,   // task slot = create_task(coroutine `target`(), name=text)
    await_, // slot = await task `task`
    cancel, // task `task`.cancel()
    gather, // slot = await gather(targets...)
    // Shared state and the primitives: none of these is lean (the model does not follow them).
    set_shared,  // shared variable `slot` (a global) = expr
    if_,         // expr: the condition; jump: to the else part (or past the end) when false
    else_,       // jump: past the end (ends the then part)
    end_if,      // the end of an if (the Python writer's dedent)
    with,        // async with shared `target` (a Lock or Semaphore): inner
    timeout,     // async with asyncio.timeout(expr): inner; except TimeoutError: handler
    wait_for,    // slot = await asyncio.wait_for(coroutine `target`(), expr); handler on timeout
    taskgroup,   // slot = the results of targets..., run in an asyncio.TaskGroup
    wait,        // slot = results of those done after asyncio.wait(targets, word, timeout expr)
    to_thread,   // await asyncio.to_thread(time.sleep, expr)
    raise,       // raise <word>(text)
    put,         // await queue `target`.put(expr)
    put_nowait,  // queue `target`.put_nowait(expr)
    get,         // slot = await queue `target`.get()
    get_nowait,  // slot = queue `target`.get_nowait()
    task_done,   // queue `target`.task_done()
    join,        // await queue `target`.join()
    set_event,   // event `target`.set()
    clear_event, // event `target`.clear()
    wait_event,  // await event `target`.wait()
  };
  Op op = Op::print;
  Pos pos;
  FString text;
  ExprPtr expr;
  int slot = -1;
  int counter = -1;
  int jump = -1;
  int target = -1;
  int task = -1;
  std::vector<int> targets;
  std::string word;           // raise: the exception's type; wait: return_when
  bool flag = false;          // wait: cancel the pending ones
  std::vector<Instr> inner;   // with, timeout: the block's steps
  std::vector<Instr> handler; // timeout, wait_for: on_timeout
};

// Whether an instruction needs an event loop (it cannot be a plain
// function's: sync mode refuses the files that use one), by its verb's
// entry (src/verbs.cpp).
bool needs_loop(Instr::Op op) noexcept;
// Whether an instruction awaits no other coroutine (print, sleep, block,
// repeat, set, return): a body of these runs in the lean frame, and the
// model follows it.
bool lean(Instr::Op op) noexcept;

// The instructions of one body (a job, a helper coroutine, main), with the
// number of value slots and task slots its locals take.
struct Body {
  std::vector<Instr> code;
  std::vector<Instr> on_cancel; // run when the body is cancelled, then it stays cancelled
  std::vector<std::string> slot_names;
  std::vector<std::string> task_names;
  bool returns = false; // has a return with a value
  // Only print, sleep, block, repeat, set and return, and no on_cancel: it
  // runs in a smaller coroutine (a swarm's million jobs are such).
  bool lean = false;
};

// A [[job]] (run by the mode, once per `count` or per item of `each`) or a
// [[coroutine]] (awaited by `call` or made a task by `task`).
struct Coroutine {
  bool job = false;
  std::string function;  // its Python function's name
  FString task_name;     // a job's task name (index, item and parameters may be used)
  ExprPtr count;         // jobs: how many (parameters only)
  Pos count_pos;         // where count (or each) is written
  ExprPtr each;          // jobs: one per item (parameters only)
  bool per_task = false; // jobs with count or each
  // The body's slots for index and item, -1 when it reads neither (a
  // swarm's million jobs then need no slots at all).
  int index_slot = -1;
  int item_slot = -1;
  // The task name's own slots: its f-string resolves apart from the body.
  std::vector<std::string> name_slot_names;
  int name_index_slot = -1;
  int name_item_slot = -1;
  Body body;
  Pos pos;
};

// A parameter: an option of the scenario (--name), with its default.
struct ParamSpec {
  enum class Kind : std::uint8_t { number, seconds, whole, text, list, choice, flag };
  std::string name;   // as the file and the expressions spell it: max_sleep
  std::string option; // as the command line does: max-sleep
  std::string help;
  Kind kind = Kind::number;
  std::string default_text; // as the command line would give it
  std::optional<double> min, max;
  std::vector<std::string> choices; // choice
  Kind items = Kind::number;        // list: number, seconds, whole or text
  std::optional<std::size_t> count; // list: exactly this many items
  std::vector<std::string> allow;   // list: words allowed instead of a list ("random")
  std::string example;              // a good value, for messages ("1.5,0.5,1")
  Pos pos;

  // The value of a command-line text; nothing, with `why`, if it is not one.
  std::optional<Object> read(std::string_view text, std::string& why) const;
};

struct Main {
  Body before, each, after; // share main's slots: before's variables are seen after
  Body steps;               // an explicit main instead of the mode's composition
  bool explicit_steps = false;
  int result_slot = -1;  // in each: the result just obtained
  int results_slot = -1; // in each and after: every result so far, in the mode's order
  int slots = 0, tasks = 0;
  std::vector<std::string> slot_names, task_names;
};

// A value of [values]: worked out once, before main, from the parameters,
// earlier values and random numbers; seen everywhere (as parameters are).
struct ValueSpec {
  std::string name;
  ExprPtr expr;
  Pos pos;
};

// A name of [shared]: a variable every coroutine reads and assigns (a
// module-level global in Python), or a primitive they share.
struct SharedSpec {
  enum class Kind : std::uint8_t { value, lock, semaphore, bounded_semaphore, event, queue };
  std::string name;
  Kind kind = Kind::value;
  ExprPtr expr;    // the value; a semaphore's count; a queue's maxsize (none: 0)
  int global = -1; // a value: its place among the globals
  Pos pos;
};
const char* python_class(SharedSpec::Kind k) noexcept; // "Lock", "Queue", ...

struct Script {
  std::string name;
  std::string summary;
  std::string origin = "your file"; // the list's seed column
  std::string file;                 // where it was read from
  std::string source;               // its text, as read
  bool user_file = false;           // read from disk (load_file), not built in
  std::vector<Mode> modes;
  Mode default_mode = Mode::gather;
  std::vector<ParamSpec> params;
  std::vector<ValueSpec> values;     // globals after the parameters, in file order
  std::vector<SharedSpec> shared;    // [shared]: its values are globals after the values
  std::vector<Coroutine> coroutines; // jobs and helpers, in file order
  Main main;
  bool random = false;     // draws random numbers: takes --seed
  bool needs_loop = false; // uses a step only an event loop can run (no sync mode)
  // More tasks than this and the run records named tasks only (a swarm).
  bool light = false;
};

// Scenario files larger than this are refused before they are parsed.
inline constexpr std::size_t max_file_bytes = 1 << 20;
// Steps nest at most this deep (repeat inside repeat ...).
inline constexpr int max_nesting = 8;
// A text parameter (or item) is at most this long: it is a line to read.
inline constexpr std::size_t max_text_bytes = 1000;
// A job's count (and a repeat's) is at most this.
inline constexpr std::int64_t max_count = 10'000'000;
// A run with more job tasks than this records named tasks only.
inline constexpr std::int64_t light_above = 10'000;

// A file that cannot be read or is not a scenario: one line, FILE:LINE:COLUMN
// first, saying what would be right.
struct LoadError {
  std::string message;
};

// Reads a scenario file, or the text of one (built-in scenarios are
// embedded), into a Script.
std::variant<std::shared_ptr<const Script>, LoadError> load_file(const std::string& path);
std::variant<std::shared_ptr<const Script>, LoadError> load_text(std::string text,
                                                                 const std::string& file);

// The Scenario that runs a script and writes its Python twin.
Scenario scenario_of(std::shared_ptr<const Script> script);

} // namespace asyncdemo::script
