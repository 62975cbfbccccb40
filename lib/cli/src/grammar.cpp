#include "asyncdemo/cli/grammar.hpp"

#include "asyncdemo/text/parse.hpp"
#include "asyncdemo/text/quote.hpp"
#include "asyncdemo/text/suggest.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace asyncdemo::cli {

namespace {

// An argument after an option that needs a value, which is an option
// itself rather than the value ("-5" is a value, "-q" is not).
bool looks_like_option(std::string_view arg) {
  return arg.size() > 1 && arg[0] == '-' && !parse_number(arg);
}

} // namespace

Grammar Grammar::of(const CLI::App& app, std::string command, const Scenario* s) {
  Grammar g{std::move(command), s, {}, {}, {}};
  for (const auto* o : app.get_options()) {
    const bool flag = o->get_expected_max() == 0;
    for (const auto& name : o->get_lnames())
      if (flag)
        g.switches.push_back(name);
      else
        g.values[name] = o->get_type_name();
    if (flag)
      for (const auto& name : o->get_snames())
        g.shorts += name;
  }
  return g;
}

std::string Grammar::hint() const {
  return fmt::format("see 'asyncdemo{}{} --help'", command.empty() ? "" : " ", command);
}

std::string Grammar::unknown(std::string_view option, std::string_view name) const {
  if (scenario && name == "seed")
    return fmt::format("{} draws no random numbers, so --seed does not apply; drop it",
                       scenario->name);
  std::string near;
  auto names = switches;
  for (const auto& [n, kind] : values)
    names.push_back(n);
  if (!name.empty())
    if (auto n = closest(name, names)) near = fmt::format(" (did you mean '--{}'?)", *n);
  return fmt::format("unknown option {}{}; {}", quote(option), near, hint());
}

std::variant<std::vector<std::string>, std::string> normalise(const std::vector<std::string>& args,
                                                              const Grammar& g) {
  std::vector<std::string> out;
  std::size_t i = 0;
  if (!g.command.empty()) {
    out.push_back(args[i++]);
  } else {
    // asyncdemo --mode=gather breakfast: the options came first.
    for (const auto& a : args)
      if (a == "list" || Registry::instance().find(a))
        return fmt::format("{} comes before the scenario; name the scenario first: asyncdemo {} "
                           "[options]",
                           quote(args.front()), a);
  }
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      if (i + 1 < args.size())
        return fmt::format("unexpected argument {} after '--' (asyncdemo takes options only); {}",
                           quote(args[i + 1]), g.hint());
      continue; // a "--" at the end is harmless
    }
    if (arg.size() < 2 || arg[0] != '-')
      return fmt::format("unexpected argument {}; {}", quote(arg), g.hint());
    const auto eq = arg.find('=');
    if (arg[1] != '-') { // short: -q, -v, -h, -qv
      const auto letters = arg.substr(1, eq == std::string::npos ? eq : eq - 1);
      if (letters.empty() || letters.find_first_not_of(g.shorts) != std::string::npos)
        return g.unknown(arg.substr(0, eq), letters.size() > 1 ? letters : "");
      if (eq != std::string::npos)
        return fmt::format("{} takes no value; give {} alone", quote(arg.substr(0, eq)),
                           arg.substr(0, eq));
      out.push_back(arg);
      continue;
    }
    const auto name = arg.substr(2, eq == std::string::npos ? eq : eq - 2);
    std::optional<std::string> value;
    if (eq != std::string::npos) value = arg.substr(eq + 1);
    if (const Param* param = g.scenario ? g.scenario->param(name) : nullptr; param && param->flag) {
      // --cancel, --cancel=true or --cancel=false; given twice, the last one wins.
      if (value && *value != "true" && *value != "false")
        return fmt::format("--{}: {}", name, param->check ? param->check(*value) : quote(*value));
      out.push_back(arg);
      continue;
    }
    if (std::find(g.switches.begin(), g.switches.end(), name) != g.switches.end()) {
      if (value)
        return fmt::format("--{} is a switch and takes no value (got {}); give --{} alone", name,
                           quote(*value), name);
      out.push_back(arg);
      continue;
    }
    const auto kind = g.values.find(name);
    if (kind == g.values.end()) return g.unknown(name.empty() ? arg : arg.substr(0, eq), name);
    if (!value) {
      if (i + 1 == args.size())
        return fmt::format("--{0} needs a value (--{0}={1}); {2}", name, kind->second, g.hint());
      if (looks_like_option(args[i + 1]))
        return fmt::format("--{0} needs a value (--{0}={1}); {2}, which follows it, is taken as "
                           "an option",
                           name, kind->second, quote(args[i + 1]));
      value = args[++i];
    }
    out.push_back("--" + name);
    out.push_back(*value); // even when empty: an empty value is a value
  }
  std::reverse(out.begin(), out.end()); // CLI11 takes them last first
  return out;
}

std::string reword(const CLI::ParseError& e) {
  const std::string what = e.what();
  for (std::string_view extras :
       {"The following arguments were not expected: ", "The following argument was not expected: "})
    if (what.rfind(extras, 0) == 0) {
      const auto arg = what.substr(extras.size());
      return (arg.rfind('-', 0) == 0 ? "unknown option " : "unexpected argument ") + quote(arg);
    }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const auto colon = what.find(':');
    if (colon != std::string::npos && what.rfind("--", 0) == 0)
      return fmt::format("{} needs a value ({}=VALUE)", what.substr(0, colon),
                         what.substr(0, colon));
  }
  return "could not read the command line: " + quote(what);
}

} // namespace asyncdemo::cli
