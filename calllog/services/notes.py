"""Private notes (PRIV1; Northamptonshire policy 002: notes "will be seen only by the
parent's parental supporter").

Who reads an enquiry's notes is one rule, :func:`calllog.policy.notes_reader` and
:func:`calllog.policy.may_read_notes`, used by every screen that could show them (the
family record, the enquiry detail); the queue never reads them at all. Anyone else
sees only that notes exist.

Where the service profile allows it, a supervisor may open notes that are not theirs
through a *supervision access*: a reason of at least ten characters, kept in the
audit row with who, when and which record (never the note text). Where the profile
forbids it (``supervision_access_to_notes = false``), the service refuses whatever
screen asks, and the refusal is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import SQLModel

from calllog import audit, models, policy
from calllog.audit import Action, Entity
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound
from calllog.limits import SUPERVISION_REASON
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.guard import refused, require, require_open_family
from calllog.text import clean_text

__all__ = ["REASON_MAX", "OpenedNotes", "open_for_supervision", "supervision_access"]

REASON_MAX = SUPERVISION_REASON  # calllog/limits.py: longer is refused, never cut
_E: sa.Table = SQLModel.metadata.tables[models.Enquiry.__tablename__]


@dataclass(frozen=True)
class OpenedNotes:
    """Notes opened through supervision access: enquiry id -> its notes."""

    notes: dict[int, str]
    audit_id: int


def supervision_access(actor: Actor, profile: Profile) -> policy.Decision:
    """May this person use supervision access at all (so a screen offers the key)?"""
    return policy.may_use_supervision_access(actor, profile)


def open_for_supervision(store: Store, actor: Actor, profile: Profile, *, reason: str,
                         family_id: int | None = None, enquiry_id: int | None = None
                         ) -> OpenedNotes:
    """Open the notes of a family's enquiries (``family_id``) or of one enquiry
    (``enquiry_id``) through supervision access. The reason is checked first (a
    reason that is too short is a problem to fix, not a refusal); the policy decides;
    the access is audited in the same transaction that reads the notes."""
    if (family_id is None) == (enquiry_id is None):
        raise ValueError("give a family_id or an enquiry_id")
    entity, entity_id = ((Entity.FAMILY, family_id) if family_id is not None
                         else (Entity.ENQUIRY, enquiry_id))
    assert entity_id is not None
    require(policy.may_use_supervision_access(actor, profile), store, actor,
            what="supervision access to notes", about=entity, about_id=entity_id)
    problem = policy.supervision_reason_problem(reason)
    if problem is not None:
        raise InvalidInput(problem)
    cleaned = clean_text(reason)
    if family_id is not None:
        require_open_family(store, actor, family_id, "supervision access to notes")
    with store.write() as session:
        if family_id is not None:
            family = session.get(models.Family, family_id)
            if family is None:
                raise NotFound("That family record no longer exists.")
            reader = family.supporter_id
            where = _E.c.family_id == family_id
        else:
            enquiry = session.get(models.Enquiry, enquiry_id)
            if enquiry is None:
                raise NotFound("That enquiry no longer exists.")
            family = (session.get(models.Family, enquiry.family_id)
                      if enquiry.family_id is not None else None)
            reader = policy.notes_reader(
                family_id=enquiry.family_id,
                family_supporter_id=family.supporter_id if family else None,
                assigned_to=enquiry.assigned_to, recorded_by=enquiry.recorded_by)
            where = _E.c.id == enquiry_id
        decision = policy.may_read_notes(actor, reader, profile, supervision_reason=cleaned)
        if decision:
            row = audit.record(session, Action.NOTES_SUPERVISION_ACCESS, actor_id=actor.id,
                               entity=entity, entity_id=entity_id, reason=cleaned)
            notes = {
                enquiry_id_: text for enquiry_id_, text in session.connection().execute(
                    sa.select(_E.c.id, _E.c.notes).where(where, _E.c.notes.is_not(None)))
                if text
            }
            return OpenedNotes(notes, row.id)
    # Refused after all (e.g. the profile changed since the screen asked): the
    # transaction above wrote nothing; the refusal is audited in its own.
    refused(decision, store, actor, what="supervision access to notes", about=entity,
            about_id=entity_id)
