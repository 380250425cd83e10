"""The call queue (OPS2): every open enquiry across advisers, safeguarding first,
then callbacks overdue, due today, unassigned work and the rest; filters, sorts,
and the actions on one enquiry (assign, callback date, close), each audited.

Scale (DESIGN, "things already learned"): the queue never reads every row. A
query is cut into *segments*, each an index range read in index order (the
indexes are made by migration 0004), and pages of a few hundred rows are read
with keyset pagination: a :class:`Cursor` is the segment and the sort values of
the last row shown, and the next page starts strictly after it. The priority
order is seven segments (safeguarding, overdue, due today, unassigned, upcoming
callbacks, other open work, closed); a column sort pins the safeguarding segment
first and then reads one segment per value for categorical columns (an adviser,
a channel, a status) or one or two (a date column, then the rows without it).
Filters that contradict a segment drop it before any SQL is run.

When a filter is narrow (an adviser, a channel or a date range matching at most
:data:`DRIVE_CAP` rows), every segment is read through that filter's index
instead and the few matching rows are sorted: on SQLite the other columns are
written ``+column`` so the planner cannot walk a long index to find a handful of
rows. On PostgreSQL the planner decides.

Privacy: a row holds the coded reference; a name only when the viewer owns the
record (PRIV2, :func:`calllog.policy.may_see_names`); never the notes, only
whether there are any (PRIV1).

Live updates: :class:`ChangeWatcher` answers "has anything been committed since
I last asked?" from ``PRAGMA data_version`` on one dedicated SQLite connection
(or, on other databases, the newest audit row's id: every change is audited),
so an open queue re-reads only the rows it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join
from sqlmodel import SQLModel

from calllog import audit, models, policy
from calllog.audit import Action, Entity
from calllog.clock import today as local_today
from calllog.db import Store
from calllog.errors import InvalidInput, NotFound
from calllog.profiles import Profile
from calllog.roles import Actor, Role
from calllog.services.guard import require
from calllog.text import clean_text
from calllog.vocabulary import OPEN_OUTCOMES, EnquiryStatus, Party

__all__ = [
    "DRIVE_CAP",
    "PAGE_SIZE",
    "UNASSIGNED",
    "Callback",
    "ChangeWatcher",
    "Cursor",
    "EnquiryDetail",
    "Page",
    "Priority",
    "QueueFilter",
    "QueueQuery",
    "QueueReader",
    "QueueRow",
    "SortKey",
    "StaffChoice",
    "WorkSummary",
    "assign",
    "assignable_staff",
    "close",
    "open_enquiry",
    "set_callback",
    "staff_names",
    "work_summary",
]

PAGE_SIZE = 100
DRIVE_CAP = 5000
"""A filter matching at most this many rows drives every segment (see module doc)."""
UNASSIGNED = 0
"""``QueueFilter.adviser_id`` for "nobody": enquiries assigned to no one."""

_E: sa.Table = SQLModel.metadata.tables[models.Enquiry.__tablename__]
_F: sa.Table = SQLModel.metadata.tables[models.Family.__tablename__]
_T: sa.Table = SQLModel.metadata.tables[models.EnquiryTopic.__tablename__]
_O: sa.Table = SQLModel.metadata.tables[models.SafeguardingOverride.__tablename__]
_S: sa.Table = SQLModel.metadata.tables[models.Staff.__tablename__]
_P: sa.Table = SQLModel.metadata.tables[models.Person.__tablename__]
_C: sa.Table = SQLModel.metadata.tables[models.Child.__tablename__]


# --- the query ------------------------------------------------------------------------


class Callback(StrEnum):
    """The "callback due" filter."""

    DUE = "due"  # due today or overdue
    OVERDUE = "overdue"
    TODAY = "today"
    SCHEDULED = "scheduled"  # any callback date


class SortKey(StrEnum):
    PRIORITY = "priority"
    REF = "ref"
    STARTED = "started"
    CHANNEL = "channel"
    ADVISER = "adviser"
    DUE = "due"
    STATUS = "status"


class Priority(StrEnum):
    """Why a row is where it is in the priority order; shown as its flag."""

    SAFEGUARDING = "safeguarding"
    OVERDUE = "overdue"
    TODAY = "today"
    UNASSIGNED = "unassigned"
    OPEN = "open"
    CLOSED = "closed"


ALL_STATUSES = "all"
"""``QueueFilter.status`` for open and closed enquiries alike."""
STATUSES: tuple[str, ...] = (EnquiryStatus.OPEN, EnquiryStatus.CLOSED, ALL_STATUSES)


@dataclass(frozen=True)
class QueueFilter:
    adviser_id: int | None = None  # None: anyone; UNASSIGNED: nobody
    status: str = EnquiryStatus.OPEN  # an EnquiryStatus, or ALL_STATUSES
    topic: str | None = None
    channel: str | None = None
    started_from: date | None = None  # local dates, inclusive
    started_to: date | None = None
    callback: Callback | None = None

    def problems(self) -> list[str]:
        out = []
        if self.status not in STATUSES:
            out.append(f"Status must be one of {', '.join(STATUSES)}.")
        if self.started_from and self.started_to and self.started_from > self.started_to:
            out.append("The 'from' date is after the 'to' date.")
        return out


@dataclass(frozen=True)
class QueueQuery:
    filter: QueueFilter = field(default_factory=QueueFilter)
    sort: SortKey = SortKey.PRIORITY
    descending: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the segment and the sort values of its last row."""

    segment: int
    key: tuple[Any, ...] | None  # None: the segment's start


@dataclass(frozen=True)
class QueueRow:
    id: int
    family_id: int | None
    coded_ref: str | None
    name: str | None  # only for the record's owner (PRIV2)
    non_data_kind: str | None
    started_at: datetime
    channel: str
    assigned_to: int | None
    adviser: str | None
    recorded_by: int
    follow_up_due: date | None
    status: str
    outcome: str | None
    priority: Priority
    topics: tuple[str, ...]
    has_notes: bool  # never the notes themselves (PRIV1)
    supporter_id: int | None

    @property
    def anonymous(self) -> bool:
        return self.family_id is None


@dataclass(frozen=True)
class Page:
    rows: tuple[QueueRow, ...]
    start: Cursor | None  # the position before the first row (None: the very start)
    end: Cursor | None  # after the last row; None when nothing follows


# --- segments -------------------------------------------------------------------------

_DUE_ALL = frozenset({"null", "past", "today", "future"})
_OPEN = frozenset({EnquiryStatus.OPEN.value})
_CLOSED = frozenset({EnquiryStatus.CLOSED.value})
_BOTH = _OPEN | _CLOSED
_ANY = "any"
_NONE = "none"
_SOME = "some"


@dataclass(frozen=True)
class _Segment:
    """One index range of the queue, in one order. ``assigned``: "any", "none",
    "some", a staff id, or ("not", ids); ``channel``: "any", a code, or ("not", codes);
    ``flagged``: True (the family has an unreviewed safeguarding override), False
    (excluded: pinned above) or None; ``order``: column names, all ``descending`` or
    not."""

    priority: Priority | None
    order: tuple[str, ...]
    descending: bool = False
    status: frozenset[str] = _BOTH
    due: frozenset[str] = _DUE_ALL
    assigned: Any = _ANY
    channel: Any = _ANY
    family: str = _ANY
    flagged: bool | None = None


_BY_DUE = ("follow_up_due", "started_at", "id")
_BY_STARTED = ("started_at", "id")
_BY_REF = ("coded_ref", "family_pk", "id")


def _priority_segments() -> list[_Segment]:
    return [
        _Segment(Priority.SAFEGUARDING, _BY_STARTED, status=_OPEN, flagged=True),
        _Segment(Priority.OVERDUE, _BY_DUE, status=_OPEN, due=frozenset({"past"}),
                 flagged=False),
        _Segment(Priority.TODAY, _BY_DUE, status=_OPEN, due=frozenset({"today"}),
                 flagged=False),
        _Segment(Priority.UNASSIGNED, _BY_STARTED, status=_OPEN, assigned=_NONE,
                 due=frozenset({"null", "future"}), flagged=False),
        _Segment(Priority.OPEN, _BY_DUE, status=_OPEN, assigned=_SOME,
                 due=frozenset({"future"}), flagged=False),
        _Segment(Priority.OPEN, _BY_STARTED, status=_OPEN, assigned=_SOME,
                 due=frozenset({"null"}), flagged=False),
        _Segment(Priority.CLOSED, _BY_STARTED, descending=True, status=_CLOSED),
    ]


def _column_segments(sort: SortKey, desc: bool, staff: Sequence[tuple[int, str]],
                     channels: Sequence[str]) -> list[_Segment]:
    """A column sort: safeguarding pinned first, then the column's order; rows without
    a value (no callback date, unassigned, anonymous) always last."""
    pinned = _Segment(Priority.SAFEGUARDING, _BY_STARTED, status=_OPEN, flagged=True)
    rest: list[_Segment] = []
    if sort is SortKey.STARTED:
        rest = [_Segment(None, _BY_STARTED, desc)]
    elif sort is SortKey.DUE:
        rest = [_Segment(None, _BY_DUE, desc, due=_DUE_ALL - {"null"}),
                _Segment(None, _BY_STARTED, desc, due=frozenset({"null"}))]
    elif sort is SortKey.REF:
        rest = [_Segment(None, _BY_REF, desc, family=_SOME),
                _Segment(None, _BY_STARTED, desc, family=_NONE)]
    elif sort is SortKey.STATUS:
        order = [_CLOSED, _OPEN] if desc else [_OPEN, _CLOSED]
        rest = [_Segment(None, _BY_STARTED, status=s) for s in order]
    elif sort is SortKey.ADVISER:
        people = list(reversed(staff)) if desc else list(staff)
        rest = [_Segment(None, _BY_STARTED, status=s, assigned=staff_id)
                for staff_id, _name in people for s in (_OPEN, _CLOSED)]
        known = tuple(staff_id for staff_id, _name in staff)
        rest += [_Segment(None, _BY_STARTED, status=s, assigned=("not", known))
                 for s in (_OPEN, _CLOSED)]
        rest += [_Segment(None, _BY_STARTED, status=s, assigned=_NONE) for s in (_OPEN, _CLOSED)]
    elif sort is SortKey.CHANNEL:
        codes = list(reversed(channels)) if desc else list(channels)
        rest = [_Segment(None, _BY_STARTED, status=s, channel=code)
                for code in codes for s in (_OPEN, _CLOSED)]
        rest += [_Segment(None, _BY_STARTED, status=s, channel=("not", tuple(channels)))
                 for s in (_OPEN, _CLOSED)]
    # open rows of a flagged family are pinned above, so left out below
    return [pinned, *(replace(s, flagged=False) for s in rest)]


def _combine_assigned(segment: Any, wanted: int | None) -> Any:
    """The segment's adviser constraint narrowed by the adviser filter; None if empty."""
    if wanted is None:
        return segment
    if wanted == UNASSIGNED:
        return _NONE if segment in (_ANY, _NONE) else None
    if segment in (_ANY, _SOME) or segment == wanted:
        return wanted
    if isinstance(segment, tuple):
        return wanted if wanted not in segment[1] else None
    return None


def _combine_channel(segment: Any, wanted: str | None) -> Any:
    if wanted is None:
        return segment
    if segment in (_ANY, wanted):
        return wanted
    if isinstance(segment, tuple):
        return wanted if wanted not in segment[1] else None
    return None


_CALLBACK_DUE = {
    Callback.DUE: frozenset({"past", "today"}),
    Callback.OVERDUE: frozenset({"past"}),
    Callback.TODAY: frozenset({"today"}),
    Callback.SCHEDULED: frozenset({"past", "today", "future"}),
}


def _narrow(segment: _Segment, flt: QueueFilter) -> _Segment | None:
    """The segment with the filter's constraints folded in; None if nothing can match."""
    statuses = _BOTH if flt.status == ALL_STATUSES else frozenset({flt.status})
    status = segment.status & statuses
    due = segment.due & (_CALLBACK_DUE[flt.callback] if flt.callback else _DUE_ALL)
    assigned = _combine_assigned(segment.assigned, flt.adviser_id)
    channel = _combine_channel(segment.channel, flt.channel)
    if not status or not due or assigned is None or channel is None:
        return None
    return replace(segment, status=status, due=due, assigned=assigned, channel=channel)


# --- SQL ------------------------------------------------------------------------------


class _unindexed(FunctionElement[Any]):
    """``+column`` on SQLite: the same value, but the planner may not use an index for
    it (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_);
    the bare column elsewhere."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_unindexed)
def _unindexed_default(element: _unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_unindexed, "sqlite")
def _unindexed_sqlite(element: _unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class _CrossJoin(Join):
    """An inner join whose left table is the outer loop: SQLite's ``CROSS JOIN``
    (https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_cross_join),
    a plain ``JOIN`` elsewhere. Sorting by coded reference walks the family index."""

    inherit_cache = True


@compiles(_CrossJoin, "sqlite")
def _cross_join_sqlite(element: _CrossJoin, compiler: SQLCompiler, **kw: Any) -> str:
    joined = compiler.visit_join(element, **kw)  # type: ignore[no-untyped-call]
    return str(joined).replace(" JOIN ", " CROSS JOIN ", 1)


@dataclass(frozen=True)
class _Plan:
    """How the segments are read. ``driver`` None: each segment walks its own index
    in order (:func:`_walk_columns`); otherwise every segment is read through the
    narrow filter's index (these columns) and its few rows sorted."""

    driver: frozenset[str] | None
    topic_in: bool  # a rare topic: IN (ids from the topic index); common: EXISTS


_DUE_INDEX = frozenset({"status", "follow_up_due", "started_at", "id"})


def _walk_columns(segment: _Segment) -> frozenset[str]:
    """The enquiry columns of the one index a segment is read through, in order (the
    rest are written ``+column`` on SQLite, so the planner cannot pick another index
    whatever its statistics say). The indexes are those of migration 0004."""
    if segment.flagged is True:  # a few families: their enquiries, then sorted
        return frozenset({"family_id"})
    fixed = segment.status != _BOTH
    if segment.order == _BY_DUE:
        return _DUE_INDEX if fixed else frozenset({"follow_up_due", "id"})
    if fixed and (segment.assigned == _NONE or isinstance(segment.assigned, int)):
        return frozenset({"status", "assigned_to", "started_at", "id"})
    if fixed and isinstance(segment.channel, str) and segment.channel != _ANY:
        return frozenset({"status", "channel", "started_at", "id"})
    if fixed:
        return frozenset({"status", "started_at", "id"})
    return frozenset({"started_at", "id"})


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def _bind(value: Any, column: ColumnElement[Any]) -> ColumnElement[Any]:
    return sa.bindparam(None, value, type_=column.type)


def _order_columns(segment: _Segment, col: Any, ref_walk: bool
                   ) -> list[ColumnElement[Any]]:
    out: list[ColumnElement[Any]] = []
    for name in segment.order:
        if name in ("coded_ref", "family_pk"):
            column: ColumnElement[Any] = _F.c.coded_ref if name == "coded_ref" else _F.c.id
            out.append(column if ref_walk else _unindexed(column))
        else:
            out.append(col(name))
    return out


_COLUMNS: tuple[ColumnElement[Any], ...] = (
    _E.c.id, _E.c.family_id, _E.c.started_at, _E.c.channel, _E.c.assigned_to,
    _E.c.recorded_by, _E.c.follow_up_due, _E.c.status, _E.c.outcome, _E.c.non_data_kind,
    sa.func.length(_E.c.notes).label("notes_length"),
    _F.c.coded_ref, _F.c.supporter_id, _F.c.id.label("family_pk"),
)


def _due_clause(column: ColumnElement[Any], due: frozenset[str], today: date
                ) -> ColumnElement[bool] | None:
    if due == _DUE_ALL:
        return None
    dated = due - {"null"}
    day = _bind(today, _E.c.follow_up_due)
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


def _segment_select(segment: _Segment, flt: QueueFilter, plan: _Plan, today: date,
                    flagged: Sequence[int], key: tuple[Any, ...] | None, limit: int
                    ) -> sa.Select[Any] | None:
    ref_walk = segment.order == _BY_REF and plan.driver is None
    if plan.driver is not None:
        indexed = plan.driver
    elif ref_walk:  # the family's coded_ref index drives; enquiries by family_id
        indexed = frozenset({"family_id"})
    else:
        indexed = _walk_columns(segment)

    def col(name: str) -> ColumnElement[Any]:
        column: ColumnElement[Any] = _E.c[name]
        return column if name in indexed else _unindexed(column)

    where: list[ColumnElement[bool]] = []
    if segment.status != _BOTH:
        where.append(col("status") == next(iter(segment.status)))
    due = _due_clause(col("follow_up_due"), segment.due, today)
    if due is not None:
        where.append(due)
    assigned = segment.assigned
    if assigned == _NONE:
        where.append(col("assigned_to").is_(None))
    elif assigned == _SOME:
        where.append(col("assigned_to").is_not(None))
    elif isinstance(assigned, tuple):
        where.append(col("assigned_to").is_not(None))
        if assigned[1]:
            where.append(col("assigned_to").not_in(assigned[1]))
    elif assigned != _ANY:
        where.append(col("assigned_to") == assigned)
    channel = segment.channel
    if isinstance(channel, tuple):
        if channel[1]:
            where.append(col("channel").not_in(channel[1]))
    elif channel != _ANY:
        where.append(col("channel") == channel)
    if segment.family == _NONE:
        where.append(col("family_id").is_(None))
    if segment.flagged is True:
        if not flagged:
            return None
        where.append(col("family_id").in_(_flagged_ids(flagged)))
    elif segment.flagged is False and flagged and segment.status != _CLOSED:
        # pinned above: the open enquiries of flagged families (closed ones stay here)
        not_flagged = sa.or_(col("family_id").is_(None),
                             col("family_id").not_in(_flagged_ids(flagged)))
        if segment.status == _BOTH:
            not_flagged = sa.or_(col("status") != EnquiryStatus.OPEN, not_flagged)
        where.append(not_flagged)
    if flt.topic:
        if plan.topic_in and plan.driver is None:
            # never driven by the topic's rows: each would be a table read to check it
            where.append(_unindexed(_E.c.id).in_(
                sa.select(_T.c.enquiry_id).where(_T.c.topic == flt.topic)))
        else:
            where.append(sa.exists().where(_T.c.enquiry_id == _E.c.id,
                                           _T.c.topic == flt.topic))
    if flt.started_from:
        where.append(col("started_at") >= _bind(_local_midnight_utc(flt.started_from),
                                                _E.c.started_at))
    if flt.started_to:
        end = _local_midnight_utc(flt.started_to + timedelta(days=1))
        where.append(col("started_at") < _bind(end, _E.c.started_at))
    order = _order_columns(segment, col, ref_walk)
    if key is not None:
        bound = sa.tuple_(*(_bind(v, c) for v, c in zip(key, order, strict=True)))
        where.append(sa.tuple_(*order) < bound if segment.descending
                     else sa.tuple_(*order) > bound)
    if segment.family == _SOME:
        source = (_CrossJoin(_F, _E, _E.c.family_id == _F.c.id) if ref_walk
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


def _flagged_families(conn: Connection) -> list[int]:
    return sorted(conn.execute(
        sa.select(_O.c.family_id).where(_O.c.reviewed_at.is_(None)).distinct()
    ).scalars())


def _capped_count(conn: Connection, select: sa.Select[Any], cap: int) -> int:
    return int(conn.execute(
        sa.select(sa.func.count()).select_from(select.limit(cap + 1).subquery())
    ).scalar_one())


def _statuses_clause(flt: QueueFilter) -> list[ColumnElement[bool]]:
    return [] if flt.status == ALL_STATUSES else [_E.c.status == flt.status]


def _choose_plan(conn: Connection, flt: QueueFilter) -> _Plan:
    """Drive from the narrowest filter when it matches at most DRIVE_CAP rows."""
    topic_in = False
    if flt.topic:
        rows = sa.select(sa.literal(1)).select_from(_T).where(_T.c.topic == flt.topic)
        topic_in = _capped_count(conn, rows, 8 * DRIVE_CAP) <= 8 * DRIVE_CAP
    if conn.dialect.name != "sqlite":
        return _Plan(None, topic_in)
    status = _statuses_clause(flt)
    candidates: list[tuple[int, frozenset[str]]] = []

    def count(*where: ColumnElement[bool]) -> int:
        return _capped_count(conn, sa.select(sa.literal(1)).select_from(_E)
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
            bounds.append(_E.c.started_at >= _bind(_local_midnight_utc(flt.started_from),
                                                   _E.c.started_at))
        if flt.started_to:
            bounds.append(_E.c.started_at < _bind(
                _local_midnight_utc(flt.started_to + timedelta(days=1)), _E.c.started_at))
        candidates.append((count(*bounds), frozenset({"status", "started_at"})))
    if candidates:
        n, driver = min(candidates, key=lambda c: c[0])
        if n <= DRIVE_CAP:
            return _Plan(driver, topic_in)
    return _Plan(None, topic_in)


# --- reading --------------------------------------------------------------------------


def staff_names(store: Store) -> dict[int, str]:
    """Every member of staff's display name, cleaned for the terminal."""
    with store.read() as session:
        conn = session.connection()
        return {i: clean_text(n) for i, n in conn.execute(
            sa.select(_S.c.id, _S.c.display_name))}


def _priority_of(row: Any, flagged: set[int], today: date) -> Priority:
    if row.status != EnquiryStatus.OPEN:
        return Priority.SAFEGUARDING if row.family_id in flagged else Priority.CLOSED
    if row.family_id in flagged:
        return Priority.SAFEGUARDING
    due = row.follow_up_due
    if due is not None and due < today:
        return Priority.OVERDUE
    if due is not None and due == today:
        return Priority.TODAY
    if row.assigned_to is None:
        return Priority.UNASSIGNED
    return Priority.OPEN


def _owner_names(conn: Connection, family_ids: Iterable[int]) -> dict[int, str]:
    """PRIV2: the parent's name (or the first child's) for the families the viewer owns."""
    ids = sorted(set(family_ids))
    if not ids:
        return {}
    names: dict[int, str] = {}
    for family_id, name in conn.execute(
        sa.select(_C.c.family_id, _C.c.name).where(_C.c.family_id.in_(ids), _C.c.name.is_not(None))
        .order_by(_C.c.id.desc())
    ):
        names[family_id] = name
    for family_id, name in conn.execute(
        sa.select(_P.c.family_id, _P.c.name)
        .where(_P.c.family_id.in_(ids), _P.c.party == Party.PARENT, _P.c.name.is_not(None))
        .order_by(_P.c.id.desc())
    ):
        names[family_id] = name
    return {k: clean_text(v) for k, v in names.items()}


class QueueReader:
    """The pages of one query for one viewer. Plans once (which segments, which
    indexes), then reads any page by keyset; safe to call from one thread at a time
    (a Textual worker), and cheap to call again to refresh what is shown.

    Supervisors may read every enquiry; anyone else reads only their own work (the
    adviser filter is set to them)."""

    def __init__(self, store: Store, actor: Actor, profile: Profile, query: QueueQuery,
                 *, today: date | None = None) -> None:
        problems = query.filter.problems()
        if problems:
            raise InvalidInput(problems[0])
        if query.filter.channel and query.filter.channel not in profile.channels:
            raise InvalidInput(f"{query.filter.channel!r} is not one of this service's channels.")
        if query.filter.topic and query.filter.topic not in profile.topics:
            raise InvalidInput(f"{query.filter.topic!r} is not one of this service's topics.")
        if not policy.may_view_queue(actor):
            query = replace(query, filter=replace(query.filter, adviser_id=actor.id))
        self.store, self.actor, self.profile, self.query = store, actor, profile, query
        self._today = today
        self._lock = threading.Lock()
        self._plan: _Plan | None = None
        self._names: dict[int, str] = {}
        self._segments: list[_Segment | None] = []

    @property
    def today(self) -> date:
        return self._today or local_today()

    def _prepare(self, conn: Connection) -> _Plan:
        if self._plan is None:
            self._names = {i: clean_text(n) for i, n in conn.execute(
                sa.select(_S.c.id, _S.c.display_name))}
            staff = sorted(self._names.items(), key=lambda s: (s[1].casefold(), s[0]))
            channels = sorted(self.profile.channels.codes(),
                              key=lambda c: (self.profile.channels.label(c).casefold(), c))
            query = self.query
            segments = (_priority_segments() if query.sort is SortKey.PRIORITY else
                        _column_segments(query.sort, query.descending, staff, channels))
            self._segments = [_narrow(s, query.filter) for s in segments]
            self._plan = _choose_plan(conn, query.filter)
        return self._plan

    def page(self, after: Cursor | None = None, limit: int = PAGE_SIZE) -> Page:
        """Up to ``limit`` rows strictly after ``after`` (None: from the top)."""
        with self._lock, self.store.read() as session:
            conn = session.connection()
            plan = self._prepare(conn)
            today = self.today
            flagged = _flagged_families(conn)
            position = after or Cursor(0, None)
            rows: list[tuple[int, Any]] = []  # (segment, row); one more than asked for
            index, key = position.segment, position.key
            while index < len(self._segments) and len(rows) <= limit:
                segment = self._segments[index]
                select = (None if segment is None else _segment_select(
                    segment, self.query.filter, plan, today, flagged, key,
                    limit + 1 - len(rows)))
                if select is not None:
                    rows.extend((index, r) for r in conn.execute(select))
                index, key = index + 1, None
            end = None
            if len(rows) > limit:  # something follows the last row shown
                last_segment, last = rows[limit - 1]
                segment = self._segments[last_segment]
                assert segment is not None
                end = Cursor(last_segment, self._key(segment, last))
            page_rows = self._rows(conn, [r for _i, r in rows[:limit]], set(flagged), today)
            return Page(tuple(page_rows), after, end)

    @staticmethod
    def _key(segment: _Segment, row: Any) -> tuple[Any, ...]:
        return tuple(getattr(row, name) for name in segment.order)

    def _rows(self, conn: Connection, found: Sequence[Any], flagged: set[int], today: date
              ) -> list[QueueRow]:
        ids = [r.id for r in found]
        unknown = {r.assigned_to for r in found} - set(self._names) - {None}
        if unknown:  # staff added since this reader was made
            self._names.update((i, clean_text(n)) for i, n in conn.execute(
                sa.select(_S.c.id, _S.c.display_name).where(_S.c.id.in_(unknown))))
        topics: dict[int, list[str]] = {}
        if ids:
            for enquiry_id, topic in conn.execute(
                sa.select(_T.c.enquiry_id, _T.c.topic).where(_T.c.enquiry_id.in_(ids))
            ):
                topics.setdefault(enquiry_id, []).append(topic)
        owned = [r.family_id for r in found if r.family_id is not None and policy.may_see_names(
            self.actor, family_supporter_id=r.supporter_id, assigned_to=r.assigned_to)]
        names = _owner_names(conn, owned)
        return [QueueRow(
            id=r.id, family_id=r.family_id, coded_ref=r.coded_ref,
            name=names.get(r.family_id) if r.family_id in owned else None,
            non_data_kind=r.non_data_kind, started_at=r.started_at, channel=r.channel,
            assigned_to=r.assigned_to,
            adviser=self._names.get(r.assigned_to) if r.assigned_to is not None else None,
            recorded_by=r.recorded_by, follow_up_due=r.follow_up_due, status=r.status,
            outcome=r.outcome, priority=_priority_of(r, flagged, today),
            topics=tuple(sorted(topics.get(r.id, ()))), has_notes=bool(r.notes_length),
            supporter_id=r.supporter_id,
        ) for r in found]

    def count(self, cap: int | None = None) -> int:
        """How many enquiries the filter matches (for "row 12 of 3,456"); with ``cap``,
        counting stops after ``cap + 1`` (so more than ``cap`` means "at least")."""
        flt = self.query.filter
        with self.store.read() as session:
            conn = session.connection()
            where: list[ColumnElement[bool]] = list(_statuses_clause(flt))
            if flt.adviser_id is not None:
                where.append(_E.c.assigned_to.is_(None) if flt.adviser_id == UNASSIGNED
                             else _E.c.assigned_to == flt.adviser_id)
            if flt.channel:
                where.append(_E.c.channel == flt.channel)
            if flt.topic:
                where.append(sa.exists().where(_T.c.enquiry_id == _E.c.id,
                                               _T.c.topic == flt.topic))
            if flt.started_from:
                where.append(_E.c.started_at >= _bind(_local_midnight_utc(flt.started_from),
                                                      _E.c.started_at))
            if flt.started_to:
                where.append(_E.c.started_at < _bind(
                    _local_midnight_utc(flt.started_to + timedelta(days=1)), _E.c.started_at))
            if flt.callback:
                due = _due_clause(_E.c.follow_up_due, _CALLBACK_DUE[flt.callback], self.today)
                if due is not None:
                    where.append(due)
            rows = sa.select(sa.literal(1)).select_from(_E).where(*where)
            if cap is not None:
                return _capped_count(conn, rows, cap)
            return int(conn.execute(
                sa.select(sa.func.count()).select_from(rows.subquery())).scalar_one())


@dataclass(frozen=True)
class WorkSummary:
    open: int
    overdue: int
    due_today: int


def work_summary(store: Store, actor: Actor, *, today: date | None = None) -> WorkSummary:
    """An adviser's own open enquiries and callbacks due ("My work")."""
    day = today or local_today()
    with store.read() as session:
        conn = session.connection()
        mine = [_E.c.status == EnquiryStatus.OPEN, _E.c.assigned_to == actor.id]

        def count(*where: ColumnElement[bool]) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(_E)
                                    .where(*mine, *where)).scalar_one())

        due = _bind(day, _E.c.follow_up_due)
        return WorkSummary(count(), count(_E.c.follow_up_due < due),
                           count(_E.c.follow_up_due == due))


# --- one enquiry ----------------------------------------------------------------------


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


def _enquiry(session: Any, enquiry_id: int) -> models.Enquiry:
    enquiry = session.get(models.Enquiry, enquiry_id)
    if enquiry is None:
        raise NotFound("That enquiry no longer exists.")
    return enquiry  # type: ignore[no-any-return]


def assign(store: Store, actor: Actor, enquiry_id: int, adviser_id: int | None, *,
           make_supporter: bool | None = None) -> None:
    """Assign (or, with None, unassign) an open enquiry; audited. For a family's
    enquiry ``make_supporter`` also makes the adviser the family's supporter, who alone
    reads the notes (PRIV1); None does so only when the family has no supporter."""
    require(policy.may_assign(actor), store, actor, what="assign", about=Entity.ENQUIRY,
            about_id=enquiry_id)
    with store.write() as session:
        enquiry = _enquiry(session, enquiry_id)
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
        assigned_to = _enquiry(session, enquiry_id).assigned_to
    require(policy.may_change_enquiry(actor, assigned_to), store, actor, what="set callback",
            about=Entity.ENQUIRY, about_id=enquiry_id)
    if due is not None and due < (today or local_today()):
        raise InvalidInput("The callback date is in the past.")
    with store.write() as session:
        enquiry = _enquiry(session, enquiry_id)
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
        assigned_to = _enquiry(session, enquiry_id).assigned_to
    require(policy.may_change_enquiry(actor, assigned_to), store, actor, what="close",
            about=Entity.ENQUIRY, about_id=enquiry_id)
    if outcome not in dict(closing_outcomes(profile)):
        raise InvalidInput("Choose how the enquiry ended: one of this service's outcomes "
                           "that closes it.")
    with store.write() as session:
        enquiry = _enquiry(session, enquiry_id)
        if enquiry.status != EnquiryStatus.OPEN:
            raise InvalidInput("That enquiry is already closed.")
        enquiry.status, enquiry.outcome = EnquiryStatus.CLOSED, outcome
        session.add(enquiry)
        audit.record(session, Action.ENQUIRY_CLOSED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry_id, reason=outcome)


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
        enquiry = _enquiry(session, enquiry_id)
        assigned_to, recorded_by = enquiry.assigned_to, enquiry.recorded_by
        identified = enquiry.family_id is not None
    require(policy.may_view_enquiry(actor, assigned_to=assigned_to, recorded_by=recorded_by),
            store, actor, what="open enquiry", about=Entity.ENQUIRY, about_id=enquiry_id)
    if identified:
        require(policy.may_open_family_records(actor), store, actor, what="open enquiry",
                about=Entity.ENQUIRY, about_id=enquiry_id)
    with store.write() as session:
        enquiry = _enquiry(session, enquiry_id)
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


# --- live updates ---------------------------------------------------------------------


class ChangeWatcher:
    """Has anything been committed since the last call? Cheap enough to ask every
    second: on SQLite ``PRAGMA data_version`` on one connection kept for this alone
    (the value is per connection, so it must be the same one each time); elsewhere
    the newest audit row's id (every change calllog makes is audited)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._raw: Any = None
        self._last: Any = None
        self._last = self._read()

    def _read(self) -> Any:
        if self._store.is_sqlite:
            if self._raw is None:
                self._raw = self._store.engine.raw_connection()
            cursor = self._raw.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return cursor.fetchone()[0]
            finally:
                cursor.close()
        with self._store.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(
                SQLModel.metadata.tables["audit_event"].c.id))).scalar()

    def changed(self) -> bool:
        with self._lock:
            value = self._read()
            if value != self._last:
                self._last = value
                return True
            return False

    def close(self) -> None:
        with self._lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None

