"""Helpers for driving the real app with Textual's Pilot, keyboard only."""

from __future__ import annotations

import contextlib
import html
import re
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from screens.app import CalllogApp
from screens.enquiry.form import EnquiryScreen
from screens.family.find import FindFamilyScreen
from screens.family.record import FamilyScreen
from tests.conftest import PASSWORDS


class FakeClock:
    """Monotonic time the test moves by hand: the idle lock is driven, not slept."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(db_url: str, clock: FakeClock | None = None) -> CalllogApp:
    slept: list[float] = []
    app = CalllogApp(db_url, clock=clock or FakeClock(), sleep=slept.append)
    app.slept = slept  # type: ignore[attr-defined]
    return app


async def start_and_exit(db_url: str,
                         capfd: pytest.CaptureFixture[str]) -> tuple[int | None, str]:
    """Start the app on a database it refuses; its exit status and the one line it
    leaves on stderr (unwrapped)."""
    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        with contextlib.suppress(WorkerCancelled):  # the exit cancels the login's worker
            await app.workers.wait_for_complete()
        await pilot.pause()
    return app.return_code, " ".join(capfd.readouterr().err.split())


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for workers (sign-in runs in a thread) and the messages they post."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


async def log_in(
    pilot: Pilot[Any], username: str, password: str | None = None, *, typed: bool = False
) -> None:
    """Sign in through the login screen: enter submits each field. With ``typed``
    every character is a key press; otherwise the field values are set directly
    (a key press costs ~60 ms in the harness)."""
    app = pilot.app
    assert isinstance(app, CalllogApp)
    await app.store_ready.wait()
    await settle(pilot)
    assert isinstance(app.focused, Input) and app.focused.id == "username"
    for value in (username, password if password is not None else PASSWORDS[username]):
        field = app.focused
        assert isinstance(field, Input)
        if typed:
            await type_text(pilot, value)
        else:
            field.value = value
        await pilot.press("enter")
    await settle(pilot)


async def new_enquiry(pilot: Pilot[Any], *, topic: str = "", outcome: str = "") -> EnquiryScreen:
    """From home, ``n``: the new enquiry form, with a topic and an outcome picked by
    typing and enter where given."""
    await pilot.press("n")
    await settle(pilot)
    for typed in (topic, outcome):
        if typed:
            await type_text(pilot, typed)
            await pilot.press("enter")
    form = pilot.app.screen
    assert isinstance(form, EnquiryScreen)
    return form


async def open_family(pilot: Pilot[Any], name: str) -> FamilyScreen:
    """Home -> f -> a name -> enter to the first match -> enter: its family record."""
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FindFamilyScreen)
    pilot.app.focused.value = name  # type: ignore[union-attr]
    await settle(pilot)
    await pilot.press("enter", "enter")
    await settle(pilot)
    record = pilot.app.screen
    assert isinstance(record, FamilyScreen), screen_text(pilot.app)  # type: ignore[arg-type]
    return record


async def fill(pilot: Pilot[Any], value: str) -> None:
    """Put ``value`` into the focused input and press enter."""
    field = pilot.app.focused
    assert isinstance(field, Input)
    field.value = value
    await pilot.press("enter")
    await settle(pilot)


_SVG_TEXT = re.compile(r'<text [^>]*?y="([0-9.]+)"[^>]*>(.*?)</text>', re.S)


def screen_text(app: CalllogApp) -> str:
    """What the terminal shows now, as plain text, one line per terminal row
    (taken from Textual's own SVG screenshot, so it is exactly what is drawn)."""
    rows: dict[float, list[str]] = {}
    for y, content in _SVG_TEXT.findall(app.export_screenshot()):
        rows.setdefault(float(y), []).append(html.unescape(content).replace("\xa0", " "))
    return "\n".join("".join(parts).rstrip() for _, parts in sorted(rows.items()))
