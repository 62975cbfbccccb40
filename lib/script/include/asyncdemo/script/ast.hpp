#pragma once
// A Python program as a tree: the statements of the subset, each with its
// place in the source. A scenario file's steps become these (each verb says
// which, src/verbs.cpp), and the Python writer prints them (print_program):
// the --python program is written from this structure, never by editing
// text, so that whatever a file says reaches the program as a literal.
#include "asyncdemo/script/expr.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace asyncdemo::script {

// Where in the file something was written (1-based).
struct Pos {
  int line = 0;
  int column = 0;
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

// `except type as name: body` (no type: a bare except); `except*` when star.
struct Handler {
  ExprPtr type;
  std::string name;
  Block body;
  bool star = false;
  Pos pos;
};

// `with context as target` (no target: no `as`).
struct WithItem {
  ExprPtr context;
  ExprPtr target;
};

// `name as alias` of an import (alias empty: none).
struct ImportName {
  std::string name; // a module (dotted) or, in `from m import x`, the name
  std::string alias;
};

// A statement. What a kind uses of the fields is said beside it; a Python
// program's parser makes every kind, a scenario file's verbs some.
struct Stmt {
  enum class Kind : std::uint8_t {
    expr,       // value
    assign,     // targets = value (a = b = value: two targets)
    aug_assign, // target op= value (op: "+", "-", ...)
    ann_assign, // target: annotation [= value] (value may be null)
    if_,        // if value: body; else: orelse (an elif is an if alone in orelse)
    for_,       // for target in value: body; else: orelse
    while_,     // while value: body; else: orelse
    return_,    // return value (or nothing)
    raise_,     // raise value [from cause] (or a bare raise)
    try_,       // try: body; handlers; else: orelse; finally: finalbody
    with_,      // with items: body
    function,   // def name(params) [-> annotation]: body
    global,     // global names
    nonlocal,   // nonlocal names
    pass,
    break_,
    continue_,
    import,      // import imports (each a module, maybe as an alias)
    import_from, // from name import imports
    assert_,     // assert value[, cause]
    del_,        // del targets
    comment,     // a line of its own: # name (the text; control characters are escaped)
    blank,       // an empty line, between definitions
  };
  Kind kind = Kind::pass;
  Pos pos;
  int end_line = 0; // the last line it spans (a compound statement's body included)
  ExprPtr target;
  std::vector<ExprPtr> targets; // assign, del
  ExprPtr value;
  ExprPtr cause;      // raise ... from cause; assert's message
  ExprPtr annotation; // ann_assign; a function's return annotation (kept, not checked)
  std::string op;
  Block body, orelse, finalbody;
  std::vector<Handler> handlers;
  std::vector<WithItem> items;
  std::string name;
  std::vector<std::string> names;  // global, nonlocal
  std::vector<Parameter> params;   // function
  std::vector<ImportName> imports; // import, import_from
  bool is_async = false;           // async def, async for, async with
  std::string note;                // a comment at the end of its first line
  // What it was written from (a scenario file's step, or main's own part):
  // how a run of the file finds its line in the program (print_program).
  const void* origin = nullptr;
};

// Building a tree by hand (the verbs, the modes' main()).
namespace ast {

ExprPtr name(std::string id);
ExprPtr str(std::string text); // a str literal
ExprPtr number(double v);
ExprPtr integer(std::int64_t v);
ExprPtr none();
ExprPtr attribute(ExprPtr object, std::string attr); // object.attr
ExprPtr dotted(std::string_view path);               // "asyncio.sleep"
ExprPtr call(ExprPtr callee, std::vector<ExprPtr> args = {});
ExprPtr keyword(std::string id, ExprPtr value); // an argument: id=value
ExprPtr starred(ExprPtr value);                 // an argument: *value
ExprPtr await_(ExprPtr value);
ExprPtr tuple(std::vector<ExprPtr> items);
ExprPtr list(std::vector<ExprPtr> items);
ExprPtr binary(std::string op, ExprPtr left, ExprPtr right);
ExprPtr compare(std::string op, ExprPtr left, ExprPtr right);
ExprPtr fstring(const FString& f); // a copy of the file's f-string
ExprPtr copy(const Expr& e);       // a deep copy (the tree keeps the file's expressions)
ExprPtr comprehension(ExprPtr item, std::string var, ExprPtr iterable, ExprPtr condition = {});

StmtPtr expr(ExprPtr value, std::string note = {});
StmtPtr assign(ExprPtr target, ExprPtr value, std::string note = {});
StmtPtr if_(ExprPtr test, Block body, Block orelse = {});
StmtPtr for_(ExprPtr target, ExprPtr iterable, Block body);
StmtPtr return_(ExprPtr value = {});
StmtPtr raise_(ExprPtr value = {});
StmtPtr with_(std::vector<WithItem> items, Block body, bool is_async);
StmtPtr function(std::string name, std::vector<std::string> params, Block body, bool is_async);
StmtPtr function(std::string name, std::vector<Parameter> params, Block body, bool is_async);
StmtPtr global(std::vector<std::string> names);
StmtPtr pass();
StmtPtr import(std::string module);
StmtPtr comment(std::string text);
StmtPtr blank();
StmtPtr try_(Block body, std::vector<Handler> handlers, Block finalbody = {});

} // namespace ast

// The program as Python source: four spaces an indent, an empty block given
// `pass`, every literal as Python's repr writes it, comments with their
// control characters escaped (a comment cannot end early).
std::string print_program(const Block& program);
// The same, and each statement's origin with the line it begins on (from 1).
using Origins = std::vector<std::pair<const void*, int>>;
std::string print_program(const Block& program, Origins& origins);

// `text` made safe for a comment: one line, control and invisible
// characters escaped as repr would.
std::string comment_text(std::string_view text);

} // namespace asyncdemo::script
