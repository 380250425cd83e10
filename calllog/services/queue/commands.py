"""The actions on one enquiry from the queue (OPS2): assign it (and, for a family's,
perhaps make the adviser the family's supporter, PRIV1), set its callback date, close
it; each asks the policy, and changes the enquiry and writes its audit row in one
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from calllog import audit, models, policy
from calllog.audit import Action, Entity
from calllog.clock import today as local_today
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound
from calllog.profiles import Profile
from calllog.roles import Actor, Role
from calllog.services.guard import require
from calllog.services.queue.tables import STAFF as _S
from calllog.services.queue.tables import enquiry_row
from calllog.text import clean_text
from calllog.vocabulary import OPEN_OUTCOMES, EnquiryStatus


@dataclass(frozen=True)
class StaffChoice:
    id: int
    display_name: str
    role: Role
    dbs_recorded: bool


def assignable_staff(store: Store) -> list[StaffChoice]:
    """Active advisers and supervisors, by name: who work can be given to."""
    with store.read() as session:
        conn = session.connection()
        rows = conn.execute(
            sa.select(_S.c.id, _S.c.display_name, _S.c.role, _S.c.dbs_checked_on)
            .where(_S.c.active.is_(True), _S.c.role != Role.ADMINISTRATOR.value)
        ).all()
    choices = [StaffChoice(r.id, clean_text(r.display_name), Role(r.role),
                           r.dbs_checked_on is not None) for r in rows]
    return sorted(choices, key=lambda c: (c.display_name.casefold(), c.id))


def assign(store: Store, actor: Actor, enquiry_id: int, adviser_id: int | None, *,
           make_supporter: bool | None = None) -> None:
    """Assign (or, with None, unassign) an open enquiry; audited. For a family's
    enquiry ``make_supporter`` also makes the adviser the family's supporter, who alone
    reads the notes (PRIV1); None does so only when the family has no supporter."""
    require(policy.may_assign(actor), store, actor, what="assign", about=Entity.ENQUIRY,
            about_id=enquiry_id)
    with store.write() as session:
        enquiry = enquiry_row(session, enquiry_id)
        if enquiry.status != EnquiryStatus.OPEN:
            raise InvalidInput("That enquiry is closed.")
        if adviser_id is not None:
            staff = session.get(models.Staff, adviser_id)
            if staff is None:
                raise NotFound("That member of staff does not exist.")
            decision = policy.may_be_assigned(
                role=Role(staff.role), active=staff.active,
                dbs_recorded=staff.dbs_checked_on is not None,
                identified=enquiry.family_id is not None)
            if not decision:
                raise InvalidInput(decision.reason)
        enquiry.assigned_to = adviser_id
        session.add(enquiry)
        audit.record(session, Action.ENQUIRY_ASSIGNED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry_id,
                     reason=f"staff {adviser_id}" if adviser_id is not None else "unassigned")
        if enquiry.family_id is not None and adviser_id is not None:
            family = session.get(models.Family, enquiry.family_id)
            assert family is not None
            change = (make_supporter if make_supporter is not None
                      else family.supporter_id is None)
            if change and family.supporter_id != adviser_id:
                family.supporter_id = adviser_id
                session.add(family)
                audit.record(session, Action.FAMILY_SUPPORTER_CHANGED, actor_id=actor.id,
                             entity=Entity.FAMILY, entity_id=family.id,
                             reason=f"staff {adviser_id}")


def set_callback(store: Store, actor: Actor, enquiry_id: int, due: date | None, *,
                 today: date | None = None) -> None:
    """Set (or clear, with None) an open enquiry's callback date; audited."""
    with store.read() as session:
        assigned_to = enquiry_row(session, enquiry_id).assigned_to
    require(policy.may_change_enquiry(actor, assigned_to), store, actor, what="set callback",
            about=Entity.ENQUIRY, about_id=enquiry_id)
    if due is not None and due < (today or local_today()):
        raise InvalidInput("The callback date is in the past.")
    with store.write() as session:
        enquiry = enquiry_row(session, enquiry_id)
        if enquiry.status != EnquiryStatus.OPEN:
            raise InvalidInput("That enquiry is closed.")
        enquiry.follow_up_due = due
        session.add(enquiry)
        audit.record(session, Action.ENQUIRY_CALLBACK_SET, actor_id=actor.id,
                     entity=Entity.ENQUIRY, entity_id=enquiry_id,
                     reason=due.isoformat() if due is not None else "cleared")


def closing_outcomes(profile: Profile) -> list[tuple[str, str]]:
    """(code, label) of the outcomes an enquiry can be closed with."""
    return [(i.code, i.label) for i in profile.outcomes.items if i.code not in OPEN_OUTCOMES]


def close(store: Store, actor: Actor, profile: Profile, enquiry_id: int, outcome: str) -> None:
    """Close an open enquiry with an outcome; audited (the outcome code is the reason)."""
    with store.read() as session:
        assigned_to = enquiry_row(session, enquiry_id).assigned_to
    require(policy.may_change_enquiry(actor, assigned_to), store, actor, what="close",
            about=Entity.ENQUIRY, about_id=enquiry_id)
    if outcome not in dict(closing_outcomes(profile)):
        raise InvalidInput("Choose how the enquiry ended: one of this service's outcomes "
                           "that closes it.")
    with store.write() as session:
        enquiry = enquiry_row(session, enquiry_id)
        if enquiry.status != EnquiryStatus.OPEN:
            raise InvalidInput("That enquiry is already closed.")
        enquiry.status, enquiry.outcome = EnquiryStatus.CLOSED, outcome
        session.add(enquiry)
        audit.record(session, Action.ENQUIRY_CLOSED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry_id, reason=outcome)
