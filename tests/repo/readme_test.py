#!/usr/bin/env python3
"""The README's commands run, and print what the README shows.

    readme_test.py README.md ASYNCDEMO

Every command line of the README's examples that starts with `asyncdemo`
(the synopsis, whose words in capitals are placeholders, aside)
runs in a temporary directory, in order, as a shell would run it (with the
README's breakfast.py there first), stdin empty, and must exit 0. A command
shown after `$ ` must print the lines shown under it (the summary may
follow); a command named in the text just before a block
("`asyncdemo ... ` runs every mode, then:") must hold that block, when it
runs on the virtual clock. A README whose example drifted from the binary fails here.
"""
import os
import re
import subprocess
import sys
import tempfile

PLACEHOLDER = re.compile(r"<|\[options\]|\b[A-Z]{3,}\b")


def blocks(text):
    """The indented blocks: (the paragraph before it, its lines)."""
    out, lines, para, ended = [], text.split("\n"), [], False
    i = 0
    while i < len(lines):
        if lines[i].startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            block = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            out.append((" ".join(para), block))
            para, ended = [], False
            continue
        if not lines[i].strip():
            ended = True  # the paragraph ends; it is kept for a block after it
        else:
            para, ended = (para if not ended else []) + [lines[i]], False
        i += 1
    return out


def command_of(line):
    """The command of a block's line, its comment dropped; None if not one."""
    line = line[2:] if line.startswith("$ ") else line
    if not line.startswith("asyncdemo ") or PLACEHOLDER.search(line.split("  #")[0]):
        return None
    return line.split("  #")[0].strip()


def main():
    readme, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    with open(readme, encoding="utf-8") as f:
        found = blocks(f.read())
    problems, ran = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(binary, os.path.join(tmp, "asyncdemo"))
        env = dict(os.environ, PATH=tmp + os.pathsep + os.environ.get("PATH", ""),
                   COLUMNS="80", NO_COLOR="1")
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        # The program the README shows, where its commands expect it.
        for _, block in found:
            if block and block[0] == "$ cat breakfast.py":
                end = next(i for i, l in enumerate(block) if l.startswith("$ ") and i > 0)
                body = block[1:end]
                while body and not body[-1].strip():
                    body.pop()
                with open(os.path.join(work, "breakfast.py"), "w", encoding="utf-8") as f:
                    f.write("\n".join(body) + "\n")

        def run(command):
            return subprocess.run(["bash", "-c", command], cwd=work, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=60)

        for before, block in found:
            if any(PLACEHOLDER.search(l) for l in block if l.startswith("asyncdemo ")):
                continue  # the synopsis: its words in capitals are placeholders
            for n, line in enumerate(block):
                command = command_of(line)
                if not command:
                    continue
                r = run(command)
                ran += 1
                if r.returncode != 0:
                    problems.append(f"`{command}` exited {r.returncode}: {r.stderr.strip()}")
                    continue
                if line.startswith("$ "):  # its output follows, up to the next prompt
                    shown = []
                    for l in block[n + 1:]:
                        if l.startswith("$ "):
                            break
                        shown.append(l)
                    while shown and not shown[-1].strip():
                        shown.pop()
                    got = r.stdout.split("\n")[:len(shown)]
                    if got != shown:
                        problems.append(f"`{command}` printed\n" + "\n".join(got) +
                                        "\nwhere the README shows\n" + "\n".join(shown))
            # "`asyncdemo ...` runs every mode, then:" and a block of its output.
            named = re.findall(r"`(asyncdemo [^`]+)`", before)
            if named and before.rstrip().endswith(":") and not command_of(block[0]) and \
                    not block[0].startswith("$ "):
                command = named[-1]
                if PLACEHOLDER.search(command) or "--clock=" not in command and \
                        "--step" not in command:
                    continue  # a real-clock run: its times vary
                stdin = "\n" if "--step" in command else ""
                r = subprocess.run(["bash", "-c", command], cwd=work, env=env, input=stdin,
                                   capture_output=True, text=True, timeout=60)
                ran += 1
                text = "\n".join(l.rstrip() for l in r.stdout.split("\n"))
                shown = "\n".join(l.rstrip() for l in block)
                if r.returncode != 0 or shown not in text:
                    problems.append(f"`{command}` (exit {r.returncode}) does not print the "
                                    f"README's block:\n{shown}\n--- it printed:\n{text}")
    for p in problems:
        print(f"FAIL: {p}\n")
    print(f"readme_test: {ran} commands of the README run, {len(problems)} problems")
    sys.exit(1 if problems or ran < 5 else 0)


if __name__ == "__main__":
    main()
