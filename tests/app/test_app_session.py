"""ACC2 and ACC5 through the real app: login, idle lock, bypass keys, unlock,
switch user (Pilot, keyboard only, 80x24)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select
from textual.command import CommandPalette
from textual.widgets import Input, Static

from calllog.db import Store
from calllog.models import AuditEvent
from calllog.services import drafts
from screens.app import CalllogApp
from screens.session.home import HomeScreen
from screens.session.lock import LockScreen
from screens.session.login import LoginScreen
from tests.apphelpers import FakeClock, fill, log_in, make_app, screen_text, settle, type_text
from tests.conftest import PASSWORDS

SIZE = (80, 24)


def _actions(store: Store) -> list[str]:
    with store.read() as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]


async def test_acc2_login_good_shows_home_with_name_and_date(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser", typed=True)
        assert isinstance(app.screen, HomeScreen)
        shown = screen_text(app)
        assert "Ash Adviser" in shown
        from calllog.clock import today

        assert f"{today():%B %Y}" in shown
        assert "Lock" in shown and "Help" in shown


async def test_acc2_login_bad_password_generic_message_and_delay(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser", "not the password")
        assert isinstance(app.screen, LoginScreen)
        message = app.screen.query_one("#message", Static)
        assert "Username or password incorrect." in str(message.render())
        assert app.screen.query_one("#password", Input).value == ""
        assert app.screen.query_one("#username", Input).value == "adviser"
        await fill(pilot, "still not it!")
        assert app.slept == sorted(app.slept) and app.slept[-1] > app.slept[0] > 0  # type: ignore[attr-defined]


async def test_acc2_unknown_user_same_message(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "no-such-person", "whatever password")
        message = app.screen.query_one("#message", Static)
        assert str(message.render()) == "Username or password incorrect."


async def _locked_app(store: Store, db_url: str, pilot: Any, app: CalllogApp) -> None:
    await log_in(pilot, "adviser")
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(app.screen, LockScreen)


async def test_acc5_idle_lock_fires_after_profile_idle_time(store: Store, db_url: str) -> None:
    clock = FakeClock()
    app = make_app(db_url, clock)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        assert app.idle_seconds == 5 * 60  # Surrey: the default five minutes
        clock.advance(4 * 60 + 59)
        app.check_idle_lock()
        assert not app.locked
        await pilot.press("s")  # activity resets the idle time
        await pilot.press("escape")
        clock.advance(4 * 60 + 59)
        app.check_idle_lock()
        assert not app.locked
        clock.advance(2)
        await pilot.pause(1.2)  # the app's own one-second idle timer does it
        assert isinstance(app.screen, LockScreen)
        assert _actions(store)[-1] == "screen_locked"


@pytest.mark.parametrize("key", ["escape", "ctrl+p", "ctrl+c", "ctrl+q", "ctrl+s", "f1", "ctrl+z"])
async def test_acc5_bypass_keys_leave_it_locked_and_hide_everything(
    store: Store, db_url: str, key: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _locked_app(store, db_url, pilot, app)
        await pilot.press(key)
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, LockScreen)
        assert not app.screen.query(CommandPalette)
        shown = screen_text(app)
        assert "Screen locked" in shown
        assert "Staff accounts" not in shown and "Sign out" not in shown


async def test_acc5_resize_while_locked_stays_locked(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _locked_app(store, db_url, pilot, app)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        await pilot.resize_terminal(40, 12)
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "Sign out" not in screen_text(app)


async def test_acc5_lock_screen_is_opaque_full_screen(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _locked_app(store, db_url, pilot, app)
        screen = app.screen
        assert not screen.is_modal
        assert screen.styles.background.a == 1
        assert screen.size == app.size


async def test_acc5_unlock_wrong_then_right_password(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _locked_app(store, db_url, pilot, app)
        await type_text(pilot, "wrong password")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "incorrect" in screen_text(app)
        await fill(pilot, PASSWORDS["adviser"])
        assert isinstance(app.screen, HomeScreen)
        assert _actions(store)[-4:] == [
            "screen_locked", "login_failed", "unlock_failed", "screen_unlocked"
        ]


async def test_acc5_unlock_needs_same_person(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _locked_app(store, db_url, pilot, app)
        await fill(pilot, PASSWORDS["supervisor"])  # someone else's password
        assert isinstance(app.screen, LockScreen)
        assert app.actor is not None and app.actor.username == "adviser"


class _Form(HomeScreen):
    """A stand-in form holding unsaved work (the enquiry form does this for real)."""

    draft_kind = "test-form"

    def draft_payload(self) -> dict[str, Any] | None:
        return {"note": "half-typed note about the call"}


async def test_acc5_switch_user_signs_first_out_and_keeps_their_draft(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        adviser_id = app.actor.id if app.actor else 0
        await app.push_screen(_Form())
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await fill(pilot, "supervisor")
        await fill(pilot, PASSWORDS["supervisor"])
        assert isinstance(app.screen, HomeScreen) and not isinstance(app.screen, _Form)
        assert app.actor is not None and app.actor.username == "supervisor"
        assert len(app.screen_stack) == 1
        assert "Sam Supervisor" in screen_text(app)
    assert drafts.load(store, adviser_id, "test-form") == {"note": "half-typed note about the call"}
    supervisor_id = app.actor.id
    assert drafts.load(store, supervisor_id, "test-form") is None  # drafts are their own
    assert {"user_switched", "logout"} <= set(_actions(store))


async def test_acc5_quit_saves_draft_and_signs_out(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        adviser_id = app.actor.id if app.actor else 0
        await app.push_screen(_Form())
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert drafts.load(store, adviser_id, "test-form") is not None
    assert _actions(store)[-1] == "logout"


async def test_acc5_palette_never_offers_screenshot(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Staff accounts" in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "screensh")
        await pilot.pause(0.3)
        assert "Screenshot" not in screen_text(app)
        await pilot.press("escape")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert list(app.get_system_commands(app.screen)) == []


async def test_acc5_help_lists_every_key_of_the_screen(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        await pilot.press("f1")
        await settle(pilot)
        shown = screen_text(app)
        for words in ("Lock the screen", "Staff accounts", "Sign out", "Save any unsaved"):
            assert words in shown
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


def _all_screen_classes() -> list[type[Any]]:
    import importlib
    import pkgutil

    from textual.screen import Screen

    import screens

    found: list[type[Any]] = [CalllogApp]
    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            is_screen = isinstance(value, type) and issubclass(value, Screen)
            if is_screen and value.__module__ == module.__name__:
                found.append(value)
    assert len(found) > 25  # it really walked the feature packages
    return found


def test_acc5_every_binding_has_an_id() -> None:
    from textual.binding import Binding

    for cls in _all_screen_classes():
        for binding in vars(cls).get("BINDINGS", []):  # what calllog declares itself
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
            assert binding.id, f"{cls.__name__}: binding {binding.key} has no id"
            assert binding.tooltip or binding.description, f"{cls.__name__}: {binding.key}"


async def test_acc3_staff_screen_supervisor_unlocks_locked_account(
    store: Store, db_url: str
) -> None:
    from calllog.services import accounts

    for _ in range(10):
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, "adviser", "wrong password!!")
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        await pilot.press("s")
        await settle(pilot)
        assert "LOCKED" in screen_text(app)
        assert "DEMO-" not in screen_text(app)  # Surrey shows DBS details to administrators
        await pilot.press("down")  # admin, adviser, … sorted by username
        await pilot.press("u")
        await settle(pilot)
        assert "Unlocked adviser" in screen_text(app)
    accounts.login(store, "adviser", PASSWORDS["adviser"])


