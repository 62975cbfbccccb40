#!/usr/bin/env python3
"""Hostile Python programs: `asyncdemo run PROG.py` ends each in bounded time
and memory, with one line on stderr in its own words, never a crash.

    hostile_programs.py ASYNCDEMO [--sanitized]

Each program below tries to hang, exhaust the stack or the memory, reach
the host or the terminal. asyncdemo must end it (exit 1 for an error the
program ran into, 2 for one refused before it ran) within the time given,
under a 1 GiB address-space limit, with stderr one line beginning
"asyncdemo: " and holding no control character, stdout holding none
either (escaped), and nothing written outside the temporary directory.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

PROGRAMS = {
    "endless_loop": "while True:\n    pass\n",
    "endless_tasks": "import asyncio\nasync def f():\n    while True:\n        await asyncio.sleep(0)\nasyncio.run(f())\n",
    "endless_sleeps": "import asyncio\nasync def f():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(f())\n",
    "endless_prints": "while True:\n    print('x' * 1000)\n",
    "deep_calls": "def f(n):\n    return f(n + 1)\nf(0)\n",
    "deep_awaits": "import asyncio\nasync def f(n):\n    return await f(n + 1)\nasyncio.run(f(0))\n",
    "deep_lambda": "f = lambda n: f(n + 1)\nf(0)\n",
    "deep_list_repr": "x = []\nfor i in range(200000):\n    x = [x]\nprint(x)\n",
    "deep_list_compare": "x = []\ny = []\nfor i in range(200000):\n    x = [x]\n    y = [y]\nprint(x == y)\n",
    "deep_dict_str": "d = {}\nfor i in range(200000):\n    d = {'a': d}\nprint(len(str(d)))\n",
    "self_holding": "x = [1]\nx.append(x)\nd = {}\nd['d'] = d\nprint(x, d)\n",
    "huge_string": "s = 'x' * (10 ** 12)\n",
    "huge_doubling": "s = 'x'\nwhile True:\n    s = s + s\n",
    "huge_list": "x = [0] * (10 ** 12)\n",
    "huge_range_list": "x = list(range(10 ** 12))\n",
    "growing_list": "x = []\nwhile True:\n    x.append('y' * 1000)\n",
    "huge_int": "x = 2 ** 100000\n",
    "huge_format": "print(f'{1:>1000000000}')\n",
    "many_tasks": "import asyncio\nasync def j():\n    await asyncio.sleep(1)\nasync def main():\n    await asyncio.gather(*(j() for _ in range(10 ** 9)))\nasyncio.run(main())\n",
    "terminal_escapes": "print('\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil\\x00end')\nraise ValueError('\\x1b[31mred')\n",
    "open_file": "open('/etc/passwd').read()\n",
    "import_os": "import os\nos.system('touch /tmp/pwned')\n",
    "dunder_import": "__import__('os').system('true')\n",
    "eval_text": "eval('1 + 1')\n",
    "class_def": "class A:\n    pass\n",
    "getattr_escape": "print(getattr(print, '__self__', None))\nprint(type(print).__subclasses__())\n",
    "deep_parens": "x = " + "(" * 100000 + "1" + ")" * 100000 + "\n",
    "deep_blocks": "".join("    " * i + "if True:\n" for i in range(300)) + "    " * 300 + "pass\n",
    "nul_byte": "print('a')\x00\n",
    "not_utf8": b"print('\xff')\n",
    "wait_forever": "import asyncio\nasync def main():\n    await asyncio.Event().wait()\nasyncio.run(main())\n",
    "thread_sleep": "import asyncio, time\nasync def main():\n    await asyncio.to_thread(time.sleep, 10 ** 9)\nasyncio.run(main())\n",
}

LIMIT_SECONDS = 30
ASAN_FIBER = re.compile(r"==\d+==WARNING: ASan doesn't fully support makecontext/swapcontext")
# Under AddressSanitizer the address space cannot be limited (its shadow
# memory), and a run is ten times slower: --sanitized leaves out the
# programs that run into the memory limit or the step budget.
HEAVY = {"endless_loop", "growing_list", "many_tasks", "huge_doubling"}


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def check(binary, name, text, tmp, sanitized):
    path = os.path.join(tmp, name + ".py")
    with open(path, "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())
    started = time.monotonic()
    try:
        run = subprocess.run([binary, "run", path, "--clock=virtual"], cwd=tmp,
                             capture_output=True, timeout=LIMIT_SECONDS,
                             preexec_fn=None if sanitized else limit_memory)
    except subprocess.TimeoutExpired:
        return f"still running after {LIMIT_SECONDS} s"
    took = time.monotonic() - started
    err = run.stderr.decode("utf-8", "replace")
    # AddressSanitizer's own word on the module's fiber (swapcontext), said
    # once a run in the sanitized build: not asyncdemo's.
    err = "".join(line for line in err.splitlines(keepends=True) if not ASAN_FIBER.match(line))
    lines = err.splitlines()
    if run.returncode not in (0, 1, 2):
        return f"exit {run.returncode} (a crash?); stderr: {err[:300]!r}"
    if run.returncode != 0 and (len(lines) != 1 or not lines[0].startswith("asyncdemo: ")):
        return f"exit {run.returncode}, stderr is not one 'asyncdemo: ' line: {err[:300]!r}"
    for stream, data in (("stdout", run.stdout), ("stderr", err.encode())):
        raw = [c for c in data.decode("utf-8", "replace") if (ord(c) < 32 and c not in "\n") or ord(c) == 127 or 0x80 <= ord(c) < 0xA0 or c in "\u202e\u2066\u2067\u2068\u2069\u200f"]
        if raw:
            return f"{stream} holds raw control characters {sorted(set(raw))!r}"
    print(f"{name}: exit {run.returncode} in {took:.2f} s: {lines[0][:110] if lines else '(ran)'}")
    return None


def main():
    binary = os.path.abspath(sys.argv[1])
    sanitized = "--sanitized" in sys.argv[2:]
    programs = {n: t for n, t in PROGRAMS.items() if not (sanitized and n in HEAVY)}
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        before = set(os.listdir("/tmp"))
        for name, text in programs.items():
            problem = check(binary, name, text, tmp, sanitized)
            if problem:
                failed += 1
                print(f"{name}: {problem}")
        if os.path.exists("/tmp/pwned") and "pwned" not in before:
            failed += 1
            print("a program touched /tmp/pwned")
    print(f"{len(programs) - failed} of {len(programs)} hostile programs ended as they should")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
