"""The tamper-evident audit log.

Each row stores ``hash = SHA-256(prev_hash || canonical(row))``, where canonical
is compact JSON of (id, at, actor_id, action, entity, entity_id, reason). Rows
are numbered 1, 2, 3 … with no gaps, so an edited, deleted or inserted row breaks
the chain at that point. Triggers (see migration 0001) refuse UPDATE and DELETE.

Callers append inside the same write session as the change they record, so the
change and its audit row commit or roll back together. Rows carry ids, never
names, passwords or field values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import text
from sqlmodel import Session, col, select

from calllog.clock import iso, utcnow
from calllog.models import AuditEvent

GENESIS = "0" * 64


class Action(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_LOCKED = "account_locked"
    LOGOUT = "logout"
    SCREEN_LOCKED = "screen_locked"
    SCREEN_UNLOCKED = "screen_unlocked"
    UNLOCK_FAILED = "unlock_failed"
    USER_SWITCHED = "user_switched"
    SESSION_ENDED = "session_ended"
    PASSWORD_REHASHED = "password_rehashed"
    SERVICE_INITIALISED = "service_initialised"
    STAFF_ADDED = "staff_added"
    STAFF_DISABLED = "staff_disabled"
    STAFF_ENABLED = "staff_enabled"
    STAFF_UNLOCKED = "staff_unlocked"
    STAFF_PASSWORD_RESET = "staff_password_reset"
    STAFF_ROLE_CHANGED = "staff_role_changed"
    STAFF_DBS_RECORDED = "staff_dbs_recorded"
    STAFF_DBS_VIEWED = "staff_dbs_viewed"
    ACCESS_REFUSED = "access_refused"
    ENQUIRY_LOGGED = "enquiry_logged"
    FAMILY_CREATED = "family_created"
    FAMILY_UPDATED = "family_updated"
    FAMILY_VIEWED = "family_viewed"
    # consent, disclosure, safeguarding, referrals, contact centres (issue 4)
    CONSENT_RECORDED = "consent_recorded"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    DISCLOSURE_RECORDED = "disclosure_recorded"
    DISCLOSURE_REFUSED = "disclosure_refused"
    OVERRIDE_MADE = "override_made"
    OVERRIDE_REVIEWED = "override_reviewed"
    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_ACCEPTED = "referral_accepted"
    REFERRAL_REFUSED = "referral_refused"
    FAMILY_DELETED = "family_deleted"
    AGENCY_INFORMATION_RECORDED = "agency_information_recorded"
    ATTENDANCE_RECORDED = "attendance_recorded"
    PARTY_UPDATED = "party_updated"
    FAMILY_EXPORTED = "family_exported"
    # the call queue, private notes, who has seen a record (issue 5)
    ENQUIRY_VIEWED = "enquiry_viewed"
    ENQUIRY_ASSIGNED = "enquiry_assigned"
    ENQUIRY_CALLBACK_SET = "enquiry_callback_set"
    ENQUIRY_CLOSED = "enquiry_closed"
    FAMILY_SUPPORTER_CHANGED = "family_supporter_changed"
    NOTES_SUPERVISION_ACCESS = "notes_supervision_access"
    ACCESS_LIST_VIEWED = "access_list_viewed"


class Entity(StrEnum):
    """What an audit row is about: the table of the record, whose id is the row's
    ``entity_id`` (who has seen a family's record joins on these, ACC6)."""

    STAFF = "staff"
    FAMILY = "family"
    PERSON = "person"
    ENQUIRY = "enquiry"
    CONSENT = "consent"
    DISCLOSURE = "disclosure"
    SAFEGUARDING_OVERRIDE = "safeguarding_override"
    REFERRAL = "referral"
    AGENCY_INFORMATION = "agency_information"
    ATTENDANCE = "attendance"


def canonical(
    id: int,
    at: str,
    actor_id: int | None,
    action: str,
    entity: str | None,
    entity_id: int | None,
    reason: str | None,
) -> str:
    return json.dumps(
        [id, at, actor_id, action, entity, entity_id, reason],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def chain_hash(prev_hash: str, canonical_row: str) -> str:
    return hashlib.sha256((prev_hash + canonical_row).encode("utf-8")).hexdigest()


def _row_hash(row: AuditEvent, prev_hash: str) -> str:
    return chain_hash(
        prev_hash,
        canonical(
            row.id, iso(row.at), row.actor_id, row.action, row.entity, row.entity_id, row.reason
        ),
    )


def record(
    session: Session,
    action: Action | str,
    *,
    actor_id: int | None,
    entity: Entity | None = None,
    entity_id: int | None = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one row to the chain inside the caller's write transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE audit_event IN SHARE ROW EXCLUSIVE MODE"))
    last = session.exec(
        select(AuditEvent.id, AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)
    ).first()
    prev_id, prev_hash = last if last is not None else (0, GENESIS)
    row = AuditEvent(
        id=prev_id + 1,
        at=at or utcnow(),
        actor_id=actor_id,
        action=str(action),
        entity=str(entity) if entity is not None else None,
        entity_id=entity_id,
        reason=reason,
        prev_hash=prev_hash,
        hash="",
    )
    row.hash = _row_hash(row, prev_hash)
    session.add(row)
    session.flush()
    return row


APPEND_ONLY_TRIGGERS = {
    "sqlite": ("audit_event_no_update", "audit_event_no_delete"),
    "postgresql": ("audit_event_append_only",),
}
"""The triggers that make audit_event append-only, per database (migration 0001)."""


@dataclass(frozen=True)
class VerifyResult:
    """``rows``: how many rows from the start are intact; ``problems``: every break
    found, as (row id, what), oldest first; ``first_bad_id``/``problem``: the first."""

    ok: bool
    rows: int
    head: str
    first_bad_id: int | None = None
    problem: str | None = None
    problems: tuple[tuple[int, str], ...] = ()


def verify_rows(rows: Iterable[AuditEvent]) -> VerifyResult:
    """Check every row against the one before it and its own hash; after a break,
    carry on from the stored hashes so every break is found, not only the first."""
    problems: list[tuple[int, str]] = []
    prev_hash = GENESIS
    expected_id = 1
    intact = 0
    for row in rows:
        if row.id > expected_id:
            one = row.id == expected_id + 1
            missing = f"row {expected_id} is" if one else f"rows {expected_id}–{row.id - 1} are"
            problems.append((expected_id, f"{missing} missing"))
        elif row.id < expected_id:
            problems.append((row.id, "row out of order"))
        if row.prev_hash != prev_hash:
            problems.append((row.id, "does not follow the row before it"))
        if _row_hash(row, row.prev_hash) != row.hash:
            problems.append((row.id, "content does not match its hash"))
        if not problems:
            intact += 1
        prev_hash = row.hash
        expected_id = max(expected_id, row.id) + 1
    if not problems:
        return VerifyResult(True, intact, prev_hash)
    first_id, first = problems[0]
    return VerifyResult(False, intact, prev_hash, first_id, first, tuple(problems))


def verify(session: Session, expect_head: str | None = None) -> VerifyResult:
    """Check the whole chain, oldest first, streaming in batches."""
    rows = session.exec(
        select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=2000)
    )
    result = verify_rows(rows)
    if result.ok and expect_head is not None and result.head != expect_head:
        cut = "chain head differs from the published head: rows were removed from the end"
        return VerifyResult(False, result.rows, result.head, result.rows, cut,
                            ((result.rows, cut),))
    return result


def events_for(session: Session, entity: str, entity_id: int) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(col(AuditEvent.id))
        )
    )
