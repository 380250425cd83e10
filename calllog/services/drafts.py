"""Drafts: the form a staff member is typing, kept so nothing is ever lost.

A draft belongs to one staff member; nobody else can load it. Saving a draft is
not an audited change (it happens every few seconds while typing); turning it into
a record is, by the service that does that.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from calllog.clock import utcnow
from calllog.db import Store
from calllog.models import Draft


def save(store: Store, staff_id: int, kind: str, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    with store.write() as session:
        row = session.exec(
            select(Draft).where(Draft.staff_id == staff_id, Draft.kind == kind)
        ).first()
        if row is None:
            row = Draft(staff_id=staff_id, kind=kind, payload=text)
        else:
            row.payload = text
            row.updated_at = utcnow()
        session.add(row)


def load(store: Store, staff_id: int, kind: str) -> dict[str, Any] | None:
    with store.read() as session:
        row = session.exec(
            select(Draft).where(Draft.staff_id == staff_id, Draft.kind == kind)
        ).first()
    if row is None:
        return None
    payload = json.loads(row.payload)
    return payload if isinstance(payload, dict) else None


def kinds(store: Store, staff_id: int) -> list[str]:
    with store.read() as session:
        return list(session.exec(select(Draft.kind).where(Draft.staff_id == staff_id)))


def discard(store: Store, staff_id: int, kind: str) -> None:
    with store.write() as session:
        row = session.exec(
            select(Draft).where(Draft.staff_id == staff_id, Draft.kind == kind)
        ).first()
        if row is not None:
            session.delete(row)
