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

# asan_quiet FILE...: drops the one line AddressSanitizer writes when a
# Python program's module first switches to its fiber (swapcontext), which
# the sanitized tree prints and the plain one does not.
asan_quiet() {
  sed -i "/WARNING: ASan doesn't fully support makecontext/d" "$@"
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

# golden NAME ARGS...: stdout equals tests/golden/NAME.txt, exit 0. The
# environment is set from golden_env (NAME=value words, e.g. COLUMNS=40).
golden_env=()
golden() {
  local name=$1 input=/dev/null
  shift
  # golden/NAME.stdin, if there is one, is what is typed (--step's commands).
  [ -f "$golden/$name.stdin" ] && input="$golden/$name.stdin"
  env "${golden_env[@]}" "$bin" "$@" <"$input" >"$tmp/out" 2>"$tmp/err" ||
    fail "asyncdemo $* exited $?: $(cat "$tmp/err")"
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

# same_lines_on_both_clocks SPEED ARGS...: the real clock at --speed=SPEED
# prints the lines the virtual clock prints (times masked). The real run's
# stdout is left in $tmp/r.
same_lines_on_both_clocks() {
  local speed=$1
  shift
  "$bin" "$@" --clock=virtual >"$tmp/v" 2>"$tmp/err" || fail "$*: virtual exit $?: $(cat "$tmp/err")"
  "$bin" "$@" --speed="$speed" >"$tmp/r" 2>"$tmp/err" || fail "$*: real exit $?: $(cat "$tmp/err")"
  diff -u <(messages "$tmp/v") <(messages "$tmp/r") || fail "$*: real-clock lines differ"
}

# signal_after SIGNAL SECONDS ARGS...: run, send SIGNAL after SECONDS, and
# leave the exit status in $rc and the wall time from the signal to the
# exit (in ms) in $took_ms. Stdout is in $tmp/out, stderr in $tmp/err.
signal_after() {
  local sig=$1 secs=$2
  shift 2
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err" &
  local pid=$!
  sleep "$secs"
  local t0
  t0=$(date +%s%N)
  kill "-$sig" "$pid"
  wait "$pid"
  rc=$?
  took_ms=$((($(date +%s%N) - t0) / 1000000))
}

# No sanitizer report, no crash: stderr says nothing of the kind.
no_crash() {
  grep -qE "AddressSanitizer|runtime error|Segmentation|terminate called" "$tmp/err" &&
    fail "$*: $(head -20 "$tmp/err")"
  return 0
}

# A directory holds nothing but what is named (no temporary file is left).
only_files() {
  local dir=$1
  shift
  local left
  left=$(cd "$dir" && ls -A | sort | tr '\n' ' ')
  [ "$left" = "$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')" ] ||
    fail "left in $dir: '$left', expected '$*'"
}

# Whether a file is a whole trace-event document.
whole_trace() {
  python3 -c 'import json, sys; assert "traceEvents" in json.load(open(sys.argv[1]))' "$1" 2>/dev/null
}

# strace with the sanitizers' leak check off: LeakSanitizer cannot work
# under ptrace, and would turn every clean exit into a fatal error.
traced() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace "$@"
}

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
unknown_option) usage_error "unknown option '--bogus'" breakfast --bogus ;;
missing_value) usage_error "--mode needs a value" breakfast --mode ;;
unknown_clock) usage_error "use real or virtual" breakfast --clock=wall ;;
unknown_color) usage_error "use auto, always or never" breakfast --color=sometimes ;;
unexpected_argument) usage_error "unexpected argument 'extra'" breakfast extra ;;
# scenario catalogue: delayed-print … factorial
delayed_print_delay_negative) usage_error "--delay: '-1' is not a number of seconds from 0" delayed-print --delay=-1 ;;
delayed_print_delay_not_a_number) usage_error "--delay: 'soon' is not a number" delayed-print --delay=soon ;;
delayed_print_times_zero) usage_error "--times: '0' is not a whole number from 1" delayed-print --times=0 ;;
delayed_print_texts_empty) usage_error "--texts: 'First,,Second' has an empty text" delayed-print --texts=First,,Second ;;
delayed_print_texts_none) usage_error "--texts: no texts given" delayed-print --texts "" ;;
factorial_numbers_none) usage_error "--numbers: no numbers given" factorial --numbers "" ;;
factorial_numbers_missing) usage_error "--numbers needs a value" factorial --numbers ;;
factorial_numbers_empty_item) usage_error "--numbers: '5,,6' has an empty number" factorial --numbers=5,,6 ;;
factorial_numbers_too_big) usage_error "--numbers: '5,21' is not a list of numbers; use whole numbers from 0 to 20" factorial --numbers=5,21 ;;
factorial_numbers_negative) usage_error "--numbers: '-1' is not a list of numbers; use whole numbers from 0 to 20" factorial --numbers=-1 ;;
factorial_numbers_not_whole) usage_error "--numbers: '1.5' is not a list of numbers; use whole numbers" factorial --numbers=1.5 ;;
as_completed_delays_negative) usage_error "--delays: '-1' is not a number of seconds from 0" as-completed --delays=-1,1,1 ;;
as_completed_delays_not_a_number) usage_error "--delays: 'x' is not a number of seconds" as-completed --delays=1,x,1 ;;
as_completed_delays_count) usage_error "--delays: '1,2' is not 3 delays" as-completed --delays=1,2 ;;
as_completed_delays_empty_item) usage_error "--delays: '1,,2' has an empty delay" as-completed --delays=1,,2 ;;
task_callbacks_cancel_bad) usage_error "--cancel: 'maybe' is not true or false" task-callbacks --cancel=maybe ;;
gather_workers_seed_bad) usage_error "--seed: 'x' is not a whole number" gather-workers --seed=x ;;
as_completed_seed)
  # The seed draws the delays, so it decides the completion order; --delays
  # fixes the delays and leaves the seed the numbers alone.
  "$bin" as-completed --seed=1 --clock=virtual >"$tmp/a" || fail "exit $?"
  "$bin" as-completed --seed=1 --clock=virtual >"$tmp/b" || fail "exit $?"
  diff -u "$tmp/a" "$tmp/b" || fail "--seed=1 twice gave two runs"
  "$bin" as-completed --seed=2024 --clock=virtual --delays=2,0.5,1 >"$tmp/c" || fail "exit $?"
  [ "$(grep -o 'result: [A-C]' "$tmp/c" | tr -d '\n')" = "result: Bresult: Cresult: A" ] ||
    fail "--delays=2,0.5,1 did not finish B, C, A: $(cat "$tmp/c")"
  ;;
catalogue_list)
  COLUMNS=200 "$bin" list >"$tmp/out" || fail "exit $?"
  for row in "delayed-print +tutorial 0 +all five +delayedPrint" \
    "task-callbacks +tutorial 2, section 34.5 +create_task +create_task, add_done_callback" \
    "gather-workers +tutorial 2, section 34.6.1 +all five +three workers" \
    "as-completed +tutorial 2, section 34.6.2 +all five +workers A, B, C" \
    "swarm +tutorial 2 +gather, as_completed, create_task, threads +N tasks" \
    "factorial +tutorial 2, exercise +all five +factorials" \
    "lock +beyond the tutorials +all five"; do
    grep -qE "^$row" "$tmp/out" || fail "no row '$row' in: $(cat "$tmp/out")"
  done
  ;;
list_formats)
  # For people, fitted to 80 columns in a pipe (the terminal's width on
  # one), the summary under its scenario when a row would not fit; for
  # scripts, JSON and CSV.
  "$bin" list >"$tmp/out" || fail "exit $?"
  awk '{ n = length($0); if (n > 80) { print; bad = 1 } } END { exit bad }' "$tmp/out" ||
    fail "lines wider than 80 columns: $(cat "$tmp/out")"
  grep -qE "^breakfast +tutorial 1 +all five$" "$tmp/out" || fail "breakfast's row: $(cat "$tmp/out")"
  grep -qE "^    coffee \(1 s prep" "$tmp/out" || fail "breakfast's summary: $(cat "$tmp/out")"
  grep -q "^from: the tutorial a scenario retells" "$tmp/out" ||
    fail "the from column is not explained: $(cat "$tmp/out")"
  grep -q "§" "$tmp/out" && fail "a seed's number, not words: $(cat "$tmp/out")"
  "$bin" list --format=csv >"$tmp/csv" || fail "csv: exit $?"
  python3 - "$tmp/csv" <<'PY' || fail "bad CSV: $(head -3 "$tmp/csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
swarm = next(r for r in rows if r["name"] == "swarm")
assert swarm["modes"].split() == ["gather", "as_completed", "create_task", "threads"], swarm
assert swarm["random"] == "true" and swarm["file"] == "false", swarm
assert next(r for r in rows if r["name"] == "breakfast")["file"] == "true"
PY
  "$bin" list --format=json >"$tmp/json" || fail "json: exit $?"
  python3 - "$tmp/json" "$tmp/csv" <<'PY' || fail "bad JSON: $(head -c 300 "$tmp/json")"
import csv, json, sys
doc = json.load(open(sys.argv[1]))
assert doc["type"] == "list" and doc["schema"] == 1 and doc["version"], doc.keys()
names = [s["name"] for s in doc["scenarios"]]
assert names == [r["name"] for r in csv.DictReader(open(sys.argv[2], newline=""))]
pitfalls = next(s for s in doc["scenarios"] if s["name"] == "pitfalls")
variant = next(p for p in pitfalls["params"] if p["name"] == "variant")
assert variant["choices"] == ["blocking", "no-await", "sequential"], variant
assert variant["default"] == "blocking" and variant["kind"] == "NAME"
cancel = next(p for p in next(s for s in doc["scenarios"] if s["name"] == "task-callbacks")["params"])
assert cancel["kind"] is None, cancel  # a switch takes no value
PY
  usage_error "--format: 'markdown' is not a format of list; use text, json or csv" list --format=markdown
  ;;
catalogue_real_matches_virtual)
  # The same lines on the real clock as on the virtual one. At --speed=5
  # the closest distinct deadlines (0.1 s apart in factorial) are 20 ms of
  # wall time apart: a busy machine (sanitizers, ctest -j) cannot swap them,
  # as it can at --speed=100, where they are 1 ms apart.
  for args in "delayed-print --mode=gather --times=2" "task-callbacks --cancel" \
    "gather-workers --mode=gather" "as-completed --mode=as_completed" "factorial --mode=as_completed" \
    "worker --mode=await"; do
    # shellcheck disable=SC2086
    same_lines_on_both_clocks 5 $args
  done
  ;;
gather_workers_seed)
  # The same seed gives the same run; another seed, other numbers.
  for mode in gather sync; do
    "$bin" gather-workers --mode=$mode --seed=1 --clock=virtual >"$tmp/a" || fail "exit $?"
    "$bin" gather-workers --mode=$mode --seed=1 --clock=virtual >"$tmp/b" || fail "exit $?"
    "$bin" gather-workers --mode=$mode --seed=2 --clock=virtual >"$tmp/c" || fail "exit $?"
    diff -u "$tmp/a" "$tmp/b" || fail "$mode: --seed=1 twice gave two runs"
    grep -q "results from calls: \[" "$tmp/a" || fail "$mode: no results: $(cat "$tmp/a")"
    [ "$(grep results "$tmp/a")" != "$(grep results "$tmp/c")" ] ||
      fail "$mode: --seed=2 drew the numbers of --seed=1: $(grep results "$tmp/a")"
  done
  ;;

format_xml) usage_error "--format: 'xml' is not a format; use text, json, jsonl, csv, markdown or lines" breakfast --format=xml ;;
runs_zero) usage_error "--runs: '0' is not a whole number from 1 to" breakfast --runs=0 ;;
runs_virtual) usage_error "drop --clock=virtual" breakfast --runs=3 --clock=virtual ;;
quiet_and_verbose) usage_error "give one of them" breakfast -q -v ;;
timeline_json) usage_error "--timeline draws a chart for people" breakfast --timeline --format=json ;;
trace_unwritable)
  usage_error "--trace: cannot write '/nonexistent/dir/x.json': No such file or directory" \
    breakfast --trace=/nonexistent/dir/x.json
  # Checked before running: nothing ran, and nothing is left in a directory
  # that cannot be written.
  mkdir "$tmp/ro" && chmod 555 "$tmp/ro"
  if [ "$(id -u)" -ne 0 ]; then # root writes anywhere
    usage_error "--trace: cannot write '$tmp/ro/x.json'" breakfast --trace="$tmp/ro/x.json"
  fi
  usage_error "is a directory" breakfast --trace="$tmp"
  ;;
trace_written)
  # A whole trace-event document, and no temporary file left beside it.
  mkdir "$tmp/t"
  "$bin" breakfast --clock=virtual --trace="$tmp/t/b.json" >/dev/null || fail "exit $?"
  [ "$(ls -A "$tmp/t")" = "b.json" ] || fail "left behind: $(ls -A "$tmp/t")"
  python3 - "$tmp/t/b.json" <<'PY' || fail "not a valid trace: $(head -c 300 "$tmp/t/b.json")"
import json, sys
doc = json.load(open(sys.argv[1]))
events = doc["traceEvents"]
assert all(e["ph"] in ("M", "X", "i", "s", "f") for e in events)
assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in events if e["ph"] == "X")
names = {e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
assert names == {"event loop", "main", "coffee", "eggs"}, names
prints = [e["name"] for e in events if e["ph"] == "i" and e["cat"] == "print"]
assert prints[0] == "coffee: prepare ingredients" and len(prints) == 7, prints
PY
  ;;
jsonl_streams)
  # Each event is on stdout as it happens: the frying line is there while
  # the run still waits for the eggs (3 s).
  "$bin" breakfast --format=jsonl --speed=1 >"$tmp/out" 2>"$tmp/err" &
  pid=$! tries=0
  until grep -qF '"text":"eggs: frying..."' "$tmp/out"; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { kill "$pid"; fail "no frying line after 5 s: $(cat "$tmp/out")"; }
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null || fail "the run had ended: the lines were not streamed"
  grep -q '"type":"summary"' "$tmp/out" && fail "the summary came before the end"
  wait "$pid" || fail "exit $?"
  tail -1 "$tmp/out" | grep -q '^{"schema":1,"version":"[0-9.]*","type":"summary"' || fail "last line: $(tail -1 "$tmp/out")"
  ;;
runs_real)
  # --runs=N on the real clock: N times per mode, mean ± σ, min, max.
  "$bin" breakfast --mode=all --runs=3 --speed=100 --format=json >"$tmp/out" || fail "exit $?"
  python3 - "$tmp/out" <<'PY' || fail "bad comparison: $(head -c 500 "$tmp/out")"
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
assert doc["type"] == "comparison" and doc["clock"] == "real"
assert [m["mode"] for m in doc["modes"]] == ["sync", "await", "create_task", "gather", "as_completed"]
for m in doc["modes"]:
    xs = m["elapsed"]
    assert len(xs) == 3 and m["stats"]["runs"] == 3
    assert abs(m["stats"]["mean"] - statistics.mean(xs)) < 1e-9
    assert abs(m["stats"]["stddev"] - statistics.stdev(xs)) < 1e-9
    assert m["stats"]["min"] == min(xs) and m["stats"]["max"] == max(xs)
    assert min(xs) >= m["model"]
assert len(doc["runs"]) == 15
PY
  "$bin" breakfast --mode=all --runs=2 --speed=100 >"$tmp/out" || fail "exit $?"
  # The three concurrent modes share breakfast's 6 s model: a winner is
  # named only beyond the noise, else they tie.
  grep -qE "^([a-z_]+ ran|[a-z_, ]+ tie:) [0-9.]+ ± [0-9.]+ × faster than sync( \(within ± σ\))?$" \
    "$tmp/out" || fail "no closing line: $(cat "$tmp/out")"
  grep -qE "^  Time \(mean ± σ\): +[0-9.]+ s ± " "$tmp/out" || fail "no mean ± σ: $(cat "$tmp/out")"
  ;;
swarm_tasks_zero) usage_error "--tasks: '0' is not a number of tasks" swarm --tasks=0 ;;
swarm_tasks_negative) usage_error "--tasks: '-5' is not a number of tasks" swarm --tasks=-5 ;;
swarm_tasks_not_a_number) usage_error "--tasks: 'many' is not a number of tasks" swarm --tasks=many ;;
swarm_tasks_too_many) usage_error "tasks would not fit in the memory available" swarm --tasks=999999999999 ;;
swarm_threads_too_many) usage_error "--mode=threads: this machine cannot hold 9999999 threads" swarm --mode=threads --tasks=9999999 ;;
swarm_max_sleep_bad) usage_error "--max-sleep: '-1' is not a number of seconds" swarm --max-sleep=-1 ;;

swarm_no_timeline)
  usage_error "--timeline: swarm does not record its tasks one by one" swarm --timeline
  usage_error "--trace: swarm does not record its tasks one by one" swarm --trace=x.json
  [ ! -e x.json ] || fail "a trace file was written"
  ;;
swarm_virtual)
  # Every task completes, exactly on time, and the model is the longest sleep.
  "$bin" swarm --clock=virtual --tasks=5000 >"$tmp/out" 2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
  grep -q "5000 of 5000 tasks done" "$tmp/out" || fail "not every task done: $(cat "$tmp/out")"
  grep -qE "^gather · 1\.000 s on the virtual clock · sync [0-9.]+ s · [0-9.]+ × faster than sync · seed 2024$" \
    "$tmp/out" || fail "no summary line: $(cat "$tmp/out")"
  grep -q "none early" "$tmp/out" || fail "a timer fired early: $(cat "$tmp/out")"
  [ ! -s "$tmp/err" ] || fail "stderr (no progress bar off a terminal): $(cat "$tmp/err")"
  ;;
swarm_conventions)
  # swarm is compared as the others are: its sync equivalent (the sleeps
  # one after another) gives the vs sync column and the closing line; -q
  # prints the summary line; the table's elapsed is the summary's.
  # Its figures break between fields to fit COLUMNS, as the summary does;
  # in a pipe without COLUMNS each stays one line.
  COLUMNS=40 "$bin" swarm --tasks=2000 --clock=virtual >"$tmp/out" || fail "exit $?"
  # (The program's own lines are printed as they are: only ours are fitted.)
  grep -E '^(gather|wall|timers|  ·)' "$tmp/out" | LC_ALL=C sed 's/[\xc2-\xf4][\x80-\xbf]*/?/g' |
    awk 'length > 40' | grep . && fail "wider than COLUMNS=40: $(cat "$tmp/out")"
  grep -qE '^  · [0-9]+ bytes per task$' "$tmp/out" || fail "figures not broken between fields: $(cat "$tmp/out")"
  "$bin" swarm --tasks=2000 --clock=virtual >"$tmp/out" || fail "exit $?"
  grep -qE '^wall .* · peak memory .* · [0-9]+ bytes per task$' "$tmp/out" ||
    fail "figures not one line in a pipe: $(cat "$tmp/out")"
  "$bin" swarm --tasks=2000 --clock=virtual -q >"$tmp/out" || fail "-q: exit $?"
  [ "$(wc -l <"$tmp/out")" -eq 1 ] && grep -qE "^gather · .* × faster than sync · seed 2024$" "$tmp/out" ||
    fail "-q is not the summary line: $(cat "$tmp/out")"
  "$bin" swarm --tasks=2000 --clock=virtual --mode=all >"$tmp/out" || fail "--mode=all: exit $?"
  for mode in gather as_completed create_task threads; do
    grep -qE "^$mode +1\.000 s +1\.000 s +exact +[0-9]{3,}\.[0-9]{2} ×$" "$tmp/out" ||
      fail "no $mode row with vs sync: $(cat "$tmp/out")"
  done
  grep -qE "^gather ran [0-9]{3,}\.[0-9]{2} × faster than sync$" "$tmp/out" || fail "no closing line: $(cat "$tmp/out")"
  grep -q "^elapsed " "$tmp/out" && fail "a second elapsed figure in a section: $(cat "$tmp/out")"
  "$bin" swarm --help >"$tmp/out" || fail "--help: exit $?"
  grep -q "threads" "$tmp/out" || fail "--help does not list threads: $(cat "$tmp/out")"
  # More threads than the machine holds (ulimit -u 1 leaves none): --mode=all
  # skips threads with a note, and --mode=threads is refused.
  (ulimit -u 1 && exec "$bin" swarm --tasks=100 --clock=virtual --mode=all >"$tmp/out" 2>"$tmp/err") ||
    fail "--mode=all under ulimit -u: exit $?: $(cat "$tmp/err")"
  grep -qE "^threads +[0-9]" "$tmp/out" && fail "a threads row: $(cat "$tmp/out")"
  grep -q "^threads skipped: --mode=threads: this machine cannot start another thread (ulimit -u allows none)" \
    "$tmp/out" || fail "no note: $(cat "$tmp/out")"
  grep -qE "^gather ran [0-9.]+ × faster than sync$" "$tmp/out" || fail "no closing line: $(cat "$tmp/out")"
  (ulimit -u 1 && exec "$bin" swarm --tasks=100 --clock=virtual --mode=threads >"$tmp/out" 2>"$tmp/err")
  [ $? -eq 2 ] && grep -q "cannot start another thread" "$tmp/err" || fail "threads alone: $(cat "$tmp/err")"
  ;;
swarm_real)
  # A small real-clock swarm: no timer fires before its deadline, in any mode.
  for mode in gather as_completed create_task threads; do
    "$bin" swarm --mode=$mode --tasks=1000 --speed=100 >"$tmp/out" 2>"$tmp/err" || fail "$mode: exit $?"
    grep -q "1000 of 1000 tasks done" "$tmp/out" || fail "$mode: $(cat "$tmp/out")"
    grep -q "none early" "$tmp/out" || fail "$mode: a timer fired early: $(cat "$tmp/out")"
  done
  ;;
exports)
  # --export-*=FILE: the report in that format, written beside the output,
  # exactly what --format prints; CSV of a comparison is the table of modes.
  mkdir "$tmp/e"
  "$bin" breakfast --clock=virtual --mode=all -q --export-json="$tmp/e/r.json" \
    --export-markdown="$tmp/e/r.md" --export-csv="$tmp/e/r.csv" >"$tmp/out" || fail "exit $?"
  [ "$(cat "$tmp/out")" = "gather ran 1.67 × faster than sync" ] || fail "stdout: $(cat "$tmp/out")"
  "$bin" breakfast --clock=virtual --mode=all --format=json | cmp -s - "$tmp/e/r.json" ||
    fail "--export-json is not --format=json"
  "$bin" breakfast --clock=virtual --mode=all --format=markdown | cmp -s - "$tmp/e/r.md" ||
    fail "--export-markdown is not --format=markdown"
  [ "$(head -1 "$tmp/e/r.csv")" = "mode,runs,mean,stddev,min,max,model,speedup" ] &&
    [ "$(wc -l <"$tmp/e/r.csv")" -eq 6 ] && grep -qx "gather,1,6.000000,0.000000,6.000000,6.000000,6.000000,1.6667" "$tmp/e/r.csv" ||
    fail "--export-csv of --mode=all: $(cat "$tmp/e/r.csv")"
  only_files "$tmp/e" r.json r.md r.csv
  # --runs: the table of modes, two runs each; one run: its tasks.
  "$bin" worker --mode=all --runs=2 --speed=1000 -q --export-csv="$tmp/e/runs.csv" >/dev/null || fail "runs: exit $?"
  grep -qE "^await,2,[0-9.]+," "$tmp/e/runs.csv" || fail "--runs CSV: $(cat "$tmp/e/runs.csv")"
  "$bin" worker --clock=virtual -q --export-csv="$tmp/e/one.csv" >/dev/null || fail "one run: exit $?"
  [ "$(head -1 "$tmp/e/one.csv")" = "mode,task,start,finish,duration,finish_order,state,result" ] ||
    fail "one run's CSV: $(cat "$tmp/e/one.csv")"
  usage_error "--export-json: cannot write '/nonexistent/dir/r.json'" breakfast --export-json=/nonexistent/dir/r.json
  usage_error "is a directory" breakfast --export-markdown="$tmp/e"
  usage_error "--export-json and --export-csv name the same file" breakfast --export-json=x --export-csv=x
  ;;
expect)
  # --expect=FILE: the lines the run prints, their text alone, in order; the
  # first difference as a diff on stderr, and exit status 3.
  printf '%s\n' "coffee: prepare ingredients" "coffee: waiting..." "eggs: prepare ingredients" \
    "eggs: frying..." "eggs: ready" "coffee: ready" "breakfast is ready in 6.000 s" >"$tmp/want.txt"
  "$bin" breakfast --clock=virtual --expect="$tmp/want.txt" >"$tmp/out" 2>"$tmp/err" ||
    fail "the same lines: exit $?: $(cat "$tmp/err")"
  [ ! -s "$tmp/err" ] || fail "stderr: $(cat "$tmp/err")"
  sed 's/frying/boiling/' "$tmp/want.txt" >"$tmp/other.txt"
  "$bin" breakfast --clock=virtual --expect="$tmp/other.txt" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 3 ] || fail "other lines: exit $rc, expected 3"
  grep -qx "asyncdemo: --expect: breakfast --mode=gather printed other lines than '$tmp/other.txt':" "$tmp/err" &&
    grep -qx -- "-eggs: boiling..." "$tmp/err" && grep -qx -- "+eggs: frying..." "$tmp/err" &&
    grep -qx "@@ -1,7 +1,7 @@" "$tmp/err" || fail "no diff: $(cat "$tmp/err")"
  tail -1 "$tmp/out" | grep -q "^gather · " || fail "the run's output is not whole: $(cat "$tmp/out")"
  # An autograder's use: a learner's scenario file against the lines of its
  # --python program, whatever the mode prints first.
  "$bin" show breakfast >"$tmp/mine.toml" || fail "show: exit $?"
  "$bin" run "$tmp/mine.toml" --mode=sync --clock=virtual --expect="$tmp/want.txt" >/dev/null 2>"$tmp/err"
  [ $? -eq 3 ] && grep -qx "+coffee: ready" "$tmp/err" || fail "sync's order passed: $(cat "$tmp/err")"
  usage_error "--expect: cannot read '$tmp/none.txt': No such file or directory" breakfast --expect="$tmp/none.txt"
  usage_error "--expect: cannot read '$tmp': Is a directory" breakfast --expect="$tmp"
  usage_error "--expect checks the lines of one mode" breakfast --mode=all --expect="$tmp/want.txt"
  ;;
expect_tolerance)
  # --format=lines makes an --expect file; --expect-tolerance lets the numbers
  # of the real clock differ: the --python program's lines, printed by CPython
  # on the real clock, pass against a real run.
  "$bin" breakfast --clock=virtual --format=lines >"$tmp/lines.txt" 2>"$tmp/err" || fail "lines: exit $?"
  [ ! -s "$tmp/err" ] || fail "lines: stderr: $(cat "$tmp/err")"
  "$bin" breakfast --clock=virtual --expect="$tmp/lines.txt" >/dev/null || fail "its own lines: exit $?"
  "$bin" breakfast --python >"$tmp/breakfast.py" || fail "--python: exit $?"
  (cd "$tmp" && python3 breakfast.py) >"$tmp/cpython.txt" || fail "python3: exit $?"
  grep -q "^breakfast is ready in 6\.[0-9]* s$" "$tmp/cpython.txt" || fail "CPython printed: $(cat "$tmp/cpython.txt")"
  # SCALE is 0.05 in the program: --speed=20 is its pace. A tolerance of 2 s
  # (of the scenario's, 0.1 real seconds) leaves room for a loaded machine.
  "$bin" breakfast --speed=20 --expect="$tmp/cpython.txt" --expect-tolerance=2 >/dev/null 2>"$tmp/err" ||
    fail "CPython's lines on the real clock: exit $?: $(cat "$tmp/err")"
  sed 's/ready in [0-9.]* s/ready in 9.5 s/' "$tmp/cpython.txt" >"$tmp/far.txt"
  "$bin" breakfast --clock=virtual --expect="$tmp/far.txt" --expect-tolerance=2 >/dev/null 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 3 ] || fail "3.5 s apart within 2: exit $rc"
  grep -qx "asyncdemo: --expect: breakfast --mode=gather printed other lines than '$tmp/far.txt' (numbers within 2):" "$tmp/err" &&
    grep -qx -- "-breakfast is ready in 9.5 s" "$tmp/err" && grep -qx -- "+breakfast is ready in 6.000 s" "$tmp/err" &&
    [ "$(grep -c '^[-+]' "$tmp/err")" -eq 4 ] || fail "the diff: $(cat "$tmp/err")"
  # Words differ: no tolerance helps.
  sed 's/ready in/done in/' "$tmp/lines.txt" >"$tmp/words.txt"
  "$bin" breakfast --clock=virtual --expect="$tmp/words.txt" --expect-tolerance=100 >/dev/null 2>&1
  [ $? -eq 3 ] || fail "other words passed"
  usage_error "--expect-tolerance: '-1' is not a number of seconds from 0 to 3600" \
    breakfast --expect="$tmp/lines.txt" --expect-tolerance=-1
  usage_error "--expect-tolerance: 'nan' is not a number" breakfast --expect="$tmp/lines.txt" --expect-tolerance=nan
  usage_error "--expect-tolerance: 'soon' is not a number" breakfast --expect="$tmp/lines.txt" --expect-tolerance=soon
  usage_error "--expect-tolerance: '' is not a number" breakfast --expect="$tmp/lines.txt" --expect-tolerance=
  usage_error "--expect-tolerance says how far apart the numbers in --expect's lines may be; add --expect=FILE" \
    breakfast --expect-tolerance=0.1
  usage_error "--format=lines prints one mode's lines" breakfast --mode=all --format=lines
  usage_error "--format=lines prints one run's lines, and --runs=2 repeats it" breakfast --runs=2 --format=lines
  ;;
min_speedup)
  # --min-speedup=X: exit 3 when the best mode is not X times faster than sync.
  "$bin" breakfast --clock=virtual --mode=all -q --min-speedup=1.6 >/dev/null 2>"$tmp/err" ||
    fail "1.67 × against 1.6: exit $?: $(cat "$tmp/err")"
  "$bin" breakfast --clock=virtual --mode=all -q --min-speedup=2 >"$tmp/out" 2>"$tmp/err"
  [ $? -eq 3 ] || fail "1.67 × against 2: not exit 3"
  grep -qx "asyncdemo: --min-speedup=2: the best mode, gather, ran 1.67 × faster than sync, short of 2 ×" \
    "$tmp/err" || fail "stderr: $(cat "$tmp/err")"
  [ "$(cat "$tmp/out")" = "gather ran 1.67 × faster than sync" ] || fail "stdout: $(cat "$tmp/out")"
  # Nothing faster: said in words, not as "ran 1.00 × faster".
  "$bin" worker --clock=virtual --mode=all -q --min-speedup=1.5 >/dev/null 2>"$tmp/err"
  grep -qx "asyncdemo: --min-speedup=1.5: the best mode, await, ran no faster than sync, short of 1.5 ×" \
    "$tmp/err" || fail "nothing faster: $(cat "$tmp/err")"
  # One mode: against the sync model; swarm: against its sync equivalent.
  "$bin" worker --mode=await --clock=virtual -q --min-speedup=1.01 >/dev/null 2>&1
  [ $? -eq 3 ] || fail "await, no faster than sync, passed --min-speedup=1.01"
  "$bin" swarm --tasks=500 --clock=virtual --mode=all -q --min-speedup=100 >/dev/null 2>"$tmp/err" ||
    fail "swarm: exit $?: $(cat "$tmp/err")"
  usage_error "--min-speedup: '0' is not a number above 0" breakfast --mode=all --min-speedup=0
  ;;
golden_file)
  # golden/NAME.args: the command line, one argument per line, after any
  # NAME=value lines for the environment (COLUMNS=40 for a timeline).
  name=${4:?golden_file needs a NAME}
  mapfile -t args <"$golden/$name.args"
  while [ ${#args[@]} -gt 0 ] && [[ ${args[0]} =~ ^[A-Z_]+= ]]; do
    golden_env+=("${args[0]}")
    args=("${args[@]:1}")
  done
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
  grep -qx "gather ran 1.67 × faster than sync" "$tmp/out" || fail "closing line missing"
  ;;
real_matches_virtual)
  for mode in sync create_task gather; do
    same_lines_on_both_clocks 100 breakfast --mode=$mode
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
  grep -qE "^breakfast +tutorial 1 +all five$" "$tmp/out" || fail "breakfast row: $(cat "$tmp/out")"
  grep -qE "^worker +tutorial 2, section 34.4.1 +sync, await$" "$tmp/out" ||
    fail "worker row: $(cat "$tmp/out")"
  ;;
help)
  for args in "--help" "list --help" "breakfast --help" "worker --help"; do
    # shellcheck disable=SC2086
    "$bin" $args >"$tmp/out" 2>&1 || fail "$args exited $?"
    grep -q "Usage:" "$tmp/out" || fail "$args: no usage"
  done
  "$bin" breakfast --help >"$tmp/out" && grep -q -- "--speed" "$tmp/out" || fail "breakfast --help lacks --speed"
  # Every help fits 80 columns in a pipe, and COLUMNS when it is set; it
  # names its options' kinds, and ends with examples and the exit statuses.
  too_wide() { LC_ALL=C sed 's/[\xc2-\xf4][\x80-\xbf]*/?/g' "$1" | awk -v w="$2" 'length > w' | grep .; }
  for name in "" list run $("$bin" list --format=csv | tail -n +2 | cut -d, -f1); do
    # shellcheck disable=SC2086
    "$bin" $name --help >"$tmp/out" || fail "$name --help exited $?"
    too_wide "$tmp/out" 80 && fail "${name:-asyncdemo} --help is wider than 80 columns"
    # shellcheck disable=SC2086
    COLUMNS=60 "$bin" $name --help >"$tmp/out60" || fail "$name --help exited $?"
    too_wide "$tmp/out60" 60 && fail "${name:-asyncdemo} --help is wider than COLUMNS=60"
    grep -qE -- '--[a-z-]+ (TEXT|VALUE)' "$tmp/out" && fail "$name --help: an option without its kind"
    grep -q '^Exit status:' "$tmp/out" || fail "$name --help: no exit statuses"
    grep -qE '^  3 +an assertion' "$tmp/out" || fail "$name --help: no exit status 3"
    [[ $name == list ]] || grep -q '^Examples:' "$tmp/out" || fail "$name --help: no examples"
    # asyncdemo help NAME is asyncdemo NAME --help.
    # shellcheck disable=SC2086
    "$bin" help $name >"$tmp/via_help" || fail "help $name exited $?"
    cmp -s "$tmp/out" "$tmp/via_help" || fail "help $name differs from $name --help"
  done
  "$bin" swarm --help >"$tmp/out" && grep -qE '^  --tasks N ' "$tmp/out" || fail "swarm --help: --tasks N"
  "$bin" factorial --help >"$tmp/out" && grep -qE '^  --numbers LIST ' "$tmp/out" ||
    fail "factorial --help: --numbers LIST"
  "$bin" list >"$tmp/out" && too_wide "$tmp/out" 80 && fail "list is wider than 80 columns"
  COLUMNS=50 "$bin" list >"$tmp/out" && too_wide "$tmp/out" 50 && fail "list is wider than COLUMNS=50"
  usage_error "help takes one name" help breakfast worker
  # --generate prints the man page and the completions; anything else is refused.
  for kind in man bash zsh fish; do
    "$bin" --generate="$kind" >"$tmp/gen" || fail "--generate=$kind exited $?"
    [ -s "$tmp/gen" ] || fail "--generate=$kind printed nothing"
  done
  usage_error "--generate: 'xyz' is not something asyncdemo generates; use man, bash, zsh or fish" \
    --generate=xyz
  usage_error "--generate needs a value" --generate
  usage_error "did you mean 'breakfast'?" help breakfst
  ;;
progress)
  # --runs and swarm draw a bar on stderr when it is a terminal (a
  # pseudo-terminal from script), with the time left; never into a pipe,
  # and never into what stdout carries.
  "$bin" breakfast --runs=2 --speed=100 --mode=all >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
  [ ! -s "$tmp/err" ] || fail "a bar on stderr in a pipe: $(cat -v "$tmp/err")"
  if command -v script >/dev/null; then
    script -qec "'$bin' breakfast --runs=2 --speed=40 --mode=all >'$tmp/out'" "$tmp/tty" >/dev/null ||
      fail "exit $?"
    grep -qE '(sync|gather) [12]/2  \[#*\.*\]  [0-9.]+ s left' "$tmp/tty" || fail "no bar: $(cat -v "$tmp/tty")"
    grep -q $'\r\x1b\[K' "$tmp/tty" || fail "the bar's line is never cleared"
    grep -q $'[\r\x1b]' "$tmp/out" && fail "the bar reached stdout: $(cat -v "$tmp/out")"
    grep -q '^as_completed (2 runs)' "$tmp/out" || fail "no runs block: $(cat "$tmp/out")"
    script -qec "'$bin' swarm --tasks=200000 --max-sleep=0.5 >'$tmp/out'" "$tmp/tty" >/dev/null ||
      fail "swarm exit $?"
    grep -qE 'tasks done  [0-9.]+ s left' "$tmp/tty" || fail "no swarm bar: $(cat -v "$tmp/tty")"
  else
    echo "SKIP: no 'script' for the terminal checks" >&2
  fi
  ;;
version)
  "$bin" --version >"$tmp/out" || fail "exit $?"
  grep -qE "^asyncdemo [0-9]+\.[0-9]+\.[0-9]+$" "$tmp/out" || fail "version: $(cat "$tmp/out")"
  "$bin" -V >"$tmp/short" || fail "-V: exit $?"
  cmp -s "$tmp/out" "$tmp/short" || fail "-V differs from --version: $(cat "$tmp/short")"
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
# scenario catalogue: random-add … pitfalls
random_add_delays_negative) usage_error "--delays: '5,-1' is not a list of delays; use seconds" random-add --delays=5,-1 ;;
random_add_delays_not_a_number) usage_error "--delays: 'five' is not a list of delays" random-add --delays=five ;;
random_add_delays_empty_item) usage_error "--delays: '5,,2' has an empty delay" random-add --delays=5,,2 ;;
random_add_seed)
  # The same seed draws the same numbers; another seed, other numbers.
  "$bin" random-add --clock=virtual --seed=7 >"$tmp/a" || fail "exit $?"
  "$bin" random-add --clock=virtual --seed=7 >"$tmp/b" || fail "exit $?"
  "$bin" random-add --clock=virtual --seed=8 >"$tmp/c" || fail "exit $?"
  diff -u "$tmp/a" "$tmp/b" || fail "--seed=7 twice gave two outputs"
  grep -c "Sum(\[" "$tmp/a" | grep -qx 3 || fail "not three sums: $(cat "$tmp/a")"
  [ "$(grep "Sum(" "$tmp/a")" != "$(grep "Sum(" "$tmp/c")" ] || fail "--seed=8 drew the numbers of --seed=7"
  grep -q "· seed 7$" "$tmp/a" || fail "the summary does not name the seed: $(tail -1 "$tmp/a")"
  ;;
create_task_unknown_variant) usage_error "--variant: 'awat' is not a variant (did you mean 'await'?); use one of no-await, await, sleep, cancel" create-task --variant=awat ;;
create_task_far_variant) usage_error "--variant: 'zzz' is not a variant; use one of no-await" create-task --variant=zzz ;;
catalogue_b_real_matches_virtual)
  # random-add, create-task and pitfalls print the same lines on the real
  # clock as on the virtual one (their deadlines are 0.5 s or more apart:
  # 50 ms at --speed=10, beyond a busy machine's jitter).
  for args in "random-add --mode=gather" "random-add --mode=sync" \
    "create-task --variant=no-await" "create-task --variant=await" "create-task --variant=sleep" \
    "create-task --variant=cancel" "pitfalls --variant=blocking --mode=gather" \
    "pitfalls --variant=no-await --mode=gather" "pitfalls --variant=sequential --mode=gather"; do
    # shellcheck disable=SC2086
    same_lines_on_both_clocks 10 $args
  done
  ;;
futures_interval_bad)
  usage_error "--interval: 'soon' is not a number of seconds above 0" futures --interval=soon
  usage_error "--interval: '-1' is not a number of seconds above 0" futures --interval=-1
  ;;
futures_real_matches_virtual)
  # No two timers tie, so the real clock prints what the exact one does.
  same_lines_on_both_clocks 4 futures # 50 ms of slack per tick on a busy machine
  ;;
pitfalls_unknown_variant) usage_error "--variant: 'no_await' is not a variant (did you mean 'no-await'?); use one of blocking, no-await, sequential" pitfalls --variant=no_await ;;
pitfalls_delays_negative) usage_error "--delays: '-5' is not a list of delays" pitfalls --variant=no-await --delays=-5 ;;
primitives_failure_every_format)
  # A main that raises: exit status 1 and, on stderr, the lines CPython's
  # traceback would end with, in every format; the JSON "error" the same.
  # (A catalogue program's error names its line, as a traceback's last
  # entry does: asyncdemo show taskgroup prints the program.)
  want="asyncdemo: scenarios/taskgroup.py:74: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
+-+---------------- 1 ----------------
  | ValueError: parse failed
  +------------------------------------"
  for fmt in text json jsonl csv markdown lines; do
    for extra in "" -q -v --timeline; do
      [ "$fmt" != text ] && [ -n "$extra" ] && continue # -q, -v and --timeline are text's
      # shellcheck disable=SC2086
      "$bin" taskgroup --uncaught --clock=virtual --format=$fmt $extra >"$tmp/out" 2>"$tmp/err"
      rc=$?
      asan_quiet "$tmp/err"
      [ "$rc" -eq 1 ] || fail "--format=$fmt $extra: exit $rc, expected 1: $(cat "$tmp/err")"
      [ "$(cat "$tmp/err")" = "$want" ] || fail "--format=$fmt $extra: stderr: $(cat "$tmp/err")"
    done
  done
  "$bin" taskgroup --uncaught --clock=virtual --format=json >"$tmp/out" 2>/dev/null
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["outcome"] == "failed"; print(d["error"], end="")' \
    "$tmp/out" >"$tmp/error" || fail "no failed outcome in: $(cat "$tmp/out")"
  [ "$(cat "$tmp/error")" = "${want#*:74: }" ] || fail "JSON error: $(cat "$tmp/error")"
  # gather's failure is the exception itself; a file's raise step the same.
  "$bin" taskgroup --mode=gather --uncaught --clock=virtual >/dev/null 2>"$tmp/err"
  rc=$?
  asan_quiet "$tmp/err"
  [ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "asyncdemo: scenarios/taskgroup.py:47: ValueError: parse failed" ] ||
    fail "gather: $(cat "$tmp/err")"
  printf '[[job]]\nname = "j"\nsteps = [ { sleep = 1 }, { raise = "RuntimeError", message = "at {now():g} s" } ]\n' >"$tmp/raise.toml"
  "$bin" run "$tmp/raise.toml" --mode=gather --clock=virtual >/dev/null 2>"$tmp/err"
  # A file's run-time error names the step that raised it, FILE:LINE:COLUMN.
  [ $? -eq 1 ] && [ "$(cat "$tmp/err")" = "asyncdemo: $tmp/raise.toml:3:26: RuntimeError: at 1 s" ] ||
    fail "a file's raise: $(cat "$tmp/err")"
  printf '[[job]]\nname = "j"\nsteps = [\n  { sleep = 1 },\n  { print = "{1 // (now() - 1)}" },\n]\n' >"$tmp/div.toml"
  for format in text json; do
    "$bin" run "$tmp/div.toml" --clock=virtual --format=$format >/dev/null 2>"$tmp/err"
    [ $? -eq 1 ] && [ "$(cat "$tmp/err")" = "asyncdemo: $tmp/div.toml:5:3: ZeroDivisionError: float floor division by zero" ] ||
      fail "a file's error at run time, --format=$format: $(cat "$tmp/err")"
  done
  ;;
primitives_bad_options)
  usage_error "--limit: '0' is not a whole number from 1 to 100" rate-limit --limit=0
  usage_error "--blocking: 'threads' is not a choice (did you mean 'thread'?)" to-thread --blocking=threads
  usage_error "--style: 'wait' is not a choice" timeout --style=wait
  usage_error "--fail: 'pars' is not one of parse, download, upload, none (did you mean 'parse'?)" taskgroup --fail=pars
  # (usage_error takes "exception" for a crash's word: the option's name has it.)
  "$bin" taskgroup --return-exceptions >"$tmp/out" 2>"$tmp/err"
  [ $? -eq 2 ] && [ ! -s "$tmp/out" ] &&
    [ "$(cat "$tmp/err")" = "asyncdemo: --return-exceptions is for --mode=gather, and this is --mode=create_task; add --mode=gather, or drop --return-exceptions" ] ||
    fail "--return-exceptions without gather: $(cat "$tmp/err")"
  usage_error "taskgroup does not support --mode=sync" taskgroup --mode=sync
  usage_error "--join-timeout is for --forget-task-done" producer-consumer --join-timeout=1
  usage_error "--items: '0' is not a whole number from 1 to 100" producer-consumer --items=0
  usage_error "--produce: '-1' is not a number of seconds from 0 to 60" producer-consumer --produce=-1
  usage_error "race does not support --mode=gather" race --mode=gather
  ;;
primitives_real_matches_virtual)
  # The scenarios of the primitives print the same lines on the real clock,
  # where no two timers set at different moments meet (their deadlines are
  # 0.1 s or more apart: 20 ms at --speed=5). Where two do meet, a real
  # clock may put them in two turns of the loop, and a task woken by the
  # first runs before the second: rate-limit's concurrent modes, to-thread's
  # two threads, producer-consumer; CPython's real clock races there too.
  for args in "rate-limit --mode=sync --jobs=2" "rate-limit --mode=gather --limit=6" \
    "lock --mode=gather" "lock --mode=gather --lock" "timeout" "timeout --style=timeout" \
    "race" "taskgroup" "taskgroup --mode=gather"; do
    # shellcheck disable=SC2086
    same_lines_on_both_clocks 5 $args
  done
  ;;
to_thread_real)
  # The blocking work runs on worker threads: the loop goes on, and the
  # concurrent modes take 6 s, not 10 (at --speed=10: 0.6 s of wall time).
  "$bin" to-thread --mode=gather --speed=10 >"$tmp/out" 2>"$tmp/err" || fail "exit $?: $(cat "$tmp/err")"
  grep -q "^gather · 6\.[0-9]* s elapsed" "$tmp/out" || fail "not about 6 s: $(tail -1 "$tmp/out")"
  grep -q "breakfast is ready in 6\." "$tmp/out" || fail "$(cat "$tmp/out")"
  ;;
show_and_run)
  # The way to start a scenario of one's own: show a built-in file, edit
  # it, run it.
  "$bin" show breakfast >"$tmp/b.toml" || fail "show: exit $?"
  cmp -s "$tmp/b.toml" "$golden/../../scenarios/breakfast.toml" || fail "show is not the built-in file"
  sed -i 's/{ sleep = 3 }/{ sleep = 7 }/' "$tmp/b.toml"
  "$bin" run "$tmp/b.toml" --mode=all --clock=virtual >"$tmp/out" || fail "run: exit $?"
  grep -qE "^gather +9\.000 s +9\.000 s" "$tmp/out" || fail "the edit did not take: $(cat "$tmp/out")"
  "$bin" run "$tmp/b.toml" --help >"$tmp/out" || fail "run --help: exit $?"
  grep -q -- "--mode" "$tmp/out" || fail "run --help: $(cat "$tmp/out")"
  usage_error "unknown scenario 'brekfast' (did you mean 'breakfast'?)" show brekfast
  usage_error "swarm is compiled C++" show swarm
  usage_error "show takes one scenario's name" show
  usage_error "run takes a scenario file" run
  usage_error "cannot read '$tmp/none.toml': No such file or directory" run "$tmp/none.toml"
  usage_error "unknown option '--bogus'; see 'asyncdemo run $tmp/b.toml --help'" run "$tmp/b.toml" --bogus
  ;;
pitfalls_unused_options)
  # What the chosen variant would ignore is refused, for --python too.
  usage_error "--delays is for --variant=no-await" pitfalls --variant=blocking --delays=1,2
  usage_error "--seed is for --variant=no-await" pitfalls --variant=sequential --seed=7
  usage_error "--delays is for --variant=no-await" pitfalls --delays=5,8,2 --python
  "$bin" pitfalls --variant=no-await --delays=1,2 --seed=7 --clock=virtual >/dev/null 2>&1 ||
    fail "no-await with --delays and --seed: exit $?"
  ;;
pitfalls_never_awaited)
  # The dropped sleep warns on stderr (where CPython warns), in its task,
  # once: CPython's warnings filter shows a warning once per place, and the
  # three calls drop it at the same place. Stdout keeps what print() printed.
  "$bin" pitfalls --variant=no-await --mode=gather --clock=virtual >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
  [ "$(grep -c "RuntimeWarning: coroutine 'sleep' was never awaited" "$tmp/err")" -eq 1 ] ||
    fail "not one warning on stderr: $(cat "$tmp/err")"
  grep -qE "^0\.000 s  call1  RuntimeWarning" "$tmp/err" || fail "warning without time and task: $(cat "$tmp/err")"
  grep -q "RuntimeWarning" "$tmp/out" && fail "a warning on stdout: $(cat "$tmp/out")"
  grep -q "^gather · 0.000 s on the virtual clock" "$tmp/out" || fail "a pause happened: $(tail -1 "$tmp/out")"
  "$bin" pitfalls --variant=sequential --clock=virtual >/dev/null 2>"$tmp/err" || fail "exit $?"
  asan_quiet "$tmp/err"
  [ ! -s "$tmp/err" ] || fail "awaited sleeps warned: $(cat "$tmp/err")"
  ;;
# ---- reliability: signals at every moment, files that are not ours ----
interrupt_swarm_every_mode)
  # Ctrl-C while a swarm runs, in every mode: a clean "interrupted" ending
  # (under the sanitizer build too: tasks still running must not write
  # into a swarm that was freed).
  for mode in gather as_completed create_task threads; do
    n=200000
    [ $mode = threads ] && n=300
    signal_after INT 0.6 swarm --mode=$mode --tasks=$n --max-sleep=10
    no_crash "swarm --mode=$mode"
    [ "$rc" -eq 130 ] || fail "swarm --mode=$mode: exit $rc after Ctrl-C, expected 130: $(cat "$tmp/err")"
    grep -qE "^interrupted at [0-9.]+ s" "$tmp/out" || fail "swarm --mode=$mode: $(cat "$tmp/out")"
    echo "swarm --mode=$mode --tasks=$n: exit $took_ms ms after SIGINT"
  done
  ;;
interrupt_threads_quickly)
  # A thread blocked in a 10 s sleep does not hold up Ctrl-C.
  signal_after INT 0.5 swarm --mode=threads --tasks=2000 --max-sleep=10
  [ "$rc" -eq 130 ] || fail "exit $rc, expected 130"
  [ "$took_ms" -lt 3000 ] || fail "took $took_ms ms to stop"
  echo "threads: exit $took_ms ms after SIGINT"
  ;;
terminate_and_hangup)
  # SIGTERM and SIGHUP end a run as Ctrl-C does, with 128 + the signal.
  for pair in TERM:143 HUP:129 INT:130; do
    sig=${pair%:*} want=${pair#*:}
    mkdir -p "$tmp/$sig"
    signal_after "$sig" 0.5 breakfast --speed=2 --trace="$tmp/$sig/t.json"
    [ "$rc" -eq "$want" ] || fail "SIG$sig: exit $rc, expected $want"
    grep -qE "^interrupted at [0-9.]+ s" "$tmp/out" || fail "SIG$sig: $(cat "$tmp/out")"
    only_files "$tmp/$sig" t.json
    whole_trace "$tmp/$sig/t.json" || fail "SIG$sig: the trace is not whole"
  done
  ;;
second_signal_at_once)
  # A second Ctrl-C stops at once, even in the middle of blocking work.
  "$bin" pitfalls --variant=blocking --mode=gather --speed=1 >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  sleep 0.4
  kill -INT $pid
  sleep 0.2
  t0=$(date +%s%N)
  kill -INT $pid
  wait $pid
  rc=$?
  took=$((($(date +%s%N) - t0) / 1000000))
  [ "$rc" -eq 130 ] || fail "exit $rc after two Ctrl-Cs, expected 130"
  [ "$took" -lt 1000 ] || fail "the second Ctrl-C took $took ms"
  ;;
interrupt_full_pipe)
  # Output into a full pipe nobody reads: Ctrl-C still ends the run (the
  # output cannot move, so within a second it stops at once).
  mkfifo "$tmp/fifo"
  sleep 30 <"$tmp/fifo" & # opens the FIFO and never reads
  reader=$!
  "$bin" delayed-print --times=1000 --delay=0.001 --texts="$(printf 'x%.0s' $(seq 200))" \
    --speed=1 >"$tmp/fifo" 2>"$tmp/err" &
  pid=$!
  sleep 1
  t0=$(date +%s%N)
  kill -INT $pid
  wait $pid
  rc=$?
  took=$((($(date +%s%N) - t0) / 1000000))
  kill $reader 2>/dev/null
  [ "$rc" -eq 130 ] || fail "exit $rc into a full pipe, expected 130"
  [ "$took" -lt 3000 ] || fail "one Ctrl-C into a full pipe took $took ms"
  echo "full pipe: exit $took ms after SIGINT"
  ;;
signal_sweep | signal_sweep_files)
  # One signal at each call of each kind of system call a run makes: before
  # and between the models (brk, mmap), between two modes and at each line
  # (write, close), while the trace is checked and written (openat,
  # newfstatat, fchmod, rename). Every time: exit 130 (SIGINT), no temporary
  # file left, and the trace whole or absent. (strace counts each system
  # call separately: when=K is the K-th call of that one.) Two cases of
  # about 60 moments each, run side by side: write, close and brk, then mmap
  # and the files' calls.
  command -v strace >/dev/null || { echo "SKIP: no strace" >&2; exit 0; }
  calls="write close brk"
  [ "$case_name" = signal_sweep ] || calls="mmap openat newfstatat fchmod rename unlink"
  n=0
  for call in $calls; do
    for k in $(seq 1 60); do
      d="$tmp/$call.$k"
      mkdir "$d"
      traced -o "$d/strace" -e inject=$call:signal=SIGINT:when=$k \
        "$bin" breakfast --mode=all --clock=virtual --trace="$d/t.json" >"$d/out" 2>"$d/err"
      rc=$?
      # Exit 0 only when no signal came (there was no K-th call).
      [ "$rc" -ne 0 ] || ! grep -q -- "--- SIGINT" "$d/strace" || fail "SIGINT at $call #$k was ignored"
      left=$(ls -A "$d" | grep -v -x -e out -e err -e t.json -e strace)
      [ -z "$left" ] || fail "SIGINT at $call #$k left $left"
      [ ! -e "$d/t.json" ] || whole_trace "$d/t.json" || fail "SIGINT at $call #$k: half a trace"
      grep -qE "AddressSanitizer|runtime error" "$d/err" && fail "$call #$k: $(cat "$d/err")"
      [ "$rc" -eq 130 ] || [ "$rc" -eq 0 ] || fail "SIGINT at $call #$k: exit $rc: $(cat "$d/err")"
      rm -rf "$d"
      [ "$rc" -eq 0 ] && break # past the last such call: no signal came
      n=$((n + 1))
    done
  done
  [ "$n" -gt 20 ] || fail "only $n signals sent: the sweep did not run"
  echo "a signal at each of $n moments: all ended cleanly"
  ;;
signal_sweep_real)
  # The same on the real clock, SIGTERM at moments spread over each mode.
  command -v strace >/dev/null || { echo "SKIP: no strace" >&2; exit 0; }
  for k in 1 3 8 15 25 40 60 90; do
    d="$tmp/k$k"
    mkdir "$d"
    traced -o "$d/strace" -e inject=epoll_wait:signal=SIGTERM:when=$k \
      "$bin" breakfast --mode=all --speed=200 --trace="$d/t.json" >"$d/out" 2>"$d/err"
    rc=$?
    [ "$rc" -eq 143 ] || [ "$rc" -eq 0 ] || fail "SIGTERM at epoll_wait #$k: exit $rc"
    [ "$rc" -ne 0 ] || ! grep -q -- "--- SIGTERM" "$d/strace" || fail "SIGTERM at #$k was ignored"
    [ "$rc" -eq 0 ] || grep -qE "^interrupted (at|before)" "$d/out" || fail "k=$k: $(tail -3 "$d/out")"
    left=$(ls -A "$d" | grep -v -x -e out -e err -e t.json -e strace)
    [ -z "$left" ] || fail "SIGTERM at epoll_wait #$k left $left"
    [ ! -e "$d/t.json" ] || whole_trace "$d/t.json" || fail "k=$k: half a trace"
  done
  ;;
file_size_limit)
  # ulimit -f: the trace cannot be written, which is said, and nothing is left.
  mkdir "$tmp/t"
  (ulimit -f 1 && exec "$bin" delayed-print --times=200 --delay=0.01 --clock=virtual \
    --trace="$tmp/t/t.json" >/dev/null 2>"$tmp/err")
  rc=$?
  [ "$rc" -eq 1 ] || fail "exit $rc, expected 1"
  grep -q "cannot write --trace '$tmp/t/t.json': File too large" "$tmp/err" || fail "$(cat "$tmp/err")"
  only_files "$tmp/t"
  ;;
trace_closed_stdout)
  # With stdout closed the trace file does not become descriptor 1: the
  # run's text never lands inside it.
  mkdir "$tmp/t"
  "$bin" breakfast --clock=virtual --trace="$tmp/t/t.json" >&- 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 1 ] || fail "exit $rc with stdout closed, expected 1"
  whole_trace "$tmp/t/t.json" || fail "the trace is not whole: $(head -c 200 "$tmp/t/t.json")"
  grep -q "could not write the output" "$tmp/err" || fail "$(cat "$tmp/err")"
  ;;
trace_to_stdout)
  # --trace=/dev/stdout is written straight into whatever stdout is.
  "$bin" breakfast --clock=virtual -q --trace=/dev/stdout >"$tmp/out" || fail "exit $?"
  tail -1 "$tmp/out" | python3 -c 'import json, sys; assert "traceEvents" in json.load(sys.stdin)' ||
    fail "no trace on stdout: $(tail -c 200 "$tmp/out")"
  [ -f "$tmp/out" ] || fail "stdout's file was replaced"
  ;;
trace_keeps_what_it_writes_over)
  # A symbolic link is followed, a FIFO is written into, a file keeps its mode.
  mkdir "$tmp/t"
  touch "$tmp/t/target.json" && chmod 600 "$tmp/t/target.json"
  ln -s target.json "$tmp/t/link.json"
  "$bin" breakfast --clock=virtual --trace="$tmp/t/link.json" >/dev/null || fail "exit $?"
  [ -L "$tmp/t/link.json" ] || fail "the link was replaced"
  whole_trace "$tmp/t/target.json" || fail "the link's target was not written"
  [ "$(stat -c %a "$tmp/t/target.json")" = 600 ] || fail "mode: $(stat -c %a "$tmp/t/target.json")"
  mkfifo "$tmp/t/fifo"
  cat "$tmp/t/fifo" >"$tmp/from_fifo" &
  "$bin" breakfast --clock=virtual --trace="$tmp/t/fifo" >/dev/null || fail "fifo: exit $?"
  wait
  [ -p "$tmp/t/fifo" ] || fail "the FIFO was replaced"
  whole_trace "$tmp/from_fifo" || fail "nothing came through the FIFO"
  only_files "$tmp/t" fifo link.json target.json
  ;;
empty_values)
  # An empty value is a value: it never takes the next argument.
  usage_error "--trace needs a file name" breakfast --trace= --clock=virtual
  [ ! -e ./--clock=virtual ] || fail "a file named --clock=virtual was written"
  usage_error "--texts: no texts given" delayed-print --texts= --clock=virtual
  usage_error "--cancel: '' is not true or false" task-callbacks --cancel=
  usage_error "--timeline is a switch and takes no value (got 'maybe')" breakfast --timeline=maybe
  usage_error "'-q' takes no value" breakfast -q=1
  ;;
list_cap)
  # Every list takes at most 100 items, and says so.
  many=$(seq -s, 1 5000)
  usage_error "5000 delays are too many; give 1 to 100" random-add --delays="$many"
  usage_error "5000 numbers are too many; give 1 to 100" factorial --numbers="$many"
  usage_error "5000 texts are too many; give 1 to 100" delayed-print --texts="$many"
  "$bin" random-add --delays="$(seq -s, 1 100 | sed 's/[0-9]*/0.1/g')" --mode=await --clock=virtual \
    >/dev/null 2>"$tmp/err" || fail "100 delays: exit $?: $(cat "$tmp/err")"
  ;;
invalid_utf8)
  # Checked up front, the same way for every format.
  for format in text json jsonl csv markdown; do
    usage_error "--texts: 'A,\\xff' is not valid UTF-8 text" delayed-print --texts=$'A,\xff' \
      --clock=virtual --format=$format
  done
  ;;
memory_limits)
  # ulimit -v is one of the limits a swarm is checked against, before anything is allocated.
  [ -n "${ASYNCDEMO_SANITIZED:-}" ] && { echo "SKIP: AddressSanitizer needs the address space" >&2; exit 0; }
  (ulimit -v 524288 && exec "$bin" swarm --tasks=2000000 --clock=virtual >"$tmp/out" 2>"$tmp/err")
  rc=$?
  [ "$rc" -eq 2 ] || fail "swarm under ulimit -v: exit $rc, expected 2: $(cat "$tmp/err")"
  grep -q "would not fit in the memory available (.* by the address-space limit (ulimit -v))" "$tmp/err" ||
    fail "$(cat "$tmp/err")"
  (ulimit -v 524288 && exec "$bin" swarm --mode=threads --tasks=100 --clock=virtual >"$tmp/out" 2>"$tmp/err")
  rc=$?
  [ "$rc" -eq 2 ] || fail "threads under ulimit -v: exit $rc, expected 2: $(cat "$tmp/err")"
  grep -q "the address-space limit (ulimit -v) allows" "$tmp/err" || fail "$(cat "$tmp/err")"
  ;;
out_of_memory)
  # Out of memory is one line and exit 1, whatever the output: never an
  # uncaught std::bad_alloc (exit 134), never a misreport ("every task is
  # waiting"). In a subshell, under ulimit -v.
  [ -n "${ASYNCDEMO_SANITIZED:-}" ] && { echo "SKIP: AddressSanitizer needs the address space" >&2; exit 0; }
  cat >"$tmp/big.toml" <<'TOML'
[[job]]
name = "w{index}"
count = 10000
steps = [ { repeat = 10, as = "i", steps = [ { print = "worker {index} step {i} of a long enough line" }, { sleep = 1 } ] } ]
TOML
  for limit in 100000 150000 250000; do
    for outputs in "-q" "--format=json" "--format=jsonl" "--mode=all -q" "--html=$tmp/r.html -q" \
      "--export-json=$tmp/r.json -q" "--trace=$tmp/t.json -q" "--svg=$tmp/t.svg -q"; do
      # shellcheck disable=SC2086 # the outputs are words
      (ulimit -v "$limit" && exec "$bin" run "$tmp/big.toml" --clock=virtual $outputs >"$tmp/out" 2>"$tmp/err")
      rc=$?
      [ "$rc" -eq 0 ] && continue # it fitted
      [ "$rc" -eq 1 ] || fail "ulimit -v $limit, $outputs: exit $rc: $(tail -c 300 "$tmp/err")"
      [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "ulimit -v $limit, $outputs: $(cat "$tmp/err")"
      grep -q "^asyncdemo: out of memory: the address-space limit (ulimit -v) is [0-9]* MiB" "$tmp/err" ||
        fail "ulimit -v $limit, $outputs: $(cat "$tmp/err")"
      ran_out=1
    done
  done
  [ -n "${ran_out:-}" ] || fail "no run ran out of memory: the test tries nothing"
  ls "$tmp"/.r.* "$tmp"/.t.* 2>/dev/null && fail "temporary files left behind"
  ;;
prints_without_end)
  # A program that prints without end stops at what one run keeps: one line,
  # exit 1, in bounded memory, whatever the output.
  line=$(printf 'a long line %.0s' {1..300}) # 3,600 bytes: the bytes run out first
  cat >"$tmp/endless.toml" <<TOML
[[job]]
name = "p"
steps = [ { repeat = 10000000, as = "i", steps = [ { print = "{i} $line" }, { sleep = 0 } ] } ]
TOML
  for format in text jsonl json csv; do
    "$bin" run "$tmp/endless.toml" --clock=virtual --format=$format >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 1 ] || fail "--format=$format: exit $rc: $(tail -c 300 "$tmp/err")"
    [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "--format=$format: $(cat "$tmp/err")"
    grep -q "^asyncdemo: endless --mode=gather failed: the run printed more than 16 MiB, the most asyncdemo keeps of one run; stopped at" "$tmp/err" ||
      fail "--format=$format: $(cat "$tmp/err")"
  done
  ;;
wait_deadlock_as_gather)
  # A deadlock under asyncio.wait ends as one under gather: the same
  # clean-up (the task's on_cancel runs to its end) and the same line.
  for step in wait gather; do
    cat >"$tmp/$step.toml" <<TOML
[shared]
gate = "Event()"
[[coroutine]]
name = "c"
steps = [ { wait_event = "gate" } ]
on_cancel = [ { sleep = 1 }, { print = "c cleaned up" } ]
[main]
steps = [ { $step = ["c"] } ]
TOML
    "$bin" run "$tmp/$step.toml" --clock=virtual >"$tmp/$step.out" 2>"$tmp/$step.err"
    [ $? -eq 1 ] || fail "$step: exit $?"
    grep -q "c cleaned up" "$tmp/$step.out" || fail "$step: no clean-up: $(cat "$tmp/$step.out")"
    grep -q "failed: every task is waiting and nothing is pending that could wake one$" "$tmp/$step.err" ||
      fail "$step: $(cat "$tmp/$step.err")"
  done
  ;;
outputs_never_over_inputs)
  # No output writes over what the run reads, or over another output, by any name.
  cd "$tmp" || fail "no temporary directory"
  "$bin" show breakfast >f.toml
  cp f.toml f.orig
  ln -s f.toml link.toml
  ln f.toml hard.toml
  for out in --trace=f.toml --html=./f.toml --svg=link.toml --export-json=hard.toml \
    --export-csv="$tmp/f.toml"; do
    usage_error "would write over the scenario file, 'f.toml'" run f.toml --clock=virtual "$out"
  done
  cmp -s f.toml f.orig || fail "the scenario file changed"
  printf 'x\n' >e.txt
  usage_error "--export-json='e.txt' would write over --expect's file, 'e.txt'" \
    breakfast --clock=virtual --expect=e.txt --export-json=e.txt
  [ "$(cat e.txt)" = x ] || fail "--expect's file changed"
  ln -s r.html pic.svg
  usage_error "--html and --svg name the same file, 'r.html'" breakfast --html=r.html --svg=pic.svg
  [ ! -e r.html ] || fail "r.html was written"
  ;;
swarm_json_same_every_run)
  # A virtual-clock document is the same on every run once the measured
  # figures (kept in "measured", as numbers) are left out.
  for i in 1 2; do
    "$bin" swarm --tasks=2000 --clock=virtual --format=json >"$tmp/$i.json" || fail "exit $?"
  done
  python3 - "$tmp/1.json" "$tmp/2.json" <<'PY' || fail "the documents differ beyond 'measured'"
import json, sys
docs = [json.load(open(p)) for p in sys.argv[1:]]
for d in docs:
    m = d.pop("measured")
    assert all(isinstance(v, (int, float)) for v in m.values()), m
    assert {"wall", "peak_memory_bytes", "bytes_per_task", "lateness_max"} <= set(m), m
    assert not any("peak memory" in e["text"] for e in d["events"]), "figures in print events"
assert json.dumps(docs[0]) == json.dumps(docs[1])
PY
  ;;
# --- the views of the loop: --step, --html, --svg ---
step_real_clock)
  usage_error "--step replays the run on the virtual clock, where it is exact and can go back; drop --clock=real" \
    pitfalls --variant=blocking --step --clock=real
  ;;
views_infer_virtual)
  # Without --clock the views take the virtual clock, and say so in one line.
  cd "$tmp" || fail "no temporary directory"
  printf 'c\n' | "$bin" breakfast --step >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
  [ "$(cat "$tmp/err")" = "asyncdemo: --step runs on the virtual clock (exact and instant)" ] ||
    fail "stderr: $(cat "$tmp/err")"
  grep -q "6.000 s" "$tmp/out" || fail "no virtual-clock times: $(cat "$tmp/out")"
  "$bin" breakfast --mode=all --svg="$tmp/b.svg" >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
  [ "$(cat "$tmp/err")" = "asyncdemo: --svg runs on the virtual clock (exact and instant); add --clock=real to time it on this machine" ] ||
    fail "stderr: $(cat "$tmp/err")"
  [ -s "$tmp/b.svg" ] || fail "no svg"
  "$bin" breakfast --clock=virtual --html="$tmp/b.html" >"$tmp/out" 2>"$tmp/err" || fail "exit $?"
  [ ! -s "$tmp/err" ] || fail "a note though --clock was given: $(cat "$tmp/err")"
  ;;
step_runs) usage_error "--step walks through one run, and --runs=3 repeats runs" breakfast --step --runs=3 ;;
step_all) usage_error "replay them all with --html=FILE" breakfast --step --mode=all --clock=virtual ;;
views_swarm)
  cd "$tmp" || fail "no temporary directory"
  usage_error "--html: swarm does not record its tasks one by one" swarm --html=x.html
  usage_error "--svg: swarm does not record its tasks one by one" swarm --svg=x.svg
  usage_error "--step: swarm does not record its tasks one by one" swarm --step --clock=virtual
  only_files "$tmp" out err
  ;;
views_unwritable)
  usage_error "--html: cannot write '/nonexistent/dir/x.html': No such file or directory" \
    breakfast --html=/nonexistent/dir/x.html
  usage_error "--svg: '$tmp' is a directory; give a file's name, e.g. --svg=DIR/timeline.svg" \
    breakfast --svg="$tmp"
  usage_error "--html needs a file name, e.g. --html=replay.html" breakfast --html=
  usage_error "--html and --svg name the same file" breakfast --html="$tmp/x" --svg="$tmp/x"
  only_files "$tmp" out err
  ;;
html_written)
  # One self-contained page: no temporary file left, nothing fetched (no
  # src= or href= at all, no URL but the SVG namespace), the data inside.
  mkdir "$tmp/t"
  "$bin" breakfast --mode=all --clock=virtual --html="$tmp/t/b.html" >"$tmp/out" || fail "exit $?"
  only_files "$tmp/t" b.html
  head -1 "$tmp/t/b.html" | grep -qx '<!DOCTYPE html>' || fail "not HTML: $(head -c 200 "$tmp/t/b.html")"
  tail -1 "$tmp/t/b.html" | grep -qx '</html>' || fail "not whole: $(tail -c 200 "$tmp/t/b.html")"
  grep -qiE '(src|href)=' "$tmp/t/b.html" && fail "it links to something: $(grep -oiE '(src|href)=.{40}' "$tmp/t/b.html")"
  urls=$(grep -oE 'https?://[^"<> ]+' "$tmp/t/b.html" | sort -u | grep -vx 'http://www.w3.org/2000/svg')
  [ -z "$urls" ] || fail "it names URLs: $urls"
  python3 - "$tmp/t/b.html" <<'PY' || fail "its data is not what ran"
import json, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
data = json.loads(re.search(r'<script type="application/json" id="replay-data">(.*?)</script>', page, re.S).group(1))
assert [r["mode"] for r in data["runs"]] == ["sync", "await", "create_task", "gather", "as_completed"]
gather = data["runs"][3]
assert gather["tasks"] == ["main", "coffee", "eggs"], gather["tasks"]
assert len(gather["frames"]) == 10 and gather["frames"][0][4] == ["coffee", "eggs"], gather["frames"][0]
assert data["first"] == "gather"
PY
  # The same page on the real clock, at speed.
  "$bin" breakfast --speed=50 --html="$tmp/t/r.html" >/dev/null || fail "real clock: exit $?"
  grep -q "real clock at 50× speed" "$tmp/t/r.html" || fail "the real clock is not named"
  ;;
html_escapes)
  # What the program printed is data in the page, never markup.
  mkdir "$tmp/t"
  "$bin" delayed-print --texts='</script><b>x</b>,a&b' --times=1 --clock=virtual \
    --html="$tmp/t/e.html" --svg="$tmp/t/e.svg" >/dev/null || fail "exit $?"
  grep -q '</script><b>' "$tmp/t/e.html" && fail "a printed </script> ended the data"
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/t/e.svg" ||
    fail "the SVG does not parse"
  grep -q 'data-task="&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"' "$tmp/t/e.svg" || fail "a name is not escaped"
  ;;
svg_written)
  # Valid SVG: a section per mode on one scale, a row per task, a legend.
  mkdir "$tmp/t"
  "$bin" breakfast --mode=all --clock=virtual --svg="$tmp/t/b.svg" >/dev/null || fail "exit $?"
  "$bin" task-callbacks --cancel --clock=virtual --svg="$tmp/t/c.svg" >/dev/null || fail "exit $?"
  only_files "$tmp/t" b.svg c.svg
  python3 - "$tmp/t/b.svg" "$tmp/t/c.svg" <<'PY' || fail "not the SVG expected"
import sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == NS + "svg" and root.get("viewBox"), root.attrib
runs = root.findall(NS + "g[@class='run']")
assert [r.get("data-mode") for r in runs] == ["sync", "await", "create_task", "gather", "as_completed"]
assert [len(r.findall(".//" + NS + "g[@class='task']")) for r in runs] == [1, 1, 3, 3, 3]
assert [r.find(NS + "text[@class='heading']").text for r in runs][3] == "gather"
# sync's four time.sleep calls, then two (coffee's and eggs') in each other mode
assert len(root.findall(".//" + NS + "rect[@class='blocking']")) == 4 + 2 * 4
legend = "".join(root.find(NS + "g[@class='legend']").itertext())
assert "blocking the loop" in legend and "cancelled" in legend, legend
# One mode: no heading; the cancelled task has its mark.
one = ET.parse(sys.argv[2]).getroot()
assert one.find(".//" + NS + "text[@class='heading']") is None
assert len(one.findall(".//" + NS + "g[@class='task']")) == 2
assert len(one.findall(".//" + NS + "path[@class='cancelled']")) == 1
PY
  ;;
views_title_scale)
  # --title and --scale: for the views' files only, each value checked.
  usage_error "--scale: 'big' is not a number from 0.5 to 4; e.g. --scale=2" breakfast --svg=x.svg --scale=big
  usage_error "--scale: '0.4' is not a number from 0.5 to 4" breakfast --html=x.html --scale=0.4
  usage_error "--scale: '4.5' is not a number from 0.5 to 4" breakfast --svg=x.svg --scale=4.5
  usage_error "--scale sizes the --html page and the --svg image; add --html=FILE or --svg=FILE, or drop --scale" \
    breakfast --scale=2
  usage_error "--title heads the --html page and the --svg image; add --html=FILE or --svg=FILE, or drop --title" \
    breakfast --title=Breakfast
  usage_error "--title needs text" breakfast --svg=x.svg --title=
  usage_error "--title: 'a\\x1bb' has a control or invisible character" breakfast --svg=x.svg --title="$(printf 'a\033b')"
  usage_error "--title: 201 characters are more than a heading holds; give at most 200" \
    breakfast --svg=x.svg --title="$(printf '%0201d' 0)"
  usage_error "--python prints the program and runs nothing, so --scale does not apply" breakfast --python --scale=2
  only_files "$tmp" out err
  ;;
views_whole_or_nothing)
  # Stopped during a run, the page and the image are whole, or not there.
  for sig in INT TERM; do
    mkdir -p "$tmp/$sig"
    signal_after "$sig" 0.5 breakfast --speed=2 --mode=all --html="$tmp/$sig/r.html" --svg="$tmp/$sig/r.svg"
    [ "$rc" -eq $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: exit $rc"
    for f in "$tmp/$sig"/*; do
      case "$f" in
      *.html) tail -1 "$f" | grep -qx '</html>' || fail "SIG$sig: half a page" ;;
      *.svg) python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$f" || fail "SIG$sig: half an image" ;;
      *) fail "SIG$sig: left behind: $f" ;;
      esac
    done
  done
  ;;
step_interrupt)
  # Ctrl-C while --step waits for a command: exit 130 at once, and the
  # summary is not printed as if the run had been watched to its end.
  mkfifo "$tmp/in"
  exec 3<>"$tmp/in" # held open: the reader never sees the end of input
  "$bin" breakfast --step --clock=virtual <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  tries=0
  until grep -q "iteration 1 of 10" "$tmp/out"; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { kill "$pid"; fail "no first frame: $(cat "$tmp/out")"; }
    sleep 0.05
  done
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  exec 3>&-
  [ "$rc" -eq 130 ] || fail "exit $rc after Ctrl-C, expected 130"
  grep -q "faster than sync" "$tmp/out" && fail "the summary was printed: $(tail -3 "$tmp/out")"
  no_crash "step_interrupt"
  ;;
views_many_tasks)
  # Five thousand tasks, each sleeping its own time: what the views keep
  # grows with the events, not with the tasks times the iterations (a
  # list of every sleeper at every iteration would take gigabytes).
  cat >"$tmp/many.toml" <<'TOML'
[[job]]
name = "job{index}"
count = 5000
steps = [ { sleep = "random.random() * 10" }, { print = "done {index}" } ]
TOML
  limit=()
  [ -n "${ASYNCDEMO_SANITIZED:-}" ] || limit=(ulimit -v 1048576 '&&') # 1 GiB
  (eval "${limit[*]}" exec "$bin" run "$tmp/many.toml" --clock=virtual -q --html="$tmp/many.html" \
    --svg="$tmp/many.svg") >/dev/null 2>"$tmp/err" || fail "--html: exit $?: $(cat "$tmp/err")"
  size=$(stat -c %s "$tmp/many.html")
  [ "$size" -lt 10000000 ] || fail "the page of 5000 tasks takes $size bytes"
  printf '\n\nc\n' | (eval "${limit[*]}" exec "$bin" run "$tmp/many.toml" --clock=virtual --step) \
    >"$tmp/out" 2>"$tmp/err" || fail "--step: exit $?: $(cat "$tmp/err")"
  grep -q "… 4988 more items" "$tmp/out" || fail "what ran is not cut short: $(head -60 "$tmp/out")"
  ;;
step_colour)
  # --color=always: the frames' rule bold, the output in the tasks' colours
  # (as the live lines); never: not one escape.
  printf '\n\nc\n' | "$bin" breakfast --step --clock=virtual --color=always >"$tmp/out" || fail "exit $?"
  grep -q $'^\e\[1m── iteration 2 of 10' "$tmp/out" || fail "no bold rule: $(head -3 "$tmp/out" | od -c | head)"
  grep -q $'\e\[36mcoffee\e\[0m  coffee: waiting' "$tmp/out" || fail "no task colour: $(grep waiting "$tmp/out" | od -c | head)"
  printf '\n\nc\n' | "$bin" breakfast --step --clock=virtual --color=never >"$tmp/out" || fail "exit $?"
  grep -q $'\e' "$tmp/out" && fail "colour with --color=never"
  ;;
step_quit)
  # q: exit 0, nothing more printed; the files are written all the same.
  printf '\nq\n' | "$bin" breakfast --step --clock=virtual --html="$tmp/q.html" >"$tmp/out" || fail "exit $?"
  tail -1 "$tmp/out" | grep -qx '› quit' || fail "printed after q: $(tail -3 "$tmp/out")"
  [ -s "$tmp/q.html" ] || fail "the page was not written"
  ;;
step_program_source)
  # A .py program's --step shows its own text beside the loop, each task's
  # line marked and its await chain (tests/golden/step.program-source.txt; the
  # commands in its .stdin). The program is copied first: the run names it.
  cp "$golden/../python/programs/seed001_breakfast_gather.py" "$tmp/breakfast.py"
  golden_env=(COLUMNS=80)
  golden step.program-source run "$tmp/breakfast.py" --step --clock=virtual
  ;;
step_source_html)
  # A scenario file's page carries its Python program and where each task
  # is; a Python entry's carries its own text.
  "$bin" breakfast --mode=await --clock=virtual -q --html="$tmp/a.html" || fail "exit $?"
  grep -q '"program":\["# The asyncio program that' "$tmp/a.html" || fail "no program in the page"
  "$bin" pitfalls --clock=virtual -q --html="$tmp/b.html" || fail "exit $?"
  grep -q '"program":\["\\"\\"\\"Three classic mistakes' "$tmp/b.html" ||
    fail "a Python entry's page does not carry its program"
  ;;
*) fail "no such case" ;;
esac
exit 0
