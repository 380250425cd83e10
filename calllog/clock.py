"""Time in one place, so services store timezone-aware UTC and tests can pin it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The service's calendar date (the machine's local date: helplines are UK-based)."""
    return date.today()


def iso(dt: datetime) -> str:
    """Canonical UTC ISO-8601 text with a Z suffix and microseconds."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
