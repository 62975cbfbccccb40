#include "asyncdemo/script/object.hpp"

#include "asyncdemo/script/expr.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace asyncdemo {

std::string py_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // The shortest digits that read back as d, and where the point goes: as
  // CPython's float_repr_style 'short' finds them.
  char buf[64];
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  const std::string sci(buf, ec == std::errc() ? end : buf);
  const auto e_at = sci.find('e');
  std::string digits = sci.substr(0, 1) + (e_at > 2 ? sci.substr(2, e_at - 2) : "");
  const int decpt = std::stoi(sci.substr(e_at + 1)) + 1; // digits are 0.DIGITS × 10^decpt
  std::string out = d < 0 ? "-" : "";
  if (decpt > -4 && decpt <= 16) { // fixed notation
    const auto n = static_cast<int>(digits.size());
    if (decpt <= 0)
      out += "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    else if (decpt >= n)
      out += digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
    else
      out += digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
             digits.substr(static_cast<std::size_t>(decpt));
  } else {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02d}", decpt - 1 < 0 ? '-' : '+', std::abs(decpt - 1));
  }
  return out;
}

std::string py_str_repr(std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  // Backslashes and the quote escaped, then whatever repr escapes for being
  // invisible (escape_like_repr).
  std::string plain;
  for (const char c : s) {
    if (c == '\\')
      plain += "\\\\";
    else if (c == quote)
      plain += std::string("\\") + c;
    else
      plain += c;
  }
  out += escape_like_repr(plain);
  return out + quote;
}

namespace {

// Heap values freed while another is being freed wait here, so that freeing
// a structure however deep takes a loop, not a recursion. (Made on first use
// and never freed: values held by static objects are freed after a
// thread_local's own destructor would have run.)
thread_local std::vector<HeapObject*>* dying = nullptr;
thread_local bool freeing = false;

// The containers whose repr is being written (a list that holds itself is
// "[...]"), and how deep: past the limit, a RecursionError as Python's.
thread_local std::vector<const HeapObject*> showing;
constexpr std::size_t max_repr_depth = 1000;

struct Showing {
  explicit Showing(const HeapObject* h, const char* doing = "while getting the repr of an object") {
    if (showing.size() >= max_repr_depth)
      throw ScriptError(fmt::format("RecursionError: maximum recursion depth exceeded {}", doing));
    showing.push_back(h);
  }
  ~Showing() { showing.pop_back(); }
  static bool again(const HeapObject* h) {
    return std::find(showing.begin(), showing.end(), h) != showing.end();
  }
};

std::string items_repr(const List& items, std::string_view open, std::string_view close,
                       bool one_comma) {
  std::string out(open);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += items[i].repr();
  }
  if (one_comma && items.size() == 1) out += ",";
  return out + std::string(close);
}

} // namespace

void HeapObject::release() noexcept {
  if (--refs_ != 0) return;
  if (freeing) {
    dying->push_back(this);
    return;
  }
  if (!dying) dying = new std::vector<HeapObject*>();
  freeing = true;
  delete this;
  while (!dying->empty()) {
    auto* h = dying->back();
    dying->pop_back();
    delete h;
  }
  freeing = false;
}

std::string HeapObject::repr() const {
  return fmt::format("<{} object>", type_name());
}

void ListObject::give_up(List& into) {
  for (auto& v : items)
    into.push_back(std::move(v));
  items.clear();
}

Object::Object(HeapObject* h) noexcept {
  u_.p = h;
  h->add_ref();
  switch (h->type()) {
  case HeapObject::Type::str:
    kind_ = Kind::text;
    break;
  case HeapObject::Type::list:
    kind_ = Kind::list;
    break;
  case HeapObject::Type::tuple:
    kind_ = Kind::tuple;
    break;
  default:
    kind_ = Kind::other;
    break;
  }
}

Object::Object(std::string s) : Object(static_cast<HeapObject*>(new StrObject(std::move(s)))) {}

Object::Object(List l) : Object(static_cast<HeapObject*>(new ListObject(std::move(l)))) {}

Object Object::tuple(List items) {
  return Object(
      static_cast<HeapObject*>(new ListObject(std::move(items), HeapObject::Type::tuple)));
}

const std::string& Object::text() const {
  return static_cast<const StrObject*>(u_.p)->value;
}

const List& Object::list() const {
  return static_cast<const ListObject*>(u_.p)->items;
}

List& Object::items() {
  return static_cast<ListObject*>(u_.p)->items;
}

void Object::append(Object v) {
  items().push_back(std::move(v));
}

bool Object::truthy() const {
  switch (kind()) {
  case Kind::none:
    return false;
  case Kind::boolean:
    return boolean();
  case Kind::integer:
    return integer() != 0;
  case Kind::real:
    return real() != 0;
  case Kind::text:
    return !text().empty();
  case Kind::list:
  case Kind::tuple:
    return !list().empty();
  case Kind::other:
    return u_.p->truthy();
  }
  return false;
}

std::string Object::str() const {
  if (kind() == Kind::text) return text();
  if (kind() == Kind::other) return u_.p->str();
  return repr();
}

std::string Object::repr() const {
  switch (kind()) {
  case Kind::none:
    return "None";
  case Kind::boolean:
    return boolean() ? "True" : "False";
  case Kind::integer:
    return std::to_string(integer());
  case Kind::real:
    return py_float_repr(real());
  case Kind::text:
    return py_str_repr(text());
  case Kind::list: {
    if (Showing::again(u_.p)) return "[...]";
    const Showing guard(u_.p);
    return items_repr(list(), "[", "]", false);
  }
  case Kind::tuple: {
    if (Showing::again(u_.p)) return "(...)";
    const Showing guard(u_.p);
    return items_repr(list(), "(", ")", true);
  }
  case Kind::other: {
    if (Showing::again(u_.p)) return "...";
    const Showing guard(u_.p);
    return u_.p->repr();
  }
  }
  return "?";
}

const char* Object::type_name() const noexcept {
  switch (kind()) {
  case Kind::none:
    return "NoneType";
  case Kind::boolean:
    return "bool";
  case Kind::integer:
    return "int";
  case Kind::real:
    return "float";
  default:
    return u_.p->type_name();
  }
}

bool operator==(const Object& a, const Object& b) {
  // bool is an int in Python: True == 1. An int equals a float only when the
  // float is that very integer (2**53 + 1 != 2.0**53), as Python compares.
  const auto whole = [](const Object& v, std::int64_t& out) {
    if (v.kind() == Object::Kind::boolean)
      out = v.boolean() ? 1 : 0;
    else if (v.kind() == Object::Kind::integer)
      out = v.integer();
    else
      return false;
    return true;
  };
  std::int64_t i = 0, j = 0;
  const bool ai = whole(a, i), bi = whole(b, j);
  if (ai && bi) return i == j;
  const auto int_equals_float = [](std::int64_t n, double f) {
    if (!std::isfinite(f) || f != std::trunc(f)) return false;
    if (f >= 9223372036854775808.0 || f < -9223372036854775808.0) return false;
    return static_cast<std::int64_t>(f) == n;
  };
  if (ai && b.kind() == Object::Kind::real) return int_equals_float(i, b.real());
  if (bi && a.kind() == Object::Kind::real) return int_equals_float(j, a.real());
  if (a.kind() == Object::Kind::real && b.kind() == Object::Kind::real) return a.real() == b.real();
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
  case Object::Kind::none:
    return true;
  case Object::Kind::text:
    return a.text() == b.text();
  case Object::Kind::list:
  case Object::Kind::tuple: {
    if (a.same(b)) return true;
    const auto& x = a.list();
    const auto& y = b.list();
    if (x.size() != y.size()) return false;
    const Showing guard(a.heap(), "in comparison"); // deep nesting: not a crash
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!(x[i] == y[i])) return false;
    return true;
  }
  default:
    return a.same(b);
  }
}

} // namespace asyncdemo
