// Python's builtins in the subset: functions (print, len, range, sorted,
// ...), types that convert (int, str, list, ...), the exception classes;
// and the names a program may not use (open, exec, input, ...), refused
// before it runs.
#include "vm.hpp"

#include "../numbers.hpp"
#include "../values.hpp"

#include "asyncdemo/script/limits.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace asyncdemo::py {

namespace {

// The builtins, in the order of their indices (the compiler's NameRef).
constexpr std::array<std::string_view, 68> names{"print",
                                                 "len",
                                                 "range",
                                                 "enumerate",
                                                 "zip",
                                                 "sorted",
                                                 "reversed",
                                                 "sum",
                                                 "min",
                                                 "max",
                                                 "abs",
                                                 "round",
                                                 "isinstance",
                                                 "repr",
                                                 "str",
                                                 "int",
                                                 "float",
                                                 "bool",
                                                 "list",
                                                 "tuple",
                                                 "dict",
                                                 "set",
                                                 "frozenset",
                                                 "iter",
                                                 "next",
                                                 "any",
                                                 "all",
                                                 "map",
                                                 "filter",
                                                 "chr",
                                                 "ord",
                                                 "divmod",
                                                 "pow",
                                                 "hex",
                                                 "oct",
                                                 "bin",
                                                 "hash",
                                                 "id",
                                                 "callable",
                                                 "type",
                                                 "getattr",
                                                 "hasattr",
                                                 "issubclass",
                                                 "BaseException",
                                                 "Exception",
                                                 "ValueError",
                                                 "TypeError",
                                                 "RuntimeError",
                                                 "KeyError",
                                                 "IndexError",
                                                 "ZeroDivisionError",
                                                 "AttributeError",
                                                 "NameError",
                                                 "TimeoutError",
                                                 "ExceptionGroup",
                                                 "BaseExceptionGroup",
                                                 "AssertionError",
                                                 "NotImplementedError",
                                                 "StopIteration",
                                                 "OverflowError",
                                                 "ArithmeticError",
                                                 "LookupError",
                                                 "RecursionError",
                                                 "MemoryError",
                                                 "UnboundLocalError",
                                                 "OSError",
                                                 "KeyboardInterrupt",
                                                 "SystemExit"};

// What a program may not use: the host's (files, input, processes, code
// from text) and what the subset leaves out (classes' machinery).
constexpr std::array<std::string_view, 24> refused{
    "open",      "input",       "exec",         "eval",     "compile",    "__import__",
    "globals",   "locals",      "vars",         "dir",      "breakpoint", "help",
    "exit",      "quit",        "setattr",      "delattr",  "memoryview", "bytes",
    "bytearray", "classmethod", "staticmethod", "property", "super",      "object"};

Object type(std::string name, NativeFn make) {
  return Object(static_cast<HeapObject*>(new TypeObject(std::move(name), std::move(make))));
}

void arg_count(Vm& vm, const Args& a, std::size_t lo, std::size_t hi, std::string_view name) {
  a.no_more_keywords(name);
  const auto n = a.positional.size();
  if (n >= lo && n <= hi) return;
  if (lo == hi)
    vm.raise("TypeError", fmt::format("{}() takes exactly {} argument{} ({} given)", name, lo,
                                      lo == 1 ? "" : "s", n));
  if (n < lo)
    vm.raise("TypeError", fmt::format("{} expected at least {} argument{}, got {}", name, lo,
                                      lo == 1 ? "" : "s", n));
  vm.raise("TypeError", fmt::format("{} expected at most {} argument{}, got {}", name, hi,
                                    hi == 1 ? "" : "s", n));
}

std::int64_t index_of(Vm& vm, const Object& v) {
  if (v.kind() == Object::Kind::integer) return v.integer();
  if (v.kind() == Object::Kind::boolean) return v.boolean();
  vm.raise("TypeError",
           fmt::format("'{}' object cannot be interpreted as an integer", v.type_name()));
}

Object iterator(std::string kind, std::function<std::optional<Object>(Vm&)> next) {
  return Object(static_cast<HeapObject*>(new IteratorObject(std::move(kind), std::move(next))));
}

std::int64_t length(Vm& vm, const Object& v) {
  switch (v.kind()) {
  case Object::Kind::text: {
    std::int64_t n = 0;
    for (const char c : v.text())
      n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }
  case Object::Kind::list:
  case Object::Kind::tuple:
    return static_cast<std::int64_t>(v.list().size());
  default:
    break;
  }
  if (const auto* d = v.as<DictObject>()) return static_cast<std::int64_t>(d->size());
  if (const auto* s = v.as<SetObject>()) return static_cast<std::int64_t>(s->size());
  if (const auto* r = v.as<RangeObject>()) return r->length();
  if (std::string_view(v.type_name()).rfind("dict_", 0) == 0)
    return static_cast<std::int64_t>(vm.to_list(v).size());
  vm.raise("TypeError", fmt::format("object of type '{}' has no len()", v.type_name()));
}

// isinstance(v, cls): the builtin types by name, the exception classes.
bool is_instance(Vm& vm, const Object& v, const Object& cls) {
  if (cls.kind() == Object::Kind::tuple) {
    for (const auto& c : cls.list())
      if (is_instance(vm, v, c)) return true;
    return false;
  }
  if (cls.heap_type() == HeapObject::Type::exception_type) {
    const auto* e = v.as<ExceptionObject>();
    return e && e->cls()->is_subclass_of(cls.as<ExceptionTypeObject>());
  }
  const auto* t = cls.as<TypeObject>();
  if (!t) vm.raise("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
  const std::string_view n = t->name;
  const std::string_view have = v.type_name();
  if (n == "int") return have == "int" || have == "bool";
  return have == n;
}

Object min_max(Vm& vm, Args& a, bool max) {
  const char* name = max ? "max" : "min";
  auto key = a.take("key");
  auto fallback = a.take("default");
  a.no_more_keywords(name);
  if (a.positional.empty())
    vm.raise("TypeError", fmt::format("{} expected at least 1 argument, got 0", name));
  const List items = a.positional.size() == 1 ? vm.to_list(a.positional[0]) : a.positional;
  if (items.empty()) {
    if (fallback) return *fallback;
    vm.raise("ValueError", fmt::format("{}() arg is an empty sequence", name));
  }
  const bool keyed = key && key->kind() != Object::Kind::none;
  Object best = items.front();
  Object best_key = keyed ? vm.call(*key, {best}) : best;
  for (std::size_t i = 1; i < items.size(); ++i) {
    Object k = keyed ? vm.call(*key, {items[i]}) : items[i];
    if (max ? py_less(vm, best_key, k) : py_less(vm, k, best_key)) {
      best = items[i];
      best_key = std::move(k);
    }
  }
  return best;
}

std::string radix(std::int64_t v, int base, const char* prefix) {
  const bool negative = v < 0;
  auto m =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdef"[m % static_cast<unsigned>(base)]);
    m /= static_cast<unsigned>(base);
  } while (m != 0);
  return (negative ? "-" : "") + std::string(prefix) + digits;
}

Object int_of(Vm& vm, Args& a) {
  auto base_kw = a.take("base");
  arg_count(vm, a, 0, 2, "int");
  if (a.positional.empty()) return Object(std::int64_t{0});
  const auto& v = a.positional[0];
  const bool based = base_kw || a.positional.size() == 2;
  if (based) {
    const auto base = index_of(vm, base_kw ? *base_kw : a.positional[1]);
    if (v.kind() != Object::Kind::text)
      vm.raise("TypeError", "int() can't convert non-string with explicit base");
    if (base != 0 && (base < 2 || base > 36))
      vm.raise("ValueError", "int() base must be >= 2 and <= 36, or 0");
    if (base == 10) {
      if (auto i = num::parse_int(v.text())) return Object(*i);
    } else {
      std::string t = v.text();
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t' || t.front() == '\n'))
        t.erase(0, 1);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n'))
        t.pop_back();
      bool negative = false;
      if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
        negative = t[0] == '-';
        t.erase(0, 1);
      }
      int b = static_cast<int>(base);
      auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
      if (t.size() > 2 && t[0] == '0') {
        const char p = lower(t[1]);
        const int given = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
        if (given && (b == 0 || b == given)) {
          b = given;
          t.erase(0, 2);
        }
      }
      if (b == 0) b = 10;
      std::uint64_t m = 0;
      bool ok = !t.empty();
      for (const char c : t) {
        const char l = lower(c);
        const int d = l >= '0' && l <= '9' ? l - '0' : l >= 'a' && l <= 'z' ? l - 'a' + 10 : 99;
        if (c == '_') continue;
        if (d >= b) {
          ok = false;
          break;
        }
        if (m > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) /
                    static_cast<unsigned>(b))
          num::overflow();
        m = m * static_cast<unsigned>(b) + static_cast<unsigned>(d);
      }
      if (ok) {
        if (m > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) +
                    (negative ? 1 : 0))
          num::overflow();
        return Object(negative ? static_cast<std::int64_t>(std::uint64_t{0} - m)
                               : static_cast<std::int64_t>(m));
      }
    }
    vm.raise("ValueError",
             fmt::format("invalid literal for int() with base {}: {}", base, v.repr()));
  }
  switch (v.kind()) {
  case Object::Kind::integer:
    return v;
  case Object::Kind::boolean:
    return Object(std::int64_t{v.boolean()});
  case Object::Kind::real:
    return Object(num::to_int(v.real()));
  case Object::Kind::text:
    if (auto i = num::parse_int(v.text())) return Object(*i);
    vm.raise("ValueError", fmt::format("invalid literal for int() with base 10: {}", v.repr()));
  default:
    vm.raise("TypeError", fmt::format("int() argument must be a string, a bytes-like object or a "
                                      "real number, not '{}'",
                                      v.type_name()));
  }
}

} // namespace

int builtin_index(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

bool builtin_refused(std::string_view name) {
  return std::find(refused.begin(), refused.end(), name) != refused.end();
}

std::string str_format(Vm& vm, const std::string& text, Args& args) {
  std::string out;
  std::size_t auto_index = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}')
        ++i;
      else
        vm.raise("ValueError", "Single '}' encountered in format string");
      out += '}';
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const auto end = text.find('}', i);
    if (end == std::string::npos) vm.raise("ValueError", "Single '{' encountered in format string");
    std::string field = text.substr(i + 1, end - i - 1);
    i = end;
    std::string spec;
    char conversion = 0;
    if (const auto colon = field.find(':'); colon != std::string::npos) {
      spec = field.substr(colon + 1);
      field.resize(colon);
    }
    if (const auto bang = field.find('!'); bang != std::string::npos) {
      if (bang + 2 != field.size())
        vm.raise("ValueError", "expected ':' after conversion specifier");
      conversion = field[bang + 1];
      field.resize(bang);
    }
    Object v;
    if (field.empty()) {
      if (auto_index >= args.positional.size())
        vm.raise("IndexError", fmt::format("Replacement index {} out of range for positional args "
                                           "tuple",
                                           auto_index));
      v = args.positional[auto_index++];
    } else if (field.find_first_not_of("0123456789") == std::string::npos) {
      const auto k = std::stoul(field);
      if (k >= args.positional.size())
        vm.raise("IndexError", fmt::format("Replacement index {} out of range for positional args "
                                           "tuple",
                                           k));
      v = args.positional[k];
    } else {
      const auto it = std::find_if(args.keywords.begin(), args.keywords.end(),
                                   [&](const auto& kw) { return kw.first == field; });
      if (it == args.keywords.end()) {
        auto e = vm.new_exception("KeyError", {});
        e.as<ExceptionObject>()->args = {Object(field)};
        vm.raise(e);
      }
      v = it->second;
    }
    if (conversion == 'r') v = Object(v.repr());
    if (conversion == 's') v = Object(v.str());
    out += vm.format_field(v, spec);
    if (out.size() > script::max_str_bytes)
      vm.raise("MemoryError", "a string holds at most 1000000 bytes here");
  }
  return out;
}

std::vector<Object> make_builtins(Vm& vm) {
  std::vector<Object> out(names.size());
  auto set = [&](std::string_view name, Object v) {
    out[static_cast<std::size_t>(builtin_index(name))] = std::move(v);
  };
  set("print", native_function("print", [](Vm& vm, Args& a) {
        auto sep = a.take("sep");
        auto end = a.take("end");
        auto file = a.take("file");
        a.take("flush");
        a.no_more_keywords("print");
        if (file && file->kind() != Object::Kind::none)
          vm.raise("NotImplementedError", "asyncdemo runs a subset of Python: print(file=...) is "
                                          "not in it; see docs/python-programs.md");
        const auto text_or = [&](const std::optional<Object>& v, const char* dflt,
                                 const char* what) {
          if (!v || v->kind() == Object::Kind::none) return std::string(dflt);
          if (v->kind() != Object::Kind::text)
            vm.raise("TypeError",
                     fmt::format("{} must be None or a string, not {}", what, v->type_name()));
          return v->text();
        };
        const auto s = text_or(sep, " ", "sep");
        const auto e = text_or(end, "\n", "end");
        std::string line;
        for (std::size_t i = 0; i < a.positional.size(); ++i) {
          if (i) line += s;
          line += a.positional[i].str();
          if (line.size() > script::max_str_bytes)
            vm.raise("MemoryError", "a printed line holds at most 1000000 bytes here");
        }
        vm.write(line + e);
        return Object();
      }));
  set("len", native_function("len", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "len");
        return Object(length(vm, a.positional[0]));
      }));
  set("range", type("range", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 3, "range");
        std::int64_t start = 0, stop = 0, step = 1;
        if (a.positional.size() == 1) {
          stop = index_of(vm, a.positional[0]);
        } else {
          start = index_of(vm, a.positional[0]);
          stop = index_of(vm, a.positional[1]);
          if (a.positional.size() == 3) step = index_of(vm, a.positional[2]);
        }
        if (step == 0) vm.raise("ValueError", "range() arg 3 must not be zero");
        return Object(static_cast<HeapObject*>(new RangeObject(start, stop, step)));
      }));
  set("enumerate", type("enumerate", [](Vm& vm, Args& a) {
        auto start = a.take("start");
        arg_count(vm, a, 1, 2, "enumerate");
        auto it = vm.iter(a.positional[0]);
        std::int64_t i = start                     ? index_of(vm, *start)
                         : a.positional.size() > 1 ? index_of(vm, a.positional[1])
                                                   : 0;
        return iterator("enumerate", [it, i](Vm& vm) mutable -> std::optional<Object> {
          auto v = vm.next(it);
          if (!v) return std::nullopt;
          return Object::tuple({Object(i++), std::move(*v)});
        });
      }));
  set("zip", type("zip", [](Vm& vm, Args& a) {
        auto strict = a.take("strict");
        a.no_more_keywords("zip");
        std::vector<Object> its;
        for (const auto& v : a.positional)
          its.push_back(vm.iter(v));
        const bool is_strict = strict && strict->truthy();
        return iterator("zip", [its, is_strict](Vm& vm) -> std::optional<Object> {
          if (its.empty()) return std::nullopt;
          List row;
          for (std::size_t k = 0; k < its.size(); ++k) {
            auto v = vm.next(its[k]);
            if (!v) {
              if (is_strict && k > 0)
                vm.raise("ValueError",
                         fmt::format("zip() argument {} is shorter than argument{} "
                                     "1{}",
                                     k + 1, k > 1 ? "s" : "", k > 1 ? fmt::format("-{}", k) : ""));
              return std::nullopt;
            }
            row.push_back(std::move(*v));
          }
          return Object::tuple(std::move(row));
        });
      }));
  set("sorted", native_function("sorted", [](Vm& vm, Args& a) {
        auto key = a.take("key");
        auto reverse = a.take("reverse");
        arg_count(vm, a, 1, 1, "sorted");
        auto items = vm.to_list(a.positional[0]);
        const bool keyed = key && key->kind() != Object::Kind::none;
        std::vector<std::pair<Object, Object>> pairs;
        for (auto& v : items) {
          Object k = keyed ? vm.call(*key, {v}) : v;
          pairs.emplace_back(std::move(k), std::move(v));
        }
        const bool rev = reverse && reverse->truthy();
        // Stable, as Python's: equal items keep their order, reversed or not.
        std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) {
          return rev ? py_less(vm, y.first, x.first) : py_less(vm, x.first, y.first);
        });
        List out;
        for (auto& p : pairs)
          out.push_back(std::move(p.second));
        return Object(std::move(out));
      }));
  set("reversed", type("reversed", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "reversed");
        auto items = vm.to_list(a.positional[0]);
        std::reverse(items.begin(), items.end());
        return vm.iter(Object(std::move(items)));
      }));
  set("sum", native_function("sum", [](Vm& vm, Args& a) {
        auto start = a.take("start");
        arg_count(vm, a, 1, 2, "sum");
        Object total = start                     ? *start
                       : a.positional.size() > 1 ? a.positional[1]
                                                 : Object(std::int64_t{0});
        if (total.kind() == Object::Kind::text)
          vm.raise("TypeError", "sum() can't sum strings [use ''.join(seq) instead]");
        const auto it = vm.iter(a.positional[0]);
        while (auto v = vm.next(it))
          total = binary_op("+", total, *v);
        return total;
      }));
  set("min", native_function("min", [](Vm& vm, Args& a) { return min_max(vm, a, false); }));
  set("max", native_function("max", [](Vm& vm, Args& a) { return min_max(vm, a, true); }));
  set("abs", native_function("abs", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "abs");
        const auto& v = a.positional[0];
        if (v.kind() == Object::Kind::integer) return Object(num::abs(v.integer()));
        if (v.kind() == Object::Kind::boolean) return Object(std::int64_t{v.boolean()});
        if (v.kind() == Object::Kind::real) return Object(std::fabs(v.real()));
        vm.raise("TypeError", fmt::format("bad operand type for abs(): '{}'", v.type_name()));
      }));
  set("round", native_function("round", [](Vm& vm, Args& a) {
        auto nd = a.take("ndigits");
        arg_count(vm, a, 1, 2, "round");
        const auto& v = a.positional[0];
        if (!v.is_number() && v.kind() != Object::Kind::boolean)
          vm.raise("TypeError",
                   fmt::format("type {} doesn't define __round__ method", v.type_name()));
        std::optional<std::int64_t> n;
        const Object* given = nd ? &*nd : a.positional.size() > 1 ? &a.positional[1] : nullptr;
        if (given && given->kind() != Object::Kind::none) n = index_of(vm, *given);
        return num::round(v, n);
      }));
  set("isinstance", native_function("isinstance", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 2, "isinstance");
        return Object(is_instance(vm, a.positional[0], a.positional[1]));
      }));
  set("issubclass", native_function("issubclass", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 2, "issubclass");
        const auto* c = a.positional[0].as<ExceptionTypeObject>();
        const auto* d = a.positional[1].as<ExceptionTypeObject>();
        if (!c || !d) return Object(a.positional[0].same(a.positional[1]));
        return Object(c->is_subclass_of(d));
      }));
  set("repr", native_function("repr", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "repr");
        return Object(a.positional[0].repr());
      }));
  set("str", type("str", [](Vm& vm, Args& a) {
        arg_count(vm, a, 0, 1, "str");
        return Object(a.positional.empty() ? std::string() : a.positional[0].str());
      }));
  set("int", type("int", int_of));
  set("float", type("float", [](Vm& vm, Args& a) {
        arg_count(vm, a, 0, 1, "float");
        if (a.positional.empty()) return Object(0.0);
        const auto& v = a.positional[0];
        if (v.is_number()) return Object(v.number());
        if (v.kind() == Object::Kind::boolean) return Object(v.boolean() ? 1.0 : 0.0);
        if (v.kind() == Object::Kind::text) {
          if (auto d = num::parse_float(v.text())) return Object(*d);
          vm.raise("ValueError", fmt::format("could not convert string to float: {}", v.repr()));
        }
        vm.raise("TypeError", fmt::format("float() argument must be a string or a real number, not "
                                          "'{}'",
                                          v.type_name()));
      }));
  set("bool", type("bool", [](Vm& vm, Args& a) {
        arg_count(vm, a, 0, 1, "bool");
        return Object(!a.positional.empty() && a.positional[0].truthy());
      }));
  set("list", type("list", [](Vm& vm, Args& a) {
        arg_count(vm, a, 0, 1, "list");
        return Object(a.positional.empty() ? List{} : vm.to_list(a.positional[0]));
      }));
  set("tuple", type("tuple", [](Vm& vm, Args& a) {
        arg_count(vm, a, 0, 1, "tuple");
        return Object::tuple(a.positional.empty() ? List{} : vm.to_list(a.positional[0]));
      }));
  auto make_set = [](bool frozen) {
    return [frozen](Vm& vm, Args& a) {
      arg_count(vm, a, 0, 1, frozen ? "frozenset" : "set");
      auto* s = new SetObject(frozen);
      Object out(static_cast<HeapObject*>(s));
      if (!a.positional.empty()) vm.set_update(*s, a.positional[0]);
      return out;
    };
  };
  set("set", type("set", make_set(false)));
  set("frozenset", type("frozenset", make_set(true)));
  set("dict", type("dict", [](Vm& vm, Args& a) {
        auto* d = new DictObject();
        Object out(static_cast<HeapObject*>(d));
        if (a.positional.size() > 1)
          vm.raise("TypeError", "dict expected at most 1 argument, got 2");
        if (!a.positional.empty()) {
          if (const auto* o = a.positional[0].as<DictObject>()) {
            for (const auto& e : o->entries())
              if (e.alive) d->set(e.key, e.value);
          } else {
            for (const auto& pair : vm.to_list(a.positional[0])) {
              auto kv = vm.to_list(pair);
              if (kv.size() != 2)
                vm.raise("ValueError", fmt::format("dictionary update sequence element #0 has "
                                                   "length {}; 2 is required",
                                                   kv.size()));
              d->set(kv[0], kv[1]);
            }
          }
        }
        for (auto& [k, v] : a.keywords)
          d->set(Object(k), v);
        return out;
      }));
  set("iter", native_function("iter", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "iter");
        return vm.iter(a.positional[0]);
      }));
  set("next", native_function("next", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 2, "next");
        if (auto v = vm.next(a.positional[0])) return *v;
        if (a.positional.size() > 1) return a.positional[1];
        vm.raise("StopIteration", {});
      }));
  set("any", native_function("any", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "any");
        const auto it = vm.iter(a.positional[0]);
        while (auto v = vm.next(it))
          if (v->truthy()) return Object(true);
        return Object(false);
      }));
  set("all", native_function("all", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "all");
        const auto it = vm.iter(a.positional[0]);
        while (auto v = vm.next(it))
          if (!v->truthy()) return Object(false);
        return Object(true);
      }));
  set("map", type("map", [](Vm& vm, Args& a) {
        a.no_more_keywords("map");
        if (a.positional.size() < 2)
          vm.raise("TypeError", "map() must have at least two arguments.");
        Object f = a.positional[0];
        std::vector<Object> its;
        for (std::size_t i = 1; i < a.positional.size(); ++i)
          its.push_back(vm.iter(a.positional[i]));
        return iterator("map", [f, its](Vm& vm) -> std::optional<Object> {
          std::vector<Object> args;
          for (const auto& it : its) {
            auto v = vm.next(it);
            if (!v) return std::nullopt;
            args.push_back(std::move(*v));
          }
          return vm.call(f, std::move(args));
        });
      }));
  set("filter", type("filter", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 2, "filter");
        Object f = a.positional[0];
        auto it = vm.iter(a.positional[1]);
        return iterator("filter", [f, it](Vm& vm) -> std::optional<Object> {
          while (auto v = vm.next(it)) {
            const bool keep =
                f.kind() == Object::Kind::none ? v->truthy() : vm.call(f, {*v}).truthy();
            if (keep) return v;
          }
          return std::nullopt;
        });
      }));
  set("chr", native_function("chr", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "chr");
        return Object(format_value(Object(index_of(vm, a.positional[0])), "c"));
      }));
  set("ord", native_function("ord", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "ord");
        const auto& v = a.positional[0];
        if (v.kind() != Object::Kind::text)
          vm.raise("TypeError",
                   fmt::format("ord() expected string of length 1, but {} found", v.type_name()));
        char32_t cp = 0;
        const auto n = decode_utf8(v.text(), 0, cp);
        if (n == 0 || n != v.text().size())
          vm.raise("TypeError",
                   fmt::format("ord() expected a character, but string of length {} found",
                               length(vm, v)));
        return Object(static_cast<std::int64_t>(cp));
      }));
  set("divmod", native_function("divmod", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 2, "divmod");
        return Object::tuple({binary_op("//", a.positional[0], a.positional[1]),
                              binary_op("%", a.positional[0], a.positional[1])});
      }));
  set("pow", native_function("pow", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 3, "pow");
        if (a.positional.size() == 3) { // modular, by squaring
          auto b = index_of(vm, a.positional[0]), e = index_of(vm, a.positional[1]),
               m = index_of(vm, a.positional[2]);
          if (m == 0) vm.raise("ValueError", "pow() 3rd argument cannot be 0");
          if (e < 0) vm.raise("ValueError", "base is not invertible for the given modulus");
          i128 r = 1, x = num::mod(b, m);
          while (e > 0) {
            if (e & 1) r = (r * x) % m;
            x = (x * x) % m;
            e >>= 1;
          }
          return Object(num::mod(static_cast<std::int64_t>(r), m));
        }
        return binary_op("**", a.positional[0], a.positional[1]);
      }));
  set("hex", native_function("hex", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "hex");
        return Object(radix(index_of(vm, a.positional[0]), 16, "0x"));
      }));
  set("oct", native_function("oct", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "oct");
        return Object(radix(index_of(vm, a.positional[0]), 8, "0o"));
      }));
  set("bin", native_function("bin", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "bin");
        return Object(radix(index_of(vm, a.positional[0]), 2, "0b"));
      }));
  set("hash", native_function("hash", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "hash");
        return Object(hash_of(a.positional[0]));
      }));
  set("id", native_function("id", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "id");
        const auto& v = a.positional[0];
        return Object(static_cast<std::int64_t>(v.is_heap()
                                                    ? reinterpret_cast<std::uintptr_t>(v.heap())
                                                    : static_cast<std::uintptr_t>(hash_of(v))));
      }));
  set("callable", native_function("callable", [](Vm& vm, Args& a) {
        arg_count(vm, a, 1, 1, "callable");
        const auto t = a.positional[0].heap_type();
        return Object(t == HeapObject::Type::function || t == HeapObject::Type::builtin ||
                      t == HeapObject::Type::method || t == HeapObject::Type::type ||
                      t == HeapObject::Type::exception_type);
      }));
  set("type", native_function("type", [&vm](Vm& m, Args& a) {
        arg_count(m, a, 1, 1, "type");
        const auto& v = a.positional[0];
        if (const auto* e = v.as<ExceptionObject>()) return e->type;
        const std::string name = v.type_name();
        const int i = builtin_index(name);
        if (i >= 0 && m.builtin(i).heap_type() == HeapObject::Type::type) return m.builtin(i);
        (void)vm;
        return Object(
            static_cast<HeapObject*>(new TypeObject(name, [name](Vm& vm2, Args&) -> Object {
              vm2.raise("TypeError", fmt::format("cannot create '{}' instances", name));
            })));
      }));
  set("getattr", native_function("getattr", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 3, "getattr");
        if (a.positional[1].kind() != Object::Kind::text)
          vm.raise("TypeError", "attribute name must be string");
        try {
          return vm.getattr(a.positional[0], a.positional[1].text());
        } catch (const PyError& e) {
          if (a.positional.size() == 3 && e.exception().as<ExceptionObject>()->is("AttributeError"))
            return a.positional[2];
          throw;
        }
      }));
  set("hasattr", native_function("hasattr", [](Vm& vm, Args& a) {
        arg_count(vm, a, 2, 2, "hasattr");
        try {
          vm.getattr(a.positional[0], a.positional[1].text());
          return Object(true);
        } catch (const PyError& e) {
          if (e.exception().as<ExceptionObject>()->is("AttributeError")) return Object(false);
          throw;
        }
      }));
  for (const char* cls : {"BaseException",      "Exception",         "ValueError",
                          "TypeError",          "RuntimeError",      "KeyError",
                          "IndexError",         "ZeroDivisionError", "AttributeError",
                          "NameError",          "TimeoutError",      "ExceptionGroup",
                          "BaseExceptionGroup", "AssertionError",    "NotImplementedError",
                          "StopIteration",      "OverflowError",     "ArithmeticError",
                          "LookupError",        "RecursionError",    "MemoryError",
                          "UnboundLocalError",  "OSError",           "KeyboardInterrupt",
                          "SystemExit"})
    set(cls, vm.exception_class(cls));
  return out;
}

} // namespace asyncdemo::py
