"""Returning-caller search (REC6) per keystroke, run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_generate.py  # once: benchmarks/out/bench.db
    .venv/bin/python benchmarks/bench_search.py    # 5 rounds of every typing sequence
    .venv/bin/python benchmarks/bench_search.py --db /tmp/small.db --rounds 2
    .venv/bin/python benchmarks/bench_search.py --quick  # a tiny database, one round

Simulates an adviser typing queries character by character and calls
``calllog.services.search.find_families`` after every keystroke, as the search
box does: surname prefixes ("s", "sm", "smi", "smit", "smith"), a phone number
digit by digit, a postcode, a child's date of birth, and a few combinations.
Besides the fixed examples it types values sampled from the database itself, so
the phone, postcode and date of birth really exist. Prints median, 95th
percentile and maximum milliseconds per kind of query against the 50 ms target.
One untimed round warms the page cache first.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import select  # noqa: E402

from calllog.db import Store  # noqa: E402
from calllog.models import Staff  # noqa: E402
from calllog.roles import Actor  # noqa: E402
from calllog.services.accounts import actor_of  # noqa: E402
from calllog.services.search import find_families  # noqa: E402
from calllog.validation import format_date, format_phone  # noqa: E402

DEFAULT_DB = ROOT / "benchmarks" / "out" / "bench.db"
TARGET_MS = 50.0

FIXED: dict[str, list[str]] = {
    "surname": ["smith", "jones", "patel", "o'brien", "mensah"],
    "first+surname": ["olivia smith", "jack taylor"],
    "phone": ["07700 900123", "+44 1632 960001"],
    "postcode": ["GU21 4XX", "kt1 2ab"],
    "dob": ["04/03/2015"],
    "combined": ["smith gu21", "jones 04/03/2015"],
    "two broad words": ["olivia s", "sm jo", "smith jones", "ja ta"],
}


def sample_values(store: Store, rng: random.Random, n: int) -> dict[str, list[str]]:
    """Values that exist: phones as spoken, postcodes, children's dates of birth."""
    person, child = sa.table("person", *map(sa.column, ("family_id", "phone", "postcode"))), \
        sa.table("child", sa.column("family_id"), sa.column("dob", sa.Date))
    with store.read() as session:
        conn = session.connection()
        top: int = conn.execute(sa.select(sa.func.max(sa.column("id"))).select_from(
            sa.table("family"))).scalar_one() or 0
        picks: list[int] = [rng.randint(1, top) for _ in range(n * 4)] if top else [0]

        def first(table: sa.TableClause, column: str) -> list[object]:
            return list(conn.execute(
                sa.select(table.c[column])
                .where(table.c.family_id.in_(picks), table.c[column].is_not(None)).limit(n)
            ).scalars())

        return {
            "phone": [format_phone(str(p)) for p in first(person, "phone")],
            "postcode": [str(p) for p in first(person, "postcode")],
            "dob": [format_date(d) for d in first(child, "dob") if isinstance(d, date)],
        }


def adviser(store: Store, username: str) -> Actor:
    with store.read() as session:
        staff = session.exec(select(Staff).where(Staff.username == username)).one()
    return actor_of(staff)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(DEFAULT_DB))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=5, help="sampled values per kind")
    parser.add_argument("--user", default="adviser")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="a tiny synthetic database in a temporary folder and one round: "
                             "a smoke check, not a measurement")
    args = parser.parse_args(argv)
    if args.quick:
        from benchmarks.bench_generate import tiny_database

        with tempfile.TemporaryDirectory(prefix="calllog-bench-") as tmp:
            args.db, args.rounds, args.samples = tiny_database(Path(tmp), args.seed), 1, 2
            run(args)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    path = Path(args.db)
    if not path.exists():
        sys.exit(f"no database at {path}; run benchmarks/bench_generate.py first")
    store = Store(f"sqlite:///{path.resolve()}", create=False)
    actor = adviser(store, args.user)
    with store.read() as session:
        conn = session.connection()
        families, enquiries, keys = (
            conn.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar_one()
            for t in ("family", "enquiry", "search_key"))
    print(f"{path}: {families:,} families, {enquiries:,} enquiries, {keys:,} search keys; "
          f"{path.stat().st_size / 2**20:,.0f} MiB")

    t0 = time.perf_counter()
    find_families(store, actor, "sm")
    first_ms = 1000 * (time.perf_counter() - t0)
    print(f"first call (connection, statement compilation): {first_ms:.1f} ms")

    queries = {kind: list(values) for kind, values in FIXED.items()}
    for kind, values in sample_values(store, random.Random(args.seed), args.samples).items():
        queries[f"{kind} (sampled)"] = values

    timings: dict[str, list[float]] = defaultdict(list)
    per_key: dict[str, list[float]] = defaultdict(list)
    hits: dict[str, int] = {}
    for round_ in range(args.rounds + 1):  # round 0 warms the cache and is not counted
        for kind, values in queries.items():
            for value in values:
                for end in range(1, len(value) + 1):
                    typed = value[:end]
                    start = time.perf_counter()
                    found = find_families(store, actor, typed)
                    ms = 1000 * (time.perf_counter() - start)
                    if round_:
                        timings[kind].append(ms)
                        per_key[typed].append(ms)
                        hits[typed] = len(found)

    print(f"\nper keystroke, {args.rounds} rounds (target: median <= {TARGET_MS:.0f} ms)")
    print(f"{'query kind':<20} {'calls':>6} {'median':>8} {'p95':>8} {'max':>8}  target")
    for kind, times in timings.items():
        med = statistics.median(times)
        print(f"{kind:<20} {len(times):>6} {med:>8.2f} {pct(times, 0.95):>8.2f} "
              f"{max(times):>8.2f}  {'ok' if med <= TARGET_MS else 'SLOW'}")
    every = [ms for times in timings.values() for ms in times]
    print(f"{'all':<20} {len(every):>6} {statistics.median(every):>8.2f} "
          f"{pct(every, 0.95):>8.2f} {max(every):>8.2f}")

    print("\nkeystroke by keystroke (median ms, families shown)")
    for value in ["smith", "07700 900123", "GU21 4XX", "04/03/2015", "smith gu21"]:
        steps = [f"{value[:end]!r}:{statistics.median(per_key[value[:end]]):.1f}"
                 f"/{hits[value[:end]]}" for end in range(1, len(value) + 1)]
        print("  " + "  ".join(steps))
    store.close()


if __name__ == "__main__":
    main()
