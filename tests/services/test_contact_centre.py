"""CON6, CC1, CC2 at the service layer: two parties, the attendance register, no
reports for family proceedings."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from calllog.clock import today
from calllog.errors import NotAllowed, Problems
from calllog.models import Disclosure
from calllog.services import attendance, consents, disclosures, parties
from calllog.services.disclosures import DisclosureDraft, OverrideRequest, Refused
from tests.consentfixtures import (
    OTHER,
    OTHER_SECRETS,
    PARENT_SECRETS,
    new_family,
    open_service,
    staff,
    two_parties,
)

CENTRES = ["st_marys_ccc", "cordomus_ccc"]


@pytest.mark.parametrize("service", CENTRES)
def test_con6_each_party_view_shows_only_their_own_details(tmp_path: Path,
                                                          service: str) -> None:
    store, profile, adviser, family = two_parties(tmp_path, service)
    a = parties.party_view(store, adviser, profile, family, "parent")
    b = parties.party_view(store, adviser, profile, family, "other_party")
    assert a.own is not None and a.own.phone == "+442079460123"
    assert b.own is not None and b.own.phone == "+441614960456"
    assert (a.other_name, b.other_name) == ("Jordan Otherparty", "Robin Testparent")
    for secret in OTHER_SECRETS:
        assert secret not in repr(a)
    for secret in PARENT_SECRETS:
        assert secret not in repr(b)


@pytest.mark.parametrize("service", CENTRES)
def test_con6_party_export_never_carries_the_other_partys_details(tmp_path: Path,
                                                                 service: str) -> None:
    store, profile, adviser, family = two_parties(tmp_path, service)
    attendance.record_attendance(store, adviser, profile, family,
                                 attended_on=today() - timedelta(days=7), arrived="10:00",
                                 left="11:30")
    for_a = parties.party_summary(store, adviser, profile, family, "parent")
    for_b = parties.party_summary(store, adviser, profile, family, "other_party")
    assert for_a.startswith("STRICTLY PRIVATE AND CONFIDENTIAL")
    assert "1 Test Row, Truro" in for_a and "020 7946 0123" in for_a
    assert "9 Elsewhere Road, Bodmin" in for_b and "0161 496 0456" in for_b
    assert "Jordan Otherparty" in for_a and "Robin Testparent" in for_b
    for secret in OTHER_SECRETS:
        assert secret not in for_a, secret
    for secret in PARENT_SECRETS:
        assert secret not in for_b, secret
    assert "10:00 to 11:30" in for_a


def test_con6_st_marys_ccc_details_passed_only_with_that_partys_permission(
    tmp_path: Path,
) -> None:
    """003 iv: a parent's address and telephone are not passed to any other person
    (including their former partner) without *their* permission."""
    store, profile, adviser, family = two_parties(tmp_path, "st_marys_ccc")
    to_b = DisclosureDraft(kind="share", recipient="Jordan Otherparty",
                           recipient_kind="FAMILY", purpose="contact_details",
                           about_party="parent")
    consents.record_consent(store, adviser, profile, family, kind="share_information",
                            recipient="Jordan Otherparty", written=True, given_on=today(),
                            party="other_party")  # B agreeing is not A agreeing
    with pytest.raises(Refused) as caught:
        disclosures.disclose(store, adviser, profile, family, to_b)
    assert caught.value.decision.missing == (
        "consent to pass the parent's address and telephone number to Jordan Otherparty")
    consents.record_consent(store, adviser, profile, family, kind="share_information",
                            recipient="Jordan Otherparty", written=False, given_on=today(),
                            party="parent")
    assert disclosures.disclose(store, adviser, profile, family, to_b).decision.allowed


@pytest.mark.parametrize("service", CENTRES)
def test_cc1_attendance_released_to_the_referring_agency_dates_and_times_only(
    tmp_path: Path, service: str,
) -> None:
    store, profile, adviser, family = two_parties(tmp_path, service)
    for days, (arrived, left) in ((14, ("9:30", "11")), (7, ("1400", "15.45"))):
        attendance.record_attendance(store, adviser, profile, family,
                                     attended_on=today() - timedelta(days=days),
                                     arrived=arrived, left=left)
    visits = attendance.register(store, adviser, profile, family)
    assert [(v.arrived, v.left) for v in visits] == [("09:30", "11:00"), ("14:00", "15:45")]
    release = attendance.release_to_referrer(store, adviser, profile, family)
    assert release.recipient == "Kernow Family Law"
    lines = release.text.splitlines()
    assert lines[0] == "STRICTLY PRIVATE AND CONFIDENTIAL"
    assert f"{today() - timedelta(days=14):%d/%m/%Y}  09:30 to 11:00" in lines
    for secret in (*PARENT_SECRETS, *OTHER_SECRETS, "Robin", "Jordan", "Testparent",
                   "synthetic", "separation"):
        assert secret not in release.text
    with store.read() as session:
        (row,) = session.exec(select(Disclosure)).all()
    assert (row.kind, row.recipient, row.consent_id, row.override_id) == (
        "attendance", "Kernow Family Law", None, None)


def test_cc1_attendance_only_to_a_recorded_referrer(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "cordomus-ccc")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)  # came in by phone: no referring agency
    with pytest.raises(Refused, match="No referring agency"):
        attendance.release_to_referrer(store, adviser, profile, family)


def test_cc1_no_attendance_register_in_send_services(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(NotAllowed, match="no attendance register"):
        attendance.record_attendance(store, adviser, profile, family, attended_on=today(),
                                     arrived="10:00", left="11:00")


def test_cc1_attendance_times_checked(tmp_path: Path) -> None:
    store, profile, adviser, family = two_parties(tmp_path, "cordomus_ccc")
    with pytest.raises(Problems) as caught:
        attendance.record_attendance(store, adviser, profile, family,
                                     attended_on=today() + timedelta(days=1), arrived="25:00",
                                     left="soon")
    assert set(caught.value.problems) == {"attended_on", "arrived", "left"}
    with pytest.raises(Problems, match="left before they arrived"):
        attendance.record_attendance(store, adviser, profile, family,
                                     attended_on=date.today(), arrived="11:00", left="10:00")


@pytest.mark.parametrize("service", CENTRES)
def test_cc2_no_report_for_family_proceedings_even_with_consent_or_override(
    tmp_path: Path, service: str,
) -> None:
    store, profile, adviser, family = two_parties(tmp_path, service)
    consents.record_consent(store, adviser, profile, family, kind="share_information",
                            recipient="Kernow Family Court", written=True, given_on=today())
    report = DisclosureDraft(kind="share", recipient="Kernow Family Court",
                             recipient_kind="LEGAL", purpose="family_proceedings")
    decision = disclosures.preview(store, adviser, profile, family, report)
    assert not decision.allowed and not decision.override_possible
    assert "family proceedings" in decision.reason
    for category in ("CHILD_AT_RISK", "PHYSICAL_VIOLENCE", "LEGAL_DUTY"):
        with pytest.raises(Refused):
            disclosures.disclose(store, adviser, profile, family, report, override=
                                 OverrideRequest(category, "A court order arrived this week."))
    with store.read() as session:
        assert session.exec(select(Disclosure)).all() == []


def test_con6_other_party_only_in_contact_centres(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(NotAllowed, match="Only contact centres"):
        parties.set_other_party(store, adviser, profile, family, OTHER, keep_contact=True)


def test_con6_other_partys_details_kept_only_with_their_consent(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "st-marys-ccc")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    view = parties.set_other_party(store, adviser, profile, family, OTHER, keep_contact=False)
    assert view.own is not None and view.own.name == "Jordan Otherparty"
    assert view.own.phone is None and view.own.address is None and not view.own_consent
    with pytest.raises(Problems) as caught:
        parties.set_other_party(store, adviser, profile, family,
                                OTHER.__class__(name="X", phone="12"), keep_contact=True)
    assert "phone" in caught.value.problems
