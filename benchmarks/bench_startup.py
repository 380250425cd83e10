"""Start-up and login timings for calllog, run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_startup.py          # 10 runs of each measurement
    .venv/bin/python benchmarks/bench_startup.py --runs 20
    .venv/bin/python benchmarks/bench_startup.py --quick  # 1 run of each, a smoke check

1. The real console entry point (``calllog --db DEMO``) in a pseudo-terminal (80x24,
   TERM=xterm-256color): time from process start until the login screen shows
   "Username" (first paint) and the service name (ready: the database is open).
2. The same for a bare Textual app showing one Input (``bench_bare_input_app.py``, run
   with the venv's python directly), until its placeholder shows.
3. The ratio calllog / bare for both (target: at most 1.3).
4. Login with the real argon2 parameters: in-process with ``run_test()``, from
   pressing enter in the password field until HomeScreen is the active screen; and
   the raw ``calllog.services.accounts.login()`` call.

Every read has a timeout; every child is started in its own session and its whole
process group is killed afterwards, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import codecs
import contextlib
import errno
import fcntl
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
COLUMNS, ROWS = 80, 24
TERM = "xterm-256color"
SERVICE_NAME = "Partnership with Parents"
FIRST_PAINT_TEXT = "Username"
LOGIN_USER = "supervisor"
RATIO_TARGET = 1.3
DEFAULT_RUNS = 10
QUICK_RUNS = 1
DEFAULT_TIMEOUT = 30.0
LABEL = 44

# CSI, OSC, DCS/SOS/PM/APC strings, charset designations and other two-byte escapes.
ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[PX^_][^\x1b]*\x1b\\"
    r"|\x1b[()*+][0-~]"
    r"|\x1b[ -/]*[0-~]"
    r"|[\x00-\x08\x0b-\x1f\x7f]"
)


class BenchError(Exception):
    """A run that did not reach what it waited for."""


def strip_ansi(text: str) -> str:
    return ANSI_RE.sub("", text)


def venv_python() -> Path:
    candidate = ROOT / ".venv" / "bin" / "python"
    return candidate if candidate.exists() else Path(sys.executable)


def calllog_command() -> tuple[list[str], str]:
    """The console entry point, or (when the package is not installed, only on the
    path) exactly what its generated wrapper runs."""
    script = venv_python().parent / "calllog"
    if script.exists():
        return [str(script)], str(script.relative_to(ROOT)) if script.is_relative_to(ROOT) \
            else str(script)
    wrapper = "import sys; from calllog.cli import main; sys.exit(main())"
    return (
        [str(venv_python()), "-c", wrapper],
        "python -c 'from calllog.cli import main' (no console script in the venv)",
    )


def child_env() -> dict[str, str]:
    """A clean environment: no TEXTUAL_* or CALLLOG_* variables, no COLORTERM (SSH)."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "USER", "LOGNAME", "TMPDIR")
           if key in os.environ}
    env["LANG"] = os.environ.get("LANG", "C.UTF-8") or "C.UTF-8"
    env["TERM"] = TERM
    return env


# --- pseudo-terminal -------------------------------------------------------------------


def _take_terminal() -> None:
    """In the child, after setsid: make the pty (already fd 0) its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class PtyChild:
    """A command in its own session on a fresh pty; read with ``wait_for``."""

    argv: Sequence[str]
    cwd: Path
    env: dict[str, str]
    started: float = 0.0
    text: str = ""
    _decoded: str = ""
    _last_read: float = 0.0
    _master: int = -1
    _proc: subprocess.Popen[bytes] | None = None
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")(errors="replace")
    )

    def __enter__(self) -> PtyChild:
        master, slave = pty.openpty()
        self._master = master
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            self.started = time.perf_counter()
            self._proc = subprocess.Popen(
                list(self.argv), stdin=slave, stdout=slave, stderr=slave, cwd=self.cwd,
                env=self.env, start_new_session=True, preexec_fn=_take_terminal,
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def wait_for(self, needles: Sequence[str], timeout: float) -> dict[str, float]:
        """Seconds from process start until each needle first appears on screen."""
        assert self._proc is not None
        seen: dict[str, float] = {}
        deadline = time.perf_counter() + timeout
        while True:
            for needle in needles:
                if needle not in seen and needle in self.text:
                    seen[needle] = self._last_read - self.started
            if len(seen) == len(needles):
                return seen
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                missing = [n for n in needles if n not in seen]
                raise BenchError(f"timed out after {timeout:g} s waiting for {missing}; "
                                 f"screen text so far: {self.tail()!r}")
            ready, _, _ = select.select([self._master], [], [], min(remaining, 0.25))
            if not ready:
                if self._proc.poll() is not None:
                    raise BenchError(f"{self.argv[0]} exited ({self._proc.returncode}) "
                                     f"before showing {needles}: {self.tail()!r}")
                continue
            self._last_read = time.perf_counter()
            chunk = self._read()
            if not chunk:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=1)
                raise BenchError(f"{self.argv[0]} closed the terminal "
                                 f"({self._proc.returncode}) before showing {needles}: "
                                 f"{self.tail()!r}")
            self._decoded += self._decoder.decode(chunk)
            self.text = strip_ansi(self._decoded)

    def _read(self) -> bytes:
        try:
            return os.read(self._master, 65536)
        except OSError as error:  # EIO: every slave end is closed (the child has gone)
            if error.errno == errno.EIO:
                return b""
            raise

    def tail(self, chars: int = 300) -> str:
        return " ".join(self.text.split())[-chars:]

    def kill(self) -> None:
        """Kill the whole process group, reap the child, close the pty. Never raises."""
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                print(f"warning: process {proc.pid} did not die", file=sys.stderr)
            self._proc = None
        if self._master >= 0:
            os.close(self._master)
            self._master = -1


# --- measurements ------------------------------------------------------------------------


@dataclass
class Series:
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def time_calllog(command: list[str], db: Path, timeout: float) -> tuple[float, float]:
    with PtyChild([*command, "--db", str(db)], ROOT, child_env()) as child:
        seen = child.wait_for([FIRST_PAINT_TEXT, SERVICE_NAME], timeout)
    return seen[FIRST_PAINT_TEXT], seen[SERVICE_NAME]


def time_bare(placeholder: str, timeout: float) -> float:
    argv = [str(venv_python()), str(BENCH_DIR / "bench_bare_input_app.py")]
    with PtyChild(argv, ROOT, child_env()) as child:
        seen = child.wait_for([placeholder], timeout)
    return seen[placeholder]


def make_demo_db(command: list[str], directory: Path, timeout: float) -> Path:
    db = directory / "demo.sqlite3"
    result = subprocess.run(
        [*command, "demo", "--no-start", "--db", str(db)], cwd=ROOT, env=child_env(),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout * 4,
        check=False,
    )
    if result.returncode != 0 or not db.exists():
        raise BenchError(f"could not create the demo database: {result.stderr.strip()}")
    return db


async def _one_app_login(url: str, password: str, timeout: float) -> float:
    from textual.pilot import Pilot
    from textual.widgets import Input

    from screens.app import CalllogApp
    from screens.session.home import HomeScreen
    from tests.apphelpers import settle

    app = CalllogApp(url)
    try:
        async with app.run_test(size=(COLUMNS, ROWS)) as pilot:
            await asyncio.wait_for(app.store_ready.wait(), timeout)
            await settle(cast(Pilot[Any], pilot))
            username = app.focused
            if not (isinstance(username, Input) and username.id == "username"):
                raise BenchError(f"the login screen did not focus the username: {username}")
            username.value = LOGIN_USER
            await pilot.press("enter")
            field_ = app.focused
            if not (isinstance(field_, Input) and field_.id == "password"):
                raise BenchError(f"enter did not move to the password field: {field_}")
            field_.value = password
            await pilot.pause()
            # simulate_key posts the key and returns; pilot.press would wait for the
            # process to go idle, and argon2 keeps it busy.
            started = time.perf_counter()
            app.simulate_key("enter")
            while not isinstance(app.screen, HomeScreen):
                if time.perf_counter() - started > timeout:
                    raise BenchError(f"no home screen {timeout:.0f} s after enter "
                                     f"(screen: {type(app.screen).__name__})")
                await pilot.pause(0.005)
            elapsed = time.perf_counter() - started
            if app.actor is None or app.actor.username != LOGIN_USER:
                raise BenchError(f"signed in as {app.actor}, expected {LOGIN_USER}")
            # Let start_session finish (it drops the login stack after the switch)
            # before run_test shuts the app down.
            await settle(cast(Pilot[Any], pilot))
    finally:
        if app.store is not None:
            app.store.close()
    return elapsed


def time_app_logins(url: str, runs: int, timeout: float) -> Series:
    from calllog.demo_accounts import DEMO_ACCOUNTS

    password = next(a.password for a in DEMO_ACCOUNTS if a.username == LOGIN_USER)
    series = Series()
    # warm-up: imports, caches
    asyncio.run(asyncio.wait_for(_one_app_login(url, password, timeout), timeout * 3))
    for _ in range(runs):
        series.values.append(asyncio.run(
            asyncio.wait_for(_one_app_login(url, password, timeout), timeout * 3)))
    return series


def time_raw_logins(url: str, runs: int) -> tuple[Series, Series, str]:
    from sqlmodel import select

    from calllog import passwords
    from calllog.db import Store
    from calllog.demo_accounts import DEMO_ACCOUNTS
    from calllog.models import Staff
    from calllog.services import accounts

    password = next(a.password for a in DEMO_ACCOUNTS if a.username == LOGIN_USER)
    hasher = passwords.hasher()
    params = (f"argon2id t={hasher.time_cost} m={hasher.memory_cost // 1024} MiB "
              f"p={hasher.parallelism}")
    store = Store(url, create=False)
    try:
        with store.read() as session:
            staff = session.exec(select(Staff).where(Staff.username == LOGIN_USER)).one()
            password_hash = staff.password_hash
        if passwords.needs_rehash(password_hash):
            raise BenchError("the demo hashes do not use the default argon2 parameters")
        login, verify = Series(), Series()
        accounts.login(store, LOGIN_USER, password)  # warm-up
        for _ in range(runs):
            started = time.perf_counter()
            accounts.login(store, LOGIN_USER, password)
            login.values.append(time.perf_counter() - started)
            started = time.perf_counter()
            if not passwords.verify(password_hash, password):
                raise BenchError("the demo password did not verify")
            verify.values.append(time.perf_counter() - started)
    finally:
        store.close()
    return login, verify, params


# --- report ------------------------------------------------------------------------------


def _interleaved(runs: int, *jobs: Callable[[], None]) -> None:
    """A warm-up of each, then ``runs`` rounds, the order reversed every other round
    (ABBA): whatever the previous process leaves behind (its exit, caches) falls on
    each job equally."""
    for job in jobs:  # warm-up: page cache, __pycache__
        job()
    for round_ in range(runs):
        for job in jobs if round_ % 2 == 0 else tuple(reversed(jobs)):
            job()


def _row(label: str, series: Series | None = None, target: str = "-", note: str = "") -> str:
    if series is None:
        return f"  {label:<{LABEL}}{'':>9}{'':>9}{'':>9}  {target:<10}{note}".rstrip()
    return (f"  {label:<{LABEL}}{series.median * 1000:>7.0f}ms{series.low * 1000:>7.0f}ms"
            f"{series.high * 1000:>7.0f}ms  {target:<10}{note}").rstrip()


def _ratio_row(label: str, ratio: float) -> str:
    verdict = "ok" if ratio <= RATIO_TARGET else "MISSED"
    return f"  {label:<{LABEL}}{ratio:>9.2f}{'':>18}  {'≤ ' + str(RATIO_TARGET):<10}{verdict}"


def _pairwise_row(label: str, series: Series, bare: Series) -> str:
    """The median of each round's own ratio (the two runs of a round are side by
    side), which a slow spell of the machine affects less than the medians' ratio."""
    ratios = Series([a / b for a, b in zip(series.values, bare.values, strict=True)])
    return (f"  {label:<{LABEL}}{ratios.median:>9.2f}{ratios.low:>9.2f}{ratios.high:>9.2f}"
            f"  {'(reference)':<10}")


def machine() -> str:
    import textual

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cpus = f"{os.cpu_count()} CPUs" + (f" ({affinity} usable)"
                                        if affinity and affinity != os.cpu_count() else "")
    return (f"{platform.python_implementation()} {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}, {cpus}, "
            f"Textual {getattr(textual, '__version__', '?')}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help=f"timed runs of each measurement (default {DEFAULT_RUNS})")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_RUNS} run of each after the warm-up: a smoke check, "
                             "not a measurement")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds to wait for any one screen (default {DEFAULT_TIMEOUT:.0f})")
    parser.add_argument("--skip-login", action="store_true", help="only the start-up timings")
    args = parser.parse_args(argv)
    runs = QUICK_RUNS if args.quick else args.runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.bench_bare_input_app import PLACEHOLDER

    command, command_label = calllog_command()
    tmp = Path(tempfile.mkdtemp(prefix="calllog-bench-"))
    try:
        print(f"Creating a demo database in {tmp} …", file=sys.stderr, flush=True)
        db = make_demo_db(command, tmp, args.timeout)
        paint, ready, bare = Series(), Series(), Series()

        def calllog_run() -> None:
            first, done = time_calllog(command, db, args.timeout)
            paint.values.append(first)
            ready.values.append(done)

        def bare_run() -> None:
            bare.values.append(time_bare(PLACEHOLDER, args.timeout))

        print(f"Start-up: 1 warm-up + {runs} runs of each, interleaved (ABBA) …",
              file=sys.stderr, flush=True)
        _interleaved(runs, calllog_run, bare_run)
        for series in (paint, ready, bare):
            del series.values[0]  # the warm-up
        app_login = raw_login = verify = None
        params = ""
        if not args.skip_login:
            print(f"Login: 1 warm-up + {runs} runs (real argon2) …", file=sys.stderr,
                  flush=True)
            url = f"sqlite:///{db}"
            raw_login, verify, params = time_raw_logins(url, runs)
            app_login = time_app_logins(url, runs, args.timeout)
    except BenchError as error:
        print(f"startup benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    lines = [
        "",
        f"calllog start-up and login ({runs} runs each after a warm-up; "
        f"pty {COLUMNS}x{ROWS}, TERM={TERM})",
        f"machine: {machine()}",
        f"calllog started as: {command_label} --db DEMO",
        "",
        f"  {'measure':<{LABEL}}{'median':>9}{'min':>9}{'max':>9}  target",
        f"  {'-' * (LABEL + 27)}  {'-' * 16}",
        _row("calllog: start → first paint", paint, note=f'"{FIRST_PAINT_TEXT}" shown'),
        _row("calllog: start → ready", ready, note=f'"{SERVICE_NAME}" shown'),
        _row("bare Input app: start → first paint = ready", bare, note="placeholder shown"),
        _ratio_row("ratio calllog/bare, first paint", paint.median / bare.median),
        _ratio_row("ratio calllog/bare, ready", ready.median / bare.median),
        _pairwise_row("  same, median of each round's ratio", ready, bare),
    ]
    if app_login and raw_login and verify:
        lines.append(f"  {'-' * (LABEL + 27)}  {'-' * 16}")
        lines += [
            _row("login: enter → HomeScreen active (run_test)", app_login),
            _row("login: accounts.login() raw call", raw_login),
            _row("  of which: argon2 verify alone", verify, note=params),
            "",
            "  Times are from just before the process is spawned; the login rows use",
            "  the real default hasher on the demo database (no test parameters).",
        ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
