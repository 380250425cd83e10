"""ACC1 and ACC2 on the staff screen through the real app (Pilot, keyboard only, 80x24):
a key is offered only to whom the policy allows it, and only for an account it applies
to; what the key does is audited by the service."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from calllog.db import Store
from calllog.models import AuditEvent, Staff
from calllog.services import accounts
from screens.staff.screen import StaffScreen
from tests.apphelpers import log_in, make_app, screen_text, settle
from tests.conftest import PASSWORDS

SIZE = (80, 24)


def _keys(app: Any) -> set[str]:
    """The actions the footer offers now (greyed or not)."""
    from textual.widgets._footer import FooterKey

    return {key.action for key in app.screen.query(FooterKey)}


def _active(store: Store, username: str) -> bool:
    with store.read() as session:
        staff = session.exec(select(Staff).where(Staff.username == username)).one()
        return staff.active


def _actions(store: Store) -> list[str]:
    with store.read() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]


async def _open_staff(pilot: Any, username: str) -> None:
    await log_in(pilot, username)
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, StaffScreen)


async def test_acc1_administrator_disables_and_enables_an_account_by_keyboard(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_staff(pilot, "admin")
        assert "toggle_active" in _keys(app)
        await pilot.press("down", "d")  # admin, adviser, … sorted by username
        await settle(pilot)
        assert "Disabled adviser" in screen_text(app)
        assert not _active(store, "adviser")
        assert "disabled" in screen_text(app)
        await pilot.press("d")  # the cursor stays on the account
        await settle(pilot)
        assert "Enabled adviser" in screen_text(app)
        assert _active(store, "adviser")
    assert _actions(store)[-4:] == ["staff_disabled", "staff_dbs_viewed", "staff_enabled",
                                    "staff_dbs_viewed"]


async def test_acc1_nobody_is_offered_disabling_their_own_account(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_staff(pilot, "admin")  # the cursor starts on their own account
        assert app.screen.check_action("toggle_active", ()) is None  # greyed: not this one
        before = _actions(store)
        await pilot.press("d")
        await settle(pilot)
        assert _active(store, "admin") and "Disabled" not in screen_text(app)
        assert _actions(store) == before  # not even a refusal to audit: nothing was asked
        await pilot.press("down")
        assert app.screen.check_action("toggle_active", ()) is True


@pytest.mark.parametrize("username", ["supervisor", "admin"])
async def test_acc2_unlock_offered_only_for_a_locked_account(
    store: Store, db_url: str, username: str
) -> None:
    for _ in range(10):
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, "adviser", "wrong password!!")
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_staff(pilot, username)
        screen = app.screen
        assert screen.check_action("unlock", ()) is None  # the first account is not locked
        await pilot.press("down")
        assert screen.check_action("unlock", ()) is True
        if username == "supervisor":  # ACC1: disabling is for administrators
            assert screen.check_action("toggle_active", ()) is False
            assert "toggle_active" not in _keys(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Unlocked adviser" in screen_text(app)
        assert screen.check_action("unlock", ()) is None  # unlocked now
    accounts.login(store, "adviser", PASSWORDS["adviser"])
