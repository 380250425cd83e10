"""SQLModel tables. The schema itself is created by the Alembic migrations in
``calllog/migrations``; these classes describe it for the ORM."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Dialect, Integer, String, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from calllog.clock import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes stored as ISO-8601 text on every backend,
    so ordering and hashing never depend on the driver."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _utc_column(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


class Setting(SQLModel, table=True):
    """Service-wide settings chosen at set-up (the service profile, demo flag)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=1024)


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)  # stored lower-case
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    password_hash: str = Field(max_length=255)
    failed_attempts: int = Field(default=0)
    locked: bool = Field(default=False)
    active: bool = Field(default=True)
    dbs_checked_on: date | None = Field(default=None)
    dbs_reference: str | None = Field(default=None, max_length=64)
    created_at: datetime = _utc_column()
    password_changed_at: datetime = _utc_column()


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of who did what to which record.

    Holds ids, action, time and reason; never names, passwords or field values.
    """

    __tablename__ = "audit_event"

    id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    at: datetime = _utc_column(index=True)
    actor_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=64)
    entity: str | None = Field(default=None, max_length=32)
    entity_id: int | None = Field(default=None)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class Draft(SQLModel, table=True):
    """The form a staff member was typing, saved as it changes; theirs alone."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("staff_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    kind: str = Field(max_length=32)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = _utc_column()
