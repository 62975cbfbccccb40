"""A headless Chromium driven over the DevTools protocol, with nothing to install.

    with Browser() as b:             # None when chromium is not installed
        page = b.open("file:///tmp/replay.html")
        page.evaluate("document.title")
        page.screenshot("shot.png", 1400, 900)

`chromium --headless --remote-debugging-pipe` reads commands on descriptor 3
and writes answers and events on descriptor 4, each a JSON object ended by a
NUL byte. The browser runs with a profile of its own in a temporary
directory, and with --no-sandbox only when we are root (where the sandbox
cannot start). Used by tests/browser/replay_test.py and bench/replay_open.py.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time


def chromium():
    """The browser's path, or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


class DevToolsError(RuntimeError):
    pass


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def call(self, method, **params):
        return self.browser.call(method, params, self.session)

    def evaluate(self, expression):
        """The value of a JavaScript expression (awaited if it is a promise)."""
        got = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in got:
            raise DevToolsError(f"{expression}: {got['exceptionDetails']}")
        return got["result"].get("value")

    def key(self, key, code=None, text=None):
        """A key pressed and released: "ArrowRight", " ", "b"."""
        params = {"key": key, "code": code or key}
        if text:
            params["text"] = text
        self.call("Input.dispatchKeyEvent", type="keyDown", **params)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code or key)

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)

    def screenshot(self, path, width, height):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        shot = self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))


class Browser:
    def __init__(self, width=1400, height=900, timeout=60):
        self.path = chromium()
        self.width, self.height, self.timeout = width, height, timeout
        self.next_id = 0
        self.events = []  # (method, params, session) not yet looked at
        self.buffer = b""

    def __enter__(self):
        if not self.path:
            return None
        self.profile = tempfile.mkdtemp(prefix="asyncdemo-chromium-")
        # Above 4, so that putting them at 3 and 4 in the child overwrites neither.
        to_chrome_r, self.to_chrome, self.from_chrome, from_chrome_w = (
            self._high(fd) for fd in (*os.pipe(), *os.pipe()))
        args = [self.path, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--hide-scrollbars", "--disable-dev-shm-usage",
                # A tab made over the protocol is a background one: its timers
                # must run at full speed all the same (the replay's play).
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", f"--user-data-dir={self.profile}",
                f"--window-size={self.width},{self.height}"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")

        def descriptors():  # in the child: the pipes become 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.process = subprocess.Popen(args + ["about:blank"], preexec_fn=descriptors,
                                        close_fds=False, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return self

    @staticmethod
    def _high(fd):
        import fcntl
        high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return high

    def __exit__(self, *exc):
        try:
            self.call("Browser.close", {})
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self.to_chrome, self.from_chrome):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)
        return False

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise DevToolsError("chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise DevToolsError("chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            got = self._read(deadline)
            if got.get("id") == self.next_id:
                if "error" in got:
                    raise DevToolsError(f"{method}: {got['error']}")
                return got.get("result", {})
            if "method" in got:
                self.events.append((got["method"], got.get("params", {}), got.get("sessionId")))

    def wait_for(self, method, session=None):
        """The first event of that name (already come, or to come)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, (m, params, s) in enumerate(self.events):
                if m == method and (session is None or s == session):
                    del self.events[i]
                    return params
            got = self._read(deadline)
            if "method" in got:
                self.events.append((got["method"], got.get("params", {}), got.get("sessionId")))

    def open(self, url, width=None, height=None):
        """A new tab at url, loaded. Its load time (ms) is page.load_ms."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        page = Page(self, session)
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Network.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=width or self.width,
                  height=height or self.height, deviceScaleFactor=1, mobile=False)
        started = time.monotonic()
        page.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", session)
        page.load_ms = (time.monotonic() - started) * 1000
        return page

    def requests(self, session):
        """The URLs the tab asked for so far."""
        urls = [p["request"]["url"] for m, p, s in self.events
                if m == "Network.requestWillBeSent" and s == session]
        self.events = [e for e in self.events
                       if not (e[0] == "Network.requestWillBeSent" and e[2] == session)]
        return urls

    def errors(self, session):
        """What the tab's scripts threw, or logged as errors, so far."""
        out = []
        for m, p, s in self.events:
            if s != session:
                continue
            if m == "Runtime.exceptionThrown":
                out.append(str(p.get("exceptionDetails")))
            elif m == "Runtime.consoleAPICalled" and p.get("type") == "error":
                out.append(str(p.get("args")))
        return out
