#include "help.hpp"

#include "asyncdemo/text/wrap.hpp"
#include "asyncdemo/version.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace asyncdemo::cli {

namespace {

// Where a scenario comes from, as a sentence: "From the tutorial, section
// 34.6.2" for "002 §34.6.2"; a file's own when it names none.
std::string origin_sentence(const Scenario& s) {
  if (!s.file.empty() && s.seed == "your file") return "A scenario file of your own";
  if (!s.file.empty() && s.seed == "your program") return "A Python program of your own";
  if (s.seed == "beyond the seeds") return "Beyond the tutorials: written for asyncdemo";
  const auto section = s.seed.find("§");
  if (section != std::string::npos)
    return "From the tutorial, section " + s.seed.substr(section + std::string_view("§").size());
  return "From " + origin_words(s.seed);
}

// Two columns: a term (an option, a word, a status) and what it means,
// wrapped beside it; a term too wide for the column gets a line of its own.
std::string two_columns(const std::vector<std::pair<std::string, std::string>>& rows,
                        std::size_t width, std::size_t max_term = 24) {
  std::size_t term = 0;
  for (const auto& [t, d] : rows)
    if (text_columns(t) <= max_term) term = std::max(term, text_columns(t));
  const std::size_t indent = 2 + term + 2;
  const std::string pad(indent, ' ');
  std::string out;
  for (const auto& [t, d] : rows) {
    const auto tw = text_columns(t);
    if (tw > term) {
      out += "  " + t + "\n";
      if (!d.empty()) out += wrap_indented(d, width, pad, pad) + "\n";
    } else {
      const auto first = "  " + t + std::string(term - tw + 2, ' ');
      out += (d.empty() ? "  " + t : wrap_indented(d, width, first, pad)) + "\n";
    }
  }
  return out;
}

std::string option_term(const OptionDoc& o) {
  std::string t = o.short_name ? fmt::format("-{}, --{}", o.short_name, o.name) : "--" + o.name;
  if (!o.kind.empty()) t += " " + o.kind;
  return t;
}

std::string option_help(const OptionDoc& o) {
  std::string h = o.help;
  if (!o.fallback.empty()) h += fmt::format(" [default: {}]", o.fallback);
  return h;
}

std::string section(const std::string& title, const std::string& body) {
  return "\n" + title + ":\n" + body;
}

std::string words_section(std::size_t width) {
  return section("Words", two_columns(words(), width, 16));
}

std::string exit_section(std::size_t width) {
  return section("Exit status", two_columns(exit_statuses(), width, 14));
}

// A command line as a shell takes it: broken between words with " \\" when
// it is wider than `width`.
std::string command_lines(const std::string& command, std::size_t width) {
  if (text_columns(command) + 2 <= width) return "  " + command + "\n";
  auto lines = wrap(command, width > 8 ? width - 8 : 1);
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += (i == 0 ? "  " : "      ") + lines[i] + (i + 1 < lines.size() ? " \\\n" : "\n");
  return out;
}

std::string examples_section(const std::vector<std::string>& examples, std::size_t width) {
  std::string body;
  for (const auto& e : examples) {
    // "command    # what it shows": the comment goes under a long command.
    const auto hash = e.find("    # ");
    if (hash == std::string::npos) {
      body += command_lines(e, width);
    } else if (text_columns(e) + 2 <= width) {
      body += "  " + e + "\n";
    } else {
      body += command_lines(e.substr(0, hash), width);
      body += wrap_indented(e.substr(hash + 4), width, "      ", "        ") + "\n";
    }
  }
  return section("Examples", body);
}

} // namespace

std::string help_text(const CommandDoc& doc, std::size_t width) {
  std::string out;
  const auto* s = doc.scenario;
  out +=
      wrap_indented(fmt::format("{}: {}", doc.usage.substr(0, doc.usage.find(" [")), doc.summary),
                    width, "", "") +
      "\n";
  if (s && doc.name == "run" && s->file.empty()) {
    // Any file, before one is read: its parameters are its own.
    out += wrap_indented(fmt::format("Modes: {}, and all to compare them. A file's own "
                                     "parameters are listed by asyncdemo run FILE --help.",
                                     join(s->modes)),
                         width, "", "") +
           "\n";
  } else if (s) {
    out += wrap_indented(fmt::format("{}. Modes: {}, and all to compare them.", origin_sentence(*s),
                                     join(s->modes)),
                         width, "", "") +
           "\n";
  }
  out += "\nUsage: " + doc.usage + "\n";
  std::vector<std::pair<std::string, std::string>> common, own;
  for (const auto& o : doc.options)
    (o.own ? own : common).emplace_back(option_term(o), option_help(o));
  out += section("Options", two_columns(common, width));
  if (!own.empty())
    out += section(fmt::format("Options of {}", doc.name == "run" && s ? s->name : doc.name),
                   two_columns(own, width));
  if (s) out += words_section(width);
  if (!doc.examples.empty()) out += examples_section(doc.examples, width);
  out += exit_section(width);
  return out;
}

std::string top_help(const CommandDoc& top, const std::vector<const Scenario*>& scenarios,
                     std::size_t width) {
  std::string out = fmt::format("asyncdemo {}: watch async concurrency happen\n\n", version);
  out += wrap_indented("Runs the classic Python asyncio teaching programs as C++20 coroutines on "
                       "an event loop that follows asyncio's, in five modes (sync, await, "
                       "create_task, gather, as_completed), and prints each line as it happens, "
                       "with its time and its task. The virtual clock makes a run instant and "
                       "exact; --python prints the same program in asyncio.",
                       width, "", "") +
         "\n";
  out += section(
      "Usage",
      two_columns(
          {{"asyncdemo SCENARIO [OPTIONS]", "run a built-in scenario (its options: asyncdemo "
                                            "SCENARIO --help)"},
           {"asyncdemo run FILE [OPTIONS]", "run a scenario file of your own (a TOML file)"},
           {"asyncdemo list [--format=F]", "the scenarios: seed, modes, summary"},
           {"asyncdemo show NAME", "print a built-in scenario's file"},
           {"asyncdemo help [NAME]", "this help, or NAME's (as asyncdemo NAME --help)"}},
          width, 28));
  std::vector<std::pair<std::string, std::string>> options;
  for (const auto& o : top.options)
    options.emplace_back(option_term(o), option_help(o));
  out += section("Options", two_columns(options, width));
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto* s : scenarios)
    rows.emplace_back(s->name, s->summary);
  out += section("Scenarios", two_columns(rows, width));
  out += words_section(width);
  out += examples_section(
      {"asyncdemo breakfast --mode=gather    # on the real clock, as it happens",
       "asyncdemo breakfast --mode=all --clock=virtual    # every mode, compared, at once",
       "asyncdemo show breakfast > mine.toml    # a scenario file to edit, then: asyncdemo run "
       "mine.toml"},
      width);
  out += exit_section(width);
  return out;
}

std::string short_usage(const std::vector<const Scenario*>& scenarios, std::size_t width) {
  std::string out = fmt::format("asyncdemo {}: watch async concurrency happen\n\n", version);
  out += "usage: asyncdemo <scenario> [--mode=MODE] [--clock=real|virtual] [OPTIONS]\n"
         "       asyncdemo run FILE [OPTIONS]\n"
         "       asyncdemo list | show NAME | help [NAME] | --help | --version\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto* s : scenarios)
    rows.emplace_back(s->name, s->summary);
  out += section("scenarios", two_columns(rows, width));
  out += "\ntry: asyncdemo breakfast --mode=gather\n";
  return out;
}

} // namespace asyncdemo::cli
