"""OPS4 (issue 15): sign-in never holds the write lock while hashing.

The password is checked outside any transaction; the outcome is written in a short
write transaction that reads the account again. These tests catch the hasher in
the act: every argon2 call tries to take SQLite's write lock from another
connection without waiting, which fails while anyone holds it. And they check the
rechecks: concurrent failures counted exactly, a password reset or a rehash during
the check never lets an old password in nor counts a right one as a failure."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlmodel import col, select

from calllog import passwords
from calllog.db import Store
from calllog.models import AuditEvent, Staff
from calllog.roles import Actor
from calllog.services import accounts, staff
from tests.conftest import PASSWORDS

WRONG = "wrong password!!"


def _write_lock_free(db_path: Path) -> bool:
    """Whether another connection could start writing right now (no waiting)."""
    with closing(sqlite3.connect(db_path, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        conn.execute("ROLLBACK")
        return True


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class ProbingHasher(PasswordHasher):
    """The test hasher's argon2id, noting before every hash and verify whether the
    write lock was free, and running ``during_verify`` once, as if someone acted
    while the password was being checked."""

    def __init__(self, db_path: Path, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=8 * 1024, parallelism=1)
        self.db_path = db_path
        self.probes: list[tuple[str, bool]] = []
        self.niceness: list[int] = []  # the scheduling priority each ran at
        self.during_verify: Callable[[], None] | None = None

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.probes.append(("hash", _write_lock_free(self.db_path)))
        self.niceness.append(_niceness())
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.probes.append(("verify", _write_lock_free(self.db_path)))
        self.niceness.append(_niceness())
        act, self.during_verify = self.during_verify, None
        if act is not None:
            act()
        return super().verify(hash, password)


@pytest.fixture
def probing(store: Store, db_path: Path) -> Iterator[ProbingHasher]:
    hasher = ProbingHasher(db_path)
    old = passwords.use_hasher(hasher)
    yield hasher
    passwords.use_hasher(old)


def _actions(store: Store, staff_id: int | None = None) -> list[str]:
    query = select(AuditEvent).order_by(col(AuditEvent.id))
    if staff_id is not None:
        query = query.where(AuditEvent.entity_id == staff_id)
    with store.read() as session:
        return [e.action for e in session.exec(query)]


def _reasons(store: Store, action: str) -> list[str | None]:
    with store.read() as session:
        return [e.reason for e in session.exec(
            select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id)))]


def _account(store: Store, username: str) -> Staff:
    with store.read() as session:
        return session.exec(select(Staff).where(Staff.username == username)).one()


@pytest.mark.parametrize(("username", "password", "succeeds"), [
    ("adviser", PASSWORDS["adviser"], True),
    ("adviser", WRONG, False),
    ("nobody-here", WRONG, False),  # the dummy verify that makes unknown names as slow
])
def test_ops4_password_checked_outside_the_write_lock(
    store: Store, probing: ProbingHasher, username: str, password: str, succeeds: bool
) -> None:
    if succeeds:
        assert accounts.login(store, username, password).username == username
    else:
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, username, password)
    assert probing.probes, "the password was never checked"
    assert all(free for _, free in probing.probes), probing.probes
    assert _actions(store)[-1] == ("login" if succeeds else "login_failed")


def test_ops4_disabled_account_checked_outside_the_write_lock(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    staff.set_active(store, admin, "adviser", False)
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "adviser", PASSWORDS["adviser"])
    assert probing.probes and all(free for _, free in probing.probes), probing.probes
    assert _reasons(store, "login_failed")[-1] == "disabled account"


def test_ops4_rehash_computed_outside_the_write_lock(store: Store, db_path: Path) -> None:
    stronger = ProbingHasher(db_path, time_cost=2)  # the stored hashes are t=1: rehash
    passwords.use_hasher(stronger)
    accounts.login(store, "adviser", PASSWORDS["adviser"])
    assert [kind for kind, _ in stronger.probes] == ["verify", "hash"]
    assert all(free for _, free in stronger.probes), stronger.probes
    assert "t=2" in _account(store, "adviser").password_hash
    assert _actions(store)[-2:] == ["password_rehashed", "login"]


def test_ops4_screen_unlock_checked_outside_the_write_lock(
    store: Store, adviser: Actor, probing: ProbingHasher
) -> None:
    assert accounts.unlock_screen(store, adviser, PASSWORDS["adviser"]) == adviser
    with pytest.raises(accounts.LoginFailed):
        accounts.unlock_screen(store, adviser, WRONG)
    assert len(probing.probes) == 2 and all(free for _, free in probing.probes)
    assert _actions(store)[-3:] == ["screen_unlocked", "login_failed", "unlock_failed"]


def test_ops4_staff_add_and_reset_hash_outside_the_write_lock(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    staff.add_staff(store, admin, username="kit", display_name="Kit Synthetic",
                    role="adviser", password="long enough password")
    staff.reset_password(store, admin, "kit", "another long password")
    assert [kind for kind, _ in probing.probes] == ["hash", "hash"]
    assert all(free for _, free in probing.probes), probing.probes


def _at_once(count: int, job: Callable[[], object]) -> list[object]:
    """``job`` in ``count`` threads released together; each one's result or error."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(n: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[n] = job()
        except Exception as error:
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_ops4_concurrent_failures_counted_exactly_and_the_tenth_locks(store: Store) -> None:
    adviser_id = _account(store, "adviser").id
    results = _at_once(12, lambda: accounts.login(store, "adviser", WRONG))

    assert all(isinstance(r, accounts.LoginFailed) for r in results), results
    # Each failure saw its own count: 1 to 12 (the delay grows 0.5 s a time up to 5 s).
    delays = sorted(r.delay for r in results if isinstance(r, accounts.LoginFailed))
    assert delays == [0.5 * n for n in range(1, 11)] + [5.0, 5.0]
    account = _account(store, "adviser")
    assert account.failed_attempts == 12 and account.locked
    actions = _actions(store, adviser_id)
    assert actions.count("login_failed") == 12
    assert actions.count("account_locked") == 1
    assert _reasons(store, "login_failed").count("account locked") == 2
    with pytest.raises(accounts.LoginFailed):  # the right password no longer opens it
        accounts.login(store, "adviser", PASSWORDS["adviser"])


def test_ops4_concurrent_sign_ins_rehash_once_and_all_succeed(store: Store) -> None:
    adviser_id = _account(store, "adviser").id
    passwords.use_hasher(PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1))
    results = _at_once(6, lambda: accounts.login(store, "adviser", PASSWORDS["adviser"]))

    assert all(isinstance(r, Actor) for r in results), results
    actions = _actions(store, adviser_id)
    assert actions.count("password_rehashed") == 1
    assert actions.count("login") == 6 and "login_failed" not in actions
    assert _account(store, "adviser").failed_attempts == 0


def test_ops4_password_reset_during_the_check_keeps_the_old_password_out(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    probing.during_verify = lambda: staff.reset_password(
        store, admin, "adviser", "a brand new passphrase")
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "adviser", PASSWORDS["adviser"])  # right until the reset
    assert _actions(store)[-2:] == ["staff_password_reset", "login_failed"]
    assert _account(store, "adviser").failed_attempts == 1
    assert accounts.login(store, "adviser", "a brand new passphrase").username == "adviser"


def test_ops4_password_reset_during_the_check_lets_the_new_password_in(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    probing.during_verify = lambda: staff.reset_password(
        store, admin, "adviser", "a brand new passphrase")
    # Checked first against the old hash (no match), then again against the new one.
    assert accounts.login(store, "adviser", "a brand new passphrase").username == "adviser"
    assert _actions(store)[-2:] == ["staff_password_reset", "login"]
    assert _account(store, "adviser").failed_attempts == 0


def test_ops4_account_disabled_during_the_check_is_refused(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    probing.during_verify = lambda: staff.set_active(store, admin, "adviser", False)
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "adviser", PASSWORDS["adviser"])
    assert _actions(store)[-2:] == ["staff_disabled", "login_failed"]
    assert _reasons(store, "login_failed")[-1] == "disabled account"


def test_ops4_account_locked_during_the_check_is_refused(
    store: Store, probing: ProbingHasher
) -> None:
    def lock_it() -> None:
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(accounts.LoginFailed):
                accounts.login(store, "adviser", WRONG)

    probing.during_verify = lock_it
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "adviser", PASSWORDS["adviser"])
    assert _reasons(store, "login_failed")[-1] == "account locked"
    assert _account(store, "adviser").failed_attempts == accounts.MAX_FAILURES + 1


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
def test_ops4_argon2_runs_at_lower_cpu_priority_than_saves(
    store: Store, admin: Actor, probing: ProbingHasher
) -> None:
    accounts.login(store, "adviser", PASSWORDS["adviser"])
    staff.reset_password(store, admin, "adviser", "a brand new passphrase")
    mine = _niceness()
    assert len(probing.niceness) == 2
    assert all(n == min(mine + passwords.HASH_NICENESS, 19) for n in probing.niceness)
    assert _niceness() == mine  # the caller's own priority is left alone


class BrokenHasher(PasswordHasher):
    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        raise RuntimeError("argon2 went wrong")


def test_ops4_hashing_errors_reach_the_caller_not_the_thread_hook() -> None:
    assert passwords.verify("not an argon2 hash", "whatever") is False
    old = passwords.use_hasher(BrokenHasher())
    try:
        with pytest.raises(RuntimeError, match="argon2 went wrong"):
            passwords.verify("$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x")
    finally:
        passwords.use_hasher(old)
