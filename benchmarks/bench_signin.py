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
  ``enquiries.log_enquiry`` as fast as it can.

Prints, per kind: attempts done, errors (anything but the expected "wrong password"
refusal, e.g. ``database is locked``), and latency p50 / p95 / max. Target: no error
at all and the slowest save within 1 s (a save must not queue behind a password
hash: sign-in hashes outside the write transaction).
"""

from __future__ import annotations

import argparse
import multiprocessing
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
PASSWORD = "synthetic benchmark passphrase"  # noqa: S105 (synthetic staff)
WRONG = "not the right passphrase"
SAVE_TARGET_MS = 1000.0


@dataclass
class Tally:
    """What one process did: latencies in ms, and errors by type and first line."""

    kind: str
    times: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    refused: int = 0  # wrong passwords refused, as they should be


def _error_key(error: BaseException) -> str:
    # The benchmark's own synthetic data only; SQLite's messages name no person.
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}"[:120]


def _signer(url: str, username: str, seconds: float, barrier: Any, results: Any) -> None:
    from calllog.db import Store
    from calllog.services import accounts

    tally = Tally("sign-in")
    try:
        store = Store(url, create=False)
        barrier.wait(timeout=300)
        end = time.monotonic() + seconds
        attempt = 0
        while time.monotonic() < end:
            wrong = attempt % 3 == 2
            attempt += 1
            start = time.perf_counter()
            try:
                accounts.login(store, username, WRONG if wrong else PASSWORD)
                if wrong:
                    tally.errors["wrong password accepted"] += 1
            except accounts.LoginFailed:
                if not wrong:
                    tally.errors["right password refused"] += 1
                else:
                    tally.refused += 1
            except Exception as error:
                tally.errors[_error_key(error)] += 1
            tally.times.append(1000 * (time.perf_counter() - start))
        store.close()
    except BaseException as error:
        tally.errors[_error_key(error)] += 1
    results.put(tally)


def _saver(url: str, username: str, seconds: float, barrier: Any, results: Any) -> None:
    from calllog.clock import utcnow
    from calllog.db import Store
    from calllog.profiles import load_profile
    from calllog.services import accounts
    from calllog.services.enquiries import NewEnquiry, log_enquiry

    tally = Tally("save")
    try:
        store = Store(url, create=False)
        profile = load_profile(PROFILE)
        actor = accounts.login(store, username, PASSWORD)
        topic, outcome = profile.topics.items[0].code, profile.outcomes.items[0].code
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


def run(signers: int, savers: int, seconds: float) -> list[Tally]:
    with tempfile.TemporaryDirectory(prefix="calllog-bench-") as tmp:
        url = set_up(Path(tmp), signers, savers)
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(signers + savers)
        results = context.Queue()
        processes = [
            context.Process(target=_signer, args=(url, name, seconds, barrier, results))
            for name in _names("signer", signers)
        ] + [
            context.Process(target=_saver, args=(url, name, seconds, barrier, results))
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


def report(tallies: list[Tally], signers: int, savers: int, seconds: float) -> bool:
    from calllog import passwords

    h = passwords.hasher()
    print(f"\n{signers} processes signing in, {savers} saving enquiries, {seconds:g} s; "
          f"argon2id t={h.time_cost} m={h.memory_cost // 1024} MiB p={h.parallelism}")
    print(f"\n{'kind':<8} {'procs':>5} {'done':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8}")
    ok = True
    for kind, procs in (("sign-in", signers), ("save", savers)):
        mine = [t for t in tallies if t.kind == kind]
        times = sorted(ms for t in mine for ms in t.times)
        errors = sum((t.errors for t in mine), Counter[str]())
        if not times:
            print(f"{kind:<8} {procs:>5} {0:>6} {sum(errors.values()):>6}")
            ok = False
            continue
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{kind:<8} {procs:>5} {len(times):>6} {sum(errors.values()):>6} {p50:>8.1f} "
              f"{p95:>8.1f} {times[-1]:>8.1f}")
        for what, count in errors.most_common():
            print(f"    {count} x {what}")
        ok = ok and not errors and (kind != "save" or times[-1] <= SAVE_TARGET_MS)
    refused = sum(t.refused for t in tallies)
    print(f"\n(wrong passwords refused, as expected: {refused})")
    print(f"target: 0 errors, slowest save <= {SAVE_TARGET_MS:.0f} ms: "
          f"{'ok' if ok else 'MISSED'}")
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signers", type=int, default=12, help="processes signing in")
    parser.add_argument("--savers", type=int, default=8, help="processes saving enquiries")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they run")
    parser.add_argument("--quick", action="store_true",
                        help="3 signing in, 2 saving, 3 s: a smoke check, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        args.signers, args.savers, args.seconds = 3, 2, 3.0
    tallies = run(args.signers, args.savers, args.seconds)
    report(tallies, args.signers, args.savers, args.seconds)


if __name__ == "__main__":
    main()
