#pragma once
// A Python program compiled (compiler.cpp): each function, lambda,
// comprehension and generator expression is a Code, a flat list of
// operations whose expressions are the program's own trees (evaluated by
// the one evaluator, evaluator.cpp). Loops and branches are jumps; an
// await is an operation of its own (an await inside an expression is taken
// out into one first, in evaluation order); a try is a handler that every
// operation it guards names, so an exception finds its handler without a
// stack of blocks; a finally or a with is run on every way out.
#include "asyncdemo/script/ast.hpp"
#include "asyncdemo/script/expr.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo::py {

using script::Stmt;

struct Op {
  enum class Kind : std::uint8_t {
    expr,          // evaluate a, drop it
    assign,        // target = a
    aug_assign,    // target op= a
    jump,          // to `to`
    jump_if_false, // a: to `to` when false
    jump_if_true,  // a: to `to` when true
    iter_init,     // slot = iter(a)
    iter_next,     // target = next(slot); exhausted: to `to`
    ret,           // return a (null: None)
    raise,         // raise a [from b]
    reraise,       // raise the exception held in slot
    await_,        // slot = await a (slot -1: dropped)
    sleep,         // await asyncio.sleep(a), in place
    match,         // the exception in slot is an a (a tuple of classes too)? else to `to`;
                   // target (if any) = it
    match_star,    // except*: slot2 = the part of the group in slot that is an a, the rest
                   // stays in slot; none: to `to`
    clear,         // slot = None
    with_enter,    // slot = a; target (if any) = slot.__enter__() (awaited: is_async)
    with_exit,     // slot.__exit__(the exception in slot2, or None): it suppressed it: to `to`
    function,      // target = a new function of code `index` (a: the def, for its defaults)
    del,           // del target
    assert_,       // assert a, b
    import,        // target = the module named by op
    yield,         // a generator gives a
    append,        // a comprehension's item: slot (a list or set) gets a; a dict gets a: b
    nop,
  };
  Op() = default;
  explicit Op(Kind k) : kind(k) {}
  Kind kind = Kind::nop;
  bool is_async = false;
  const Expr* a = nullptr;
  const Expr* b = nullptr;
  const Expr* target = nullptr;
  int slot = -1, slot2 = -1, to = -1, index = -1;
  std::string op;
  int line = 0;
  int handler = -1; // the innermost try (or with, finally) that guards it: Code::handlers
};

// Where an exception raised by a guarded operation goes.
struct Handler {
  int target = -1; // the operation to go on from
  int slot = -1;   // where the exception is kept
  int parent = -1; // the try around this one (for what its own code raises)
};

struct Code {
  std::string name;     // "worker", "<lambda>", "<genexpr>", "<module>"
  std::string qualname; // "main.<locals>.inner"
  bool is_async = false;
  bool is_generator = false;
  std::vector<Op> ops;
  std::vector<Handler> handlers;
  // Slots: parameters first, then the other locals, then temporaries.
  std::vector<std::string> slot_names;
  std::vector<Parameter> params; // their kinds and names (defaults are the function's)
  // The def's (or lambda's) own parameters, whose defaults are evaluated
  // where it is defined, when it is.
  const std::vector<Parameter>* ast_params = nullptr;
  std::vector<int> cell_slots;         // locals an inner function reads: they live in cells
  std::vector<std::string> free_names; // what it reads of an outer function, by cell
  // Where each of those cells is found in the function that makes this one
  // (a cell of its own, or one of its closure).
  std::vector<NameRef> closure_from;
  int first_line = 0;
  // Sleeps are its only awaits, at the top of its body, and no try or with:
  // it runs in a small frame (a swarm's million jobs are such).
  bool lean = false;
  // Expressions the compiler made (temporaries, an await taken out): kept
  // here, where the operations point.
  std::vector<ExprPtr> made;
};

} // namespace asyncdemo::py
