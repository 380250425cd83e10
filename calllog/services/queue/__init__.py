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

One job per module: :mod:`.query` (what is asked, what comes back), :mod:`.plan`
(segments and which index reads each), :mod:`.tables` and :mod:`.sql` (the
statements), :mod:`.reader` (pages, My work), :mod:`.commands` (assign, callback,
close), :mod:`.detail` (one enquiry), :mod:`.watch` (live updates). Everything
screens and tests use is imported here.
"""

from __future__ import annotations

from calllog.services.queue.commands import (
    StaffChoice,
    assign,
    assignable_staff,
    close,
    closing_outcomes,
    set_callback,
)
from calllog.services.queue.detail import EnquiryDetail, open_enquiry
from calllog.services.queue.plan import DRIVE_CAP
from calllog.services.queue.query import (
    ALL_STATUSES,
    PAGE_SIZE,
    STATUSES,
    UNASSIGNED,
    Callback,
    Cursor,
    Page,
    Priority,
    QueueFilter,
    QueueQuery,
    QueueRow,
    SortKey,
)
from calllog.services.queue.reader import QueueReader, WorkSummary, staff_names, work_summary
from calllog.services.queue.sql import FLAGGED_INLINE
from calllog.services.queue.watch import ChangeWatcher

__all__ = [
    "ALL_STATUSES",
    "DRIVE_CAP",
    "FLAGGED_INLINE",
    "PAGE_SIZE",
    "STATUSES",
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
    "closing_outcomes",
    "open_enquiry",
    "set_callback",
    "staff_names",
    "work_summary",
]
