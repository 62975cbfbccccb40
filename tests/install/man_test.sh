#!/usr/bin/env bash
# man_test.sh ASYNCDEMO: the man page asyncdemo(1), as `asyncdemo
# --generate=man` prints it, renders with `man -l` without a warning, and
# says what --help says: every scenario, every option that each command's
# --help lists (with its kind), and every exit status. Without man it is
# skipped, visibly (exit 77).
set -uo pipefail
bin=$1
if ! command -v man >/dev/null; then
  echo "man not found: skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

"$bin" --generate=man >"$tmp/asyncdemo.1" || fail "--generate=man"
# -ww: every troff warning; a warning is a failure.
MANWIDTH=80 MAN_KEEP_FORMATTING=0 man --warnings=w -l "$tmp/asyncdemo.1" 2>"$tmp/warnings" |
  col -bx >"$tmp/page.txt"
[[ -s $tmp/warnings ]] && fail "man warned: $(head -3 "$tmp/warnings")"
for section in NAME SYNOPSIS DESCRIPTION MODES COMMANDS OPTIONS SCENARIOS "EXIT STATUS" EXAMPLES; do
  grep -q "^$section" "$tmp/page.txt" || fail "no $section section"
done
# Columns, not bytes: each UTF-8 character counted once.
LC_ALL=C sed 's/[\xc2-\xf4][\x80-\xbf]*/?/g' "$tmp/page.txt" | awk 'length > 80' | grep . &&
  fail "lines wider than 80 columns"

# What --help lists, the page says: "--name KIND" for each option.
help_terms() {
  grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z0-9-]*( [A-Z][A-Z]*)?' | sed -E 's/^  (-[a-zA-Z], )?//'
}
for command in $("$bin" list --format=csv | tail -n +2 | cut -d, -f1) list run ""; do
  grep -qE "^       $command( |\$)" "$tmp/page.txt" || [[ $command == list || $command == run || -z $command ]] ||
    fail "scenario $command is not on the page"
  # shellcheck disable=SC2086
  while read -r term; do
    grep -qF -- "$term" "$tmp/page.txt" || fail "${command:-asyncdemo}: '$term' is not on the page"
  done < <("$bin" $command --help | help_terms)
done
for status in 0 1 2 3 "130, 143, 129"; do
  grep -q "^       $status " "$tmp/page.txt" || grep -q "^       $status\$" "$tmp/page.txt" ||
    fail "exit status $status is not on the page"
done
[[ $failures -eq 0 ]] || exit 1
echo "man page: renders, and says what --help says"
