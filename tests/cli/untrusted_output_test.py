#!/usr/bin/env python3
"""A scenario file's text reaches no terminal raw, through the binary.

    untrusted_output_test.py ASYNCDEMO

For each hostile character or sequence (every C0 control, DEL, every C1
control, U+2028/2029, the bidi controls U+202A-202E and U+2066-2069, U+FEFF,
OSC 52 and OSC 0 sequences, clear-screen, colour), a scenario file carries it
(as a TOML escape) in its print texts, a job's name, its summary, origin and
a parameter's help, and a raise's message; the file's own name
carries it too. Every output for people must show each line printable
(Python's str.isprintable: nothing raw, each escaped as repr escapes it):
text, -v, --timeline, --mode=all, -q, markdown, csv, --step, run FILE --help,
every error line on stderr, and the --html and --svg files (whose own markup
may hold tabs). json, jsonl and --trace carry the text exactly. A file that
the reader refuses is refused in one clean line (exit 2).
"""
import json
import os
import subprocess
import sys
import tempfile

HOSTILE = ([chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
           + ["\u2028", "\u2029"] + [chr(c) for c in range(0x202A, 0x202F)]
           + [chr(c) for c in range(0x2066, 0x206A)] + ["\ufeff"]
           + ["\x1b]52;c;cm0gLXJmIH4=\x07", "\x1b]0;pwned\x1b\\", "\x1b[2J\x1b[H",
              "\x1b[31mred\x1b[0m", "\u202etxt.exe"])


def toml(text):
    """A TOML basic string's body: every character that is not printable
    ASCII as an escape."""
    out = []
    for ch in text:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(f"\\u{ord(ch):04X}")
    return "".join(out)


def scenario(h, raises=False):
    t = toml(h)
    steps = '{ print = "print [T]" }, { print = "{msg}" }, { sleep = 0.5 }'
    if raises:
        steps += ', { raise = "ValueError", message = "boom [T]" }'
    return (f'summary = "summary [T]"\norigin = "o[T]"\n'
            f'[params.msg]\ntype = "text"\ndefault = "default"\nhelp = "help [T]"\n'
            f'[[job]]\nname = "job [T]"\nsteps = [ {steps} ]\n'
            f'[[job]]\nname = "other"\nsteps = [ {{ sleep = 1 }}, {{ print = "other done" }} ]\n'
            ).replace("[T]", f"[{t}]")


problems = []


def check_people(what, data, markup=False):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        problems.append(f"{what}: not UTF-8 ({e})")
        return
    for n, line in enumerate(text.split("\n"), 1):
        if markup:
            line = line.replace("\t", " ")
        if not line.isprintable():
            bad = next(c for c in line if not c.isprintable())
            problems.append(f"{what}: line {n} holds U+{ord(bad):04X} raw: {line[:120]!r}")
            return


def lines(data):
    return data.count(b"\n")


def run(args, stdin=None):
    return subprocess.run(args, input=stdin, capture_output=True, timeout=60)


def parsed(what, text):
    try:
        return json.loads(text)
    except ValueError as e:
        problems.append(f"{what}: not JSON ({e})")
        return None


def main():
    args = sys.argv[1:]
    shard, of = 1, 1
    if args and args[0] == "--shard":  # --shard K/N: every Nth text, from the Kth
        shard, of = (int(x) for x in args[1].split("/"))
        args = args[2:]
    binary = args[0]
    texts = list(enumerate(HOSTILE))[shard - 1::of]
    ran = refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, h in texts:
            label = f"U+{ord(h[0]):04X}" if len(h) == 1 else repr(h)
            path = os.path.join(tmp, f"s{i}.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(scenario(h))
            first = run([binary, "run", path, "--clock=virtual"])
            check_people(f"{label} text (stderr)", first.stderr)
            if first.returncode == 2:
                # Refused by the reader: one clean line.
                refused += 1
                if first.stderr.count(b"\n") != 1:
                    problems.append(f"{label}: refused in {lines(first.stderr)} lines")
                continue
            ran += 1
            check_people(f"{label} text", first.stdout)
            expected = f"print [{h}]"
            for extra in (["-v"], ["--timeline"], ["--mode=all"], ["-q"], ["--format=markdown"],
                          ["--format=csv"], ["--mode=all", "--format=csv"], ["--mode=all", "-v"],
                          ["--help"], ["--msg=given " + h.replace("\x00", "")]):
                r = run([binary, "run", path, "--clock=virtual", *extra])
                check_people(f"{label} {' '.join(extra)!r}", r.stdout)
                check_people(f"{label} {' '.join(extra)!r} (stderr)", r.stderr)
            r = run([binary, "run", path, "--clock=virtual", "--mode=gather", "--step"],
                    stdin=b"\n\n\nb\nc\n\n")
            check_people(f"{label} --step", r.stdout)
            check_people(f"{label} --step (stderr)", r.stderr)
            # The files: for people, and for programs.
            html, svg, trace = (os.path.join(tmp, n) for n in ("r.html", "t.svg", "t.json"))
            r = run([binary, "run", path, "--clock=virtual", "--mode=all", f"--html={html}",
                     f"--svg={svg}", f"--trace={trace}", "-q"])
            check_people(f"{label} --html/--svg -q", r.stdout)
            with open(html, "rb") as f:
                check_people(f"{label} --html", f.read(), markup=True)
            with open(svg, "rb") as f:
                check_people(f"{label} --svg", f.read(), markup=True)
            with open(trace, encoding="utf-8", errors="replace") as f:
                traced = parsed(f"{label} --trace", f.read()) or {"traceEvents": []}
            names = [e["name"] for e in traced["traceEvents"]
                     if e.get("ph") == "i" and e.get("cat") == "print"]
            if expected not in names:
                problems.append(f"{label} --trace: the print is not there exactly")
            # json and jsonl carry the text exactly (and show it as \u escapes).
            r = run([binary, "run", path, "--clock=virtual", "--format=json"])
            check_people(f"{label} --format=json", r.stdout)
            doc = parsed(f"{label} --format=json", r.stdout) or {"events": [], "tasks": []}
            prints = [e["text"] for e in doc["events"] if e["kind"] == "print"]
            names = [t["name"] for t in doc["tasks"]]
            if expected not in prints or "default" not in prints:
                problems.append(f"{label} --format=json: the prints are not there exactly")
            if f"job [{h}]" not in names:
                problems.append(f"{label} --format=json: the task's name is not there exactly")
            r = run([binary, "run", path, "--clock=virtual", "--format=jsonl"])
            check_people(f"{label} --format=jsonl", r.stdout)
            lines = [parsed(f"{label} --format=jsonl", line) or {}
                     for line in r.stdout.decode(errors="replace").splitlines()]
            if expected not in [x.get("text") for x in lines]:
                problems.append(f"{label} --format=jsonl: the print is not there exactly")
            # A raise with the text: the error line on stderr, every format.
            raising = os.path.join(tmp, f"r{i}.toml")
            with open(raising, "w", encoding="utf-8") as f:
                f.write(scenario(h, raises=True))
            for fmt in ("text", "json", "jsonl", "csv", "markdown"):
                r = run([binary, "run", raising, "--clock=virtual", f"--format={fmt}"])
                if r.returncode != 1:
                    problems.append(f"{label} raise --format={fmt}: exit {r.returncode}")
                check_people(f"{label} raise --format={fmt} (stderr)", r.stderr)
                if fmt != "json" and fmt != "jsonl":
                    check_people(f"{label} raise --format={fmt}", r.stdout)
                if r.stderr.count(b"\n") != 1:
                    problems.append(f"{label} raise --format={fmt}: {lines(r.stderr)} lines "
                                    "on stderr")
            # The file's own name: a one-line error whatever it holds.
            name = h.replace("/", "").replace("\x00", "") or "x"
            odd = os.path.join(tmp, f"odd{name}.toml")
            with open(odd, "w", encoding="utf-8") as f:
                f.write("not toml [")
            for target in (odd, odd + "missing", os.path.join(tmp, f"dir{name}")):
                if target.endswith(name) and not os.path.exists(target):
                    os.mkdir(target)
                r = run([binary, "run", target])
                check_people(f"{label} file name (stderr)", r.stderr)
                if r.returncode != 2 or r.stderr.count(b"\n") != 1:
                    problems.append(f"{label} file name: exit {r.returncode}, "
                                    f"{lines(r.stderr)} lines: {r.stderr[:200]!r}")
            # A file named so, run: its stem is its name, shown escaped.
            named = os.path.join(tmp, f"n{name}.toml")
            with open(named, "w", encoding="utf-8") as f:
                f.write(scenario("plain"))
            for extra in ([], ["--format=markdown"], ["--help"]):
                r = run([binary, "run", named, "--clock=virtual", *extra])
                check_people(f"{label} named file {extra}", r.stdout)
                check_people(f"{label} named file {extra} (stderr)", r.stderr)
    for p in problems[:40]:
        print(p)
    if problems:
        sys.exit(f"{len(problems)} problems ({ran} files ran, {refused} refused)")
    print(f"{len(texts)} of {len(HOSTILE)} hostile texts: {ran} files ran through every output, {refused} refused "
          "in one line; nothing raw reached an output for people")


if __name__ == "__main__":
    main()
