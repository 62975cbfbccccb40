// Reading a scenario file (TOML, docs/scenario-files.md) into a Script:
// every key, type, value and name is checked here, so that what runs and
// what is written as Python are both sound. Errors are one line, starting
// FILE:LINE:COLUMN.
#include "asyncdemo/script/program.hpp"

#include "exec.hpp"
#include "reading.hpp"

#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

namespace asyncdemo::script {

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

namespace {

class Loader : public Reading {
public:
  Loader(std::string file, std::string text) : Reading(std::move(file), std::move(text)) {}

  std::shared_ptr<const Script> load() {
    toml::table root;
    try {
      root = toml::parse(text_, file_);
    } catch (const toml::parse_error& e) {
      throw Failure{fmt::format("{}:{}:{}: {}", shown(file_), e.source().begin.line,
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
  // ---- the top ----

  void top(const toml::table& root) {
    only_keys(root,
              {"name", "summary", "origin", "default_mode", "modes", "params", "values", "shared",
               "job", "coroutine", "main"},
              "a scenario file");
    auto& s = *script_;
    // The stem names it unless the file does: shown as a name, whatever it holds.
    s.name = shown(std::filesystem::path(file_).stem().string());
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
      if (has_count) {
        c.count = params_only(*t.get("count"));
        c.count_pos = pos_of(*t.get("count"));
      }
      if (has_each) {
        c.each = params_only(*t.get("each"));
        c.count_pos = pos_of(*t.get("each"));
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
                    return lean(in.op); // print ... return: no other coroutine
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
    // What the defaults make, worked out now: a value, a primitive's size
    // or a job's count that cannot be is one line at load time, where it is
    // written, not a failure at run time. (Another command line may still
    // fail when it runs, with the same words.)
    std::vector<Object> globals;
    for (const auto& p : s.params) {
      std::string why;
      globals.push_back(*p.read(p.default_text, why));
    }
    Random rng(default_seed);
    std::vector<Object> scratch(16);
    EvalEnv env;
    env.globals = &globals;
    env.locals = scratch.data();
    env.n_locals = scratch.size();
    env.rng = &rng;
    env.now = [](const void*) { return 0.0; }; // before main: time 0
    auto at = [&](Pos pos, const char* what, auto&& work) {
      try {
        return work();
      } catch (const ScriptError& e) {
        fail(pos, fmt::format("{} fails with the defaults: {}", what, e.what()));
      }
    };
    for (const auto& v : s.values)
      globals.push_back(at(v.pos, "this value", [&] { return eval(*v.expr, env); }));
    for (const auto& sp : s.shared) {
      if (sp.kind == SharedSpec::Kind::value) {
        globals.push_back(at(sp.pos, "this value", [&] { return eval(*sp.expr, env); }));
      } else if (sp.expr && (sp.kind == SharedSpec::Kind::semaphore ||
                             sp.kind == SharedSpec::Kind::bounded_semaphore)) {
        at(sp.pos, "this Semaphore", [&] { return semaphore_value(eval(*sp.expr, env)); });
      } else if (sp.expr) {
        at(sp.pos, "this Queue", [&] { return queue_size(eval(*sp.expr, env)); });
      }
    }
    for (const auto& c : s.coroutines) {
      if (c.count)
        at(c.count_pos, "count", [&] { return count_of(eval(*c.count, env), "a job's count"); });
      else if (c.each)
        at(c.count_pos, "each", [&] {
          const auto v = eval(*c.each, env);
          if (v.kind() != Object::Kind::list && v.kind() != Object::Kind::text)
            throw ScriptError(fmt::format("TypeError: '{}' object is not iterable", v.type_name()));
          return 0;
        });
    }
    // How many job tasks a run makes: more than light_above and only named
    // tasks are recorded; more than memory holds and the file is refused.
    std::vector<Object> items_kept;
    const auto groups =
        at(Pos{1, 1}, "counting the jobs", [&] { return groups_of(s, globals, items_kept); });
    std::size_t tasks = 0;
    for (const auto& g : groups)
      tasks += g.count;
    if (const auto why = too_many_tasks(s, tasks))
      fail(groups.empty() ? Pos{1, 1} : groups.front().job->pos, *why);
    s.light = tasks > static_cast<std::size_t>(light_above);
  }

  std::vector<const toml::table*> tables_; // of each coroutine, as declared
  int jobs_seen_ = 0;
};

} // namespace

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
                                 shown(file), text.size(), max_file_bytes)};
  if (text.find('\0') != std::string::npos || !valid_utf8(text))
    return LoadError{
        fmt::format("{}: this is not a text file (UTF-8); a scenario file is TOML", shown(file))};
  try {
    return Loader(file, std::move(text)).load();
  } catch (const Failure& f) {
    return LoadError{f.message};
  }
}

std::variant<std::shared_ptr<const Script>, LoadError> load_file(const std::string& path) {
  // Opened once, without waiting (a FIFO would block an open for reading),
  // and then what was opened is checked: the path cannot be swapped for
  // something else in between.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return LoadError{fmt::format("cannot read {}: {}; give the path of a scenario file (.toml)",
                                 quote(path), std::strerror(errno))};
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return LoadError{fmt::format("cannot read {}: {}", quote(path), std::strerror(errno))};
  if (S_ISDIR(st.st_mode))
    return LoadError{
        fmt::format("{} is a directory; give the path of a scenario file (.toml)", quote(path))};
  if (!S_ISREG(st.st_mode))
    return LoadError{
        fmt::format("{} is not a regular file; give the path of a scenario file", quote(path))};
  if (static_cast<std::size_t>(st.st_size) > max_file_bytes)
    return LoadError{fmt::format("{} is {} bytes; a scenario file is at most {} bytes", quote(path),
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
    if (text.size() > max_file_bytes) // it grew while it was read
      return LoadError{fmt::format("{} is more than {} bytes; a scenario file is at most {} bytes",
                                   quote(path), max_file_bytes, max_file_bytes)};
  }
  auto loaded = load_text(std::move(text), path);
  if (auto* script = std::get_if<std::shared_ptr<const Script>>(&loaded))
    std::const_pointer_cast<Script>(*script)->user_file = true;
  return loaded;
}

} // namespace asyncdemo::script
