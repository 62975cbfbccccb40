// What a Python program declares for asyncdemo (declared.hpp).
#include "declared.hpp"

#include "../reading.hpp"

#include "asyncdemo/teach/params.hpp"
#include "asyncdemo/teach/python.hpp"
#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace asyncdemo::script::declared {

namespace {

using K = Expr::Kind;
using Type = Constant::Type;

// The run's own options (as a scenario file's, src/reader.cpp): a parameter
// cannot take their names (mode and seed are constants of their own).
const std::set<std::string, std::less<>>& own_options() {
  static const std::set<std::string, std::less<>> names{
      "clock",  "speed", "color",   "format", "timeline", "trace", "runs",   "quiet",  "verbose",
      "python", "help",  "version", "html",   "svg",      "step",  "expect", "workers"};
  return names;
}

bool is_lower_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (;;) {
    const auto at = s.find(sep);
    out.push_back(trim(s.substr(0, at)));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// A literal number of the program: 5, 0.3, -1.
std::optional<Object> number_literal(const Expr& e) {
  if (e.kind == K::literal &&
      (e.literal.kind() == Object::Kind::integer || e.literal.kind() == Object::Kind::real))
    return e.literal;
  if (e.kind == K::unary && e.op == "-" && e.args.size() == 1 && e.args[0])
    if (auto n = number_literal(*e.args[0]))
      return n->kind() == Object::Kind::integer ? Object(-n->integer()) : Object(-n->real());
  return std::nullopt;
}

std::string number_text(const Object& n) {
  return n.kind() == Object::Kind::integer ? std::to_string(n.integer()) : py_float(n.real());
}

// A range of numbers: [lo, hi], (lo, hi], ...; either end may be open.
struct Range {
  std::optional<double> lo, hi;
  bool lo_open = false, hi_open = false;
  bool holds(double x) const {
    if (lo && (lo_open ? x <= *lo : x < *lo)) return false;
    if (hi && (hi_open ? x >= *hi : x > *hi)) return false;
    return true;
  }
  // "from 0 to 10", "above 0 and at most 10"
  std::string words() const {
    if (!lo && !hi) return {};
    const auto low = lo ? fmt::format("{} {:g}", lo_open ? "above" : "from", *lo) : std::string();
    if (!hi) return low;
    if (!lo) return fmt::format("{} {:g}", hi_open ? "below" : "at most", *hi);
    if (!lo_open && !hi_open) return fmt::format("from {:g} to {:g}", *lo, *hi);
    return fmt::format("{} and {} {:g}", low, hi_open ? "below" : "at most", *hi);
  }
};

std::optional<Range> parse_range(std::string_view s) {
  if (s.size() < 3 || (s.front() != '[' && s.front() != '(') ||
      (s.back() != ']' && s.back() != ')'))
    return std::nullopt;
  const auto parts = split(s.substr(1, s.size() - 2), ',');
  if (parts.size() != 2) return std::nullopt;
  Range r;
  r.lo_open = s.front() == '(';
  r.hi_open = s.back() == ')';
  if (!parts[0].empty()) {
    r.lo = parse_number(parts[0]);
    if (!r.lo) return std::nullopt;
  }
  if (!parts[1].empty()) {
    r.hi = parse_number(parts[1]);
    if (!r.hi) return std::nullopt;
  }
  return r;
}

// What a value is, in the messages: "a whole number", "a number of seconds".
std::string noun(Type type, bool seconds, bool plural = false) {
  const bool whole = type == Type::integer || type == Type::integers;
  if (plural) return whole ? "whole numbers" : seconds ? "seconds" : "numbers";
  return whole ? "a whole number" : seconds ? "a number of seconds" : "a number";
}

bool fits(Type type, std::string_view v, const Range& range) {
  const bool whole = type == Type::integer || type == Type::integers;
  if (whole) {
    const auto n = parse_whole(v);
    return n && range.holds(static_cast<double>(*n));
  }
  const auto x = parse_number(v);
  return x && std::isfinite(*x) && range.holds(*x);
}

// The check of a value given on the command line, as the catalogue's
// compiled parameters checked theirs (asyncdemo/teach/params.hpp).
std::function<std::string(std::string_view)> checker(const Constant& c, const Range& range,
                                                     const std::vector<std::string>& choices) {
  const auto name = c.param.name;
  const auto example = c.param.default_value;
  const auto seconds = c.seconds;
  const auto type = c.type;
  switch (type) {
  case Type::flag:
    return [name](std::string_view v) -> std::string {
      if (v == "true" || v == "false") return {};
      return fmt::format("{} is not true or false; use --{} alone to switch it on", quote(v), name);
    };
  case Type::text:
    if (choices.empty()) return [](std::string_view) { return std::string(); };
    return [name, choices](std::string_view v) -> std::string {
      if (std::find(choices.begin(), choices.end(), v) != choices.end()) return {};
      const auto near = closest(v, choices);
      const auto hint = near ? fmt::format(" (did you mean '{}'?)", *near) : std::string();
      if (name == "variant") // the catalogue's words for its versions of a program
        return fmt::format("{} is not a variant{}; use one of {}", quote(v), hint,
                           fmt::join(choices, ", "));
      return fmt::format("{} is not one of {}{}", quote(v), fmt::join(choices, ", "), hint);
    };
  case Type::integer:
  case Type::number:
    return [name, example, seconds, type, range](std::string_view v) -> std::string {
      if (fits(type, v, range)) return {};
      const auto words = range.words();
      return fmt::format("{} is not {}{}; e.g. --{}={}", quote(v), noun(type, seconds),
                         words.empty() ? "" : " " + words, name, example);
    };
  case Type::integers:
  case Type::numbers:
    return [name, example, seconds, type, range](std::string_view v) -> std::string {
      std::string items = name;
      std::string item = items.ends_with('s') ? items.substr(0, items.size() - 1) : items;
      const auto words = range.words();
      const auto what = fmt::format("{}{} separated by commas", noun(type, seconds, true),
                                    words.empty() ? "" : " " + words);
      std::string why;
      const auto got = list_items(v, ListOf{item, items, what, example}, why);
      if (!got) return why;
      for (const auto& i : *got)
        if (!fits(type, i, range))
          return fmt::format("{} is not a list of {}; use {}, e.g. --{} {}", quote(v), items, what,
                             name, example);
      return {};
    };
  }
  return {};
}

// `--name SPEC: help` of a constant whose default is `value`; what is wrong, or "".
std::string declare(Constant& c, const Expr& value, std::string_view comment) {
  // --name
  std::size_t i = 2;
  while (i < comment.size() && is_lower_word(comment[i]))
    ++i;
  const std::string name(comment.substr(2, i - 2));
  const auto colon = comment.find(": ", i);
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z') || colon == std::string_view::npos ||
      (i < comment.size() && comment[i] != ' ' && comment[i] != ':'))
    return "a parameter's comment is `# --name: help` or `# --name SPEC: help` (e.g. `# --cancel: "
           "Cancel the task`)";
  c.param.name = name;
  c.param.help = trim(comment.substr(colon + 2));
  if (c.param.help.empty()) return fmt::format("--{} has no help after its ':'", name);

  // The default, which says the type.
  if (value.kind == K::literal && value.literal.kind() == Object::Kind::boolean) {
    c.type = Type::flag;
    c.param.default_value = value.literal.boolean() ? "true" : "false";
    c.param.flag = true;
    c.param.kind = "";
  } else if (value.kind == K::literal && value.literal.kind() == Object::Kind::text) {
    c.type = Type::text;
    c.param.default_value = value.literal.text();
    c.param.kind = "TEXT";
  } else if (auto n = number_literal(value)) {
    c.type = n->kind() == Object::Kind::integer ? Type::integer : Type::number;
    c.param.default_value = number_text(*n);
    c.param.kind = c.type == Type::integer ? "N" : "NUMBER";
  } else if (value.kind == K::list && !value.args.empty()) {
    std::vector<std::string> items;
    c.type = Type::integers;
    for (const auto& a : value.args) {
      auto n = a ? number_literal(*a) : std::nullopt;
      if (!n) return fmt::format("--{}'s default is a list of numbers, e.g. [5, 8, 2]", name);
      if (n->kind() == Object::Kind::real) c.type = Type::numbers;
      items.push_back(number_text(*n));
    }
    c.param.default_value = fmt::format("{}", fmt::join(items, ","));
    c.param.kind = "LIST";
  } else {
    return fmt::format("--{}'s default is True or False, a str, a number or a list of numbers",
                       name);
  }

  // SPEC: KIND, a range, choices, "for --option[=values]", in that order.
  std::string spec = trim(comment.substr(i, colon - i));
  Range range;
  std::vector<std::string> choices;
  if (const auto f = spec.find("for --"); f != std::string::npos) {
    const auto cond = trim(std::string_view(spec).substr(f + 4));
    spec = trim(std::string_view(spec).substr(0, f));
    const auto eq = cond.find('=');
    c.for_option = cond.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (eq != std::string::npos) c.for_values = split(std::string_view(cond).substr(eq + 1), ',');
  }
  if (!spec.empty() && spec[0] >= 'A' && spec[0] <= 'Z') {
    const auto sp = spec.find(' ');
    const auto kind = spec.substr(0, sp);
    if (c.type == Type::flag) return fmt::format("--{} is a switch: it has no {}", name, kind);
    c.seconds = kind == "SECONDS";
    if (c.seconds && c.type == Type::integer) c.type = Type::number; // seconds have fractions
    if (c.seconds && c.type == Type::integers) c.type = Type::numbers;
    if (c.type != Type::integers && c.type != Type::numbers) c.param.kind = kind;
    spec = sp == std::string::npos ? std::string() : trim(std::string_view(spec).substr(sp));
  }
  if (!spec.empty()) {
    if (spec[0] == '[' || spec[0] == '(') {
      auto r = parse_range(spec);
      if (!r || c.type == Type::flag || c.type == Type::text)
        return fmt::format("--{}'s range {} is not [LOW, HIGH] (a bracket '(' or ')' leaves its "
                           "end out; an end may be empty) on a number or a list of numbers",
                           name, quote(spec));
      range = *r;
    } else if (c.type == Type::text && spec.find(' ') == std::string::npos) {
      choices = split(spec, '|');
      if (std::find(choices.begin(), choices.end(), c.param.default_value) == choices.end())
        return fmt::format("--{}'s default {} is not one of its values {}", name,
                           quote(c.param.default_value), fmt::join(choices, ", "));
      c.param.choices = choices;
      c.param.kind = "NAME";
    } else {
      return fmt::format("--{}: {} is not a kind (SECONDS, N, ...), a range [LOW, HIGH], values "
                         "a|b|c or `for --option=value`",
                         name, quote(spec));
    }
  }
  c.param.check = checker(c, range, choices);
  if (const auto why = c.param.check(c.param.default_value); !why.empty())
    return fmt::format("--{}'s default does not fit: {}", name, why);
  return {};
}

// The docstring's fields: "key: text", its text going on in lines that
// start with spaces.
std::vector<std::pair<std::string, std::string>> fields(const std::string& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  bool open = false;
  std::string_view rest = doc;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    const auto line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (open && !line.empty() && line[0] == ' ' && !trim(line).empty()) {
      out.back().second += " " + trim(line);
      continue;
    }
    open = false;
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    const auto key = line.substr(0, colon);
    const bool known = key == "summary" || key == "origin" || key == "mode" || key == "narration" ||
                       key.starts_with("narration for ");
    if (!known) continue;
    out.emplace_back(std::string(key), trim(line.substr(colon + 2)));
    open = true;
  }
  return out;
}

// "--variant=no-await --mode=sync,await": each option and its values.
std::optional<std::vector<std::pair<std::string, std::vector<std::string>>>>
conditions(std::string_view text) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& word : split(text, ' ')) {
    if (word.empty()) continue;
    if (!word.starts_with("--")) return std::nullopt;
    const auto eq = word.find('=');
    if (eq == std::string::npos)
      out.push_back({word.substr(2), {}});
    else
      out.push_back({word.substr(2, eq - 2), split(std::string_view(word).substr(eq + 1), ',')});
  }
  return out;
}

// Whether option (a parameter, or "mode") has one of values (none: a switch that is on).
bool holds(const std::string& option, const std::vector<std::string>& values, const Context& ctx) {
  const std::string actual =
      option == "mode" ? std::string(to_string(ctx.mode)) : ctx.params.get(option);
  if (values.empty()) return actual == "true";
  return std::find(values.begin(), values.end(), actual) != values.end();
}

} // namespace

const Constant* Declared::mode_constant() const {
  for (const auto& c : constants)
    if (c.mode) return &c;
  return nullptr;
}

std::string Declared::text_for(const std::string& text, const Context& ctx) const {
  std::string out;
  std::size_t at = 0;
  for (const auto& c : constants) { // in the order of the text
    std::string value;
    const auto given = c.mode   ? std::string(to_string(ctx.mode))
                       : c.seed ? std::to_string(ctx.seed)
                                : ctx.params.get(c.param.name);
    switch (c.type) {
    case Type::flag:
      value = given == "true" ? "True" : "False";
      break;
    case Type::text:
      value = py_str(given);
      break;
    case Type::integer:
      value = std::to_string(*parse_whole(given));
      break;
    case Type::number:
      value = py_float(*parse_number(given));
      break;
    case Type::integers:
    case Type::numbers: {
      std::vector<std::string> items;
      for (const auto& i : split_list(given)) {
        const auto n = parse_number(i);
        const bool whole = c.type == Type::integers ||
                           (std::floor(*n) == *n && i.find_first_of(".eE") == std::string::npos);
        items.push_back(whole ? std::to_string(*parse_whole(i)) : py_float(*n));
      }
      value = fmt::format("[{}]", fmt::join(items, ", "));
      break;
    }
    }
    out.append(text, at, c.begin - at);
    out += value;
    at = c.end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

std::string Declared::narration(const Context& ctx) const {
  for (const auto& n : narrations) {
    const bool all = std::all_of(n.when.begin(), n.when.end(),
                                 [&](const auto& w) { return holds(w.first, w.second, ctx); });
    if (all) return n.text;
  }
  return {};
}

std::string Declared::check(Mode mode, const Params& params) const {
  const Context ctx{mode, params};
  for (const auto& c : constants) {
    if (c.mode || c.for_option.empty() || !params.given(c.param.name)) continue;
    if (holds(c.for_option, c.for_values, ctx)) continue;
    const auto wanted = c.for_values.empty()
                            ? "--" + c.for_option
                            : fmt::format("--{}={}", c.for_option, fmt::join(c.for_values, ","));
    const auto actual =
        c.for_option == "mode" ? std::string(to_string(mode)) : params.get(c.for_option);
    const auto chosen = c.for_values.empty() ? fmt::format("--{} is off", c.for_option)
                                             : fmt::format("this is --{}={}", c.for_option, actual);
    return fmt::format("--{} is for {}, and {}; add {}, or drop --{}", c.param.name, wanted, chosen,
                       wanted, c.param.name);
  }
  return {};
}

std::variant<Declared, LoadError> read(const std::string& text, const Block& program,
                                       const std::string& file) {
  Declared d;
  const auto refuse = [&](int line, int column, const std::string& what) {
    return LoadError{fmt::format("{}:{}:{}: {}", shown(file), line, column, what)};
  };

  // The docstring's fields.
  if (!program.empty() && program[0]->kind == Stmt::Kind::expr && program[0]->value &&
      program[0]->value->kind == K::literal &&
      program[0]->value->literal.kind() == Object::Kind::text) {
    for (auto& [key, value] : fields(program[0]->value->literal.text())) {
      if (key == "summary") {
        d.summary = value;
      } else if (key == "origin") {
        d.origin = value;
      } else if (key == "mode") {
        d.mode = parse_mode(value);
        if (!d.mode || !is_asyncio_mode(*d.mode))
          return refuse(program[0]->pos.line, 1,
                        fmt::format("mode: {} is not a mode; use sync, await, create_task, "
                                    "gather or as_completed",
                                    quote(value)));
      } else {
        auto when = conditions(key == "narration" ? "" : std::string_view(key).substr(14));
        if (!when)
          return refuse(program[0]->pos.line, 1,
                        fmt::format("{} is not `narration for --option=value ...:`", quote(key)));
        d.narrations.push_back({std::move(*when), value});
      }
    }
  }

  // Where each line starts.
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);

  for (const auto& s : program) {
    if (s->kind != Stmt::Kind::assign || s->targets.size() != 1 || !s->targets[0] ||
        s->targets[0]->kind != K::name || !s->value || s->pos.line < 1 ||
        static_cast<std::size_t>(s->pos.line) > starts.size() || s->pos.column != 1)
      continue;
    const auto begin = starts[static_cast<std::size_t>(s->pos.line) - 1];
    const auto eol = text.find('\n', begin);
    const std::string_view line(text.data() + begin,
                                (eol == std::string::npos ? text.size() : eol) - begin);
    const auto marker = line.find("  # --");
    if (marker == std::string_view::npos) continue;
    if (s->end_line != s->pos.line)
      return refuse(s->pos.line, 1, "a parameter's value is on its own line");
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq > marker) continue;
    auto vb = eq + 1;
    while (vb < marker && line[vb] == ' ')
      ++vb;
    Constant c;
    c.name = s->targets[0]->name;
    c.begin = begin + vb;
    c.end = begin + marker;
    // The help goes on in comment lines whose '#' is under the first one's.
    std::string comment(line.substr(marker + 4));
    const std::string under = std::string(marker + 2, ' ') + "# ";
    for (auto next = static_cast<std::size_t>(s->pos.line); next < starts.size(); ++next) {
      const auto from = starts[next];
      const auto to = text.find('\n', from);
      const std::string_view more(text.data() + from,
                                  (to == std::string::npos ? text.size() : to) - from);
      if (!more.starts_with(under)) break;
      comment += " " + trim(more.substr(under.size()));
    }
    const auto why = declare(c, *s->value, comment);
    if (!why.empty()) return refuse(s->pos.line, static_cast<int>(marker) + 3, why);
    for (const auto& other : d.constants)
      if (other.param.name == c.param.name)
        return refuse(s->pos.line, static_cast<int>(marker) + 3,
                      fmt::format("--{} is declared twice", c.param.name));
    if (c.param.name == "mode") {
      c.mode = true;
      if (c.type != Type::text || c.param.choices.empty())
        return refuse(s->pos.line, static_cast<int>(marker) + 3,
                      "--mode's constant is a str of the modes it takes: `MODE = \"gather\"  # "
                      "--mode sync|gather: ...`");
      for (const auto& m : c.param.choices) {
        const auto mode = parse_mode(m);
        if (!mode || !is_asyncio_mode(*mode))
          return refuse(s->pos.line, static_cast<int>(marker) + 3,
                        fmt::format("--mode: {} is not a mode; use sync, await, create_task, "
                                    "gather, as_completed",
                                    quote(m)));
        c.modes.push_back(*mode);
      }
    } else if (c.param.name == "seed") {
      c.seed = true;
      if (c.type != Type::integer)
        return refuse(s->pos.line, static_cast<int>(marker) + 3,
                      "--seed's constant is a whole number: `SEED = 2024  # --seed: ...`");
    } else if (own_options().count(c.param.name)) {
      return refuse(s->pos.line, static_cast<int>(marker) + 3,
                    fmt::format("--{} is one of asyncdemo's own options; name the parameter "
                                "otherwise",
                                c.param.name));
    }
    d.constants.push_back(std::move(c));
  }
  if (d.mode && d.mode_constant())
    return refuse(program[0]->pos.line, 1,
                  "the docstring's mode: and a MODE constant contradict each other; give one");
  // A condition names a declared option.
  for (const auto& c : d.constants)
    if (!c.for_option.empty() && c.for_option != "mode" &&
        std::none_of(d.constants.begin(), d.constants.end(),
                     [&](const Constant& o) { return o.param.name == c.for_option; }))
      return refuse(1, 1,
                    fmt::format("--{} is for --{}, which the program does not declare",
                                c.param.name, c.for_option));
  return d;
}

} // namespace asyncdemo::script::declared
