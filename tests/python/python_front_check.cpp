// The Python front end, seen from outside (parse_roundtrip.py drives it):
// each file named is parsed, and one JSON line says what came out: the
// program printed back (print_program) and where its statements and names
// are, or the one-line error.
//
//   python_front_check FILE...     one line per file
//   python_front_check -           programs on stdin, each "NAME SIZE\n" then SIZE bytes
//                                  (many programs, one process, no files)
#include "asyncdemo/script/python.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace asyncdemo;
using namespace asyncdemo::script;

void names(const Expr& e, nlohmann::json& out, bool in_fstring) {
  if (e.kind == Expr::Kind::name && !in_fstring) out.push_back({e.line, e.column, e.name});
  for (const auto& a : e.args)
    if (a) names(*a, out, in_fstring);
  if (e.callee) names(*e.callee, out, in_fstring);
  if (e.fstring)
    for (const auto& p : e.fstring->pieces)
      if (p.expr) names(*p.expr, out, true);
  for (const auto& c : e.clauses) {
    names(*c.target, out, in_fstring);
    names(*c.iter, out, in_fstring);
    for (const auto& i : c.ifs)
      names(*i, out, in_fstring);
  }
  for (const auto& p : e.params) {
    if (p.default_value) names(*p.default_value, out, in_fstring);
    if (p.annotation) names(*p.annotation, out, in_fstring);
  }
}

void statements(const Block& b, nlohmann::json& stmts, nlohmann::json& found) {
  for (const auto& s : b) {
    stmts.push_back({s->pos.line, s->pos.column, s->end_line});
    for (const auto* e : {s->target.get(), s->value.get(), s->cause.get(), s->annotation.get()})
      if (e) names(*e, found, false);
    for (const auto& t : s->targets)
      names(*t, found, false);
    for (const auto& i : s->items) {
      names(*i.context, found, false);
      if (i.target) names(*i.target, found, false);
    }
    for (const auto& p : s->params) {
      if (p.default_value) names(*p.default_value, found, false);
      if (p.annotation) names(*p.annotation, found, false);
    }
    statements(s->body, stmts, found);
    for (const auto& h : s->handlers) {
      if (h.type) names(*h.type, found, false);
      statements(h.body, stmts, found);
    }
    statements(s->orelse, stmts, found);
    statements(s->finalbody, stmts, found);
  }
}

nlohmann::json check(const std::string& file, const std::string& source) {
  nlohmann::json out{{"file", file}};
  auto result = parse_python(source, file);
  if (auto* error = std::get_if<ParseError>(&result)) {
    out["ok"] = false;
    out["error"] = error->message;
    return out;
  }
  const auto& program = std::get<Block>(result);
  out["ok"] = true;
  out["printed"] = print_program(program);
  nlohmann::json stmts = nlohmann::json::array(), found = nlohmann::json::array();
  statements(program, stmts, found);
  out["statements"] = std::move(stmts);
  out["names"] = std::move(found);
  return out;
}

} // namespace

void answer(const std::string& file, const std::string& source) {
  std::cout << check(file, source).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
            << '\n';
}

int main(int argc, char** argv) {
  const std::vector<std::string> files(argv + 1, argv + argc);
  if (files.size() == 1 && files[0] == "-") {
    std::string name;
    std::size_t size = 0;
    while (std::cin >> name >> size && std::cin.get() == '\n') {
      std::string source(size, '\0');
      if (!std::cin.read(source.data(), static_cast<std::streamsize>(size))) {
        std::cerr << "python_front_check: " << name << ": fewer than " << size << " bytes\n";
        return 1;
      }
      answer(name, source);
    }
    if (!std::cin.eof()) {
      std::cerr << "python_front_check: expected NAME SIZE\n";
      return 1;
    }
    return 0;
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    answer(f, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  }
  return 0;
}
