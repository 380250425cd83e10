"""Pictures of the main screens at 80x24 (pytest-textual-snapshot), so a layout change
shows in review as a picture. The clock is frozen and the people are the demo's
synthetic families. After a deliberate change of layout, look at the new pictures
and accept them with ``pytest tests/app/test_snapshots.py --snapshot-update``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from textual.pilot import Pilot

from calllog.db import Store
from calllog.demo import seed_families
from screens.enquiry.form import EnquiryScreen
from screens.family.record import FamilyScreen
from screens.queue.screen import QueueScreen
from screens.session.home import HomeScreen
from screens.session.lock import LockScreen
from tests.apphelpers import log_in, make_app, new_enquiry, settle, type_text

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
FROZEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # a Monday in term time


@pytest.fixture
def demo_url(db_url: str) -> Iterator[str]:
    """The demo service (Surrey) with its three synthetic families, made and shown at
    one frozen moment, so every picture is the same on every machine."""
    with time_machine.travel(FROZEN, tick=False):
        store = Store(db_url, create=True)
        from calllog.demo import ensure_demo

        ensure_demo(store)
        seed_families(store)
        store.close()
        yield db_url


def _signed_in(username: str, then: RunBefore | None = None) -> RunBefore:
    async def run_before(pilot: Pilot[Any]) -> None:
        await log_in(pilot, username)
        if then is not None:
            await then(pilot)
        await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):  # no blink: same picture
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run_before


def test_tui2_snapshot_home(snap_compare: SnapCompare, demo_url: str) -> None:
    async def check(pilot: Pilot[Any]) -> None:
        assert isinstance(pilot.app.screen, HomeScreen)

    assert snap_compare(make_app(demo_url), run_before=_signed_in("adviser", check))


def test_tui2_snapshot_new_enquiry(snap_compare: SnapCompare, demo_url: str) -> None:
    async def typing(pilot: Pilot[Any]) -> None:
        await new_enquiry(pilot, topic="tribunal", outcome="info")
        await type_text(pilot, "Asked about appeal deadlines")
        await pilot.press("f3")
        assert isinstance(pilot.app.screen, EnquiryScreen)

    assert snap_compare(make_app(demo_url), run_before=_signed_in("adviser", typing))


def test_tui2_snapshot_family_record(snap_compare: SnapCompare, demo_url: str) -> None:
    async def open_family(pilot: Pilot[Any]) -> None:
        await pilot.press("f")
        await settle(pilot)
        await type_text(pilot, "robin")
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, FamilyScreen)

    assert snap_compare(make_app(demo_url), run_before=_signed_in("adviser", open_family))


def test_tui2_snapshot_call_queue(snap_compare: SnapCompare, demo_url: str) -> None:
    async def open_queue(pilot: Pilot[Any]) -> None:
        await pilot.press("q")
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        assert isinstance(pilot.app.screen, QueueScreen)

    assert snap_compare(make_app(demo_url), run_before=_signed_in("supervisor", open_queue))


def test_tui2_snapshot_lock(snap_compare: SnapCompare, demo_url: str) -> None:
    async def lock(pilot: Pilot[Any]) -> None:
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LockScreen)

    assert snap_compare(make_app(demo_url), run_before=_signed_in("adviser", lock))
