"""SQLModel tables. The schema itself is created by the Alembic migrations in
``calllog/migrations``; these classes describe it for the ORM."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Dialect, Integer, String, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from calllog.clock import utcnow
from calllog.vocabulary import EnquiryStatus, Party, ReferralStatus


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


# --- families and enquiries (migration 0002) ------------------------------------------


class Family(SQLModel, table=True):
    """One enquirer household: the parent or carer and their children.

    ``contact_consent`` records REC3: without it no contact details are kept.
    ``supporter_id`` is the parent's supporter (the adviser the family is assigned to).
    """

    __tablename__ = "family"

    id: int | None = Field(default=None, primary_key=True)
    coded_ref: str = Field(max_length=32, index=True)
    contact_consent: bool = Field(default=False)
    supporter_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    created_by: int = Field(foreign_key="staff.id")
    created_at: datetime = _utc_column()
    last_contact_at: datetime = _utc_column(index=True)


class Person(SQLModel, table=True):
    """A parent or carer (or, in a contact centre, the other party)."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    party: str = Field(default=Party.PARENT.value, max_length=16)  # a Party
    name: str | None = Field(default=None, max_length=120)
    relationship: str | None = Field(default=None, max_length=32)
    address: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    postcode: str | None = Field(default=None, max_length=8)
    phone: str | None = Field(default=None, max_length=20)  # E.164
    email: str | None = Field(default=None, max_length=254)
    contact_method: str | None = Field(default=None, max_length=16)


class Child(SQLModel, table=True):
    __tablename__ = "child"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    name: str | None = Field(default=None, max_length=120)
    dob: date | None = Field(default=None)
    gender: str | None = Field(default=None, max_length=16)
    school_name: str | None = Field(default=None, max_length=160)
    school_type: str | None = Field(default=None, max_length=32)
    year_group: str | None = Field(default=None, max_length=8)
    sen_needs: str | None = Field(default=None, max_length=120)  # space-separated codes
    sen_provision: str | None = Field(default=None, max_length=16)
    issues: str | None = Field(default=None, max_length=400)  # space-separated topic codes


class Enquiry(SQLModel, table=True):
    """One contact. Anonymous enquiries have no family; non-data contacts
    (silent, wrong number …) have only their kind, time and channel."""

    __tablename__ = "enquiry"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int | None = Field(default=None, foreign_key="family.id", index=True)
    recorded_by: int = Field(foreign_key="staff.id", index=True)
    assigned_to: int | None = Field(default=None, foreign_key="staff.id", index=True)
    started_at: datetime = _utc_column(index=True)
    ended_at: datetime = _utc_column()
    channel: str = Field(max_length=16)
    anonymous: bool = Field(default=True)
    non_data_kind: str | None = Field(default=None, max_length=24)
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    outcome: str | None = Field(default=None, max_length=24)
    status: str = Field(default=EnquiryStatus.CLOSED.value, max_length=12,
                        index=True)  # an EnquiryStatus
    follow_up_due: date | None = Field(default=None, index=True)
    policy_explained: bool = Field(default=False)
    leaflet_sent: bool = Field(default=False)


class EnquiryTopic(SQLModel, table=True):
    __tablename__ = "enquiry_topic"

    enquiry_id: int = Field(foreign_key="enquiry.id", primary_key=True)
    topic: str = Field(max_length=24, primary_key=True, index=True)


class DiversityAnswer(SQLModel, table=True):
    """REC4: one answer, as a code from the profile's list; reported only in aggregate.
    An identified family's answers belong to the family; an anonymous caller's to
    the enquiry."""

    __tablename__ = "diversity_answer"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int | None = Field(default=None, foreign_key="family.id", index=True)
    enquiry_id: int | None = Field(default=None, foreign_key="enquiry.id", index=True)
    question: str = Field(max_length=32)
    answer: str = Field(max_length=16)
    recorded_at: datetime = _utc_column()


class SearchKey(SQLModel, table=True):
    """REC6: what a returning caller can be found by. ``kind`` is name, phone,
    postcode or dob; ``key`` is normalised (lower-case word, digits, no-space
    postcode, ISO date). One index on (kind, key) serves every search."""

    __tablename__ = "search_key"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    kind: str = Field(max_length=8)
    key: str = Field(max_length=64)


# --- consent and safeguarding (migration 0003) ------------------------------------------


class SafeguardingOverride(SQLModel, table=True):
    """SG1: a safeguarding concern that lets a disclosure go ahead without consent.
    Flags the family; sits at the top of the supervisors' queue until a supervisor
    records a review."""

    __tablename__ = "safeguarding_override"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    enquiry_id: int | None = Field(default=None, foreign_key="enquiry.id")
    category: str = Field(max_length=24)  # CHILD_AT_RISK | PHYSICAL_VIOLENCE | LEGAL_DUTY
    reason: str = Field(sa_column=Column(Text, nullable=False))
    made_by: int = Field(foreign_key="staff.id")
    made_at: datetime = _utc_column()
    reviewed_by: int | None = Field(default=None, foreign_key="staff.id")
    reviewed_at: datetime | None = _utc_column(nullable=True)


class Consent(SQLModel, table=True):
    """CON1: one consent in the family's ledger: what for (``kind``), to whom
    (``recipient``, compared by ``recipient_key``), given by which ``party``, verbal or
    written, when, recorded by whom; withdrawn consents stay, with their withdrawal."""

    __tablename__ = "consent"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    kind: str = Field(max_length=32)
    party: str = Field(default=Party.PARENT.value, max_length=16)  # a Party
    recipient: str | None = Field(default=None, max_length=160)
    recipient_key: str | None = Field(default=None, max_length=160)
    written: bool = Field(default=False)
    given_on: date
    recorded_by: int = Field(foreign_key="staff.id")
    recorded_at: datetime = _utc_column()
    withdrawn_on: date | None = Field(default=None)
    withdrawn_by: int | None = Field(default=None, foreign_key="staff.id")
    withdrawn_at: datetime | None = _utc_column(nullable=True)


class Disclosure(SQLModel, table=True):
    """CON2: something that left the service (a referral out, information shared, a
    contact on the parent's behalf, telling someone they called, an email, attendance
    released), with the consent or the safeguarding override it relied on. Written only
    by calllog.services.disclosures after the policy engine allowed it."""

    __tablename__ = "disclosure"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    kind: str = Field(max_length=24)
    recipient: str = Field(max_length=160)
    recipient_key: str = Field(max_length=160)
    recipient_kind: str = Field(max_length=24)
    purpose: str = Field(max_length=24)
    about_party: str = Field(default=Party.PARENT.value, max_length=16)  # a Party
    channel: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    consent_id: int | None = Field(default=None, foreign_key="consent.id")
    override_id: int | None = Field(default=None, foreign_key="safeguarding_override.id")
    made_by: int = Field(foreign_key="staff.id")
    made_at: datetime = _utc_column()


class Referral(SQLModel, table=True):
    """REC8: a family referred by someone other than a parent or carer. ``held`` until
    the parent's permission is recorded (then ``accepted``); ``refused``: the family's
    details were deleted and only the referrer kind and the dates remain, to be counted."""

    __tablename__ = "referral"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int | None = Field(default=None, foreign_key="family.id")
    referrer_kind: str = Field(max_length=24)
    referrer_name: str | None = Field(default=None, max_length=160)
    referrer_contact: str | None = Field(default=None, max_length=254)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(default=ReferralStatus.HELD.value, max_length=12)  # a ReferralStatus
    permission: str | None = Field(default=None, max_length=12)  # REFERRER | PARENT
    received_by: int = Field(foreign_key="staff.id")
    received_at: datetime = _utc_column()
    decided_by: int | None = Field(default=None, foreign_key="staff.id")
    decided_at: datetime | None = _utc_column(nullable=True)


class AgencyInformation(SQLModel, table=True):
    """REC9: information obtained from another agency, recorded only with the parent's
    request to obtain it."""

    __tablename__ = "agency_information"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    agency: str = Field(max_length=160)
    summary: str = Field(sa_column=Column(Text, nullable=False))
    parent_asked: bool
    obtained_on: date
    recorded_by: int = Field(foreign_key="staff.id")
    recorded_at: datetime = _utc_column()


class Attendance(SQLModel, table=True):
    """CC1: the attendance register of a contact centre: the dates and times a family
    attended, the only thing released to the referring agency on request."""

    __tablename__ = "attendance"

    id: int | None = Field(default=None, primary_key=True)
    family_id: int = Field(foreign_key="family.id", index=True)
    attended_on: date = Field(index=True)
    arrived: str = Field(max_length=5)  # HH:MM, local time
    left: str = Field(max_length=5)
    recorded_by: int = Field(foreign_key="staff.id")
    recorded_at: datetime = _utc_column()
