#!/usr/bin/env bash
# completions_test.sh ASYNCDEMO: the completion scripts that
# `asyncdemo --generate=bash|zsh|fish` prints complete what the binary
# takes. bash: its completion function is driven as bash drives it
# (COMP_WORDS, COMP_CWORD, then COMPREPLY), for commands, scenario names,
# option values, file names; and for every scenario, every option its
# --help lists is offered. fish: `complete -C` asks it the same. zsh: read
# for syntax (a zsh completion needs a terminal to run). A missing fish or
# zsh is skipped, visibly.
set -uo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir bin sub
ln -s "$bin" bin/asyncdemo # the scripts call asyncdemo by name
export PATH=$tmp/bin:$PATH LC_ALL=C
touch mine.toml notes.txt
asyncdemo show calls >calls.toml
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

asyncdemo --generate=bash >asyncdemo.bash || fail "--generate=bash"
bash -n asyncdemo.bash || fail "bash syntax"

# expect "WORDS" "EXPECTED" : what bash completes for the last word.
cat >drive.sh <<'DRIVE'
source ./asyncdemo.bash
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMPREPLY=()
_asyncdemo
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
DRIVE
expect() {
  local got words
  read -ra words <<<"$1"
  [[ $1 == *" " ]] && words+=("") # a line ending in a space: an empty word to complete
  got=$(bash drive.sh "${words[@]}")
  [[ $got == "$2" ]] || fail "bash: [$1] gave [$got], expected [$2]"
}
expect "asyncdemo bre" "breakfast"
expect "asyncdemo cr" "crawler create-task"
expect "asyncdemo --v" "--version"
expect "asyncdemo breakfast --mo" "--mode"
expect "asyncdemo breakfast --mode g" "gather"
expect "asyncdemo breakfast --mode = a" "all as_completed await"
expect "asyncdemo breakfast --mode=a" "--mode=all --mode=as_completed --mode=await"
expect "asyncdemo swarm --mode th" "threads"
expect "asyncdemo worker --mode =" "all await sync"
expect "asyncdemo breakfast --clock v" "virtual"
expect "asyncdemo breakfast --format j" "json jsonl"
expect "asyncdemo pitfalls --variant = n" "no-await"
expect "asyncdemo create-task --variant c" "cancel"
expect "asyncdemo swarm --ta" "--tasks"
expect "asyncdemo breakfast --trace m" "mine.toml"
expect "asyncdemo breakfast --trace = no" "notes.txt"
expect "asyncdemo breakfast --export-json no" "notes.txt"
expect "asyncdemo breakfast --speed 1" ""
expect "asyncdemo run " "bin calls.toml mine.toml sub"
expect "asyncdemo run calls.toml --lat" "--latency"
expect "asyncdemo run calls.toml --latency 0" ""
expect "asyncdemo run calls.toml --mode = g" "gather"
expect "asyncdemo show cr" "crawler create-task"
expect "asyncdemo help gather" "gather-workers"
expect "asyncdemo list --format c" "csv"
expect "asyncdemo breakfast -q --ti" "--timeline --title"

# Every option of every scenario's --help, offered after "--".
scenarios=$(asyncdemo list --format=csv | tail -n +2 | cut -d, -f1)
[[ -n $scenarios ]] || fail "list --format=csv gave no scenarios"
for s in $scenarios; do
  offered=" $(bash drive.sh asyncdemo "$s" --) "
  for o in $(asyncdemo "$s" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
    grep -oE -- '--[a-z][a-z0-9-]*'); do
    [[ $offered == *" $o "* ]] || fail "bash: $s's $o is not offered"
  done
  names=" $(bash drive.sh asyncdemo "${s:0:2}") "
  [[ $names == *" $s "* ]] || fail "bash: scenario $s is not offered for ${s:0:2}"
done

if command -v fish >/dev/null; then
  asyncdemo --generate=fish >asyncdemo.fish || fail "--generate=fish"
  fish -n asyncdemo.fish || fail "fish syntax"
  fishc() { fish -c "source asyncdemo.fish; complete -C '$1'" | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'; }
  fexpect() {
    local got
    got=$(fishc "$1")
    [[ $got == "$2" ]] || fail "fish: [$1] gave [$got], expected [$2]"
  }
  fexpect "asyncdemo bre" "breakfast"
  fexpect "asyncdemo breakfast --mo" "--mode"
  fexpect "asyncdemo breakfast --mode=g" "--mode=gather"
  fexpect "asyncdemo swarm --ta" "--tasks"
  fexpect "asyncdemo pitfalls --variant=s" "--variant=sequential"
  fexpect "asyncdemo breakfast --trace=no" "--trace=notes.txt"
  fexpect "asyncdemo run calls.toml --lat" "--latency"
  fexpect "asyncdemo show cr" "crawler create-task"
else
  echo "fish not found: fish skipped"
fi

if command -v zsh >/dev/null; then
  asyncdemo --generate=zsh >_asyncdemo || fail "--generate=zsh"
  zsh -n _asyncdemo || fail "zsh syntax"
  for s in $scenarios; do
    grep -q "^  '$s')" _asyncdemo || fail "zsh: no specs for $s"
  done
  grep -q "'--tasks=\[" _asyncdemo || fail "zsh: swarm's --tasks"
else
  echo "zsh not found: zsh skipped"
fi

[[ $failures -eq 0 ]] || exit 1
echo "completions: all offered"
