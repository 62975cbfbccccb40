#pragma once
// Object: what a scenario file's expressions compute. Python's None, bool,
// int, float, str and list, printed the way Python prints them (str() and
// repr()), so that a file's run and its Python twin print the same text.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace asyncdemo {

class Object;
using List = std::vector<Object>;

class Object {
public:
  enum class Kind : std::uint8_t { none, boolean, integer, real, text, list };

  Object() = default; // None
  Object(bool b) : v_(b) {}
  Object(std::int64_t i) : v_(i) {}
  Object(int i) : v_(static_cast<std::int64_t>(i)) {}
  Object(double d) : v_(d) {}
  Object(std::string s) : v_(std::move(s)) {}
  Object(const char* s) : v_(std::string(s)) {}
  Object(List l) : v_(std::make_shared<List>(std::move(l))) {}

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  bool is_number() const noexcept { return kind() == Kind::integer || kind() == Kind::real; }

  bool boolean() const { return std::get<bool>(v_); }
  std::int64_t integer() const { return std::get<std::int64_t>(v_); }
  double real() const { return std::get<double>(v_); }
  // An int or a float, as a float (what arithmetic with a float does).
  double number() const {
    return kind() == Kind::integer ? static_cast<double>(integer()) : real();
  }
  const std::string& text() const { return std::get<std::string>(v_); }
  const List& list() const { return *std::get<std::shared_ptr<List>>(v_); }
  // list.append(v): in place when this is the list's only owner (lists are
  // shared on copy), so that appending a million results stays linear.
  void append(Object v);

  // Python's bool(x).
  bool truthy() const;
  // Python's str(x) and repr(x).
  std::string str() const;
  std::string repr() const;
  // Python's type(x).__name__: "int", "str", ...
  const char* type_name() const noexcept;

  // Python's ==: 1 == 1.0, [1] == [1.0].
  friend bool operator==(const Object& a, const Object& b);

private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, std::shared_ptr<List>> v_;
};

// repr() of a float, as Python writes it: the shortest text that reads back
// as the same double, in fixed notation from 1e-4 up to 1e16 ("0.1", "2.0",
// "1e+16", "1e-05", "inf", "nan").
std::string py_float_repr(double d);
// repr() of a str: in single quotes unless it holds one and no double.
std::string py_str_repr(std::string_view s);

} // namespace asyncdemo
