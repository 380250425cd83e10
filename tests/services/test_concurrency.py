"""OPS3/OPS4: many advisers on one SQLite database at the same moment.

Twenty separate processes (``multiprocessing`` with the *spawn* start method, so
each is a fresh interpreter with its own engine and connections, like twenty
advisers' SSH sessions) drive the services directly: each signs in, then saves
drafts, logs anonymous and non-data enquiries and writes session audit rows in a
loop, and logs one identified enquiry (a new family). A barrier releases them
together. Nothing may be lost and nobody may see "database is locked": writes take
the lock up front (BEGIN IMMEDIATE) and wait within the busy timeout. Counts are
exact and the audit hash chain verifies.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, func, select

from calllog import audit
from calllog.db import Store
from calllog.models import AuditEvent, Draft, Enquiry, Family
from calllog.roles import Actor
from calllog.services import staff

pytestmark = pytest.mark.slow

ADVISERS = 20
ROUNDS = 4
PASSWORD = "several words together"
# Per adviser: login, ROUNDS x (enquiry, non-data contact, screen lock), one family
# with its consent to keep contact details (a ledger row) and its enquiry, logout.
AUDIT_ROWS_EACH = 1 + 3 * ROUNDS + 3 + 1
ENQUIRIES_EACH = 2 * ROUNDS + 1


def _name(number: int) -> str:
    return "Adviser " + "".join(chr(ord("a") + int(d)) for d in f"{number:02d}").title()


def _adviser_session(url: str, username: str, number: int, barrier: Any, results: Any) -> None:
    """One adviser's process: everything through the services, as the app does."""
    try:
        from argon2 import PasswordHasher

        from calllog import passwords
        from calllog.audit import Action
        from calllog.clock import utcnow
        from calllog.profiles import load_profile
        from calllog.services import accounts, drafts
        from calllog.services.enquiries import (
            ChildDetails,
            NewEnquiry,
            ParentDetails,
            log_enquiry,
            log_non_data_contact,
        )

        passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
        profile = load_profile("surrey-pwp")
        store = Store(url, create=False)
        barrier.wait(timeout=180)
        actor = accounts.login(store, username, PASSWORD)
        for n in range(ROUNDS):
            drafts.save(store, actor.id, "enquiry", {"by": username, "round": n})
            log_enquiry(store, actor, profile, NewEnquiry(
                started_at=utcnow(), topics=("TRIBUNAL",), outcome="INFO",
                notes=f"{username} call {n}"))
            log_non_data_contact(store, actor, profile, "SILENT")
            accounts.record_event(store, actor, Action.SCREEN_LOCKED, "idle")
        log_enquiry(store, actor, profile, NewEnquiry(
            started_at=utcnow(), topics=("EXCLUSION",), contact_consent=True,
            parent=ParentDetails(name=f"Robin {_name(number).split()[1]}"),
            children=(ChildDetails(name="Alex Testchild", dob=date(2016, 5, number + 1)),)))
        accounts.record_event(store, actor, Action.LOGOUT, "quit")
        store.close()
        results.put((username, actor.id, None))
    except BaseException:
        results.put((username, None, traceback.format_exc()))


def _count(store: Store, model: Any, *where: Any) -> int:
    with store.read() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def test_ops4_twenty_advisers_save_at_once_and_lose_nothing(
    store: Store, db_url: str, admin: Actor
) -> None:
    usernames = [f"adviser{n:02d}" for n in range(ADVISERS)]
    for number, username in enumerate(usernames):
        staff.add_staff(store, admin, username=username, display_name=_name(number),
                        role="adviser", password=PASSWORD, dbs_checked_on=date(2026, 1, 5),
                        dbs_reference=f"TEST-{number:06d}")
    audit_before = _count(store, AuditEvent)
    families_before = _count(store, Family)

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(ADVISERS)
    results = context.Queue()
    processes = [
        context.Process(target=_adviser_session, args=(db_url, name, n, barrier, results),
                        name=f"calllog-{name}")
        for n, name in enumerate(usernames)
    ]
    for process in processes:
        process.start()
    reports: list[tuple[str, int | None, str | None]] = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=240))
    except queue.Empty:
        pass
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join(5)

    errors = {name: error for name, _, error in reports if error}
    assert not errors, "\n".join(f"{n}: {e}" for n, e in errors.items())
    assert sorted(name for name, _, _ in reports) == usernames
    assert [p.exitcode for p in processes] == [0] * ADVISERS

    ids = [actor_id for _, actor_id, _ in reports if actor_id is not None]
    assert _count(store, AuditEvent) == audit_before + ADVISERS * AUDIT_ROWS_EACH
    assert _count(store, Family) == families_before + ADVISERS
    for actor_id in ids:
        assert _count(store, Enquiry, col(Enquiry.recorded_by) == actor_id) == ENQUIRIES_EACH
        assert _count(store, AuditEvent, col(AuditEvent.actor_id) == actor_id) == AUDIT_ROWS_EACH
    with store.read() as session:
        saved = {d.staff_id: d.payload for d in session.exec(select(Draft))}
        result = audit.verify(session)
    for actor_id in ids:
        assert f'"round": {ROUNDS - 1}' in saved[actor_id]
    assert result.ok, result.problem
    assert result.rows == audit_before + ADVISERS * AUDIT_ROWS_EACH
