"""ACC1–ACC4: own accounts, argon2id, failures slow down and lock, DBS rules."""

from __future__ import annotations

from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlmodel import col, select

from calllog import audit, passwords, policy
from calllog.db import Store
from calllog.errors import InvalidInput, NotAllowed
from calllog.models import AuditEvent, Staff
from calllog.roles import Actor, Role
from calllog.services import accounts, staff
from tests.conftest import PASSWORDS, sign_in


def _actions(store: Store) -> list[str]:
    with store.read() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]


def _staff(store: Store, username: str) -> Staff:
    with store.read() as session:
        row = session.exec(select(Staff).where(Staff.username == username)).one()
    return row


def test_acc2_password_stored_as_argon2id(store: Store) -> None:
    assert _staff(store, "adviser").password_hash.startswith("$argon2id$")


def test_acc2_login_good_password_audited(store: Store) -> None:
    actor = accounts.login(store, "  Adviser ", PASSWORDS["adviser"])
    assert actor.username == "adviser" and actor.role is Role.ADVISER
    assert _actions(store)[-1] == "login"


@pytest.mark.parametrize("username", ["adviser", "nobody-here"])
def test_acc2_failure_message_same_whether_or_not_user_exists(
    store: Store, username: str
) -> None:
    with pytest.raises(accounts.LoginFailed) as caught:
        accounts.login(store, username, "wrong password!!")
    assert str(caught.value) == "Username or password incorrect."
    assert _actions(store)[-1] == "login_failed"


def test_acc2_each_consecutive_failure_adds_delay(store: Store) -> None:
    delays = []
    for _ in range(4):
        with pytest.raises(accounts.LoginFailed) as caught:
            accounts.login(store, "adviser", "wrong password!!")
        delays.append(caught.value.delay)
    assert delays == sorted(delays) and len(set(delays)) == 4 and delays[0] > 0


def test_acc2_tenth_failure_locks_until_supervisor_unlocks(store: Store) -> None:
    for _ in range(9):
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, "adviser", "wrong password!!")
    assert not _staff(store, "adviser").locked
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "adviser", "wrong password!!")
    assert _staff(store, "adviser").locked
    assert "account_locked" in _actions(store)
    # The right password no longer opens it, with the same generic words.
    with pytest.raises(accounts.LoginFailed, match="Username or password incorrect"):
        accounts.login(store, "adviser", PASSWORDS["adviser"])
    # An adviser cannot unlock; a supervisor can.
    other = sign_in(store, "newstarter")
    with pytest.raises(NotAllowed):
        staff.unlock(store, other, "adviser")
    staff.unlock(store, sign_in(store, "supervisor"), "adviser")
    assert sign_in(store, "adviser").username == "adviser"
    assert _staff(store, "adviser").failed_attempts == 0


def test_acc2_success_resets_failure_count(store: Store) -> None:
    for _ in range(3):
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, "adviser", "wrong password!!")
    sign_in(store, "adviser")
    assert _staff(store, "adviser").failed_attempts == 0


def test_acc2_rehash_on_login_when_parameters_change(store: Store) -> None:
    old_hash = _staff(store, "adviser").password_hash
    passwords.use_hasher(PasswordHasher(time_cost=2, memory_cost=8 * 1024, parallelism=1))
    sign_in(store, "adviser")
    new_hash = _staff(store, "adviser").password_hash
    assert new_hash != old_hash and "t=2" in new_hash
    assert "password_rehashed" in _actions(store)
    sign_in(store, "adviser")  # and the new hash verifies
    assert _staff(store, "adviser").password_hash == new_hash


def test_acc2_minimum_password_length_clear_message() -> None:
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        passwords.hash_password("short")


def test_acc1_disabled_account_cannot_sign_in(store: Store, admin: Actor) -> None:
    staff.set_active(store, admin, "adviser", False)
    with pytest.raises(accounts.LoginFailed, match="Username or password incorrect"):
        sign_in(store, "adviser")


def test_acc1_only_administrators_manage_accounts(store: Store, supervisor: Actor) -> None:
    with pytest.raises(NotAllowed):
        staff.add_staff(store, supervisor, username="newperson", display_name="New Person",
                        role="adviser", password="long enough password")
    assert _actions(store)[-1] == "access_refused"


def test_acc1_staff_changes_audited_by_id(store: Store, admin: Actor) -> None:
    view = staff.add_staff(store, admin, username="kit", display_name="Kit Synthetic",
                           role="adviser", password="long enough password")
    staff.reset_password(store, admin, "kit", "another long password")
    staff.set_active(store, admin, "kit", False)
    with store.read() as session:
        rows = audit.events_for(session, "staff", view.id)
    assert [r.action for r in rows] == ["staff_added", "staff_password_reset", "staff_disabled"]
    assert all(r.actor_id == admin.id for r in rows)


def _actor(role: Role, dbs: bool) -> Actor:
    return Actor(id=1, username="x", display_name="X", role=role, dbs_recorded=dbs)


@pytest.mark.parametrize("role", list(Role))
def test_acc3_no_dbs_check_no_family_records(role: Role) -> None:
    refused = policy.may_open_family_records(_actor(role, dbs=False))
    assert not refused.allowed and refused.missing == "a recorded DBS check"
    assert policy.may_open_family_records(_actor(role, dbs=True)).allowed


def test_acc3_new_starter_without_dbs_may_log_in(store: Store) -> None:
    actor = sign_in(store, "newstarter")
    assert not actor.dbs_recorded
    assert not policy.may_open_family_records(actor).allowed


@pytest.mark.parametrize(
    ("visible_to", "role", "shown"),
    [
        ({"administrator"}, Role.ADMINISTRATOR, True),
        ({"administrator"}, Role.SUPERVISOR, False),
        ({"supervisor", "administrator"}, Role.SUPERVISOR, True),
        ({"supervisor", "administrator"}, Role.ADVISER, False),
    ],
)
def test_acc4_dbs_visible_only_to_profile_roles(
    store: Store, visible_to: set[str], role: Role, shown: bool
) -> None:
    username = {Role.ADMINISTRATOR: "admin", Role.SUPERVISOR: "supervisor"}.get(role)
    assert policy.may_view_dbs(role, visible_to).allowed is shown
    if username is None:
        return
    rows = staff.list_staff(store, sign_in(store, username), visible_to)
    dated = [r for r in rows if r.dbs_checked_on is not None]
    assert bool(dated) is shown
    assert all(r.dbs_reference is None for r in rows if r.dbs_checked_on is None)


def test_acc4_dbs_dates_validated(store: Store, admin: Actor) -> None:
    with pytest.raises(InvalidInput, match="future"):
        staff.record_dbs(store, admin, "newstarter", date(2999, 1, 1), "X1")
