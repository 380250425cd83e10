"""ACC6: every refusal a service makes goes through one guard (calllog.services.guard)
and leaves one ``access_refused`` audit row, committed on its own so the raise does
not undo it, holding ids and the action refused, never a name or a typed value.

The refusals here were not audited before issue 9; the ones that already were keep
their own tests (queue, notes, staff, access list, safeguarding review)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from calllog.clock import today
from calllog.errors import NotAllowed
from calllog.models import AuditEvent
from calllog.services import attendance, consents, parties, referrals, safeguarding
from calllog.services.enquiries import ParentDetails
from tests.consentfixtures import PARENT, new_family, open_service, staff

# (profile, who: 0 adviser / 3 newstarter, call, message, entity, about the family?, reason)
CASES: dict[str, tuple[str, int, Callable[..., Any], str, str, bool, str]] = {
    "con1_consent_kind_the_service_has_not": (
        "cordomus-ccc", 0, lambda s, a, p, f: consents.record_consent(
            s, a, p, f, kind="refer", recipient="Oakfield School", written=True,
            given_on=today()),
        "has no consent to", "family", True, "record consent"),
    "con6_other_party_outside_contact_centres": (
        "surrey-pwp", 0, lambda s, a, p, f: parties.set_other_party(
            s, a, p, f, ParentDetails(name="Jordan"), keep_contact=False),
        "Only contact centres record another party.", "family", True, "other party"),
    "con6_other_party_view_outside_contact_centres": (
        "surrey-pwp", 0, lambda s, a, p, f: parties.party_view(s, a, p, f, "other_party"),
        "Only contact centres record another party.", "family", True, "party view"),
    "cc1_no_attendance_register": (
        "surrey-pwp", 0, lambda s, a, p, f: attendance.register(s, a, p, f),
        "This service keeps no attendance register.", "family", True, "attendance register"),
    "acc3_held_referrals_without_dbs": (
        "surrey-pwp", 3, lambda s, a, p, f: referrals.held_referrals(s, a),
        "DBS", "family", False, "held referrals"),
    "acc3_unreviewed_overrides_without_dbs": (
        "surrey-pwp", 3, lambda s, a, p, f: safeguarding.unreviewed_overrides(s, a),
        "DBS", "family", False, "unreviewed overrides"),
}


def _rows_after(store: Any, last: int) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).where(col(AuditEvent.id) > last)
                                 .order_by(col(AuditEvent.id))))


@pytest.mark.parametrize("case", CASES)
def test_acc6_refusal_audited_in_its_own_transaction(tmp_path: Path, case: str) -> None:
    key, who, call, message, entity, about_family, reason = CASES[case]
    store, profile = open_service(tmp_path, key)
    people = staff(store)
    family = new_family(store, people[0], profile)
    with store.read() as session:
        last = max(session.exec(select(AuditEvent.id)).all())
    with pytest.raises(NotAllowed, match=message):
        call(store, people[who], profile, family)
    (row,) = _rows_after(store, last)
    assert (row.action, row.actor_id, row.entity, row.reason) == (
        "access_refused", people[who].id, entity, reason)
    assert row.entity_id == (family if about_family else None)
    assert PARENT.name is not None and PARENT.name not in (row.reason or "")
