"""REL1 (issue 15, item 2): a result that arrives after its screen has gone never
touches it. The returning-caller search runs in a worker after a pause in typing; an
adviser who saves at once closes the form while the search is still out (seen before
as ``NoMatches: '#returning'`` killing the app and printing the family's reference).

The form is saved straight after the key that starts a search, at each point of the
search's life: its timer not yet fired, its worker out (held until the form has
closed, so the result is certainly late), and already back. ``LATE_RESULT_SAVES`` sets how
many saves (200 pass, in about 10 minutes; the suite runs 9, three at each point)."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from sqlmodel import select

from calllog.db import Store
from calllog.models import Enquiry
from calllog.services import search
from screens.common.widgets import TextField
from screens.enquiry.form import EnquiryScreen
from screens.session.home import HomeScreen
from tests.apphelpers import fill, log_in, make_app, settle

pytestmark = pytest.mark.slow

SIZE = (80, 24)
SAVES = int(os.environ.get("LATE_RESULT_SAVES", "9"))


async def test_rel1_save_straight_after_a_search_key_never_crashes(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    searched: list[str] = []
    find_families = search.find_families

    def held_search(*args: Any, **kwargs: Any) -> Any:
        searched.append("out")
        release.wait(5)  # until the form has closed
        return find_families(*args, **kwargs)

    monkeypatch.setattr(search, "find_families", held_search)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        for attempt in range(SAVES):
            await pilot.press("n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, EnquiryScreen)
            await pilot.press("f2")
            await settle(pilot)
            await fill(pilot, "y")  # consent to keep details: the caller's fields open
            name = screen.query_one("#parent-name", TextField)
            stage = attempt % 3
            release.clear() if stage == 1 else release.set()
            name.value = f"Robin Testparent{'e' * (attempt % 5)}"  # the search's timer starts
            if stage == 1:
                screen._search(name.value)  # the worker is out, held
            elif stage == 2:
                await pilot.pause(0.3)  # the search has gone out and come back
                await settle(pilot)
            await pilot.press("ctrl+s")
            while not isinstance(app.screen, HomeScreen):  # the save closes the form
                await pilot.pause(0.01)
            release.set()  # a held result arrives now, for a form that has gone
            await pilot.pause(0.3)  # a timer still pending fires now, too
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), f"attempt {attempt}"
    with store.read() as session:
        assert len(session.exec(select(Enquiry)).all()) == SAVES
    assert len(searched) >= SAVES // 3
