#!/usr/bin/env bash
# CLI tests, one case per ctest test:  cli_test.sh ASYNCDEMO GOLDEN_DIR CASE [NAME]
# Set UPDATE_GOLDEN=1 to rewrite the golden files from the current output.
set -uo pipefail
bin=$1 golden=$2 case_name=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL [$case_name]: $*" >&2
  exit 1
}

# usage_error "expected stderr substring" ARGS...: exit 2, one line on
# stderr that contains the substring, nothing on stdout.
usage_error() {
  local want=$1
  shift
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "asyncdemo $* exited $rc, expected 2"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "asyncdemo $*: stderr is not one line: $(cat "$tmp/err")"
  grep -qF -- "$want" "$tmp/err" || fail "asyncdemo $*: stderr lacks '$want': $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "asyncdemo $*: printed to stdout: $(cat "$tmp/out")"
  grep -qiE 'terminate|exception|abort|what\(\)' "$tmp/err" && fail "looks like a crash: $(cat "$tmp/err")"
  return 0
}

# golden NAME ARGS...: stdout equals tests/golden/NAME.txt, exit 0.
golden() {
  local name=$1
  shift
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || fail "asyncdemo $* exited $?: $(cat "$tmp/err")"
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/out" "$golden/$name.txt"
    return 0
  fi
  diff -u "$golden/$name.txt" "$tmp/out" || fail "asyncdemo $* differs from $name.txt"
}

# interrupt_after LINE SECONDS ARGS...: once LINE has been printed, wait
# SECONDS more, then Ctrl-C (SIGINT); the run must exit 130. Waiting for a
# line, not a time from the start, keeps a slow start from moving the
# moment. Its stdout is left in $tmp/out, stderr in $tmp/err.
interrupt_after() {
  local line=$1 secs=$2
  shift 2
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" &
  local pid=$! tries=0
  until grep -qF -- "$line" "$tmp/out"; do
    tries=$((tries + 1))
    [ "$tries" -lt 200 ] || { kill "$pid"; fail "'$line' never came: $(cat "$tmp/out")"; }
    sleep 0.05
  done
  sleep "$secs"
  kill -INT "$pid"
  wait "$pid"
  local rc=$?
  [ "$rc" -eq 130 ] || fail "asyncdemo $* exited $rc after Ctrl-C, expected 130"
}

# The printed messages and their tasks, without the time column.
messages() { sed -n '/^$/q;p' "$1" | sed -E 's/^ *[0-9]+\.[0-9]+ s  //; s/[0-9]+\.[0-9]{3} s/N s/g'; }

seconds_after() { grep -oE "$1 [0-9]+\.[0-9]+ s" | head -1 | grep -oE '[0-9]+\.[0-9]+'; }

case $case_name in
unknown_scenario) usage_error "did you mean 'breakfast'?" breakfst ;;
unknown_scenario_far) usage_error "'asyncdemo list' shows them all" zzzzzz ;;
unknown_mode) usage_error "'foo' is not a mode" breakfast --mode=foo ;;
unknown_mode_near) usage_error "did you mean 'gather'?" breakfast --mode=gathr ;;
unsupported_mode) usage_error "worker does not support --mode=gather" worker --mode=gather ;;
speed_zero) usage_error "--speed: '0' is not a number from 0.001 to 1000" breakfast --speed=0 ;;
speed_negative) usage_error "--speed: '-2' is not a number from 0.001 to 1000" breakfast --speed=-2 ;;
speed_nan) usage_error "--speed: 'nan' is not a number from 0.001 to 1000" breakfast --speed=nan ;;
speed_infinite) usage_error "--speed: 'inf' is not a number from 0.001 to 1000" breakfast --speed=inf ;;
speed_not_a_number) usage_error "--speed: 'fast' is not a number from 0.001 to 1000" breakfast --speed=fast ;;
speed_too_fast) usage_error "--speed: '1e9' is not a number from 0.001 to 1000" breakfast --speed=1e9 ;;
speed_too_slow) usage_error "--speed: '1e-9' is not a number from 0.001 to 1000" breakfast --speed=1e-9 ;;
speed_hex) usage_error "--speed: '0x10' is not a number" breakfast --speed=0x10 ;;
unknown_option) usage_error "unknown option --bogus" breakfast --bogus ;;
missing_value) usage_error "--mode needs a value" breakfast --mode ;;
unknown_clock) usage_error "use real or virtual" breakfast --clock=wall ;;
unknown_color) usage_error "use auto, always or never" breakfast --color=sometimes ;;
unexpected_argument) usage_error "unexpected argument extra" breakfast extra ;;
swarm_tasks_zero) usage_error "--tasks: '0' is not a number of tasks" swarm --tasks=0 ;;
swarm_tasks_negative) usage_error "--tasks: '-5' is not a number of tasks" swarm --tasks=-5 ;;
swarm_tasks_not_a_number) usage_error "--tasks: 'many' is not a number of tasks" swarm --tasks=many ;;
swarm_tasks_too_many) usage_error "tasks would not fit in the memory available" swarm --tasks=999999999999 ;;
swarm_threads_too_many) usage_error "--mode=threads: this machine cannot hold 9999999 threads" swarm --mode=threads --tasks=9999999 ;;
swarm_max_sleep_bad) usage_error "--max-sleep: '-1' is not a number of seconds" swarm --max-sleep=-1 ;;

swarm_virtual)
  # Every task completes, exactly on time, and the model is the longest sleep.
  "$bin" swarm --clock=virtual --tasks=5000 >"$tmp/out" 2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
  grep -q "5000 of 5000 tasks done" "$tmp/out" || fail "not every task done: $(cat "$tmp/out")"
  grep -qE "elapsed ([0-9.]+ s) · model \1 " "$tmp/out" || fail "elapsed is not the model: $(cat "$tmp/out")"
  grep -q "none early" "$tmp/out" || fail "a timer fired early: $(cat "$tmp/out")"
  [ ! -s "$tmp/err" ] || fail "stderr (no progress bar off a terminal): $(cat "$tmp/err")"
  ;;
swarm_real)
  # A small real-clock swarm: no timer fires before its deadline, in any mode.
  for mode in gather as_completed create_task threads; do
    "$bin" swarm --mode=$mode --tasks=1000 --speed=100 >"$tmp/out" 2>"$tmp/err" || fail "$mode: exit $?"
    grep -q "1000 of 1000 tasks done" "$tmp/out" || fail "$mode: $(cat "$tmp/out")"
    grep -q "none early" "$tmp/out" || fail "$mode: a timer fired early: $(cat "$tmp/out")"
  done
  ;;
golden_file)
  # golden/NAME.args: the command line, one argument per line.
  name=${4:?golden_file needs a NAME}
  mapfile -t args <"$golden/$name.args"
  golden "$name" "${args[@]}"
  ;;
repeated_option)
  # Given twice, an option takes its last value.
  "$bin" breakfast --mode=gather --mode=sync --clock=virtual >"$tmp/out" || fail "exit $?"
  tail -1 "$tmp/out" | grep -q "^sync · " || fail "the last --mode did not win: $(tail -1 "$tmp/out")"
  ;;
closed_stderr)
  "$bin" breakfast --mode=foo 2>/dev/full >/dev/null
  rc=$?
  [ "$rc" -eq 2 ] || fail "a usage error into a full stderr exited $rc, expected 2"
  ;;
full_stdout)
  "$bin" breakfast --clock=virtual >/dev/full 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 1 ] || fail "writing into a full disk exited $rc, expected 1"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "could not write the output" "$tmp/err" ||
    fail "stderr: $(cat "$tmp/err")"
  ;;
dashed_mode)
  "$bin" breakfast --mode=create-task --clock=virtual >"$tmp/a" || fail "create-task exited $?"
  "$bin" breakfast --mode=create_task --clock=virtual >"$tmp/b" || fail "create_task exited $?"
  diff -u "$tmp/b" "$tmp/a" || fail "create-task and create_task differ"
  ;;
model_times)
  "$bin" breakfast --mode=all --clock=virtual >"$tmp/out" || fail "exit $?"
  for row in "sync +10.000 s +10.000 s" "await +10.000 s +10.000 s" "create_task +6.000 s +6.000 s" \
    "gather +6.000 s +6.000 s" "as_completed +6.000 s +6.000 s"; do
    grep -qE "^$row " "$tmp/out" || fail "no row '$row' in: $(cat "$tmp/out")"
  done
  grep -qx "gather ran 1.67× faster than sync" "$tmp/out" || fail "closing line missing"
  ;;
real_matches_virtual)
  for mode in sync create_task gather; do
    "$bin" breakfast --mode=$mode --clock=virtual >"$tmp/v" || fail "virtual exit $?"
    "$bin" breakfast --mode=$mode --speed=100 >"$tmp/r" || fail "real exit $?"
    diff -u <(messages "$tmp/v") <(messages "$tmp/r") || fail "$mode: real-clock lines differ"
    elapsed=$(seconds_after "·" <"$tmp/r")
    model=$(seconds_after "model" <"$tmp/r")
    awk -v e="$elapsed" -v m="$model" 'BEGIN { exit !(e >= m) }' ||
      fail "$mode: elapsed $elapsed s is shorter than the model $model s"
  done
  ;;
closed_pipe)
  "$bin" breakfast --speed=100 2>"$tmp/err" | head -1 >"$tmp/out"
  [ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "expected one line"
  [ ! -s "$tmp/err" ] || fail "not quiet: $(cat "$tmp/err")"
  ;;
interrupt)
  interrupt_after "eggs: frying" 0.5 breakfast --speed=1
  grep -q "eggs: frying" "$tmp/out" || fail "what ran is not shown: $(cat "$tmp/out")"
  grep -qE "^interrupted at [0-9.]+ s: cancelled .*coffee.*eggs" "$tmp/out" ||
    fail "no 'interrupted' line naming the cancelled tasks: $(cat "$tmp/out")"
  grep -q "ready" "$tmp/out" && fail "a cancelled task went on: $(cat "$tmp/out")"
  [ ! -s "$tmp/err" ] || fail "stderr: $(cat "$tmp/err")"
  ;;
interrupt_during_block)
  # As under CPython's asyncio.run: the blocking prep finishes, then the
  # task's next await raises the cancellation; eggs never starts.
  interrupt_after "coffee: prepare" 0.3 breakfast --speed=1
  [ "$(messages "$tmp/out")" = "$(printf 'coffee  coffee: prepare ingredients\ncoffee  coffee: waiting...')" ] ||
    fail "unexpected lines: $(cat "$tmp/out")"
  grep -qE "^interrupted at 1\.[0-9]+ s: cancelled main, coffee, eggs$" "$tmp/out" ||
    fail "no 'interrupted' line: $(cat "$tmp/out")"
  ;;
interrupt_sync)
  # Sync mode is a plain program: Ctrl-C stops the blocking sleep at once.
  interrupt_after "coffee: waiting" 1 breakfast --mode=sync --speed=1
  [ "$(messages "$tmp/out")" = "$(printf 'main  coffee: prepare ingredients\nmain  coffee: waiting...')" ] ||
    fail "unexpected lines: $(cat "$tmp/out")"
  grep -qE "^interrupted at [0-9.]+ s: cancelled main$" "$tmp/out" || fail "no 'interrupted' line: $(cat "$tmp/out")"
  ;;
interrupt_as_completed)
  interrupt_after "eggs: frying" 0.5 breakfast --mode=as_completed --speed=1
  grep -q "ready" "$tmp/out" && fail "a cancelled task went on: $(cat "$tmp/out")"
  grep -qE "^interrupted at [0-9.]+ s: cancelled .*coffee.*eggs" "$tmp/out" ||
    fail "no 'interrupted' line naming the cancelled tasks: $(cat "$tmp/out")"
  ;;
no_arguments)
  "$bin" >"$tmp/out" 2>&1 || fail "exit $?"
  grep -q "usage: asyncdemo <scenario>" "$tmp/out" || fail "no usage"
  grep -qE "^  breakfast " "$tmp/out" || fail "no scenario list"
  ;;
list)
  "$bin" list >"$tmp/out" || fail "exit $?"
  grep -qE "^breakfast +001 +sync, await, create_task, gather, as_completed +coffee" "$tmp/out" ||
    fail "breakfast row: $(cat "$tmp/out")"
  grep -qE "^worker +002 §34.4.1 +sync, await " "$tmp/out" || fail "worker row: $(cat "$tmp/out")"
  ;;
help)
  for args in "--help" "list --help" "breakfast --help" "worker --help"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/out" 2>&1 || fail "$args exited $?"
    grep -q "Usage:" "$tmp/out" || fail "$args: no usage"
  done
  "$bin" breakfast --help >"$tmp/out" && grep -q -- "--speed" "$tmp/out" || fail "breakfast --help lacks --speed"
  ;;
version)
  "$bin" --version >"$tmp/out" || fail "exit $?"
  grep -qE "^asyncdemo [0-9]+\.[0-9]+\.[0-9]+$" "$tmp/out" || fail "version: $(cat "$tmp/out")"
  ;;
color)
  # Output goes to a file first: `grep -q` on a pipe would end the writer early.
  esc=$'\x1b['
  has_colour() { "$@" >"$tmp/c" 2>&1; grep -qF "$esc" "$tmp/c"; }
  has_colour "$bin" breakfast --clock=virtual --color=always || fail "--color=always has no colour"
  has_colour "$bin" breakfast --clock=virtual --color=never && fail "--color=never has colour"
  has_colour "$bin" breakfast --clock=virtual && fail "colour into a pipe"
  if command -v script >/dev/null; then # a pseudo-terminal
    has_colour script -qec "$bin breakfast --clock=virtual" /dev/null || fail "no colour on a terminal"
    has_colour env NO_COLOR=1 script -qec "$bin breakfast --clock=virtual" /dev/null &&
      fail "NO_COLOR ignored"
  else
    echo "SKIP: no 'script' for the terminal checks" >&2
  fi
  ;;
*) fail "no such case" ;;
esac
exit 0
