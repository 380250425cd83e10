"""The seams every screen shares (issue 9): database work never runs on the UI thread,
notifications are never markup, results for a screen that has gone are dropped."""

from __future__ import annotations

import ast
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input, TextArea
from textual.worker import WorkerState

from calllog.db import Store
from calllog.models import Enquiry
from calllog.services import drafts
from screens.app import CalllogApp
from screens.enquiry.form import DRAFT_KIND, EnquiryScreen
from screens.session.home import HomeScreen
from tests.apphelpers import (
    FakeClock,
    log_in,
    make_app,
    new_enquiry,
    screen_text,
    settle,
    type_text,
)
from tests.conftest import sign_in

SIZE = (80, 24)
SCREENS = Path(__file__).resolve().parents[2] / "screens"
HOLD_SECONDS = 3.0


def _hold_write_lock(db_path: Path, held: threading.Event, release: threading.Event) -> None:
    """Another process's long write: the database's write lock, held until released."""
    connection = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        held.set()
        release.wait(HOLD_SECONDS + 10)
        connection.execute("ROLLBACK")
    finally:
        connection.close()


async def test_ops1_typing_never_waits_for_a_busy_database(
    store: Store, db_url: str, db_path: Path
) -> None:
    """While another writer holds the database's lock for 3 s, every key typed in the
    note shows before the next is pressed, the draft timer's save waits in a worker
    (not on the UI thread), and once the lock is gone the draft holds every key."""
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EnquiryScreen)
        notes = screen.query_one("#notes", TextArea)
        notes.focus()
        held, release = threading.Event(), threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(db_path, held, release))
        holder.start()
        assert held.wait(5)
        typed = ""
        draft_waited = False
        begin = time.monotonic()
        try:
            while time.monotonic() - begin < HOLD_SECONDS:
                await pilot.press("a")
                typed += "a"
                assert notes.text == typed  # on screen before the next key
                draft_waited = draft_waited or any(
                    w.group == "draft" and w.state is WorkerState.RUNNING
                    for w in app.workers)
        finally:
            release.set()
            holder.join()
        assert len(typed) >= 10
        assert draft_waited, "the draft timer never tried to save while the lock was held"
        await pilot.pause(1.5)  # one more tick of the draft timer
        await settle(pilot)
    draft = drafts.load(store, sign_in(store, "adviser").id, DRAFT_KIND)
    assert draft is not None and draft["notes"] == typed


def _notify_calls_with_markup(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "notify"):
            for keyword in node.keywords:
                if keyword.arg == "markup" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    found.append(f"{path.relative_to(SCREENS.parent)}:{node.lineno}")
    return found


def test_priv3_no_screen_asks_for_markup_in_a_notification() -> None:
    """Notifications carry names, notes and other stored text: no screen may turn
    markup on (the app's notify forces it off; this keeps anyone from relying on it)."""
    files = sorted(SCREENS.rglob("*.py"))
    assert len(files) > 30
    offenders = [hit for path in files for hit in _notify_calls_with_markup(path)]
    assert offenders == []


async def test_priv3_notification_with_markup_in_stored_text_shows_it_literally(
    store: Store, db_url: str
) -> None:
    """A staff name like ``Ash [/]Adviser [bold]`` crashed a dialog when notified with
    Textual's default markup; every notification is now plain text."""
    app = make_app(db_url)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await log_in(pilot, "adviser")
        assert isinstance(app.screen, HomeScreen)
        app.screen.notify("Assigned to Ash [/]Adviser [bold]x[/bold] [link=y]z")
        app.notify("Saved for [red]Robin[/red]", markup=True)  # asked for, still refused
        await pilot.pause()
        shown = screen_text(app)
        assert "Ash [/]Adviser [bold]x[/bold]" in shown
        assert "[red]Robin[/red]" in shown


async def test_ops1_keys_follow_the_configured_keymap(store: Store, db_url: str) -> None:
    """A service's calllog.toml moved "new enquiry" to e and "save" to F10: those keys
    do it, the old ones no longer do, and F1 shows the new keys."""
    app = CalllogApp(db_url, clock=FakeClock(), sleep=lambda _: None,
                     keymap={"home.new_enquiry": "e", "enquiry.save": "f10"})
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # n is no longer "new enquiry"
        assert "e  Log a new enquiry" in screen_text(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen)
        await type_text(pilot, "tribunal")
        await pilot.press("enter")
        await type_text(pilot, "info")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen)  # ctrl+s no longer saves
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    with store.read() as session:
        assert len(list(session.exec(select(Enquiry)))) == 1


async def test_acc5_a_save_finishing_under_the_lock_screen_never_unlocks_it(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save still running when the screen locks finishes behind the lock: the form's
    "saved, close" waits until its own screen is on top again, so it can never dismiss
    the lock screen instead."""
    from calllog.services import enquiries
    from screens.session.lock import LockScreen
    from tests.conftest import PASSWORDS

    release = threading.Event()
    real = enquiries.log_enquiry

    def slow_save(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(enquiries, "log_enquiry", slow_save)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await new_enquiry(pilot, topic="tribunal", outcome="info")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        release.set()
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, LockScreen)  # still locked
        app.screen.query_one("#password", Input).value = PASSWORDS["adviser"]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, HomeScreen)  # the held "saved" closed the form
    with store.read() as session:
        assert len(list(session.exec(select(Enquiry)))) == 1
