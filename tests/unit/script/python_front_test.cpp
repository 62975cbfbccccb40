// The Python front end's tree, as the interpreter reads it: the shapes it
// relies on (an elif is an if alone in the else before it; async marks the
// statement; positions are 1-based, columns in characters), the one-line
// refusals, and trees far deeper than any program may hold freed without
// recursion. tests/python/parse_roundtrip.py holds the reader to CPython.
#include "asyncdemo/script/python.hpp"

#include <doctest/doctest.h>

#include <string>

// Named apart, and no using-directive at file scope: unity builds batch
// this file with others.
namespace python_front_test {

using namespace asyncdemo;
using namespace asyncdemo::script;

Block read(const std::string& source) {
  auto result = parse_python(source, "prog.py");
  if (const auto* error = std::get_if<ParseError>(&result)) FAIL(error->message);
  return std::move(std::get<Block>(result));
}

std::string refusal(const std::string& source) {
  auto result = parse_python(source, "prog.py");
  const auto* error = std::get_if<ParseError>(&result);
  REQUIRE(error != nullptr);
  return error->message;
}

TEST_CASE("python front: an elif is an if alone in the else of the one before") {
  const auto program = read("if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\n");
  REQUIRE(program.size() == 1);
  const Stmt& first = *program[0];
  CHECK(first.kind == Stmt::Kind::if_);
  CHECK(first.end_line == 6);
  REQUIRE(first.orelse.size() == 1);
  const Stmt& elif = *first.orelse[0];
  CHECK(elif.kind == Stmt::Kind::if_);
  CHECK(elif.pos.line == 3);
  CHECK(elif.pos.column == 1);
  CHECK(elif.value->name == "b");
  REQUIRE(elif.orelse.size() == 1);
  CHECK(elif.orelse[0]->kind == Stmt::Kind::assign);
}

TEST_CASE("python front: async def, await and asyncio.run(main()) as the tree holds them") {
  const auto program = read("import asyncio\n"
                            "async def main():\n"
                            "    await asyncio.sleep(1)\n"
                            "asyncio.run(main())\n");
  REQUIRE(program.size() == 3);
  CHECK(program[0]->kind == Stmt::Kind::import);
  REQUIRE(program[0]->imports.size() == 1);
  CHECK(program[0]->imports[0].name == "asyncio");
  const Stmt& main = *program[1];
  CHECK(main.kind == Stmt::Kind::function);
  CHECK(main.is_async);
  CHECK(main.name == "main");
  REQUIRE(main.body.size() == 1);
  const Expr& awaited = *main.body[0]->value;
  CHECK(awaited.kind == Expr::Kind::await_);
  CHECK(awaited.line == 3);
  CHECK(awaited.column == 5);
  const Expr& sleep = *awaited.args[0];
  CHECK(sleep.kind == Expr::Kind::call);
  CHECK(sleep.callee->kind == Expr::Kind::attribute);
  CHECK(sleep.callee->name == "sleep");
  const Expr& run = *program[2]->value;
  CHECK(run.kind == Expr::Kind::call);
  CHECK(run.args[0]->kind == Expr::Kind::call);
}

TEST_CASE("python front: columns are characters, not bytes") {
  const auto program = read("café = 'é'; x = café\n");
  REQUIRE(program.size() == 2);
  CHECK(program[1]->pos.column == 13);
  CHECK(program[1]->value->column == 17);
}

TEST_CASE("python front: a format spec with a field of its own") {
  const auto program = read("print(f\"{x:>{w}}\")\n");
  const Expr& f = *program[0]->value->args[0];
  REQUIRE(f.kind == Expr::Kind::fstring);
  REQUIRE(f.fstring->pieces.size() == 1);
  const auto& piece = f.fstring->pieces[0];
  REQUIRE(piece.spec_fields);
  REQUIRE(piece.spec_fields->pieces.size() == 2);
  CHECK(piece.spec_fields->pieces[0].text == ">");
  CHECK(piece.spec_fields->pieces[1].expr->name == "w");
}

TEST_CASE("python front: what the subset lacks is one line, named, where it is") {
  CHECK(refusal("x = 1\nclass A:\n    pass\n") ==
        "prog.py:2:1: asyncdemo runs a subset of Python: `class` is not in it; see "
        "docs/python-programs.md");
  CHECK(refusal("async def f():\n    yield 1\n") ==
        "prog.py:2:5: asyncdemo runs a subset of Python: `yield` is not in it; see "
        "docs/python-programs.md");
  CHECK(refusal("def f(:\n") == "prog.py:1:7: invalid syntax");
  CHECK(refusal("x = (1,\n") == "prog.py:1:5: '(' was never closed");
}

TEST_CASE("python front: the error shown is the one CPython shows") {
  // CPython parses the whole file before its compiler finds 'return'
  // outside a function, and tokenizes the rest of a file whose parse failed.
  CHECK(refusal("return 1\nx = 1 +\n") == "prog.py:2:8: invalid syntax");
  CHECK(refusal("await f()\ny = \"abc\n") ==
        "prog.py:2:5: unterminated string literal (detected at line 2)");
  CHECK(refusal("x = [1 2]\ny = 'abc\n") ==
        "prog.py:2:5: unterminated string literal (detected at line 2)");
  CHECK(refusal("return 1\n") == "prog.py:1:1: 'return' outside function");
}

TEST_CASE("python front: hostile input is one line") {
  CHECK(refusal(std::string("x = 1\0\n", 7)) ==
        "prog.py:1:6: source code cannot contain null bytes");
  CHECK(refusal("x = '\xff'\n").find("prog.py:1:6: this is not UTF-8") == 0);
  CHECK(refusal("x = " + std::string(100000, '(')).find("too many nested parentheses") !=
        std::string::npos);
  std::string sum = "x = 1";
  for (int i = 0; i < 100000; ++i)
    sum += "+1";
  CHECK(refusal(sum).find("more than 100 levels deep") != std::string::npos);
}

TEST_CASE("python front: a tree a million levels deep is freed without recursion") {
  // Built by hand: no program may make it (the reader refuses past 100
  // levels), but whatever holds a tree may drop one however deep.
  auto root = std::make_unique<Expr>();
  Expr* at = root.get();
  for (int i = 0; i < 1'000'000; ++i) {
    at->kind = Expr::Kind::unary;
    at->op = "-";
    at->args.push_back(std::make_unique<Expr>());
    at = at->args.back().get();
  }
  root.reset();
  CHECK(root == nullptr);
}

} // namespace python_front_test
