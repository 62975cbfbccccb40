// A Script as a Scenario: what the rest of asyncdemo runs, lists and
// checks, whether it came from a user's file or the built-in catalogue.
#include "asyncdemo/script/program.hpp"

#include "asyncdemo/script/interpreter.hpp"
#include "asyncdemo/script/python_writer.hpp"

namespace asyncdemo::script {

namespace {

// What --help shows for a parameter's value.
std::string kind_of(const ParamSpec& p) {
  switch (p.kind) {
  case ParamSpec::Kind::number:
    return "X";
  case ParamSpec::Kind::seconds:
    return "SECONDS";
  case ParamSpec::Kind::whole:
    return "N";
  case ParamSpec::Kind::text:
    return "TEXT";
  case ParamSpec::Kind::list:
    return "LIST";
  case ParamSpec::Kind::choice:
    return "CHOICE";
  case ParamSpec::Kind::flag:
    return "";
  }
  return "VALUE";
}

// Each step's line in the program of ctx's mode: where its statement
// begins, or the first of its lines that awaits (a try: around a wait_for).
std::unordered_map<const void*, int> lines_of(const Scenario& s, const Context& ctx) {
  const auto src = s.python(ctx);
  const int first = python_code_line(s, ctx, src);
  std::vector<std::string_view> text;
  for (std::size_t at = 0; at <= src.code.size();) {
    const auto nl = src.code.find('\n', at);
    text.push_back(std::string_view(src.code).substr(at, nl == std::string::npos ? nl : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  auto awaits = [&](int line) {
    const auto i = static_cast<std::size_t>(line - 1);
    return i < text.size() && text[i].find("await ") != std::string_view::npos;
  };
  std::unordered_map<const void*, int> lines;
  for (const auto& [origin, line] : src.origins) {
    const auto [it, made] = lines.emplace(origin, line);
    if (!made && !awaits(it->second) && awaits(line)) it->second = line;
  }
  for (auto& [origin, line] : lines)
    line += first - 1;
  return lines;
}

} // namespace

Scenario scenario_of(std::shared_ptr<const Script> script) {
  Scenario s;
  s.name = script->name;
  s.seed = script->origin;
  s.summary = script->summary;
  s.modes = script->modes;
  s.default_mode = script->default_mode;
  for (const auto& p : script->params)
    s.params.push_back(Param{
        .name = p.option,
        .help = p.help,
        .default_value = p.default_text,
        .check = [p](std::string_view text) -> std::string {
          std::string why;
          p.read(text, why);
          return why;
        },
        .flag = p.kind == ParamSpec::Kind::flag,
        .kind = kind_of(p),
        .choices = p.kind == ParamSpec::Kind::choice ? p.choices : std::vector<std::string>{},
    });
  s.random = script->random;
  s.python = [script](const Context& ctx) { return python_of(*script, ctx); };
  s.light = script->light;
  // Worked out when it can be: a light file's model run costs a run.
  if (script->light && model_worked_out(*script))
    s.model = [script](const Context& ctx) -> std::optional<Duration> {
      try {
        return model_time(script, ctx);
      } catch (const ScriptError&) {
        return std::nullopt; // the model run fails as the run will, and says why
      }
    };
  s.source = script->source;
  s.file = script->file;
  s.user_file = script->user_file;
  // A view that follows the run is told each step's line in the program
  // --python prints (the header's lines before the code's own).
  s.main = [script, shown = std::make_shared<const Scenario>(s)](const Context& ctx) {
    std::unordered_map<const void*, int> lines;
    if (ctx.source && !script->light) lines = lines_of(*shown, ctx);
    return run_script(script, ctx, std::move(lines));
  };
  return s;
}

} // namespace asyncdemo::script
