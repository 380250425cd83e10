"""REC8: incoming referrals are held until the parent's permission is recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from calllog.errors import NotAllowed, Problems
from calllog.models import AuditEvent, Child, Family, Person, Referral, SearchKey
from calllog.services import consents, families, referrals, search
from calllog.services.enquiries import ChildDetails
from calllog.services.referrals import NewReferral
from tests.consentfixtures import open_service, staff

REFERRAL = NewReferral(
    referrer_kind="SCHOOL", referrer_name="Oakfield School", referrer_contact="020 7946 0999",
    reason="Struggling with transition to secondary school.", parent_name="Robin Heldparent",
    children=(ChildDetails(name="Kit Heldchild", dob=date(2014, 5, 6)),))


@pytest.mark.parametrize("service", ["cornwall_pps", "surrey_pwp", "northamptonshire_iass"])
def test_rec8_referral_held_hidden_until_permission(tmp_path: Path, service: str) -> None:
    store, profile = open_service(tmp_path, service.replace("_", "-"))
    adviser, *_ = staff(store)
    held = referrals.record_referral(store, adviser, profile, REFERRAL)
    assert held.status == "held" and held.family_id is not None
    assert search.find_families(store, adviser, "heldparent") == []
    assert search.find_families(store, adviser, "06/05/2014") == []
    with pytest.raises(NotAllowed, match="held until the parent's permission"):
        families.open_family(store, adviser, held.family_id)
    with pytest.raises(NotAllowed, match="held"):
        consents.record_consent(store, adviser, profile, held.family_id, kind="refer",
                                recipient="SENDIASS", written=True, given_on=date.today())
    (shown,) = referrals.held_referrals(store, adviser)  # only what is needed to go back
    assert (shown.referrer_name, shown.referrer_contact, shown.coded_ref) == (
        "Oakfield School", "020 7946 0999", "KH 06/05/2014")
    assert not hasattr(shown, "reason") and not hasattr(shown, "parent_name")
    accepted = referrals.record_permission(store, adviser, profile, held.id, "REFERRER")
    assert accepted.status == "accepted"
    assert [m.family_id for m in search.find_families(store, adviser, "heldparent")] == [
        held.family_id]
    record = families.open_family(store, adviser, held.family_id)
    assert [c.name for c in record.children] == ["Kit Heldchild"]
    assert referrals.held_referrals(store, adviser) == []


def test_rec8_permission_refused_deletes_family_leaves_anonymous_count(
    tmp_path: Path,
) -> None:
    store, profile = open_service(tmp_path, "northamptonshire-iass")
    adviser, *_ = staff(store)
    held = referrals.record_referral(store, adviser, profile, REFERRAL)
    referrals.permission_refused(store, adviser, held.id)
    with store.read() as session:
        assert session.exec(select(Family)).all() == []
        assert session.exec(select(Child)).all() == []
        assert session.exec(select(Person)).all() == []
        assert session.exec(select(SearchKey)).all() == []
        (row,) = session.exec(select(Referral)).all()
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert (row.status, row.family_id, row.referrer_name, row.referrer_contact, row.reason) == (
        "refused", None, None, None, None)
    assert row.referrer_kind == "SCHOOL" and row.decided_at is not None
    assert referrals.referral_counts(store) == {("SCHOOL", "refused"): 1}
    assert actions[-2:] == ["family_deleted", "referral_refused"]
    with pytest.raises(Exception, match="no longer waiting"):
        referrals.record_permission(store, adviser, profile, held.id, "PARENT")


def test_rec8_permission_given_at_receipt_accepts_at_once(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "cornwall-pps")
    adviser, *_ = staff(store)
    accepted = referrals.record_referral(
        store, adviser, profile, NewReferral(**{**REFERRAL.__dict__, "permission": "PARENT"}))
    assert accepted.status == "accepted"
    assert search.find_families(store, adviser, "heldparent")


@pytest.mark.parametrize("service", ["st_marys_ccc", "cordomus_ccc"])
def test_rec8_contact_centre_referrals_accepted_not_held(tmp_path: Path, service: str) -> None:
    store, profile = open_service(tmp_path, service.replace("_", "-"))
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law",
        reason="Supported contact", parent_name="Robin Testparent",
        other_party_name="Jordan Otherparty"))
    assert referral.status == "accepted" and referral.family_id is not None
    with store.read() as session:
        parties = {p.party: p.name for p in session.exec(select(Person))}
    assert parties == {"parent": "Robin Testparent", "other_party": "Jordan Otherparty"}


def test_rec8_referral_fields_checked(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    with pytest.raises(Problems) as caught:
        referrals.record_referral(store, adviser, profile, NewReferral(
            referrer_kind="", referrer_name=" ", reason="", other_party_name="Someone",
            permission="MAYBE"))
    assert set(caught.value.problems) == {"referrer_kind", "referrer_name", "reason",
                                          "other_party_name", "permission", "parent_name"}
    assert caught.value.problems["reason"] == "Say why they referred the family."


def test_acc3_no_dbs_check_no_referrals(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    *_, newstarter = staff(store)
    with pytest.raises(NotAllowed, match="DBS"):
        referrals.record_referral(store, newstarter, profile, REFERRAL)
    with pytest.raises(NotAllowed, match="DBS"):
        referrals.held_referrals(store, newstarter)
