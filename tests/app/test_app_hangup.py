"""REL1/OPS3 through the app: a hang-up saves every key already received (they are
handled before the draft is read), and a draft that cannot be saved at hang-up is
written to the crash log instead of being swallowed; the session still ends."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from textual import events
from textual.widgets import TextArea

from calllog import crashlog
from calllog.db import Store
from calllog.services import drafts
from screens.enquiry.form import DRAFT_KIND
from tests.apphelpers import log_in, make_app, new_enquiry
from tests.conftest import sign_in

SIZE = (80, 24)
NOTE = "Parent asked about an annual review date and transport to school"


@pytest.fixture(autouse=True)
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(crashlog.ENV_STATE_DIR, str(folder))
    return folder


@pytest.mark.parametrize("burst", [1, 12, len(NOTE)])
async def test_ops3_hangup_keeps_every_key_already_received(
    store: Store, db_url: str, burst: int
) -> None:
    """Keys still waiting in the app's queue when SIGHUP arrives (a burst over SSH,
    a busy machine) are in the draft: the hang-up goes behind them."""
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        (await new_enquiry(pilot)).query_one("#notes", TextArea).focus()
        await pilot.pause()
        typed, waiting = NOTE[:-burst], NOTE[-burst:]
        app.screen.query_one("#notes", TextArea).insert(typed)
        for char in waiting:  # queued, not yet handled, as a burst from the terminal
            app.post_message(events.Key(char if char != " " else "space", char))
        app.hangup_after_input(signal.SIGHUP)
        await pilot.pause(0.5)
        assert not app.is_running
    adviser = sign_in(store, "adviser").id
    draft = drafts.load(store, adviser, DRAFT_KIND)
    assert draft is not None and draft["notes"] == NOTE


async def test_ops3_hangup_keeps_keys_held_by_type_ahead(store: Store, db_url: str) -> None:
    """Enter (a key that may move the cursor) makes the keys behind it wait in
    type-ahead until it has settled; a hang-up then waits for them too."""
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        (await new_enquiry(pilot)).query_one("#notes", TextArea).focus()
        await pilot.pause()
        first, second = "Asked about transport", "and a review date"
        for char in first:
            app.post_message(events.Key(char if char != " " else "space", char))
        app.post_message(events.Key("enter", "\r"))
        for char in second:
            app.post_message(events.Key(char if char != " " else "space", char))
        app.hangup_after_input(signal.SIGHUP)
        await pilot.pause(1.0)
        assert not app.is_running
    draft = drafts.load(store, sign_in(store, "adviser").id, DRAFT_KIND)
    assert draft is not None and draft["notes"] == f"{first}\n{second}"


async def test_rel1_draft_failing_at_hangup_goes_to_the_crash_log(
    store: Store, db_url: str, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft cannot be saved (say the disk is full): the hang-up still audits the
    end of the session and exits, and the crash log says what failed (types and
    places only, never the note)."""
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, f"No space left on device while saving {NOTE}")

    monkeypatch.setattr("calllog.services.drafts.save", full_disk)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        (await new_enquiry(pilot)).query_one("#notes", TextArea).insert(NOTE)
        app.hangup(signal.SIGHUP)
        await pilot.pause(0.2)
        assert not app.is_running
    text = (crash_dir / crashlog.LOG_NAME).read_text()
    assert "saving the drafts at SIGHUP" in text and "OSError" in text
    assert "annual review" not in text and "No space" not in text
    [entry] = crashlog.entries()
    assert entry.error_type.endswith("OSError")
