"""Reading the queue: :class:`QueueReader` pages one query for one viewer by keyset
(PRIV2: a name only for the record's owner; PRIV1: never the notes), and "My work"
counts an adviser's own open enquiries."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from calllog import policy
from calllog.clock import today as local_today
from calllog.db import Store
from calllog.errors import InvalidInput
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.queue.plan import (
    CALLBACK_DUE,
    Plan,
    Segment,
    choose_plan,
    column_segments,
    narrow,
    priority_segments,
)
from calllog.services.queue.query import (
    PAGE_SIZE,
    UNASSIGNED,
    Cursor,
    Page,
    Priority,
    QueueQuery,
    QueueRow,
    SortKey,
)
from calllog.services.queue.sql import due_clause, flagged_families, segment_select
from calllog.services.queue.tables import CHILD as _C
from calllog.services.queue.tables import ENQUIRY as _E
from calllog.services.queue.tables import PERSON as _P
from calllog.services.queue.tables import STAFF as _S
from calllog.services.queue.tables import TOPIC as _T
from calllog.services.queue.tables import (
    bind,
    capped_count,
    local_midnight_utc,
    statuses_clause,
)
from calllog.text import clean_text
from calllog.vocabulary import EnquiryStatus, Party


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
        self._plan: Plan | None = None
        self._names: dict[int, str] = {}
        self._segments: list[Segment | None] = []

    @property
    def today(self) -> date:
        return self._today or local_today()

    def _prepare(self, conn: Connection) -> Plan:
        if self._plan is None:
            self._names = {i: clean_text(n) for i, n in conn.execute(
                sa.select(_S.c.id, _S.c.display_name))}
            staff = sorted(self._names.items(), key=lambda s: (s[1].casefold(), s[0]))
            channels = sorted(self.profile.channels.codes(),
                              key=lambda c: (self.profile.channels.label(c).casefold(), c))
            query = self.query
            segments = (priority_segments() if query.sort is SortKey.PRIORITY else
                        column_segments(query.sort, query.descending, staff, channels))
            self._segments = [narrow(s, query.filter) for s in segments]
            self._plan = choose_plan(conn, query.filter)
        return self._plan

    def page(self, after: Cursor | None = None, limit: int = PAGE_SIZE) -> Page:
        """Up to ``limit`` rows strictly after ``after`` (None: from the top)."""
        with self._lock, self.store.read() as session:
            conn = session.connection()
            plan = self._prepare(conn)
            today = self.today
            flagged = flagged_families(conn)
            position = after or Cursor(0, None)
            rows: list[tuple[int, Any]] = []  # (segment, row); one more than asked for
            index, key = position.segment, position.key
            while index < len(self._segments) and len(rows) <= limit:
                segment = self._segments[index]
                select = (None if segment is None else segment_select(
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
    def _key(segment: Segment, row: Any) -> tuple[Any, ...]:
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
            where: list[ColumnElement[bool]] = list(statuses_clause(flt))
            if flt.adviser_id is not None:
                where.append(_E.c.assigned_to.is_(None) if flt.adviser_id == UNASSIGNED
                             else _E.c.assigned_to == flt.adviser_id)
            if flt.channel:
                where.append(_E.c.channel == flt.channel)
            if flt.topic:
                where.append(sa.exists().where(_T.c.enquiry_id == _E.c.id,
                                               _T.c.topic == flt.topic))
            if flt.started_from:
                where.append(_E.c.started_at >= bind(local_midnight_utc(flt.started_from),
                                                      _E.c.started_at))
            if flt.started_to:
                where.append(_E.c.started_at < bind(
                    local_midnight_utc(flt.started_to + timedelta(days=1)), _E.c.started_at))
            if flt.callback:
                due = due_clause(_E.c.follow_up_due, CALLBACK_DUE[flt.callback], self.today)
                if due is not None:
                    where.append(due)
            rows = sa.select(sa.literal(1)).select_from(_E).where(*where)
            if cap is not None:
                return capped_count(conn, rows, cap)
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

        due = bind(day, _E.c.follow_up_due)
        return WorkSummary(count(), count(_E.c.follow_up_due < due),
                           count(_E.c.follow_up_due == due))
