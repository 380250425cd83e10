"""Logging in and out, locking and unlocking the screen, switching user (ACC1, ACC2, ACC5).

Failed attempts get one generic message whether or not the account exists; each
consecutive failure adds delay; the tenth locks the account until a supervisor or
an administrator unlocks it; a success resets the count.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlmodel import Session, select

from calllog import audit, passwords
from calllog.audit import Action, Entity
from calllog.db import Store
from calllog.errors import CalllogError
from calllog.models import Staff
from calllog.roles import Actor, Role
from calllog.text import clean_text

GENERIC_FAILURE = "Username or password incorrect."
MAX_FAILURES = 10
USERNAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


class LoginFailed(CalllogError):
    """Always the same words; ``delay`` is how long to wait before answering."""

    def __init__(self, delay: float) -> None:
        super().__init__(GENERIC_FAILURE)
        self.delay = delay


def failure_delay(consecutive_failures: int) -> float:
    """Seconds to hold the answer after the n-th consecutive failure: 0.5 s more each time."""
    return min(0.5 * consecutive_failures, 5.0)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def actor_of(staff: Staff) -> Actor:
    """The acting staff member; their name cleaned of control characters on the way
    out too, in case the database was edited behind calllog's back."""
    assert staff.id is not None
    return Actor(
        id=staff.id,
        username=staff.username,
        display_name=clean_text(staff.display_name),
        role=Role(staff.role),
        dbs_recorded=staff.dbs_checked_on is not None,
    )


class _UnknownNames:
    """Consecutive failures for usernames that do not exist, so they slow down alike."""

    def __init__(self, size: int = 1024) -> None:
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def bump(self, name: str) -> int:
        with self._lock:
            count = self._counts.pop(name, 0) + 1
            self._counts[name] = count
            while len(self._counts) > self._size:
                self._counts.popitem(last=False)
            return count


_unknown = _UnknownNames()


def _find(session: Session, username: str) -> Staff | None:
    return session.exec(select(Staff).where(Staff.username == username)).first()


@dataclass(frozen=True)
class _Seen:
    """The account as read before the password is checked (outside any transaction)."""

    id: int
    active: bool
    locked: bool
    password_hash: str


def _seen(staff: Staff) -> _Seen:
    assert staff.id is not None
    return _Seen(staff.id, staff.active, staff.locked, staff.password_hash)


def _look_up(store: Store, name: str) -> _Seen | None:
    with store.read() as session:
        staff = _find(session, name) if name else None
        return _seen(staff) if staff else None


def _reread(session: Session, staff_id: int) -> Staff | None:
    """The account again, inside the write transaction (row-locked where the
    database has row locks; SQLite's BEGIN IMMEDIATE already holds the whole file)."""
    return session.exec(select(Staff).where(Staff.id == staff_id).with_for_update()).first()


HASH_CHANGE_RETRIES = 3


def login(store: Store, username: str, password: str, *, action: Action = Action.LOGIN) -> Actor:
    """Check a username and password; the audit row says success or failure.

    The password is checked (argon2, a tenth of a second or more of CPU) outside any
    transaction, so a sign-in never holds the write lock while hashing and nobody's
    save waits behind it: read the account in a short read, verify (or burn a dummy
    verify for an unknown or disabled name), then write the outcome in a short write
    transaction that reads the account again and rechecks it there. The failure
    count is incremented on the row read inside the write transaction, so
    concurrent failures are counted exactly and the tenth still locks.

    A failure is committed (count, audit row, lockout) before LoginFailed is raised.
    """
    name = normalise_username(username)
    for _ in range(HASH_CHANGE_RETRIES):
        seen = _look_up(store, name)
        if seen is None or not seen.active:
            passwords.burn_verify(password)
        # A locked account is checked too, its answer unused: every sign-in costs
        # exactly one verify, so a locked account cannot be told apart by its speed.
        matches = (seen is not None and seen.active
                   and passwords.verify(seen.password_hash, password))
        right = matches and seen is not None and not seen.locked
        new_hash = (passwords.rehash(password)
                    if right and seen and passwords.needs_rehash(seen.password_hash) else None)
        with store.write() as session:
            staff = _reread(session, seen.id) if seen else None
            if staff is None or not staff.active:  # unknown, or disabled (perhaps just now)
                failure = _refuse_unknown(session, name, staff.id if staff else None)
            elif staff.locked:
                failure = _count_failure(session, staff)
            elif _seen(staff) != seen:
                # Reset, rehashed by a concurrent sign-in, enabled or unlocked while
                # we were checking: what was typed has not been checked against the
                # account as it is now. Check again from the top, rather than let an
                # old password in or count a right one as a failure.
                continue
            elif not right:
                failure = _count_failure(session, staff)
            else:
                return _succeed(session, staff, new_hash, action)
        raise failure
    # The hash changed under every attempt (resets in quick succession): refuse,
    # fail-safe, without counting a failure the person may not have made.
    with store.write() as session:
        audit.record(session, Action.LOGIN_FAILED, actor_id=None, entity=Entity.STAFF,
                     entity_id=seen.id if seen else None,
                     reason="password changed during sign-in")
    raise LoginFailed(failure_delay(1))


def _refuse_unknown(session: Session, name: str, staff_id: int | None) -> LoginFailed:
    """An unknown username or a disabled account: one audit row, the generic refusal."""
    audit.record(
        session,
        Action.LOGIN_FAILED,
        actor_id=None,
        entity=Entity.STAFF,
        entity_id=staff_id,
        reason="disabled account" if staff_id is not None else "unknown username",
    )
    return LoginFailed(failure_delay(_unknown.bump(name)))


def _succeed(session: Session, staff: Staff, new_hash: str | None, action: Action) -> Actor:
    """``new_hash``: the password hashed again with today's parameters (computed
    before the transaction), or None if the stored hash is current."""
    assert staff.id is not None
    staff.failed_attempts = 0
    if new_hash is not None:
        staff.password_hash = new_hash
        audit.record(
            session, Action.PASSWORD_REHASHED, actor_id=staff.id,
            entity=Entity.STAFF, entity_id=staff.id,
        )
    session.add(staff)
    audit.record(session, action, actor_id=staff.id, entity=Entity.STAFF, entity_id=staff.id)
    return actor_of(staff)


def _count_failure(session: Session, staff: Staff) -> LoginFailed:
    assert staff.id is not None
    locked_already = staff.locked
    staff.failed_attempts += 1
    audit.record(
        session,
        Action.LOGIN_FAILED,
        actor_id=None,
        entity=Entity.STAFF,
        entity_id=staff.id,
        reason="account locked" if locked_already else "wrong password",
    )
    if not locked_already and staff.failed_attempts >= MAX_FAILURES:
        staff.locked = True
        audit.record(
            session, Action.ACCOUNT_LOCKED, actor_id=None, entity=Entity.STAFF, entity_id=staff.id,
            reason=f"{staff.failed_attempts} consecutive failed attempts",
        )
    session.add(staff)
    return LoginFailed(failure_delay(staff.failed_attempts))


def unlock_screen(store: Store, actor: Actor, password: str) -> Actor:
    """The same person proves it is them; failures count like failed logins."""
    try:
        return login(store, actor.username, password, action=Action.SCREEN_UNLOCKED)
    except LoginFailed:
        with store.write() as session:
            audit.record(
                session, Action.UNLOCK_FAILED, actor_id=actor.id, entity=Entity.STAFF,
                entity_id=actor.id,
            )
        raise


def record_event(
    store: Store, actor: Actor, action: Action, reason: str | None = None,
    *, target_id: int | None = None,
) -> None:
    """Lock, logout, session ended, switch user: one audit row about a session."""
    with store.write() as session:
        audit.record(
            session, action, actor_id=actor.id, entity=Entity.STAFF,
            entity_id=target_id if target_id is not None else actor.id, reason=reason,
        )


def refresh(store: Store, actor: Actor) -> Actor | None:
    """The actor as the database has them now (None once disabled)."""
    with store.read() as session:
        staff = session.get(Staff, actor.id)
        if staff is None or not staff.active:
            return None
        return actor_of(staff)
