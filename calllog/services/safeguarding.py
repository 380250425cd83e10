"""Safeguarding overrides (SG1): reading them, and the supervisors' review.

An override is made only together with the disclosure it lets go ahead
(calllog.services.disclosures.disclose, one transaction, audited). It flags the
family (:func:`family_flag`) and sits at the top of the supervisors' queue until one of
the roles the profile names records a review (:func:`review_override`): the queue reads
``safeguarding_override`` rows whose ``reviewed_at`` is NULL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound
from calllog.models import Family, SafeguardingOverride, Staff
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor
from calllog.services.guard import (
    read_family,
    record_family_reads,
    require,
    require_family_access,
    require_open_family,
)
from calllog.text import clean_text

__all__ = ["Flag", "OverrideView", "family_flag", "family_overrides", "review_override",
           "unreviewed_overrides"]


@dataclass(frozen=True)
class OverrideView:
    id: int
    family_id: int
    coded_ref: str
    category: str
    reason: str
    made_by: str
    made_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None


@dataclass(frozen=True)
class Flag:
    """What the family screen shows at the top: the family has overrides, and how many
    are waiting for a supervisor's review."""

    overrides: int
    unreviewed: int
    latest_category: str
    latest_at: datetime


def _service_profile(store: Store) -> Profile:
    from calllog.services import settings

    key = settings.get(store, settings.PROFILE)
    if not key:
        raise InvalidInput("This database has not been set up with a service profile.")
    return load_profile(key)


def _views(store: Store, where: sa.ColumnElement[bool]) -> list[OverrideView]:
    with store.read() as session:
        rows = session.exec(
            select(SafeguardingOverride, Family.coded_ref)
            .join(Family, col(Family.id) == col(SafeguardingOverride.family_id))
            .where(where).order_by(col(SafeguardingOverride.made_at).desc())
        ).all()
        names = {i: clean_text(n) for i, n in session.exec(select(Staff.id, Staff.display_name))
                 if i is not None}
    out = []
    for row, coded_ref in rows:
        assert row.id is not None
        out.append(OverrideView(
            id=row.id, family_id=row.family_id, coded_ref=coded_ref, category=row.category,
            reason=row.reason, made_by=names.get(row.made_by, "?"), made_at=row.made_at,
            reviewed_by=names.get(row.reviewed_by) if row.reviewed_by else None,
            reviewed_at=row.reviewed_at))
    return out


def review_override(store: Store, actor: Actor, override_id: int,
                    profile: Profile | None = None) -> OverrideView:
    """SG1: a supervisor records that they reviewed the override; it leaves the top of
    the queue. Refused to roles the profile does not name and to the person who made
    it. Audited. ``profile``: the service's own when not given."""
    profile = profile or _service_profile(store)
    require_family_access(store, actor, "review override")
    with store.read() as session:
        row = session.get(SafeguardingOverride, override_id)
        if row is None:
            raise NotFound("That safeguarding override no longer exists.")
        made_by, family_id = row.made_by, row.family_id
    require_open_family(store, actor, family_id, "review override")
    require(policy.may_review_override(actor, profile, made_by), store, actor,
            what="review override", about=Entity.SAFEGUARDING_OVERRIDE, about_id=override_id)
    with store.write() as session:
        row = session.get(SafeguardingOverride, override_id)
        assert row is not None
        if row.reviewed_at is not None:
            raise InvalidInput("That override has already been reviewed.")
        row.reviewed_by, row.reviewed_at = actor.id, utcnow()
        session.add(row)
        audit.record(session, Action.OVERRIDE_REVIEWED, actor_id=actor.id,
                     entity=Entity.SAFEGUARDING_OVERRIDE, entity_id=override_id,
                     reason=f"family {family_id}")
    return _views(store, col(SafeguardingOverride.id) == override_id)[0]


def unreviewed_overrides(store: Store, actor: Actor) -> list[OverrideView]:
    """Every override still waiting for a review, newest first (supervisors' queue)."""
    require_family_access(store, actor, "unreviewed overrides")
    views = _views(store, col(SafeguardingOverride.reviewed_at).is_(None))
    record_family_reads(store, actor, (view.family_id for view in views),
                        "unreviewed overrides")
    return views


def family_overrides(store: Store, actor: Actor, family_id: int) -> list[OverrideView]:
    """The family's overrides, newest first, reviewed or not."""
    read_family(store, actor, family_id, "safeguarding overrides")
    return _views(store, col(SafeguardingOverride.family_id) == family_id)


def family_flag(store: Store, actor: Actor, family_id: int) -> Flag | None:
    """SG1: the safeguarding flag the family screen shows, or None."""
    require_open_family(store, actor, family_id, "safeguarding flag")
    with store.read() as session:
        rows = session.exec(
            select(SafeguardingOverride).where(SafeguardingOverride.family_id == family_id)
            .order_by(col(SafeguardingOverride.made_at).desc())
        ).all()
    if not rows:
        return None
    unreviewed = sum(1 for r in rows if r.reviewed_at is None)
    return Flag(len(rows), unreviewed, rows[0].category, rows[0].made_at)
