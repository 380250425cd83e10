"""What a queue query asks for and what it returns: filters, sort keys, the rows of a
page and the cursor that ends it (OPS2). Plain data; no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from calllog.vocabulary import EnquiryStatus

__all__ = ["ALL_STATUSES", "PAGE_SIZE", "STATUSES", "UNASSIGNED", "Callback", "Cursor", "Page",
           "Priority", "QueueFilter", "QueueQuery", "QueueRow", "SortKey"]

PAGE_SIZE = 100
UNASSIGNED = 0
"""``QueueFilter.adviser_id`` for "nobody": enquiries assigned to no one."""


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
