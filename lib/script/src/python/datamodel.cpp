// Python's data model for the values of the subset: attributes (the
// methods of str, list, dict, set, tuple and exceptions; asyncio's values
// in asyncio.cpp), subscripts and slices, iteration, membership, format().
#include "vm.hpp"

#include "../numbers.hpp"
#include "../values.hpp"

#include "asyncdemo/script/limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace asyncdemo::py {

// asyncio's values' attributes (asyncio.cpp): nothing if it has none of that name.
std::optional<Object> asyncio_attribute(Vm& vm, const Object& obj, const std::string& name);

namespace {

[[noreturn]] void no_attribute(Vm& vm, const Object& obj, const std::string& name) {
  vm.raise("AttributeError",
           fmt::format("'{}' object has no attribute '{}'", obj.type_name(), name));
}

void arity(Vm& vm, const Args& a, std::size_t lo, std::size_t hi, std::string_view name) {
  a.no_more_keywords(name);
  const auto n = a.positional.size() - 1; // self aside
  if (n < lo || n > hi) {
    if (lo == hi)
      vm.raise("TypeError", fmt::format("{}() takes exactly {} argument{} ({} given)", name, lo,
                                        lo == 1 ? "" : "s", n));
    vm.raise("TypeError", fmt::format("{} expected at most {} argument{}, got {}", name, hi,
                                      hi == 1 ? "" : "s", n));
  }
}

std::int64_t as_index(Vm& vm, const Object& v) {
  if (v.kind() == Object::Kind::integer) return v.integer();
  if (v.kind() == Object::Kind::boolean) return v.boolean();
  vm.raise("TypeError",
           fmt::format("'{}' object cannot be interpreted as an integer", v.type_name()));
}

const std::string& text_arg(Vm& vm, const Object& v, std::string_view what) {
  if (v.kind() != Object::Kind::text)
    vm.raise("TypeError", fmt::format("{} must be str, not {}", what, v.type_name()));
  return v.text();
}

// The code points of UTF-8 text, as byte offsets.
std::vector<std::size_t> starts(const std::string& s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  return out;
}

bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

// A dict's keys(), values() or items(): a view that follows the dict.
class DictView final : public HeapObject {
public:
  DictView(Object dict, int what) : HeapObject(Type::other), dict(std::move(dict)), what(what) {}
  const char* type_name() const noexcept override {
    return what == 0 ? "dict_keys" : what == 1 ? "dict_values" : "dict_items";
  }
  std::string repr() const override {
    std::string out = std::string(type_name()) + "([";
    bool first = true;
    for (const auto& e : dict.as<DictObject>()->entries()) {
      if (!e.alive) continue;
      if (!first) out += ", ";
      first = false;
      out += what == 0   ? e.key.repr()
             : what == 1 ? e.value.repr()
                         : Object::tuple({e.key, e.value}).repr();
    }
    return out + "])";
  }
  bool truthy() const override { return dict.as<DictObject>()->size() != 0; }
  Object dict;
  int what; // 0 keys, 1 values, 2 items
};

// (start, stop, step) of a slice over n items, as slice.indices(n).
void slice_bounds(Vm& vm, const List& parts, std::int64_t n, std::int64_t& start,
                  std::int64_t& stop, std::int64_t& step) {
  step = parts[2].kind() == Object::Kind::none ? 1 : as_index(vm, parts[2]);
  if (step == 0) vm.raise("ValueError", "slice step cannot be zero");
  auto clamp = [&](const Object& v, std::int64_t dflt) {
    if (v.kind() == Object::Kind::none) return dflt;
    auto i = as_index(vm, v);
    if (i < 0) i += n;
    if (step > 0) return std::clamp<std::int64_t>(i, 0, n);
    return std::clamp<std::int64_t>(i, -1, n - 1);
  };
  start = clamp(parts[0], step > 0 ? 0 : n - 1);
  stop = clamp(parts[1], step > 0 ? n : -1);
}

} // namespace

// ---- attributes ----

Object Vm::getattr(const Object& obj, const std::string& name) {
  if (auto a = asyncio_attribute(*this, obj, name)) return *a;
  switch (obj.kind()) {
  case Object::Kind::text: {
    const auto& s = obj.text();
    auto str_method = [&](std::string n, NativeFn fn) {
      return native_method(obj, "str." + n, std::move(fn));
    };
    if (name == "upper" || name == "lower")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        std::string t = a.positional[0].text();
        for (auto& c : t)
          if (name == "upper" ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) c ^= 0x20;
        return Object(std::move(t));
      });
    if (name == "strip" || name == "lstrip" || name == "rstrip")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 1, name);
        const auto& t = a.positional[0].text();
        const bool given = a.positional.size() > 1 && a.positional[1].kind() != Object::Kind::none;
        const std::string chars = given ? text_arg(vm, a.positional[1], "strip arg") : "";
        auto gone = [&](char c) {
          return given ? chars.find(c) != std::string::npos : is_space(c);
        };
        std::size_t b = 0, e = t.size();
        if (name != "rstrip")
          while (b < e && gone(t[b]))
            ++b;
        if (name != "lstrip")
          while (e > b && gone(t[e - 1]))
            --e;
        return Object(t.substr(b, e - b));
      });
    if (name == "split" || name == "rsplit")
      return str_method(name, [name](Vm& vm, Args& a) {
        auto sep_kw = a.take("sep");
        auto max_kw = a.take("maxsplit");
        arity(vm, a, 0, 2, name);
        const auto& t = a.positional[0].text();
        Object sep = sep_kw ? *sep_kw : a.positional.size() > 1 ? a.positional[1] : Object();
        const std::int64_t maxsplit = max_kw                    ? as_index(vm, *max_kw)
                                      : a.positional.size() > 2 ? as_index(vm, a.positional[2])
                                                                : -1;
        List out;
        if (sep.kind() == Object::Kind::none) { // runs of whitespace
          std::size_t i = 0;
          std::int64_t splits = 0;
          while (i < t.size()) {
            while (i < t.size() && is_space(t[i]))
              ++i;
            if (i >= t.size()) break;
            if (maxsplit >= 0 && splits == maxsplit) {
              auto rest = t.substr(i);
              while (!rest.empty() && is_space(rest.back()))
                rest.pop_back();
              out.emplace_back(rest);
              break;
            }
            std::size_t j = i;
            while (j < t.size() && !is_space(t[j]))
              ++j;
            out.emplace_back(t.substr(i, j - i));
            ++splits;
            i = j;
          }
          return Object(std::move(out));
        }
        const auto& d = text_arg(vm, sep, "must be str or None");
        if (d.empty()) vm.raise("ValueError", "empty separator");
        std::size_t i = 0;
        std::int64_t splits = 0;
        for (;;) {
          const auto at = t.find(d, i);
          if (at == std::string::npos || (maxsplit >= 0 && splits == maxsplit)) {
            out.emplace_back(t.substr(i));
            break;
          }
          out.emplace_back(t.substr(i, at - i));
          i = at + d.size();
          ++splits;
        }
        return Object(std::move(out));
      });
    if (name == "join")
      return str_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, "join");
        const auto& sep = a.positional[0].text();
        std::string out;
        bool first = true;
        for (const auto& v : vm.to_list(a.positional[1])) {
          if (v.kind() != Object::Kind::text)
            vm.raise("TypeError", fmt::format("sequence item {}: expected str instance, {} found",
                                              0, v.type_name()));
          if (!first) out += sep;
          first = false;
          out += v.text();
          if (out.size() > script::max_str_bytes)
            vm.raise("MemoryError", "a string holds at most 1000000 bytes here");
        }
        return Object(std::move(out));
      });
    if (name == "replace")
      return str_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 2, 3, "replace");
        const auto& t = a.positional[0].text();
        const auto& from = text_arg(vm, a.positional[1], "replace() argument 1");
        const auto& to = text_arg(vm, a.positional[2], "replace() argument 2");
        std::int64_t count = a.positional.size() > 3 ? as_index(vm, a.positional[3]) : -1;
        std::string out;
        std::size_t i = 0;
        if (from.empty()) {
          const auto cs = starts(t);
          for (std::size_t k = 0; k <= cs.size(); ++k) {
            if (count != 0) {
              out += to;
              --count;
            }
            if (k < cs.size())
              out += t.substr(cs[k], (k + 1 < cs.size() ? cs[k + 1] : t.size()) - cs[k]);
            if (out.size() > script::max_str_bytes)
              vm.raise("MemoryError", "a string holds at most 1000000 bytes here");
          }
          return Object(std::move(out));
        }
        while (count != 0) {
          const auto at = t.find(from, i);
          if (at == std::string::npos) break;
          out += t.substr(i, at - i) + to;
          i = at + from.size();
          --count;
          if (out.size() > script::max_str_bytes)
            vm.raise("MemoryError", "a string holds at most 1000000 bytes here");
        }
        out += t.substr(i);
        return Object(std::move(out));
      });
    if (name == "startswith" || name == "endswith")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, name);
        const auto& t = a.positional[0].text();
        auto test = [&](const Object& p) {
          const auto& x = text_arg(vm, p, name + " first arg");
          return name == "startswith"
                     ? t.rfind(x, 0) == 0
                     : t.size() >= x.size() && t.compare(t.size() - x.size(), x.size(), x) == 0;
        };
        if (a.positional[1].kind() == Object::Kind::tuple) {
          for (const auto& p : a.positional[1].list())
            if (test(p)) return Object(true);
          return Object(false);
        }
        return Object(test(a.positional[1]));
      });
    if (name == "find" || name == "index" || name == "count")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, name);
        const auto& t = a.positional[0].text();
        const auto& x = text_arg(vm, a.positional[1], "must be str");
        if (name == "count") {
          if (x.empty()) return Object(static_cast<std::int64_t>(starts(t).size() + 1));
          std::int64_t n = 0;
          for (auto at = t.find(x); at != std::string::npos; at = t.find(x, at + x.size()))
            ++n;
          return Object(n);
        }
        const auto at = t.find(x);
        if (at == std::string::npos) {
          if (name == "index") vm.raise("ValueError", "substring not found");
          return Object(std::int64_t{-1});
        }
        const auto cs = starts(t);
        return Object(
            static_cast<std::int64_t>(std::lower_bound(cs.begin(), cs.end(), at) - cs.begin()));
      });
    if (name == "center" || name == "ljust" || name == "rjust" || name == "zfill")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, name == "zfill" ? 1 : 2, name);
        const auto& t = a.positional[0].text();
        const auto width = as_index(vm, a.positional[1]);
        std::string spec;
        if (name == "zfill") {
          const auto len = static_cast<std::int64_t>(starts(t).size());
          if (width <= len) return Object(t);
          const bool sign = !t.empty() && (t[0] == '-' || t[0] == '+');
          std::string out = sign ? t.substr(0, 1) : "";
          out += std::string(static_cast<std::size_t>(width - len), '0');
          out += sign ? t.substr(1) : t;
          return Object(std::move(out));
        }
        const std::string fill = a.positional.size() > 2 ? a.positional[2].text() : " ";
        spec = fill +
               (name == "center"  ? "^"
                : name == "ljust" ? "<"
                                  : ">") +
               std::to_string(width);
        return Object(vm.format_field(Object(t), spec));
      });
    if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" ||
        name == "isupper" || name == "islower")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        const auto& t = a.positional[0].text();
        if (t.empty()) return Object(false);
        bool cased = false;
        for (const unsigned char c : t) {
          const bool digit = c >= '0' && c <= '9', alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
          if (name == "isdigit" && !digit) return Object(false);
          if (name == "isalpha" && !alpha) return Object(false);
          if (name == "isalnum" && !digit && !alpha) return Object(false);
          if (name == "isspace" && !is_space(static_cast<char>(c))) return Object(false);
          if (name == "isupper" && c >= 'a' && c <= 'z') return Object(false);
          if (name == "islower" && c >= 'A' && c <= 'Z') return Object(false);
          cased = cased || alpha;
        }
        if ((name == "isupper" || name == "islower") && !cased) return Object(false);
        return Object(true);
      });
    if (name == "title" || name == "capitalize")
      return str_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        std::string t = a.positional[0].text();
        bool start = true;
        for (std::size_t i = 0; i < t.size(); ++i) {
          char& c = t[i];
          const bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
          if (alpha) {
            if (start && c >= 'a' && c <= 'z') c ^= 0x20;
            if (!start && c >= 'A' && c <= 'Z') c ^= 0x20;
          }
          start = name == "title" ? !alpha : false;
        }
        return Object(std::move(t));
      });
    if (name == "format")
      return str_method(name, [](Vm& vm, Args& a) {
        Object self = a.positional[0];
        a.positional.erase(a.positional.begin());
        return Object(str_format(vm, self.text(), a));
      });
    if (name == "splitlines")
      return str_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, "splitlines");
        List out;
        const auto& t = a.positional[0].text();
        std::size_t i = 0;
        while (i < t.size()) {
          auto nl = t.find_first_of("\r\n", i);
          if (nl == std::string::npos) {
            out.emplace_back(t.substr(i));
            break;
          }
          out.emplace_back(t.substr(i, nl - i));
          i = nl + (t[nl] == '\r' && nl + 1 < t.size() && t[nl + 1] == '\n' ? 2 : 1);
        }
        return Object(std::move(out));
      });
    (void)s;
    break;
  }
  case Object::Kind::list: {
    auto list_method = [&](std::string n, NativeFn fn) {
      return native_method(obj, "list." + n, std::move(fn));
    };
    if (name == "append")
      return list_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, "list.append");
        if (a.positional[0].list().size() >= script::max_list_len)
          vm.raise("MemoryError",
                   fmt::format("a list holds at most {} items here", script::max_list_len));
        a.positional[0].append(a.positional[1]);
        return Object();
      });
    if (name == "extend")
      return list_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, "list.extend");
        vm.inplace(a.positional[0], "+", a.positional[1]);
        return Object();
      });
    if (name == "insert")
      return list_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 2, 2, "insert");
        auto& items = a.positional[0].items();
        auto i = as_index(vm, a.positional[1]);
        const auto n = static_cast<std::int64_t>(items.size());
        if (i < 0) i = std::max<std::int64_t>(0, i + n);
        i = std::min(i, n);
        items.insert(items.begin() + i, a.positional[2]);
        return Object();
      });
    if (name == "pop")
      return list_method(name, [](Vm& vm, Args& a) {
        arity(vm, a, 0, 1, "pop");
        auto& items = a.positional[0].items();
        if (items.empty()) vm.raise("IndexError", "pop from empty list");
        const auto n = static_cast<std::int64_t>(items.size());
        auto i = a.positional.size() > 1 ? as_index(vm, a.positional[1]) : n - 1;
        if (i < 0) i += n;
        if (i < 0 || i >= n) vm.raise("IndexError", "pop index out of range");
        auto v = items[static_cast<std::size_t>(i)];
        items.erase(items.begin() + i);
        return v;
      });
    if (name == "remove" || name == "index" || name == "count")
      return list_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, name);
        auto& items = a.positional[0].items();
        std::int64_t n = 0;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (items[i] == a.positional[1]) {
            if (name == "remove") {
              items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
              return Object();
            }
            if (name == "index") return Object(static_cast<std::int64_t>(i));
            ++n;
          }
        if (name == "count") return Object(n);
        if (name == "remove") vm.raise("ValueError", "list.remove(x): x not in list");
        vm.raise("ValueError", fmt::format("{} is not in list", a.positional[1].repr()));
      });
    if (name == "sort")
      return list_method(name, [](Vm& vm, Args& a) {
        auto key = a.take("key");
        auto reverse = a.take("reverse");
        arity(vm, a, 0, 0, "sort");
        Args s;
        s.positional.push_back(a.positional[0]);
        if (key) s.keywords.emplace_back("key", *key);
        if (reverse) s.keywords.emplace_back("reverse", *reverse);
        const auto sorted = vm.call(vm.builtin(builtin_index("sorted")), s);
        a.positional[0].items() = sorted.list();
        return Object();
      });
    if (name == "reverse" || name == "clear" || name == "copy")
      return list_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        auto& items = a.positional[0].items();
        if (name == "reverse") std::reverse(items.begin(), items.end());
        if (name == "clear") items.clear();
        if (name == "copy") return Object(List(items));
        return Object();
      });
    break;
  }
  case Object::Kind::tuple:
    if (name == "count" || name == "index")
      return native_method(obj, "tuple." + name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, name);
        const auto& items = a.positional[0].list();
        std::int64_t n = 0;
        for (std::size_t i = 0; i < items.size(); ++i)
          if (items[i] == a.positional[1]) {
            if (name == "index") return Object(static_cast<std::int64_t>(i));
            ++n;
          }
        if (name == "index") vm.raise("ValueError", "tuple.index(x): x not in tuple");
        return Object(n);
      });
    break;
  default:
    break;
  }
  if (obj.heap_type() == HeapObject::Type::dict) {
    auto dict_method = [&](std::string n, NativeFn fn) {
      return native_method(obj, "dict." + n, std::move(fn));
    };
    auto d = [](const Args& a) { return a.positional[0].as<DictObject>(); };
    if (name == "get")
      return dict_method(name, [d](Vm& vm, Args& a) {
        arity(vm, a, 1, 2, "get");
        const auto* v = d(a)->find(a.positional[1]);
        return v ? *v : a.positional.size() > 2 ? a.positional[2] : Object();
      });
    if (name == "keys" || name == "values" || name == "items")
      return dict_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        return Object(
            static_cast<HeapObject*>(new DictView(a.positional[0], name == "keys"     ? 0
                                                                   : name == "values" ? 1
                                                                                      : 2)));
      });
    if (name == "pop")
      return dict_method(name, [d](Vm& vm, Args& a) {
        arity(vm, a, 1, 2, "pop");
        const auto* v = d(a)->find(a.positional[1]);
        if (!v) {
          if (a.positional.size() > 2) return a.positional[2];
          auto e = vm.new_exception("KeyError", {});
          e.as<ExceptionObject>()->args = {a.positional[1]};
          vm.raise(e);
        }
        auto value = *v;
        d(a)->erase(a.positional[1]);
        return value;
      });
    if (name == "setdefault")
      return dict_method(name, [d](Vm& vm, Args& a) {
        arity(vm, a, 1, 2, "setdefault");
        if (const auto* v = d(a)->find(a.positional[1])) return *v;
        auto value = a.positional.size() > 2 ? a.positional[2] : Object();
        d(a)->set(a.positional[1], value);
        return value;
      });
    if (name == "update")
      return dict_method(name, [d](Vm& vm, Args& a) {
        auto* self = d(a);
        if (a.positional.size() > 2) vm.raise("TypeError", "update expected at most 1 argument");
        if (a.positional.size() == 2) {
          const auto& other = a.positional[1];
          if (const auto* o = other.as<DictObject>()) {
            for (const auto& e : o->entries())
              if (e.alive) self->set(e.key, e.value);
          } else {
            for (const auto& pair : vm.to_list(other)) {
              auto kv = vm.to_list(pair);
              if (kv.size() != 2)
                vm.raise("ValueError", "dictionary update sequence element has wrong length");
              self->set(kv[0], kv[1]);
            }
          }
        }
        for (auto& [k, v] : a.keywords)
          self->set(Object(k), v);
        return Object();
      });
    if (name == "copy" || name == "clear" || name == "popitem")
      return dict_method(name, [d, name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        auto* self = d(a);
        if (name == "clear") {
          self->clear();
          return Object();
        }
        if (name == "popitem") {
          for (auto it = self->entries().rbegin(); it != self->entries().rend(); ++it)
            if (it->alive) {
              auto pair = Object::tuple({it->key, it->value});
              self->erase(it->key);
              return pair;
            }
          vm.raise("KeyError", "'popitem(): dictionary is empty'");
        }
        auto* copy = new DictObject();
        for (const auto& e : self->entries())
          if (e.alive) copy->set(e.key, e.value);
        return Object(static_cast<HeapObject*>(copy));
      });
  }
  if (obj.heap_type() == HeapObject::Type::set) {
    auto set_method = [&](std::string n, NativeFn fn) {
      return native_method(obj, "set." + n, std::move(fn));
    };
    if (name == "add" || name == "discard" || name == "remove")
      return set_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 1, 1, name);
        auto* self = a.positional[0].as<SetObject>();
        if (name == "add") {
          self->add(a.positional[1]);
        } else if (!self->discard(a.positional[1]) && name == "remove") {
          auto e = vm.new_exception("KeyError", {});
          e.as<ExceptionObject>()->args = {a.positional[1]};
          vm.raise(e);
        }
        return Object();
      });
    if (name == "pop" || name == "clear" || name == "copy")
      return set_method(name, [name](Vm& vm, Args& a) {
        arity(vm, a, 0, 0, name);
        auto* self = a.positional[0].as<SetObject>();
        if (name == "clear") {
          self->clear();
          return Object();
        }
        if (name == "copy") {
          auto* c = new SetObject();
          c->merge(*self);
          return Object(static_cast<HeapObject*>(c));
        }
        const auto items = self->items();
        if (items.empty()) vm.raise("KeyError", "'pop from an empty set'");
        self->discard(items.front());
        return items.front();
      });
    if (name == "update" || name == "union" || name == "intersection" || name == "difference")
      return set_method(name, [name](Vm& vm, Args& a) {
        a.no_more_keywords(name);
        auto* self = a.positional[0].as<SetObject>();
        Object result = a.positional[0];
        if (name != "update") {
          auto* c = new SetObject();
          result = Object(static_cast<HeapObject*>(c));
          c->merge(*self);
        }
        auto* out = result.as<SetObject>();
        for (std::size_t i = 1; i < a.positional.size(); ++i) {
          if (name == "update" || name == "union") {
            vm.set_update(*out, a.positional[i]);
            continue;
          }
          const auto other = vm.to_list(a.positional[i]);
          {
            auto* keep = new SetObject();
            Object keep_obj(static_cast<HeapObject*>(keep));
            for (const auto& v : other)
              if (name == "intersection" && out->contains(v)) keep->add(v);
            if (name == "difference") {
              for (const auto& v : other)
                out->discard(v);
              continue;
            }
            result = keep_obj;
            out = keep;
          }
        }
        return name == "update" ? Object() : result;
      });
  }
  if (const auto* e = obj.as<ExceptionObject>()) {
    if (name == "args") return Object::tuple(e->args);
    if (name == "exceptions" && e->cls()->group) return Object::tuple(e->exceptions);
    if (name == "message" && e->cls()->group) return Object(e->message);
    if (name == "__cause__") return e->cause;
    if (name == "__context__") return e->context;
  }
  if (const auto* m = obj.as<ModuleObject>()) {
    const auto it = m->attrs.find(name);
    if (it != m->attrs.end()) return it->second;
    raise("AttributeError", fmt::format("module '{}' has no attribute '{}'", m->name, name));
  }
  if (const auto* f = obj.as<FunctionObject>()) {
    if (name == "__name__") return Object(f->name);
    if (name == "__qualname__") return Object(f->code->qualname);
  }
  if (const auto* c = obj.as<ExceptionTypeObject>()) {
    if (name == "__name__") return Object(c->name);
  }
  no_attribute(*this, obj, name);
}

// ---- subscripts ----

Object Vm::subscript(const Object& obj, const Object& index) {
  const bool slice =
      index.heap_type() == HeapObject::Type::other && std::string_view(index.type_name()) == "list";
  if (obj.kind() == Object::Kind::list || obj.kind() == Object::Kind::tuple ||
      obj.kind() == Object::Kind::text) {
    const bool text = obj.kind() == Object::Kind::text;
    const auto cs = text ? starts(obj.text()) : std::vector<std::size_t>{};
    const auto n = static_cast<std::int64_t>(text ? cs.size() : obj.list().size());
    if (slice) {
      std::int64_t start = 0, stop = 0, step = 1;
      slice_bounds(*this, static_cast<const ListObject*>(index.heap())->items, n, start, stop,
                   step);
      if (text) {
        const auto& t = obj.text();
        std::string out;
        for (auto i = start; step > 0 ? i < stop : i > stop; i += step) {
          const auto b = cs[static_cast<std::size_t>(i)];
          const auto e = static_cast<std::size_t>(i) + 1 < cs.size()
                             ? cs[static_cast<std::size_t>(i) + 1]
                             : t.size();
          out += t.substr(b, e - b);
        }
        return Object(std::move(out));
      }
      List out;
      for (auto i = start; step > 0 ? i < stop : i > stop; i += step)
        out.push_back(obj.list()[static_cast<std::size_t>(i)]);
      return obj.kind() == Object::Kind::tuple ? Object::tuple(std::move(out))
                                               : Object(std::move(out));
    }
    if (index.kind() != Object::Kind::integer && index.kind() != Object::Kind::boolean)
      raise("TypeError", fmt::format("{} indices must be integers or slices, not {}",
                                     text ? "string" : obj.type_name(), index.type_name()));
    auto i = as_index(*this, index);
    if (text) return text_at(obj.text(), i);
    if (i < 0) i += n;
    if (i < 0 || i >= n) raise("IndexError", fmt::format("{} index out of range", obj.type_name()));
    return obj.list()[static_cast<std::size_t>(i)];
  }
  if (const auto* d = obj.as<DictObject>()) {
    if (const auto* v = d->find(index)) return *v;
    auto e = new_exception("KeyError", {});
    e.as<ExceptionObject>()->args = {index};
    raise(e);
  }
  if (const auto* r = obj.as<RangeObject>()) {
    auto i = as_index(*this, index);
    if (i < 0) i += r->length();
    if (i < 0 || i >= r->length()) raise("IndexError", "range object index out of range");
    return Object(r->at(i));
  }
  raise("TypeError", fmt::format("'{}' object is not subscriptable", obj.type_name()));
}

void Vm::set_subscript(const Object& obj, const Object& index, Object value) {
  if (obj.kind() == Object::Kind::list) {
    auto& items = const_cast<Object&>(obj).items();
    auto i = as_index(*this, index);
    const auto n = static_cast<std::int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) raise("IndexError", "list assignment index out of range");
    items[static_cast<std::size_t>(i)] = std::move(value);
    return;
  }
  if (auto* d = obj.as<DictObject>()) {
    d->set(index, std::move(value));
    return;
  }
  raise("TypeError", fmt::format("'{}' object does not support item assignment", obj.type_name()));
}

void Vm::del_subscript(const Object& obj, const Object& index) {
  if (obj.kind() == Object::Kind::list) {
    auto& items = const_cast<Object&>(obj).items();
    auto i = as_index(*this, index);
    const auto n = static_cast<std::int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) raise("IndexError", "list assignment index out of range");
    items.erase(items.begin() + i);
    return;
  }
  if (auto* d = obj.as<DictObject>()) {
    if (!d->erase(index)) {
      auto e = new_exception("KeyError", {});
      e.as<ExceptionObject>()->args = {index};
      raise(e);
    }
    return;
  }
  raise("TypeError", fmt::format("'{}' object does not support item deletion", obj.type_name()));
}

// ---- iteration ----

Object Vm::iter(const Object& obj) {
  auto make = [](std::string kind, std::function<std::optional<Object>(Vm&)> next) {
    return Object(static_cast<HeapObject*>(new IteratorObject(std::move(kind), std::move(next))));
  };
  switch (obj.kind()) {
  case Object::Kind::list:
  case Object::Kind::tuple:
    return make(obj.kind() == Object::Kind::list ? "list_iterator" : "tuple_iterator",
                [obj, i = std::size_t{0}](Vm&) mutable -> std::optional<Object> {
                  if (i >= obj.list().size()) return std::nullopt;
                  return obj.list()[i++];
                });
  case Object::Kind::text:
    return make("str_iterator", [obj, i = std::size_t{0}](Vm&) mutable -> std::optional<Object> {
      const auto& t = obj.text();
      if (i >= t.size()) return std::nullopt;
      std::size_t n = 1;
      while (i + n < t.size() && (static_cast<unsigned char>(t[i + n]) & 0xC0) == 0x80)
        ++n;
      Object c(t.substr(i, n));
      i += n;
      return c;
    });
  default:
    break;
  }
  switch (obj.heap_type()) {
  case HeapObject::Type::iterator:
  case HeapObject::Type::generator:
    return obj;
  case HeapObject::Type::range: {
    const auto* r = obj.as<RangeObject>();
    return make("range_iterator",
                [obj, r, i = std::int64_t{0}](Vm&) mutable -> std::optional<Object> {
                  if (i >= r->length()) return std::nullopt;
                  return Object(r->at(i++));
                });
  }
  case HeapObject::Type::dict: {
    const auto* d = obj.as<DictObject>();
    return make("dict_keyiterator",
                [obj, d, i = std::size_t{0}, size = d->size(),
                 version = d->version()](Vm& vm) mutable -> std::optional<Object> {
                  if (d->version() != version) {
                    if (d->size() != size)
                      vm.raise("RuntimeError", "dictionary changed size during iteration");
                    vm.raise("RuntimeError", "dictionary keys changed during iteration");
                  }
                  const auto& es = d->entries();
                  while (i < es.size() && !es[i].alive)
                    ++i;
                  if (i >= es.size()) return std::nullopt;
                  return es[i++].key;
                });
  }
  case HeapObject::Type::set:
    return iter(Object(obj.as<SetObject>()->items()));
  default:
    break;
  }
  if (const auto* v = dynamic_cast<const DictView*>(obj.heap())) {
    const auto* d = v->dict.as<DictObject>();
    const int what = v->what;
    return make(what == 0   ? "dict_keyiterator"
                : what == 1 ? "dict_valueiterator"
                            : "dict_itemiterator",
                [obj, d, what, i = std::size_t{0},
                 size = d->size()](Vm& vm) mutable -> std::optional<Object> {
                  if (d->size() != size)
                    vm.raise("RuntimeError", "dictionary changed size during iteration");
                  const auto& es = d->entries();
                  while (i < es.size() && !es[i].alive)
                    ++i;
                  if (i >= es.size()) return std::nullopt;
                  const auto& e = es[i++];
                  return what == 0 ? e.key : what == 1 ? e.value : Object::tuple({e.key, e.value});
                });
  }
  raise("TypeError", fmt::format("'{}' object is not iterable", obj.type_name()));
}

std::optional<Object> Vm::next(const Object& it) {
  if (auto* i = it.as<IteratorObject>()) return i->next(*this);
  if (auto* g = it.as<GeneratorObject>()) {
    if (g->done) return std::nullopt;
    auto& frame = *static_cast<Frame*>(g->frame.heap());
    if (++depth > 1000) {
      --depth;
      raise("RecursionError", "maximum recursion depth exceeded");
    }
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth};
    const Entered entered(*this, frame);
    Stop stop;
    try {
      stop = step(frame);
    } catch (...) {
      g->done = true;
      throw;
    }
    if (stop == Stop::yields) return std::move(frame.passed);
    g->done = true;
    return std::nullopt;
  }
  raise("TypeError", fmt::format("'{}' object is not an iterator", it.type_name()));
}

List Vm::to_list(const Object& iterable) {
  if (iterable.kind() == Object::Kind::list || iterable.kind() == Object::Kind::tuple)
    return iterable.list();
  if (const auto* r = iterable.as<RangeObject>())
    if (static_cast<std::size_t>(r->length()) > script::max_list_len)
      raise("MemoryError", fmt::format("the list would have {} items; a list holds at most {} "
                                       "items here",
                                       r->length(), script::max_list_len));
  List out;
  const auto it = iter(iterable);
  while (auto v = next(it)) {
    if (out.size() >= script::max_list_len)
      raise("MemoryError", fmt::format("a list holds at most {} items here", script::max_list_len));
    out.push_back(std::move(*v));
  }
  return out;
}

bool Vm::contains(const Object& c, const Object& item) {
  if (c.kind() == Object::Kind::text) {
    if (item.kind() != Object::Kind::text)
      raise("TypeError",
            fmt::format("'in <string>' requires string as left operand, not {}", item.type_name()));
    return c.text().find(item.text()) != std::string::npos;
  }
  if (c.kind() == Object::Kind::list || c.kind() == Object::Kind::tuple) {
    for (const auto& v : c.list())
      if (v.same(item) || v == item) return true;
    return false;
  }
  if (const auto* d = c.as<DictObject>()) return d->find(item) != nullptr;
  if (const auto* s = c.as<SetObject>()) return s->contains(item);
  if (const auto* r = c.as<RangeObject>()) {
    if (item.kind() != Object::Kind::integer) return false;
    const auto v = item.integer();
    if (r->step > 0 ? (v < r->start || v >= r->stop) : (v > r->start || v <= r->stop)) return false;
    return (v - r->start) % r->step == 0;
  }
  if (const auto* v = dynamic_cast<const DictView*>(c.heap())) {
    const auto* d = v->dict.as<DictObject>();
    if (v->what == 0) return d->find(item) != nullptr;
  }
  const auto it = iter(c);
  while (auto v = next(it))
    if (v->same(item) || *v == item) return true;
  return false;
}

std::string Vm::format_field(const Object& v, const std::string& spec) {
  switch (v.kind()) {
  case Object::Kind::none:
  case Object::Kind::boolean:
  case Object::Kind::integer:
  case Object::Kind::real:
  case Object::Kind::text:
    return format_value(v, spec);
  default:
    if (!spec.empty())
      raise("TypeError",
            fmt::format("unsupported format string passed to {}.__format__", v.type_name()));
    return v.str();
  }
}

void Vm::set_update(SetObject& s, const Object& other) {
  if (const auto* o = other.as<SetObject>()) {
    s.merge(*o);
    return;
  }
  if (const auto* d = other.as<DictObject>()) {
    s.expect(d->size());
    for (const auto& e : d->entries())
      if (e.alive) s.add(e.key);
    return;
  }
  for (const auto& v : to_list(other))
    s.add(v);
}

Object Vm::inplace(const Object& a, const std::string& op, const Object& b) {
  if (op == "+" && a.kind() == Object::Kind::list) {
    auto extra = to_list(b);
    auto& items = const_cast<Object&>(a).items();
    if (items.size() + extra.size() > script::max_list_len)
      raise("MemoryError", fmt::format("a list holds at most {} items here", script::max_list_len));
    for (auto& v : extra)
      items.push_back(std::move(v));
    return a;
  }
  if (auto* s = a.as<SetObject>(); s && op == "|") {
    set_update(*s, b);
    return a;
  }
  if (auto* d = a.as<DictObject>(); d && op == "|") {
    if (const auto* o = b.as<DictObject>())
      for (const auto& e : o->entries())
        if (e.alive) d->set(e.key, e.value);
    return a;
  }
  return binary_op(op, a, b);
}

} // namespace asyncdemo::py
