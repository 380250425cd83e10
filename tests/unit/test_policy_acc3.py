"""ACC3: every service added for consent, disclosure, safeguarding, referrals and
contact centres refuses staff without a recorded DBS check (may_open_family_records),
before it reads or writes anything about a family."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from calllog.clock import today
from calllog.errors import NotAllowed
from calllog.models import AuditEvent
from calllog.services import (
    agencies,
    attendance,
    consents,
    disclosures,
    parties,
    referrals,
    safeguarding,
)
from calllog.services.enquiries import ParentDetails
from tests.consentfixtures import new_family, open_service, staff

SHARE = disclosures.DisclosureDraft(kind="share", recipient="Oakfield School",
                                    recipient_kind="SCHOOL")
CALLS: dict[str, Callable[..., Any]] = {
    "record_consent": lambda s, a, p, f: consents.record_consent(
        s, a, p, f, kind="share_information", recipient="X", written=True, given_on=today()),
    "withdraw_consent": lambda s, a, p, f: consents.withdraw_consent(
        s, a, p, 1, withdrawn_on=today()),
    "ledger": lambda s, a, p, f: consents.ledger(s, a, f),
    "preview": lambda s, a, p, f: disclosures.preview(s, a, p, f, SHARE),
    "disclose": lambda s, a, p, f: disclosures.disclose(s, a, p, f, SHARE),
    "family_disclosures": lambda s, a, p, f: disclosures.family_disclosures(s, a, f),
    "review_override": lambda s, a, p, f: safeguarding.review_override(s, a, 1, p),
    "unreviewed_overrides": lambda s, a, p, f: safeguarding.unreviewed_overrides(s, a),
    "family_flag": lambda s, a, p, f: safeguarding.family_flag(s, a, f),
    "record_referral": lambda s, a, p, f: referrals.record_referral(
        s, a, p, referrals.NewReferral("SCHOOL", "Oakfield School", "x", parent_name="P")),
    "held_referrals": lambda s, a, p, f: referrals.held_referrals(s, a),
    "record_permission": lambda s, a, p, f: referrals.record_permission(s, a, p, 1, "PARENT"),
    "permission_refused": lambda s, a, p, f: referrals.permission_refused(s, a, 1),
    "agency_information": lambda s, a, p, f: agencies.record_agency_information(
        s, a, p, f, agency="X", summary="Y", parent_asked=True, obtained_on=today()),
    "record_attendance": lambda s, a, p, f: attendance.record_attendance(
        s, a, p, f, attended_on=today(), arrived="10:00", left="11:00"),
    "attendance_register": lambda s, a, p, f: attendance.register(s, a, p, f),
    "release_attendance": lambda s, a, p, f: attendance.release_to_referrer(s, a, p, f),
    "set_other_party": lambda s, a, p, f: parties.set_other_party(
        s, a, p, f, ParentDetails(name="Jordan"), keep_contact=False),
    "party_view": lambda s, a, p, f: parties.party_view(s, a, p, f, "parent"),
    "party_summary": lambda s, a, p, f: parties.party_summary(s, a, p, f, "parent"),
}


@pytest.mark.parametrize("call", CALLS)
def test_acc3_every_new_service_refuses_staff_without_dbs_check(tmp_path: Path,
                                                                call: str) -> None:
    store, profile = open_service(tmp_path, "cordomus-ccc")
    adviser, _, _, newstarter = staff(store)
    family = new_family(store, adviser, profile)
    consents.record_consent(store, adviser, profile, family, kind="share_information",
                            recipient="Oakfield School", written=True, given_on=today())
    with store.read() as session:
        before = session.exec(select(func.count()).select_from(AuditEvent)).one()
    with pytest.raises(NotAllowed, match="DBS"):
        CALLS[call](store, newstarter, profile, family)
    with store.read() as session:
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.id > before)).all()
    assert set(actions) <= {"access_refused"}  # nothing else happened
