#!/usr/bin/env python3
"""Run a command in a real pseudo-terminal and type scripted keystrokes, as a person would.

Reads one JSON object on stdin:
  {"cmd": [...], "cwd": "...", "env": {...}, "steps": [{"expect": "text", "send": "keys"}, ...], "timeout": 60}
Each step waits until `expect` has appeared in the terminal output (ANSI escapes removed, searched after the
previous match), then types `send`. After the last step it reads until the program exits.
Prints one JSON object: {"code": exit status or null, "signal": signal number or null, "transcript": raw output,
"text": output without ANSI escapes, "error": why the script stopped early, or null}.
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def main():
    spec = json.load(sys.stdin)
    deadline = time.monotonic() + spec.get("timeout", 60)
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec["cwd"])
        os.execvpe(spec["cmd"][0], spec["cmd"], spec["env"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    raw = bytearray()
    error = None

    def read_some(wait):
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the program closed the terminal (it exited)
            return False
        if not chunk:
            return False
        raw.extend(chunk)
        return True

    def text():
        return ANSI.sub("", raw.decode("utf-8", "replace"))

    position = 0
    alive = True
    for step in spec.get("steps", []):
        expected = step.get("expect")
        while expected is not None and text().find(expected, position) < 0:
            if not alive or time.monotonic() > deadline:
                error = f"never saw {expected!r}"
                break
            alive = read_some(0.2)
        if error:
            break
        if expected is not None:
            position = text().find(expected, position) + len(expected)
        if "send" in step:
            os.write(fd, step["send"].encode("utf-8"))
    while alive and time.monotonic() < deadline:
        alive = read_some(0.2)
    if alive:
        os.kill(pid, signal.SIGKILL)
        error = error or "the program did not exit"
    _, status = os.waitpid(pid, 0)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    out = raw.decode("utf-8", "replace")
    json.dump({"code": code, "signal": sig, "transcript": out, "text": ANSI.sub("", out), "error": error}, sys.stdout)


if __name__ == "__main__":
    main()
