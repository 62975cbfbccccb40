#include "asyncdemo/script/object.hpp"

#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

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

void Object::append(Object v) {
  auto& l = std::get<std::shared_ptr<List>>(v_);
  if (l.use_count() > 1) l = std::make_shared<List>(*l);
  l->push_back(std::move(v));
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
    return !list().empty();
  }
  return false;
}

std::string Object::str() const {
  if (kind() == Kind::text) return text();
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
    std::string out = "[";
    for (const auto& v : list()) {
      if (out.size() > 1) out += ", ";
      out += v.repr();
    }
    return out + "]";
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
  case Kind::text:
    return "str";
  case Kind::list:
    return "list";
  }
  return "?";
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
    return a.list() == b.list();
  default:
    return false;
  }
}

} // namespace asyncdemo
