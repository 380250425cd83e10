"""CON1, CON4, REC3: the consent ledger at the service layer."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from calllog import audit
from calllog.clock import today
from calllog.errors import NotAllowed, Problems
from calllog.models import AuditEvent, Consent, Family, Person
from calllog.policy import recipient_key
from calllog.services import consents
from tests.consentfixtures import new_family, open_service, staff


def test_con1_record_then_withdraw_kept_in_history(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    given = consents.record_consent(store, adviser, profile, family, kind="share_information",
                                    recipient="Oakfield School", written=False,
                                    given_on=today() - timedelta(days=3))
    assert given.current and given.recorded_by == "Ash Adviser"
    assert given.describe(profile) == ("Verbal consent to share information about the "
                                       "family with Oakfield School")
    withdrawn = consents.withdraw_consent(store, adviser, profile, given.id,
                                          withdrawn_on=today())
    assert withdrawn.withdrawn_on == today() and not withdrawn.current
    assert withdrawn.withdrawn_by == "Ash Adviser"
    history = consents.ledger(store, adviser, family)
    kept = [c for c in history if c.kind == "keep_contact_details"]  # asked on the call
    assert [(c.id, c.withdrawn_on) for c in history if c not in kept] == [(given.id, today())]
    assert [c.withdrawn_on for c in kept] == [None]
    with pytest.raises(Exception, match="already withdrawn"):
        consents.withdraw_consent(store, adviser, profile, given.id, withdrawn_on=today())


def test_con1_every_field_checked_in_adviser_words(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(Problems) as caught:
        consents.record_consent(store, adviser, profile, family, kind="refer",
                                recipient="  \x1b[2J ", written=True,
                                given_on=today() + timedelta(days=1))
    assert "Name who the consent is for" in caught.value.problems["recipient"]
    assert caught.value.problems["given_on"] == "The date is in the future."
    given = consents.record_consent(store, adviser, profile, family, kind="refer",
                                    recipient="SENDIASS", written=True,
                                    given_on=today() - timedelta(days=2))
    with pytest.raises(Problems) as caught:
        consents.withdraw_consent(store, adviser, profile, given.id,
                                  withdrawn_on=today() - timedelta(days=5))
    assert "cannot be withdrawn before" in caught.value.problems["withdrawn_on"]
    with store.read() as session:
        rows = [(c.kind, c.withdrawn_on) for c in session.exec(select(Consent))]
        # the refused one was never stored; the keep-details one was asked on the call
        assert rows == [("keep_contact_details", None), ("refer", None)]


def test_rec3_con1_keep_contact_consent_and_its_withdrawal_erase_details(
    tmp_path: Path,
) -> None:
    store, profile = open_service(tmp_path, "northamptonshire-iass")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    kept = consents.record_consent(store, adviser, profile, family,
                                   kind="keep_contact_details", recipient=None, written=False,
                                   given_on=today())
    assert kept.recipient is None
    on_call = [c for c in consents.ledger(store, adviser, family)
               if c.kind == "keep_contact_details" and c.id != kept.id]
    assert len(on_call) == 1  # the verbal "yes" asked on the call is in the ledger too
    consents.withdraw_consent(store, adviser, profile, kept.id, withdrawn_on=today())
    with store.read() as session:  # one current consent remains: details kept
        person = session.exec(select(Person).where(Person.family_id == family)).one()
        assert person.phone is not None
    consents.withdraw_consent(store, adviser, profile, on_call[0].id, withdrawn_on=today())
    with store.read() as session:
        person = session.exec(select(Person).where(Person.family_id == family)).one()
        assert (person.address, person.phone, person.email, person.postcode) == (None,) * 4
        assert person.name == "Robin Testparent"
        row = session.get(Family, family)
        assert row is not None and not row.contact_consent


def test_con1_contact_centre_has_no_referral_consent(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "cordomus-ccc")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(NotAllowed, match="no consent to refer"):
        consents.record_consent(store, adviser, profile, family, kind="refer",
                                recipient="Oakfield School", written=True, given_on=today())
    other = consents.record_consent(store, adviser, profile, family, kind="share_information",
                                    recipient="Kernow Family Law", written=False,
                                    given_on=today(), party="other_party")
    assert other.party == "other_party"


def test_acc3_no_dbs_check_cannot_record_consent(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, _, _, newstarter = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(NotAllowed, match="DBS"):
        consents.record_consent(store, newstarter, profile, family, kind="refer",
                                recipient="SENDIASS", written=True, given_on=today())


def test_acc6_consents_audited_by_id_without_names(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    given = consents.record_consent(store, adviser, profile, family, kind="refer",
                                    recipient="Oakfield School", written=True, given_on=today())
    consents.withdraw_consent(store, adviser, profile, given.id, withdrawn_on=today())
    with store.read() as session:
        rows = session.exec(select(AuditEvent).where(
            AuditEvent.entity == "consent", AuditEvent.entity_id == given.id)).all()
        assert audit.verify(session).ok
    assert [(r.action, r.entity_id) for r in rows] == [
        ("consent_recorded", given.id), ("consent_withdrawn", given.id)]
    assert all("Oakfield" not in (r.reason or "") for r in rows)


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("Oakfield School", "oakfield  school.", True),
        ("OAKFIELD SCHOOL", "Oakfield School", True),
        ("St Mary's Surgery", "St Marys Surgery", True),
        ("Smith & Jones Solicitors", "Smith and Jones Solicitors", True),
        ("Zoë Ēxample", "Zoe Example", True),
        # CON4: other sections of the same council are other recipients.
        ("Cornwall Council SEN team", "Cornwall Council social care", False),
        ("Cornwall Council", "Cornwall Council SEN team", False),
        ("North Northamptonshire Council", "West Northamptonshire Council", False),
        ("Oakfield School", "Oakfield Academy", False),
    ],
)
def test_con4_recipients_compared_as_normalised_names(one: str, other: str,
                                                     same: bool) -> None:
    assert (recipient_key(one) == recipient_key(other)) is same


def test_con1_consent_date_cannot_be_ancient(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(Problems, match="years ago"):
        consents.record_consent(store, adviser, profile, family, kind="refer",
                                recipient="SENDIASS", written=True, given_on=date(1960, 1, 1))
