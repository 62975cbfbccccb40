#!/usr/bin/env bash
# The one entry point on a fresh Debian 12 machine. It installs whatever
# Debian packages are missing (nothing when all are there), builds what
# changed, and then:
#
#   scripts/dev.sh run [ARGS...]   builds the binary alone and runs
#                                  build/asyncdemo ARGS where you stand
#                                  (relative paths mean what you meant)
#   scripts/dev.sh test            builds everything and runs every test, then
#                                  again under AddressSanitizer +
#                                  UndefinedBehaviorSanitizer (all but the
#                                  packaging, browser, format and repository
#                                  checks, whose subject is not memory)
#   scripts/dev.sh bench [ARGS...] runs the micro-benchmarks, then the swarm
#                                  comparison with CPython and Node (ARGS go
#                                  to bench/compare.py, e.g. --tasks=100000),
#                                  then the Python programs' benchmark
#                                  (bench/python.py: the compiled swarm,
#                                  CPython, uvloop), then times the --html
#                                  replay's opening
#
# Each phase's time goes to stderr ("dev.sh: build 41.2 s"). ccache, when
# installed, keeps compiled objects between checkouts (never required).
set -euo pipefail
# Built in the repository, run where the user stands: `scripts/dev.sh run
# breakfast --trace=t.json` writes t.json here, as build/asyncdemo would.
here=$PWD
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# ninja-build: builds each layer's files while the one below still links,
# and says "no work to do" at once.
build_packages=(g++ cmake make ninja-build libboost1.81-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  doctest-dev libtomlplusplus-dev)
# python3: the fidelity tests run each scenario's --python program with it;
# python3-jsonschema: the JSON contract's validator; strace: the signal tests
# send a signal at chosen system calls; chromium: the --html replay's test
# opens it headless (tests/browser/); man-db (with bsdextrautils' col), zsh,
# fish: the man page and the completions are tried; dpkg-dev: cpack finds
# the package's dependencies with dpkg-shlibdeps.
test_packages=(clang-format python3 python3-jsonschema strace chromium man-db bsdextrautils zsh fish
  dpkg-dev)
bench_packages=(libbenchmark-dev python3 python3-uvloop chromium)

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

# timed PHASE COMMAND...: runs COMMAND, then says on stderr how long it took
# (and its exit status if it failed); returns that status.
timed() {
  local phase=$1 start=${EPOCHREALTIME/./} rc=0
  shift
  "$@" || rc=$?
  local ds=$(((${EPOCHREALTIME/./} - start) / 100000))
  printf 'dev.sh: %s %d.%d s%s\n' "$phase" $((ds / 10)) $((ds % 10)) \
    "$([ "$rc" -eq 0 ] || echo ", failed (exit $rc)")" >&2
  return "$rc"
}

# ccache, when there: the same source compiled with the same flags is taken
# from the cache, even in a fresh clone elsewhere (paths are made relative
# to the checkout, and the working directory is not part of the key).
launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=)
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$repo} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi

# configure DIR [CMAKE OPTIONS...]: quick when nothing changed, and it
# recovers from a configure that failed before. Its chatter is kept in
# DIR/configure.log and shown when it fails.
configure() {
  local dir=$1 generator=()
  shift
  # A new tree is built with ninja when there is one; an old one keeps its
  # generator (cmake refuses to change it).
  [ -f "$dir/CMakeCache.txt" ] || ! command -v ninja >/dev/null || generator=(-G Ninja)
  mkdir -p "$dir"
  cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DASYNCDEMO_WERROR=ON \
    "${launcher[@]}" "$@" >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log" >&2 && return 1; }
}

# build DIR [TARGET...]: rebuilds what changed. Progress goes to stderr, so
# that `dev.sh run … | head` sees only asyncdemo.
build() {
  local dir=$1
  shift
  local targets=()
  [ $# -eq 0 ] || targets=(--target "$@")
  cmake --build "$dir" -j"$(nproc)" "${targets[@]}" >&2
}

# logged LOG COMMAND...: runs COMMAND with its output in LOG.
logged() {
  local log=$1
  shift
  "$@" >"$log" 2>&1
}

# tests DIR: every test of the tree, the longest started first (their COST);
# what failed is printed whole. The counts are added to the totals.
passed=0 failed_tests=0 not_run=0
tests() {
  local rc=0
  ctest --test-dir "$1" --output-on-failure -j"$(nproc)" | tee "$1/ctest.log" || rc=$?
  # "100% tests passed, 0 tests failed out of 372" counts neither the
  # disabled tests nor, as failed, the skipped ones.
  local out_of failed skipped
  out_of=$(sed -nE 's/^[0-9]+% tests passed, [0-9]+ tests? failed out of ([0-9]+)$/\1/p' "$1/ctest.log")
  failed=$(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of [0-9]+$/\1/p' "$1/ctest.log")
  skipped=$(grep -cE '^[[:space:]]+[0-9]+ - .* \(Skipped\)$' "$1/ctest.log" || true)
  passed=$((passed + ${out_of:-0} - ${failed:-0} - skipped))
  failed_tests=$((failed_tests + ${failed:-0}))
  not_run=$((not_run + $(grep -cE '^[[:space:]]+[0-9]+ - .* \((Skipped|Disabled)\)$' "$1/ctest.log" || true)))
  return "$rc"
}

case "${1:-}" in
run)
  shift
  install_missing "${build_packages[@]}"
  timed configure configure build
  timed build build build asyncdemo
  cd "$here"
  exec "$repo/build/asyncdemo" "$@"
  ;;
test)
  install_missing "${build_packages[@]}" "${test_packages[@]}"
  started=${EPOCHREALTIME/./}
  failed=()
  timed configure configure build
  timed build build build
  timed "sanitized configure" configure build-sanitize -DASYNCDEMO_SANITIZE=ON
  # The sanitized tree builds alongside the plain tests, niced: it takes the
  # cores only while the tests wait (sleeps, pipes, the real clock), so
  # their timings are not disturbed. Its output is shown when it fails.
  timed "sanitized build (alongside the plain tests)" \
    logged build-sanitize/build.log nice -n 19 cmake --build build-sanitize -j"$(nproc)" &
  sanitized_build=$!
  timed tests tests build || failed+=("tests")
  echo "dev.sh: the plain tests are done; waiting for the sanitized build" >&2
  if wait "$sanitized_build"; then
    echo "dev.sh: again under AddressSanitizer and UndefinedBehaviorSanitizer" >&2
    timed "sanitized tests" tests build-sanitize || failed+=("sanitized tests")
  else
    cat build-sanitize/build.log >&2
    failed+=("sanitized build")
  fi
  ds=$(((${EPOCHREALTIME/./} - started) / 100000))
  printf 'dev.sh: test took %d.%d s%s\n' $((ds / 10)) $((ds % 10)) \
    "$([ ${#failed[@]} -eq 0 ] || printf ', failed: %s' "${failed[*]}")" >&2
  # Both trees' counts (skipped: without their tools, or spared by
  # the sanitized tree).
  echo "dev.sh: $passed passed, $failed_tests failed, $not_run skipped"
  [ ${#failed[@]} -eq 0 ]
  ;;
bench)
  shift
  install_missing "${build_packages[@]}" "${bench_packages[@]}"
  timed configure configure build -DASYNCDEMO_BENCH=ON
  timed build build build
  # Short runs: the cores are shared.
  ./build/bench/micro_bench --benchmark_min_time=0.2
  python3 bench/compare.py "$@"
  # Python programs against the compiled swarm, CPython 3.11 and uvloop.
  python3 bench/python.py --asyncdemo build/asyncdemo
  # The --html replay: its size, and how long headless Chromium takes to open it.
  python3 bench/replay_open.py --asyncdemo build/asyncdemo
  ;;
*)
  echo "usage: scripts/dev.sh run [asyncdemo arguments...] | scripts/dev.sh test | scripts/dev.sh bench [--tasks=N --runs=R]" >&2
  exit 2
  ;;
esac
