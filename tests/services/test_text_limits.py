"""REL3 (issue 15): nothing typed is cut silently. Every service given more text
than a field holds refuses with a message naming the field and the limit, and
stores nothing (no row, no audit row); text exactly at the limit is kept whole.

Long values are made of synthetic words, never real people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel, func, select

from calllog import limits
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, Problems
from calllog.models import (
    AgencyInformation,
    AuditEvent,
    Consent,
    Disclosure,
    Enquiry,
    Person,
    Referral,
    SafeguardingOverride,
)
from calllog.profiles import Profile
from calllog.services import agencies, consents, disclosures, enquiries, notes, parties, referrals
from calllog.services.disclosures import DisclosureDraft, OverrideRequest
from calllog.services.enquiries import ChildDetails, NewEnquiry, ParentDetails
from calllog.services.referrals import NewReferral
from tests.consentfixtures import new_family, open_service, staff

THEN = "Nothing was saved; shorten it and save again."


def long_text(length: int, *, multiline: bool = False) -> str:
    """Synthetic words, ``length`` characters exactly (line breaks if ``multiline``)."""
    words = "Synthetic words about a test call" + ("\n" if multiline else " ")
    return (words * (length // len(words) + 1))[:length - 1] + "z"


def counts(store: Store, *models: type[SQLModel]) -> tuple[int, ...]:
    every: tuple[type[SQLModel], ...] = (*models, AuditEvent)
    with store.read() as session:
        return tuple(session.exec(select(func.count()).select_from(m)).one() for m in every)


def refused(store: Store, models: tuple[type[SQLModel], ...], call: Callable[[], object]
            ) -> Problems:
    before = counts(store, *models)
    with pytest.raises(Problems) as caught:
        call()
    assert counts(store, *models) == before  # nothing stored, nothing audited
    return caught.value


@pytest.fixture
def surrey(tmp_path: Path) -> tuple[Store, Profile]:
    return open_service(tmp_path, "surrey-pwp")


# --- enquiries -----------------------------------------------------------------------------


def test_rel3_enquiry_note_of_100000_characters_refused_not_cut(
        surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    note = long_text(100_000, multiline=True)
    error = refused(store, (Enquiry,), lambda: enquiries.log_enquiry(
        store, adviser, profile, NewEnquiry(started_at=utcnow(), notes=note)))
    assert error.problems == {"notes": (
        f"The note is 100,000 characters; the most is 20,000. {THEN}")}
    assert str(error) == error.problems["notes"]


def test_rel3_enquiry_note_at_the_limit_kept_whole(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    note = long_text(limits.NOTE, multiline=True)
    saved = enquiries.log_enquiry(store, adviser, profile,
                                  NewEnquiry(started_at=utcnow(), notes=note))
    with store.read() as session:
        stored = session.get(Enquiry, saved.enquiry_id)
    assert stored is not None and stored.notes == note
    assert limits.NOTE > 4000  # the old limit that cut a long call's note


def test_rel3_enquiry_names_address_school_refused_each_with_where(
        surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    data = NewEnquiry(
        started_at=utcnow(), contact_consent=True,
        parent=ParentDetails(name=long_text(161), address=long_text(401, multiline=True)),
        children=(ChildDetails(name=long_text(200), school_name=long_text(1000)),))
    error = refused(store, (Enquiry, Person),
                    lambda: enquiries.log_enquiry(store, adviser, profile, data))
    assert error.problems == {
        "parent.name": f"The name is 161 characters; the most is 160. {THEN}",
        "parent.address": f"The address is 401 characters; the most is 400. {THEN}",
        "children[0].name": f"The child's name is 200 characters; the most is 160. {THEN}",
        "children[0].school_name": (
            f"The school's name is 1,000 characters; the most is 160. {THEN}"),
    }


def test_rel3_other_party_name_refused_not_cut(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "st-marys-ccc")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    error = refused(store, (Person,), lambda: parties.set_other_party(
        store, adviser, profile, family, ParentDetails(name=long_text(500)),
        keep_contact=False))
    assert error.problems == {"name": f"The name is 500 characters; the most is 160. {THEN}"}


# --- consents, agencies, disclosures ------------------------------------------------------


def test_rel3_consent_recipient_refused_not_cut(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    error = refused(store, (Consent,), lambda: consents.record_consent(
        store, adviser, profile, family, kind="share_information", recipient=long_text(170),
        written=False, given_on=today()))
    assert error.problems == {
        "recipient": f"The recipient's name is 170 characters; the most is 160. {THEN}"}


def test_rel3_agency_name_and_summary_refused_not_cut(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    error = refused(store, (AgencyInformation,), lambda: agencies.record_agency_information(
        store, adviser, profile, family, agency=long_text(161),
        summary=long_text(2_001, multiline=True), parent_asked=True,
        obtained_on=today() - timedelta(days=1)))
    assert error.problems == {
        "agency": f"The agency's name is 161 characters; the most is 160. {THEN}",
        "summary": f"What it was is 2,001 characters; the most is 2,000. {THEN}"}


def test_rel3_disclosure_recipient_and_note_refused_not_cut(
        surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    draft = DisclosureDraft(kind="contact_on_behalf", recipient=long_text(300),
                            recipient_kind="SCHOOL", note=long_text(5_000, multiline=True))
    error = refused(store, (Disclosure,), lambda: disclosures.disclose(
        store, adviser, profile, family, draft))
    assert error.problems == {
        "recipient": f"The recipient's name is 300 characters; the most is 160. {THEN}",
        "note": f"The note is 5,000 characters; the most is 2,000. {THEN}"}


def test_rel3_override_reason_refused_not_cut(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    share = DisclosureDraft(kind="share", recipient="Surrey Children's Services",
                            recipient_kind="CHILDRENS_SERVICES", purpose="safeguarding")
    override = OverrideRequest("CHILD_AT_RISK", long_text(2_500, multiline=True))
    error = refused(store, (Disclosure, SafeguardingOverride), lambda: disclosures.disclose(
        store, adviser, profile, family, share, override=override))
    assert error.problems == {
        "reason": f"The reason is 2,500 characters; the most is 2,000. {THEN}"}


# --- referrals ------------------------------------------------------------------------------


def test_rel3_referral_fields_refused_not_cut(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, *_ = staff(store)
    referral = NewReferral(
        referrer_kind="SCHOOL", referrer_name=long_text(161), referrer_contact=long_text(255),
        reason=long_text(20_000, multiline=True), parent_name=long_text(161),
        children=(ChildDetails(name=long_text(161)),))
    error = refused(store, (Referral, Person), lambda: referrals.record_referral(
        store, adviser, profile, referral))
    assert error.problems == {
        "referrer_name": f"The referrer's name is 161 characters; the most is 160. {THEN}",
        "referrer_contact": f"How to reach them is 255 characters; the most is 254. {THEN}",
        "reason": f"The reason is 20,000 characters; the most is 2,000. {THEN}",
        "parent_name": f"The parent's name is 161 characters; the most is 160. {THEN}",
        "children[0].name": f"The child's name is 161 characters; the most is 160. {THEN}",
    }


# --- supervision access ----------------------------------------------------------------------


def test_rel3_supervision_reason_refused_not_cut(surrey: tuple[Store, Profile]) -> None:
    store, profile = surrey
    adviser, supervisor, *_ = staff(store)
    family = new_family(store, adviser, profile)
    before = counts(store)
    with pytest.raises(InvalidInput) as caught:
        notes.open_for_supervision(store, supervisor, profile, reason=long_text(401),
                                   family_id=family)
    assert str(caught.value) == ("The reason is 401 characters; the most is 400. "
                                 "Nothing was opened; shorten it and try again.")
    assert counts(store) == before  # no access, no audit row


# --- the limits themselves ---------------------------------------------------------------------


def test_rel3_length_is_counted_after_cleaning(surrey: tuple[Store, Profile]) -> None:
    """Escape sequences a paste carried are not the adviser's text: a name of exactly
    the limit, wrapped in colour codes, is accepted and kept whole."""
    _, profile = surrey
    name = "a" * limits.NAME
    checked = enquiries.check(profile, NewEnquiry(
        started_at=utcnow(), contact_consent=True,
        parent=ParentDetails(name=f"\x1b[31m{name}\x1b[0m")))
    assert checked.parent is not None and checked.parent.name == name
    with pytest.raises(Problems):
        enquiries.check(profile, NewEnquiry(started_at=utcnow(), contact_consent=True,
                                            parent=ParentDetails(name=name + "b")))


def test_rel3_readme_table_matches_the_limits() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for limit in limits.FIELD_LIMITS:
        assert f"| {limit.field} | {limit.chars:,} |" in readme, limit.field
