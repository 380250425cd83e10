"""The consent ledger (CON1): who gave consent, for what, to whom, verbal or written,
when, recorded by whom, and when it was withdrawn.

A consent covers only its recipient and its kind (CON2, CON4). Recipients are compared
by :func:`calllog.policy.recipient_key`: "Cornwall Council SEN team" and "Cornwall
Council social care" are two recipients, and a consent for one covers neither the other
nor "Cornwall Council". Withdrawn consents stay in the ledger with their withdrawal
date; they never cover anything again.

Consent to keep contact details is the REC3 consent of the enquiry form: recording it
for the parent sets the family's ``contact_consent``; withdrawing the last current one
erases that party's address, postcode, telephone and email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound, Problems
from calllog.limits import NAME, check_length
from calllog.models import Consent, Family, Staff
from calllog.policy import ConsentKind
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.guard import (
    read_family,
    require,
    require_family_access,
    require_open_family,
)
from calllog.services.records import contact_consent_withdrawn
from calllog.text import clean_text
from calllog.vocabulary import Party

__all__ = [
    "ConsentView",
    "facts",
    "ledger",
    "record_consent",
    "withdraw_consent",
]

RECIPIENT_MAX = NAME  # calllog/limits.py: longer is refused, never cut
#: How far back a consent's date may be typed (a paper form found later).
OLDEST_YEARS = 30


@dataclass(frozen=True)
class ConsentView:
    id: int
    kind: str
    party: str
    recipient: str | None
    written: bool
    given_on: date
    recorded_by: str
    recorded_at: datetime
    withdrawn_on: date | None
    withdrawn_by: str | None

    @property
    def current(self) -> bool:
        return self.withdrawn_on is None

    def describe(self, profile: Profile) -> str:
        """"Written consent to contact Oakfield School on the parent's behalf"."""
        form = "Written" if self.written else "Verbal"
        return f"{form} consent to " + policy.consent_phrase(
            self.kind, self.recipient or "", party=self.party,
            contact_centre=profile.is_contact_centre)


def facts(session: Session, family_id: int) -> list[policy.ConsentFact]:
    """The family's ledger as the policy engine reads it."""
    rows = session.exec(select(Consent).where(Consent.family_id == family_id)).all()
    out = []
    for row in rows:
        assert row.id is not None
        out.append(policy.ConsentFact(
            id=row.id, kind=row.kind, party=row.party, recipient_key=row.recipient_key or "",
            recipient=row.recipient or "", written=row.written, given_on=row.given_on,
            withdrawn_on=row.withdrawn_on))
    return out


def _names(session: Session) -> dict[int, str]:
    return {i: clean_text(n) for i, n in session.exec(select(Staff.id, Staff.display_name))
            if i is not None}


def _view(row: Consent, names: dict[int, str]) -> ConsentView:
    assert row.id is not None
    return ConsentView(
        id=row.id, kind=row.kind, party=row.party, recipient=row.recipient,
        written=row.written, given_on=row.given_on,
        recorded_by=names.get(row.recorded_by, "?"), recorded_at=row.recorded_at,
        withdrawn_on=row.withdrawn_on,
        withdrawn_by=names.get(row.withdrawn_by) if row.withdrawn_by else None)


def _check_date(field: str, value: date | None, problems: dict[str, str], *,
                not_before: date | None = None) -> None:
    now = today()
    if value is None:
        problems[field] = "Give the date, DD/MM/YYYY."
    elif value > now:
        problems[field] = "The date is in the future."
    elif value.year < now.year - OLDEST_YEARS:
        problems[field] = f"The date is more than {OLDEST_YEARS} years ago."
    elif not_before is not None and value < not_before:
        problems[field] = (f"The consent was given on {not_before:%d/%m/%Y}: it cannot be "
                           "withdrawn before that.")


def record_consent(
    store: Store, actor: Actor, profile: Profile, family_id: int, *, kind: str,
    recipient: str | None, written: bool, given_on: date | None, party: str = Party.PARENT,
) -> ConsentView:
    """CON1: add a consent to the family's ledger (audited)."""
    require_open_family(store, actor, family_id, "record consent")
    require(policy.may_record_consent(actor, profile, kind, party), store, actor,
            what="record consent", about=Entity.FAMILY, about_id=family_id)
    problems: dict[str, str] = {}
    name = clean_text(recipient or "")
    check_length(problems, "recipient", "The recipient's name", name, RECIPIENT_MAX)
    if kind == ConsentKind.KEEP_CONTACT:
        name = ""
    elif "recipient" not in problems and not policy.recipient_key(name):
        problems["recipient"] = ("Name who the consent is for: the organisation or person "
                                 "(another team of the same council is someone else).")
    _check_date("given_on", given_on, problems)
    if problems:
        raise Problems(problems)
    assert given_on is not None
    with store.write() as session:
        row = Consent(family_id=family_id, kind=kind, party=party, recipient=name or None,
                      recipient_key=policy.recipient_key(name) or None, written=written,
                      given_on=given_on, recorded_by=actor.id, recorded_at=utcnow())
        session.add(row)
        if kind == ConsentKind.KEEP_CONTACT and party == Party.PARENT:
            family = session.get(Family, family_id)
            assert family is not None
            family.contact_consent = True
            session.add(family)
        session.flush()
        audit.record(session, Action.CONSENT_RECORDED, actor_id=actor.id, entity=Entity.CONSENT,
                     entity_id=row.id, reason=f"family {family_id} {kind}")
        return _view(row, _names(session))


def withdraw_consent(store: Store, actor: Actor, profile: Profile, consent_id: int, *,
                     withdrawn_on: date | None) -> ConsentView:
    """CON1: the consent is withdrawn from ``withdrawn_on``; it stays in the ledger's
    history and never covers anything again (audited)."""
    require_family_access(store, actor, "withdraw consent")
    with store.read() as session:
        row = session.get(Consent, consent_id)
        if row is None:
            raise NotFound("That consent no longer exists.")
        family_id = row.family_id
    require_open_family(store, actor, family_id, "withdraw consent")
    with store.write() as session:
        row = session.get(Consent, consent_id)
        assert row is not None
        if row.withdrawn_on is not None:
            raise InvalidInput(f"That consent was already withdrawn on "
                               f"{row.withdrawn_on:%d/%m/%Y}.")
        problems: dict[str, str] = {}
        _check_date("withdrawn_on", withdrawn_on, problems, not_before=row.given_on)
        if problems:
            raise Problems(problems)
        row.withdrawn_on, row.withdrawn_by, row.withdrawn_at = withdrawn_on, actor.id, utcnow()
        session.add(row)
        session.flush()
        if row.kind == ConsentKind.KEEP_CONTACT:
            contact_consent_withdrawn(session, row)
        audit.record(session, Action.CONSENT_WITHDRAWN, actor_id=actor.id, entity=Entity.CONSENT,
                     entity_id=consent_id, reason=f"family {family_id} {row.kind}")
        return _view(row, _names(session))


def ledger(store: Store, actor: Actor, family_id: int) -> list[ConsentView]:
    """The family's ledger: current consents first (newest first), then the withdrawn
    ones. Reading it is audited as a view of the family."""
    read_family(store, actor, family_id, "consents")
    with store.read() as session:
        rows = session.exec(select(Consent).where(Consent.family_id == family_id)).all()
        names = _names(session)
        views = [_view(r, names) for r in rows]
    return sorted(views, key=lambda v: (v.current, v.given_on, v.id), reverse=True)
