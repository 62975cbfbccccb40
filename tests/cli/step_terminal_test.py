#!/usr/bin/env python3
"""--step at a terminal: one key a command, the terminal given back.

    step_terminal_test.py ASYNCDEMO

Runs `asyncdemo breakfast --step --clock=virtual` on a pseudo-terminal (its
controlling terminal, as a shell's would be) and presses keys: space and
Enter step, b steps back, an unknown key is explained, c runs to the end,
keys typed ahead are taken one by one, a key after Ctrl-Z and fg is still
one, q quits with nothing more printed,
Ctrl-C interrupts (exit 130). The terminal is in key mode from the first
frame to the last (a key pressed while a frame prints is not echoed);
after each the terminal must be back in its usual mode (canonical, echoing). Exits 0
when all is well, 1 otherwise.
"""
import os
import pty
import select
import signal
import sys
import termios
import time

failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


class Session:
    def __init__(self, binary, *args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the terminal is its stdin, stdout and stderr
            os.environ["COLUMNS"] = "80"
            os.execv(binary, [binary, *args])
        self.out = b""

    def until(self, text, timeout=10):
        """Reads until `text` has appeared `count` times in all."""
        deadline = time.monotonic() + timeout
        want = text.encode()
        while want not in self.out:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{text!r} never came; got {self.out[-600:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child is gone
                    chunk = b""
                if not chunk:
                    raise TimeoutError(f"{text!r} never came before the end; got {self.out[-600:]!r}")
                self.out += chunk

    def press(self, key, then):
        """Presses a key once the prompt is up, and reads until `then`."""
        self.out = b""
        os.write(self.fd, key)
        self.until(then)

    def canonical(self):
        lflag = termios.tcgetattr(self.fd)[3]
        return bool(lflag & termios.ICANON) and bool(lflag & termios.ECHO)

    def end(self, timeout=10):
        """The exit status, once the rest of the output is read."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                self.out += chunk
                if not chunk:
                    break
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def main():
    binary = sys.argv[1]
    prompt = "Enter or space: next · b: back · c: to the end · q: quit› "

    s = Session(binary, "breakfast", "--step", "--clock=virtual")
    s.until("iteration 1 of 10")
    check(not s.canonical(), "from the first frame on, the terminal is in key mode")
    s.until(prompt)
    check(not s.canonical(), "while it waits for a key, the terminal is in key mode")
    s.press(b" ", "iteration 2 of 10")
    check(b"\r\x1b[2K" in s.out, "the prompt is wiped before the next frame")
    check("› next".encode() not in s.out, "keys are not echoed as lines")
    s.until(prompt)
    s.press(b"b", "iteration 1 of 10")
    s.until(prompt)
    s.press(b"\r", "iteration 2 of 10")
    s.until(prompt)
    s.press(b"x", "'x' is not a command")
    s.until(prompt)
    # Two keys typed at once (a key held down): each is a command of its own.
    s.press(b"  ", "iteration 4 of 10")
    check(b"iteration 3 of 10" in s.out and b"not a command" not in s.out,
          f"two spaces at once: {s.out[-300:]!r}")
    s.until(prompt)
    # Stopped and continued (Ctrl-Z, fg) with the shell's mode put back
    # meanwhile: a key is still a command, without Enter.
    os.kill(s.pid, signal.SIGSTOP)
    os.waitpid(s.pid, os.WUNTRACED)
    mode = termios.tcgetattr(s.fd)
    mode[3] |= termios.ICANON | termios.ECHO
    termios.tcsetattr(s.fd, termios.TCSANOW, mode)
    os.kill(s.pid, signal.SIGCONT)
    s.press(b" ", "iteration 5 of 10")
    check(not s.canonical(), "after fg, the terminal is in key mode again")
    s.until(prompt)
    s.press(b"c", "the rest of the run:")
    status = s.end()
    check(s.canonical(), "after c the terminal is given back")
    check(status == 0, f"c: exit {status}")
    check(b"6.000 s on the virtual clock" in s.out, f"c: no summary: {s.out[-300:]!r}")

    s = Session(binary, "breakfast", "--step", "--clock=virtual")
    s.until(prompt)
    s.press(b"q", "\r\x1b[2K")
    status = s.end()
    check(status == 0, f"q: exit {status}")
    check(s.canonical(), "after q the terminal is given back")
    check(b"faster than sync" not in s.out, f"q: printed on: {s.out!r}")

    s = Session(binary, "breakfast", "--step", "--clock=virtual")
    s.until(prompt)
    os.write(s.fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT
    status = s.end()
    check(status == 130, f"Ctrl-C: exit {status}, expected 130")
    check(b"faster than sync" not in s.out, f"Ctrl-C: printed on: {s.out[-300:]!r}")
    try:
        check(s.canonical(), "after Ctrl-C the terminal is given back")
    except termios.error:
        pass  # the terminal went with the process

    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("--step at a terminal: keys, back, c, q and Ctrl-C work")
    return 0


if __name__ == "__main__":
    sys.exit(main())
