// Python's format(value, spec): the format-spec mini-language of the
// f-strings, as CPython 3.11 reads and applies it (Python/formatter_unicode.c):
//
//   [[fill]align][sign][z][#][0][width][grouping][.precision][type]
//
// for str, int, bool and float, with CPython's own error messages; every
// other value takes an empty spec only. Widths count characters, not bytes.
// A width or precision past what a string may hold is refused before
// anything is made (limits.hpp).
#include "values.hpp"

#include "asyncdemo/script/limits.hpp"
#include "asyncdemo/text/quote.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace asyncdemo {

namespace {

struct Spec {
  char32_t fill = ' ';
  bool fill_given = false;
  char align = 0; // '<', '>', '=', '^', or 0: the type's own
  char sign = 0;  // '+', '-', ' ', or 0
  bool no_neg_zero = false;
  bool alternate = false;
  std::int64_t width = -1;
  char grouping = 0; // ',', '_', or 0
  bool group_by_four = false;
  std::int64_t precision = -1;
  char type = 0;
};

[[noreturn]] void value_error(const std::string& message) {
  raise("ValueError: " + message);
}

bool is_align(char32_t c) {
  return c == '<' || c == '>' || c == '=' || c == '^';
}

// The characters of a spec (it may hold any fill character).
std::u32string code_points(std::string_view text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const auto n = decode_utf8(text, i, cp);
    if (n == 0) {
      cp = static_cast<unsigned char>(text[i]);
      ++i;
    } else {
      i += n;
    }
    out.push_back(cp);
  }
  return out;
}

std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

std::size_t length(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Digits as an int: more than any string may hold is refused at once.
std::int64_t number_at(const std::u32string& s, std::size_t& pos) {
  std::int64_t v = 0;
  bool huge = false;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10) huge = true;
    if (!huge) v = v * 10 + (s[pos] - '0');
    ++pos;
  }
  if (huge) value_error("Too many decimal digits in format string");
  return v;
}

Spec parse(std::string_view text, const char* type_name, char default_type, char default_align) {
  const auto s = code_points(text);
  Spec spec;
  spec.type = default_type;
  std::size_t pos = 0;
  if (s.size() >= 2 && is_align(s[1])) {
    spec.fill = s[0];
    spec.fill_given = true;
    spec.align = static_cast<char>(s[1]);
    pos = 2;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = static_cast<char>(s[0]);
    pos = 1;
  }
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' '))
    spec.sign = static_cast<char>(s[pos++]);
  if (pos < s.size() && s[pos] == 'z') {
    spec.no_neg_zero = true;
    ++pos;
  }
  if (pos < s.size() && s[pos] == '#') {
    spec.alternate = true;
    ++pos;
  }
  // A zero before the width: zero fill, after the sign for numbers.
  if (pos < s.size() && s[pos] == '0' && !spec.fill_given) {
    spec.fill = '0';
    if (!spec.align && default_align == '>') spec.align = '=';
    ++pos;
  }
  if (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') spec.width = number_at(s, pos);
  if (pos < s.size() && s[pos] == ',') {
    spec.grouping = ',';
    ++pos;
  }
  if (pos < s.size() && s[pos] == '_') {
    if (spec.grouping) value_error("Cannot specify both ',' and '_'.");
    spec.grouping = '_';
    ++pos;
  }
  if (pos < s.size() && s[pos] == ',' && spec.grouping == '_')
    value_error("Cannot specify both ',' and '_'.");
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    if (pos >= s.size() || s[pos] < '0' || s[pos] > '9')
      value_error("Format specifier missing precision");
    spec.precision = number_at(s, pos);
  }
  if (s.size() - pos > 1) {
    if (!type_name)
      value_error(fmt::format("Invalid format specifier '{}'", escape_like_repr(text)));
    value_error(fmt::format("Invalid format specifier '{}' for object of type '{}'",
                            escape_like_repr(text), type_name));
  }
  if (pos < s.size()) {
    if (s[pos] >= 0x80) // no type is one
      value_error(fmt::format("Unknown format code '\\x{:x}' for object of type '{}'",
                              static_cast<std::uint32_t>(s[pos]), type_name ? type_name : "any"));
    spec.type = static_cast<char>(s[pos]);
  }
  if (spec.grouping) {
    switch (spec.type) {
    case 'd':
    case 'e':
    case 'f':
    case 'g':
    case 'E':
    case 'G':
    case '%':
    case 'F':
    case 0:
      break;
    case 'b':
    case 'o':
    case 'x':
    case 'X':
      if (spec.grouping == '_') { // every four digits in binary, octal and hex
        spec.group_by_four = true;
        break;
      }
      [[fallthrough]];
    default:
      if (spec.type > 32 && spec.type < 127)
        value_error(fmt::format("Cannot specify '{}' with '{}'.", spec.grouping, spec.type));
      value_error(fmt::format("Cannot specify '{}' with '\\x{:x}'.", spec.grouping,
                              static_cast<unsigned char>(spec.type)));
    }
  }
  // What a string may hold bounds what a spec may ask for.
  if (spec.width > static_cast<std::int64_t>(script::max_str_chars) ||
      spec.precision > static_cast<std::int64_t>(script::max_str_chars))
    raise(fmt::format("MemoryError: a format spec of {} characters is more than a string may "
                      "hold here ({} characters)",
                      std::max(spec.width, spec.precision), script::max_str_chars));
  return spec;
}

[[noreturn]] void unknown_code(char type, const char* type_name) {
  if (type > 32 && type < 127)
    value_error(fmt::format("Unknown format code '{}' for object of type '{}'", type, type_name));
  value_error(fmt::format("Unknown format code '\\x{:x}' for object of type '{}'",
                          static_cast<unsigned char>(type), type_name));
}

// `body` padded to the width with the fill, as the alignment says; '='
// pads after the first `lead` bytes (the sign and prefix).
std::string pad(const std::string& body, const Spec& spec, char default_align,
                std::size_t lead = 0) {
  const auto n = length(body);
  if (spec.width < 0 || n >= static_cast<std::size_t>(spec.width)) return body;
  const auto missing = static_cast<std::size_t>(spec.width) - n;
  const auto fill = utf8(spec.fill);
  auto fills = [&](std::size_t k) {
    std::string out;
    out.reserve(k * fill.size());
    for (std::size_t i = 0; i < k; ++i)
      out += fill;
    return out;
  };
  switch (spec.align ? spec.align : default_align) {
  case '<':
    return body + fills(missing);
  case '^':
    return fills(missing / 2) + body + fills(missing - missing / 2);
  case '=':
    return body.substr(0, lead) + fills(missing) + body.substr(lead);
  default:
    return fills(missing) + body;
  }
}

// Digits with a separator every `every` from the right; with zero fill
// (the '0' flag), zeros are added, grouped too, until it is min_width long
// (a separator never comes first).
std::string grouped(const std::string& digits, char separator, int every, std::size_t min_width) {
  std::string padded = digits;
  for (;;) {
    std::string out;
    const auto n = padded.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (separator && i > 0 && (n - i) % static_cast<std::size_t>(every) == 0) out += separator;
      out += padded[i];
    }
    if (out.size() >= min_width) return out;
    padded.insert(padded.begin(), '0');
  }
}

// A number laid out: sign, prefix, integer digits (grouped, zero-filled if
// asked), then the rest (fraction, exponent, '%'), padded.
std::string number(bool negative, const std::string& prefix, const std::string& int_digits,
                   const std::string& rest, const Spec& spec) {
  std::string sign;
  if (negative)
    sign = "-";
  else if (spec.sign == '+')
    sign = "+";
  else if (spec.sign == ' ')
    sign = " ";
  const auto lead = sign + prefix;
  std::size_t min_width = 0;
  const bool zero_fill = spec.fill == '0' && spec.align == '=';
  if (zero_fill && spec.width > 0) {
    const auto others = lead.size() + length(rest);
    if (static_cast<std::size_t>(spec.width) > others)
      min_width = static_cast<std::size_t>(spec.width) - others;
  }
  // (inf and nan have no digits to group: zero fill pads them plainly.)
  const auto digits = int_digits.empty() ? std::string()
                                         : grouped(int_digits, spec.grouping,
                                                   spec.group_by_four ? 4 : 3, min_width);
  return pad(lead + digits + rest, spec, '>', lead.size());
}

std::string format_str(const std::string& v, const char* type_name, const std::string& text) {
  auto spec = parse(text, type_name, 's', '<');
  if (spec.type != 's') unknown_code(spec.type, type_name);
  if (spec.sign == ' ') value_error("Space not allowed in string format specifier");
  if (spec.sign) value_error("Sign not allowed in string format specifier");
  if (spec.no_neg_zero)
    value_error("Negative zero coercion (z) not allowed in string format specifier");
  if (spec.alternate) value_error("Alternate form (#) not allowed in string format specifier");
  if (spec.align == '=') value_error("'=' alignment not allowed in string format specifier");
  std::string body = v;
  if (spec.precision >= 0) { // the first `precision` characters
    std::size_t chars = 0, at = 0;
    while (at < body.size() && chars < static_cast<std::size_t>(spec.precision)) {
      ++at;
      while (at < body.size() && (static_cast<unsigned char>(body[at]) & 0xC0) == 0x80)
        ++at;
      ++chars;
    }
    body.resize(at);
  }
  return pad(body, spec, '<');
}

// The significant digits of |x| rounded to `p` of them, without trailing
// zeros, and where the point goes: 0.DIGITS × 10^decpt.
void significant(double x, int p, std::string& digits, int& decpt) {
  const auto sci = fmt::format("{:.{}e}", std::fabs(x), p - 1);
  const auto e_at = sci.find('e');
  digits = sci.substr(0, 1) + (e_at > 2 ? sci.substr(2, e_at - 2) : "");
  decpt = std::stoi(sci.substr(e_at + 1)) + 1;
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  if (digits == "0") decpt = 1;
}

std::string exponent(int e) {
  return fmt::format("e{}{:02d}", e < 0 ? '-' : '+', std::abs(e));
}

// Splits "1234.5e+06" into "1234" and ".5e+06".
void split(const std::string& text, std::string& int_digits, std::string& rest) {
  const auto at = text.find_first_not_of("0123456789");
  int_digits = text.substr(0, at);
  rest = at == std::string::npos ? std::string() : text.substr(at);
}

std::string format_float(double x, const Spec& spec_in, const char* type_name) {
  auto spec = spec_in;
  char type = spec.type;
  if (type == 'n') type = 'g';
  bool add_dot_0 = false;
  bool repr_style = false;
  if (type == 0) { // like repr, or 'g' with at least one digit after the point
    add_dot_0 = true;
    if (spec.precision < 0)
      repr_style = true;
    else
      type = 'g';
  }
  switch (type) {
  case 0:
  case 'e':
  case 'E':
  case 'f':
  case 'F':
  case 'g':
  case 'G':
  case '%':
    break;
  default:
    unknown_code(spec.type, type_name);
  }
  const bool upper = type == 'E' || type == 'F' || type == 'G';
  const int precision = spec.precision < 0 ? 6 : static_cast<int>(spec.precision);
  double v = type == '%' ? x * 100 : x;
  bool negative = std::signbit(v) && !std::isnan(v);
  std::string body;
  if (std::isinf(v) || std::isnan(v)) {
    body = std::isnan(v) ? "nan" : "inf";
    if (upper) body = std::isnan(v) ? "NAN" : "INF";
    if (type == '%') body += "%";
    return number(negative, "", "", body, spec);
  }
  if (repr_style) {
    body = py_float_repr(std::fabs(v));
    // '#': a point whatever the digits.
    if (spec.alternate && body.find('.') == std::string::npos) {
      const auto e_at = body.find('e');
      body.insert(e_at == std::string::npos ? body.size() : e_at, ".");
    }
  } else if (type == 'f' || type == 'F' || type == '%') {
    body = fmt::format("{:.{}f}", std::fabs(v), precision);
    if (spec.alternate && precision == 0) body += ".";
    if (type == '%') body += "%";
  } else if (type == 'e' || type == 'E') {
    const auto sci = fmt::format("{:.{}e}", std::fabs(v), precision);
    const auto e_at = sci.find('e');
    body = sci.substr(0, e_at);
    if (spec.alternate && precision == 0) body += ".";
    body += exponent(std::stoi(sci.substr(e_at + 1)));
  } else { // 'g'
    const int p = precision == 0 ? 1 : precision;
    std::string digits;
    int decpt = 0;
    significant(v, p, digits, decpt);
    if (spec.alternate && static_cast<int>(digits.size()) < p)
      digits.append(static_cast<std::size_t>(p) - digits.size(), '0');
    const bool use_exp = decpt <= -4 || decpt > (add_dot_0 ? p - 1 : p);
    const auto n = static_cast<int>(digits.size());
    if (use_exp) {
      body = digits.substr(0, 1);
      if (n > 1 || spec.alternate) body += ".";
      body += digits.substr(1);
      body += exponent(decpt - 1);
    } else if (decpt <= 0) {
      body = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
    } else if (decpt >= n) {
      body = digits + std::string(static_cast<std::size_t>(decpt - n), '0');
      if (add_dot_0)
        body += ".0";
      else if (spec.alternate)
        body += ".";
    } else {
      body = digits.substr(0, static_cast<std::size_t>(decpt)) + "." +
             digits.substr(static_cast<std::size_t>(decpt));
    }
  }
  if (upper)
    for (auto& c : body)
      if (c == 'e') c = 'E';
  // z: a negative number that rounds to zero is shown as zero.
  if (spec.no_neg_zero && negative && body.find_first_of("123456789") == std::string::npos)
    negative = false;
  std::string int_digits, rest;
  split(body, int_digits, rest);
  return number(negative, "", int_digits, rest, spec);
}

std::string format_int(std::int64_t v, const char* type_name, const std::string& text) {
  const auto spec = parse(text, type_name, 'd', '>');
  switch (spec.type) {
  case 'b':
  case 'c':
  case 'd':
  case 'o':
  case 'x':
  case 'X':
  case 'n':
    break;
  case 'e':
  case 'E':
  case 'f':
  case 'F':
  case 'g':
  case 'G':
  case '%':
    return format_float(static_cast<double>(v), spec, type_name);
  default:
    unknown_code(spec.type, type_name);
  }
  if (spec.precision >= 0) value_error("Precision not allowed in integer format specifier");
  if (spec.no_neg_zero)
    value_error("Negative zero coercion (z) not allowed in integer format specifier");
  if (spec.type == 'c') {
    if (spec.sign) value_error("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate)
      value_error("Alternate form (#) not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF) raise("OverflowError: %c arg not in range(0x110000)");
    if (v >= 0xD800 && v <= 0xDFFF) // no UTF-8 text may hold one (print would fail)
      raise(fmt::format("UnicodeEncodeError: 'utf-8' codec can't encode character '\\u{:04x}' "
                        "in position 0: surrogates not allowed",
                        v));
    return pad(utf8(static_cast<char32_t>(v)), spec, '<');
  }
  const bool negative = v < 0;
  const auto magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string digits, prefix;
  switch (spec.type) {
  case 'b':
    digits = fmt::format("{:b}", magnitude);
    prefix = "0b";
    break;
  case 'o':
    digits = fmt::format("{:o}", magnitude);
    prefix = "0o";
    break;
  case 'x':
    digits = fmt::format("{:x}", magnitude);
    prefix = "0x";
    break;
  case 'X':
    digits = fmt::format("{:X}", magnitude);
    prefix = "0X";
    break;
  default:
    digits = fmt::format("{}", magnitude);
    break;
  }
  return number(negative, spec.alternate ? prefix : "", digits, "", spec);
}

} // namespace

std::optional<std::string> spec_syntax_error(std::string_view spec) {
  try {
    parse(spec, nullptr, 0, '>');
  } catch (const ScriptError& e) {
    std::string why = e.what();
    if (why.rfind("ValueError: ", 0) == 0) why.erase(0, 12);
    return why;
  }
  return std::nullopt;
}

std::string format_value(const Object& v, const std::string& spec) {
  switch (v.kind()) {
  case Object::Kind::text:
    return format_str(v.text(), "str", spec);
  case Object::Kind::integer:
    return format_int(v.integer(), "int", spec);
  case Object::Kind::boolean: // an int, but for an empty spec
    if (spec.empty()) return v.str();
    return format_int(v.boolean() ? 1 : 0, "bool", spec);
  case Object::Kind::real:
    return format_float(v.real(), parse(spec, "float", 0, '>'), "float");
  default:
    if (!spec.empty())
      raise(fmt::format("TypeError: unsupported format string passed to {}.__format__",
                        v.type_name()));
    return v.str();
  }
}

} // namespace asyncdemo
