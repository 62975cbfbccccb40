#!/usr/bin/env python3
"""Fidelity check: a scenario prints what CPython's asyncio prints.

    compare.py ASYNCDEMO SCENARIO [OPTIONS...]

Runs `asyncdemo SCENARIO OPTIONS --python` to get the equivalent asyncio
program, runs that with this python3, and compares its lines with the
scenario's own run on the virtual clock: the same lines in the same order.
Decimal numbers (measured times) are masked, since the Python program runs
on the real clock.
"""
import re
import subprocess
import sys

# A live line: "  6.000 s  coffee  coffee: ready". Its text starts at the same
# column on every line of a run: two spaces after the widest task name.
LIVE = re.compile(r"\s*\d+\.\d+ s  \S+ +")
DECIMAL = re.compile(r"\d+\.\d+")


def scenario_lines(output):
    live = []
    for line in output.splitlines():
        if not line:
            break  # the summary follows the first blank line
        live.append(line)
    if not live:
        return []
    column = min(LIVE.match(line).end() for line in live)
    return [line[column:] for line in live]


def main():
    binary, args = sys.argv[1], sys.argv[2:]
    program = subprocess.run([binary, *args, "--python"], capture_output=True, text=True, check=True)
    python = subprocess.run([sys.executable, "-c", program.stdout], capture_output=True, text=True,
                            timeout=120)
    if python.returncode != 0:
        sys.exit(f"the --python program failed ({python.returncode}):\n{python.stderr}")
    ours = subprocess.run([binary, *args, "--clock=virtual", "--color=never"], capture_output=True,
                          text=True)
    if ours.returncode not in (0, 1):
        sys.exit(f"asyncdemo {' '.join(args)} exited {ours.returncode}:\n{ours.stderr}")

    want = [DECIMAL.sub("#", line) for line in python.stdout.splitlines()]
    got = [DECIMAL.sub("#", line) for line in scenario_lines(ours.stdout)]
    if want != got:
        import difflib
        print(f"asyncdemo {' '.join(args)}: lines differ from CPython's (- python, + asyncdemo)")
        sys.stdout.writelines(difflib.unified_diff([l + "\n" for l in want], [l + "\n" for l in got]))
        sys.exit(1)
    print(f"{len(got)} lines, same as CPython {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
