"""Keys over a slow link (issue 17): the real app in a pseudo-terminal, 50, 100 and 150 ms
added before each write, as over a slow SSH link; run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_slowlink.py            # 50, 100, 150 ms; keys and bursts
    .venv/bin/python benchmarks/bench_slowlink.py --delays 100 --ways key
    .venv/bin/python benchmarks/bench_slowlink.py --quick    # 50 ms, bursts, sign-in only

Each run starts ``python -m calllog.cli --db COPY --no-mouse`` (80x24) on a copy of a
fresh demo store (real argon2id) and types four scripts, one after the other: sign in,
the anonymous five-key enquiry with a note, an identified enquiry (a parent and a
child), then lock (ctrl+l, the screen the idle lock shows) and unlock, followed by
another enquiry. Two ways: ``key`` (one key per write, the delay before each) and
``burst`` (a field's text and the key that ends it in one write, the delay before it).

* keys lost or misplaced (goal 0): what the database holds, field by field, against
  what was typed (characters not matched either way, by difflib); a sign-in or unlock
  that did not happen counts every key of its password; a password that shows on the
  screen counts its length.
* echo (ms): from the write to the key's character appearing in the terminal output
  (the field's whole text up to that key; bullets in a password field). The first two
  characters of each field are not timed (so short a text matches too much else on
  the screen); Enter, F-keys and ctrl keys have no echo of their own. The link's own
  latency is not included: add its round trip.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import col, func, or_, select

from calllog.audit import Action
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.demo_accounts import DEMO_ACCOUNTS
from calllog.models import AuditEvent, Child, Enquiry, EnquiryTopic, Person, Staff
from calllog.services import accounts
from calllog.services.staff import add_staff
from tests.ptyhelpers import PtyApp, app_env, calllog_argv, plain, pty_app

SERVICE = "Partnership with Parents"
HOME_TEXT = "Log a new enquiry"
USERNAME, PASSWORD = "typist", "Quill-Marrow-Lantern-47"  # not on the demo banner
ENTER, F2, F3, CTRL_S, CTRL_L = "\r", "\x1bOQ", "\x1bOR", "\x13", "\x0c"
FIRST_TIMED = 2  # the third character of a field: shorter texts match too much else
WAIT = 60.0  # seconds for a script's result to reach the database


# --- what is typed -------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    seq: str
    token: str | None  # what shows once the key has echoed (None: not timed)
    group: int  # keys of one group go in one write in the burst way


@dataclass
class Script:
    name: str
    keys: list[Key] = field(default_factory=list)
    _group: int = 0

    def text(self, words: str, end: str | None = ENTER, *, secret: bool = False) -> Script:
        """A field's text (and the key that ends it): one burst."""
        self._group += 1
        for i, char in enumerate(words):
            shown = "•" * (i + 1) if secret else words[: i + 1]
            self.keys.append(Key(char, shown if i >= FIRST_TIMED else None, self._group))
        if end:
            self.keys.append(Key(end, None, self._group))
        return self

    def press(self, *seqs: str) -> Script:
        for seq in seqs:
            self._group += 1
            self.keys.append(Key(seq, None, self._group))
        return self


NOTE = "Asked about appeal deadlines"
PARENT = {"name": "Robin Testparent", "relationship": "moth", "address": "1 Test Row",
          "postcode": "GU21 4XX", "phone": "020 7946 0123", "email": "robin@example.org",
          "contact_method": "phone"}
CHILD, DOB = "Alex Testchild", "04/03/2015"


def anonymous(script: Script) -> Script:
    return script.press("n").text("tribunal").text("info").text(NOTE, None).press(F3, CTRL_S)


def identified() -> Script:
    script = (Script("identified: parent + child").press("n").text("annual").text("advice")
              .text("Review meeting next week", None).press(F3, F2).text("y"))
    for value in PARENT.values():
        script.text(value)
    return script.text(CHILD).text(DOB).press(CTRL_S)


def unlock() -> Script:
    return anonymous(Script("lock, unlock, enquiry").press(CTRL_L).text(PASSWORD, secret=True))


def sign_in() -> Script:
    return Script("sign in").text(USERNAME).text(PASSWORD, secret=True)


# --- what was saved ------------------------------------------------------------------------


def lost(expected: str, got: str | None) -> int:
    """Characters typed that are not where they were meant (missing or extra)."""
    got = got or ""
    blocks = difflib.SequenceMatcher(None, expected, got).get_matching_blocks()
    matched = sum(block.size for block in blocks)
    return max(len(expected) - matched, len(got) - matched)


Fields = list[tuple[str, str, str | None]]  # (field, expected, saved)


def _events(store: Store, action: Action) -> int:
    """The typist's events of this kind (and failures for no known account)."""
    with store.read() as session:
        typist = session.exec(select(Staff.id).where(Staff.username == USERNAME)).one()
        about = or_(col(AuditEvent.entity_id) == typist, col(AuditEvent.entity_id).is_(None))
        return session.exec(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == action.value, about)).one()


def _enquiry_fields(store: Store, number: int, typed: Sequence[str]) -> Fields:
    """The ``number``-th enquiry (from 1) against its typed topic, outcome and note."""
    topic, outcome, note = typed
    with store.read() as session:
        enquiries = session.exec(select(Enquiry).order_by(col(Enquiry.id))).all()
        if len(enquiries) < number:  # not saved: every field lost
            return [("topic (not saved)", topic, None), ("outcome", outcome, None),
                    ("note", note, None)]
        enquiry = enquiries[number - 1]
        topics = session.exec(select(EnquiryTopic.topic)
                              .where(EnquiryTopic.enquiry_id == enquiry.id)).all()
    return [("topic", topic, " ".join(topics)), ("outcome", outcome, enquiry.outcome),
            ("note", note, enquiry.notes)]


ANONYMOUS = ("TRIBUNAL", "INFO", NOTE)


def identified_fields(store: Store) -> Fields:
    found = _enquiry_fields(store, 2, ("ANNUAL_REVIEW", "ADVICE", "Review meeting next week"))
    with store.read() as session:
        parent = session.exec(select(Person)).first()
        child = session.exec(select(Child)).first()
    expected = {"name": PARENT["name"], "relationship": "MOTHER", "address": PARENT["address"],
                "postcode": PARENT["postcode"], "phone": "+442079460123",
                "email": PARENT["email"], "contact_method": "PHONE"}
    for name, value in expected.items():
        found.append((f"parent {name}", value, getattr(parent, name, None)))
    found.append(("child name", CHILD, child.name if child else None))
    dob = child.dob.strftime("%d/%m/%Y") if child and child.dob else None
    return [*found, ("child date of birth", DOB, dob)]


# --- one run -------------------------------------------------------------------------------


@dataclass
class Result:
    script: str
    delay: int
    way: str
    keys: int = 0
    lost: int = 0
    where: list[str] = field(default_factory=list)
    echoes: list[float] = field(default_factory=list)


@dataclass
class Check:
    script: Script
    done: Callable[[Store], bool]  # the script's result is in the database
    fields: Callable[[Store], Fields]
    secret: str | None = None  # must never show on the screen


def _checks() -> list[Check]:
    return [
        Check(sign_in(), lambda s: _events(s, Action.LOGIN) + _events(s, Action.LOGIN_FAILED) > 0,
              lambda s: [_accepted("password signed in", s, Action.LOGIN, Action.LOGIN_FAILED)],
              PASSWORD),
        Check(anonymous(Script("anonymous enquiry + note")), lambda s: _count(s) >= 1,
              lambda s: _enquiry_fields(s, 1, ANONYMOUS)),
        Check(identified(), lambda s: _count(s) >= 2, identified_fields),
        Check(unlock(), lambda s: _count(s) >= 3,
              lambda s: [_accepted("password unlocked", s, Action.SCREEN_UNLOCKED,
                                   Action.UNLOCK_FAILED), *_enquiry_fields(s, 3, ANONYMOUS)],
              PASSWORD),
    ]


def _accepted(name: str, store: Store, ok: Action, failed: Action) -> tuple[str, str, str | None]:
    """A password accepted first time counts as typed; refused, every key of it lost."""
    good = _events(store, ok) == 1 and not _events(store, failed)
    return name, PASSWORD, PASSWORD if good else None


def _count(store: Store) -> int:
    with store.read() as session:
        return session.exec(select(func.count()).select_from(Enquiry)).one()


def _send(app: PtyApp, keys: Sequence[Key], delay: float, way: str) -> list[tuple[int, float]]:
    """Write the keys; returns (output offset, time) of each key's write."""
    sent: list[tuple[int, float]] = []
    index = 0
    while index < len(keys):
        end = index + 1
        if way == "burst":
            while end < len(keys) and keys[end].group == keys[index].group:
                end += 1
        time.sleep(delay)
        mark, now = len(app.output), time.monotonic()
        os.write(app.fd, "".join(k.seq for k in keys[index:end]).encode())
        sent += [(mark, now)] * (end - index)
        index = end
    return sent


def _echo(app: PtyApp, token: str, mark: int, at: float) -> float | None:
    for length, when in list(app.arrivals):
        if length <= mark or when < at:
            continue
        if token in plain(bytes(app.output[mark:length])):
            return when - at
        if when - at > WAIT:
            return None
    return None


def _wait(store: Store, done: Callable[[Store], bool]) -> bool:
    end = time.monotonic() + WAIT
    while time.monotonic() < end:
        if done(store):
            time.sleep(0.5)  # the rest of the same save (topics, people)
            return True
        time.sleep(0.1)
    return False


def run(template: Path, delay_ms: int, way: str, checks: list[Check]) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="calllog-slow-") as tmp:
        db = Path(tmp) / "slow.sqlite3"
        shutil.copy(template, db)
        store = Store(f"sqlite:///{db}", create=False)
        argv = calllog_argv("--db", str(db), "--no-mouse")
        try:
            with pty_app(argv, app_env()) as app:
                app.wait_for(SERVICE, timeout=WAIT)
                alive = True
                for check in checks:
                    result = Result(check.script.name, delay_ms, way, len(check.script.keys))
                    results.append(result)
                    if not alive:
                        result.lost = result.keys
                        result.where.append("not typed: an earlier script did not finish")
                        continue
                    mark = len(app.output)
                    sent = _send(app, check.script.keys, delay_ms / 1000, way)
                    alive = _wait(store, check.done)
                    for name, expected, got in check.fields(store):
                        if (missing := lost(expected, got)):
                            result.lost += missing
                            result.where.append(
                                f"{name}: no" if name.startswith("password")
                                else f"{name}: typed {expected!r}, saved {got!r}")
                    if check.secret and check.secret.encode() in bytes(app.output[mark:]):
                        result.lost += len(check.secret)
                        result.where.append("the password showed on the screen")
                    for key, (at_mark, at) in zip(check.script.keys, sent, strict=True):
                        if key.token and (echo := _echo(app, key.token, at_mark, at)) is not None:
                            result.echoes.append(echo * 1000)
        finally:
            store.close()
    return results


def make_template(directory: Path) -> Path:
    db = directory / "template.sqlite3"
    store = Store(f"sqlite:///{db}", create=True)
    try:
        ensure_demo(store)
        admin = next(a for a in DEMO_ACCOUNTS if a.username == "admin")
        add_staff(store, accounts.login(store, admin.username, admin.password),
                  username=USERNAME, display_name="Tess Typist", role="adviser",
                  password=PASSWORD, dbs_checked_on=date(2024, 1, 8), dbs_reference="SYN-0001")
    finally:
        store.close()
    return db


# --- report --------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(r: Result) -> str:
    timed = (f"{len(r.echoes):>5} {statistics.median(r.echoes):>7.0f} "
             f"{_pct(r.echoes, 0.95):>7.0f} {max(r.echoes):>7.0f}") if r.echoes else \
        f"{0:>5} {'-':>7} {'-':>7} {'-':>7}"
    return f"{r.script:<28} {r.delay:>5} {r.way:<6} {r.keys:>5} {r.lost:>5} {timed}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__
                                     else None)
    parser.add_argument("--delays", type=int, nargs="+", default=[50, 100, 150],
                        metavar="MS", help="milliseconds added before each write")
    parser.add_argument("--ways", nargs="+", choices=["key", "burst"],
                        default=["key", "burst"], help="one key per write, or bursts")
    parser.add_argument("--quick", action="store_true",
                        help="50 ms, bursts, the sign-in only: a smoke check")
    args = parser.parse_args(argv)
    checks = _checks()
    if args.quick:
        args.delays, args.ways, checks = [50], ["burst"], checks[:1]
    results: list[Result] = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="calllog-slow-") as tmp:
        print("Creating a demo database (real argon2id) …", file=sys.stderr, flush=True)
        template = make_template(Path(tmp))
        for delay in args.delays:
            for way in args.ways:
                print(f"{delay} ms, {way} …", file=sys.stderr, flush=True)
                results += run(template, delay, way, checks)
    print(f"{'script':<28} {'delay':>5} {'way':<6} {'keys':>5} {'lost':>5} "
          f"{'timed':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for result in results:
        print(row(result))
    for result in results:
        for where in result.where:
            print(f"  {result.script}, {result.delay} ms {result.way}: {where}")
    total = sum(r.lost for r in results)
    print(f"\nkeys lost or misplaced: {total} of {sum(r.keys for r in results)} (goal 0); "
          "echo: write → the key's character in the terminal output")
    print(f"load average (1 min) before / after: {load:.1f} / {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
