// Reading a scenario file (TOML, docs/scenario-files.md) into a Script:
// every key, type, value and name is checked here, so that what runs and
// what is written as Python are both sound. Errors are one line, starting
// FILE:LINE:COLUMN.
#include "asyncdemo/script/program.hpp"

#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace asyncdemo::script {

namespace {

// The longest a literal duration may be: a year (the real clock would wait).
constexpr double max_seconds = 365.0 * 86400;

// Names a file cannot give to a parameter or a variable: Python's keywords
// and builtins the twin uses, and the twin's own names.
const std::set<std::string, std::less<>>& reserved() {
  static const std::set<std::string, std::less<>> names{
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
      "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
      "while", "with", "yield", "str", "int", "float", "bool", "len", "round", "abs", "min", "max",
      "sum", "range", "now", "random", "print", "asyncio", "time", "main", "SCALE", "START",
      "started", "task", "next_done", "list", "dict", "set", "type", "id", "input", "open",
      "format", "repr", "results", "result", "index", "item",
      // the twin's own names for taskgroup and wait steps
      "_tg", "_group", "_tasks", "_done", "_pending", "_t", "threading", "TimeoutError"};
  return names;
}

// The run's own options: a parameter cannot take their names.
const std::set<std::string, std::less<>>& option_names() {
  static const std::set<std::string, std::less<>> names{
      "mode",    "clock", "speed",  "color", "format",  "timeline", "trace", "runs", "quiet",
      "verbose", "seed",  "python", "help",  "version", "html",     "svg",   "step", "expect"};
  return names;
}

bool identifier(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct Failure {
  std::string message;
};

class Loader {
public:
  Loader(std::string file, std::string text) : file_(std::move(file)), text_(std::move(text)) {}

  std::shared_ptr<const Script> load() {
    toml::table root;
    try {
      root = toml::parse(text_, file_);
    } catch (const toml::parse_error& e) {
      throw Failure{fmt::format("{}:{}:{}: {}", file_, e.source().begin.line,
                                e.source().begin.column, plain(e.description()))};
    }
    auto s = std::make_shared<Script>();
    s->file = file_;
    s->source = text_;
    script_ = s.get();
    top(root);
    return s;
  }

private:
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

  // ---- messages ----

  Pos pos_of(const toml::node& n) const {
    return Pos{static_cast<int>(n.source().begin.line), static_cast<int>(n.source().begin.column)};
  }
  [[noreturn]] void fail(Pos p, const std::string& message) const {
    throw Failure{fmt::format("{}:{}:{}: {}", file_, p.line, p.column, message)};
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

  // ---- the top ----

  void top(const toml::table& root) {
    only_keys(root,
              {"name", "summary", "origin", "default_mode", "modes", "params", "values", "shared",
               "job", "coroutine", "main"},
              "a scenario file");
    auto& s = *script_;
    s.name = std::filesystem::path(file_).stem().string();
    if (const auto* n = root.get("name")) {
      s.name = text_of(*n, "name", 40);
      if (s.name.empty() || !std::all_of(s.name.begin(), s.name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
          }))
        fail(*n, fmt::format("name {} is not a scenario name; use lowercase letters, digits and "
                             "dashes, e.g. \"kitchen\"",
                             quote(s.name)));
    }
    if (const auto* n = root.get("summary")) {
      s.summary = text_of(*n, "summary");
      if (s.summary.find('\n') != std::string::npos) fail(*n, "summary is one line");
    }
    if (const auto* n = root.get("origin")) s.origin = text_of(*n, "origin", 40);
    if (const auto* n = root.get("params")) params(*n);
    if (const auto* n = root.get("values")) values(*n);
    if (const auto* n = root.get("shared")) shared(*n);
    if (const auto* m = root.get("main")) {
      const auto* t = m->as_table();
      if (!t) fail(*m, fmt::format("[main] must be a table, not {}", type_of(*m)));
      s.main.explicit_steps = t->get("steps") != nullptr;
    }
    declare_coroutines(root);
    modes(root);
    for (std::size_t i = 0; i < s.coroutines.size(); ++i)
      coroutine_body(i);
    calling_ = -1;
    no_cycles();
    main_body(root);
    loop_only(root);
    if (s.main.explicit_steps == false &&
        std::none_of(s.coroutines.begin(), s.coroutines.end(), [](const auto& c) { return c.job; }))
      fail(Pos{1, 1}, "a scenario needs at least one [[job]] (or a [main] with steps)");
    light_and_counts();
  }

  void modes(const toml::table& root) {
    auto& s = *script_;
    if (const auto* n = root.get("modes")) {
      const auto* a = n->as_array();
      if (!a || a->empty())
        fail(*n, "modes must be an array of modes, e.g. [\"sync\", \"gather\"]");
      for (const auto& m : *a) {
        const auto name = text_of(m, "a mode", 20);
        const auto mode = parse_mode(name);
        if (!mode || !is_asyncio_mode(*mode))
          fail(m, fmt::format("{} is not a mode; use sync, await, create_task, gather or "
                              "as_completed",
                              quote(name)));
        if (std::find(s.modes.begin(), s.modes.end(), *mode) != s.modes.end())
          fail(m, fmt::format("mode {} is listed twice", quote(name)));
        s.modes.push_back(*mode);
      }
    } else if (s.main.explicit_steps) {
      s.modes = {Mode::create_task}; // the program's own shape: one mode
    } else {
      s.modes.assign(every_mode.begin(), every_mode.end());
    }
    if (s.main.explicit_steps && s.modes.size() != 1)
      fail(*root.get("modes"), "a [main] with steps runs in its own way: give one mode at most");
    s.default_mode = s.modes.front();
    if (std::find(s.modes.begin(), s.modes.end(), Mode::gather) != s.modes.end())
      s.default_mode = Mode::gather;
    if (const auto* n = root.get("default_mode")) {
      const auto name = text_of(*n, "default_mode", 20);
      const auto mode = parse_mode(name);
      if (!mode || std::find(s.modes.begin(), s.modes.end(), *mode) == s.modes.end())
        fail(*n, fmt::format("default_mode {} is not one of this scenario's modes ({})",
                             quote(name), join(s.modes)));
      s.default_mode = *mode;
    }
  }

  // ---- parameters ----

  void params(const toml::node& node) {
    const auto* t = node.as_table();
    if (!t) fail(node, fmt::format("params must be a table of parameters, not {}", type_of(node)));
    for (const auto& [key, value] : *t) {
      const std::string name(key.str());
      if (!identifier(name) || name.front() == '_')
        fail(value, fmt::format("{} is not a parameter name; use lowercase letters, digits and "
                                "underscores, e.g. eggs_time",
                                quote(name)));
      if (reserved().count(name))
        fail(value, fmt::format("{} is a name Python or the program uses; name the parameter "
                                "otherwise",
                                quote(name)));
      ParamSpec p;
      p.name = name;
      p.option = name;
      std::replace(p.option.begin(), p.option.end(), '_', '-');
      if (option_names().count(p.option))
        fail(value, fmt::format("--{} is one of asyncdemo's own options; name the parameter "
                                "otherwise",
                                p.option));
      p.pos = pos_of(value);
      param(p, value);
      script_->params.push_back(std::move(p));
    }
  }

  void param(ParamSpec& p, const toml::node& node) {
    const auto* t = node.as_table();
    if (!t)
      fail(node, fmt::format("params.{} must be a table (default, help, ...), not {}", p.name,
                             type_of(node)));
    only_keys(
        *t,
        {"default", "help", "type", "min", "max", "choices", "items", "count", "allow", "example"},
        fmt::format("params.{}", p.name));
    if (const auto* e = t->get("example")) p.example = text_of(*e, "example", 100);
    if (const auto* h = t->get("help")) p.help = text_of(*h, "help");
    const auto& d = need(*t, "default", node, "the value it takes when not given");
    // The kind: given, or the default's own.
    if (const auto* k = t->get("type")) {
      const auto kind = text_of(*k, "type", 20);
      static const std::map<std::string, ParamSpec::Kind> kinds{
          {"number", ParamSpec::Kind::number}, {"seconds", ParamSpec::Kind::seconds},
          {"whole", ParamSpec::Kind::whole},   {"text", ParamSpec::Kind::text},
          {"list", ParamSpec::Kind::list},     {"choice", ParamSpec::Kind::choice},
          {"flag", ParamSpec::Kind::flag}};
      const auto it = kinds.find(kind);
      if (it == kinds.end())
        fail(*k, fmt::format("type {} is not a kind of parameter; use number, seconds, whole, "
                             "text, list, choice or flag",
                             quote(kind)));
      p.kind = it->second;
    } else if (d.is_integer()) {
      p.kind = ParamSpec::Kind::whole;
    } else if (d.is_floating_point()) {
      p.kind = ParamSpec::Kind::number;
    } else if (d.is_boolean()) {
      p.kind = ParamSpec::Kind::flag;
    } else if (d.is_array()) {
      p.kind = ParamSpec::Kind::list;
    } else {
      p.kind = t->get("choices") ? ParamSpec::Kind::choice : ParamSpec::Kind::text;
    }
    auto number = [&](const char* key) -> std::optional<double> {
      const auto* n = t->get(key);
      if (!n) return std::nullopt;
      const auto v = n->value<double>();
      if (!v || !std::isfinite(*v)) fail(*n, fmt::format("{} must be a number", key));
      return *v;
    };
    p.min = number("min");
    p.max = number("max");
    if (const auto* c = t->get("choices")) {
      const auto* a = c->as_array();
      if (!a || a->empty()) fail(*c, "choices must be an array of texts");
      for (const auto& x : *a)
        p.choices.push_back(text_of(x, "a choice", 40));
    }
    if (const auto* c = t->get("items")) {
      const auto kind = text_of(*c, "items", 20);
      if (kind == "number")
        p.items = ParamSpec::Kind::number;
      else if (kind == "seconds")
        p.items = ParamSpec::Kind::seconds;
      else if (kind == "whole")
        p.items = ParamSpec::Kind::whole;
      else if (kind == "text")
        p.items = ParamSpec::Kind::text;
      else
        fail(*c, "items is number, seconds, whole or text");
    }
    if (const auto* c = t->get("count")) {
      const auto v = c->value<std::int64_t>();
      if (!v || *v < 1 || static_cast<std::size_t>(*v) > max_list_items)
        fail(*c, fmt::format("count must be a whole number from 1 to {}", max_list_items));
      p.count = static_cast<std::size_t>(*v);
    }
    if (const auto* c = t->get("allow")) {
      const auto* a = c->as_array();
      if (!a) fail(*c, "allow must be an array of words, e.g. [\"random\"]");
      for (const auto& x : *a)
        p.allow.push_back(text_of(x, "an allowed word", 40));
    }
    if (p.kind == ParamSpec::Kind::choice && p.choices.empty())
      fail(node, fmt::format("params.{} is a choice: give its choices", p.name));
    p.default_text = default_text(d);
    std::string why;
    if (!p.read(p.default_text, why))
      fail(d, fmt::format("the default of params.{} does not pass its own check: {}", p.name, why));
  }

  // The default as the command line would write it.
  std::string default_text(const toml::node& d) const {
    if (const auto* s = d.as_string()) return s->get();
    if (const auto* i = d.as_integer()) return std::to_string(i->get());
    if (const auto* f = d.as_floating_point()) return py_float_repr(f->get());
    if (const auto* b = d.as_boolean()) return b->get() ? "true" : "false";
    if (const auto* a = d.as_array()) {
      std::string out;
      for (const auto& x : *a) {
        if (!out.empty()) out += ',';
        out += default_text(x);
      }
      return out;
    }
    fail(d, "a default is a number, a text, a boolean or an array");
  }

  // [values]: name = "expression", worked out in order before main.
  void values(const toml::node& node) {
    const auto* t = node.as_table();
    if (!t)
      fail(node, fmt::format("values must be a table of name = value, not {}", type_of(node)));
    for (const auto& [key, value] : *t) {
      const std::string name(key.str());
      if (!identifier(name) || reserved().count(name) || is_param(name) || is_value(name))
        fail(value, fmt::format("{} cannot be a value's name; use lowercase letters, digits and "
                                "underscores, not a parameter's or Python's name",
                                quote(name)));
      std::vector<std::string> slots, tasks;
      Scope scope{&slots, &tasks, {}, {}, 0};
      ValueSpec v;
      v.name = name;
      v.pos = pos_of(value);
      v.expr = expression(value, scope);
      script_->values.push_back(std::move(v));
      if (slots.size() > 8) fail(value, "a value's expression has at most 8 comprehensions");
    }
  }

  // [shared]: name = "Lock()" (or Semaphore(n), BoundedSemaphore(n),
  // Event(), Queue(maxsize)), or name = a value every coroutine may assign.
  void shared(const toml::node& node) {
    const auto* t = node.as_table();
    if (!t)
      fail(node, fmt::format("shared must be a table of name = value, not {}", type_of(node)));
    int values = 0;
    for (const auto& [key, value] : *t) {
      const std::string name(key.str());
      if (!identifier(name) || reserved().count(name) || is_param(name) || is_shared(name))
        fail(value, fmt::format("{} cannot be a shared name; use lowercase letters, digits and "
                                "underscores, not a parameter's, a value's or Python's name",
                                quote(name)));
      SharedSpec sp;
      sp.name = name;
      sp.pos = pos_of(value);
      std::vector<std::string> slots, tasks;
      Scope scope{&slots, &tasks, {}, {}, 0};
      if (const auto* str = value.as_string(); str && primitive(*str, value, sp, scope)) {
        script_->shared.push_back(std::move(sp));
        continue;
      }
      sp.kind = SharedSpec::Kind::value;
      sp.expr = expression(value, scope);
      if (slots.size() > 8) fail(value, "a shared value's expression has at most 8 comprehensions");
      sp.global = static_cast<int>(script_->params.size() + script_->values.size()) + values++;
      script_->shared.push_back(std::move(sp));
    }
  }

  // "Lock()", "Semaphore(limit)", ...: a primitive (true), or an expression.
  bool primitive(const toml::value<std::string>& str, const toml::node& node, SharedSpec& sp,
                 Scope& scope) {
    std::string_view text = str.get();
    if (text.substr(0, 8) == "asyncio.") text.remove_prefix(8);
    static const std::array<std::pair<std::string_view, SharedSpec::Kind>, 5> kinds{{
        {"Lock", SharedSpec::Kind::lock},
        {"Semaphore", SharedSpec::Kind::semaphore},
        {"BoundedSemaphore", SharedSpec::Kind::bounded_semaphore},
        {"Event", SharedSpec::Kind::event},
        {"Queue", SharedSpec::Kind::queue},
    }};
    const auto open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')') return false;
    const auto head = text.substr(0, open);
    const auto it =
        std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == head; });
    if (it == kinds.end()) return false;
    sp.kind = it->second;
    auto arg = std::string(text.substr(open + 1, text.size() - open - 2));
    if (sp.kind == SharedSpec::Kind::queue && arg.substr(0, 8) == "maxsize=") arg.erase(0, 8);
    const bool takes = sp.kind == SharedSpec::Kind::semaphore ||
                       sp.kind == SharedSpec::Kind::bounded_semaphore ||
                       sp.kind == SharedSpec::Kind::queue;
    if (arg.find_first_not_of(' ') == std::string::npos) return true; // the default
    if (!takes) fail(node, fmt::format("{}() takes no argument, e.g. \"{}()\"", head, head));
    ExprError error;
    auto e = parse_expr(arg, error);
    if (!e)
      fail(at(node, static_cast<int>(open) + 2 + error.offset), error.message + " (in this text)");
    resolve_in(*e, scope, node, static_cast<int>(open) + 2);
    sp.expr = std::move(e);
    return true;
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

  // ---- jobs and coroutines ----

  void declare_coroutines(const toml::table& root) {
    for (const auto* key : {"job", "coroutine"}) {
      const auto* n = root.get(key);
      if (!n) continue;
      const auto* a = n->as_array();
      if (!a) fail(*n, fmt::format("{0} must be an array of tables: write [[{0}]]", key));
      for (const auto& item : *a) {
        const auto* t = item.as_table();
        if (!t) fail(item, fmt::format("each [[{}]] is a table", key));
        const bool job = std::string_view(key) == "job";
        Coroutine c;
        c.job = job;
        c.pos = pos_of(item);
        if (job)
          only_keys(*t, {"name", "count", "each", "steps", "on_cancel"}, "a [[job]]");
        else
          only_keys(*t, {"name", "steps", "on_cancel"}, "a [[coroutine]]");
        const auto& name = need(*t, "name", item, job ? "the task's name" : "the name calls use");
        const auto text = text_of(name, "name", 60);
        if (job) {
          c.task_name = fstring(name, text);
          c.function = identifier(text) && !reserved().count(text) && !is_param(text)
                           ? text
                           : fmt::format("job{}", jobs_seen_ + 1);
          ++jobs_seen_;
        } else {
          if (!identifier(text) || reserved().count(text) || is_param(text))
            fail(name, fmt::format("coroutine name {} is not a Python name of its own; use "
                                   "lowercase letters, digits and underscores",
                                   quote(text)));
          c.function = text;
        }
        for (const auto& other : script_->coroutines)
          if (other.function == c.function)
            fail(name, fmt::format("{} names two {}", quote(text),
                                   job ? "jobs" : "coroutines (or a coroutine and a job)"));
        script_->coroutines.push_back(std::move(c));
        tables_.push_back(t);
      }
    }
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

  void coroutine_body(std::size_t i) {
    auto& c = script_->coroutines[i];
    calling_ = static_cast<int>(i);
    const auto& t = *tables_[i];
    Scope scope{&c.body.slot_names, &c.body.task_names, {}, {}, 0};
    if (c.job) {
      const bool has_count = t.get("count") != nullptr, has_each = t.get("each") != nullptr;
      if (has_count && has_each) fail(*t.get("each"), "a job has count or each, not both");
      c.per_task = has_count || has_each;
      // index and item are defined, but take a slot only once read.
      if (c.per_task) scope.defined.insert("index");
      if (has_count) c.count = params_only(*t.get("count"));
      if (has_each) {
        c.each = params_only(*t.get("each"));
        scope.defined.insert("item");
      }
      // The task's name may use index, item and the parameters.
      Scope names{&c.name_slot_names, &c.body.task_names, scope.defined, {}, 0};
      for (auto& piece : c.task_name.pieces)
        if (piece.expr) resolve_in(*piece.expr, names, *t.get("name"), piece.offset + 1);
      c.name_index_slot = slot_named(c.name_slot_names, "index");
      c.name_item_slot = slot_named(c.name_slot_names, "item");
    }
    const auto* steps = t.get("steps");
    if (!steps)
      fail(c.pos, fmt::format("{} needs steps, e.g. steps = [ {{ print = \"hello\" }} ]",
                              c.job ? "a [[job]]" : "a [[coroutine]]"));
    steps_of(*steps, c.body.code, scope, c.body.returns, false);
    if (c.body.code.empty()) fail(*steps, "an empty job does nothing; give it at least one step");
    if (const auto* oc = t.get("on_cancel")) {
      bool ignored = false;
      steps_of(*oc, c.body.on_cancel, scope, ignored, false);
    }
    c.index_slot = slot_named(c.body.slot_names, "index");
    c.item_slot = slot_named(c.body.slot_names, "item");
    c.body.lean = c.body.on_cancel.empty() &&
                  std::all_of(c.body.code.begin(), c.body.code.end(), [](const Instr& in) {
                    return in.op <= Instr::Op::ret; // print ... return: no other coroutine
                  });
  }

  void main_body(const toml::table& root) {
    auto& m = script_->main;
    const auto* node = root.get("main");
    if (!node) return;
    const auto& t = *node->as_table();
    only_keys(t, {"before", "each", "after", "steps"}, "[main]");
    Scope scope{&m.slot_names, &m.task_names, {}, {}, 0};
    bool returns = false;
    if (const auto* s = t.get("steps")) {
      for (const auto* other : {"before", "each", "after"})
        if (t.get(other))
          fail(*t.get(other), fmt::format("[main] with steps runs them alone: move '{}' into "
                                          "the steps",
                                          other));
      steps_of(*s, m.steps.code, scope, returns, true);
      m.slots = static_cast<int>(m.slot_names.size());
      m.tasks = static_cast<int>(m.task_names.size());
      return;
    }
    if (const auto* s = t.get("before")) steps_of(*s, m.before.code, scope, returns, true);
    m.results_slot = scope.slot("results");
    m.result_slot = scope.slot("result");
    scope.defined.insert("results");
    scope.defined.insert("result");
    if (const auto* s = t.get("each")) steps_of(*s, m.each.code, scope, returns, true);
    scope.defined.erase("result");
    if (const auto* s = t.get("after")) steps_of(*s, m.after.code, scope, returns, true);
    if (returns) fail(*node, "main returns nothing: drop the return step");
    m.slots = static_cast<int>(m.slot_names.size());
    m.tasks = static_cast<int>(m.task_names.size());
  }

  // ---- steps ----

  void steps_of(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
                bool in_main) {
    const auto* a = node.as_array();
    if (!a)
      fail(node, fmt::format("steps must be an array of steps, e.g. [ {{ sleep = 1 }} ], not {}",
                             type_of(node)));
    if (++scope.depth > max_nesting)
      fail(node, fmt::format("steps nest deeper than {} levels", max_nesting));
    for (const auto& s : *a)
      step(s, out, scope, returns, in_main);
    --scope.depth;
  }

  static constexpr std::array<std::string_view, 28> verbs{
      "print",    "sleep",      "block",     "repeat",    "set",       "return",      "call",
      "task",     "await",      "cancel",    "gather",    "if",        "with",        "timeout",
      "wait_for", "taskgroup",  "wait",      "to_thread", "raise",     "put",         "put_nowait",
      "get",      "get_nowait", "task_done", "join",      "set_event", "clear_event", "wait_event"};

  void step(const toml::node& node, std::vector<Instr>& out, Scope& scope, bool& returns,
            bool in_main) {
    const auto* t = node.as_table();
    if (!t)
      fail(node, fmt::format("a step is a table, e.g. {{ sleep = 1 }}, not {}", type_of(node)));
    std::string verb;
    // timeout is a verb of its own, and a key of wait_for and wait.
    const bool timeout_is_key = t->get("wait_for") || t->get("wait");
    for (const auto& [key, value] : *t)
      if (std::find(verbs.begin(), verbs.end(), key.str()) != verbs.end()) {
        if (key.str() == "timeout" && timeout_is_key) continue;
        if (!verb.empty())
          fail(node, fmt::format("a step does one thing: '{}' or '{}', not both", verb, key.str()));
        verb = key.str();
      }
    if (verb.empty()) {
      std::vector<std::string> names(verbs.begin(), verbs.end());
      const auto first = t->empty() ? std::string() : std::string(t->begin()->first.str());
      const auto near = closest(first, names);
      fail(node, fmt::format("{} is not a step{}; a step is one of {}",
                             first.empty() ? std::string("{}") : quote(first),
                             near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                             fmt::join(verbs, ", ")));
    }
    const auto& arg = *t->get(verb);
    Instr in;
    in.pos = pos_of(node);
    if (verb == "print") {
      only_keys(*t, {"print"}, "a print step");
      in.op = Instr::Op::print;
      in.text = fstring(arg, text_of(arg, "print", 10'000));
      for (auto& piece : in.text.pieces)
        if (piece.expr) resolve_in(*piece.expr, scope, arg, piece.offset + 1);
    } else if (verb == "sleep" || verb == "block") {
      only_keys(*t, {verb}, fmt::format("a {} step", verb));
      in.op = verb == "sleep" ? Instr::Op::sleep : Instr::Op::block;
      in.expr = duration(arg, scope, verb);
    } else if (verb == "repeat") {
      only_keys(*t, {"repeat", "steps", "as"}, "a repeat step");
      in.op = Instr::Op::loop;
      in.expr = count(arg, scope, "repeat");
      in.counter = scope.hidden();
      if (const auto* as = t->get("as")) in.slot = define(*as, scope);
      const auto* body = t->get("steps");
      if (!body) fail(node, "repeat needs steps: { repeat = 3, steps = [ ... ] }");
      const auto loop_at = out.size();
      out.push_back(std::move(in));
      steps_of(*body, out, scope, returns, in_main);
      Instr next;
      next.op = Instr::Op::next;
      next.pos = pos_of(node);
      next.counter = out[loop_at].counter;
      next.slot = out[loop_at].slot;
      next.jump = static_cast<int>(loop_at);
      out.push_back(std::move(next));
      out[loop_at].jump = static_cast<int>(out.size());
      return;
    } else if (verb == "set") {
      only_keys(*t, {"set", "to"}, "a set step");
      in.op = Instr::Op::set;
      const auto& to = need(*t, "to", node, "the value: a number, or an expression in a string");
      in.expr = expression(to, scope);
      if (const int g = shared_value(arg); g >= 0) { // a [shared] variable: the global
        in.op = Instr::Op::set_shared;
        in.slot = g;
      } else {
        in.slot = define(arg, scope); // after the value: set = "x", to = "x + 1" reads the old x
      }
    } else if (verb == "return") {
      only_keys(*t, {"return"}, "a return step");
      if (scope.blocks > 0)
        fail(node, "return inside a with, timeout or if block is not taken here; set a variable "
                   "and return it after the block");
      in.op = Instr::Op::ret;
      in.expr = expression(arg, scope);
      returns = true;
    } else if (verb == "call") {
      only_keys(*t, {"call", "as"}, "a call step");
      in.op = Instr::Op::call;
      in.target = coroutine_index(arg);
      check_call(arg, in.target);
      if (const auto* as = t->get("as")) in.slot = define(*as, scope);
    } else if (verb == "task") {
      only_keys(*t, {"task", "as", "name"}, "a task step");
      in.op = Instr::Op::task;
      in.target = coroutine_index(arg);
      check_call(arg, in.target);
      const auto* as = t->get("as");
      if (!as) fail(node, "a task step names its task: { task = \"worker\", as = \"t\" }");
      in.task = define_task(*as, scope);
      if (const auto* name = t->get("name")) {
        in.text = fstring(*name, text_of(*name, "name", 60));
        for (auto& piece : in.text.pieces)
          if (piece.expr) resolve_in(*piece.expr, scope, *name, piece.offset + 1);
      } else {
        in.text = fstring(arg, script_->coroutines[static_cast<std::size_t>(in.target)].function);
      }
    } else if (verb == "await") {
      only_keys(*t, {"await", "as"}, "an await step");
      in.op = Instr::Op::await_;
      in.task = task_of(arg, scope);
      if (const auto* as = t->get("as")) in.slot = define(*as, scope);
    } else if (verb == "cancel") {
      only_keys(*t, {"cancel"}, "a cancel step");
      in.op = Instr::Op::cancel;
      in.task = task_of(arg, scope);
    } else if (verb == "gather") {
      only_keys(*t, {"gather", "as"}, "a gather step");
      in.op = Instr::Op::gather;
      const auto* a = arg.as_array();
      if (!a || a->empty())
        fail(arg, "gather takes coroutine names: { gather = [\"a\", \"b\"], as = \"results\" }");
      for (const auto& x : *a) {
        in.targets.push_back(coroutine_index(x));
        check_call(x, in.targets.back());
      }
      if (const auto* as = t->get("as")) in.slot = define(*as, scope);
    } else if (!primitive_step(verb, arg, *t, node, in, out, scope, returns, in_main)) {
      return; // it wrote its instructions itself (if)
    }
    out.push_back(std::move(in));
  }

  // The steps on shared state and the primitives. False when the step wrote
  // its own instructions.
  bool primitive_step(const std::string& verb, const toml::node& arg, const toml::table& t,
                      const toml::node& node, Instr& in, std::vector<Instr>& out, Scope& scope,
                      bool& returns, bool in_main) {
    using K = SharedSpec::Kind;
    // A block's steps: nested, in the same scope, with no return inside.
    auto block = [&](const toml::node& steps, std::vector<Instr>& into) {
      ++scope.blocks;
      steps_of(steps, into, scope, returns, in_main);
      --scope.blocks;
      if (into.empty()) fail(steps, "an empty block does nothing; give it at least one step");
    };
    auto on_timeout = [&]() {
      if (const auto* h = t.get("on_timeout")) block(*h, in.handler);
    };
    if (verb == "if") {
      only_keys(t, {"if", "steps", "else"}, "an if step");
      in.op = Instr::Op::if_;
      in.expr = expression(arg, scope);
      const auto* then = t.get("steps");
      if (!then)
        fail(node, "if needs steps: { if = \"use_lock\", steps = [ ... ], else = [ ... ] }");
      const auto at = out.size();
      out.push_back(std::move(in));
      ++scope.blocks;
      steps_of(*then, out, scope, returns, in_main);
      if (const auto* otherwise = t.get("else")) {
        Instr jump;
        jump.op = Instr::Op::else_;
        jump.pos = pos_of(*otherwise);
        const auto else_at = out.size();
        out.push_back(std::move(jump));
        out[at].jump = static_cast<int>(out.size());
        steps_of(*otherwise, out, scope, returns, in_main);
        out[else_at].jump = static_cast<int>(out.size());
      } else {
        out[at].jump = static_cast<int>(out.size());
      }
      --scope.blocks;
      Instr end;
      end.op = Instr::Op::end_if;
      end.pos = pos_of(node);
      out.push_back(std::move(end));
      // The jumps land on end_if, which does nothing: past it either way.
      return false;
    }
    if (verb == "with") {
      only_keys(t, {"with", "steps"}, "a with step");
      in.op = Instr::Op::with;
      in.target = shared_of(arg, {K::lock, K::semaphore, K::bounded_semaphore}, "with",
                            "lock = \"Lock()\"");
      const auto* steps = t.get("steps");
      if (!steps) fail(node, "with needs steps: { with = \"lock\", steps = [ ... ] }");
      block(*steps, in.inner);
    } else if (verb == "timeout") {
      only_keys(t, {"timeout", "steps", "on_timeout"}, "a timeout step");
      in.op = Instr::Op::timeout;
      in.expr = seconds_value(arg, scope, verb);
      const auto* steps = t.get("steps");
      if (!steps) fail(node, "timeout needs steps: { timeout = 2, steps = [ ... ] }");
      block(*steps, in.inner);
      on_timeout();
    } else if (verb == "wait_for") {
      only_keys(t, {"wait_for", "timeout", "as", "on_timeout"}, "a wait_for step");
      in.op = Instr::Op::wait_for;
      in.target = coroutine_index(arg);
      check_call(arg, in.target);
      const auto& limit = need(t, "timeout", node, "seconds: { wait_for = \"job\", timeout = 2 }");
      in.expr = seconds_value(limit, scope, "timeout");
      on_timeout();
      if (const auto* as = t.get("as")) in.slot = define(*as, scope);
    } else if (verb == "taskgroup" || verb == "wait") {
      const bool wait = verb == "wait";
      if (wait)
        only_keys(t, {"wait", "return_when", "timeout", "cancel_pending", "as"}, "a wait step");
      else
        only_keys(t, {"taskgroup", "as"}, "a taskgroup step");
      in.op = wait ? Instr::Op::wait : Instr::Op::taskgroup;
      const auto* a = arg.as_array();
      if (!a || a->empty())
        fail(arg, fmt::format("{} takes coroutine names: {{ {} = [\"a\", \"b\"], as = \"results\" "
                              "}}",
                              verb, verb));
      for (const auto& x : *a) {
        in.targets.push_back(coroutine_index(x));
        check_call(x, in.targets.back());
      }
      if (wait) {
        in.word = "ALL_COMPLETED";
        if (const auto* w = t.get("return_when")) {
          in.word = text_of(*w, "return_when", 20);
          if (in.word != "FIRST_COMPLETED" && in.word != "FIRST_EXCEPTION" &&
              in.word != "ALL_COMPLETED")
            fail(*w, fmt::format("return_when {} is not one of FIRST_COMPLETED, "
                                 "FIRST_EXCEPTION, ALL_COMPLETED",
                                 quote(in.word)));
        }
        if (const auto* limit = t.get("timeout")) in.expr = seconds_value(*limit, scope, "timeout");
        if (const auto* c = t.get("cancel_pending")) {
          if (!c->is_boolean()) fail(*c, "cancel_pending is true or false");
          in.flag = *c->value<bool>();
        }
      }
      if (const auto* as = t.get("as")) in.slot = define(*as, scope);
    } else if (verb == "to_thread") {
      only_keys(t, {"to_thread"}, "a to_thread step");
      in.op = Instr::Op::to_thread;
      in.expr = duration(arg, scope, verb);
    } else if (verb == "raise") {
      only_keys(t, {"raise", "message"}, "a raise step");
      in.op = Instr::Op::raise;
      in.word = text_of(arg, "an exception's type", 40);
      static const std::vector<std::string> types{"Exception", "ValueError", "RuntimeError",
                                                  "TypeError", "TimeoutError"};
      if (std::find(types.begin(), types.end(), in.word) == types.end()) {
        const auto near = closest(in.word, types);
        fail(arg, fmt::format("{} is not an exception raise takes{}; use {}", quote(in.word),
                              near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                              fmt::join(types, ", ")));
      }
      if (const auto* m = t.get("message")) {
        in.text = fstring(*m, text_of(*m, "message", 1000));
        for (auto& piece : in.text.pieces)
          if (piece.expr) resolve_in(*piece.expr, scope, *m, piece.offset + 1);
      }
    } else if (verb == "put" || verb == "put_nowait") {
      only_keys(t, {verb, "item"}, fmt::format("a {} step", verb));
      in.op = verb == "put" ? Instr::Op::put : Instr::Op::put_nowait;
      in.target = shared_of(arg, {K::queue}, verb, "queue = \"Queue(2)\"");
      in.expr = expression(need(t, "item", node, "what to put: { put = \"queue\", item = \"i\" }"),
                           scope);
    } else if (verb == "get" || verb == "get_nowait") {
      only_keys(t, {verb, "as"}, fmt::format("a {} step", verb));
      in.op = verb == "get" ? Instr::Op::get : Instr::Op::get_nowait;
      in.target = shared_of(arg, {K::queue}, verb, "queue = \"Queue(2)\"");
      if (const auto* as = t.get("as")) in.slot = define(*as, scope);
    } else if (verb == "task_done" || verb == "join") {
      only_keys(t, {verb}, fmt::format("a {} step", verb));
      in.op = verb == "join" ? Instr::Op::join : Instr::Op::task_done;
      in.target = shared_of(arg, {K::queue}, verb, "queue = \"Queue(2)\"");
    } else { // set_event, clear_event, wait_event
      only_keys(t, {verb}, fmt::format("a {} step", verb));
      in.op = verb == "set_event"     ? Instr::Op::set_event
              : verb == "clear_event" ? Instr::Op::clear_event
                                      : Instr::Op::wait_event;
      in.target = shared_of(arg, {K::event}, verb, "gate = \"Event()\"");
    }
    return true;
  }

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

  // A coroutine that reaches itself through calls and tasks would never end.
  void no_cycles() const {
    const auto& cs = script_->coroutines;
    std::vector<int> state(cs.size(), 0); // 0 new, 1 on the path, 2 done
    const std::function<void(std::size_t)> visit = [&](std::size_t i) {
      state[i] = 1;
      const std::function<void(const std::vector<Instr>&)> through =
          [&](const std::vector<Instr>& code) {
            for (const auto& in : code) {
              std::vector<int> targets = in.targets;
              if (in.op == Instr::Op::call || in.op == Instr::Op::task ||
                  in.op == Instr::Op::wait_for)
                targets.push_back(in.target);
              for (const int t : targets) {
                const auto j = static_cast<std::size_t>(t);
                if (state[j] == 1)
                  fail(in.pos, fmt::format("{} reaches itself through {}: a coroutine may not "
                                           "call itself, even by way of others",
                                           quote(cs[j].function), quote(cs[i].function)));
                if (state[j] == 0) visit(j);
              }
              through(in.inner);
              through(in.handler);
            }
          };
      through(cs[i].body.code);
      through(cs[i].body.on_cancel);
      state[i] = 2;
    };
    for (std::size_t i = 0; i < cs.size(); ++i)
      if (state[i] == 0) visit(i);
  }

  // ---- the whole ----

  // Steps only an event loop can run (a timeout, a queue, ...): sync mode,
  // a plain program, cannot have them. Left out of the default modes; an
  // error when the file lists it.
  void loop_only(const toml::table& root) {
    auto& s = *script_;
    const Instr* first = nullptr;
    const std::function<void(const std::vector<Instr>&)> find =
        [&](const std::vector<Instr>& code) {
          for (const auto& in : code) {
            if (first) return;
            if (needs_loop(in.op)) first = &in;
            find(in.inner);
            find(in.handler);
          }
        };
    for (const auto& c : s.coroutines) {
      find(c.body.code);
      find(c.body.on_cancel);
    }
    for (const auto* b : {&s.main.before, &s.main.each, &s.main.after, &s.main.steps})
      find(b->code);
    if (!first) return;
    s.needs_loop = true;
    const auto sync = std::find(s.modes.begin(), s.modes.end(), Mode::sync);
    if (sync == s.modes.end()) return;
    if (const auto* given = root.get("modes"))
      fail(*given, fmt::format("sync mode runs plain functions, and the step at line {} needs an "
                               "event loop; leave sync out of modes",
                               first->pos.line));
    s.modes.erase(sync);
    if (s.default_mode == Mode::sync) s.default_mode = s.modes.front();
  }

  void light_and_counts() {
    auto& s = *script_;
    // Random numbers make a scenario take --seed.
    const auto uses_random = [](const std::string& text) {
      return text.find("random.") != std::string::npos;
    };
    s.random = uses_random(text_);
    // How many job tasks a run makes, with the defaults: more than
    // light_above and only named tasks are recorded.
    std::vector<Object> globals;
    for (const auto& p : s.params) {
      std::string why;
      globals.push_back(*p.read(p.default_text, why));
    }
    std::int64_t tasks = 0;
    for (const auto& c : s.coroutines) {
      if (!c.job) continue;
      EvalEnv env;
      env.globals = &globals;
      std::vector<Object> locals(16);
      env.locals = locals.data();
      env.n_locals = locals.size();
      try {
        if (c.count) {
          const auto v = eval(*c.count, env);
          if (v.kind() == Object::Kind::integer) tasks += v.integer();
        } else if (c.each) {
          const auto v = eval(*c.each, env);
          if (v.kind() == Object::Kind::list) tasks += static_cast<std::int64_t>(v.list().size());
        } else {
          ++tasks;
        }
      } catch (const ScriptError&) {
        ++tasks; // reported when it runs
      }
    }
    s.light = tasks > light_above;
  }

  std::string file_;
  std::string text_;
  Script* script_ = nullptr;
  std::vector<const toml::table*> tables_; // of each coroutine, as declared
  int jobs_seen_ = 0;
  int calling_ = -1;
};

} // namespace

bool needs_loop(Instr::Op op) noexcept {
  using Op = Instr::Op;
  switch (op) {
  case Op::timeout:
  case Op::wait_for:
  case Op::taskgroup:
  case Op::wait:
  case Op::put:
  case Op::put_nowait:
  case Op::get:
  case Op::get_nowait:
  case Op::task_done:
  case Op::join:
  case Op::set_event:
  case Op::clear_event:
  case Op::wait_event:
    return true;
  default:
    return false;
  }
}

const char* python_class(SharedSpec::Kind k) noexcept {
  switch (k) {
  case SharedSpec::Kind::value:
    return "value";
  case SharedSpec::Kind::lock:
    return "Lock";
  case SharedSpec::Kind::semaphore:
    return "Semaphore";
  case SharedSpec::Kind::bounded_semaphore:
    return "BoundedSemaphore";
  case SharedSpec::Kind::event:
    return "Event";
  case SharedSpec::Kind::queue:
    return "Queue";
  }
  return "?";
}

std::optional<Object> ParamSpec::read(std::string_view text, std::string& why) const {
  auto range = [&]() {
    if (min && max) return fmt::format(" from {:g} to {:g}", *min, *max);
    if (min) return fmt::format(" of at least {:g}", *min);
    if (max) return fmt::format(" of at most {:g}", *max);
    return std::string();
  };
  auto what = [&](Kind k) {
    return std::string(k == Kind::whole     ? "whole number"
                       : k == Kind::seconds ? "number of seconds"
                                            : "number");
  };
  // One number, or a text: nothing, with `why`, if it is not one.
  auto one = [&](std::string_view t, Kind k) -> std::optional<Object> {
    if (k == Kind::text) {
      // Every text is printed somewhere: nothing in it may move the cursor,
      // colour the terminal or turn the line round.
      if (!printable(t)) {
        why = fmt::format("{} has a control or invisible character; give plain text", quote(t));
        return std::nullopt;
      }
      if (t.size() > max_text_bytes) {
        why = fmt::format("a text of {} bytes is too long; give at most {} bytes", t.size(),
                          max_text_bytes);
        return std::nullopt;
      }
      return Object(std::string(t));
    }
    std::optional<Object> v;
    if (k == Kind::whole) {
      if (const auto w = parse_whole(t); w && !(min && *w < *min) && !(max && *w > *max))
        v = Object(static_cast<std::int64_t>(*w));
    } else if (const auto d = parse_number(t); d && !(min && *d < *min) && !(max && *d > *max)) {
      v = Object(*d);
    }
    if (!v) why = fmt::format("{} is not a {}{}", quote(t), what(k), range());
    return v;
  };
  switch (kind) {
  case Kind::number:
  case Kind::seconds:
  case Kind::whole:
  case Kind::text:
    return one(text, kind);
  case Kind::flag:
    if (text == "true") return Object(true);
    if (text == "false") return Object(false);
    why = fmt::format("{} is not true or false", quote(text));
    return std::nullopt;
  case Kind::choice:
    if (std::find(choices.begin(), choices.end(), text) != choices.end())
      return Object(std::string(text));
    {
      const auto near = closest(text, choices);
      why = fmt::format("{} is not a choice{}; use one of {}", quote(text),
                        near ? fmt::format(" (did you mean '{}'?)", *near) : std::string(),
                        fmt::join(choices, ", "));
    }
    return std::nullopt;
  case Kind::list: {
    if (std::find(allow.begin(), allow.end(), text) != allow.end())
      return Object(std::string(text));
    // The list's own nouns: --delays holds delays.
    const std::string items_noun = name;
    const std::string item_noun = items_noun.size() > 1 && items_noun.back() == 's'
                                      ? items_noun.substr(0, items_noun.size() - 1)
                                      : std::string("item");
    const auto example =
        !this->example.empty() ? this->example
        : default_text.empty() || std::find(allow.begin(), allow.end(), default_text) != allow.end()
            ? std::string("1,2,3")
            : default_text;
    // (ListOf holds views: every string it sees lives to the end of this scope.)
    const std::string what_text = items == Kind::text      ? "texts separated by commas"
                                  : items == Kind::seconds ? "seconds separated by commas"
                                  : items == Kind::whole   ? "whole numbers separated by commas"
                                                           : "numbers separated by commas";
    const ListOf of{item_noun, items_noun, what_text, example};
    const auto list = list_items(text, of, why);
    if (!list) return std::nullopt;
    if (count && list->size() != *count) {
      why = fmt::format("{} is not {} {}; give {}, e.g. {}", quote(text), *count, items_noun,
                        *count, example);
      return std::nullopt;
    }
    List out;
    for (const auto& item : *list) {
      auto v = one(item, items);
      if (!v) return std::nullopt;
      out.push_back(std::move(*v));
    }
    return Object(std::move(out));
  }
  }
  return std::nullopt;
}

std::variant<std::shared_ptr<const Script>, LoadError> load_text(std::string text,
                                                                 const std::string& file) {
  if (text.size() > max_file_bytes)
    return LoadError{fmt::format("{}: the file is {} bytes; a scenario file is at most {} bytes",
                                 file, text.size(), max_file_bytes)};
  if (text.find('\0') != std::string::npos || !valid_utf8(text))
    return LoadError{
        fmt::format("{}: this is not a text file (UTF-8); a scenario file is TOML", file)};
  try {
    return Loader(file, std::move(text)).load();
  } catch (const Failure& f) {
    return LoadError{f.message};
  }
}

std::variant<std::shared_ptr<const Script>, LoadError> load_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return LoadError{fmt::format("cannot read {}: {}; give the path of a scenario file (.toml)",
                                 quote(path), std::strerror(errno))};
  if (S_ISDIR(st.st_mode))
    return LoadError{
        fmt::format("{} is a directory; give the path of a scenario file (.toml)", quote(path))};
  if (!S_ISREG(st.st_mode))
    return LoadError{
        fmt::format("{} is not a regular file; give the path of a scenario file", quote(path))};
  if (static_cast<std::size_t>(st.st_size) > max_file_bytes)
    return LoadError{fmt::format("{} is {} bytes; a scenario file is at most {} bytes", quote(path),
                                 st.st_size, max_file_bytes)};
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadError{fmt::format("cannot read {}: {}", quote(path), std::strerror(errno))};
  std::stringstream text;
  text << in.rdbuf();
  return load_text(text.str(), path);
}

} // namespace asyncdemo::script
