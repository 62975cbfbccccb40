#!/usr/bin/env bash
# deb_test.sh BUILD_DIR: `cpack -G DEB` makes a package that Debian 12 can
# install and remove cleanly. It is built into a temporary directory; its
# contents are checked; apt-get (simulating: nothing on this machine
# changes) says its dependencies resolve here; dpkg installs it into a
# temporary root, with a database of its own, where the installed binary
# runs breakfast on the virtual clock and the man page renders; dpkg then
# removes it and nothing of it is left. Without dpkg or cpack it is
# skipped, visibly (exit 77).
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cpack dpkg dpkg-deb; do
  if ! command -v "$tool" >/dev/null; then
    echo "deb_test: $tool not found: skipped"
    exit 77
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "deb_test: $*" >&2
  exit 1
}

timeout 240 cpack -G DEB -B "$tmp/out" --config "$build/CPackConfig.cmake" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$tmp"/out/asyncdemo_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "no asyncdemo_*.deb in $tmp/out"
deb=${debs[0]}
echo "deb_test: built $(basename "$deb")"

# Its contents: the binary, the man page, the three completions, the docs.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$tmp/contents"
for path in /usr/bin/asyncdemo /usr/share/man/man1/asyncdemo.1.gz \
  /usr/share/bash-completion/completions/asyncdemo /usr/share/zsh/vendor-completions/_asyncdemo \
  /usr/share/fish/vendor_completions.d/asyncdemo.fish /usr/share/doc/asyncdemo/README.md \
  /usr/share/doc/asyncdemo/docs/json.md /usr/share/doc/asyncdemo/docs/schema.json \
  /usr/share/doc/asyncdemo/docs/usage.md /usr/share/doc/asyncdemo/docs/images/replay.png; do
  grep -qx -- "$path" "$tmp/contents" || fail "$path is not in the package"
done
# Nothing outside /usr, and no build-tree paths.
if grep -v '^/usr' "$tmp/contents" | grep -vx '/'; then fail "files outside /usr"; fi
dpkg-deb -f "$deb" Package | grep -qx asyncdemo || fail "Package is not asyncdemo"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libfmt9 libtomlplusplus3; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

# apt-get install ./asyncdemo_*.deb would resolve its dependencies here.
if command -v apt-get >/dev/null; then
  # No lock: another apt-get at work on this machine must not stall the test.
  timeout 120 apt-get install --simulate --no-install-recommends -o Debug::NoLocking=1 "$deb" \
    >"$tmp/apt.log" 2>&1 ||
    { cat "$tmp/apt.log"; fail "apt-get cannot install it"; }
  grep -q '^Inst asyncdemo' "$tmp/apt.log" || { cat "$tmp/apt.log"; fail "apt-get would not install it"; }
else
  echo "deb_test: apt-get not found: dependency check skipped"
fi

# Installed for real, into a root of its own.
root=$tmp/root admin=$tmp/admin
mkdir -p "$root" "$admin/info" "$admin/updates"
: >"$admin/status"
dpkg_here=(dpkg --instdir="$root" --admindir="$admin" --force-script-chrootless --force-not-root)
# --force-depends: the temporary database knows no other package; apt-get
# checked the dependencies against the system's above.
"${dpkg_here[@]}" --force-depends -i "$deb" >"$tmp/dpkg.log" 2>&1 ||
  { cat "$tmp/dpkg.log"; fail "dpkg -i failed"; }
"$root/usr/bin/asyncdemo" breakfast --clock=virtual >"$tmp/breakfast.txt" ||
  fail "the installed binary failed"
grep -q '^gather · 6.000 s on the virtual clock · sync 10.000 s' "$tmp/breakfast.txt" ||
  { cat "$tmp/breakfast.txt"; fail "the installed binary printed something else"; }
"$root/usr/bin/asyncdemo" --version | grep -q '^asyncdemo [0-9]' || fail "--version"
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$root/usr/share/man/man1/asyncdemo.1.gz" 2>"$tmp/man.err" | grep -q 'EXIT STATUS' ||
    fail "the installed man page does not render"
  [[ ! -s $tmp/man.err ]] || { cat "$tmp/man.err"; fail "man warned"; }
fi
bash -n "$root/usr/share/bash-completion/completions/asyncdemo" || fail "bash completion syntax"
# Every link of the installed docs leads to a file installed beside them.
python3 - "$root/usr/share/doc/asyncdemo" <<'PY' || fail "the installed docs link to what is not installed"
import os, re, sys
top, bad = sys.argv[1], []
for d, _, names in os.walk(top):
    for n in (n for n in names if n.endswith(".md")):
        text = open(os.path.join(d, n), encoding="utf-8").read()
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            path = target.split("#")[0]
            if path and not re.match(r"[a-z]+:", path) and \
                    not os.path.exists(os.path.join(d, path)):
                bad.append(f"{os.path.relpath(os.path.join(d, n), top)}: {target}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# Removed: nothing left but empty folders that were there before.
"${dpkg_here[@]}" -r asyncdemo >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -r failed"; }
left=$(find "$root" -mindepth 1 ! -type d)
[[ -z $left ]] || fail "left after removal: $left"
"${dpkg_here[@]}" -s asyncdemo >/dev/null 2>&1 && fail "still known to dpkg after removal"
echo "deb_test: installed, ran, removed cleanly"
