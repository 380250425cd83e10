"""TUI2 (issue 17): the focused field is always in view at 80x24. Opening a section
(the caller's details with F2, another child with ctrl+n, Surrey's diversity
questions with ctrl+g, the consent form) puts its first field on the screen, and
every form walked field by field with tab (and back with shift+tab) keeps the
cursor on the screen: the adviser never types blind."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget

from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.profiles import load_profile
from calllog.services import families, referrals
from calllog.services.referrals import NewReferral
from screens.enquiry.form import EnquiryScreen
from screens.family.agency import AgencyInfoScreen
from screens.family.attendance import AttendanceScreen
from screens.family.consent_form import ConsentFormScreen
from screens.family.disclose import DiscloseScreen
from screens.family.editor import EditFamilyScreen
from screens.family.other_party import OtherPartyScreen
from screens.family.override import OverrideScreen
from screens.family.record import FamilyScreen
from screens.queue.callback import CallbackScreen
from screens.queue.filter import FilterScreen
from screens.referrals.form import ReferralFormScreen
from tests.apphelpers import fill, log_in, make_app, open_family, screen_text, settle, type_text
from tests.consentfixtures import PARENT, new_family, staff
from tests.queuefixtures import add_enquiry

SIZE = (80, 24)
MAX_FIELDS = 80
"""More tab stops than any form has: a walk that never comes back round fails."""


def _service(tmp_path: Path, profile_key: str) -> tuple[str, Store]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    store = Store(url, create=True)
    ensure_demo(store, profile_key)
    return url, store


async def _steady(pilot: Pilot[Any]) -> None:
    """Workers done, messages handled, any scroll finished."""
    await settle(pilot)
    await pilot.wait_for_animation()
    await pilot.pause()


def _in_view(pilot: Pilot[Any], step: str) -> Widget:
    """The focused widget is wholly on the screen and inside the visible part of
    every container it is in (not scrolled away, not under the footer)."""
    app = pilot.app
    focused = app.focused
    assert focused is not None, f"{step}: nothing has focus"
    region = focused.region
    where = f"{step}: {focused!r} at {region} on {type(app.screen).__name__}"
    assert region.area > 0, f"{where} is not on the screen"
    assert app.screen.region.contains_region(region), f"{where} is off the screen"
    for container in focused.ancestors:
        if container is app.screen or not isinstance(container, Widget):
            break
        if container.is_scrollable:
            assert container.scrollable_content_region.contains_region(region), (
                f"{where} is outside the visible part of {container!r} "
                f"({container.scrollable_content_region})\n{screen_text(app)}")  # type: ignore[arg-type]
    return focused


async def _press(pilot: Pilot[Any], key: str) -> Widget:
    await pilot.press(key)
    await _steady(pilot)
    return _in_view(pilot, key)


async def _walk(pilot: Pilot[Any], name: str) -> int:
    """Tab from the focused field through every field until back at the first, then
    a few fields back with shift+tab: each one in view. The number of fields."""
    await _steady(pilot)
    first = _in_view(pilot, f"{name} opened")
    seen = 1
    for _ in range(MAX_FIELDS):
        if await _press(pilot, "tab") is first:
            break
        seen += 1
    else:
        raise AssertionError(f"{name}: tab never came back to the first field")
    for _ in range(min(seen, 4)):
        await _press(pilot, "shift+tab")
    return seen



@contextlib.asynccontextmanager
async def _on_a_family(tmp_path: Path, profile_key: str) -> AsyncIterator[Pilot[Any]]:
    """The adviser, signed in to a service with one synthetic family, on its record."""
    url, store = _service(tmp_path, profile_key)
    new_family(store, staff(store)[0], load_profile(profile_key))
    async with make_app(url).run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        yield pilot



async def _open(pilot: Pilot[Any], key: str, screen: type) -> None:
    await pilot.press(key)
    await _steady(pilot)
    assert isinstance(pilot.app.screen, screen), screen_text(pilot.app)  # type: ignore[arg-type]


async def test_tui2_ctrl_g_puts_surreys_first_diversity_question_in_view(
    store: Store, db_url: str
) -> None:
    """The issue's example: at 80x24 ctrl+g put the cursor in the first answer box
    but left the view on the caller and child fields."""
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open(pilot, "n", EnquiryScreen)
        focused = await _press(pilot, "ctrl+g")
        assert focused.id == "div-ethnicity-in"
        assert "Answer" in screen_text(app)


async def test_tui2_anonymous_enquiry_every_field_in_view(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open(pilot, "n", EnquiryScreen)
        assert await _walk(pilot, "anonymous enquiry") >= 5


async def test_tui2_identified_enquiry_with_two_children_and_diversity_in_view(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open(pilot, "n", EnquiryScreen)
        assert (await _press(pilot, "f2")).id == "consent-in"
        await type_text(pilot, "y")
        assert (await _press(pilot, "enter")).id == "parent-name-in"
        for step in ("Robin Testparent", "mother", "1 Test Row, Truro"):
            await fill(pilot, step)
            _in_view(pilot, f"enter after {step!r}")
        assert (await _press(pilot, "ctrl+n")).id == "child-1-name-in"
        assert (await _press(pilot, "ctrl+g")).id == "div-ethnicity-in"
        assert await _walk(pilot, "identified enquiry") >= 30


async def test_tui2_family_editor_sections_and_fields_in_view(tmp_path: Path) -> None:
    async with _on_a_family(tmp_path, "surrey-pwp") as pilot:
        await _open(pilot, "e", EditFamilyScreen)
        assert (await _press(pilot, "ctrl+g")).id == "div-ethnicity-in"
        assert (await _press(pilot, "ctrl+n")).id == "child-1-name-in"
        assert await _walk(pilot, "family editor") >= 20


async def test_tui2_disclosure_override_and_consent_forms_in_view(tmp_path: Path) -> None:
    async with _on_a_family(tmp_path, "surrey-pwp") as pilot:
        await _open(pilot, "d", DiscloseScreen)
        for value in ("share", "Surrey Children's Services", "children's"):
            await fill(pilot, value)
            _in_view(pilot, f"enter after {value!r}")
        await _walk(pilot, "disclosure form")
        await _open(pilot, "ctrl+o", OverrideScreen)
        _in_view(pilot, "override opened")
        await _walk(pilot, "override form")
        await _open(pilot, "escape", DiscloseScreen)
        await _open(pilot, "ctrl+r", ConsentFormScreen)
        _in_view(pilot, "consent form opened")
        await _walk(pilot, "consent form")


async def test_tui2_consent_form_from_the_ledger_in_view(tmp_path: Path) -> None:
    async with _on_a_family(tmp_path, "cornwall-pps") as pilot:
        await pilot.press("k")
        await _steady(pilot)
        await _open(pilot, "r", ConsentFormScreen)
        await _walk(pilot, "consent form")


async def test_tui2_agency_form_in_view(tmp_path: Path) -> None:
    async with _on_a_family(tmp_path, "northamptonshire-iass") as pilot:
        await _open(pilot, "g", AgencyInfoScreen)
        await _walk(pilot, "agency form")


async def test_tui2_referral_form_in_view(tmp_path: Path) -> None:
    url, _store = _service(tmp_path, "northamptonshire-iass")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("i")
        await _steady(pilot)
        await _open(pilot, "n", ReferralFormScreen)
        await _walk(pilot, "referral form")


async def test_tui2_contact_centre_other_party_and_attendance_in_view(tmp_path: Path) -> None:
    url, store = _service(tmp_path, "st-marys-ccc")
    profile = load_profile("st-marys-ccc")
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law",
        reason="Supported contact.", parent_name="Robin Testparent"))
    assert referral.family_id is not None
    families.update_family(store, adviser, profile, referral.family_id, parent=PARENT,
                           children=(), diversity={}, contact_consent=True)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await _open(pilot, "o", OtherPartyScreen)
        await _walk(pilot, "other party form")
        await _open(pilot, "escape", FamilyScreen)
        await _open(pilot, "t", AttendanceScreen)
        await _walk(pilot, "attendance form")


async def test_tui2_queue_filter_and_callback_in_view(store: Store, db_url: str) -> None:
    adviser = staff(store)[0]
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        await pilot.press("q")
        await _steady(pilot)
        await _open(pilot, "f", FilterScreen)
        await _walk(pilot, "queue filter")
        await pilot.press("escape")
        await _steady(pilot)
        await _open(pilot, "d", CallbackScreen)
        await _walk(pilot, "callback")
