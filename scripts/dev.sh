#!/usr/bin/env bash
# The one entry point on a fresh Debian 12 machine. It installs whatever
# Debian packages are missing (nothing when all are there), builds what
# changed, and then:
#
#   scripts/dev.sh run [ARGS...]   runs build/asyncdemo ARGS where you stand
#                                  (relative paths mean what you meant)
#   scripts/dev.sh test            runs every test, then again under
#                                  AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/dev.sh bench [ARGS...] runs the micro-benchmarks, then the swarm
#                                  comparison with CPython and Node (ARGS go
#                                  to bench/compare.py, e.g. --tasks=100000),
#                                  then times the --html replay's opening
set -euo pipefail
# Built in the repository, run where the user stands: `scripts/dev.sh run
# breakfast --trace=t.json` writes t.json here, as build/asyncdemo would.
here=$PWD
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

build_packages=(g++ cmake make libboost1.81-dev libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev
  libtomlplusplus-dev)
# python3: the fidelity tests run each scenario's --python program with it;
# python3-jsonschema: the JSON contract's validator; strace: the signal tests
# send a signal at chosen system calls; chromium: the --html replay's test
# opens it headless (tests/browser/); man-db (with bsdextrautils' col), zsh,
# fish: the man page and the completions are tried; dpkg-dev: cpack finds
# the package's dependencies with dpkg-shlibdeps.
test_packages=(clang-format python3 python3-jsonschema strace chromium man-db bsdextrautils zsh fish
  dpkg-dev)
bench_packages=(libbenchmark-dev python3 chromium)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "dev.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build DIR [CMAKE OPTIONS...]: configure (quick when nothing changed, and it
# recovers from a configure that failed before), then rebuild what changed.
build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASYNCDEMO_WERROR=ON "$@" >&2
  # Progress goes to stderr, so that `dev.sh run … | head` sees only asyncdemo.
  cmake --build "$dir" -j"$(nproc)" >&2
}

case "${1:-}" in
run)
  shift
  install_missing "${build_packages[@]}"
  build build
  cd "$here"
  exec "$repo/build/asyncdemo" "$@"
  ;;
test)
  install_missing "${build_packages[@]}" "${test_packages[@]}"
  build build
  ctest --test-dir build --output-on-failure -j"$(nproc)"
  echo "dev.sh: again under AddressSanitizer and UndefinedBehaviorSanitizer" >&2
  build build-sanitize -DASYNCDEMO_SANITIZE=ON
  ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)"
  ;;
bench)
  shift
  install_missing "${build_packages[@]}" "${bench_packages[@]}"
  build build -DASYNCDEMO_BENCH=ON
  # Short runs: the cores are shared.
  ./build/bench/micro_bench --benchmark_min_time=0.2
  python3 bench/compare.py "$@"
  # The --html replay: its size, and how long headless Chromium takes to open it.
  python3 bench/replay_open.py --asyncdemo build/asyncdemo
  ;;
*)
  echo "usage: scripts/dev.sh run [asyncdemo arguments...] | scripts/dev.sh test | scripts/dev.sh bench [--tasks=N --runs=R]" >&2
  exit 2
  ;;
esac
