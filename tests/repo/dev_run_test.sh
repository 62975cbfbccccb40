#!/usr/bin/env bash
# dev_run_test.sh REPO: `scripts/dev.sh run ARGS` builds in the repository
# but runs where the user stands, so that a relative path (--trace=t.json,
# run kitchen.toml) means what the user meant. Tried on a copy of dev.sh in
# a scratch repository, with cmake, dpkg-query and the binary stubbed: it
# builds nothing and installs nothing.
set -euo pipefail
repo=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/checkout/scripts" "$tmp/checkout/build" "$tmp/stubs" "$tmp/user/dir"
cp "$repo/scripts/dev.sh" "$tmp/checkout/scripts/dev.sh"
# Every package is installed; cmake succeeds; the binary says where it runs.
printf '#!/bin/sh\necho "install ok installed"\n' >"$tmp/stubs/dpkg-query"
printf '#!/bin/sh\nexit 0\n' >"$tmp/stubs/cmake"
printf '#!/bin/sh\npwd\nfor a in "$@"; do echo "$a"; done\necho written >t.json\n' \
  >"$tmp/checkout/build/asyncdemo"
chmod +x "$tmp/stubs/"* "$tmp/checkout/build/asyncdemo"

cd "$tmp/user/dir"
checkout=../../checkout # dev.sh named by a relative path, as a user types it
PATH=$tmp/stubs:$PATH bash "$checkout/scripts/dev.sh" run breakfast --trace=t.json >"$tmp/out"
expected=$(printf '%s\n' "$tmp/user/dir" breakfast --trace=t.json)
if [[ $(cat "$tmp/out") != "$expected" ]]; then
  echo "FAIL: dev.sh run ran as:"; cat "$tmp/out"; echo "expected:"; echo "$expected"
  exit 1
fi
[[ -f $tmp/user/dir/t.json && ! -e $tmp/checkout/t.json ]] ||
  { echo "FAIL: t.json was not written where the user stands"; exit 1; }
echo "dev.sh run: runs where the user stands"
