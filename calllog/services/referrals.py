"""Incoming referrals (REC8): a family referred by a school, a social worker, a health
visitor or anyone else who is not the parent or carer.

The referral is recorded with the referrer and the reason. Where the service's policy
says so (the SEND services) it is *held* until the parent's permission is recorded,
either by the referrer's confirmation or by the parent's own word; until then the
family is found by no search and opened by nobody, and advisers see only what they
need to go back to the referrer (:func:`held_referrals`). If the parent refuses, the
referral is closed and the child's and family's details are deleted, leaving only the
referrer's kind and the dates, which are counted (:func:`referral_counts`).

A contact centre's families come through referring agencies as a matter of course:
their referrals are accepted at once, and the referrer is the agency the attendance
register may be released to (CC1).

The gate every service goes through before it touches a family (a DBS check is
recorded, ACC3; the family exists and is not held, REC8) is
:func:`calllog.services.guard.require_open_family`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound, Problems
from calllog.limits import CONTACT, NAME, REASON, check_length
from calllog.models import (
    Child,
    Consent,
    DiversityAnswer,
    Enquiry,
    Family,
    Person,
    Referral,
    SearchKey,
)
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.enquiries import ChildDetails, NewEnquiry, check
from calllog.services.guard import require, require_family_access
from calllog.services.records import coded_ref_of, save_family
from calllog.services.search import index_family
from calllog.text import clean_optional, clean_text
from calllog.vocabulary import Party, ReferralStatus

__all__ = [
    "ACCEPTED",
    "HELD",
    "PERMISSIONS",
    "REFUSED",
    "HeldReferral",
    "NewReferral",
    "ReferralView",
    "held_referrals",
    "permission_refused",
    "record_permission",
    "record_referral",
    "referral_counts",
    "referrer_of",
]

HELD, ACCEPTED, REFUSED = ReferralStatus.HELD, ReferralStatus.ACCEPTED, ReferralStatus.REFUSED
PERMISSIONS: Mapping[str, str] = {
    "REFERRER": "The referrer confirms the parent agreed to the referral",
    "PARENT": "The parent told us themselves that they agree",
}
NAME_MAX = NAME  # calllog/limits.py: longer is refused, never cut
CONTACT_MAX = CONTACT
REASON_MAX = REASON


def referrer_of(session: Session, family_id: int) -> Referral | None:
    """The family's accepted referral (its referring agency), newest first."""
    return session.exec(
        select(Referral).where(Referral.family_id == family_id, Referral.status == ACCEPTED)
        .order_by(col(Referral.received_at).desc())
    ).first()


# --- recording --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewReferral:
    referrer_kind: str
    referrer_name: str
    reason: str
    referrer_contact: str | None = None
    parent_name: str | None = None
    other_party_name: str | None = None  # contact centres: the other parent
    children: tuple[ChildDetails, ...] = ()
    #: None (not yet), "REFERRER" (the referrer confirms it) or "PARENT" (their own word)
    permission: str | None = None


@dataclass(frozen=True)
class ReferralView:
    id: int
    family_id: int | None
    coded_ref: str | None
    status: str
    referrer_kind: str
    permission: str | None


@dataclass(frozen=True)
class HeldReferral:
    """What an adviser sees of a held referral: enough to go back to the referrer."""

    id: int
    coded_ref: str
    referrer_kind: str
    referrer_name: str
    referrer_contact: str | None
    received_at: datetime


def _check(profile: Profile, data: NewReferral) -> tuple[NewReferral, NewEnquiry]:
    problems: dict[str, str] = {}
    kinds = profile.referrer_kinds
    if not data.referrer_kind:
        problems["referrer_kind"] = "Choose who referred the family."
    elif kinds is not None and data.referrer_kind not in kinds:
        problems["referrer_kind"] = f"{data.referrer_kind!r} is not one of the referrer kinds."
    name = clean_text(data.referrer_name or "")
    check_length(problems, "referrer_name", "The referrer's name", name, NAME_MAX)
    if not name:
        problems["referrer_name"] = ("Name who referred the family: the school, service "
                                     "or person.")
    contact = check_length(problems, "referrer_contact", "How to reach them",
                           clean_optional(data.referrer_contact), CONTACT_MAX)
    reason = clean_text(data.reason or "", multiline=True)
    check_length(problems, "reason", "The reason", reason, REASON_MAX)
    if not reason:
        problems["reason"] = "Say why they referred the family."
    parent = check_length(problems, "parent_name", "The parent's name",
                          clean_optional(data.parent_name), NAME_MAX)
    other = check_length(problems, "other_party_name", "The other party's name",
                         clean_optional(data.other_party_name), NAME_MAX)
    if other and not profile.has_other_party:
        problems["other_party_name"] = "This service records one parent or carer per family."
    if data.permission not in (None, *PERMISSIONS):
        problems["permission"] = "Say how the parent's permission was given."
    children = tuple(c for c in data.children if not c.is_empty())
    if not parent and not any(c.name for c in children):
        problems["parent_name"] = "Give the parent's name or a child's name."
    enquiry = NewEnquiry(started_at=utcnow(), children=children)
    try:
        enquiry = check(profile, enquiry)
    except Problems as error:
        problems.update(error.problems)
    if problems:
        raise Problems(problems)
    cleaned = NewReferral(data.referrer_kind, name, reason, contact, parent, other, children,
                          data.permission)
    return cleaned, enquiry


def record_referral(store: Store, actor: Actor, profile: Profile,
                    data: NewReferral) -> ReferralView:
    """REC8: record a referral and the family it is about. Held (hidden from search and
    from the family screen) until the parent's permission is recorded, unless it
    already is or the service does not hold referrals (contact centres)."""
    require_family_access(store, actor, "record referral")
    cleaned, enquiry = _check(profile, data)
    decision = policy.decide_referral(profile, cleaned.permission)
    with store.write() as session:
        family = save_family(session, actor, enquiry)
        assert family.id is not None
        for party, name in ((Party.PARENT, cleaned.parent_name),
                            (Party.OTHER, cleaned.other_party_name)):
            if name:
                session.add(Person(family_id=family.id, party=party, name=name))
        session.flush()
        family.coded_ref = coded_ref_of(session, family.id)
        session.add(family)
        index_family(session, family.id)
        referral = Referral(
            family_id=family.id, referrer_kind=cleaned.referrer_kind,
            referrer_name=cleaned.referrer_name, referrer_contact=cleaned.referrer_contact,
            reason=cleaned.reason, status=ACCEPTED if decision.allowed else HELD,
            permission=cleaned.permission if decision.allowed else None,
            received_by=actor.id, received_at=utcnow(),
            decided_by=actor.id if decision.allowed else None,
            decided_at=utcnow() if decision.allowed else None,
        )
        session.add(referral)
        session.flush()
        assert referral.id is not None
        audit.record(session, Action.REFERRAL_RECEIVED, actor_id=actor.id, entity=Entity.REFERRAL,
                     entity_id=referral.id, reason=f"family {family.id}")
        if decision.allowed:
            audit.record(session, Action.REFERRAL_ACCEPTED, actor_id=actor.id,
                         entity=Entity.REFERRAL, entity_id=referral.id,
                         reason=f"permission {cleaned.permission or 'not required'}")
        return _view(referral, family.coded_ref)


def _view(referral: Referral, coded_ref: str | None) -> ReferralView:
    assert referral.id is not None
    return ReferralView(referral.id, referral.family_id, coded_ref, referral.status,
                        referral.referrer_kind, referral.permission)


def _held(session: Session, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("That referral no longer exists.")
    if referral.status != HELD:
        raise InvalidInput("That referral is no longer waiting for the parent's permission.")
    return referral


def record_permission(store: Store, actor: Actor, profile: Profile, referral_id: int,
                      permission: str) -> ReferralView:
    """REC8: the parent's permission is recorded, from the referrer's confirmation
    ("REFERRER") or the parent's own word ("PARENT"): the referral is accepted and the
    family can be found and opened."""
    require_family_access(store, actor, "referral permission")
    if permission not in PERMISSIONS:
        raise Problems({"permission": "Say how the parent's permission was given."})
    require(policy.decide_referral(profile, permission), store, actor,
            what="referral permission", about=Entity.REFERRAL, about_id=referral_id)
    with store.write() as session:
        referral = _held(session, referral_id)
        referral.status, referral.permission = ACCEPTED, permission
        referral.decided_by, referral.decided_at = actor.id, utcnow()
        session.add(referral)
        audit.record(session, Action.REFERRAL_ACCEPTED, actor_id=actor.id, entity=Entity.REFERRAL,
                     entity_id=referral_id, reason=f"permission {permission}")
        family = session.get(Family, referral.family_id) if referral.family_id else None
        return _view(referral, family.coded_ref if family else None)


def permission_refused(store: Store, actor: Actor, referral_id: int) -> None:
    """REC8: the parent does not agree. The referral is closed and the child's and
    family's details are deleted; the referral keeps only the referrer's kind and the
    dates (an anonymous count). Audited by id."""
    require_family_access(store, actor, "referral refused")
    with store.write() as session:
        referral = _held(session, referral_id)
        family_id = referral.family_id
        referral.status = REFUSED
        referral.family_id = None
        referral.referrer_name = referral.referrer_contact = referral.reason = None
        referral.decided_by, referral.decided_at = actor.id, utcnow()
        session.add(referral)
        session.flush()
        if family_id is not None:
            _delete_family(session, family_id)
            audit.record(session, Action.FAMILY_DELETED, actor_id=actor.id, entity=Entity.FAMILY,
                         entity_id=family_id, reason=f"referral {referral_id} refused")
        audit.record(session, Action.REFERRAL_REFUSED, actor_id=actor.id, entity=Entity.REFERRAL,
                     entity_id=referral_id)


def _delete_family(session: Session, family_id: int) -> None:
    """Everything a held referral made. A held family is opened by nobody, so it has
    no contacts, disclosures or overrides; if it somehow has, nothing is deleted."""
    if session.exec(select(Enquiry.id).where(Enquiry.family_id == family_id)).first():
        raise InvalidInput("This family has contacts recorded; it cannot be deleted here.")
    session.execute(sa.delete(SearchKey).where(col(SearchKey.family_id) == family_id))
    session.execute(sa.delete(DiversityAnswer)
                    .where(col(DiversityAnswer.family_id) == family_id))
    session.execute(sa.delete(Consent).where(col(Consent.family_id) == family_id))
    session.execute(sa.delete(Child).where(col(Child.family_id) == family_id))
    session.execute(sa.delete(Person).where(col(Person.family_id) == family_id))
    session.execute(sa.delete(Family).where(col(Family.id) == family_id))


# --- reading ----------------------------------------------------------------------------


def held_referrals(store: Store, actor: Actor) -> list[HeldReferral]:
    """REC8: the referrals waiting for the parent's permission, oldest first, with only
    what is needed to go back to the referrer (and the family's coded reference)."""
    require_family_access(store, actor, "held referrals")
    with store.read() as session:
        rows = session.exec(
            select(Referral, Family.coded_ref)
            .join(Family, col(Family.id) == col(Referral.family_id))
            .where(Referral.status == HELD).order_by(col(Referral.received_at))
        ).all()
        out = []
        for referral, coded_ref in rows:
            assert referral.id is not None
            out.append(HeldReferral(referral.id, coded_ref, referral.referrer_kind,
                                    referral.referrer_name or "", referral.referrer_contact,
                                    referral.received_at))
        return out


def referral_counts(store: Store) -> dict[tuple[str, str], int]:
    """(referrer kind, status) -> how many: anonymous, and kept after a refusal."""
    with store.read() as session:
        rows = session.exec(
            select(Referral.referrer_kind, Referral.status, sa.func.count())
            .group_by(col(Referral.referrer_kind), col(Referral.status))
        ).all()
        return {(kind, status): int(count) for kind, status, count in rows}
