#!/usr/bin/env python3
"""Every path the code's comments and the docs name is a file in the repository.

    paths_test.py REPO

A path is a token like `lib/run/src/plan.cpp`, `docs/json.md` or
`asyncdemo/teach/scenario.hpp` (an include path, found under any layer's
include/ folder). Names that are not paths of ours (a Python module, a
system header, an output file of an example) are listed below.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PATH = re.compile(r"(?<![\w./$}-])((?:[\w.-]+/)+[\w.-]+\.(?:hpp|cpp|md|json|py|sh|js|txt|args|in))\b")
# Paths that are not files of this repository, on purpose.
NOT_OURS = {
    "asyncio/base_events.py",  # CPython's
    "asyncio/selector_events.py",
    "Lib/random.py",
    "no/such/dir.json",  # a test's path that must not exist
}
THIRD_PARTY = ("boost/", "nlohmann/", "CLI/", "fmt/", "doctest/", "benchmark/", "sys/")
SCANNED = ("app", "lib", "scenarios", "tests", "bench", "docs", "scripts", "README.md",
           "CMakeLists.txt", "cmake")
LAYERS = sorted(d for d in os.listdir(os.path.join(ROOT, "lib"))
                if os.path.isdir(os.path.join(ROOT, "lib", d)))
INCLUDE_ROOTS = [os.path.join(ROOT, "lib", layer, "include") for layer in LAYERS] + [os.path.join(ROOT, "scenarios")]


def files():
    for top in SCANNED:
        path = os.path.join(ROOT, top)
        if os.path.isfile(path):
            yield path
            continue
        for d, _, names in os.walk(path):
            if "golden" in d.split(os.sep):
                continue  # outputs, not prose
            for n in names:
                if n.endswith((".hpp", ".cpp", ".md", ".py", ".sh", ".txt", ".cmake", ".js")):
                    yield os.path.join(d, n)


def exists(p, where):
    if p in NOT_OURS or p.startswith(("/", "build", "http") + THIRD_PARTY):
        return True
    if any(re.fullmatch(r"[A-Z_]+", part) for part in re.split(r"[/.]", p)):
        return True  # a placeholder: tests/golden/NAME.args, DIR/trace.json
    candidates = [os.path.join(ROOT, p), os.path.join(os.path.dirname(where), p)]
    candidates += [os.path.join(r, p) for r in INCLUDE_ROOTS]
    candidates += [os.path.join(r, "asyncdemo", p) for r in INCLUDE_ROOTS]
    # A path may be written from its layer (src/reporters.cpp in lib/report).
    candidates += [os.path.join(ROOT, "lib", layer, p) for layer in LAYERS]
    return any(os.path.exists(c) for c in candidates)


def main():
    missing = []
    for f in files():
        text = open(f, encoding="utf-8", errors="replace").read()
        for m in PATH.finditer(text):
            p = m.group(1)
            if "version.hpp" in p:  # generated at build time
                continue
            if not exists(p, f):
                line = text.count("\n", 0, m.start()) + 1
                missing.append(f"{os.path.relpath(f, ROOT)}:{line}: {p}")
    for m in missing:
        print(m)
    print(f"{len(missing)} paths named that are not in the repository")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
