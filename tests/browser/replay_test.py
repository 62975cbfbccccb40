#!/usr/bin/env python3
"""The --html replay and the --svg timeline, in a real browser.

    replay_test.py ASYNCDEMO IMAGES_DIR DOCS_IMAGES_DIR

Makes breakfast's replay and timeline (--mode=all, virtual clock), opens the
page in headless Chromium (tests/browser/devtools.py) and checks what it
shows as a learner would move through it: at the first iteration of gather
the ready queue is coffee then eggs; at 1.000 s on the timeline coffee is
blocking the loop and eggs must wait; then the clock jumps to 5.000 s; the
keys, the buttons, play and the modes work; nothing is fetched and nothing
is thrown. The SVG is parsed and its task rows counted, and rendered too. A
run of 10,000 events must open and move as well (how fast is measured in
bench/replay_open.py, not asserted here).

It leaves the README's pictures in IMAGES_DIR (replay.png, a screenshot of
the page; breakfast-all.svg, the timeline) and checks that the SVG in
DOCS_IMAGES_DIR is the one the tool makes now. UPDATE_GOLDEN=1 copies both
into DOCS_IMAGES_DIR. Exits 77 (skipped) when chromium is not installed.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import devtools  # noqa: E402

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


def texts(page, selector):
    return page.evaluate(
        f"[...document.querySelectorAll({selector!r})].map((e) => e.textContent)")


def text(page, selector):
    return page.evaluate(f"document.querySelector({selector!r}).textContent")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def check_svg_file(path):
    """Parsed by a strict XML parser: a section per mode, a row per task."""
    root = ET.parse(path).getroot()
    check(root.tag == SVG + "svg", f"{path}: the root is {root.tag}, not svg")
    sections = root.findall(f"{SVG}g[@class='run']")
    rows = {g.get("data-mode"): len(g.findall(f".//{SVG}g[@class='task']")) for g in sections}
    check(rows == {"sync": 1, "await": 1, "create_task": 3, "gather": 3, "as_completed": 3},
          f"{path}: task rows by mode {rows}")
    names = [t.get("data-task") for t in sections[3].findall(f".//{SVG}g[@class='task']")]
    check(names == ["main", "coffee", "eggs"], f"{path}: gather's rows are {names}")
    legend = "".join(root.find(f"{SVG}g[@class='legend']").itertext())
    for words in ("blocking the loop", "running", "awaiting", "ready", "done", "cancelled",
                  "failed"):
        check(words in legend, f"{path}: the legend lacks {words!r}")
    return float(root.get("width")), float(root.get("height"))


def check_replay(browser, url, images):
    page = browser.open(url + "#mode=gather&iteration=1")
    check(page.evaluate("document.documentElement.dataset.ready") == "true", "the page is ready")
    ready = texts(page, "#ready li")
    check(ready == ["coffee", "eggs"], f"gather, iteration 1: the ready queue is {ready}")
    check(text(page, "#caption") ==
          "main awaits gather(coffee, eggs): both tasks are ready, and run in the order they "
          "were created", f"iteration 1's caption: {text(page, '#caption')}")
    tasks = texts(page, "#tasks li")
    check("main awaits gather(coffee, eggs)" in tasks, f"iteration 1's tasks: {tasks}")
    check(text(page, "#output") == "nothing yet", "nothing printed before coffee runs")
    marked = "[...document.querySelectorAll('#timeline g.task.ran')].map((g) => g.dataset.task)"
    check(page.evaluate(marked) == ["main"], f"iteration 1's rows marked: {page.evaluate(marked)}")
    # The program beside the loop: main, which ran, is at its gather.
    current = text(page, "#program .line.current")
    check("▶" in current and "for result in await asyncio.gather(*started):" in current and
          "← main" in current, f"iteration 1's current line: {current!r}")
    chains = texts(page, "#chains li")
    check(any(c.startswith("main → await asyncio.gather(*started) (line ") and
              c.endswith("→ coffee and eggs") for c in chains), f"iteration 1's chains: {chains}")

    # A click on gather's rows at 1.000 s: the iteration running then.
    x, y = page.evaluate("""(() => {
      const svg = document.querySelector('#timeline svg');
      const g = svg.querySelector('g.run[data-mode="gather"]');
      const t = 1.0 / Number(svg.dataset.scale);
      const p = new DOMPoint(Number(svg.dataset.x0) + Number(svg.dataset.plotWidth) * t,
                             Number(g.dataset.rowsY) + 30).matrixTransform(svg.getScreenCTM());
      return [p.x, p.y];
    })()""")
    page.click(x, y)
    caption = text(page, "#caption")
    check(caption.startswith("coffee calls time.sleep(1): the loop is blocked, eggs must wait"),
          f"at 1.000 s: {caption}")
    check("iteration 2 of 10 · 0.000 s → 2.000 s" in text(page, "#when"),
          f"at 1.000 s: {text(page, '#when')}")
    ran = texts(page, "#ran li")
    check(len(ran) == 2 and ran[0].startswith("coffee") and
          "the loop was blocked 0.000 s → 1.000 s" in ran[0], f"at 1.000 s, what ran: {ran}")
    check(len(texts(page, "#output span")) == 4, "four lines printed by 2.000 s")
    check(page.evaluate(marked) == ["coffee", "eggs"],
          f"at 1.000 s, the rows marked: {page.evaluate(marked)}")
    # coffee and eggs ran: each now at its sleep (▶), main waits at its
    # gather (•); the lines they ran are highlighted; the pane scrolled to
    # eggs', the last that ran.
    current = text(page, "#program .line.current")
    check("▶" in current and "await asyncio.sleep(3 * SCALE)" in current and "← eggs" in current,
          f"iteration 2's current line: {current!r}")
    running = texts(page, "#program .line.running")
    check(len(running) == 2 and "← coffee" in running[0], f"iteration 2's ▶ lines: {running}")
    waiting = texts(page, "#program .line.waiting")
    check(len(waiting) == 1 and waiting[0].startswith("•") and "← main" in waiting[0],
          f"iteration 2's • lines: {waiting}")
    ran_lines = texts(page, "#program .line.ran")
    check(any('print("coffee: prepare ingredients")' in line for line in ran_lines) and
          not any("async def main" in line for line in ran_lines),
          f"iteration 2's highlighted lines: {ran_lines}")
    check(page.evaluate("""(() => {
      const pre = document.getElementById('program');
      const line = pre.querySelector('.line.current');
      const top = line.offsetTop - pre.offsetTop;
      return top >= pre.scrollTop && top + line.offsetHeight <= pre.scrollTop + pre.clientHeight;
    })()"""), "the program pane shows the current line")
    chains = texts(page, "#chains li")
    check(any(c.startswith("coffee → await asyncio.sleep(5 * SCALE) (line ") for c in chains),
          f"iteration 2's chains: {chains}")
    page.screenshot(os.path.join(images, "replay.png"), 1400, 900)

    page.key("b")
    check(texts(page, "#ready li") == ["coffee", "eggs"], "b steps back to iteration 1")
    page.key("ArrowRight")
    page.key("ArrowRight")
    check(text(page, "#caption") ==
          "nothing is ready: the clock jumps to 5.000 s, when eggs' sleep ends",
          f"iteration 3: {text(page, '#caption')}")
    check("iteration 3 of 10 · 5.000 s" in text(page, "#when"), text(page, "#when"))
    timers = texts(page, "#timers li")
    check(timers == ["coffee wakes at 6.000 s"], f"iteration 3's timers: {timers}")
    page.key("End")
    check(text(page, "#caption") == "main is done, so asyncio.run stops the loop",
          f"the last iteration: {text(page, '#caption')}")
    page.key("ArrowRight")
    check("iteration 10 of 10" in text(page, "#when"), "no step past the end")
    page.key("Home")
    page.key("ArrowLeft")
    check("iteration 1 of 10" in text(page, "#when"), "no step before the first")

    # The buttons, the scrubber, play and speed.
    page.evaluate("document.getElementById('next').click()")
    check("iteration 2 of 10" in text(page, "#when"), "the step button")
    page.evaluate("document.getElementById('back').click()")
    check("iteration 1 of 10" in text(page, "#when"), "the back button")
    page.evaluate("""(() => { const s = document.getElementById('scrubber');
      s.value = '6'; s.dispatchEvent(new Event('input')); })()""")
    check("iteration 6 of 10 · 6.000 s" in text(page, "#when"), "the scrubber")
    page.key("Home")
    speed = page.evaluate("document.getElementById('speed').value")
    page.key("+", "Equal", "+")
    check(page.evaluate("document.getElementById('speed').value") != speed, "+ speeds up")
    page.key("-", "Minus", "-")
    check(page.evaluate("document.getElementById('speed').value") == speed, "- slows down")
    page.key(" ", "Space", " ")  # 2 iterations a second at 1×
    check(text(page, "#play").strip() == "⏸ pause", "space plays")
    page.evaluate("new Promise((done) => setTimeout(done, 1200))")
    page.key(" ", "Space", " ")
    check(text(page, "#play").strip() == "▶ play", "space pauses")
    check("iteration 1 of 10" not in text(page, "#when"), f"play moved: {text(page, '#when')}")

    # Every mode on one time scale.
    page.key("1", "Digit1", "1")
    check(text(page, "#when").startswith("sync · iteration 1 of 2 · 0.000 s → 10.000 s"),
          f"mode 1: {text(page, '#when')}")
    check(text(page, "#caption").startswith("main calls time.sleep 4 times (10 s in all)"),
          f"sync: {text(page, '#caption')}")
    buttons = texts(page, "nav#modes button")
    check(buttons == ["1 sync", "2 await", "3 create_task", "4 gather", "5 as_completed"],
          f"the modes: {buttons}")
    ticks = page.evaluate("""[...document.querySelectorAll('#timeline g.run')].map(
      (g) => g.querySelector('text.tick:last-of-type').getAttribute('x'))""")
    check(len(set(ticks)) == 1, f"one time scale: the last ticks are at {ticks}")

    requests = [u for u in browser.requests(page.session) if not u.startswith("file://")]
    check(requests == [], f"the page fetched {requests}")
    check(browser.errors(page.session) == [], f"errors: {browser.errors(page.session)}")


def check_svg_in_browser(browser, path, width, height):
    page = browser.open("file://" + path, 1000, 1000)
    rows = page.evaluate("document.querySelectorAll('g.task').length")
    check(rows == 11, f"the SVG in Chromium: {rows} task rows")
    box = page.evaluate("""(() => { const r = document.documentElement.getBoundingClientRect();
      return [r.width, r.height]; })()""")
    check(abs(box[0] - width) < 0.1 and abs(box[1] - height) < 0.1,
          f"the SVG renders at {box}, not {width} × {height}")
    check(browser.errors(page.session) == [], f"SVG errors: {browser.errors(page.session)}")


def check_big(browser, binary, tmp):
    """10,000 events: the page opens, and moves to its end and back."""
    path = os.path.join(tmp, "big.html")
    run(binary, "delayed-print", "--times=850", "--texts=A,B,C,D", "--clock=virtual", "-q",
        f"--html={path}")
    page = browser.open("file://" + path)
    check(page.evaluate("document.documentElement.dataset.ready") == "true", "big: ready")
    events = page.evaluate(
        "JSON.parse(document.getElementById('replay-data').textContent).runs[0].events.length")
    check(events >= 10000, f"big: {events} events")
    page.key("End")
    check(text(page, "#caption") == "main is done, so asyncio.run stops the loop",
          f"big, the end: {text(page, '#caption')}")
    lines = len(texts(page, "#output span"))
    check(lines == 200, f"big: the output pane holds the last 200 lines, not {lines}")
    page.key("ArrowLeft")
    check("1700.000 s" in text(page, "#when"), f"big, one back: {text(page, '#when')}")
    check(browser.errors(page.session) == [], f"big: errors {browser.errors(page.session)}")


def main():
    binary, images, docs = sys.argv[1:4]
    if not devtools.chromium():
        print("chromium not found: skipped (scripts/dev.sh test installs it)")
        return 77
    os.makedirs(images, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html = os.path.join(tmp, "breakfast.html")
        svg = os.path.join(images, "breakfast-all.svg")
        run(binary, "breakfast", "--mode=all", "--clock=virtual", "-q", f"--html={html}",
            f"--svg={svg}")
        width, height = check_svg_file(svg)
        with devtools.Browser() as browser:
            check_replay(browser, "file://" + html, images)
            check_svg_in_browser(browser, svg, width, height)
            check_big(browser, binary, tmp)
    check(png_size(os.path.join(images, "replay.png")) == (1400, 900), "the screenshot is saved")

    # The README's pictures.
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for name in ("replay.png", "breakfast-all.svg"):
            shutil.copyfile(os.path.join(images, name), os.path.join(docs, name))
    else:
        with open(svg, "rb") as fresh, open(os.path.join(docs, "breakfast-all.svg"), "rb") as kept:
            check(fresh.read() == kept.read(),
                  "docs/images/breakfast-all.svg is not what the tool draws now; refresh it: "
                  "cd build && UPDATE_GOLDEN=1 ctest -R browser")
        check(png_size(os.path.join(docs, "replay.png")) == (1400, 900),
              "docs/images/replay.png is missing (cd build && UPDATE_GOLDEN=1 ctest -R browser)")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("the replay and the timeline work in Chromium")
    return 0


if __name__ == "__main__":
    sys.exit(main())
