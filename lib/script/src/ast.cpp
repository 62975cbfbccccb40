// Building a program's tree by hand (ast.hpp).
#include "asyncdemo/script/ast.hpp"

namespace asyncdemo::script::ast {

namespace {

ExprPtr node(Expr::Kind kind) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  return e;
}

ExprPtr with_args(Expr::Kind kind, std::vector<ExprPtr> args) {
  auto e = node(kind);
  e->args = std::move(args);
  return e;
}

ExprPtr one(Expr::Kind kind, ExprPtr arg) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(arg));
  return with_args(kind, std::move(args));
}

StmtPtr stmt(Stmt::Kind kind) {
  auto s = std::make_unique<Stmt>();
  s->kind = kind;
  return s;
}

} // namespace

ExprPtr name(std::string id) {
  auto e = node(Expr::Kind::name);
  e->name = std::move(id);
  return e;
}

ExprPtr str(std::string text) {
  auto e = node(Expr::Kind::literal);
  e->literal = Object(std::move(text));
  return e;
}

ExprPtr number(double v) {
  auto e = node(Expr::Kind::literal);
  e->literal = Object(v);
  return e;
}

ExprPtr integer(std::int64_t v) {
  auto e = node(Expr::Kind::literal);
  e->literal = Object(v);
  return e;
}

ExprPtr none() {
  return node(Expr::Kind::literal);
}

ExprPtr attribute(ExprPtr object, std::string attr) {
  auto e = one(Expr::Kind::attribute, std::move(object));
  e->name = std::move(attr);
  return e;
}

ExprPtr dotted(std::string_view path) {
  ExprPtr e;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? dot : dot - start));
    e = e ? attribute(std::move(e), std::move(part)) : name(std::move(part));
    if (dot == std::string_view::npos) return e;
    start = dot + 1;
  }
}

ExprPtr call(ExprPtr callee, std::vector<ExprPtr> args) {
  auto e = with_args(Expr::Kind::call, std::move(args));
  e->callee = std::move(callee);
  return e;
}

ExprPtr keyword(std::string id, ExprPtr value) {
  auto e = one(Expr::Kind::keyword, std::move(value));
  e->name = std::move(id);
  return e;
}

ExprPtr starred(ExprPtr value) {
  return one(Expr::Kind::starred, std::move(value));
}

ExprPtr await_(ExprPtr value) {
  return one(Expr::Kind::await_, std::move(value));
}

ExprPtr tuple(std::vector<ExprPtr> items) {
  return with_args(Expr::Kind::tuple, std::move(items));
}

ExprPtr list(std::vector<ExprPtr> items) {
  return with_args(Expr::Kind::list, std::move(items));
}

ExprPtr binary(std::string op, ExprPtr left, ExprPtr right) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(left));
  args.push_back(std::move(right));
  auto e = with_args(Expr::Kind::binary, std::move(args));
  e->op = std::move(op);
  return e;
}

ExprPtr compare(std::string op, ExprPtr left, ExprPtr right) {
  auto e = binary(std::move(op), std::move(left), std::move(right));
  e->kind = Expr::Kind::compare;
  return e;
}

ExprPtr copy(const Expr& from) {
  auto e = node(from.kind);
  e->fn = from.fn;
  e->literal = from.literal;
  e->name = from.name;
  e->op = from.op;
  e->ref = from.ref;
  e->offset = from.offset;
  for (const auto& a : from.args)
    e->args.push_back(a ? copy(*a) : nullptr);
  if (from.callee) e->callee = copy(*from.callee);
  e->ops = from.ops;
  e->line = from.line;
  e->column = from.column;
  if (from.fstring) e->fstring = std::move(fstring(*from.fstring)->fstring);
  for (const auto& c : from.clauses) {
    ForClause clause;
    clause.target = c.target ? copy(*c.target) : nullptr;
    clause.iter = c.iter ? copy(*c.iter) : nullptr;
    for (const auto& i : c.ifs)
      clause.ifs.push_back(copy(*i));
    e->clauses.push_back(std::move(clause));
  }
  for (const auto& p : from.params) {
    Parameter param;
    param.name = p.name;
    param.kind = p.kind;
    param.default_value = p.default_value ? copy(*p.default_value) : nullptr;
    param.line = p.line;
    param.column = p.column;
    param.annotation = p.annotation ? copy(*p.annotation) : nullptr;
    e->params.push_back(std::move(param));
  }
  return e;
}

namespace {

std::unique_ptr<FString> copy_fstring(const FString& f) {
  auto out = std::make_unique<FString>();
  for (const auto& p : f.pieces) {
    FString::Piece piece;
    piece.text = p.text;
    piece.expr = p.expr ? copy(*p.expr) : nullptr;
    piece.spec = p.spec;
    piece.conversion = p.conversion;
    piece.offset = p.offset;
    if (p.spec_fields) piece.spec_fields = copy_fstring(*p.spec_fields);
    piece.self_documenting = p.self_documenting;
    piece.self_documenting_tail = p.self_documenting_tail;
    out->pieces.push_back(std::move(piece));
  }
  return out;
}

} // namespace

ExprPtr fstring(const FString& f) {
  auto e = node(Expr::Kind::fstring);
  e->fstring = copy_fstring(f);
  return e;
}

ExprPtr comprehension(ExprPtr item, std::string var, ExprPtr iterable, ExprPtr condition) {
  std::vector<ExprPtr> args;
  args.push_back(std::move(item));
  args.push_back(std::move(iterable));
  if (condition) args.push_back(std::move(condition));
  auto e = with_args(Expr::Kind::comprehension, std::move(args));
  e->name = std::move(var);
  return e;
}

StmtPtr expr(ExprPtr value, std::string note) {
  auto s = stmt(Stmt::Kind::expr);
  s->value = std::move(value);
  s->note = std::move(note);
  return s;
}

StmtPtr assign(ExprPtr target, ExprPtr value, std::string note) {
  auto s = stmt(Stmt::Kind::assign);
  s->targets.push_back(std::move(target));
  s->value = std::move(value);
  s->note = std::move(note);
  return s;
}

StmtPtr if_(ExprPtr test, Block body, Block orelse) {
  auto s = stmt(Stmt::Kind::if_);
  s->value = std::move(test);
  s->body = std::move(body);
  s->orelse = std::move(orelse);
  return s;
}

StmtPtr for_(ExprPtr target, ExprPtr iterable, Block body) {
  auto s = stmt(Stmt::Kind::for_);
  s->target = std::move(target);
  s->value = std::move(iterable);
  s->body = std::move(body);
  return s;
}

StmtPtr return_(ExprPtr value) {
  auto s = stmt(Stmt::Kind::return_);
  s->value = std::move(value);
  return s;
}

StmtPtr raise_(ExprPtr value) {
  auto s = stmt(Stmt::Kind::raise_);
  s->value = std::move(value);
  return s;
}

StmtPtr with_(std::vector<WithItem> items, Block body, bool is_async) {
  auto s = stmt(Stmt::Kind::with_);
  s->items = std::move(items);
  s->body = std::move(body);
  s->is_async = is_async;
  return s;
}

StmtPtr function(std::string id, std::vector<std::string> params, Block body, bool is_async) {
  std::vector<Parameter> ps;
  for (auto& name : params) {
    Parameter p;
    p.name = std::move(name);
    ps.push_back(std::move(p));
  }
  return function(std::move(id), std::move(ps), std::move(body), is_async);
}

StmtPtr function(std::string id, std::vector<Parameter> params, Block body, bool is_async) {
  auto s = stmt(Stmt::Kind::function);
  s->name = std::move(id);
  s->params = std::move(params);
  s->body = std::move(body);
  s->is_async = is_async;
  return s;
}

StmtPtr global(std::vector<std::string> names) {
  auto s = stmt(Stmt::Kind::global);
  s->names = std::move(names);
  return s;
}

StmtPtr pass() {
  return stmt(Stmt::Kind::pass);
}

StmtPtr import(std::string module) {
  auto s = stmt(Stmt::Kind::import);
  s->imports.push_back({std::move(module), {}});
  return s;
}

StmtPtr comment(std::string text) {
  auto s = stmt(Stmt::Kind::comment);
  s->name = std::move(text);
  return s;
}

StmtPtr blank() {
  return stmt(Stmt::Kind::blank);
}

StmtPtr try_(Block body, std::vector<Handler> handlers, Block finalbody) {
  auto s = stmt(Stmt::Kind::try_);
  s->body = std::move(body);
  s->handlers = std::move(handlers);
  s->finalbody = std::move(finalbody);
  return s;
}

} // namespace asyncdemo::script::ast

namespace asyncdemo {

Expr::~Expr() {
  // The children of every node below are moved out before it is freed, so
  // each node's own destructor finds nothing to recurse into. F-strings'
  // fields are left to recursion: they nest at most as deep as the parsers
  // allow.
  std::vector<ExprPtr> pending;
  const auto detach = [&pending](Expr& e) {
    for (auto& a : e.args)
      if (a) pending.push_back(std::move(a));
    e.args.clear();
    if (e.callee) pending.push_back(std::move(e.callee));
    for (auto& c : e.clauses) {
      if (c.target) pending.push_back(std::move(c.target));
      if (c.iter) pending.push_back(std::move(c.iter));
      for (auto& i : c.ifs)
        if (i) pending.push_back(std::move(i));
    }
    e.clauses.clear();
    for (auto& p : e.params) {
      if (p.default_value) pending.push_back(std::move(p.default_value));
      if (p.annotation) pending.push_back(std::move(p.annotation));
    }
    e.params.clear();
  };
  detach(*this);
  while (!pending.empty()) {
    ExprPtr e = std::move(pending.back());
    pending.pop_back();
    detach(*e);
  }
}

} // namespace asyncdemo
