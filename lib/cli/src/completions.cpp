#include "completions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

// The scripts' fixed parts are raw strings delimited by "sh" (R"sh(...)sh"):
// shell code is full of the )" that ends a plain raw string.

namespace asyncdemo::cli {

namespace {

// A word inside single quotes, for any of the three shells.
std::string sq(std::string_view text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A short description for a shell to show beside a word: an option's help
// up to its first clause (a summary whole), at most 60 columns, without
// what a shell's completion syntax would read as its own.
std::string brief(std::string_view help, bool first_clause = true) {
  auto end = help.size();
  if (first_clause) end = std::min({help.find("; "), help.find(" ("), help.find(": ")});
  std::string out(help.substr(0, std::min(end, help.size())));
  if (out.size() > 60) out = out.substr(0, out.rfind(' ', 57)) + "...";
  for (auto& c : out)
    if (c == '[' || c == ']' || c == ':' || c == '\\' || c == '`' || c == '$' || c == '\'') c = ' ';
  return out;
}

std::vector<const CommandDoc*> scenario_docs(const std::vector<CommandDoc>& docs) {
  std::vector<const CommandDoc*> out;
  for (const auto& d : docs)
    if (d.scenario && d.name != "run") out.push_back(&d);
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  return fmt::format("{}", fmt::join(words, " "));
}

std::string option_words(const CommandDoc& d) {
  std::vector<std::string> words;
  for (const auto& o : d.options) {
    if (o.short_name) words.push_back(std::string("-") + o.short_name);
    words.push_back("--" + o.name);
  }
  return joined(words);
}

// The commands and the scenarios' names.
std::vector<std::string> command_words(const std::vector<CommandDoc>& docs) {
  std::vector<std::string> words{"list", "show", "run", "help"};
  for (const auto* d : scenario_docs(docs))
    words.push_back(d->name);
  return words;
}

// The scenarios `show` prints: those that are files.
std::vector<std::string> file_scenarios(const std::vector<CommandDoc>& docs) {
  std::vector<std::string> words;
  for (const auto* d : scenario_docs(docs))
    if (!d->scenario->source.empty()) words.push_back(d->name);
  return words;
}

// What an option's value can be, for bash: its words, "@file" for a file
// name, "@any" for a value of its own (a number, a list), "" for a switch.
std::string value_words(const OptionDoc& o) {
  if (!o.choices.empty()) return joined(o.choices);
  if (o.file()) return "@file";
  if (!o.kind.empty()) return "@any";
  return {};
}

} // namespace

std::string bash_completion(const std::vector<CommandDoc>& docs) {
  std::string out =
      R"sh(# bash completion for asyncdemo. Made by `asyncdemo --generate=bash` from the
# definitions that make --help; cmake --install puts it in
# share/bash-completion/completions/asyncdemo.

# _asyncdemo_options COMMAND: the options a command takes ('' for asyncdemo's own).
_asyncdemo_options() {
  case $1 in
)sh";
  for (const auto& d : docs)
    out += fmt::format("  {}) echo {} ;;\n", sq(d.name), sq(option_words(d)));
  out += R"sh(  esac
}

# _asyncdemo_values COMMAND OPTION: what the option's value can be: words,
# @file (a file name), @any (a value of its own), nothing for a switch.
_asyncdemo_values() {
  case $1:$2 in
)sh";
  for (const auto& d : docs)
    for (const auto& o : d.options)
      if (const auto v = value_words(o); !v.empty())
        out += fmt::format("  {}) echo {} ;;\n", sq(d.name + ":--" + o.name), sq(v));
  out += R"sh(  esac
}

# A scenario file's own parameters are known once it is read: its --help
# lists them as "  --name KIND" ("  --name" for a switch).
_asyncdemo_file_options() {
  [[ -f $1 ]] || return
  asyncdemo run "$1" --help 2>/dev/null |
    command grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*( [A-Z][A-Z]*)?' |
    command sed -E 's/^  (-[a-zA-Z], )?//'
}

_asyncdemo() {
  local i word
  # The words up to the cursor, with an "--option=value" that bash split
  # at "=" (COMP_WORDBREAKS) joined again.
  local -a w=()
  local joining=0 split=0
  for ((i = 1; i <= COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == "=" && ${#w[@]} -gt 0 && ${w[-1]} == --* && ${w[-1]} != *=* ]]; then
      w[-1]+="="
      joining=1
      ((i == COMP_CWORD)) && split=1
    elif ((joining)); then
      w[-1]+=$word
      joining=0
      ((i == COMP_CWORD)) && split=1
    else
      w+=("$word")
    fi
  done
  local cur=${w[-1]}
  local -a before=("${w[@]:0:${#w[@]}-1}")

  # The command is the first word; run's file is the word after it.
  local command="" file="" key=""
  if ((${#before[@]} > 0)) && [[ ${before[0]} != -* ]]; then
    command=${before[0]}
    key=$command
    [[ $command == run ]] && ((${#before[@]} > 1)) && file=${before[1]}
  fi

  # The value of an option: --option=value, or the word after --option.
  local option="" value="" prefix=""
  if [[ $cur == --*=* ]]; then
    option=${cur%%=*}
    value=${cur#*=}
    ((split)) || prefix="$option="
  elif ((${#before[@]} > 0)) && [[ ${before[-1]} == --* && ${before[-1]} != *=* ]]; then
    option=${before[-1]}
    value=$cur
  fi
  if [[ -n $option ]]; then
    local values
    values=$(_asyncdemo_values "$key" "$option")
    if [[ -z $values && $command == run && -n $file ]] &&
      _asyncdemo_file_options "$file" | command grep -qE -- "^$option [A-Z]"; then
      values=@any
    fi
    if [[ $values == @file ]]; then
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -P "$prefix" -- "$value")
      return
    elif [[ $values == @any ]]; then
      COMPREPLY=()
      return
    elif [[ -n $values ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$values" -P "$prefix" -- "$value")
      return
    fi
    # A switch: the word being completed is not its value.
    [[ $cur == --*=* ]] && { COMPREPLY=(); return; }
  fi

  case $command in
  "")
    if [[ $cur == -* ]]; then
      mapfile -t COMPREPLY < <(compgen -W "$(_asyncdemo_options '')" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -W ')sh" +
         joined(command_words(docs)) + R"sh(' -- "$cur")
    fi
    ;;
  help)
    ((${#before[@]} == 1)) && mapfile -t COMPREPLY < <(compgen -W ')sh" +
         joined(command_words(docs)) + R"sh(' -- "$cur")
    ;;
  show)
    ((${#before[@]} == 1)) && mapfile -t COMPREPLY < <(compgen -W ')sh" +
         joined(file_scenarios(docs)) + R"sh(' -- "$cur")
    ;;
  run)
    if [[ -z $file ]]; then
      # A scenario file: *.toml, and the directories on the way to one.
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -X '!*.toml' -- "$cur"; compgen -d -- "$cur")
    else
      # The file's own --help, once it can be read; else what every file takes.
      local options
      options=$(_asyncdemo_file_options "$file" | command sed 's/ .*//')
      [[ -n $options ]] || options=$(_asyncdemo_options run)
      mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    fi
    ;;
  *)
    mapfile -t COMPREPLY < <(compgen -W "$(_asyncdemo_options "$command")" -- "$cur")
    ;;
  esac
}
complete -F _asyncdemo asyncdemo
)sh";
  return out;
}

std::string zsh_completion(const std::vector<CommandDoc>& docs) {
  std::string out = R"sh(#compdef asyncdemo
# zsh completion for asyncdemo. Made by `asyncdemo --generate=zsh` from the
# definitions that make --help; cmake --install puts it in
# share/zsh/vendor-completions/_asyncdemo.

# _asyncdemo_specs COMMAND: the _arguments specs of a command's options.
_asyncdemo_specs() {
  case $1 in
)sh";
  auto spec = [](const OptionDoc& o) {
    const auto d = brief(o.help);
    std::string action;
    if (!o.choices.empty())
      action = fmt::format(":{}:({})", o.kind.empty() ? o.name : o.kind, fmt::join(o.choices, " "));
    else if (o.file())
      action = ":file:_files";
    else if (!o.kind.empty())
      action = ":" + o.kind + ": ";
    const auto name = o.kind.empty() ? "--" + o.name : "--" + o.name + "=";
    if (o.short_name)
      return fmt::format("'(-{0} --{1})'{{-{0},--{1}}}'[{2}]{3}'", o.short_name, o.name, d, action);
    return sq(fmt::format("{}[{}]{}", name, d, action));
  };
  for (const auto& d : docs) {
    out += fmt::format("  {})\n    specs=(\n", sq(d.name));
    for (const auto& o : d.options)
      out += "      " + spec(o) + "\n";
    out += "    ) ;;\n";
  }
  out += R"sh(  esac
}

_asyncdemo() {
  local -a specs commands
  commands=(
    'list:the scenarios, seed, modes, summary'
    'show:print a built-in scenario file'
    'run:run a scenario file of your own'
    'help:the help of a command or scenario'
)sh";
  for (const auto* d : scenario_docs(docs))
    out += "    " + sq(d->name + ":" + brief(d->summary, false)) + "\n";
  out += R"sh(  )
  if (( CURRENT == 2 )); then
    if [[ $PREFIX == -* ]]; then
      _asyncdemo_specs ''
      _arguments $specs
    else
      _describe 'scenario or command' commands
    fi
    return
  fi
  local command=$words[2]
  case $command in
  help) (( CURRENT == 3 )) && _describe 'scenario or command' commands ;;
  show) (( CURRENT == 3 )) && compadd -- )sh" +
         joined(file_scenarios(docs)) + R"sh( ;;
  run)
    if (( CURRENT == 3 )); then
      _files -g '*.toml'
    else
      _asyncdemo_specs run
      # A scenario file's own parameters, once it is read.
      local line
      for line in ${(f)"$(asyncdemo run ${(Q)words[3]} --help 2>/dev/null)"}; do
        if [[ $line =~ '^  --([a-z][a-z0-9-]*) ([A-Z]+)' ]]; then
          (( ${specs[(I)--$match[1]=*]} )) || specs+=("--$match[1]=[a parameter of the file]:$match[2]: ")
        elif [[ $line =~ '^  --([a-z][a-z0-9-]*)( |$)' ]]; then
          (( ${specs[(I)*--$match[1]\[*]} )) || specs+=("--$match[1][a parameter of the file]")
        fi
      done
      shift 2 words
      (( CURRENT -= 2 ))
      _arguments $specs
    fi
    ;;
  *)
    _asyncdemo_specs $command
    shift words
    (( CURRENT-- ))
    (( $#specs )) && _arguments $specs
    ;;
  esac
}

_asyncdemo "$@"
)sh";
  return out;
}

std::string fish_completion(const std::vector<CommandDoc>& docs) {
  std::string out =
      R"sh(# fish completion for asyncdemo. Made by `asyncdemo --generate=fish` from the
# definitions that make --help; cmake --install puts it in
# share/fish/vendor_completions.d/asyncdemo.fish.

# The command: the first word after asyncdemo, when it is not an option.
function __asyncdemo_command
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    echo $words[2]
end

function __asyncdemo_in
    contains -- (__asyncdemo_command) $argv
end

# run's file: the word after run, once it is typed.
function __asyncdemo_run_file
    set -l words (commandline -opc)
    test (count $words) -ge 3; and test "$words[2]" = run; and echo $words[3]
end

# A scenario file's own parameters (and their kinds), once it is read.
function __asyncdemo_file_params
    set -l file (__asyncdemo_run_file)
    test -f "$file"; or return
    asyncdemo run $file --help 2>/dev/null | string match -rg '^  (?:-[a-zA-Z], )?--([a-z][a-z0-9-]*)'
end

complete -c asyncdemo -f
complete -c asyncdemo -n 'not __asyncdemo_command' -a list -d 'The scenarios: seed, modes, summary'
complete -c asyncdemo -n 'not __asyncdemo_command' -a show -d 'Print a built-in scenario file'
complete -c asyncdemo -n 'not __asyncdemo_command' -a run -d 'Run a scenario file of your own'
complete -c asyncdemo -n 'not __asyncdemo_command' -a help -d 'A command or scenario help'
complete -c asyncdemo -n '__asyncdemo_in help; and test (count (commandline -opc)) -eq 2' -a ')sh" +
      joined(command_words(docs)) + R"sh('
complete -c asyncdemo -n '__asyncdemo_in show; and test (count (commandline -opc)) -eq 2' -a ')sh" +
      joined(file_scenarios(docs)) + R"sh('
complete -c asyncdemo -n '__asyncdemo_in run; and not __asyncdemo_run_file' -a '(__fish_complete_suffix .toml)'
complete -c asyncdemo -n '__asyncdemo_in run; and __asyncdemo_run_file' -a '(__asyncdemo_file_params | string replace -r "^" -- "--")'
)sh";
  for (const auto* d : scenario_docs(docs))
    out += fmt::format("complete -c asyncdemo -n 'not __asyncdemo_command' -a {} -d {}\n",
                       sq(d->name), sq(brief(d->scenario->summary, false)));
  for (const auto& d : docs) {
    const auto condition = d.name.empty() ? std::string("not __asyncdemo_command")
                           : d.name == "run"
                               ? std::string("__asyncdemo_in run; and __asyncdemo_run_file")
                               : "__asyncdemo_in " + d.name;
    for (const auto& o : d.options) {
      std::string line = fmt::format("complete -c asyncdemo -n {}", sq(condition));
      if (o.short_name) line += fmt::format(" -s {}", o.short_name);
      line += " -l " + o.name;
      if (!o.choices.empty())
        line += " -x -a " + sq(joined(o.choices));
      else if (o.file())
        line += " -r -F";
      else if (!o.kind.empty())
        line += " -x";
      line += " -d " + sq(brief(o.help));
      out += line + "\n";
    }
  }
  return out;
}

} // namespace asyncdemo::cli
