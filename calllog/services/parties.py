"""Contact centres' two parties (CON6): the parent (``Party.PARENT``) and the other
party (``Party.OTHER``), often former partners.

Each party's address, postcode, telephone and email are shown only in their own view
and exported only with it (:func:`party_view`, :func:`party_summary`); the other party
appears by name only. They are disclosed to anyone only with that party's own consent
(the policy engine checks the consent's party). A party's contact details are kept
only with their consent to keep them (REC3), recorded in the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, Problems
from calllog.models import Attendance, Child, Consent, Enquiry, Family, Person
from calllog.policy import ConsentKind
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.enquiries import NewEnquiry, ParentDetails, check
from calllog.services.guard import read_family, require, require_open_family
from calllog.services.search import index_family
from calllog.text import clean_text
from calllog.validation import format_date, format_phone
from calllog.vocabulary import Party

__all__ = ["PartyView", "party_summary", "party_view", "set_other_party"]

CONTACT_FIELDS = ("address", "postcode", "phone", "email", "contact_method")


@dataclass(frozen=True)
class PartyView:
    """What one party's view holds: their own details (contact details only with their
    consent to keep them) and, of the other party, what the policy engine lets this
    view show: in a contact centre their name and relationship, never their address,
    postcode, telephone or email (CON6)."""

    party: str
    own: ParentDetails | None
    own_consent: bool
    other: ParentDetails | None = None

    @property
    def other_name(self) -> str | None:
        return clean_text(self.other.name) if self.other and self.other.name else None


def _person(session: Session, family_id: int, party: str) -> Person | None:
    return session.exec(select(Person).where(Person.family_id == family_id,
                                             Person.party == party)
                        .order_by(col(Person.id))).first()


def _keeps_contact(session: Session, family: Family, party: str) -> bool:
    if party == Party.PARENT and family.contact_consent:
        return True
    return session.exec(select(Consent.id).where(
        Consent.family_id == family.id, Consent.kind == ConsentKind.KEEP_CONTACT,
        Consent.party == party, col(Consent.withdrawn_on).is_(None))).first() is not None


def _details(person: Person | None, with_contact: bool) -> ParentDetails | None:
    if person is None:
        return None
    if not with_contact:
        return ParentDetails(name=person.name, relationship=person.relationship)
    return ParentDetails(name=person.name, relationship=person.relationship,
                         address=person.address, postcode=person.postcode, phone=person.phone,
                         email=person.email, contact_method=person.contact_method)


def _check_party(store: Store, actor: Actor, profile: Profile, family_id: int, party: str,
                 what: str) -> None:
    """A party this service has: the parent everywhere; the other party only where
    families have two (contact centres, CON6). Refusals are audited."""
    if party not in policy.PARTIES:
        raise InvalidInput(f"{party!r} is not a party.")
    if party != Party.PARENT:
        require(policy.may_use_party_tools(profile), store, actor, what=what,
                about=Entity.FAMILY, about_id=family_id)


def set_other_party(store: Store, actor: Actor, profile: Profile, family_id: int,
                    details: ParentDetails, *, keep_contact: bool) -> PartyView:
    """Contact centres: the other party's name and relationship and, only if they agree
    to our keeping them (recorded in the ledger as their consent, today, verbal),
    their contact details. Fields left empty keep what is held. Audited."""
    _check_party(store, actor, profile, family_id, Party.OTHER, "other party")
    require_open_family(store, actor, family_id, "other party")
    try:
        checked = check(profile, NewEnquiry(started_at=utcnow(), contact_consent=True,
                                            parent=details)).parent
    except Problems as error:
        raise Problems({k.removeprefix("parent."): v
                        for k, v in error.problems.items()}) from None
    if checked is None or not (checked.name or checked.relationship
                               or checked.has_contact_details()):
        raise Problems({"name": "Give at least the other party's name."})
    with store.write() as session:
        family = session.get(Family, family_id)
        assert family is not None
        row = _person(session, family_id, Party.OTHER) or Person(
            family_id=family_id, party=Party.OTHER)
        fields = ("name", "relationship", *(CONTACT_FIELDS if keep_contact else ()))
        for name in fields:
            value = getattr(checked, name)
            if value is not None:
                setattr(row, name, value)
        session.add(row)
        if keep_contact and not _keeps_contact(session, family, Party.OTHER):
            consent = Consent(family_id=family_id, kind=ConsentKind.KEEP_CONTACT,
                              party=Party.OTHER, written=False, given_on=today(),
                              recorded_by=actor.id, recorded_at=utcnow())
            session.add(consent)
            session.flush()
            audit.record(session, Action.CONSENT_RECORDED, actor_id=actor.id,
                         entity=Entity.CONSENT, entity_id=consent.id,
                         reason=f"family {family_id} {ConsentKind.KEEP_CONTACT}")
        session.flush()
        index_family(session, family_id)
        audit.record(session, Action.PARTY_UPDATED, actor_id=actor.id, entity=Entity.PERSON,
                     entity_id=row.id, reason=f"family {family_id} {Party.OTHER}")
        return _view(session, profile, family, Party.OTHER)


def _view(session: Session, profile: Profile, family: Family, party: str) -> PartyView:
    assert family.id is not None
    other = Party.OTHER if party == Party.PARENT else Party.PARENT
    mine = _person(session, family.id, party)
    keeps = _keeps_contact(session, family, party)
    theirs = _person(session, family.id, other) if profile.has_other_party else None
    shown = policy.may_show_contact_details(profile, party, other)
    other_details = _details(theirs, shown.allowed and _keeps_contact(session, family, other))
    return PartyView(party, _details(mine, keeps), keeps, other_details)


def party_view(store: Store, actor: Actor, profile: Profile, family_id: int,
               party: str) -> PartyView:
    """One party's view of the family (CON6); the read is audited."""
    _check_party(store, actor, profile, family_id, party, "party view")
    read_family(store, actor, family_id, f"{party} party view")
    with store.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        return _view(session, profile, family, party)


def party_summary(store: Store, actor: Actor, profile: Profile, family_id: int,
                  party: str) -> str:
    """A plain-text summary of the family for one party (CON6: never the other party's
    address, postcode, telephone or email; no notes, which may mention anyone).
    Audited as an export."""
    _check_party(store, actor, profile, family_id, party, "export summary")
    require_open_family(store, actor, family_id, "export summary")
    with store.write() as session:
        family = session.get(Family, family_id)
        assert family is not None
        view = _view(session, profile, family, party)
        children = session.exec(select(Child).where(Child.family_id == family_id)
                                .order_by(col(Child.id))).all()
        contacts = session.exec(select(Enquiry).where(Enquiry.family_id == family_id)
                                .order_by(col(Enquiry.started_at))).all()
        visits = session.exec(select(Attendance).where(Attendance.family_id == family_id)
                              .order_by(col(Attendance.attended_on))).all()
        audit.record(session, Action.FAMILY_EXPORTED, actor_id=actor.id, entity=Entity.FAMILY,
                     entity_id=family_id, reason=f"summary for {party}")
        return _summary_text(profile, family.coded_ref, view, children, contacts, visits)


def _summary_text(profile: Profile, coded_ref: str, view: PartyView,
                  children: Sequence[Child], contacts: Sequence[Enquiry],
                  visits: Sequence[Attendance]) -> str:
    lines = ["STRICTLY PRIVATE AND CONFIDENTIAL", "", clean_text(profile.name),
             f"Family summary, {format_date(today())}", f"Reference: {coded_ref}", ""]
    own = view.own
    who = "Your details" if profile.has_other_party else "Parent or carer"
    lines.append(who)
    if own is None:
        lines.append("  (none recorded)")
    else:
        for label, value in (
            ("Name", own.name),
            ("Relationship", profile.relationships.label(own.relationship)
             if own.relationship else None),
            ("Address", (own.address or "").replace("\n", ", ") or None),
            ("Postcode", own.postcode),
            ("Telephone", format_phone(own.phone) if own.phone else None),
            ("Email", own.email),
        ):
            if value:
                lines.append(f"  {label:<14}{clean_text(value)}")
        if not view.own_consent:
            lines.append("  Contact details are not kept: no consent to keep them.")
    if view.other_name:
        lines += ["", "Other party", f"  {'Name':<14}{view.other_name}"]
    for n, child in enumerate(children, start=1):
        lines += ["", f"Child {n}"]
        if child.name:
            lines.append(f"  {'Name':<14}{clean_text(child.name)}")
        if child.dob:
            lines.append(f"  {'Date of birth':<14}{format_date(child.dob)}")
    if contacts:
        lines += ["", f"Contacts with the service ({len(contacts)})"]
        for contact in contacts:
            local = contact.started_at.astimezone()
            lines.append(f"  {local:%d/%m/%Y %H:%M}  "
                         f"{profile.channels.label(contact.channel)}")
    if visits:
        lines += ["", "Attendance"]
        lines += [f"  {v.attended_on:%d/%m/%Y}  {v.arrived} to {v.left}" for v in visits]
    return "\n".join(lines) + "\n"

