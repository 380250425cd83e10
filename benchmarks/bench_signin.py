"""Sign-in while others save (issue 15, item 5), run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_signin.py            # 12 signing in, 8 saving, 30 s
    .venv/bin/python benchmarks/bench_signin.py --quick    # 3 signing in, 2 saving, 3 s
    .venv/bin/python benchmarks/bench_signin.py --signers 6 --savers 4 --seconds 10

A fresh SQLite store in a temporary folder, with synthetic staff whose passwords are
hashed with the production argon2id parameters (``calllog.passwords``, unchanged).
Separate processes (``multiprocessing`` *spawn*: each a fresh interpreter with its own
engine, like advisers' SSH sessions), released together by a barrier:

* signers: each signs in to its own account again and again through
  ``accounts.login``, one attempt in three with a wrong password (never enough in a
  row to lock the account; a right one resets the count);
* savers: each signs in once, then logs anonymous enquiries through
  ``enquiries.log_enquiry``, one every ``--pause`` seconds (0.1 s: 80 saves a second
  from 8 processes, far more than any helpline; with no pause at all SQLite's busy
  wait, which polls rather than queues, lets a save starve for seconds with no
  sign-in running).

Then a control phase, unless ``--no-control``: the same processes, but the signers
only run the argon2 verify (the same CPU load, no database). On a 2-core machine 12
processes hashing keep the CPU saturated, which slows saves on its own; the control
shows how much of the save latency is that, and how much sign-in adds on top.

Prints, per phase and kind: attempts done, errors (anything but the expected "wrong
password" refusal, e.g. ``database is locked``), and latency p50 / p95 / max.
Target: no error at all and the slowest save within 1 s (a save must not queue
behind a password hash: sign-in hashes outside the write transaction).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROFILE = "surrey-pwp"
PASSWORD = "gravel lantern orchid mosaic"  # noqa: S105 (synthetic staff)
WRONG = "not the right passphrase"
SAVE_TARGET_MS = 1000.0


@dataclass
class Tally:
    """What one process did: latencies in ms, and errors by type and first line."""

    kind: str
    times: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    refused: int = 0  # wrong passwords refused, as they should be
    lock_wait: list[float] = field(default_factory=list)  # BEGIN IMMEDIATE until granted
    lock_held: list[float] = field(default_factory=list)  # granted until commit/rollback


def _time_the_write_lock(tally: Tally) -> None:
    """Note, for this process's writes, how long each waited for SQLite's write lock
    and how long it then held it. Wraps ``calllog.db``'s BEGIN hook before any
    engine is made; the end is the engine's commit or rollback event."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from calllog import db

    begin = db._sqlite_on_begin

    def timed_begin(conn: Any) -> None:
        start = time.perf_counter()
        begin(conn)
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            granted = time.perf_counter()
            tally.lock_wait.append(1000 * (granted - start))
            conn.info["granted"] = granted

    def ended(conn: Any) -> None:
        granted = conn.info.pop("granted", None)
        if granted is not None:
            tally.lock_held.append(1000 * (time.perf_counter() - granted))

    db._sqlite_on_begin = timed_begin
    event.listen(Engine, "commit", ended)
    event.listen(Engine, "rollback", ended)


def _error_key(error: BaseException) -> str:
    # The benchmark's own synthetic data only; SQLite's messages name no person.
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}"[:120]


def _signer(url: str, username: str, seconds: float, hash_only: bool, barrier: Any,
            results: Any) -> None:
    """Sign in again and again (or, as the control, only check the password)."""
    from calllog import passwords
    from calllog.db import Store
    from calllog.services import accounts

    tally = Tally("hash" if hash_only else "sign-in")
    _time_the_write_lock(tally)
    try:
        store = Store(url, create=False)
        stored = _password_hash(store, username)
        barrier.wait(timeout=300)
        end = time.monotonic() + seconds
        attempt = 0
        while time.monotonic() < end:
            wrong = attempt % 3 == 2
            attempt += 1
            start = time.perf_counter()
            try:
                if hash_only:
                    accepted = passwords.verify(stored, WRONG if wrong else PASSWORD)
                else:
                    accounts.login(store, username, WRONG if wrong else PASSWORD)
                    accepted = True
            except accounts.LoginFailed:
                accepted = False
            except Exception as error:
                tally.errors[_error_key(error)] += 1
                accepted = not wrong  # counted once, as this error
            tally.times.append(1000 * (time.perf_counter() - start))
            if accepted == wrong:
                tally.errors["wrong password accepted" if wrong
                             else "right password refused"] += 1
            tally.refused += wrong and not accepted
        store.close()
    except BaseException as error:
        tally.errors[_error_key(error)] += 1
    results.put(tally)


def _password_hash(store: Any, username: str) -> str:
    from sqlmodel import select

    from calllog.models import Staff

    with store.read() as session:
        return str(session.exec(select(Staff.password_hash)
                                .where(Staff.username == username)).one())


def _saver(url: str, username: str, seconds: float, pause: float, barrier: Any,
           results: Any) -> None:
    """Sign in once, then log an anonymous enquiry every ``pause`` seconds."""
    from calllog.clock import utcnow
    from calllog.db import Store
    from calllog.profiles import load_profile
    from calllog.services import accounts
    from calllog.services.enquiries import NewEnquiry, log_enquiry

    tally = Tally("save")
    _time_the_write_lock(tally)
    try:
        store = Store(url, create=False)
        profile = load_profile(PROFILE)
        actor = accounts.login(store, username, PASSWORD)
        topic, outcome = profile.topics.items[0].code, profile.outcomes.items[0].code
        tally.lock_wait.clear()  # the one sign-in before the start does not count
        tally.lock_held.clear()
        barrier.wait(timeout=300)
        end = time.monotonic() + seconds
        n = 0
        while time.monotonic() < end:
            n += 1
            start = time.perf_counter()
            try:
                log_enquiry(store, actor, profile, NewEnquiry(
                    started_at=utcnow(), topics=(topic,), outcome=outcome,
                    notes=f"Synthetic benchmark call {n}."))
            except Exception as error:
                tally.errors[_error_key(error)] += 1
            tally.times.append(1000 * (time.perf_counter() - start))
            time.sleep(pause)
        store.close()
    except BaseException as error:
        tally.errors[_error_key(error)] += 1
    results.put(tally)


def set_up(folder: Path, signers: int, savers: int) -> str:
    """A new store with one administrator, ``signers`` advisers to sign in and
    ``savers`` advisers to save, all with production-strength hashes."""
    from datetime import date

    from calllog.db import Store
    from calllog.services import staff

    url = f"sqlite:///{folder / 'bench-signin.sqlite3'}"
    store = Store(url, create=True)
    admin = staff.initialise_service(store, profile_key=PROFILE, username="benchadmin",
                                     display_name="Bench Admin", password=PASSWORD)
    staff.record_dbs(store, admin, admin.username, date(2026, 1, 5), "BENCH-000000")
    for name in _names("signer", signers) + _names("saver", savers):
        staff.add_staff(store, admin, username=name, display_name=f"Synthetic {name.title()}",
                        role="adviser", password=PASSWORD, dbs_checked_on=date(2026, 1, 5),
                        dbs_reference=f"BENCH-{name}")
    store.close()
    return url


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n:02d}" for n in range(count)]


def run(url: str, signers: int, savers: int, seconds: float, pause: float,
        hash_only: bool) -> list[Tally]:
    """One phase: every process started, released together, their tallies."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(signers + savers)
    results = context.Queue()
    processes = [
        context.Process(target=_signer, args=(url, name, seconds, hash_only, barrier, results))
        for name in _names("signer", signers)
    ] + [
        context.Process(target=_saver, args=(url, name, seconds, pause, barrier, results))
        for name in _names("saver", savers)
    ]
    for process in processes:
        process.start()
    tallies: list[Tally] = []
    try:
        for _ in processes:
            tallies.append(results.get(timeout=seconds + 300))
    except queue.Empty:
        print("some processes never reported", file=sys.stderr)
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join(5)
    return tallies


def _row(phase: str, what: str, procs: int | str, times: list[float],
         errors: Counter[str] | None) -> None:
    ordered = sorted(times)
    count = "" if errors is None else sum(errors.values())
    row = f"{phase:<10} {what:<24} {procs:>5} {len(ordered):>6} {count:>6}"
    if ordered:
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        row += f" {statistics.median(ordered):>8.1f} {p95:>8.1f} {ordered[-1]:>8.1f}"
    print(row)
    for what_, n in (errors or Counter[str]()).most_common():
        print(f"    {n} x {what_}")


def report(phases: dict[str, list[Tally]], signers: int, savers: int) -> bool:
    """The table; True if the sign-in phase met the target."""
    print(f"\n{'phase':<10} {'measure':<24} {'procs':>5} {'done':>6} {'errors':>6} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    ok = True
    for phase, tallies in phases.items():
        first = "hash" if phase == "hash only" else "sign-in"
        for kind, procs in ((first, signers), ("save", savers)):
            mine = [t for t in tallies if t.kind == kind]
            times = [ms for t in mine for ms in t.times]
            errors = sum((t.errors for t in mine), Counter[str]())
            _row(phase, kind if kind == "hash" else f"{kind}: whole call", procs, times, errors)
            held = [ms for t in mine for ms in t.lock_held]
            if kind == "sign-in":
                _row(phase, "sign-in: write lock held", "", held, None)
            if kind == "save":
                _row(phase, "save: wait for write lock", "", [
                    ms for t in mine for ms in t.lock_wait], None)
            if phase == "sign-in":
                ok = ok and bool(times or not procs) and not errors and (
                    kind != "save" or max(times, default=0) <= SAVE_TARGET_MS)
    refused = sum(t.refused for tallies in phases.values() for t in tallies)
    print(f"\n(wrong passwords refused, as they should be: {refused})")
    print(f"target: 0 errors, slowest save <= {SAVE_TARGET_MS:.0f} ms: "
          f"{'ok' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signers", type=int, default=12, help="processes signing in")
    parser.add_argument("--savers", type=int, default=8, help="processes saving enquiries")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each phase runs")
    parser.add_argument("--pause", type=float, default=0.1,
                        help="seconds each saver waits between saves (default 0.1)")
    parser.add_argument("--no-control", action="store_true",
                        help="skip the control phase (signers only hashing)")
    parser.add_argument("--quick", action="store_true",
                        help="3 signing in, 2 saving, 3 s: a smoke check, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        args.signers, args.savers, args.seconds = 3, 2, 3.0
    from calllog import passwords

    h = passwords.hasher()
    print(f"{args.signers} processes signing in, {args.savers} saving enquiries (one every "
          f"{args.pause:g} s each), {args.seconds:g} s per phase; argon2id t={h.time_cost} "
          f"m={h.memory_cost // 1024} MiB p={h.parallelism}; {os.cpu_count()} CPUs")
    phases: dict[str, list[Tally]] = {}
    with tempfile.TemporaryDirectory(prefix="calllog-bench-") as tmp:
        url = set_up(Path(tmp), args.signers, args.savers)
        for phase, hash_only in (("sign-in", False), ("hash only", True)):
            if hash_only and args.no_control:
                continue
            phases[phase] = run(url, args.signers, args.savers, args.seconds, args.pause,
                                hash_only)
    report(phases, args.signers, args.savers)


if __name__ == "__main__":
    main()
