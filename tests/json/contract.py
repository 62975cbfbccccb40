#!/usr/bin/env python3
"""The JSON contract: what scripts are promised, checked against the binary.

    contract.py ASYNCDEMO REPOSITORY CHECK

CHECK is one of:

  validate  every kind of document the binary prints (runs, comparisons,
            --runs, swarm and its threads mode, a mode skipped, a failed and
            an interrupted run, every --format=jsonl line, list --format=json,
            the --export-json file) validates against docs/schema.json, with
            a real JSON Schema validator (Debian's python3-jsonschema); and
            documents broken on purpose do not.
  jsonl     --format=jsonl carries the same fields as --format=json: each
            summary line is the run document without its events, each event
            line one of its events, the last line the comparison without its
            runs.
  docs      every example in docs/json.md (a ```console block: "$ asyncdemo
            ARGS", then what it prints, and maybe more "$ " commands, such as
            jq on a file it wrote) is what the binary prints.

Without the jsonschema module the validate check exits 77 (skipped).
"""
import copy
import json
import os
import resource
import shlex
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77


def run(binary, args, ok=(0,), rlimit_nproc=None, **kw):
    def limit():
        if rlimit_nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (rlimit_nproc, rlimit_nproc))

    p = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env={**os.environ, "NO_COLOR": "1"}, preexec_fn=limit, timeout=120,
                       **kw)
    if p.returncode not in ok:
        sys.exit(f"asyncdemo {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p.stdout.decode()


def lines_of(text):
    return [json.loads(line) for line in text.splitlines()]


def scenarios(binary):
    return json.loads(run(binary, ["list", "--format=json"]))["scenarios"]


def small(name):
    """Arguments that keep a scenario quick."""
    return ["--tasks=200"] if name == "swarm" else []


def interrupted(binary, args):
    """The document of a real-clock run stopped by Ctrl-C."""
    p = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    if p.returncode != 130:
        sys.exit(f"asyncdemo {' '.join(args)}: exit {p.returncode} after Ctrl-C: {err.decode()}")
    return out.decode()


def documents(binary, tmp):
    """(what, document) for every kind of document the binary prints."""
    out = []

    def add(what, text, jsonl=False):
        for i, doc in enumerate(lines_of(text) if jsonl else [json.loads(text)]):
            out.append((f"{what} (line {i + 1})" if jsonl else what, doc))

    for s in scenarios(binary):
        name = s["name"]
        base = [name, "--clock=virtual"] + small(name)
        add(f"{name} --format=json", run(binary, base + ["--format=json"]))
        add(f"{name} --format=jsonl", run(binary, base + ["--format=jsonl"]), jsonl=True)
        if len(s["modes"]) > 1:
            add(f"{name} --mode=all --format=json", run(binary, base + ["--mode=all", "--format=json"]))
            add(f"{name} --mode=all --format=jsonl",
                run(binary, base + ["--mode=all", "--format=jsonl"]), jsonl=True)
    fast = ["--speed=1000", "--runs=2"]
    add("--runs --format=json", run(binary, ["worker", "--format=json"] + fast))
    add("--runs --mode=all --format=json", run(binary, ["worker", "--mode=all", "--format=json"] + fast))
    add("--runs --mode=all --format=jsonl",
        run(binary, ["worker", "--mode=all", "--format=jsonl"] + fast), jsonl=True)
    add("real clock --mode=all", run(binary, ["breakfast", "--speed=1000", "--mode=all", "--format=json"]))
    add("swarm --mode=threads", run(binary, ["swarm", "--mode=threads", "--tasks=100", "--clock=virtual",
                                             "--format=json"]))
    add("swarm threads skipped", run(binary, ["swarm", "--mode=all", "--tasks=100", "--clock=virtual",
                                              "--format=json"], rlimit_nproc=1))
    failing = os.path.join(tmp, "failing.toml")
    with open(failing, "w") as f:
        f.write('[[job]]\nname = "bad"\nsteps = [ { return = "1 / 0" } ]\n')
    add("a failed run", run(binary, ["run", failing, "--clock=virtual", "--format=json"], ok=(1,)))
    add("a failed run, jsonl", run(binary, ["run", failing, "--clock=virtual", "--format=jsonl"], ok=(1,)),
        jsonl=True)
    add("an interrupted run", interrupted(binary, ["breakfast", "--format=json"]))
    add("list --format=json", run(binary, ["list", "--format=json"]))
    export = os.path.join(tmp, "export.json")
    run(binary, ["breakfast", "--clock=virtual", "--mode=all", "--export-json=" + export])
    with open(export) as f:
        add("--export-json", f.read())
    return out


def check_validate(binary, repo):
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed: skipped")
        return SKIP
    with open(os.path.join(repo, "docs", "schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="asyncdemo-json-") as tmp:
        docs = documents(binary, tmp)
    kinds = set()
    for what, doc in docs:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            failures += 1
            e = errors[0]
            print(f"INVALID: {what}: at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}")
        kinds.add((doc.get("type"), doc.get("outcome")))
    for needed in [("run", "ok"), ("run", "failed"), ("run", "interrupted"), ("comparison", None),
                   ("event", None), ("summary", "ok"), ("summary", "failed"), ("list", None)]:
        if needed not in kinds:
            failures += 1
            print(f"NOT TRIED: no document of type {needed[0]}, outcome {needed[1]}")
    swarm = next(d for w, d in docs if w == "swarm --mode=threads")
    if not all(isinstance(v, (int, float)) for v in swarm["measured"].values()):
        failures += 1
        print(f"swarm's figures are not all numbers: {swarm['measured']}")
    skipped = next(d for w, d in docs if w == "swarm threads skipped")
    if [s["mode"] for s in skipped.get("skipped", [])] != ["threads"]:
        failures += 1
        print(f"threads was not skipped: {skipped.get('skipped')}")
    # The validator can fail: documents broken on purpose are refused.
    run_doc = next(d for w, d in docs if w == "breakfast --format=json")
    broken = []
    for change in (lambda d: d.pop("summary"), lambda d: d.pop("version"),
                   lambda d: d.__setitem__("schema", 2), lambda d: d.__setitem__("surprise", 1),
                   lambda d: d["events"][0].__setitem__("time", "0 s"),
                   lambda d: d["tasks"][0].__setitem__("state", "finished"),
                   lambda d: d.__setitem__("mode", "threaded"),
                   lambda d: d.__setitem__("version", "one")):
        d = copy.deepcopy(run_doc)
        change(d)
        broken.append(d)
    for i, d in enumerate(broken):
        if validator.is_valid(d):
            failures += 1
            print(f"broken document {i} passed validation")
    print(f"{len(docs)} documents validated against docs/schema.json "
          f"(jsonschema {getattr(jsonschema, '__version__', '?')}), {failures} problems")
    return 1 if failures else 0


def check_jsonl(binary, repo):
    failures = 0

    def differ(what, a, b):
        nonlocal failures
        if a != b:
            failures += 1
            keys = sorted(set(a) ^ set(b)) if isinstance(a, dict) and isinstance(b, dict) else []
            print(f"DIFFERENT: {what}: keys only on one side: {keys}\n  json:  {json.dumps(a)[:300]}\n"
                  f"  jsonl: {json.dumps(b)[:300]}")

    cases = [["breakfast", "--clock=virtual"], ["gather-workers", "--clock=virtual", "--seed=7"],
             ["random-add", "--clock=virtual", "--seed=7"], ["swarm", "--clock=virtual", "--tasks=100"],
             ["breakfast", "--clock=virtual", "--mode=all"],
             ["as-completed", "--clock=virtual", "--mode=all", "--seed=7"]]
    for args in cases:
        doc = json.loads(run(binary, args + ["--format=json"]))
        lines = lines_of(run(binary, args + ["--format=jsonl"]))
        what = " ".join(args)
        runs = doc["runs"] if doc["type"] == "comparison" else [doc]
        summaries = [l for l in lines if l["type"] == "summary"]
        events = [l for l in lines if l["type"] == "event"]
        if len(summaries) != len(runs):
            failures += 1
            print(f"{what}: {len(summaries)} summary lines for {len(runs)} runs")
        for r, s in zip(runs, summaries):
            expected = {k: v for k, v in r.items() if k != "events"}
            expected["type"] = "summary"
            for key in ("measured",):  # differs from run to run
                expected.pop(key, None)
                s = {k: v for k, v in s.items() if k != key}
            differ(f"{what}: the summary of {r['mode']}", expected, s)
        expected_events = [
            {"schema": r["schema"], "version": r["version"], "type": "event", "mode": r["mode"], **e}
            for r in runs for e in r["events"]]
        differ(f"{what}: the events", expected_events, events)
        if doc["type"] == "comparison":
            expected = {k: v for k, v in doc.items() if k != "runs"}
            differ(f"{what}: the comparison", expected, lines[-1])
    print(f"{len(cases)} command lines: jsonl and json compared, {failures} differences")
    return 1 if failures else 0


def check_docs(binary, repo):
    """Each ```console block of docs/json.md: its command's output, exactly."""
    path = os.path.join(repo, "docs", "json.md")
    with open(path) as f:
        text = f.read()
    examples = []
    block = None
    for line in text.splitlines():
        if block is None and line.strip() == "```console":
            block = []
        elif block is not None and line.strip() == "```":
            examples.append(block)
            block = None
        elif block is not None:
            block.append(line)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="asyncdemo-docs-") as tmp:
        os.symlink(binary, os.path.join(tmp, "asyncdemo"))
        env = {**os.environ, "PATH": tmp + os.pathsep + os.environ.get("PATH", ""), "NO_COLOR": "1"}
        for block in examples:
            if not block or not block[0].startswith("$ asyncdemo "):
                failures += 1
                print(f"an example that does not start with '$ asyncdemo': {block[:1]}")
                continue
            # Each "$ " line is a command; the lines up to the next are its output.
            steps = []
            for line in block:
                if line.startswith("$ "):
                    steps.append((line[2:], []))
                else:
                    steps[-1][1].append(line)
            for command, want in steps:
                p = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=tmp, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                out = p.stdout.decode()
                got = out.rstrip("\n").split("\n") if out else []
                if p.returncode != 0 or got != want:
                    failures += 1
                    print(f"docs/json.md: '{command}' prints something else (exit {p.returncode}):")
                    for i, (w, g) in enumerate(zip(want + [""] * len(got), got + [""] * len(want))):
                        if w != g:
                            print(f"  line {i + 1}:\n    docs:   {w[:200]}\n    binary: {g[:200]}")
                            break
    if not examples:
        failures += 1
        print("docs/json.md has no ```console examples")
    print(f"{len(examples)} examples in docs/json.md run, {failures} differ")
    return 1 if failures else 0


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("validate", "jsonl", "docs"):
        sys.exit("usage: contract.py ASYNCDEMO REPOSITORY validate|jsonl|docs")
    binary, repo, check = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    return {"validate": check_validate, "jsonl": check_jsonl, "docs": check_docs}[check](binary, repo)


if __name__ == "__main__":
    sys.exit(main())
