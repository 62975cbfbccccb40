#!/usr/bin/env python3
"""The figures beside each mode's timeline in --svg and --html, against the
run's own JSON (--format=json, the same run), parsed with xml.etree.

    svg_figures_test.py ASYNCDEMO

Each mode's section (g.run) carries data-elapsed and data-speedup, and a
text (text.figures) that says the same in words; a mode with nothing to
compare with has no data-speedup. --title heads both (escaped), --scale
sizes the image and the page's root font; the default heading is the
scenario's name and summary.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


def run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"asyncdemo {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


def sections(root):
    return {g.get("data-mode"): g for g in root.iter(f"{SVG}g") if g.get("class") == "run"}


def figures_text(g):
    return "".join(g.find(f"{SVG}text[@class='figures']").itertext())


def words(elapsed, speedup, mode):
    """What the figures say, worked out here from the JSON's numbers."""
    text = f"{elapsed:.3f} s"
    if speedup is None:
        return text
    if mode == "sync" and speedup == 1:
        return text + " · sync, the baseline"
    if abs(speedup - 1) <= 0.005:
        return text + " · no faster than sync"
    if speedup > 1:
        return text + f" · {speedup:.2f} × faster than sync"
    return text + f" · {1 / speedup:.2f} × slower than sync"


def check_section(label, g, elapsed, speedup, mode):
    if g is None:
        check(False, f"{label}: no section")
        return
    check(math.isclose(float(g.get("data-elapsed")), elapsed, rel_tol=1e-12),
          f"{label}: data-elapsed {g.get('data-elapsed')}, the JSON says {elapsed}")
    if speedup is None:
        check(g.get("data-speedup") is None, f"{label}: a speedup with nothing to compare with")
    else:
        check(g.get("data-speedup") is not None and
              math.isclose(float(g.get("data-speedup")), speedup, rel_tol=1e-12),
              f"{label}: data-speedup {g.get('data-speedup')}, the JSON says {speedup}")
    check(figures_text(g) == words(elapsed, speedup, mode),
          f"{label}: the figures say {figures_text(g)!r}, not {words(elapsed, speedup, mode)!r}")


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        svg, html = os.path.join(tmp, "b.svg"), os.path.join(tmp, "b.html")

        # Every mode: the comparison's numbers.
        doc = json.loads(run(binary, "breakfast", "--mode=all", "--format=json", f"--svg={svg}",
                             f"--html={html}"))
        root = ET.parse(svg).getroot()
        found = sections(root)
        check(list(found) == [m["mode"] for m in doc["modes"]], f"the sections: {list(found)}")
        for m in doc["modes"]:
            check_section(f"--mode=all {m['mode']}", found.get(m["mode"]), m["elapsed"][0],
                          m["speedup"], m["mode"])
        check(doc["modes"][3]["speedup"] > 1.5, "gather is faster than sync: the test means it")
        caption = root.find(f"{SVG}text[@class='caption']").text
        check(caption == "breakfast: coffee (1 s prep + 5 s wait) and eggs (1 s prep + 3 s "
              "wait): 10 s or 6 s", f"the default heading: {caption!r}")
        subtitle = root.find(f"{SVG}text[@class='subtitle']").text
        check(subtitle == "breakfast · 5 modes · virtual clock", f"the subtitle: {subtitle!r}")

        # The page draws the same timeline, figures and all, and says the same heading.
        page = open(html, encoding="utf-8").read()
        inline = ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S).group(0))
        for mode, g in sections(inline).items():
            check(figures_text(g) == figures_text(found[mode]) and
                  g.get("data-speedup") == found[mode].get("data-speedup"),
                  f"--html {mode}: {figures_text(g)!r}")
        check(f"<h1>{caption}</h1>" in page, "the page's heading is the scenario's")
        check('<html lang="en" style="font-size: 16px">' in page, "the page's root font size")

        # One mode: the run's summary.
        one = json.loads(run(binary, "breakfast", "--mode=gather", "--format=json",
                             f"--svg={svg}"))
        root = ET.parse(svg).getroot()
        found = sections(root)
        check(list(found) == ["gather"], f"one mode's sections: {list(found)}")
        check(root.find(f".//{SVG}text[@class='heading']") is None, "one mode: no heading")
        check_section("gather alone", found["gather"], one["summary"]["elapsed"],
                      one["summary"]["speedup"], "gather")
        # await runs no faster than sync, and sync is the baseline.
        for mode in ("await", "sync"):
            one = json.loads(run(binary, "breakfast", f"--mode={mode}", "--format=json",
                                 f"--svg={svg}"))
            g = sections(ET.parse(svg).getroot())[mode]
            check_section(f"{mode} alone", g, one["summary"]["elapsed"], one["summary"]["speedup"],
                          mode)

        # Nothing to compare with: task-callbacks has no sync mode and no model of one.
        one = json.loads(run(binary, "task-callbacks", "--format=json", f"--svg={svg}"))
        check(one["summary"]["speedup"] is None, "task-callbacks has a speedup after all")
        g = next(iter(sections(ET.parse(svg).getroot()).values()))
        check_section("task-callbacks", g, one["summary"]["elapsed"], None, "create_task")

        # --title and --scale: escaped, and sized.
        run(binary, "breakfast", "-q", f"--svg={svg}", f"--html={html}",
            "--title=Café <b>&amp; \"eggs\"</b>", "--scale=2")
        text = open(svg, encoding="utf-8").read()
        root = ET.fromstring(text.encode())
        check(root.find(f"{SVG}text[@class='caption']").text == "Café <b>&amp; \"eggs\"</b>",
              "the title, parsed back")
        check(root.find(f"{SVG}title").text == "Café <b>&amp; \"eggs\"</b>", "the image's <title>")
        check("<b>" not in text, "the title reached the SVG as markup")
        view = [float(v) for v in root.get("viewBox").split()]
        check(math.isclose(float(root.get("width")), 2 * view[2], rel_tol=1e-3) and
              math.isclose(float(root.get("height")), 2 * view[3], rel_tol=1e-3),
              f"--scale=2: {root.get('width')} × {root.get('height')} for {view}")
        page = open(html, encoding="utf-8").read()
        check("<h1>Café &lt;b&gt;&amp;amp; &quot;eggs&quot;&lt;/b&gt;</h1>" in page,
              "the page's heading, escaped")
        check('<html lang="en" style="font-size: 32px">' in page, "--scale=2: the root font")

    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("the SVG's and the page's figures are the run's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
