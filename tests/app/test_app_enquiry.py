"""REC1–REC7 and OPS1 through the real app: Pilot, keyboard only, 80x24."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from calllog import academic
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.models import AuditEvent, Child, Enquiry, EnquiryTopic, Family, Person
from calllog.profiles import load_profile
from calllog.services import drafts, enquiries
from calllog.services.enquiries import ChildDetails, NewEnquiry, ParentDetails
from screens.app import CalllogApp
from screens.common.widgets import TextField
from screens.enquiry.form import EnquiryScreen
from screens.enquiry.matches import MatchesScreen
from screens.family.record import FamilyScreen
from screens.session.home import HomeScreen
from screens.session.lock import LockScreen
from tests.apphelpers import fill, log_in, make_app, screen_text, settle, type_text
from tests.conftest import PASSWORDS, sign_in

SIZE = (80, 24)


def _rows(store: Store, model: type) -> list:  # type: ignore[type-arg]
    with store.read() as session:
        return list(session.exec(select(model)))


class KeyCounter:
    """Presses keys and counts them; typed text is passed separately and not counted."""

    def __init__(self, pilot: Pilot[Any]) -> None:
        self.pilot = pilot
        self.keys = 0

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def text(self, words: str) -> None:
        await type_text(self.pilot, words)


async def test_rec1_ops1_anonymous_enquiry_takes_at_most_six_keys(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        keys = KeyCounter(pilot)
        await keys.press("n")  # new enquiry: the call timer starts, focus on Topic
        await keys.text("tribunal")
        await keys.press("enter")  # pick the topic, on to Outcome
        await keys.text("info")
        await keys.press("enter")  # pick "Information given", on to the note
        await keys.text("Asked about appeal deadlines")
        await keys.press("f3")  # confidentiality policy explained
        await keys.press("ctrl+s")  # save
        assert keys.keys <= 6
        assert keys.keys == 5
        assert isinstance(app.screen, HomeScreen)
    (enquiry,) = _rows(store, Enquiry)
    assert enquiry.anonymous and enquiry.family_id is None
    assert enquiry.outcome == "INFO" and enquiry.channel == "PHONE"
    assert enquiry.notes == "Asked about appeal deadlines" and enquiry.policy_explained
    assert [t.topic for t in _rows(store, EnquiryTopic)] == ["TRIBUNAL"]
    assert drafts.load(store, enquiry.recorded_by, "enquiry") is None


@pytest.mark.parametrize(("key", "kind"), [("f5", "SILENT"), ("f6", "WRONG_NUMBER"),
                                           ("f7", "HANG_UP"), ("f8", "ABUSIVE")])
async def test_rec1_non_data_contact_takes_one_key(
    store: Store, db_url: str, key: str, kind: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (enquiry,) = _rows(store, Enquiry)
    assert enquiry.non_data_kind == kind


async def test_rec1_non_data_key_inside_an_open_call(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("n", "f5")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (enquiry,) = _rows(store, Enquiry)
    assert enquiry.non_data_kind == "SILENT"


async def _identify(pilot: Pilot[Any], app: CalllogApp, consent: str) -> None:
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.focused, Input) and app.focused.id == "consent-in"
    await fill(pilot, consent)


def _field(app: CalllogApp, field_id: str) -> TextField:
    return app.screen.query_one(f"#{field_id}", TextField)


async def test_rec2_identified_enquiry_with_two_children_and_year_groups(
    store: Store, db_url: str
) -> None:
    first, second = date(2015, 3, 4), date(2019, 9, 1)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _identify(pilot, app, "y")
        assert app.focused is not None and app.focused.id == "parent-name-in"
        for value in ("Robin Testparent", "moth", "1 Test Row, Testtown", "gu21 4xx",
                      "020 7946 0123", "robin@example.org", "phone"):
            await fill(pilot, value)
        assert _field(app, "parent-postcode").value == "GU21 4XX"
        assert _field(app, "parent-phone").value == "020 7946 0123"
        assert app.focused is not None and app.focused.id == "child-0-name-in"
        await fill(pilot, "Alex Testchild")
        await fill(pilot, "04/03/2015")
        expected = academic.year_group_label(academic.year_group_code(first, today()))
        assert f"{expected}, from the date of birth" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "child-1-name-in"
        await fill(pilot, "Sam Testchild")
        await fill(pilot, "01/09/2019")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    (person,) = _rows(store, Person)
    assert (person.name, person.relationship, person.postcode, person.phone) == (
        "Robin Testparent", "MOTHER", "GU21 4XX", "+442079460123")
    children = {c.name: c for c in _rows(store, Child)}
    assert children["Alex Testchild"].dob == first
    assert children["Alex Testchild"].year_group == academic.year_group_code(first, today())
    assert children["Sam Testchild"].year_group == academic.year_group_code(second, today())
    (family,) = _rows(store, Family)
    assert family.contact_consent and family.coded_ref == "AT 04/03/2015"


async def test_rec3_consent_refused_contact_fields_not_offered_nothing_stored(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _identify(pilot, app, "n")
        assert not app.screen.query_one("#parent-fields").display
        assert "Postcode" not in screen_text(app) and "Email" not in screen_text(app)
        assert app.focused is not None and app.focused.id == "child-0-name-in"
        await fill(pilot, "Alex Testchild")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _rows(store, Person) == []
    (family,) = _rows(store, Family)
    assert not family.contact_consent


@pytest.mark.parametrize(
    ("field_id", "typed", "words"),
    [
        ("parent-postcode", "GU21 XX4", "doesn't look right"),
        ("parent-phone", "0123", "phone number doesn't look right"),
        ("parent-email", "robin@", "email address doesn't look right"),
        ("child-0-dob", "31/02/2015", "not a real date"),
        ("child-0-dob", "01/01/2999", "future"),
        ("child-0-dob", "4 March", "DD/MM/YYYY"),
    ],
)
async def test_rec2_field_errors_in_adviser_words_and_nothing_lost(
    store: Store, db_url: str, field_id: str, typed: str, words: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _identify(pilot, app, "y")
        await fill(pilot, "Robin Testparent")
        field = _field(app, field_id)
        field.focus_input()
        await settle(pilot)
        await fill(pilot, typed)
        assert field.error is not None and words in field.error
        assert words in screen_text(app) or field.has_class("-error")
        assert field.value == typed  # nothing typed is lost
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen)  # not saved with a bad field
        assert _field(app, "parent-name").value == "Robin Testparent"
    assert _rows(store, Enquiry) == []


def _returning_family(store: Store) -> int:
    saved = enquiries.log_enquiry(store, sign_in(store, "supervisor"), load_profile("surrey-pwp"),
                                  NewEnquiry(
        started_at=utcnow(), contact_consent=True,
        parent=ParentDetails(name="Robin Testparent", phone="020 7946 0123",
                             postcode="GU21 4XX"),
        children=(ChildDetails(name="Alex Testchild", dob=date(2015, 3, 4)),)))
    assert saved.family_id is not None
    return saved.family_id


@pytest.mark.parametrize(
    ("field_id", "typed"),
    [("parent-name", "Testpar"), ("parent-phone", "020 7946 01"),
     ("parent-postcode", "GU21 4X"), ("child-0-dob", "04/03/2015")],
)
async def test_rec6_returning_caller_found_by_each_key_and_view_audited(
    store: Store, db_url: str, field_id: str, typed: str
) -> None:
    family_id = _returning_family(store)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _identify(pilot, app, "y")
        field = _field(app, field_id)
        field.focus_input()
        await settle(pilot)
        field.value = typed
        await pilot.pause(0.4)  # the search waits for a pause in typing
        await settle(pilot)
        shown = screen_text(app)
        assert "AT 04/03/2015" in shown and "Robin" not in shown.split("Returning")[-1][:200]
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, MatchesScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen) and app.screen.family_id == family_id
        assert not app.screen.query_one("#caller").display  # nothing asked twice
        await pilot.press("ctrl+s")
        await settle(pilot)
    enquiry = [e for e in _rows(store, Enquiry) if e.family_id == family_id]
    assert len(enquiry) == 2 and len(_rows(store, Family)) == 1
    views = [e for e in _rows(store, AuditEvent)
             if e.action == "family_viewed" and e.entity_id == family_id]
    assert views and views[-1].reason == "returning caller"


async def _typed_enquiry(pilot: Pilot[Any], app: CalllogApp) -> None:
    await pilot.press("n")
    await settle(pilot)
    await type_text(pilot, "exclu")
    await pilot.press("enter")
    await pilot.press("enter")  # no outcome yet: on to the note
    await type_text(pilot, "Half-typed note about a call")
    await pilot.press("f2")
    await settle(pilot)
    await fill(pilot, "y")
    await fill(pilot, "Robin Testparent")


async def test_rec7_draft_survives_lock_and_unlock(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        adviser_id = app.actor.id if app.actor else 0
        await _typed_enquiry(pilot, app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "Half-typed" not in screen_text(app)
        saved = drafts.load(store, adviser_id, "enquiry")
        assert saved is not None and saved["notes"] == "Half-typed note about a call"
        assert saved["form"]["parent"]["name"] == "Robin Testparent"
        await fill(pilot, PASSWORDS["adviser"])
        assert isinstance(app.screen, EnquiryScreen)
        assert app.screen.query_one("#notes", TextArea).text == "Half-typed note about a call"
        assert _field(app, "parent-name").value == "Robin Testparent"


async def test_rec7_draft_survives_switch_user_and_is_offered_back(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _typed_enquiry(pilot, app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await fill(pilot, "supervisor")
        await fill(pilot, PASSWORDS["supervisor"])
        assert isinstance(app.screen, HomeScreen)
        assert "unsaved enquiry" not in screen_text(app)  # drafts are their own
        await pilot.press("o")  # the supervisor signs out
        await settle(pilot)
        await log_in(pilot, "adviser")
        assert "You have an unsaved enquiry" in screen_text(app)
        await pilot.press("n")  # would overwrite it: refused with a message
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen)
        assert _field(app, "parent-name").value == "Robin Testparent"
        shown = screen_text(app)
        assert "Exclusion" in shown or "exclusion" in shown.lower()
        await pilot.press("ctrl+s")
        await settle(pilot)
    (enquiry,) = _rows(store, Enquiry)
    assert enquiry.notes == "Half-typed note about a call"
    (person,) = _rows(store, Person)
    assert person.name == "Robin Testparent"


async def test_priv3_markup_in_notes_and_names_shown_literally(
    store: Store, db_url: str
) -> None:
    saved = enquiries.log_enquiry(store, sign_in(store, "adviser"), load_profile("surrey-pwp"),
                                  NewEnquiry(
        started_at=utcnow(), notes="Mum said [bold]urgent[/] and [/] twice",
        contact_consent=True, parent=ParentDetails(name="[red]Robin[/red] Testparent"),
        children=(ChildDetails(name="Alex [link=x]Testchild", dob=date(2015, 3, 4)),)))
    app = make_app(db_url)
    async with app.run_test(size=(100, 60)) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, "testchild")
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen) and app.screen.record.id == saved.family_id
        shown = screen_text(app)
        assert "Mum said [bold]urgent[/] and [/] twice" in shown
        assert "[red]Robin[/red] Testparent" in shown
        assert "Alex [link=x]Testchild" in shown


async def test_con5_family_screen_shows_coded_reference(store: Store, db_url: str) -> None:
    family_id = _returning_family(store)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, "04/03/2015")
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen) and app.screen.record.id == family_id
        assert "Coded reference AT 04/03/2015" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Copied AT 04/03/2015."]


@pytest.mark.parametrize(("profile", "asks"), [("surrey-pwp", True), ("cornwall-pps", False)])
async def test_rec2_general_enquiry_asks_child_where_the_profile_says(
    tmp_path: object, profile: str, asks: bool
) -> None:
    from pathlib import Path

    from calllog.demo import ensure_demo

    url = f"sqlite:///{Path(str(tmp_path)) / 'p.sqlite3'}"
    store = Store(url)
    ensure_demo(store, profile)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("n")
        await settle(pilot)
        assert bool(app.screen.query_one("#children").display) is asks
        assert not app.screen.query_one("#caller").display  # contact details: F2 only
        if asks:  # optional: an anonymous save still works, and a child can be given
            _field(app, "child-0-name").value = "Alex Testchild"
            _field(app, "child-0-dob").value = "04/03/2015"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)
    if asks:
        (child,) = _rows(store, Child)
        assert child.name == "Alex Testchild" and _rows(store, Person) == []


async def test_rec2_acc6_edit_family_record_checked_and_audited(
    store: Store, db_url: str
) -> None:
    from screens.family.editor import EditFamilyScreen

    family_id = _returning_family(store)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")  # the family's supporter (they logged it)
        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, "testparent")
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditFamilyScreen)
        postcode = _field(app, "parent-postcode")
        postcode.value = "not a postcode"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EditFamilyScreen)  # refused, nothing lost
        assert postcode.error is not None and postcode.value == "not a postcode"
        assert app.focused is postcode.input
        postcode.value = "kt17 1ab"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert "KT17 1AB" in screen_text(app)
    (person,) = _rows(store, Person)
    assert person.postcode == "KT17 1AB"
    updates = [e for e in _rows(store, AuditEvent)
               if e.action == "family_updated" and e.entity_id == family_id]
    assert len(updates) == 1
