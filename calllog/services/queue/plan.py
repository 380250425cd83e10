"""How a queue query is read (OPS2 at scale; see the package's doc): cut into
*segments*, each one index range read in index order, with the filters folded in
(a segment a filter contradicts is dropped before any SQL runs); and which index
each segment walks, or, for a narrow filter, which one drives them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from calllog.services.queue.query import (
    ALL_STATUSES,
    UNASSIGNED,
    Callback,
    Priority,
    QueueFilter,
    SortKey,
)
from calllog.services.queue.tables import ENQUIRY as _E
from calllog.services.queue.tables import TOPIC as _T
from calllog.services.queue.tables import (
    bind,
    capped_count,
    local_midnight_utc,
    statuses_clause,
)
from calllog.vocabulary import EnquiryStatus

DRIVE_CAP = 5000
"""A filter matching at most this many rows drives every segment (see the package doc)."""


DUE_ALL = frozenset({"null", "past", "today", "future"})
OPEN_ONLY = frozenset({EnquiryStatus.OPEN.value})
CLOSED_ONLY = frozenset({EnquiryStatus.CLOSED.value})
BOTH = OPEN_ONLY | CLOSED_ONLY
ANY = "any"
NONE = "none"
SOME = "some"


@dataclass(frozen=True)
class Segment:
    """One index range of the queue, in one order. ``assigned``: "any", "none",
    "some", a staff id, or ("not", ids); ``channel``: "any", a code, or ("not", codes);
    ``flagged``: True (the family has an unreviewed safeguarding override), False
    (excluded: pinned above) or None; ``order``: column names, all ``descending`` or
    not."""

    priority: Priority | None
    order: tuple[str, ...]
    descending: bool = False
    status: frozenset[str] = BOTH
    due: frozenset[str] = DUE_ALL
    assigned: Any = ANY
    channel: Any = ANY
    family: str = ANY
    flagged: bool | None = None


BY_DUE = ("follow_up_due", "started_at", "id")
BY_STARTED = ("started_at", "id")
BY_REF = ("coded_ref", "family_pk", "id")


def priority_segments() -> list[Segment]:
    return [
        Segment(Priority.SAFEGUARDING, BY_STARTED, status=OPEN_ONLY, flagged=True),
        Segment(Priority.OVERDUE, BY_DUE, status=OPEN_ONLY, due=frozenset({"past"}),
                 flagged=False),
        Segment(Priority.TODAY, BY_DUE, status=OPEN_ONLY, due=frozenset({"today"}),
                 flagged=False),
        Segment(Priority.UNASSIGNED, BY_STARTED, status=OPEN_ONLY, assigned=NONE,
                 due=frozenset({"null", "future"}), flagged=False),
        Segment(Priority.OPEN, BY_DUE, status=OPEN_ONLY, assigned=SOME,
                 due=frozenset({"future"}), flagged=False),
        Segment(Priority.OPEN, BY_STARTED, status=OPEN_ONLY, assigned=SOME,
                 due=frozenset({"null"}), flagged=False),
        Segment(Priority.CLOSED, BY_STARTED, descending=True, status=CLOSED_ONLY),
    ]


def column_segments(sort: SortKey, desc: bool, staff: Sequence[tuple[int, str]],
                     channels: Sequence[str]) -> list[Segment]:
    """A column sort: safeguarding pinned first, then the column's order; rows without
    a value (no callback date, unassigned, anonymous) always last."""
    pinned = Segment(Priority.SAFEGUARDING, BY_STARTED, status=OPEN_ONLY, flagged=True)
    rest: list[Segment] = []
    if sort is SortKey.STARTED:
        rest = [Segment(None, BY_STARTED, desc)]
    elif sort is SortKey.DUE:
        rest = [Segment(None, BY_DUE, desc, due=DUE_ALL - {"null"}),
                Segment(None, BY_STARTED, desc, due=frozenset({"null"}))]
    elif sort is SortKey.REF:
        rest = [Segment(None, BY_REF, desc, family=SOME),
                Segment(None, BY_STARTED, desc, family=NONE)]
    elif sort is SortKey.STATUS:
        order = [CLOSED_ONLY, OPEN_ONLY] if desc else [OPEN_ONLY, CLOSED_ONLY]
        rest = [Segment(None, BY_STARTED, status=s) for s in order]
    elif sort is SortKey.ADVISER:
        people = list(reversed(staff)) if desc else list(staff)
        rest = [Segment(None, BY_STARTED, status=s, assigned=staff_id)
                for staff_id, _name in people for s in (OPEN_ONLY, CLOSED_ONLY)]
        known = tuple(staff_id for staff_id, _name in staff)
        rest += [Segment(None, BY_STARTED, status=s, assigned=("not", known))
                 for s in (OPEN_ONLY, CLOSED_ONLY)]
        rest += [Segment(None, BY_STARTED, status=s, assigned=NONE)
                 for s in (OPEN_ONLY, CLOSED_ONLY)]
    elif sort is SortKey.CHANNEL:
        codes = list(reversed(channels)) if desc else list(channels)
        rest = [Segment(None, BY_STARTED, status=s, channel=code)
                for code in codes for s in (OPEN_ONLY, CLOSED_ONLY)]
        rest += [Segment(None, BY_STARTED, status=s, channel=("not", tuple(channels)))
                 for s in (OPEN_ONLY, CLOSED_ONLY)]
    # open rows of a flagged family are pinned above, so left out below
    return [pinned, *(replace(s, flagged=False) for s in rest)]


def _combine_assigned(segment: Any, wanted: int | None) -> Any:
    """The segment's adviser constraint narrowed by the adviser filter; None if empty."""
    if wanted is None:
        return segment
    if wanted == UNASSIGNED:
        return NONE if segment in (ANY, NONE) else None
    if segment in (ANY, SOME) or segment == wanted:
        return wanted
    if isinstance(segment, tuple):
        return wanted if wanted not in segment[1] else None
    return None


def _combine_channel(segment: Any, wanted: str | None) -> Any:
    if wanted is None:
        return segment
    if segment in (ANY, wanted):
        return wanted
    if isinstance(segment, tuple):
        return wanted if wanted not in segment[1] else None
    return None


CALLBACK_DUE = {
    Callback.DUE: frozenset({"past", "today"}),
    Callback.OVERDUE: frozenset({"past"}),
    Callback.TODAY: frozenset({"today"}),
    Callback.SCHEDULED: frozenset({"past", "today", "future"}),
}


def narrow(segment: Segment, flt: QueueFilter) -> Segment | None:
    """The segment with the filter's constraints folded in; None if nothing can match."""
    statuses = BOTH if flt.status == ALL_STATUSES else frozenset({flt.status})
    status = segment.status & statuses
    due = segment.due & (CALLBACK_DUE[flt.callback] if flt.callback else DUE_ALL)
    assigned = _combine_assigned(segment.assigned, flt.adviser_id)
    channel = _combine_channel(segment.channel, flt.channel)
    if not status or not due or assigned is None or channel is None:
        return None
    return replace(segment, status=status, due=due, assigned=assigned, channel=channel)


@dataclass(frozen=True)
class Plan:
    """How the segments are read. ``driver`` None: each segment walks its own index
    in order (:func:`walk_columns`); otherwise every segment is read through the
    narrow filter's index (these columns) and its few rows sorted."""

    driver: frozenset[str] | None
    topic_in: bool  # a rare topic: IN (ids from the topic index); common: EXISTS


_DUE_INDEX = frozenset({"status", "follow_up_due", "started_at", "id"})


def walk_columns(segment: Segment) -> frozenset[str]:
    """The enquiry columns of the one index a segment is read through, in order (the
    rest are written ``+column`` on SQLite, so the planner cannot pick another index
    whatever its statistics say). The indexes are those of migration 0004."""
    if segment.flagged is True:  # a few families: their enquiries, then sorted
        return frozenset({"family_id"})
    fixed = segment.status != BOTH
    if segment.order == BY_DUE:
        return _DUE_INDEX if fixed else frozenset({"follow_up_due", "id"})
    if fixed and (segment.assigned == NONE or isinstance(segment.assigned, int)):
        return frozenset({"status", "assigned_to", "started_at", "id"})
    if fixed and isinstance(segment.channel, str) and segment.channel != ANY:
        return frozenset({"status", "channel", "started_at", "id"})
    if fixed:
        return frozenset({"status", "started_at", "id"})
    return frozenset({"started_at", "id"})


def choose_plan(conn: Connection, flt: QueueFilter) -> Plan:
    """Drive from the narrowest filter when it matches at most DRIVE_CAP rows."""
    topic_in = False
    if flt.topic:
        rows = sa.select(sa.literal(1)).select_from(_T).where(_T.c.topic == flt.topic)
        topic_in = capped_count(conn, rows, 8 * DRIVE_CAP) <= 8 * DRIVE_CAP
    if conn.dialect.name != "sqlite":
        return Plan(None, topic_in)
    status = statuses_clause(flt)
    candidates: list[tuple[int, frozenset[str]]] = []

    def count(*where: ColumnElement[bool]) -> int:
        return capped_count(conn, sa.select(sa.literal(1)).select_from(_E)
                             .where(*status, *where), DRIVE_CAP)

    if flt.adviser_id is not None:
        column = _E.c.assigned_to
        n = count(column.is_(None) if flt.adviser_id == UNASSIGNED
                  else column == flt.adviser_id)
        candidates.append((n, frozenset({"status", "assigned_to"})))
    if flt.channel:
        candidates.append((count(_E.c.channel == flt.channel),
                           frozenset({"status", "channel"})))
    if flt.started_from or flt.started_to:
        bounds = []
        if flt.started_from:
            bounds.append(_E.c.started_at >= bind(local_midnight_utc(flt.started_from),
                                                   _E.c.started_at))
        if flt.started_to:
            bounds.append(_E.c.started_at < bind(
                local_midnight_utc(flt.started_to + timedelta(days=1)), _E.c.started_at))
        candidates.append((count(*bounds), frozenset({"status", "started_at"})))
    if candidates:
        n, driver = min(candidates, key=lambda c: c[0])
        if n <= DRIVE_CAP:
            return Plan(driver, topic_in)
    return Plan(None, topic_in)
