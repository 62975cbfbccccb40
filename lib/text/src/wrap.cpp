#include "asyncdemo/text/wrap.hpp"

#include <algorithm>

namespace asyncdemo {

std::size_t text_columns(std::string_view text) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && i + 1 < text.size() && text[i + 1] == '[') { // an ANSI sequence: none
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~'))
        ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++n; // a continuation byte adds no column
  }
  return n;
}

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t used = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == ' ') {
      ++at;
      continue;
    }
    auto end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    const auto word = text.substr(at, end - at);
    const auto w = text_columns(word);
    if (!line.empty() && used + 1 + w > width) {
      lines.push_back(std::move(line));
      line.clear();
      used = 0;
    }
    if (!line.empty()) {
      line += ' ';
      ++used;
    }
    line += word;
    used += w;
    at = end;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string wrap_indented(std::string_view text, std::size_t width, std::string_view first,
                          std::string_view rest) {
  const auto indent = std::max(text_columns(first), text_columns(rest));
  const auto lines = wrap(text, width > indent + 10 ? width - indent : 10);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += std::string(i == 0 ? first : rest) + lines[i] + (i + 1 < lines.size() ? "\n" : "");
  return out;
}

std::string join_fitted(const std::vector<std::string>& fields, std::string_view sep,
                        std::size_t width, std::string_view continuation) {
  // The separator that starts a continuation line: " · " becomes "· ".
  auto lead = sep;
  while (!lead.empty() && lead.front() == ' ')
    lead.remove_prefix(1);
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto w = text_columns(fields[i]);
    if (i == 0) {
      out = fields[i];
      used = w;
    } else if (used + text_columns(sep) + w <= width) {
      out += std::string(sep) + fields[i];
      used += text_columns(sep) + w;
    } else {
      out += "\n" + std::string(continuation) + std::string(lead) + fields[i];
      used = text_columns(continuation) + text_columns(lead) + w;
    }
  }
  return out;
}

} // namespace asyncdemo
