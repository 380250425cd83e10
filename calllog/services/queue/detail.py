"""One enquiry on its own (an anonymous caller's, opened from the queue): its
details, audited as a view (ACC6), with the notes only for their reader (PRIV1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from calllog import audit, models, policy
from calllog.audit import Action, Entity
from calllog.db import Store
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.guard import require
from calllog.services.queue.tables import STAFF as _S
from calllog.services.queue.tables import TOPIC as _T
from calllog.services.queue.tables import enquiry_row
from calllog.text import clean_text


@dataclass(frozen=True)
class EnquiryDetail:
    id: int
    family_id: int | None
    coded_ref: str | None
    started_at: datetime
    ended_at: datetime
    channel: str
    topics: tuple[str, ...]
    outcome: str | None
    status: str
    follow_up_due: date | None
    assigned_to: int | None
    adviser: str | None
    recorded_by: str
    non_data_kind: str | None
    policy_explained: bool
    leaflet_sent: bool
    notes: str | None  # None when there are none or the viewer may not read them
    notes_hidden: bool
    may_change: bool
    may_assign: bool


def open_enquiry(store: Store, actor: Actor, profile: Profile, enquiry_id: int
                 ) -> EnquiryDetail:
    """One enquiry on its own (an anonymous caller's); the view is audited (ACC6).
    The notes only for their reader (PRIV1)."""
    with store.read() as session:
        enquiry = enquiry_row(session, enquiry_id)
        assigned_to, recorded_by = enquiry.assigned_to, enquiry.recorded_by
        identified = enquiry.family_id is not None
    require(policy.may_view_enquiry(actor, assigned_to=assigned_to, recorded_by=recorded_by),
            store, actor, what="open enquiry", about=Entity.ENQUIRY, about_id=enquiry_id)
    if identified:
        require(policy.may_open_family_records(actor), store, actor, what="open enquiry",
                about=Entity.ENQUIRY, about_id=enquiry_id)
    with store.write() as session:
        enquiry = enquiry_row(session, enquiry_id)
        family = (session.get(models.Family, enquiry.family_id)
                  if enquiry.family_id is not None else None)
        audit.record(session, Action.ENQUIRY_VIEWED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry_id, reason="opened")
        conn = session.connection()
        topics = tuple(sorted(conn.execute(
            sa.select(_T.c.topic).where(_T.c.enquiry_id == enquiry_id)).scalars()))
        names = {i: clean_text(n) for i, n in conn.execute(
            sa.select(_S.c.id, _S.c.display_name)
            .where(_S.c.id.in_([x for x in (enquiry.assigned_to, enquiry.recorded_by)
                                if x is not None])))}
        reader = policy.notes_reader(
            family_id=enquiry.family_id,
            family_supporter_id=family.supporter_id if family else None,
            assigned_to=enquiry.assigned_to, recorded_by=enquiry.recorded_by)
        readable = policy.may_read_notes(actor, reader).allowed
        assert enquiry.id is not None
        return EnquiryDetail(
            id=enquiry.id, family_id=enquiry.family_id,
            coded_ref=family.coded_ref if family else None,
            started_at=enquiry.started_at, ended_at=enquiry.ended_at, channel=enquiry.channel,
            topics=topics, outcome=enquiry.outcome, status=enquiry.status,
            follow_up_due=enquiry.follow_up_due, assigned_to=enquiry.assigned_to,
            adviser=names.get(enquiry.assigned_to) if enquiry.assigned_to else None,
            recorded_by=names.get(enquiry.recorded_by, "?"),
            non_data_kind=enquiry.non_data_kind, policy_explained=enquiry.policy_explained,
            leaflet_sent=enquiry.leaflet_sent,
            notes=enquiry.notes if readable and enquiry.notes else None,
            notes_hidden=bool(enquiry.notes) and not readable,
            may_change=policy.may_change_enquiry(actor, enquiry.assigned_to).allowed,
            may_assign=policy.may_assign(actor).allowed,
        )
