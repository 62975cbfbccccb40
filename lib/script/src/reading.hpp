#pragma once
// What reading a scenario file's parts shares (private to the language):
// where a node is, the one-line failure FILE:LINE:COLUMN, a value's checks,
// the names a body defines, expressions parsed and resolved, and a list of
// steps read verb by verb (the table in verbs.cpp). The reader (reader.cpp)
// reads the file's top with these; each verb reads its own step.
#include "asyncdemo/script/program.hpp"

#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace asyncdemo::script {

// The longest a literal duration may be: a year (the real clock would wait).
inline constexpr double max_seconds = 365.0 * 86400;

// A file that is not a scenario: the one line, thrown to load_text.
struct Failure {
  std::string message;
};

// Names a file cannot give to a parameter or a variable: Python's keywords
// and builtins the twin uses, and the twin's own names.
const std::set<std::string, std::less<>>& reserved();
// The run's own options: a parameter cannot take their names.
const std::set<std::string, std::less<>>& option_names();
// A lowercase Python name of at most 40 characters.
bool identifier(std::string_view s);

// A body's names: its slots, and which are defined so far.
struct Scope {
  std::vector<std::string>* slots;
  std::vector<std::string>* tasks;
  std::set<std::string> defined;
  std::set<std::string> defined_tasks;
  int depth = 0;

  int slot(const std::string& name) {
    for (std::size_t i = 0; i < slots->size(); ++i)
      if ((*slots)[i] == name) return static_cast<int>(i);
    slots->push_back(name);
    return static_cast<int>(slots->size() - 1);
  }
  int task(const std::string& name) {
    for (std::size_t i = 0; i < tasks->size(); ++i)
      if ((*tasks)[i] == name) return static_cast<int>(i);
    tasks->push_back(name);
    return static_cast<int>(tasks->size() - 1);
  }
  int blocks = 0; // inside a with or timeout block (no return there)
  // Two slots only the interpreter uses (a repeat's count and counter).
  int hidden() {
    slots->push_back("");
    slots->push_back("");
    return static_cast<int>(slots->size() - 2);
  }
};

class Reading;

// A file's name as a message shows it: whatever it holds, one line that
// changes nothing on the terminal.
inline std::string shown(const std::string& file) {
  return escape_like_repr(file);
}

// One step as its verb reads it (verbs.hpp).
struct StepArgs {
  Reading& reader;
  const toml::table& table; // the step: { verb = arg, key = ... }
  const toml::node& node;   // the same, as a node (for its place)
  const toml::node& arg;    // the verb's own value
  Scope& scope;
  bool& returns; // set by a return step
  bool in_main;
  std::vector<Instr>& out; // where its instructions go
};

class Reading {
public:
  Reading(std::string file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}

  // ---- messages ----

  Pos pos_of(const toml::node& n) const {
    return Pos{static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
  }
  [[noreturn]] void fail(Pos p, const std::string& message) const {
    throw Failure{fmt::format("{}:{}:{}: {}", shown(file_), p.line, p.column, message)};
  }
  [[noreturn]] void fail(const toml::node& n, const std::string& message) const {
    fail(pos_of(n), message);
  }
  // toml++'s descriptions, first letter small, no final period.
  static std::string plain(std::string_view d) {
    std::string s(d);
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && (s.size() < 2 || s[1] < 'A' || s[1] > 'Z'))
      s[0] = static_cast<char>(s[0] - 'A' + 'a');
    return s;
  }
  static const char* type_of(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "a date or time";
    }
  }
  void only_keys(const toml::table& t, std::initializer_list<std::string_view> known,
                 std::string_view where) const {
    only_keys(t, std::vector<std::string_view>(known), where);
  }
  void only_keys(const toml::table& t, const std::vector<std::string_view>& known,
                 std::string_view where) const {
    for (const auto& [key, node] : t) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::vector<std::string> names(known.begin(), known.end());
      const auto near = closest(key.str(), names);
      fail(Pos{static_cast<int>(key.source().begin.line),
               static_cast<int>(key.source().begin.column)},
           fmt::format("{} is not a key of {}{}; use {}", quote(key.str()), where,
                       near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                       fmt::join(known, ", ")));
    }
  }
  const toml::node& need(const toml::table& t, std::string_view key, const toml::node& where,
                         std::string_view what) const {
    const auto* n = t.get(key);
    if (!n) fail(where, fmt::format("{} needs '{}' ({})", what_of(where), key, what));
    return *n;
  }
  static std::string what_of(const toml::node&) { return "this table"; }
  std::string text_of(const toml::node& n, std::string_view what, std::size_t max = 200) const {
    const auto* s = n.as_string();
    if (!s) fail(n, fmt::format("{} must be a string, not {}", what, type_of(n)));
    const std::string& v = s->get();
    if (!valid_utf8(v)) fail(n, fmt::format("{} is not valid UTF-8", what));
    if (v.size() > max) fail(n, fmt::format("{} is {} bytes; at most {}", what, v.size(), max));
    return v;
  }

  bool is_shared(std::string_view name) const {
    return std::any_of(script_->shared.begin(), script_->shared.end(),
                       [&](const SharedSpec& sp) { return sp.name == name; });
  }

  // A shared name of one of these kinds, for a verb that takes one.
  int shared_of(const toml::node& n, std::initializer_list<SharedSpec::Kind> kinds,
                std::string_view verb, std::string_view example) const {
    const auto name = text_of(n, "a shared name", 40);
    std::vector<std::string> known;
    for (std::size_t i = 0; i < script_->shared.size(); ++i) {
      const auto& sp = script_->shared[i];
      if (std::find(kinds.begin(), kinds.end(), sp.kind) == kinds.end()) continue;
      if (sp.name == name) return static_cast<int>(i);
      known.push_back(sp.name);
    }
    std::vector<std::string> wanted;
    for (const auto k : kinds)
      wanted.emplace_back(python_class(k));
    fail(n, fmt::format("{} names no {} of [shared]; a {} step takes one, e.g. [shared] {}{}",
                        quote(name), fmt::join(wanted, " or "), verb, example,
                        known.empty() ? std::string()
                                      : fmt::format(" (known: {})", fmt::join(known, ", "))));
  }

  bool is_value(std::string_view name) const {
    return std::any_of(script_->values.begin(), script_->values.end(),
                       [&](const ValueSpec& v) { return v.name == name; });
  }

  // A parameter's, a value's or a shared name: the globals a local must
  // not hide.
  bool is_param(std::string_view name) const {
    return std::any_of(script_->params.begin(), script_->params.end(),
                       [&](const ParamSpec& p) { return p.name == name; }) ||
           std::any_of(script_->values.begin(), script_->values.end(),
                       [&](const ValueSpec& v) { return v.name == name; }) ||
           is_shared(name);
  }

  int coroutine_index(const toml::node& n) const {
    const auto name = text_of(n, "a coroutine's name", 60);
    for (std::size_t i = 0; i < script_->coroutines.size(); ++i)
      if (script_->coroutines[i].function == name) return static_cast<int>(i);
    std::vector<std::string> names;
    for (const auto& c : script_->coroutines)
      names.push_back(c.function);
    const auto near = closest(name, names);
    fail(n, fmt::format("{} names no coroutine or job{}", quote(name),
                        near ? fmt::format(" (did you mean '{}'?)", *near) : std::string()));
  }

  static int slot_named(const std::vector<std::string>& slots, std::string_view name) {
    const auto at = std::find(slots.begin(), slots.end(), name);
    return at == slots.end() ? -1 : static_cast<int>(at - slots.begin());
  }

  // A list of steps, each read by its verb (verbs.cpp), into `out`.
  void steps_of(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
                bool in_main);
  // One step: its verb found, its keys checked, then read by the verb.
  void step(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
            bool in_main);

  // Seconds that may be negative or zero (a timeout's: at once).
  ExprPtr seconds_value(const toml::node& n, Scope& scope, const std::string& verb) {
    if (n.is_integer() || n.is_floating_point()) {
      const double v = *n.value<double>();
      if (!std::isfinite(v) || std::abs(v) > max_seconds)
        fail(n, fmt::format("{} takes seconds up to {:g} (a year), not {}", verb, max_seconds,
                            py_float_repr(v)));
    } else if (!n.is_string()) {
      fail(n, fmt::format("{} takes seconds: a number, or an expression in a string such as "
                          "\"limit\", not {}",
                          verb, type_of(n)));
    }
    return expression(n, scope);
  }

  // A [shared] variable's global slot, or -1.
  int shared_value(const toml::node& n) const {
    const auto* str = n.as_string();
    if (!str) return -1;
    for (const auto& sp : script_->shared)
      if (sp.name == str->get()) {
        if (sp.kind != SharedSpec::Kind::value)
          fail(n, fmt::format("{} is a {} of [shared]: it cannot be assigned", quote(sp.name),
                              python_class(sp.kind)));
        return sp.global;
      }
    return -1;
  }

  // A coroutine that a step awaits or starts: a helper, or a job without
  // count or each (one with them is the mode's to run).
  void check_call(const toml::node& n, int target) const {
    const auto& c = script_->coroutines[static_cast<std::size_t>(target)];
    if (c.job && c.per_task)
      fail(n, fmt::format("{} runs once per index or item; call a [[coroutine]] instead",
                          quote(c.function)));
    if (calling_ == target) fail(n, fmt::format("{} cannot call itself", quote(c.function)));
  }

  int define(const toml::node& n, Scope& scope) {
    if (const auto* str = n.as_string(); str && is_shared(str->get()))
      fail(n, fmt::format("{} is shared ([shared]): set it with a set step, not as a step's result",
                          quote(str->get())));
    const auto name = text_of(n, "a variable's name", 40);
    if (!identifier(name) || reserved().count(name) || is_param(name))
      fail(n, fmt::format("{} cannot be a variable's name; use lowercase letters, digits and "
                          "underscores, not a parameter's or Python's name",
                          quote(name)));
    scope.defined.insert(name);
    return scope.slot(name);
  }

  int define_task(const toml::node& n, Scope& scope) {
    const auto name = text_of(n, "a task's name", 40);
    if (!identifier(name) || reserved().count(name) || is_param(name) || scope.defined.count(name))
      fail(n, fmt::format("{} cannot be a task variable's name", quote(name)));
    scope.defined_tasks.insert(name);
    return scope.task(name);
  }

  int task_of(const toml::node& n, Scope& scope) const {
    const auto name = text_of(n, "a task's name", 40);
    if (!scope.defined_tasks.count(name))
      fail(n, fmt::format("{} names no task made before this step (a task step makes one: "
                          "{{ task = \"worker\", as = \"{}\" }})",
                          quote(name), name));
    return scope.task(name);
  }

  // ---- values ----

  // Text with {placeholders}, each resolved in the body's scope.
  FString text_in(const toml::node& n, std::string_view what, std::size_t max, Scope& scope) {
    auto f = fstring(n, text_of(n, what, max));
    for (auto& piece : f.pieces)
      if (piece.expr) resolve_in(*piece.expr, scope, n, piece.offset + 1);
    return f;
  }

  FString fstring(const toml::node& n, const std::string& text) const {
    ExprError error;
    auto f = parse_fstring(text, error);
    if (!f) fail(at(n, error.offset + 1), error.message + " (in this text)");
    return std::move(*f);
  }

  // A position inside a string node: its start, plus the offset (the
  // opening quote counts one).
  Pos at(const toml::node& n, int offset) const {
    auto p = pos_of(n);
    p.column += offset;
    return p;
  }

  // A value: a TOML number or boolean as it is, a string as an expression,
  // an array as a list.
  ExprPtr expression(const toml::node& n, Scope& scope) {
    if (const auto* s = n.as_string()) {
      ExprError error;
      auto e = parse_expr(s->get(), error);
      if (!e) fail(at(n, error.offset + 1), error.message);
      resolve_in(*e, scope, n, 1);
      return e;
    }
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::literal;
    e->literal = literal(n);
    return e;
  }

  Object literal(const toml::node& n) const {
    if (const auto* i = n.as_integer()) return Object(i->get());
    if (const auto* f = n.as_floating_point()) {
      if (!std::isfinite(f->get())) fail(n, "a number must be finite, not inf or nan");
      return Object(f->get());
    }
    if (const auto* b = n.as_boolean()) return Object(b->get());
    if (const auto* a = n.as_array()) {
      if (a->size() > max_list_items)
        fail(n, fmt::format("a list has at most {} items", max_list_items));
      List out;
      for (const auto& x : *a)
        out.push_back(x.is_string() ? Object(x.as_string()->get()) : literal(x));
      return Object(std::move(out));
    }
    fail(n, fmt::format("a value is a number, a boolean, an array or an expression in a string, "
                        "not {}",
                        type_of(n)));
  }

  ExprPtr duration(const toml::node& n, Scope& scope, const std::string& verb) {
    if (n.is_integer() || n.is_floating_point()) {
      const double v = *n.value<double>();
      if (!std::isfinite(v) || v < 0 || v > max_seconds)
        fail(n, fmt::format("{} takes seconds from 0 to {:g} (a year), not {}", verb, max_seconds,
                            py_float_repr(v)));
    } else if (!n.is_string()) {
      fail(n, fmt::format("{} takes seconds: a number, or an expression in a string such as "
                          "\"delay\", not {}",
                          verb, type_of(n)));
    }
    return expression(n, scope);
  }

  ExprPtr count(const toml::node& n, Scope& scope, const std::string& verb) {
    if (n.is_integer()) {
      const auto v = *n.value<std::int64_t>();
      if (v < 0 || v > max_count)
        fail(n, fmt::format("{} takes a whole number from 0 to {}, not {}", verb, max_count, v));
    } else if (!n.is_string()) {
      fail(n, fmt::format("{} takes a whole number, or an expression in a string, not {}", verb,
                          type_of(n)));
    }
    return expression(n, scope);
  }

  // count and each are known before the run: they may use the parameters only.
  ExprPtr params_only(const toml::node& n) {
    std::vector<std::string> none, no_tasks;
    Scope scope{&none, &no_tasks, {}, {}, 0};
    if (n.is_integer()) return count(n, scope, "count");
    auto e = expression(n, scope);
    const std::function<bool(const Expr&)> uses_value = [&](const Expr& x) {
      if (x.kind == Expr::Kind::name && x.ref.scope == NameRef::Scope::global &&
          x.ref.slot >= static_cast<int>(script_->params.size()))
        return true;
      return std::any_of(x.args.begin(), x.args.end(),
                         [&](const auto& a) { return uses_value(*a); });
    };
    if (none.size() > 8) fail(n, "count and each hold at most 8 comprehensions");
    if (uses_value(*e))
      fail(n, "count and each use only the parameters, which are known before the run");
    return e;
  }

  void resolve_in(Expr& e, Scope& scope, const toml::node& where, int base) {
    const Resolver find = [&](const std::string& name) -> std::optional<NameRef> {
      for (std::size_t i = 0; i < script_->params.size(); ++i)
        if (script_->params[i].name == name)
          return NameRef{NameRef::Scope::global, static_cast<int>(i)};
      for (std::size_t i = 0; i < script_->values.size(); ++i)
        if (script_->values[i].name == name)
          return NameRef{NameRef::Scope::global, static_cast<int>(script_->params.size() + i)};
      if (scope.defined.count(name)) return NameRef{NameRef::Scope::local, scope.slot(name)};
      for (const auto& sp : script_->shared)
        if (sp.name == name && sp.kind == SharedSpec::Kind::value)
          return NameRef{NameRef::Scope::global, sp.global};
      return std::nullopt;
    };
    const auto new_slot = [&](const std::string& name) {
      if (reserved().count(name) || is_param(name))
        fail(where, fmt::format("{} cannot be a comprehension's name", quote(name)));
      return NameRef{NameRef::Scope::local, scope.slot(name)};
    };
    ExprError error;
    if (!resolve(e, find, new_slot, error)) {
      std::vector<std::string> known(scope.defined.begin(), scope.defined.end());
      for (const auto& p : script_->params)
        known.push_back(p.name);
      for (const auto& v : script_->values)
        known.push_back(v.name);
      for (const auto& sp : script_->shared)
        if (sp.kind == SharedSpec::Kind::value) known.push_back(sp.name);
      const auto near = closest(error.message, known);
      fail(at(where, base + error.offset),
           fmt::format("{} names nothing here{}; {}", quote(error.message),
                       near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                       known.empty() ? std::string("no parameter or variable is known here")
                                     : fmt::format("known here: {}", fmt::join(known, ", "))));
    }
  }

  Script& script() { return *script_; }
  // The coroutine whose steps are being read (-1: main, values, ...).
  int calling() const { return calling_; }

protected:
  std::string file_;
  std::string text_;
  Script* script_ = nullptr;
  int calling_ = -1;
};

} // namespace asyncdemo::script
