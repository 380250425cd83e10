"""REL2 in the app: a save that meets a storage fault keeps the form open with all
its text, says why in an adviser's words, and works again once the fault is gone;
sign-in says the same words. The disk is filled for real (SQLite's max_page_count)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from textual.widgets import Static, TextArea

from calllog.db import Store
from calllog.models import Enquiry
from screens.session.home import HomeScreen
from screens.session.lock import LockScreen
from screens.session.login import LoginScreen
from tests.apphelpers import (
    fill,
    log_in,
    make_app,
    new_enquiry,
    screen_text,
    settle,
    start_and_exit,
)
from tests.conftest import PASSWORDS
from tests.storefixtures import DiskLimit, disk

__all__ = ["disk"]  # a fixture

SIZE = (80, 24)
DISK_FULL = ("The disk holding the database is full: ask your administrator to free space. "
             "Nothing saved before was lost.")
NOTE = "Synthetic caller asked about tribunal deadlines. " * 60  # ~3,000 characters


def _enquiries(store: Store) -> list[Enquiry]:
    with store.read() as session:
        return list(session.exec(select(Enquiry)))


async def test_rel2_save_fails_disk_full_keeps_form_and_retries(
    store: Store, db_url: str, disk: DiskLimit
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        form = await new_enquiry(pilot, topic="tribunal", outcome="info")
        notes = form.query_one("#notes", TextArea)
        notes.text = NOTE
        await settle(pilot)
        assert app.store is not None
        disk.fill(app.store, "supervisor")

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # the form stays open …
        assert notes.text == NOTE  # … with everything typed
        said = [n.message for n in app._notifications]
        assert f"{DISK_FULL} Your form is kept: press ctrl+s to try again." in said
        assert _enquiries(store) == []

        disk.free(app.store, store)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (enquiry,) = _enquiries(store)
    assert enquiry.notes == NOTE.strip()


async def test_rel2_sign_in_disk_full_says_so_and_retries(
    store: Store, db_url: str, disk: DiskLimit
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await app.store_ready.wait()
        assert app.store is not None
        disk.fill(app.store, "supervisor")
        await log_in(pilot, "adviser")
        assert isinstance(app.screen, LoginScreen)
        message = app.screen.query_one("#message", Static)
        assert str(message.render()) == f"{DISK_FULL} Press enter to try again."
        disk.free(app.store)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)



async def test_rel2_app_start_on_a_file_that_is_not_calllog_says_so(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db_file = tmp_path / "calllog.sqlite3"
    db_file.write_bytes(b"Dear diary,\n" * 400)
    db_file.chmod(0o600)
    code, said = await start_and_exit(f"sqlite:///{db_file}", capfd)
    assert code == 3
    expected = (
        f"calllog: {db_file} is not a calllog database; calllog has not changed it. Check the "
        "path (--db or CALLLOG_DATABASE_URL); if it was a calllog database, it is damaged: "
        "restore it from the last backup (README: When the store fails).")
    # The terminal's width wraps the line, anywhere in a long path: compare the words.
    assert said.replace(" ", "") == expected.replace(" ", "")
    assert said.startswith("calllog: ") and said.endswith("(README: When the store fails).")
    assert db_file.read_bytes() == b"Dear diary,\n" * 400


async def test_rel2_unlock_disk_full_says_so_stays_locked_then_unlocks(
    store: Store, db_url: str, disk: DiskLimit
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen) and app.store is not None
        disk.fill(app.store, "supervisor")
        await fill(pilot, PASSWORDS["adviser"])
        assert isinstance(app.screen, LockScreen)
        assert " ".join(DISK_FULL.split()[:6]) in " ".join(screen_text(app).split())
        disk.free(app.store)
        await fill(pilot, PASSWORDS["adviser"])
        assert isinstance(app.screen, HomeScreen)
