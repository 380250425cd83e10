"""CON2, CON3, SG1, REC8, CON6 through the real app: Pilot, keyboard only, 80x24."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Static

from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.models import Consent, Disclosure, SafeguardingOverride
from calllog.profiles import load_profile
from calllog.services import families, parties, referrals
from calllog.services.referrals import NewReferral
from screens.common.dialogs import CopyTextScreen
from screens.family.consent_form import ConsentFormScreen
from screens.family.disclose import DiscloseScreen
from screens.family.find import FindFamilyScreen
from screens.family.override import OverrideScreen
from screens.family.record import FamilyScreen
from screens.referrals.form import ReferralFormScreen
from screens.referrals.screen import ReferralsScreen
from screens.session.home import HomeScreen
from tests.apphelpers import fill, log_in, make_app, screen_text, settle
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


def _flat(text: str) -> str:
    return " ".join(text.split())


def _static(pilot: Pilot[object], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


async def _open_family(pilot: Pilot[object], name: str) -> None:
    """Home -> f -> type a name -> down to the match -> enter: the family record."""
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FindFamilyScreen)
    pilot.app.focused.value = name  # type: ignore[union-attr]
    await settle(pilot)
    await pilot.press("enter", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FamilyScreen), screen_text(pilot.app)  # type: ignore[arg-type]


async def _disclosure_form(pilot: Pilot[object], what: str, recipient: str,
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
    url, store = _service(tmp_path, "cornwall-pps")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, load_profile("cornwall-pps"))
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open_family(pilot, "testparent")
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
    url, store = _service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, load_profile("surrey-pwp"))
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open_family(pilot, "testparent")
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
        await _open_family(pilot, "testparent")
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
        await _open_family(pilot, "heldparent")
        assert "Kit Heldchild" in screen_text(app)
    assert referrals.held_referrals(store, staff(store)[0]) == []


async def test_con6_app_st_marys_ccc_party_screens_and_exports_stay_apart(
    tmp_path: Path,
) -> None:
    url, store = _service(tmp_path, "st-marys-ccc")
    profile = load_profile("st-marys-ccc")
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law",
        reason="Supported contact.", parent_name="Robin Testparent"))
    family = referral.family_id
    assert family is not None
    families.update_family(store, adviser, profile, family, parent=PARENT, children=(),
                           diversity={}, contact_consent=True)
    parties.set_other_party(store, adviser, profile, family, OTHER, keep_contact=True)
    app = make_app(url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await _open_family(pilot, "testparent")
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
        await _open_family(pilot, "testparent")
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
