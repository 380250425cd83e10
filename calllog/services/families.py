"""Family records: reading one (audited as a view), editing it (audited as a change).

Notes are private (PRIV1, :func:`calllog.policy.notes_reader`): an enquiry's notes
are shown to the family's supporter alone, whoever wrote them; everyone else sees
that notes exist (a supervisor may open them through the audited supervision access
of :mod:`calllog.services.notes`, where the profile allows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import NotFound
from calllog.models import (
    Child,
    Consent,
    DiversityAnswer,
    Enquiry,
    EnquiryTopic,
    Family,
    Person,
    Staff,
)
from calllog.policy import ConsentKind
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.enquiries import (
    ChildDetails,
    NewEnquiry,
    ParentDetails,
    check,
)
from calllog.services.guard import require_open_family
from calllog.services.records import contact_consent_withdrawn, save_family
from calllog.services.search import index_family
from calllog.text import clean_text
from calllog.vocabulary import Party


@dataclass(frozen=True)
class Contact:
    id: int
    started_at: datetime
    ended_at: datetime
    channel: str
    topics: tuple[str, ...]
    outcome: str | None
    status: str
    recorded_by: str
    notes: str | None  # None when there are none, or the viewer may not read them
    notes_hidden: bool
    policy_explained: bool
    leaflet_sent: bool


@dataclass(frozen=True)
class FamilyRecord:
    id: int
    coded_ref: str
    contact_consent: bool
    supporter: str | None
    parent: ParentDetails | None
    children: tuple[ChildDetails, ...]
    diversity: Mapping[str, str]
    contacts: tuple[Contact, ...]
    supporter_id: int | None = None  # the parent's supporter: reads the notes (PRIV1)


def _child(row: Child) -> ChildDetails:
    return ChildDetails(
        id=row.id, name=row.name, dob=row.dob, gender=row.gender,
        school_name=row.school_name, school_type=row.school_type, year_group=row.year_group,
        sen_needs=tuple((row.sen_needs or "").split()), sen_provision=row.sen_provision,
        issues=tuple((row.issues or "").split()),
    )


def _parent(row: Person | None) -> ParentDetails | None:
    if row is None:
        return None
    return ParentDetails(name=row.name, relationship=row.relationship, address=row.address,
                         postcode=row.postcode, phone=row.phone, email=row.email,
                         contact_method=row.contact_method)


def _contacts(session: Session, actor: Actor, family: Family) -> tuple[Contact, ...]:
    rows = session.exec(
        select(Enquiry).where(Enquiry.family_id == family.id)
        .order_by(col(Enquiry.started_at))
    ).all()
    ids = [r.id for r in rows]
    topics: dict[int, list[str]] = {}
    for enquiry_id, topic in session.exec(
        select(EnquiryTopic.enquiry_id, EnquiryTopic.topic)
        .where(col(EnquiryTopic.enquiry_id).in_(ids))
    ):
        topics.setdefault(enquiry_id, []).append(topic)
    names = {i: clean_text(n) for i, n in session.exec(select(Staff.id, Staff.display_name))}
    out = []
    for row in rows:
        assert row.id is not None
        may_read = policy.may_read_notes(actor, policy.notes_reader(
            family_id=family.id, family_supporter_id=family.supporter_id,
            assigned_to=row.assigned_to, recorded_by=row.recorded_by)).allowed
        out.append(Contact(
            id=row.id, started_at=row.started_at, ended_at=row.ended_at, channel=row.channel,
            topics=tuple(sorted(topics.get(row.id, []))), outcome=row.outcome,
            status=row.status, recorded_by=names.get(row.recorded_by, "?"),
            notes=row.notes if may_read else None,
            notes_hidden=bool(row.notes) and not may_read,
            policy_explained=row.policy_explained, leaflet_sent=row.leaflet_sent,
        ))
    return tuple(out)


def _record(session: Session, actor: Actor, family: Family) -> FamilyRecord:
    assert family.id is not None
    parent = session.exec(
        select(Person).where(Person.family_id == family.id, Person.party == Party.PARENT)
    ).first()
    children = session.exec(
        select(Child).where(Child.family_id == family.id).order_by(col(Child.id))
    ).all()
    answers = {a.question: a.answer for a in session.exec(
        select(DiversityAnswer).where(DiversityAnswer.family_id == family.id))}
    supporter = session.get(Staff, family.supporter_id) if family.supporter_id else None
    return FamilyRecord(
        id=family.id, coded_ref=family.coded_ref, contact_consent=family.contact_consent,
        supporter=clean_text(supporter.display_name) if supporter else None,
        parent=_parent(parent),
        children=tuple(_child(c) for c in children), diversity=answers,
        contacts=_contacts(session, actor, family), supporter_id=family.supporter_id,
    )


def open_family(store: Store, actor: Actor, family_id: int, reason: str = "opened") -> FamilyRecord:
    """The whole record; the view is audited (ACC6) in the same transaction. A family
    held until the parent's permission for a referral is recorded is refused (REC8)."""
    require_open_family(store, actor, family_id, "open family")
    with store.write() as session:
        family = session.get(Family, family_id)
        if family is None:
            raise NotFound("That family record no longer exists.")
        audit.record(session, Action.FAMILY_VIEWED, actor_id=actor.id, entity=Entity.FAMILY,
                     entity_id=family_id, reason=reason)
        return _record(session, actor, family)


def update_family(
    store: Store, actor: Actor, profile: Profile, family_id: int, *,
    parent: ParentDetails | None, children: tuple[ChildDetails, ...],
    diversity: Mapping[str, str], contact_consent: bool,
) -> FamilyRecord:
    """Edit the parent, children and diversity answers (audited as family_updated)."""
    data = check(profile, NewEnquiry(
        started_at=utcnow(), family_id=family_id, contact_consent=contact_consent,
        parent=parent, children=children, diversity=diversity,
    ))
    require_open_family(store, actor, family_id, "edit family")
    with store.write() as session:
        family = save_family(session, actor, data)
        if not contact_consent and family.contact_consent:
            _withdraw_contact_consent(session, actor, family)
        return _record(session, actor, family)


def _withdraw_contact_consent(session: Session, actor: Actor, family: Family) -> None:
    """REC3/CON1: the parent no longer agrees to us keeping their contact details:
    every current such consent is withdrawn today in the ledger (kept, with its
    withdrawal), and their details are erased."""

    current = session.exec(select(Consent).where(
        Consent.family_id == family.id, Consent.kind == ConsentKind.KEEP_CONTACT,
        Consent.party == Party.PARENT, col(Consent.withdrawn_on).is_(None))).all()
    for row in current:
        row.withdrawn_on, row.withdrawn_by, row.withdrawn_at = today(), actor.id, utcnow()
        session.add(row)
        audit.record(session, Action.CONSENT_WITHDRAWN, actor_id=actor.id, entity=Entity.CONSENT,
                     entity_id=row.id, reason=f"family {family.id} {row.kind}")
    session.flush()
    if current:
        contact_consent_withdrawn(session, current[-1])
    else:  # a family from before the ledger: erase all the same
        family.contact_consent = False
        session.add(family)
        _erase_parent_contact(session, family)


def _erase_parent_contact(session: Session, family: Family) -> None:
    assert family.id is not None
    for person in session.exec(select(Person).where(Person.family_id == family.id,
                                                    Person.party == Party.PARENT)):
        person.address = person.postcode = person.phone = person.email = None
        person.contact_method = None
        session.add(person)
    index_family(session, family.id)
