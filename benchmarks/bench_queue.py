"""The supervisors' call queue (OPS2) at scale, run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_generate.py  # once: benchmarks/out/bench.db
    .venv/bin/python benchmarks/bench_queue.py     # 7 rounds of everything
    .venv/bin/python benchmarks/bench_queue.py --db /tmp/small.db --rounds 3 --no-screen
    .venv/bin/python benchmarks/bench_queue.py --quick    # a tiny database, one round

Opens the synthetic database (1M enquiries, 200k families) through
``calllog.db.Store``, which adds the queue's indexes (migration 0004) to a database
made before them. If no family has an unreviewed safeguarding override, it adds
``--overrides`` of them (synthetic rows, reason "synthetic (benchmark)") to families
with open enquiries, so the safeguarding group at the top of the queue is real.

Measures, as a supervisor, through the service layer (``QueueReader``):

* open: a new reader for the default query (every open enquiry, priority order)
  and its first page;
* filter: a new reader for each filter and its first page;
* sort: a new reader for each sort (and direction) and its first page;
* page down: the next page by keyset, 30 pages in a row from the top, and 30
  pages from 50,000 rows down;

and through the real screen (``App.run_test``, 80x24): opening the queue from home
until its first rows are on screen, a screenful down (the page-down key's action,
including any page read it triggers), and a new filter. Prints medians of
``--rounds`` runs (after one untimed warm-up) against the targets, and the
process's peak resident memory (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from calllog.clock import today as local_today  # noqa: E402
from calllog.db import Store  # noqa: E402
from calllog.profiles import Profile, load_profile  # noqa: E402
from calllog.roles import Actor  # noqa: E402
from calllog.services import queue, settings  # noqa: E402
from calllog.services.queue import (  # noqa: E402
    UNASSIGNED,
    Callback,
    QueueFilter,
    QueueQuery,
    QueueReader,
    SortKey,
)

DEFAULT_DB = ROOT / "benchmarks" / "out" / "bench.db"
TARGETS = {"open": 300.0, "filter": 150.0, "sort": 150.0, "page": 50.0}
RSS_TARGET_MIB = 150.0


@dataclass
class Result:
    what: str
    layer: str
    target: str
    times: list[float] = field(default_factory=list)
    note: str = ""

    def add(self, ms: float) -> None:
        self.times.append(ms)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return 1000 * (time.perf_counter() - start), value


def supervisor(store: Store) -> Actor:
    from sqlmodel import col

    from calllog.models import Staff
    from calllog.services.accounts import actor_of

    with store.read() as session:
        row = session.execute(
            sa.select(Staff).where(col(Staff.role) == "supervisor")).scalars().first()
    if row is None:
        sys.exit("no supervisor in that database")
    return actor_of(row)


def ensure_overrides(store: Store, actor: Actor, count: int, seed: int) -> int:
    """Unreviewed safeguarding overrides on families with open enquiries."""
    override = sa.table("safeguarding_override", *map(sa.column, (
        "family_id", "category", "reason", "made_by", "made_at", "reviewed_at")))
    with store.write() as session:
        conn = session.connection()
        existing = conn.execute(sa.text(
            "SELECT count(*) FROM safeguarding_override WHERE reviewed_at IS NULL")).scalar_one()
        if existing or not count:
            return int(existing)
        families = list(conn.execute(sa.text(
            "SELECT DISTINCT family_id FROM enquiry WHERE status = 'open' "
            "AND family_id IS NOT NULL LIMIT 20000")).scalars())
        chosen = random.Random(seed).sample(families, min(count, len(families)))
        at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        conn.execute(sa.insert(override), [
            {"family_id": f, "category": "CHILD_AT_RISK", "reason": "synthetic (benchmark)",
             "made_by": actor.id, "made_at": at, "reviewed_at": None} for f in chosen])
        print(f"added {len(chosen)} synthetic unreviewed safeguarding overrides")
        return len(chosen)


def busiest_adviser(store: Store) -> int:
    with store.read() as session:
        return int(session.connection().execute(sa.text(
            "SELECT assigned_to FROM enquiry WHERE status = 'open' AND assigned_to IS NOT NULL "
            "GROUP BY assigned_to ORDER BY count(*) DESC LIMIT 1")).scalar_one())


def filters(adviser_id: int, today: date) -> dict[str, QueueFilter]:
    month, half_year = today - timedelta(days=30), today - timedelta(days=182)
    return {
        "adviser": QueueFilter(adviser_id=adviser_id),
        "unassigned": QueueFilter(adviser_id=UNASSIGNED),
        "status closed": QueueFilter(status="closed"),
        "status all": QueueFilter(status="all"),
        "topic, rare (OTHER)": QueueFilter(topic="OTHER"),
        "topic, common": QueueFilter(topic="SEN_SUPPORT"),
        "channel, rare (LETTER)": QueueFilter(channel="LETTER"),
        "channel EMAIL": QueueFilter(channel="EMAIL"),
        "started last 30 days": QueueFilter(started_from=month),
        "started last 6 months": QueueFilter(started_from=half_year),
        "started in 2024": QueueFilter(started_from=date(2024, 1, 1),
                                       started_to=date(2024, 12, 31)),
        "callback due": QueueFilter(callback=Callback.DUE),
        "callback today": QueueFilter(callback=Callback.TODAY),
        "adviser + callback due": QueueFilter(adviser_id=adviser_id, callback=Callback.DUE),
        "topic + channel + 6 months": QueueFilter(topic="OTHER", channel="EMAIL",
                                                  started_from=half_year),
        "closed + topic, rare": QueueFilter(status="closed", topic="OTHER"),
        "all + adviser": QueueFilter(status="all", adviser_id=adviser_id),
    }


def service_benchmarks(store: Store, actor: Actor, profile: Profile, rounds: int,
                       adviser_id: int) -> list[Result]:
    today = local_today()
    results: list[Result] = []

    def first_page(query: QueueQuery) -> queue.Page:
        return QueueReader(store, actor, profile, query).page()

    opened = Result("open queue (priority)", "service", f"<= {TARGETS['open']:.0f}")
    cold = Result("open queue, first in the process", "service", f"<= {TARGETS['open']:.0f}",
                  note="new connection, SQL not yet compiled")
    for round_ in range(rounds + 1):
        ms, page = timed(lambda: first_page(QueueQuery()))
        (opened if round_ else cold).add(ms)
    opened.note = f"{len(page.rows)} rows; first is {page.rows[0].priority}"
    results += [cold, opened]

    for name, flt in filters(adviser_id, today).items():
        result = Result(f"filter: {name}", "service", f"<= {TARGETS['filter']:.0f}")
        for round_ in range(rounds + 1):
            ms, page = timed(lambda flt=flt: first_page(QueueQuery(flt)))  # type: ignore[misc]
            if round_:
                result.add(ms)
        result.note = f"{len(page.rows)} rows"
        results.append(result)

    for status in ("open", "all"):
        for sort in SortKey:
            for desc in ((False,) if sort is SortKey.PRIORITY else (False, True)):
                query = QueueQuery(QueueFilter(status=status), sort, desc)
                label = f"sort: {sort.value}{' desc' if desc else ''}"
                result = Result(label + (" (all)" if status == "all" else ""), "service",
                                f"<= {TARGETS['sort']:.0f}")
                for round_ in range(rounds + 1):
                    ms, _page = timed(lambda q=query: first_page(q))  # type: ignore[misc]
                    if round_:
                        result.add(ms)
                results.append(result)

    for label, query, skip in [
        ("page down (priority)", QueueQuery(), 0),
        ("page down (priority, 50k rows in)", QueueQuery(), 50_000),
        ("page down (adviser sort)", QueueQuery(sort=SortKey.ADVISER), 0),
        ("page down (ref sort)", QueueQuery(sort=SortKey.REF), 0),
        ("page down (all, started desc)",
         QueueQuery(QueueFilter(status="all"), SortKey.STARTED, True), 0),
        ("page down (topic, rare)", QueueQuery(QueueFilter(topic="OTHER")), 0),
    ]:
        reader = QueueReader(store, actor, profile, query)
        page = reader.page()
        read = len(page.rows)
        while read < skip and page.end is not None:  # walk down, untimed
            page = reader.page(page.end, limit=1000)
            read += len(page.rows)
        result = Result(label, "service", f"<= {TARGETS['page']:.0f}")
        for _ in range(rounds * 5):
            if page.end is None:
                break
            start = time.perf_counter()
            page = reader.page(page.end)
            result.add(1000 * (time.perf_counter() - start))
        result.note = f"from row {read:,}"
        results.append(result)

    counted = Result("count (open, for 'row n of N')", "service", "in a thread")
    for _ in range(rounds):
        ms, total = timed(lambda: QueueReader(store, actor, profile, QueueQuery()).count(
            cap=250_000))
        counted.add(ms)
    counted.note = f"{total:,}"
    results.append(counted)
    return results


async def _screen(url: str, actor: Actor, rounds: int, adviser_id: int) -> list[Result]:
    """Through the real app. "Drawn" means: every worker done, every message the screen
    and its widgets had queued processed, then the screen's update (the compositor
    render Textual's refresh timer would run) done now: the rows are on screen.

    Left out: after opening, Textual goes on rebuilding the new screen's footer for a
    while (focus changes), untimed so it is not charged to the first page down; and
    Pilot's own idle wait, which sleeps until the CPU has been quiet for a while (the
    ~60 ms per key DESIGN notes): it measures the harness, not the app. The last row,
    "page down via pilot.press", is the same key through Pilot, harness included."""
    from textual.worker import WorkerCancelled

    from screens.app import CalllogApp
    from screens.queue.screen import QueueScreen
    from screens.queue.table import QueueTable

    app = CalllogApp(url)
    results: list[Result] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.store_ready.wait()
        await app.start_session(actor)
        await pilot.pause()

        async def drawn(table: QueueTable) -> None:
            while True:
                try:
                    await app.workers.wait_for_complete()
                except WorkerCancelled:
                    continue
                await pilot._wait_for_screen()
                if not table.busy and (table.rows or table.reader is None):
                    break
            app.screen._on_timer_update()

        opened = Result("open queue (priority)", "screen", f"<= {TARGETS['open']:.0f}")
        paged = Result("page down (a screenful)", "screen", f"<= {TARGETS['page']:.0f}")
        moved = Result("cursor down (one row)", "screen", f"<= {TARGETS['page']:.0f}")
        filtered = Result("filter: adviser", "screen", f"<= {TARGETS['filter']:.0f}")
        sorted_ = Result("sort: adviser", "screen", f"<= {TARGETS['sort']:.0f}")
        pressed = Result("page down via pilot.press", "harness", "(reference)")
        deepest = 0
        for round_ in range(rounds + 1):
            start = time.perf_counter()
            screen = QueueScreen()
            await app.push_screen(screen)
            table = screen.query_one(QueueTable)
            await drawn(table)
            if round_:
                opened.add(1000 * (time.perf_counter() - start))
            await pilot.pause()  # untimed: Textual rebuilds the new screen's footer after
            for _ in range(15):  # 15 screens: crosses page reads and a dropped page
                start = time.perf_counter()
                await table.run_action("page(1)")
                await drawn(table)
                if round_:
                    paged.add(1000 * (time.perf_counter() - start))
            deepest = max(deepest, table.position)
            for _ in range(5):
                start = time.perf_counter()
                await table.run_action("move(1)")
                await drawn(table)
                if round_:
                    moved.add(1000 * (time.perf_counter() - start))
            start = time.perf_counter()
            await pilot.press("pagedown")
            if round_:
                pressed.add(1000 * (time.perf_counter() - start))
            start = time.perf_counter()
            screen.load_query(QueueQuery(QueueFilter(adviser_id=adviser_id)))
            await drawn(table)
            if round_:
                filtered.add(1000 * (time.perf_counter() - start))
            start = time.perf_counter()
            screen.load_query(QueueQuery(sort=SortKey.ADVISER))
            await drawn(table)
            if round_:
                sorted_.add(1000 * (time.perf_counter() - start))
            app.pop_screen()
            await pilot.pause()
        paged.note = f"down to row {deepest:,}; window of at most 3 pages"
        results += [opened, paged, moved, filtered, sorted_, pressed]
    return results


def report(results: list[Result]) -> None:
    print(f"\n{'operation':<40} {'layer':<8} {'n':>3} {'median':>8} {'p95':>8} {'max':>8}"
          f"  {'target ms':<10} note")
    for r in results:
        if not r.times:
            continue
        ordered = sorted(r.times)
        med = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        limit = float(r.target.split()[-1]) if r.target.startswith("<=") else None
        verdict = "" if limit is None else ("ok" if med <= limit else "SLOW")
        print(f"{r.what:<40} {r.layer:<8} {len(ordered):>3} {med:>8.1f} {p95:>8.1f} "
              f"{ordered[-1]:>8.1f}  {r.target:<10} {verdict:<4} {r.note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--overrides", type=int, default=40,
                        help="unreviewed safeguarding overrides to add if there are none")
    parser.add_argument("--no-screen", action="store_true", help="service layer only")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="a tiny synthetic database in a temporary folder and one round: "
                             "a smoke check, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        from benchmarks.bench_generate import tiny_database

        with tempfile.TemporaryDirectory(prefix="calllog-bench-") as tmp:
            args.db, args.rounds = tiny_database(Path(tmp), args.seed), 1
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    path = Path(args.db)
    if not path.exists():
        sys.exit(f"no database at {path}; run benchmarks/bench_generate.py first")
    url = f"sqlite:///{path.resolve()}"
    started = time.perf_counter()
    store = Store(url, create=False)  # brings the schema (and the queue's indexes) up to date
    print(f"opened and upgraded in {time.perf_counter() - started:.1f} s")
    actor = supervisor(store)
    profile = load_profile(settings.get(store, settings.PROFILE) or "surrey-pwp")
    flagged = ensure_overrides(store, actor, args.overrides, args.seed)
    with store.read() as session:
        conn = session.connection()
        enquiries, open_, families = (conn.execute(sa.text(sql)).scalar_one() for sql in (
            "SELECT count(*) FROM enquiry", "SELECT count(*) FROM enquiry WHERE status='open'",
            "SELECT count(*) FROM family"))
    print(f"{path}: {enquiries:,} enquiries ({open_:,} open), {families:,} families, "
          f"{flagged} unreviewed safeguarding overrides; {path.stat().st_size / 2**20:,.0f} MiB")
    adviser_id = busiest_adviser(store)
    results = service_benchmarks(store, actor, profile, args.rounds, adviser_id)
    service_rss = rss_mib()
    if not args.no_screen:
        results += asyncio.run(_screen(url, actor, args.rounds, adviser_id))
    report(results)
    peak = rss_mib()
    print(f"\npeak RSS: {service_rss:.0f} MiB after the service runs, {peak:.0f} MiB at the end "
          f"(target <= {RSS_TARGET_MIB:.0f} MiB: {'ok' if peak <= RSS_TARGET_MIB else 'OVER'})")
    store.close()


if __name__ == "__main__":
    main()
