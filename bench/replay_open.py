#!/usr/bin/env python3
"""How big the --html replay is, and how long headless Chromium takes to open it.

    python3 bench/replay_open.py [--asyncdemo build/asyncdemo] [--opens 5]

For breakfast (--mode=all: five runs on one page), a run of 10,000 events
(delayed-print --times=850 --texts=A,B,C,D: 10,217 events, four tasks) and
2,000 tasks at once (a scenario file with count = 2000: 12,005 events), on
the virtual clock: the file's size, and over --opens fresh tabs the median time
until the page is ready (its script has drawn the first frame: the
`replayReadyAt` mark, from the start of navigation) and until the load event
(as seen from here, over the DevTools pipe). Not a test: run it on a quiet
machine (scripts/dev.sh bench does not build while it measures).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "browser"))
import devtools  # noqa: E402

# Many tasks at once: 2,000 jobs, each sleeping its own time (12,000 events).
MANY = """[[job]]
name = "job{index}"
count = 2000
steps = [ { sleep = "random.random() * 10" }, { print = "done {index}" } ]
"""

RUNS = [
    ("breakfast --mode=all", ["breakfast", "--mode=all"]),
    ("10,000 events", ["delayed-print", "--times=850", "--texts=A,B,C,D"]),
    ("2,000 tasks", ["run", "{many}"]),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asyncdemo", default="build/asyncdemo")
    ap.add_argument("--opens", type=int, default=5)
    args = ap.parse_args()
    if not devtools.chromium():
        sys.exit("replay_open: chromium is not installed (apt-get install chromium)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, devtools.Browser() as browser:
        many = os.path.join(tmp, "many.toml")
        with open(many, "w") as f:
            f.write(MANY)
        for title, argv in RUNS:
            argv = [a.format(many=many) for a in argv]
            path = os.path.join(tmp, "replay.html")
            subprocess.run([args.asyncdemo, *argv, "--clock=virtual", "-q", f"--html={path}"],
                           check=True, stdout=subprocess.DEVNULL)
            size = os.path.getsize(path)
            events = None
            ready, load = [], []
            for _ in range(args.opens + 1):  # the first open warms the browser up
                page = browser.open("file://" + path)
                ready.append(page.evaluate("window.replayReadyAt"))
                load.append(page.load_ms)
                events = events or page.evaluate(
                    "JSON.parse(document.getElementById('replay-data').textContent)"
                    ".runs.reduce((n, r) => n + r.events.length, 0)")
                page.call("Page.close")
            rows.append((title, events, size, statistics.median(ready[1:]),
                         statistics.median(load[1:])))
    print(f"{'run':<22}{'events':>8}{'size':>12}{'ready':>10}{'loaded':>10}")
    for title, events, size, ready, load in rows:
        print(f"{title:<22}{events:>8}{size / 1e6:>9.2f} MB{ready:>7.0f} ms{load:>7.0f} ms")
    print(f"(median of {args.opens} opens in headless {os.path.basename(devtools.chromium())}; "
          "ready: the first frame drawn, from the start of navigation)")


if __name__ == "__main__":
    main()
