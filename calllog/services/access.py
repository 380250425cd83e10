"""Who has seen this record (ACC6; Surrey policy 001 §6.2 "parents are informed as to
who has access to records").

Drawn from the audit log alone: every row about the family itself, and every row
about a record that belongs to the family (its enquiries, consents, disclosures,
safeguarding overrides, referrals, people, children ...: any table with a
``family_id`` column). Audit rows hold staff ids; names and roles are joined here,
for display only. Opening the list is itself audited (it shows that the family
exists and who works with it), before the list is read, so it includes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import SQLModel

from calllog import audit, models, policy
from calllog.audit import Action, Entity
from calllog.db import Store
from calllog.errors import NotFound
from calllog.roles import Actor
from calllog.services.guard import require
from calllog.text import clean_text

__all__ = ["WORDS", "AccessEntry", "access_list", "linked_tables"]

_A: sa.Table = SQLModel.metadata.tables[models.AuditEvent.__tablename__]
_S: sa.Table = SQLModel.metadata.tables[models.Staff.__tablename__]

WORDS: Mapping[str, str] = {
    Action.FAMILY_CREATED: "created the record",
    Action.FAMILY_UPDATED: "changed the record",
    Action.FAMILY_VIEWED: "viewed the record",
    Action.FAMILY_SUPPORTER_CHANGED: "changed the family's supporter",
    Action.ENQUIRY_LOGGED: "logged a contact",
    Action.ENQUIRY_VIEWED: "viewed a contact",
    Action.ENQUIRY_ASSIGNED: "assigned a contact",
    Action.ENQUIRY_CALLBACK_SET: "set a callback date",
    Action.ENQUIRY_CLOSED: "closed a contact",
    Action.NOTES_SUPERVISION_ACCESS: "read notes (supervision access)",
    Action.ACCESS_LIST_VIEWED: "viewed who has seen the record",
    Action.ACCESS_REFUSED: "was refused access",
}


@dataclass(frozen=True)
class AccessEntry:
    audit_id: int
    at: datetime
    staff_id: int | None
    staff_name: str
    role: str | None  # adviser | supervisor | administrator
    action: str
    what: str
    entity: str
    entity_id: int
    reason: str | None


def linked_tables() -> list[str]:
    """The tables whose rows belong to a family (they have a ``family_id``); an audit
    row about one of them is about the family."""
    return sorted(name for name, table in SQLModel.metadata.tables.items()
                  if "family_id" in table.c and name != "search_key")


def _describe(action: str) -> str:
    return WORDS.get(action) or action.replace("_", " ")


def access_list(store: Store, actor: Actor, family_id: int) -> list[AccessEntry]:
    """Every audited view, change, disclosure and override of the family's records,
    oldest first. For supervisors and the family's supporter."""
    with store.read() as session:
        family = session.get(models.Family, family_id)
        if family is None:
            raise NotFound("That family record no longer exists.")
        supporter_id = family.supporter_id
    require(policy.may_view_access_list(actor, supporter_id), store, actor,
            what="who has seen this record", about=Entity.FAMILY, about_id=family_id)
    with store.write() as session:
        audit.record(session, Action.ACCESS_LIST_VIEWED, actor_id=actor.id, entity=Entity.FAMILY,
                     entity_id=family_id)
        conn = session.connection()
        about = [sa.and_(_A.c.entity == Entity.FAMILY, _A.c.entity_id == family_id)]
        for name in linked_tables():
            table = SQLModel.metadata.tables[name]
            ids = list(conn.execute(sa.select(table.c.id).where(
                table.c.family_id == family_id)).scalars())
            if ids:
                about.append(sa.and_(_A.c.entity == name, _A.c.entity_id.in_(ids)))
        rows = conn.execute(
            sa.select(_A.c.id, _A.c.at, _A.c.actor_id, _A.c.action, _A.c.entity,
                      _A.c.entity_id, _A.c.reason, _S.c.display_name, _S.c.role)
            .select_from(_A.outerjoin(_S, _S.c.id == _A.c.actor_id))
            .where(sa.or_(*about)).order_by(_A.c.id)
        ).all()
    return [AccessEntry(
        audit_id=r.id, at=r.at, staff_id=r.actor_id,
        staff_name=clean_text(r.display_name) if r.display_name else "(system)",
        role=r.role, action=r.action, what=_describe(r.action), entity=r.entity,
        entity_id=r.entity_id, reason=clean_text(r.reason) if r.reason else None,
    ) for r in rows]
