"""The one way a service refuses: the policy's :class:`~calllog.policy.Decision` is
checked, a refusal is audited, and :class:`~calllog.errors.NotAllowed` is raised with
the decision's reason.

A refusal's audit row (``access_refused``) is written in its own transaction, so it
is kept although the raise rolls back whatever the service was doing (failed
authorisation is logged: ASVS 16.3.2; ACC6). Like every audit row it holds ids and
the action refused (``what``: "assign", "record consent"), never a name or a value
that was typed. (A disclosure the engine refuses is recorded differently: as a
``disclosure_refused`` row of the attempt, by :mod:`calllog.services.disclosures`.)

Also here: the gates every service that touches a family goes through (ACC3: a DBS
check is recorded; REC8: the family is not held until the parent's permission for a
referral is recorded).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

from sqlmodel import Session, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.db import Store
from calllog.errors import NotAllowed, NotFound
from calllog.models import Family, Referral
from calllog.policy import Decision
from calllog.roles import Actor
from calllog.vocabulary import ReferralStatus

__all__ = ["is_held", "read_family", "record_family_reads", "refused", "require",
           "require_family_access", "require_open_family", "require_unaudited"]


def require(decision: Decision, store: Store, actor: Actor, *, what: str, about: Entity,
            about_id: int | None = None) -> None:
    """Go on if ``decision`` allows; otherwise :func:`refused`: ``actor`` was refused
    ``what`` on the record ``about`` / ``about_id`` (no id: no one record)."""
    if not decision:
        refused(decision, store, actor, what=what, about=about, about_id=about_id)


def refused(decision: Decision, store: Store, actor: Actor, *, what: str, about: Entity,
            about_id: int | None = None) -> NoReturn:
    """Write one ``access_refused`` row, committed in its own transaction, and raise
    NotAllowed with the decision's reason."""
    with store.write() as session:
        audit.record(session, Action.ACCESS_REFUSED, actor_id=actor.id, entity=about,
                     entity_id=about_id, reason=what)
    raise NotAllowed(decision.reason)


def require_unaudited(decision: Decision) -> None:
    """Raise NotAllowed without an audit row. Only where a comment at the call says
    why that refusal is not audited."""
    if not decision:
        raise NotAllowed(decision.reason)


def require_family_access(store: Store, actor: Actor, what: str) -> None:
    """ACC3: staff without a recorded DBS check are refused (audited) anything that
    opens or makes a family record."""
    require(policy.may_open_family_records(actor), store, actor, what=what,
            about=Entity.FAMILY)


def is_held(session: Session, family_id: int) -> bool:
    """REC8: the family has a referral still waiting for the parent's permission."""
    return session.exec(
        select(Referral.id).where(Referral.family_id == family_id,
                                  Referral.status == ReferralStatus.HELD)
    ).first() is not None


def require_open_family(store: Store, actor: Actor, family_id: int, what: str) -> None:
    """ACC3, REC8: refuse (audited) staff without a DBS check, and a held family; a
    family that does not exist is NotFound."""
    require_family_access(store, actor, what)
    with store.read() as session:
        if session.get(Family, family_id) is None:
            raise NotFound("That family record no longer exists.")
        held = is_held(session, family_id)
    require(policy.may_open_held_family(held), store, actor, what=f"{what}: referral held",
            about=Entity.FAMILY, about_id=family_id)


def read_family(store: Store, actor: Actor, family_id: int, what: str) -> None:
    """The gate of every read of a family's personal data (ACC6, issue 16): the
    checks of :func:`require_open_family`, then one ``family_viewed`` row saying what
    was read (``what``: "disclosures", "attendance register"), committed before the
    data is read, so a read that is refused or fails part way is still on record.
    tests/services/test_read_audit.py finds every service function that reads a
    family without writing and fails unless it comes through here."""
    require_open_family(store, actor, family_id, what)
    record_family_reads(store, actor, [family_id], what)


def record_family_reads(store: Store, actor: Actor, family_ids: Iterable[int],
                        what: str) -> None:
    """One ``family_viewed`` row for each family read (a list that spans families,
    such as the overrides waiting for review, is a read of each), in one transaction."""
    with store.write() as session:
        for family_id in sorted(set(family_ids)):
            audit.record(session, Action.FAMILY_VIEWED, actor_id=actor.id,
                         entity=Entity.FAMILY, entity_id=family_id, reason=what)
