"""CON1–CON3, CON6, SG1, REC6, REC8, REC9, CC1 through the real app: Pilot, keyboard
only, 80x24. Every key of the family screen is pressed by at least one test here or
in test_app_enquiry (e, c) and test_app_queue (a, v)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from calllog.clock import today
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.models import (
    AgencyInformation,
    Attendance,
    Consent,
    Disclosure,
    Person,
    SafeguardingOverride,
)
from calllog.profiles import load_profile
from calllog.services import families, parties, referrals
from calllog.services.referrals import NewReferral
from calllog.validation import format_date
from screens.common.dialogs import CopyTextScreen
from screens.enquiry.form import EnquiryScreen
from screens.family.agency import AgencyInfoScreen
from screens.family.attendance import AttendanceScreen
from screens.family.consent_form import ConsentFormScreen, WithdrawScreen
from screens.family.consents import ConsentsScreen
from screens.family.disclose import DiscloseScreen
from screens.family.other_party import OtherPartyScreen
from screens.family.override import OverrideScreen
from screens.family.record import FamilyScreen
from screens.referrals.form import ReferralFormScreen
from screens.referrals.screen import ReferralsScreen
from screens.session.home import HomeScreen
from tests.apphelpers import fill, log_in, make_app, open_family, screen_text, settle
from tests.consentfixtures import (
    OTHER,
    OTHER_SECRETS,
    PARENT,
    PARENT_SECRETS,
    new_family,
    staff,
)

SIZE = (80, 24)


def _service(tmp_path: Path, profile_key: str) -> tuple[str, Store]:
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    store = Store(url, create=True)
    ensure_demo(store, profile_key)
    return url, store


def _service_with_family(tmp_path: Path, profile_key: str) -> tuple[str, Store, int]:
    """The service, its demo staff and one synthetic family the adviser supports."""
    url, store = _service(tmp_path, profile_key)
    adviser, *_ = staff(store)
    return url, store, new_family(store, adviser, load_profile(profile_key))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _static(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


def _keys(pilot: Pilot[Any]) -> set[str]:
    """The actions the screen offers now, in the footer or under F1 (those the policy
    hides are not there; issue 17: the footer shows the few most used)."""
    return {active.binding.action for active in pilot.app.screen.active_bindings.values()}


def _contact_centre_family(store: Store) -> int:
    """St Mary's: a family referred by a solicitor, the parent's details kept."""
    profile = load_profile("st-marys-ccc")
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law",
        reason="Supported contact.", parent_name="Robin Testparent"))
    assert referral.family_id is not None
    families.update_family(store, adviser, profile, referral.family_id, parent=PARENT,
                           children=(), diversity={}, contact_consent=True)
    return referral.family_id


async def _disclosure_form(pilot: Pilot[Any], what: str, recipient: str,
                           kind: str) -> None:
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiscloseScreen)
    await fill(pilot, what)  # the picker: type to find, enter picks
    await fill(pilot, recipient)
    await fill(pilot, kind)


async def test_con3_app_cornwall_pps_refused_referral_names_consent_then_goes_ahead(
    tmp_path: Path,
) -> None:
    url, store, family = _service_with_family(tmp_path, "cornwall-pps")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await _disclosure_form(pilot, "refer to", "Oakfield School", "school")
        shown = _flat(screen_text(app))
        assert "REFUSED" in shown
        assert "written consent to refer the family to Oakfield School" in shown
        assert "ctrl+r records that consent" in shown
        await pilot.press("ctrl+s")  # refused: nothing is recorded
        await settle(pilot)
        assert isinstance(app.screen, DiscloseScreen)
        await pilot.press("ctrl+r")  # record the missing consent, filled in
        await settle(pilot)
        assert isinstance(app.screen, ConsentFormScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DiscloseScreen)
        assert "ALLOWED" in _flat(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
    with store.read() as session:
        (consent,) = session.exec(select(Consent).where(Consent.kind == "refer")).all()
        (disclosure,) = session.exec(select(Disclosure)).all()
    assert (consent.kind, consent.recipient, consent.written) == ("refer", "Oakfield School",
                                                                  True)
    assert (disclosure.family_id, disclosure.kind, disclosure.consent_id) == (
        family, "refer", consent.id)


async def test_sg1_app_surrey_pwp_override_short_reason_refused_proper_reason_flagged(
    tmp_path: Path,
) -> None:
    url, store, family = _service_with_family(tmp_path, "surrey-pwp")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await _disclosure_form(pilot, "share", "Surrey Children's Services", "children's")
        assert "ctrl+o makes a safeguarding override" in _flat(screen_text(app))
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await fill(pilot, "child")  # the categories Surrey names: child at risk, legal duty
        await fill(pilot, "worried")
        assert "at least 20 characters" in _flat(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        with store.read() as session:
            assert session.exec(select(SafeguardingOverride)).all() == []
        await fill(pilot, "Child described being hit at home; duty to refer today.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert "SAFEGUARDING" in screen_text(app)
        assert "waiting for a supervisor's review" in _flat(screen_text(app))
    with store.read() as session:
        (row,) = session.exec(select(SafeguardingOverride)).all()
        (disclosure,) = session.exec(select(Disclosure)).all()
    # What the supervisors' queue reads: the family's unreviewed override.
    assert (row.family_id, row.category, row.reviewed_at) == (family, "CHILD_AT_RISK", None)
    assert disclosure.override_id == row.id


async def test_sg1_app_supervisor_reviews_the_override(tmp_path: Path) -> None:
    from calllog.services import disclosures

    url, store = _service(tmp_path, "northamptonshire-iass")
    adviser, *_ = staff(store)
    profile = load_profile("northamptonshire-iass")
    family = new_family(store, adviser, profile)
    disclosures.disclose(store, adviser, profile, family, disclosures.DisclosureDraft(
        kind="share", recipient="Northants Police", recipient_kind="POLICE",
        purpose="safeguarding"), override=disclosures.OverrideRequest(
        "PHYSICAL_VIOLENCE", "Caller threatened their former partner on the call."))
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        await open_family(pilot, "testparent")
        assert "waiting for a supervisor's review" in _flat(screen_text(app))
        await pilot.press("R")
        await settle(pilot)
        assert "reviewed" in _flat(screen_text(app))
    with store.read() as session:
        (row,) = session.exec(select(SafeguardingOverride)).all()
    assert row.reviewed_at is not None


async def test_rec8_app_incoming_referral_without_permission_hides_the_family(
    tmp_path: Path,
) -> None:
    url, store = _service(tmp_path, "northamptonshire-iass")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ReferralsScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ReferralFormScreen)
        for value in ("health visitor", "Nene Health Visiting Team", "0161 496 0999",
                      "Concerns about speech delay.", "Robin Heldparent", "Kit Heldchild",
                      "06/05/2021"):
            await fill(pilot, value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReferralsScreen)
        listed = _flat(screen_text(app))
        assert "Nene Health Visiting Team" in listed and "KH 06/05/2021" in listed
        assert "speech" not in listed and "Robin" not in listed  # only what goes back
        await pilot.press("escape")
        await pilot.press("f")
        await settle(pilot)
        app.focused.value = "heldparent"  # type: ignore[union-attr]
        await settle(pilot)
        assert "No family found." in screen_text(app)
        await pilot.press("escape")
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("a")  # the referrer confirms the parent agreed
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await open_family(pilot, "heldparent")
        assert "Kit Heldchild" in screen_text(app)
    assert referrals.held_referrals(store, staff(store)[0]) == []


async def test_con6_app_st_marys_ccc_party_screens_and_exports_stay_apart(
    tmp_path: Path,
) -> None:
    url, store = _service(tmp_path, "st-marys-ccc")
    adviser, *_ = staff(store)
    family = _contact_centre_family(store)
    parties.set_other_party(store, adviser, load_profile("st-marys-ccc"), family, OTHER,
                            keep_contact=True)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        record = _static(pilot, "#family-record")
        assert "020 7946 0123" in record and "Jordan Otherparty" in record
        for secret in OTHER_SECRETS:
            assert secret not in record, secret
        await pilot.press("x")  # export: party A's summary
        await settle(pilot)
        assert isinstance(app.screen, CopyTextScreen)
        for secret in OTHER_SECRETS:
            assert secret not in app.screen.text and secret not in screen_text(app)
        assert "1 Test Row, Truro" in app.screen.text
        await pilot.press("escape")
        await pilot.press("p")  # party B's view
        await settle(pilot)
        record = _static(pilot, "#family-record")
        assert "0161 496 0456" in record and "Robin Testparent" in record
        for secret in PARENT_SECRETS:
            assert secret not in record, secret
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CopyTextScreen)
        for secret in PARENT_SECRETS:
            assert secret not in app.screen.text and secret not in screen_text(app)
        assert "9 Elsewhere Road, Bodmin" in app.screen.text


async def test_con2_app_markup_in_a_recipient_name_shows_literally(tmp_path: Path) -> None:
    """Untrusted text is never markup: a recipient typed as "[bold]Oak[/]field" is shown
    as typed in the decision, the refusal notice and the ledger."""
    url, store = _service(tmp_path, "northamptonshire-iass")
    adviser, *_ = staff(store)
    new_family(store, adviser, load_profile("northamptonshire-iass"))
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await _disclosure_form(pilot, "share", "[bold]Oak[/]field", "school")
        assert "[bold]Oak[/]field" in _flat(screen_text(app))
        await pilot.press("ctrl+s")  # refused: the notice repeats the name
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, DiscloseScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+s")  # verbal or written? The adviser must say.
        await settle(pilot)
        assert isinstance(app.screen, ConsentFormScreen)
        assert app.focused is not None and app.focused.id == "consent-form-in"
        assert any("verbal or written" in n.message for n in app._notifications)
        await fill(pilot, "verbal")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        await pilot.press("k")
        await settle(pilot)
        assert "[bold]Oak[/]field" in _flat(screen_text(app))


async def test_con1_app_consent_recorded_then_withdrawn_stays_in_the_ledger(
    tmp_path: Path,
) -> None:
    url, store, family = _service_with_family(tmp_path, "cornwall-pps")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, ConsentsScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConsentFormScreen)
        await fill(pilot, "share")  # share information with
        await fill(pilot, "Oakfield School")
        await fill(pilot, "verbal")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConsentsScreen)
        chosen = [c.recipient for c in app.screen.consents].index("Oakfield School")
        app.screen.query_one(OptionList).highlighted = chosen
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, WithdrawScreen)
        await pilot.press("ctrl+s")  # withdrawn today
        await settle(pilot)
        assert isinstance(app.screen, ConsentsScreen)
        assert "Consent withdrawn; it stays in the history." in [
            n.message for n in app._notifications]
        assert "withdrawn" in _flat(screen_text(app))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
    with store.read() as session:
        (row,) = session.exec(select(Consent).where(Consent.recipient == "Oakfield School"))
    assert (row.family_id, row.kind, row.written, row.withdrawn_on) == (
        family, "share_information", False, today())


async def test_rec9_app_agency_information_only_when_the_parent_asked(
    tmp_path: Path,
) -> None:
    url, store, family = _service_with_family(tmp_path, "northamptonshire-iass")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, AgencyInfoScreen)
        for value in ("Nene Health Visiting Team", "Speech assessment booked.",
                      format_date(today()), "no"):
            await fill(pilot, value)
        await pilot.press("ctrl+s")  # the parent did not ask: refused
        await settle(pilot)
        assert isinstance(app.screen, AgencyInfoScreen)
        assert any("only when the parent" in n.message for n in app._notifications)
        with store.read() as session:
            assert session.exec(select(AgencyInformation)).all() == []
        app.screen.query_one("#agency-asked-in").focus()
        await pilot.pause()
        await fill(pilot, "yes")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "On record (1)" in screen_text(app)
        assert "Nene Health Visiting Team" in screen_text(app)
    with store.read() as session:
        (row,) = session.exec(select(AgencyInformation)).all()
    assert (row.family_id, row.agency, row.parent_asked) == (
        family, "Nene Health Visiting Team", True)


async def test_cc1_app_st_marys_ccc_attendance_register_released_to_the_referrer(
    tmp_path: Path,
) -> None:
    url, store = _service(tmp_path, "st-marys-ccc")
    family = _contact_centre_family(store)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, AttendanceScreen)
        for value in (format_date(today()), "10", "1130"):
            await fill(pilot, value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Visits (1)" in screen_text(app) and "10:00 to 11:30" in screen_text(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, CopyTextScreen)
        assert "Kernow Family Law" in screen_text(app)
        assert "10:00" in app.screen.text
        for secret in ("Robin", *PARENT_SECRETS):  # the dates and times, nothing else
            assert secret not in app.screen.text, secret
    with store.read() as session:
        (visit,) = session.exec(select(Attendance)).all()
        (release,) = session.exec(select(Disclosure)).all()
    assert (visit.family_id, visit.arrived, visit.left) == (family, "10:00", "11:30")
    assert (release.kind, release.recipient) == ("attendance", "Kernow Family Law")


async def test_con6_app_st_marys_ccc_other_party_details_kept_only_with_consent(
    tmp_path: Path,
) -> None:
    url, store = _service(tmp_path, "st-marys-ccc")
    family = _contact_centre_family(store)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OtherPartyScreen)
        for value in ("Jordan Otherparty", "father", "no", "9 Elsewhere Road, Bodmin"):
            await fill(pilot, value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert "Other party saved. Only their name is kept." in [
            n.message for n in app._notifications]
        record = _static(pilot, "#family-record")
        assert "Jordan Otherparty" in record and "Elsewhere" not in record
    with store.read() as session:
        (other,) = session.exec(select(Person).where(Person.party == "other_party")).all()
    assert (other.family_id, other.name, other.relationship, other.address) == (
        family, "Jordan Otherparty", "FATHER", None)


async def test_rec6_app_new_contact_from_the_family_record(tmp_path: Path) -> None:
    url, _store, family = _service_with_family(tmp_path, "surrey-pwp")
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        ref = app.screen.record.coded_ref  # type: ignore[attr-defined]
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen) and app.screen.family_id == family
        assert f"Returning caller {ref}" in _flat(screen_text(app))


async def test_con6_cc1_sg1_acc6_priv1_app_family_keys_follow_the_policy(
    tmp_path: Path,
) -> None:
    """A SEND service's adviser is offered no contact-centre key, no review and no
    supervision access; a contact centre's supervisor is offered them all, and the
    keys that are not offered do nothing."""
    url, store, _ = _service_with_family(tmp_path, "cornwall-pps")
    centre_tools = {"attendance", "switch_party", "other_party"}
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await open_family(pilot, "testparent")
        keys = _keys(pilot)
        assert {"consents", "disclose", "agency", "export", "access_list"} <= keys
        assert not keys & (centre_tools | {"review_override", "supervision_notes"})
        for key in ("t", "p", "o", "R", "v"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, FamilyScreen)
    url, store = _service(tmp_path / "centre", "st-marys-ccc")
    _contact_centre_family(store)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "supervisor")
        await open_family(pilot, "testparent")
        keys = _keys(pilot)
        assert centre_tools | {"review_override", "access_list"} <= keys
        await pilot.press("R")  # offered; nothing waits for a review
        await settle(pilot)
        assert "No safeguarding override is waiting for a review." in [
            n.message for n in app._notifications]
