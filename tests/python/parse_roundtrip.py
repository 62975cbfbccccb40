#!/usr/bin/env python3
"""The Python front end against CPython 3.11 (parse_python, print_program).

For every program of a corpus -- the tutorials' programs (programs/*.py), the
--python program asyncdemo prints for every scenario and mode, seeded random
programs (python_syntax_gen.py) and seeded mutations of them all -- it checks
that:

  * what CPython reads, asyncdemo reads to the same tree: CPython's
    ast.dump(ast.parse(source)) equals ast.dump(ast.parse(printed)), where
    printed is print_program of asyncdemo's tree (positions aside; see
    normalise() for the three differences the tree does not keep);
  * its statements start and end where CPython says, and its names are where
    CPython puts them (line, column in characters);
  * what CPython refuses (ast.parse or compile), asyncdemo refuses, in one
    line FILE:LINE:COLUMN: message; the only exceptions are the name-binding
    errors of CPython's symbol table (the resolver's, not the parser's);
  * what asyncdemo refuses and CPython reads is outside the subset (the
    refusal says so) or past a limit;
  * what Python has and the subset has not (class, yield, match, decorators,
    :=, ...) is refused by name, "asyncdemo runs a subset of Python: `class`
    is not in it; ...", at the construct's FILE:LINE:COLUMN (OUTSIDE below);
  * hostile input (hostile() below: nesting a hundred thousand deep, a
    string of a megabyte, NUL bytes, bytes that are not UTF-8, CR line ends,
    tabs mixed with spaces, ...) is read or refused as CPython does, in one
    line, by a probe whose stack is held to --stack-kb: nothing the parser
    does recurses as deep as its input nests.

Usage: parse_roundtrip.py CHECK [--asyncdemo BIN] [--random N] [--mutations N]
                          [--seed S] [--long] [--stack-kb K]
CHECK is the python_front_check binary. The seed is printed; the same seed
makes the same programs. --long checks ten times as many random programs and
mutations. Without CPython 3.11 (whose trees and errors it compares) it is
skipped (exit 77).
"""
import argparse
import ast
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from python_syntax_gen import Gen  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# CPython's symbol-table errors: names declared and bound inconsistently.
# asyncdemo's resolver finds these, not its parser.
SYMTABLE = ("no binding for nonlocal", "is parameter and global", "is parameter and nonlocal",
            "is used prior to", "is assigned to before", "annotated name", "is nonlocal and global",
            "nonlocal binding not allowed", "too many statically nested blocks")
# What asyncdemo refuses of what CPython reads, by design.
SUBSET = ("asyncdemo runs a subset of Python", "levels deep", "nests deeper",
          "blocks nest deeper", "a program is at most")

NOT_IN_IT = "asyncdemo runs a subset of Python: {} is not in it; see docs/python-programs.md"

# Python that CPython reads and the subset has not: (name, source, the
# construct as the refusal names it, line, column).
OUTSIDE = [
    ("class", "x = 1\nclass A:\n    pass\n", "`class`", 2, 1),
    ("class in a function", "def f():\n    class A:\n        pass\n", "`class`", 2, 5),
    ("async generator", "async def f():\n    yield 1\n", "`yield`", 2, 5),
    ("generator", "def f():\n    x = yield\n", "`yield`", 2, 9),
    ("yield from", "def f():\n    yield from g()\n", "`yield`", 2, 5),
    ("match", "match x:\n    case 1:\n        pass\n", "the `match` statement", 1, 1),
    ("decorator", "@d\ndef f():\n    pass\n", "a decorator (`@`)", 1, 1),
    ("decorated async def", "import functools\n@functools.cache\nasync def f():\n    pass\n",
     "a decorator (`@`)", 2, 1),
    ("walrus", "if (n := 3) > 2:\n    pass\n", "an assignment expression (`:=`)", 1, 7),
    ("ellipsis", "def f():\n    ...\n", "`...` (Ellipsis)", 2, 5),
    ("bytes", "x = b'a'\n", "a bytes literal (b'...')", 1, 5),
    ("imaginary", "x = 1j\n", "an imaginary number (1j)", 1, 5),
    ("star import", "from asyncio import *\n", "`from ... import *`", 1, 21),
    ("relative import", "from . import x\n", "a relative import (`from . import x`)", 1, 6),
    ("positional-only", "def f(a, /, b):\n    pass\n", "a positional-only parameter (`/`)", 1, 10),
    ("async comprehension", "async def f(y):\n    return [x async for x in y]\n",
     "an asynchronous comprehension (`async for`)", 2, 15),
    ("int past 64 bits", "x = 99999999999999999999\n",
     "an int past 64 bits (9223372036854775807 at most)", 1, 5),
]


def hostile():
    """(name, bytes, words the one line must hold, or None): input made to
    break a parser. CPython reads each too, and must agree."""
    deep_blocks = b"".join(b" " * i + b"if x:\n" for i in range(150)) + b" " * 150 + b"pass\n"
    blocks_99 = b"".join(b" " * i + b"if x:\n" for i in range(99)) + b" " * 99 + b"pass\n"
    triple = b"'" * 3
    return [
        ("parens 199", b"x = " + b"(" * 199 + b"1" + b")" * 199 + b"\n", None),
        ("parens 1000", b"x = " + b"(" * 1000 + b"1" + b")" * 1000 + b"\n",
         "too many nested parentheses"),
        ("parens 100k unclosed", b"x = " + b"(" * 100000 + b"\n", "too many nested parentheses"),
        ("lists 150", b"x = " + b"[" * 150 + b"]" * 150 + b"\n", "levels deep"),
        ("dicts 150", b"x = " + b"{1: " * 150 + b"1" + b"}" * 150 + b"\n", "levels deep"),
        ("unary minus 100k", b"x = " + b"-" * 100000 + b"1\n", "nests deeper"),
        ("not 100k", b"x = " + b"not " * 100000 + b"1\n", "nests deeper"),
        ("lambda 10k", b"x = " + b"lambda: " * 10000 + b"1\n", "nests deeper"),
        ("conditional 10k", b"x = " + b"1 if 1 else " * 10000 + b"1\n", "nests deeper"),
        ("power 10k", b"x = " + b"2**" * 10000 + b"1\n", "nests deeper"),
        ("await 10k", b"async def f():\n    x = " + b"await " * 10000 + b"1\n", None),
        ("sum 100k", b"x = " + b"1+" * 100000 + b"1\n", "levels deep"),
        ("subscripts 100k", b"x = y" + b"[0]" * 100000 + b"\n", "levels deep"),
        ("attributes 100k", b"x = y" + b".a" * 100000 + b"\n", "levels deep"),
        ("calls 100k", b"x = y" + b"()" * 100000 + b"\n", "levels deep"),
        ("chains in parens", b"x = " + b"(" * 190 + b"x" + (b".a" * 99 + b")") * 190 + b"\n",
         "levels deep"),
        ("sums under minus", b"x = " + b"-(" * 120 + b"x" + (b"+1" * 99 + b")") * 120 + b"\n",
         "levels deep"),
        ("nested subscripts", b"x = " + b"y[" * 150 + b"0" + b"]" * 150 + b"\n", "levels deep"),
        ("blocks 99", blocks_99, None),
        ("blocks 150", deep_blocks, "too many levels of indentation"),
        ("elif 300", b"if x:\n    pass\n" + b"elif x:\n    pass\n" * 300, "blocks nest deeper"),
        ("string of 1 MB", b"x = '" + b"a" * 1000000 + b"'\n", None),
        ("unterminated string of 1 MB", b"x = " + triple + b"a" * 1000000, "unterminated"),
        ("program past 1 MiB", b"#" + b"a" * (1 << 20) + b"\n", "a program is at most"),
        ("20k statements", b"pass\n" * 20000, None),
        ("30k items", b"x = " + b"1, " * 30000 + b"\n", None),
        ("NUL", b"x = 1\x00\n", "null bytes"),
        ("NUL in a string", b"x = '\x00'\n", "null bytes"),
        ("not UTF-8", b"x = 1\ny = '\xff'\n", "not UTF-8"),
        ("overlong UTF-8", b"x = '\xc0\xaf'\n", "not UTF-8"),
        ("UTF-8 surrogate", b"x = '\xed\xa0\x80'\n", "not UTF-8"),
        ("CR line ends", b"x = 1\ry = 2\rif x:\r    z = 3\r", None),
        ("CRLF line ends", b"x = 1\r\nif x:\r\n    z = 3\r\n", None),
        ("tabs then spaces", b"if x:\n\ty = 1\n        z = 2\n", "inconsistent use of tabs"),
        ("tab after spaces", b"if x:\n    \ty = 1\n\t    z = 2\n", "inconsistent use of tabs"),
        ("tabs alone", b"if x:\n\ty = 1\n\tz = 2\n", None),
        ("f-string specs nested", b"x = f'{x:{y:{z}}}'\n", "nested too deeply"),
        ("BOM", b"\xef\xbb\xbfx = 1\n", None),
        ("continuation at the end", b"x = 1 + \\\n", None),
        ("control characters", b"x = 1\x1b[2J\x07\n", None),
        ("escape in a name", b"x\x1b = 1\n", None),
    ]


class Normalise(ast.NodeTransformer):
    """What print_program cannot say and needs not: an f-string without a
    field is its text (a str either way), u'' is '' (the prefix means
    nothing), and (x): int is x: int (its `simple` flag: whether the name's
    annotation is stored, which nothing in the subset reads)."""

    def visit_JoinedStr(self, node):
        self.generic_visit(node)
        if all(isinstance(v, ast.Constant) for v in node.values):
            return ast.Constant(value="".join(v.value for v in node.values))
        return node

    def visit_Constant(self, node):
        node.kind = None
        return node

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            node.simple = 1
        return node


def escaped_in_field(tree):
    """Whether an f-string's field holds a str that repr escapes (other than
    a tab, which print_program writes as itself)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    shown = repr(inner.value.replace("\t", "").replace("\\", "")
                                 .replace("'", "").replace('"', ""))
                    if "\\" in shown:
                        return True
    return False


def dump(tree):
    return ast.dump(Normalise().visit(tree))


def cpython(source):  # source: str or bytes
    """(tree, None) if CPython reads and compiles it, else (None, why)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(source)
            compile(tree, "program.py", "exec")  # its symbol table's errors (not a second parse)
            return tree, None
        except SyntaxError as e:
            return None, f"{e.msg} (line {e.lineno})"
        except (RecursionError, MemoryError) as e:
            return None, type(e).__name__
        except ValueError as e:  # null bytes (3.11 raises ValueError for a str)
            return None, str(e)


def char_column(lines, lineno, col_offset):
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else b""
    return len(line[:col_offset].decode("utf-8", "replace")) + 1


def statements(body, lines, out):
    for s in body:
        out.append([s.lineno, char_column(lines, s.lineno, s.col_offset), s.end_lineno])
        statements(getattr(s, "body", []), lines, out)
        for h in getattr(s, "handlers", []):
            statements(h.body, lines, out)
        statements(getattr(s, "orelse", []), lines, out)
        statements(getattr(s, "finalbody", []), lines, out)


def names(tree, lines):
    found = []

    def visit(node, in_fstring):
        if isinstance(node, ast.Name) and not in_fstring:
            found.append([node.lineno, char_column(lines, node.lineno, node.col_offset), node.id])
        for child in ast.iter_child_nodes(node):
            visit(child, in_fstring or isinstance(node, ast.JoinedStr))

    visit(tree, False)
    return sorted(found)


def source_lines(source):
    if isinstance(source, bytes):
        source = source.decode("utf-8")
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return [l.encode("utf-8") for l in text.split("\n")]


def mutate(rng, source):
    """One random edit of a program: a character or a piece of a line
    deleted, doubled, moved or replaced by something Python has."""
    pieces = [" ", "(", ")", "[", "]", "{", "}", ":", ",", "=", "*", "**", ".", "'", '"', "\\",
              "\n", "\t", "    ", "#", "f'{x}'", "await ", "lambda: ", "not ", " if x else y",
              "async ", "def ", "yield ", "class ", ":=", "...", "@", "!", "1j", "b''", "\x00",
              "é", "\u2192", "\ufeff", "0x", "1_", "\r\n", "\r", "elif x:", "else:", "except* E:",
              "return", "break", "nonlocal x", "global x", "*a", "del ", "u'", "r'", "{{", "}}",
              "!r", ":>{w}", "=}", "(a, b)", "print x", "match x:\n    case 1: pass\n", "\\N{DASH}"]
    if not source:
        return rng.choice(pieces)
    i = rng.randrange(len(source) + 1)
    j = min(len(source), i + rng.choice([1, 1, 1, 2, 5, 20]))
    k = rng.random()
    if k < 0.3:
        return source[:i] + source[j:]
    if k < 0.55:
        return source[:i] + rng.choice(pieces) + source[i:]
    if k < 0.7:
        return source[:i] + rng.choice(pieces) + source[j:]
    if k < 0.85:
        return source[:i] + source[i:j] + source[i:]
    lines = source.split("\n")
    n = rng.randrange(len(lines))
    lines[n] = rng.choice(["", " ", "  ", "\t", "        "]) + lines[n].lstrip(" \t")
    return "\n".join(lines)


def scenario_programs(asyncdemo):
    listing = json.loads(subprocess.run([asyncdemo, "list", "--format=json"], check=True,
                                        capture_output=True, text=True).stdout)
    out = []
    for s in listing["scenarios"]:
        for mode in s["modes"]:
            r = subprocess.run([asyncdemo, s["name"], f"--mode={mode}", "--python"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"{s['name']} --mode={mode} --python: {r.stderr.strip()}")
            out.append((f"{s['name']}.{mode}.py", r.stdout))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("check")
    ap.add_argument("--asyncdemo")
    ap.add_argument("--random", type=int, default=None, help="random programs (200; --long 2000)")
    ap.add_argument("--mutations", type=int, default=None, help="mutations (1000; --long 10000)")
    ap.add_argument("--long", action="store_true",
                    help="ten times the random programs and mutations")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--stack-kb", type=int, default=1024,
                    help="the probe's stack, in KiB (0: the system's)")
    ap.add_argument("--keep", help="a folder to keep the failing programs in")
    args = ap.parse_args()
    if sys.version_info[:2] != (3, 11):
        print(f"parse_roundtrip: CPython 3.11 needed (its trees and errors); this is "
              f"{sys.version.split()[0]}: skipped")
        return 77
    scale = 10 if args.long else 1
    if args.random is None:
        args.random = 200 * scale
    if args.mutations is None:
        args.mutations = 1000 * scale
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"parse_roundtrip: seed {seed} (--seed {seed} makes the same programs)")
    rng = random.Random(seed)

    corpus = []  # (name, source, must CPython read it?)
    programs = os.path.join(HERE, "programs")
    for name in sorted(os.listdir(programs)):
        if name.endswith(".py"):
            with open(os.path.join(programs, name), encoding="utf-8") as f:
                corpus.append((name, f.read(), True))
    refused = os.path.join(programs, "refused")
    for name in sorted(os.listdir(refused)):
        with open(os.path.join(refused, name), encoding="utf-8") as f:
            corpus.append(("refused/" + name, f.read(), False))
    if args.asyncdemo:
        corpus += [(n, s, True) for n, s in scenario_programs(args.asyncdemo)]
    generated = [(f"random-{seed}-{i}.py", Gen(rng.randrange(1 << 31)).program(), None)
                 for i in range(args.random)]
    valid = [c for c in corpus if c[2]] + generated
    mutated = []
    for i in range(args.mutations):
        name, source, _ = rng.choice(valid)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            source = mutate(rng, source)
        mutated.append((f"mutation-{i}-of-{name}", source, None))
    outside = [(f"outside: {n}", src, True) for n, src, _, _, _ in OUTSIDE]
    expected = {f"outside: {n}": (what, line, column) for n, _, what, line, column in OUTSIDE}
    hostile_cases = [(f"hostile: {n}", src, None) for n, src, _ in hostile()]
    expected.update({f"hostile: {n}": words for n, _, words in hostile()})
    everything = corpus + generated + mutated + outside + hostile_cases

    failures = []
    counts = {"read alike": 0, "refused alike": 0, "refused: subset": 0, "symtable": 0,
              "f-string as format()": 0, "outside the subset": 0, "on CPython's line": 0}
    start = time.monotonic()
    # The programs go to the probe through a pipe, each as "NAME SIZE\n" and
    # its bytes: no file is written.
    paths = [f"program-{n}.py" for n in range(len(everything))]
    batch = bytearray()
    for path, (_, source, _) in zip(paths, everything):
        data = source if isinstance(source, bytes) else \
            source.encode("utf-8", errors="surrogatepass")
        batch += f"{path} {len(data)}\n".encode() + data

    def small_stack():
        if args.stack_kb:
            limit = args.stack_kb * 1024
            resource.setrlimit(resource.RLIMIT_STACK, (limit, limit))

    run = subprocess.run([args.check, "-"], input=bytes(batch), capture_output=True,
                         preexec_fn=small_stack)
    if run.returncode != 0:
        raise SystemExit(f"python_front_check failed ({run.returncode}): "
                         f"{run.stderr.decode(errors='replace')}")
    results = [json.loads(l) for l in run.stdout.decode().splitlines()]
    if len(results) != len(paths):
        raise SystemExit(f"python_front_check answered {len(results)} of {len(paths)}")
    for (name, source, must), path, ours in zip(everything, paths, results):
        tree, why = cpython(source)

        def fail(what):
            failures.append((name, source, what))

        if name.startswith("outside: "):
            what, line, column = expected[name]
            want = f"{path}:{line}:{column}: " + NOT_IN_IT.format(what)
            if tree is None:
                fail(f"CPython refuses it: {why}")
            elif ours["ok"] or ours["error"] != want:
                fail(f"not refused as outside the subset: {ours.get('error', 'read')!r}, "
                     f"expected {want!r}")
            else:
                counts["outside the subset"] += 1
            continue
        words = expected.get(name) if name.startswith("hostile: ") else None
        if words and (ours["ok"] or words not in ours["error"]):
            fail(f"expected a refusal saying {words!r}: {ours.get('error', 'read')!r}")
            continue

        if must is True and tree is None:
            fail(f"CPython refuses a corpus program: {why}")
            continue
        if must is False and tree is not None:
            fail("CPython reads a program it should refuse")
            continue
        if tree is None:
            if not ours["ok"]:
                counts["refused alike"] += 1
                line = ours["error"]
                place = re.match(re.escape(path) + r":(\d+):(\d+): \S", line)
                if "\n" in line or not place:
                    fail(f"not one line FILE:LINE:COLUMN: {line!r}")
                elif f"(line {place.group(1)})" in why:
                    counts["on CPython's line"] += 1
            elif any(s in why for s in SYMTABLE):
                counts["symtable"] += 1
            else:
                fail(f"CPython refuses ({why}); asyncdemo reads it")
            continue
        if not ours["ok"]:
            if any(s in ours["error"] for s in SUBSET) and not name.endswith(".py") or \
                    (any(s in ours["error"] for s in SUBSET) and must is None):
                counts["refused: subset"] += 1
            else:
                fail(f"CPython reads it; asyncdemo refuses: {ours['error']}")
            continue
        printed = ours["printed"]
        theirs_dump = dump(tree)
        try:
            again = ast.parse(printed)
        except SyntaxError as e:
            fail(f"the printed program is not Python: {e.msg} (line {e.lineno})\n{printed}")
            continue
        printed_dump = dump(again)
        if printed_dump != theirs_dump and escaped_in_field(tree):
            # a field's string holds a character only an escape can
            # write, which a field cannot hold: format() says it
            counts["f-string as format()"] += 1
            continue
        if printed_dump != theirs_dump:
            a, b = theirs_dump, printed_dump
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            fail(f"the printed program means something else:\n{printed}\n"
                 f"CPython's:  ...{a[max(0, at - 300):at + 300]}\n"
                 f"printed's: ...{b[max(0, at - 300):at + 300]}")
            continue
        lines = source_lines(source)
        theirs = []
        statements(tree.body, lines, theirs)
        if ours["statements"] != theirs:
            diff = next(((a, b) for a, b in zip(ours["statements"], theirs) if a != b), None)
            fail(f"statements at other places: ours {diff[0] if diff else ours['statements']}"
                 f", CPython's {diff[1] if diff else theirs}")
            continue
        if sorted(ours["names"]) != names(tree, lines):
            a, b = sorted(ours["names"]), names(tree, lines)
            diff = next(((x, y) for x, y in zip(a, b) if x != y), (a[len(b):], b[len(a):]))
            fail(f"names at other places: ours {diff[0]}, CPython's {diff[1]}")
            continue
        counts["read alike"] += 1
    elapsed = time.monotonic() - start
    print(f"parse_roundtrip: {len(everything)} programs ({len(corpus)} corpus, {len(generated)} "
          f"random, {len(mutated)} mutations) in {elapsed:.1f} s: " +
          ", ".join(f"{v} {k}" for k, v in counts.items()))
    for name, source, what in failures[:10]:
        print(f"\nFAIL {name}: {what}")
        if len(source) < 3000:
            shown = source if isinstance(source, str) else repr(source)
            print("--- source ---\n" + shown + "\n--------------")
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            data = source if isinstance(source, bytes) else \
                source.encode("utf-8", errors="surrogatepass")
            with open(os.path.join(args.keep, name.replace("/", "_").replace(" ", "_")),
                      "wb") as f:
                f.write(data)
    if failures:
        print(f"\nparse_roundtrip: {len(failures)} failures (seed {seed})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
