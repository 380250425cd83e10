"""Build a synthetic calllog database for benchmarks, run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_generate.py  # 200k families, 1M enquiries
    .venv/bin/python benchmarks/bench_generate.py --families 2000 --enquiries 10000 \\
        --db /tmp/small.db --seed 7 --force
    .venv/bin/python benchmarks/bench_generate.py --quick  # a tiny one, then deleted

Everything in it is made up: first names and surnames drawn from small built-in
lists, dates of birth 2001-2025, postcodes in real outward-code shapes (GU21 4XX)
with made-up inward codes, and phone numbers only from Ofcom's ranges for drama
(07700 900000-900999, 01632 960000-960999), so no number can be a real one.

The database is created through ``calllog.db.Store`` (the migrations make the
schema), with the demo staff (``calllog.demo.ensure_demo``) and 20 more synthetic
advisers; the rest is bulk-inserted with SQLAlchemy Core ``insert()`` executemany,
a few thousand families or tens of thousands of enquiries per transaction.

Audit rows are NOT generated for the bulk data: the audit log records what staff
did, and nobody did this; only the staff set-up (done through the services) is
audited. The search keys are made by ``calllog.services.search.family_keys``, the
same code ``index_family`` uses. The default file name ends in .db, which
.gitignore ignores.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from bisect import bisect
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from calllog import passwords  # noqa: E402
from calllog.academic import year_group_code  # noqa: E402
from calllog.coderef import coded_reference  # noqa: E402
from calllog.db import Store  # noqa: E402
from calllog.demo import ensure_demo  # noqa: E402
from calllog.demo_accounts import DEMO_ACCOUNTS, DEMO_PROFILE  # noqa: E402
from calllog.profiles import Profile, load_profile  # noqa: E402
from calllog.services import accounts, staff  # noqa: E402
from calllog.services.search import family_keys  # noqa: E402

DEFAULT_DB = ROOT / "benchmarks" / "out" / "bench.db"
QUICK_FAMILIES, QUICK_ENQUIRIES = 300, 1_500
FAMILY_BATCH = 5_000
ENQUIRY_BATCH = 25_000
EXTRA_ADVISERS = 20
YEARS = 3

# Small made-up lists; a few common names are much more common, as in life.
FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
    "Grace", "Freya", "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte",
    "Evelyn", "Sienna", "Sofia", "Daisy", "Phoebe", "Sophie", "Alice", "Harper", "Matilda", "Ruby",
    "Emilia", "Maya", "Millie", "Isabelle", "Ada", "Arabella", "Eva", "Esme", "Imogen", "Jessica",
    "Zoë", "Chloé", "Siân", "Łucja", "Aoife", "Niamh", "Priya", "Aisha", "Fatima", "Zainab",
    "Maryam", "Noor", "Amira", "Leah", "Noah", "Oliver", "George", "Arthur", "Muhammad", "Leo",
    "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Theo", "Alfie",
    "Jacob", "Thomas", "Finley", "Arlo", "Lucas", "Tommy", "Isaac", "James", "William", "Max",
    "Joshua", "Teddy", "Luca", "Roman", "Reggie", "Hugo", "Albie", "Elijah", "Ezra", "Edward",
    "Alexander", "Louie", "Jaxon", "Rory", "Mason", "Ethan", "Sebastian", "Jude", "Dylan",
    "Tobias", "Harrison", "Benjamin", "Samuel", "Ronan", "Mateusz", "Rhys", "Cai", "Dafydd",
    "Callum", "Kai", "Omar", "Ibrahim", "Yusuf", "Ayaan", "Arjun", "Kofi", "Tomás", "José", "Eoin",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
    "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence",
    "O'Brien", "O'Connor", "McDonald", "MacLeod", "Nowak", "Kowalski", "Żak", "Novák", "Müller",
    "Okafor", "Mensah", "Nguyen", "Chen", "Wong", "Kaya", "Yılmaz", "Rossi", "Silva", "Santos",
    "García", "Fernández", "Dubois", "Smyth", "Smart",
)
STREETS = (
    "Acacia Road", "Beech Avenue", "Chestnut Close", "Damson Way", "Elm Grove", "Fern Lane",
    "Gorse Rise", "Hazel Drive", "Ivy Court", "Juniper Walk", "Larch Crescent", "Maple Street",
    "Oak Terrace", "Poplar Place", "Rowan Gardens", "Sycamore Row", "Willow Mews", "Yew Tree Road",
)
TOWNS = ("Woking", "Guildford", "Farnham", "Camberley", "Epsom", "Reigate", "Redhill",
         "Staines", "Leatherhead", "Dorking", "Godalming", "Weybridge", "Sutton", "Croydon")
SCHOOLS = ("Hillside Primary School", "Meadow Infant School", "Riverside Academy",
           "Oakfield Secondary School", "St Anne's CE Primary", "Brook House Special School",
           "The Orchard Junior School", "Valley College")
# Real outward codes' shapes (Surrey and around); the inward codes are made up.
OUTCODES = (
    [f"GU{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20,
                        21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 35, 46, 47, 51, 52)]
    + [f"KT{n}" for n in range(1, 25)]
    + [f"RH{n}" for n in range(1, 15)]
    + [f"TW{n}" for n in range(15, 21)]
    + [f"CR{n}" for n in (0, 2, 3, 4, 5, 6, 7, 8)]
    + [f"SM{n}" for n in range(1, 8)]
)
INCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
DOB_FIRST = date(2001, 1, 1)
DOB_DAYS = (date(2025, 12, 31) - DOB_FIRST).days + 1


class P(NamedTuple):
    name: str | None
    phone: str | None
    postcode: str | None


class C(NamedTuple):
    name: str | None
    dob: date | None


def zipf(items: Sequence[str], s: float = 0.9) -> tuple[Sequence[str], list[float]]:
    """Cumulative weights making the first items the most common."""
    return items, list(accumulate(1.0 / (rank ** s) for rank in range(1, len(items) + 1)))


class Picker:
    """Fast weighted choice from a fixed list."""

    def __init__(self, rng: random.Random, items: Sequence[Any],
                 cum_weights: Sequence[float] | None = None) -> None:
        self.rng, self.items = rng, list(items)
        self.cum = list(cum_weights) if cum_weights is not None else None
        self.total = self.cum[-1] if self.cum else 0.0

    def __call__(self) -> Any:
        if self.cum is None:
            return self.items[int(self.rng.random() * len(self.items))]
        return self.items[bisect(self.cum, self.rng.random() * self.total)]


class Progress:
    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self.rows = 0
        self.start = time.perf_counter()
        self.next_report = 0.0

    def add(self, units: int, rows: int) -> None:
        self.done += units
        self.rows += rows
        now = time.perf_counter()
        if now >= self.next_report or self.done >= self.total:
            elapsed = now - self.start
            print(f"  {self.label}: {self.done:>9,}/{self.total:,}  {self.rows:>10,} rows  "
                  f"{elapsed:6.1f} s  {self.rows / max(elapsed, 1e-9):>9,.0f} rows/s",
                  flush=True)
            self.next_report = now + 5.0


def table(name: str) -> sa.Table:
    return SQLModel.metadata.tables[name]


def insert_many(conn: sa.Connection, name: str, rows: list[dict[str, Any]]) -> int:
    if rows:
        conn.execute(sa.insert(table(name)), rows)
    return len(rows)


def codes(items: Iterable[Any]) -> list[str]:
    return [item.code for item in items]


def setup_staff(store: Store) -> tuple[list[int], list[int]]:
    """The demo staff plus synthetic advisers; returns (recorders, assignees)."""
    ensure_demo(store)
    admin_password = next(a.password for a in DEMO_ACCOUNTS if a.username == "admin")
    admin = accounts.login(store, "admin", admin_password)
    for n in range(1, EXTRA_ADVISERS + 1):
        staff.add_staff(
            store, admin, username=f"adviser{n:02d}", display_name=f"Synthetic Adviser {n:02d}",
            role="adviser", password=f"gravel lantern orchid mosaic {n:02d}",
            dbs_checked_on=date(2026, 1, 5), dbs_reference=f"BENCH-{n:06d}",
        )
    with store.read() as session:
        conn = session.connection()
        rows = conn.execute(sa.text("SELECT id, role, dbs_checked_on FROM staff")).all()
    workers = [r[0] for r in rows if r[2] is not None and r[1] != "administrator"]
    supervisors = [r[0] for r in rows if r[1] == "supervisor"]
    return workers, workers + supervisors


def generate(args: argparse.Namespace) -> None:
    path = Path(args.db).resolve()
    if path.exists():
        if not args.force:
            sys.exit(f"{path} exists; choose another --db or add --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(args.seed)
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    profile = load_profile(DEMO_PROFILE)
    started = time.perf_counter()
    store = Store(f"sqlite:///{path}", create=True)
    workers, assignees = setup_staff(store)
    print(f"{path}: schema and {len(workers)} staff in {time.perf_counter() - started:.1f} s")

    now = datetime.now(UTC).replace(microsecond=0)
    span = YEARS * 365 * 86400
    n_fam, n_enq = args.families, args.enquiries

    # Enquiries first (in time order), so each family's first and last contact are known.
    t0 = time.perf_counter()
    moments = sorted(rng.random() for _ in range(n_enq))
    kind_roll = [rng.random() for _ in range(n_enq)]  # <.05 non-data, <.30 anonymous
    identified = [i for i in range(n_enq) if kind_roll[i] >= 0.30]
    owners = list(range(1, n_fam + 1))
    # Further contacts: most families call a few times, some (the first tenth) often.
    owners += [rng.randrange(1, n_fam + 1) if rng.random() < 0.7
               else rng.randrange(1, n_fam // 10 + 2)
               for _ in range(max(0, len(identified) - n_fam))]
    rng.shuffle(owners)
    family_of = [0] * n_enq
    first_seen = [1.0] * (n_fam + 1)
    last_seen = [0.0] * (n_fam + 1)
    for i, owner in zip(identified, owners, strict=False):
        family_of[i] = owner
        first_seen[owner] = min(first_seen[owner], moments[i])
        last_seen[owner] = max(last_seen[owner], moments[i])
    # A family with no identified enquiry (fewer enquiries than families) still has a date.
    for f in range(1, n_fam + 1):
        if last_seen[f] == 0.0:
            first_seen[f] = last_seen[f] = rng.random()
    print(f"planned {n_enq:,} enquiries over {n_fam:,} families in "
          f"{time.perf_counter() - t0:.1f} s")

    def at(fraction: float) -> datetime:
        return now - timedelta(seconds=int((1.0 - fraction) * span))

    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB for index upkeep
        conn.commit()
        totals = write_families(conn, rng, profile, n_fam, workers, first_seen, last_seen, at)
        totals += write_enquiries(conn, rng, profile, moments, kind_roll, family_of, workers,
                                  assignees, at)
        t0 = time.perf_counter()
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        print(f"ANALYZE in {time.perf_counter() - t0:.1f} s")
    store.close()  # the last connection to close checkpoints the WAL into the file
    elapsed = time.perf_counter() - started
    size = path.stat().st_size
    print(f"done: {totals:,} rows in {elapsed:.1f} s ({totals / elapsed:,.0f} rows/s); "
          f"{path} is {size / 2**20:,.0f} MiB")


def write_families(conn: sa.Connection, rng: random.Random, profile: Profile, n_fam: int,
                   workers: list[int], first_seen: list[float], last_seen: list[float],
                   at: Any) -> int:
    first_name = Picker(rng, *zipf(FIRST_NAMES, 0.5))
    surname = Picker(rng, *zipf(SURNAMES, 0.6))
    street, town = Picker(rng, STREETS), Picker(rng, TOWNS)
    outcode = Picker(rng, *zipf(OUTCODES, 0.5))
    relationship = Picker(rng, ["MOTHER", "FATHER", "CARER", "GRANDPARENT", "FOSTER_CARER"],
                          [60, 85, 92, 97, 100])
    gender = Picker(rng, codes(profile.genders.items))
    contact_method = Picker(rng, codes(profile.contact_methods.items))
    school_type = Picker(rng, codes(profile.school_types.items))
    sen_need = Picker(rng, codes(profile.sen_needs.items))
    sen_provision = Picker(rng, codes(profile.sen_provision.items))
    topic = Picker(rng, codes(profile.topics.items))
    school = Picker(rng, SCHOOLS)
    worker = Picker(rng, workers)
    today = date.today()
    letter = Picker(rng, INCODE_LETTERS)

    def postcode() -> str:
        return f"{outcode()} {rng.randrange(10)}{letter()}{letter()}"

    def phone() -> str:
        if rng.random() < 0.6:
            return f"+447700900{rng.randrange(1000):03d}"
        return f"+441632960{rng.randrange(1000):03d}"

    progress = Progress("families", n_fam)
    total = 0
    person_id = child_id = 0
    for start in range(1, n_fam + 1, FAMILY_BATCH):
        stop = min(start + FAMILY_BATCH, n_fam + 1)
        fam_rows: list[dict[str, Any]] = []
        person_rows: list[dict[str, Any]] = []
        child_rows: list[dict[str, Any]] = []
        key_rows: list[dict[str, Any]] = []
        diversity_rows: list[dict[str, Any]] = []
        for fid in range(start, stop):
            family_name = surname()
            consent = rng.random() < 0.85
            persons: list[P] = []
            for n in range(1 if rng.random() < 0.7 else 2):
                person_id += 1
                name = f"{first_name()} {family_name if rng.random() < 0.85 else surname()}"
                details = consent and (n == 0 or rng.random() < 0.5)
                code = postcode() if details and rng.random() < 0.95 else None
                number = phone() if details and rng.random() < 0.9 else None
                persons.append(P(name, number, code))
                person_rows.append({
                    "id": person_id, "family_id": fid, "party": "parent", "name": name,
                    "relationship": relationship(),
                    "address": f"{rng.randrange(1, 200)} {street()}, {town()}" if code else None,
                    "postcode": code, "phone": number,
                    "email": (f"parent{person_id}@example.com"
                              if details and rng.random() < 0.5 else None),
                    "contact_method": contact_method() if details else None,
                })
            kids: list[C] = []
            roll = rng.random()
            for _ in range(1 if roll < 0.55 else 2 if roll < 0.85 else 3):
                child_id += 1
                dob = DOB_FIRST + timedelta(days=rng.randrange(DOB_DAYS))
                name = f"{first_name()} {family_name}"
                kids.append(C(name, dob))
                child_rows.append({
                    "id": child_id, "family_id": fid, "name": name, "dob": dob,
                    "gender": gender(), "school_name": school(), "school_type": school_type(),
                    "year_group": year_group_code(dob, today),
                    "sen_needs": " ".join(sorted({sen_need() for _ in range(rng.randint(1, 2))})),
                    "sen_provision": sen_provision(),
                    "issues": " ".join(sorted({topic() for _ in range(rng.randint(1, 2))})),
                })
            fam_rows.append({
                "id": fid, "coded_ref": coded_reference(kids[0].name, kids[0].dob),
                "contact_consent": consent, "supporter_id": worker(), "created_by": worker(),
                "created_at": at(first_seen[fid]), "last_contact_at": at(last_seen[fid]),
            })
            key_rows.extend({"family_id": fid, "kind": kind, "key": key}
                            for kind, key in family_keys(persons, kids))
            if rng.random() < 0.3:
                diversity_rows.extend(diversity(rng, profile, fid, at(first_seen[fid])))
        with conn.begin():
            rows = insert_many(conn, "family", fam_rows)
            rows += insert_many(conn, "person", person_rows)
            rows += insert_many(conn, "child", child_rows)
            rows += insert_many(conn, "search_key", key_rows)
            rows += insert_many(conn, "diversity_answer", diversity_rows)
        total += rows
        progress.add(stop - start, rows)
    return total


def diversity(rng: random.Random, profile: Profile, fid: int,
              when: datetime) -> list[dict[str, Any]]:
    answers: dict[str, str] = {}
    for question in profile.diversity:
        if question.asked(answers):
            items = question.answers.items
            answers[question.key] = items[int(rng.random() * len(items))].code
    return [{"family_id": fid, "question": q, "answer": a, "recorded_at": when}
            for q, a in answers.items()]


def write_enquiries(conn: sa.Connection, rng: random.Random, profile: Profile,
                    moments: list[float], kind_roll: list[float], family_of: list[int],
                    workers: list[int], assignees: list[int], at: Any) -> int:
    topic = Picker(rng, *zipf(codes(profile.topics.items), 0.8))
    channel = Picker(rng, ["PHONE", "EMAIL", "TEXT", "IN_PERSON", "LETTER"], [70, 88, 95, 99, 100])
    outcome = Picker(rng, codes(profile.outcomes.items))
    non_data = Picker(rng, codes(profile.non_data_kinds.items))
    worker, assignee = Picker(rng, workers), Picker(rng, assignees)
    n_enq = len(moments)
    progress = Progress("enquiries", n_enq)
    total = 0
    for start in range(0, n_enq, ENQUIRY_BATCH):
        stop = min(start + ENQUIRY_BATCH, n_enq)
        enquiry_rows: list[dict[str, Any]] = []
        topic_rows: list[dict[str, Any]] = []
        for i in range(start, stop):
            eid = i + 1
            began = at(moments[i])
            is_non_data = kind_roll[i] < 0.05
            family_id = family_of[i] or None
            is_open = not is_non_data and rng.random() < 0.10
            enquiry_rows.append({
                "id": eid, "family_id": family_id, "recorded_by": worker(),
                "assigned_to": assignee() if is_open and rng.random() < 0.6 else None,
                "started_at": began,
                "ended_at": began + timedelta(seconds=rng.randrange(30, 45 * 60)),
                "channel": "PHONE" if is_non_data else channel(),
                "anonymous": family_id is None,
                "non_data_kind": non_data() if is_non_data else None,
                "notes": ("Synthetic note: discussed next steps."
                          if family_id and rng.random() < 0.2 else None),
                "outcome": None if is_non_data or is_open else outcome(),
                "status": "open" if is_open else "closed",
                "follow_up_due": (began.date() + timedelta(days=rng.randrange(1, 22))
                                  if is_open and rng.random() < 0.5 else None),
                "policy_explained": not is_non_data and rng.random() < 0.9,
                "leaflet_sent": family_id is not None and rng.random() < 0.3,
            })
            if not is_non_data:
                topics = {topic() for _ in range(rng.randint(1, 3))}
                topic_rows.extend({"enquiry_id": eid, "topic": t} for t in topics)
        with conn.begin():
            rows = insert_many(conn, "enquiry", enquiry_rows)
            rows += insert_many(conn, "enquiry_topic", topic_rows)
        total += rows
        progress.add(stop - start, rows)
    return total


def tiny_database(directory: Path, seed: int = 1) -> Path:
    """A small synthetic database in *directory*, for the benchmarks' ``--quick`` runs
    (a smoke check of the scripts, not a measurement)."""
    path = directory / "quick.db"
    generate(argparse.Namespace(db=str(path), force=True, seed=seed,
                                families=QUICK_FAMILIES, enquiries=QUICK_ENQUIRIES))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", type=int, default=200_000)
    parser.add_argument("--enquiries", type=int, default=1_000_000)
    parser.add_argument("--db", default=None,
                        help=f"SQLite file to create (default {DEFAULT_DB.relative_to(ROOT)})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_FAMILIES} families and {QUICK_ENQUIRIES:,} enquiries in a "
                             "temporary folder (or --db), deleted afterwards: a smoke check")
    args = parser.parse_args(argv)
    if args.families < 1 or args.enquiries < 0:
        parser.error("--families must be at least 1 and --enquiries at least 0")
    if not args.quick:
        args.db = args.db or str(DEFAULT_DB)
        generate(args)
        return
    with tempfile.TemporaryDirectory(prefix="calllog-bench-") as tmp:
        args.families, args.enquiries = QUICK_FAMILIES, QUICK_ENQUIRIES
        args.db = args.db or str(Path(tmp) / "quick.db")
        generate(args)


if __name__ == "__main__":
    main()
