// Python's format(value, spec): the format specs of the f-strings.
#include "values.hpp"

#include <fmt/format.h>

namespace asyncdemo {

// Python's format(value, spec), for the specs f-strings commonly use:
// [[fill]align][sign][0][width][.precision][type], type one of
// d f F e E g G % s.
std::string format_value(const Object& v, const std::string& spec) {
  if (spec.empty()) return v.str();
  char type = spec.back();
  const bool typed = std::string_view("dfFeEgGs%").find(type) != std::string_view::npos;
  std::string head = typed ? spec.substr(0, spec.size() - 1) : spec;
  if (!typed) type = 0;
  try {
    if (type == '%') {
      if (!numeric(v))
        raise("ValueError: Unknown format code '%' for object of type '" +
              std::string(v.type_name()) + "'");
      return fmt::format(fmt::runtime("{:" + head + "f}"), as_number(v).number() * 100) + "%";
    }
    if (type == 'd') {
      if (v.kind() != Object::Kind::integer && v.kind() != Object::Kind::boolean)
        raise(fmt::format("ValueError: Unknown format code 'd' for object of type '{}'",
                          v.type_name()));
      return fmt::format(fmt::runtime("{:" + spec + "}"), as_number(v).integer());
    }
    if (type && type != 's') {
      if (!numeric(v))
        raise(fmt::format("ValueError: Unknown format code '{}' for object of type '{}'", type,
                          v.type_name()));
      return fmt::format(fmt::runtime("{:" + spec + "}"), as_number(v).number());
    }
    if (v.kind() == Object::Kind::integer && !type)
      return fmt::format(fmt::runtime("{:" + spec + "}"), v.integer());
    if (v.kind() == Object::Kind::real && !type) {
      // Python's format(x, ".2") is general; with no precision it is str(x).
      if (head.find('.') == std::string::npos)
        return fmt::format(fmt::runtime("{:" + head + "}"), v.str());
      return fmt::format(fmt::runtime("{:" + spec + "g}"), v.real());
    }
    return fmt::format(fmt::runtime("{:" + head + "}"), v.str());
  } catch (const fmt::format_error&) {
    raise(fmt::format("ValueError: Invalid format specifier '{}' for object of type '{}'", spec,
                      v.type_name()));
  }
}

} // namespace asyncdemo
