"""One segment of a queue query as one SQL statement: its constraints, the filter's,
keyset pagination after a cursor, and a LIMIT (the queue never reads the table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from calllog.services.queue.plan import (
    ANY,
    BOTH,
    BY_REF,
    CLOSED_ONLY,
    DUE_ALL,
    NONE,
    SOME,
    Plan,
    Segment,
    walk_columns,
)
from calllog.services.queue.query import QueueFilter
from calllog.services.queue.tables import ENQUIRY as _E
from calllog.services.queue.tables import FAMILY as _F
from calllog.services.queue.tables import OVERRIDE as _O
from calllog.services.queue.tables import TOPIC as _T
from calllog.services.queue.tables import CrossJoin, bind, local_midnight_utc, unindexed
from calllog.vocabulary import EnquiryStatus


def _order_columns(segment: Segment, col: Any, ref_walk: bool
                   ) -> list[ColumnElement[Any]]:
    out: list[ColumnElement[Any]] = []
    for name in segment.order:
        if name in ("coded_ref", "family_pk"):
            column: ColumnElement[Any] = _F.c.coded_ref if name == "coded_ref" else _F.c.id
            out.append(column if ref_walk else unindexed(column))
        else:
            out.append(col(name))
    return out


_COLUMNS: tuple[ColumnElement[Any], ...] = (
    _E.c.id, _E.c.family_id, _E.c.started_at, _E.c.channel, _E.c.assigned_to,
    _E.c.recorded_by, _E.c.follow_up_due, _E.c.status, _E.c.outcome, _E.c.non_data_kind,
    sa.func.length(_E.c.notes).label("notes_length"),
    _F.c.coded_ref, _F.c.supporter_id, _F.c.id.label("family_pk"),
)


def due_clause(column: ColumnElement[Any], due: frozenset[str], today: date
                ) -> ColumnElement[bool] | None:
    if due == DUE_ALL:
        return None
    dated = due - {"null"}
    day = bind(today, _E.c.follow_up_due)
    ranges: dict[frozenset[str], ColumnElement[bool]] = {
        frozenset({"past"}): column < day,
        frozenset({"today"}): column == day,
        frozenset({"future"}): column > day,
        frozenset({"past", "today"}): column <= day,
        frozenset({"today", "future"}): column >= day,
        frozenset({"past", "future"}): column != day,
        frozenset({"past", "today", "future"}): column.is_not(None),
    }
    parts = []
    if dated:
        parts.append(ranges[frozenset(dated)])
    if "null" in due:
        parts.append(column.is_(None))
    return parts[0] if len(parts) == 1 else sa.or_(*parts)


def segment_select(segment: Segment, flt: QueueFilter, plan: Plan, today: date,
                    flagged: Sequence[int], key: tuple[Any, ...] | None, limit: int
                    ) -> sa.Select[Any] | None:
    ref_walk = segment.order == BY_REF and plan.driver is None
    if plan.driver is not None:
        indexed = plan.driver
    elif ref_walk:  # the family's coded_ref index drives; enquiries by family_id
        indexed = frozenset({"family_id"})
    else:
        indexed = walk_columns(segment)

    def col(name: str) -> ColumnElement[Any]:
        column: ColumnElement[Any] = _E.c[name]
        return column if name in indexed else unindexed(column)

    where: list[ColumnElement[bool]] = []
    if segment.status != BOTH:
        where.append(col("status") == next(iter(segment.status)))
    due = due_clause(col("follow_up_due"), segment.due, today)
    if due is not None:
        where.append(due)
    assigned = segment.assigned
    if assigned == NONE:
        where.append(col("assigned_to").is_(None))
    elif assigned == SOME:
        where.append(col("assigned_to").is_not(None))
    elif isinstance(assigned, tuple):
        where.append(col("assigned_to").is_not(None))
        if assigned[1]:
            where.append(col("assigned_to").not_in(assigned[1]))
    elif assigned != ANY:
        where.append(col("assigned_to") == assigned)
    channel = segment.channel
    if isinstance(channel, tuple):
        if channel[1]:
            where.append(col("channel").not_in(channel[1]))
    elif channel != ANY:
        where.append(col("channel") == channel)
    if segment.family == NONE:
        where.append(col("family_id").is_(None))
    if segment.flagged is True:
        if not flagged:
            return None
        where.append(col("family_id").in_(_flagged_ids(flagged)))
    elif segment.flagged is False and flagged and segment.status != CLOSED_ONLY:
        # pinned above: the open enquiries of flagged families (closed ones stay here)
        not_flagged = sa.or_(col("family_id").is_(None),
                             col("family_id").not_in(_flagged_ids(flagged)))
        if segment.status == BOTH:
            not_flagged = sa.or_(col("status") != EnquiryStatus.OPEN, not_flagged)
        where.append(not_flagged)
    if flt.topic:
        if plan.topic_in and plan.driver is None:
            # never driven by the topic's rows: each would be a table read to check it
            where.append(unindexed(_E.c.id).in_(
                sa.select(_T.c.enquiry_id).where(_T.c.topic == flt.topic)))
        else:
            where.append(sa.exists().where(_T.c.enquiry_id == _E.c.id,
                                           _T.c.topic == flt.topic))
    if flt.started_from:
        where.append(col("started_at") >= bind(local_midnight_utc(flt.started_from),
                                                _E.c.started_at))
    if flt.started_to:
        end = local_midnight_utc(flt.started_to + timedelta(days=1))
        where.append(col("started_at") < bind(end, _E.c.started_at))
    order = _order_columns(segment, col, ref_walk)
    if key is not None:
        bound = sa.tuple_(*(bind(v, c) for v, c in zip(key, order, strict=True)))
        where.append(sa.tuple_(*order) < bound if segment.descending
                     else sa.tuple_(*order) > bound)
    if segment.family == SOME:
        source = (CrossJoin(_F, _E, _E.c.family_id == _F.c.id) if ref_walk
                  else _E.join(_F, _F.c.id == _E.c.family_id))
    else:
        source = _E.outerjoin(_F, _F.c.id == _E.c.family_id)
    return (
        sa.select(*_COLUMNS).select_from(source).where(*where)
        .order_by(*(c.desc() if segment.descending else c.asc() for c in order))
        .limit(limit)
    )


FLAGGED_INLINE = 500
"""Up to this many flagged families are named in the SQL; more, and it asks again."""


def _flagged_ids(flagged: Sequence[int]) -> Any:
    if len(flagged) <= FLAGGED_INLINE:
        return list(flagged)
    return sa.select(_O.c.family_id).where(_O.c.reviewed_at.is_(None))


def flagged_families(conn: Connection) -> list[int]:
    return sorted(conn.execute(
        sa.select(_O.c.family_id).where(_O.c.reviewed_at.is_(None)).distinct()
    ).scalars())
