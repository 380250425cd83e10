"""Helpers for driving calllog as a real process in a real terminal.

* :class:`PtyApp`: calllog in a pseudo-terminal of its own (it is the session
  leader with the terminal as its controlling terminal, as under sshd). Gives the
  exit status and exact timing; the test can stop reading (a stuck terminal) or
  close the terminal (what sshd does when the connection drops).
* :class:`Tmux`: a private tmux server (its own socket, no user config) for what
  the screen shows, keys, resizing and, for the SSH tests, an ``ssh`` client.

Nothing here kills a process it did not start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b."
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require(ok: bool, why: str) -> None:
    """Skip with the reason on a workstation; fail loudly in CI (``.ci/run`` installs
    the system packages these tests need)."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{why} (CI must provide it: see .ci/run)")
    pytest.skip(why)


def app_env(term: str = "xterm-256color", **extra: str) -> dict[str, str]:
    """A small, explicit environment for calllog started by a test."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "TERM": term,
        "PYTHONPATH": str(REPO),  # the checkout, installed or not
    }
    env.update(extra)
    return env


def calllog_argv(*args: str) -> list[str]:
    return [PYTHON, "-m", "calllog.cli", *args]


def plain(data: bytes | str) -> str:
    """Terminal output without escape sequences (for "is this text there")."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return _ESCAPES.sub("", text)


def wait_until(check: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- a bare pseudo-terminal ---------------------------------------------------------------


class PtyApp:
    """A program in its own pseudo-terminal, its output read in a thread."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], *, size: tuple[int, int] = (80, 24)
    ) -> None:
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: become the program, or fail loudly
            try:
                os.chdir(REPO)
                os.execve(argv[0], list(argv), dict(env))  # noqa: S606
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.arrivals: list[tuple[int, float]] = []  # (len(output) after a read, when)
        self.status: int | None = None
        self._reading = threading.Event()
        self._reading.set()
        self._closed = False
        self.resize(*size)
        self._reader = threading.Thread(target=self._read, daemon=True, name="pty-reader")
        self._reader.start()

    def _read(self) -> None:
        while not self._closed:
            if not self._reading.wait(0.05):
                continue
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if ready:
                    chunk = os.read(self.fd, 65536)
                    if not chunk:
                        return
                    self.output.extend(chunk)
                    self.arrivals.append((len(self.output), time.monotonic()))
            except (OSError, ValueError):  # the terminal is closed, or the program gone
                return

    # the keyboard and the window

    def send(self, text: str, pause: float = 0.2) -> None:
        os.write(self.fd, text.encode("utf-8"))
        time.sleep(pause)

    def type(self, text: str, pause: float = 0.2) -> None:
        """A few characters at a time, as a person types (not a paste)."""
        for start in range(0, len(text), 4):
            os.write(self.fd, text[start : start + 4].encode("utf-8"))
            time.sleep(0.01)
        time.sleep(pause)

    def resize(self, columns: int, lines: int) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    def shown(self) -> str:
        return plain(bytes(self.output))

    def wait_for(self, text: str, timeout: float = 15.0, *, since: int = 0) -> None:
        wait_until(lambda: text in plain(bytes(self.output[since:])), timeout,
                   f"{text!r} on the terminal; it shows: {self.shown()[-400:]!r}")

    # what a dropped or stuck connection looks like

    def stop_reading(self) -> None:
        self._reading.clear()

    def close_terminal(self) -> None:
        """Close our side of the terminal, as sshd does when the connection drops:
        the kernel hangs up the terminal and sends SIGHUP."""
        self._closed = True
        with contextlib.suppress(OSError):
            os.close(self.fd)

    # the process

    def alive(self) -> bool:
        return self.poll() is None

    def poll(self) -> int | None:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def wait(self, timeout: float) -> int | None:
        """The exit code (negative: killed by that signal), or None if still running."""
        end = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < end:
            time.sleep(0.005)
        return self.status

    def signal_and_time(self, signum: int, timeout: float = 5.0) -> tuple[int | None, float]:
        """Send ``signum``; return (exit code, seconds until the process was gone)."""
        sent = time.monotonic()
        os.kill(self.pid, signum)
        code = self.wait(timeout)
        return code, time.monotonic() - sent

    def close(self) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait(5)
        self._closed = True
        with contextlib.suppress(OSError):
            os.close(self.fd)


@contextlib.contextmanager
def pty_app(
    argv: Sequence[str], env: Mapping[str, str], *, size: tuple[int, int] = (80, 24)
) -> Iterator[PtyApp]:
    app = PtyApp(argv, env, size=size)
    try:
        yield app
    finally:
        app.close()


# --- tmux ------------------------------------------------------------------------------


class Tmux:
    """A private tmux server: its own socket and configuration, killed at close."""

    def __init__(self) -> None:
        # A short path: unix socket paths are limited to about 100 bytes.
        self.dir = Path(tempfile.mkdtemp(prefix="calllog-tmux-"))
        self.socket = self.dir / "s"
        self.conf = self.dir / "tmux.conf"
        self.conf.write_text("set -g remain-on-exit on\nset -g history-limit 1000\n"
                             "set -g default-terminal screen\n")

    def __call__(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", str(self.conf), *args],
            capture_output=True, text=True, timeout=15, check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(
        self, argv: Sequence[str], env: Mapping[str, str], *, name: str = "main",
        width: int = 80, height: int = 24,
    ) -> None:
        """Run ``argv`` (exec'd: it is the pane's process) with exactly ``env``."""
        assignments = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
        command = f"cd {shlex.quote(str(REPO))} && exec env -i {assignments} {shlex.join(argv)}"
        self("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)

    def capture(self, name: str = "main", *, escapes: bool = False) -> str:
        return self("capture-pane", "-p", *(["-e"] if escapes else []), "-t", name)

    def wait_for(self, text: str, name: str = "main", timeout: float = 15.0) -> str:
        shown = ""

        def there() -> bool:
            nonlocal shown
            shown = self.capture(name)
            return text in shown

        try:
            wait_until(there, timeout, f"{text!r} in tmux", step=0.1)
        except AssertionError:
            raise AssertionError(f"{text!r} never appeared; the pane shows:\n{shown}") from None
        return shown

    def type(self, text: str, name: str = "main", pause: float = 0.25) -> None:
        self("send-keys", "-t", name, "-l", text)
        time.sleep(pause)

    def keys(self, *keys: str, name: str = "main", pause: float = 0.25) -> None:
        for key in keys:
            self("send-keys", "-t", name, key)
            time.sleep(pause)

    def resize(self, width: int, height: int, name: str = "main") -> None:
        self("resize-window", "-t", name, "-x", str(width), "-y", str(height))
        time.sleep(0.4)

    def pane_pid(self, name: str = "main") -> int:
        return int(self("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def pane_dead(self, name: str = "main") -> bool:
        return self("display-message", "-p", "-t", name, "#{pane_dead}").strip() == "1"

    def record(self, path: Path, name: str = "main") -> None:
        """Append every byte the pane's program writes to ``path``."""
        self("pipe-pane", "-o", "-t", name, f"cat >> {shlex.quote(str(path))}")

    def close(self) -> None:
        self("kill-server", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


# --- processes ------------------------------------------------------------------------


def pids_with_environ(marker: str) -> list[int]:
    """Processes whose environment contains ``marker`` (e.g. a test's database path)."""
    needle = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes() and not is_zombie(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def gone(pid: int) -> bool:
    return is_zombie(pid)


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.decode("utf-8", "replace").partition("=") for item in raw.split(b"\0") if item)
    return {key: value for key, _, value in pairs}
