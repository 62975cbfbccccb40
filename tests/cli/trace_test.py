#!/usr/bin/env python3
"""--trace: the Chrome trace-event document, checked as a viewer reads it.

    trace_test.py ASYNCDEMO

For runs that wake tasks in every way (a task's end, gather, as_completed,
a Queue, a Semaphore, a Lock; the virtual clock and the real one):

- the document parses, and every event names a track a metadata event named;
- every flow start ("ph": "s") has exactly one end ("ph": "f", "bp": "e")
  with its id, name and category, no earlier than it, and each end of a flow
  lies in a slice of its track (where a viewer binds it);
- the event loop's track holds one slice per iteration and the idle time
  between them, and none of them overlap;
- a suspension's slice names what it waits on ("awaiting gather(coffee,
  eggs)"), never a bare "await".
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def trace(binary, tmp, *args):
    path = os.path.join(tmp, "t.json")
    p = subprocess.run([binary, *args, "-q", f"--trace={path}"], capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0:
        sys.exit(f"asyncdemo {' '.join(args)} exited {p.returncode}: {p.stderr}")
    with open(path, encoding="utf-8") as f:
        return json.load(f)["traceEvents"]


def validate(label, events, eps=1e-6):
    """The checks every trace passes; returns (tracks, slices by track, flows)."""
    tracks = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
              if e["ph"] == "M" and e["name"] == "thread_name"}
    slices = collections.defaultdict(list)
    for e in events:
        check(e["ph"] in ("M", "X", "i", "s", "f"), f"{label}: an event of phase {e['ph']}")
        if e["ph"] != "M" and e.get("s") != "p":
            check((e["pid"], e["tid"]) in tracks, f"{label}: {e} is on no named track")
        if e["ph"] == "X":
            check(e["ts"] >= 0 and e["dur"] >= 0, f"{label}: a slice before 0 or backwards: {e}")
            slices[(e["pid"], e["tid"])].append(e)

    starts, ends = collections.defaultdict(list), collections.defaultdict(list)
    for e in events:
        if e["ph"] == "s":
            starts[e["id"]].append(e)
        elif e["ph"] == "f":
            ends[e["id"]].append(e)
    check(set(starts) == set(ends), f"{label}: flows without an end or a start: "
          f"{set(starts) ^ set(ends)}")
    flows = []
    for fid, ss in starts.items():
        fs = ends.get(fid, [])
        check(len(ss) == 1 and len(fs) == 1, f"{label}: flow {fid} has {len(ss)} starts, "
              f"{len(fs)} ends")
        if len(ss) != 1 or len(fs) != 1:
            continue
        s, f = ss[0], fs[0]
        check(f.get("bp") == "e", f"{label}: flow {fid}'s end does not bind to its slice")
        check(s["name"] == f["name"] and s["cat"] == f["cat"] and s["pid"] == f["pid"],
              f"{label}: flow {fid}'s ends differ: {s} {f}")
        check(f["ts"] >= s["ts"] - eps, f"{label}: flow {fid} goes back in time")
        for end in (s, f):
            track = (end["pid"], end["tid"])
            check(any(x["ts"] - eps <= end["ts"] <= x["ts"] + x["dur"] + eps
                      for x in slices[track]),
                  f"{label}: flow {fid} ends at {end['ts']} on {tracks.get(track)}, in no slice")
        flows.append((tracks.get((s["pid"], s["tid"])), tracks.get((f["pid"], f["tid"])),
                      s["ts"], f["name"]))

    loops = [t for t, name in tracks.items() if name == "event loop"]
    check(len(loops) == len({pid for pid, _ in tracks}), f"{label}: a mode without a loop track")
    for track in loops:
        own = sorted(slices[track], key=lambda x: (x["ts"], x["dur"]))
        check(all(x["cat"] in ("iteration", "idle") for x in own),
              f"{label}: the loop's track holds {set(x['cat'] for x in own)}")
        for a, b in zip(own, own[1:]):
            check(b["ts"] >= a["ts"] + a["dur"] - eps,
                  f"{label}: {a['name']} and {b['name']} overlap on the loop's track")
        numbers = [int(x["name"].split()[1]) for x in own if x["cat"] == "iteration"]
        check(numbers == list(range(1, len(numbers) + 1)),
              f"{label}: the iterations are {numbers[:20]}")

    for e in events:
        if e["ph"] == "X" and e["cat"] in ("awaiting", "waiting"):
            check(e["name"] not in ("awaiting: await", "awaiting", "waiting") and
                  (e["name"].startswith("awaiting ") or e["name"].startswith("waiting ")),
                  f"{label}: a suspension says only {e['name']!r}")
    return tracks, slices, flows


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        # breakfast in gather: coffee's end (the last of the gather) wakes main at 6 s.
        events = trace(binary, tmp, "breakfast", "--clock=virtual")
        tracks, slices, flows = validate("breakfast gather", events)
        check(flows == [("coffee", "main", 6e6, "wakes main")], f"breakfast's flows: {flows}")
        names = {x["name"] for track in slices.values() for x in track}
        check("awaiting gather(coffee, eggs)" in names and "awaiting asyncio.sleep(5)" in names,
              f"breakfast's suspensions: {sorted(names)}")
        loop = next(t for t, n in tracks.items() if n == "event loop")
        iterations = [x for x in slices[loop] if x["cat"] == "iteration"]
        idle = [(x["ts"], x["dur"]) for x in slices[loop] if x["cat"] == "idle"]
        check(len(iterations) == 10, f"breakfast: {len(iterations)} iterations, not 10")
        # Blocked 0 → 2 s in iteration 2; idle 2 → 5 s and 5 → 6 s, waiting for the sleeps.
        check(idle == [(2e6, 3e6), (5e6, 1e6)], f"breakfast's idle time: {idle}")
        check(iterations[1]["dur"] == 2e6, f"iteration 2 held the loop: {iterations[1]}")

        # Every mode, each its own process, one id space.
        events = trace(binary, tmp, "breakfast", "--clock=virtual", "--mode=all")
        _, _, flows = validate("breakfast all", events)
        check(("eggs", "main", 5e6, "wakes main") in flows and
              ("coffee", "main", 6e6, "wakes main") in flows,
              f"create_task: main awaits eggs, then coffee: {flows}")

        # as_completed hands out each task as it ends.
        events = trace(binary, tmp, "as-completed", "--mode=as_completed", "--clock=virtual")
        _, _, flows = validate("as_completed", events)
        check([(a, b) for a, b, _, _ in flows] == [("B", "main"), ("C", "main"), ("A", "main")],
              f"as_completed's flows: {flows}")

        # A Queue: a put wakes a get, a get wakes a put, task_done wakes join.
        events = trace(binary, tmp, "producer-consumer", "--clock=virtual")
        _, _, flows = validate("producer-consumer", events)
        pairs = {(a, b) for a, b, _, _ in flows}
        check(("producer1", "consumer1") in pairs and ("consumer1", "producer1") in pairs,
              f"producer-consumer's flows: {flows}")
        check(any("waiting on Queue" in e["name"] for e in events if e["ph"] == "X"),
              "producer-consumer: no wait on the Queue named")

        for args in (["rate-limit"], ["lock"], ["taskgroup"], ["timeout"], ["race"],
                     ["pitfalls", "--mode=all"], ["to-thread", "--mode=all"]):
            validate(" ".join(args), trace(binary, tmp, *args, "--clock=virtual"))
        # The real clock: measured times, the same rules.
        validate("breakfast real", trace(binary, tmp, "breakfast", "--speed=100", "--mode=all"))

    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("the traces' tracks, flows and iterations hold together")
    return 0


if __name__ == "__main__":
    sys.exit(main())
