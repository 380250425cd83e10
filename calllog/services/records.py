"""Writing a family's record, shared by the services that make or change one
(enquiries, referrals, family edits, the consent ledger): the parent, children and
diversity answers, the coded reference, the REC3 contact consent and what withdrawing
it erases. Every function works inside the caller's write transaction and writes the
audit rows for what it changes there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete, select

from calllog import audit
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.coderef import coded_reference
from calllog.errors import NotFound
from calllog.models import Child, Consent, DiversityAnswer, Family, Person
from calllog.policy import ConsentKind
from calllog.roles import Actor
from calllog.services.search import index_family
from calllog.vocabulary import Party

if TYPE_CHECKING:
    from calllog.services.enquiries import ChildDetails, NewEnquiry, ParentDetails

__all__ = ["PARENT_FIELDS", "coded_ref_of", "contact_consent_withdrawn", "save_family"]


def coded_ref_of(session: Session, family_id: int) -> str:
    """PRIV2, CON5: the family's coded reference, from the first child with a name and a
    date of birth, else any child, else the parent's name."""
    children = session.exec(
        select(Child).where(Child.family_id == family_id).order_by(col(Child.id))
    ).all()
    for child in children:
        if child.name and child.dob:
            return coded_reference(child.name, child.dob)
    for child in children:
        if child.name or child.dob:
            return coded_reference(child.name, child.dob)
    parent = session.exec(
        select(Person).where(Person.family_id == family_id, Person.party == Party.PARENT)
    ).first()
    return coded_reference(parent.name if parent else None, None)


PARENT_FIELDS = ("name", "relationship", "address", "postcode", "phone", "email",
                 "contact_method")


def _apply_parent(session: Session, family: Family, parent: ParentDetails) -> None:
    """Fields given replace what is held; fields left empty keep what is held."""
    assert family.id is not None and family.contact_consent
    row = session.exec(
        select(Person).where(Person.family_id == family.id, Person.party == Party.PARENT)
    ).first() or Person(family_id=family.id, party=Party.PARENT)
    for name in PARENT_FIELDS:
        value = getattr(parent, name)
        if value is not None:
            setattr(row, name, value)
    session.add(row)


def _apply_child(session: Session, family_id: int, child: ChildDetails) -> None:
    row = session.get(Child, child.id) if child.id is not None else None
    if row is None or row.family_id != family_id:
        row = Child(family_id=family_id)
    row.name, row.dob, row.gender = child.name, child.dob, child.gender
    row.school_name, row.school_type = child.school_name, child.school_type
    row.year_group, row.sen_provision = child.year_group, child.sen_provision
    row.sen_needs = " ".join(child.sen_needs) or None
    row.issues = " ".join(child.issues) or None
    session.add(row)


def _apply_diversity(session: Session, family_id: int, answers: Mapping[str, str]) -> None:
    """A family's newest answer to each question replaces the one before."""
    for question, answer in answers.items():
        session.exec(delete(DiversityAnswer).where(
            col(DiversityAnswer.family_id) == family_id,
            col(DiversityAnswer.question) == question))
        session.add(DiversityAnswer(family_id=family_id, question=question, answer=answer))


def _record_contact_consent(session: Session, actor: Actor, family: Family) -> None:
    """REC3 as CON1: the caller's "yes, keep my contact details", asked on the call,
    is a verbal consent in the family's ledger, dated today, recorded by this adviser."""
    assert family.id is not None
    row = Consent(family_id=family.id, kind=ConsentKind.KEEP_CONTACT, party=Party.PARENT,
                  written=False, given_on=today(), recorded_by=actor.id)
    session.add(row)
    family.contact_consent = True
    session.add(family)
    session.flush()
    audit.record(session, Action.CONSENT_RECORDED, actor_id=actor.id, entity=Entity.CONSENT,
                 entity_id=row.id, reason=f"family {family.id} {ConsentKind.KEEP_CONTACT}")


def save_family(session: Session, actor: Actor, data: NewEnquiry) -> Family:
    """Make the family (or update ``data.family_id``'s) from checked enquiry data: the
    caller's contact consent (REC3), the parent, the children, the diversity answers,
    the coded reference and the search keys; audited as created or updated, in the
    caller's write transaction."""
    if data.family_id is not None:
        family = session.get(Family, data.family_id)
        if family is None:
            raise NotFound("That family record no longer exists.")
        action = Action.FAMILY_UPDATED
    else:
        family = Family(coded_ref="", contact_consent=False, supporter_id=actor.id,
                        created_by=actor.id)
        action = Action.FAMILY_CREATED
    family.last_contact_at = utcnow()
    session.add(family)
    session.flush()
    assert family.id is not None
    if data.contact_consent and not family.contact_consent:
        _record_contact_consent(session, actor, family)
    if data.parent is not None:
        _apply_parent(session, family, data.parent)
    for child in data.children:
        _apply_child(session, family.id, child)
    _apply_diversity(session, family.id, data.diversity)
    session.flush()
    family.coded_ref = coded_ref_of(session, family.id)
    session.add(family)
    index_family(session, family.id)
    audit.record(session, action, actor_id=actor.id, entity=Entity.FAMILY, entity_id=family.id)
    return family


def contact_consent_withdrawn(session: Session, row: Consent) -> None:
    """REC3: with no current consent to keep their contact details, a party's address,
    postcode, telephone and email are erased."""
    still = session.exec(select(Consent.id).where(
        Consent.family_id == row.family_id, Consent.kind == ConsentKind.KEEP_CONTACT,
        Consent.party == row.party, col(Consent.withdrawn_on).is_(None))).first()
    if still is not None:
        return
    for person in session.exec(select(Person).where(Person.family_id == row.family_id,
                                                    Person.party == row.party)):
        person.address = person.postcode = person.phone = person.email = None
        person.contact_method = None
        session.add(person)
    if row.party == Party.PARENT:
        family = session.get(Family, row.family_id)
        assert family is not None
        family.contact_consent = False
        session.add(family)
    index_family(session, row.family_id)
