"""The attendance register of a contact centre (CC1): the dates and times a family
attended. On request it is released to the family's referring agency, and nothing else
is: the release goes through the policy engine and is recorded as a disclosure like
any other (calllog.services.disclosures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import Problems
from calllog.models import Attendance, Family
from calllog.policy import refuse
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services import disclosures
from calllog.services.guard import read_family, require, require_open_family
from calllog.text import clean_text
from calllog.validation import ValidationError

__all__ = ["AttendanceView", "Release", "parse_time", "record_attendance", "register",
           "release_to_referrer"]

_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?$")
OLDEST_YEARS = 10


@dataclass(frozen=True)
class AttendanceView:
    id: int
    attended_on: date
    arrived: str
    left: str


@dataclass(frozen=True)
class Release:
    """CC1: what goes to the referring agency: dates and times, nothing else."""

    disclosure_id: int
    recipient: str
    text: str


def parse_time(text: str) -> str:
    """"9:30", "09.30", "0930" or "14" -> "09:30" / "14:00" (24-hour clock)."""
    match = _TIME.match(clean_text(text).replace(" ", ""))
    if match is None:
        raise ValidationError("Type a time on the 24-hour clock, like 09:30 or 14:00.")
    hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 23 or minutes > 59:
        raise ValidationError("That time does not exist: type it like 09:30 or 14:00.")
    return f"{hours:02d}:{minutes:02d}"


def _require_register(store: Store, actor: Actor, profile: Profile, family_id: int,
                      what: str) -> None:
    """CC1: only a service that keeps an attendance register (audited refusal)."""
    require(policy.may_keep_attendance(profile), store, actor, what=what,
            about=Entity.FAMILY, about_id=family_id)


def record_attendance(store: Store, actor: Actor, profile: Profile, family_id: int, *,
                      attended_on: date | None, arrived: str, left: str) -> AttendanceView:
    """CC1: one visit to the centre (audited)."""
    _require_register(store, actor, profile, family_id, "record attendance")
    require_open_family(store, actor, family_id, "record attendance")
    problems: dict[str, str] = {}
    if attended_on is None:
        problems["attended_on"] = "Give the date of the visit, DD/MM/YYYY."
    elif attended_on > today():
        problems["attended_on"] = "The date is in the future."
    elif attended_on.year < today().year - OLDEST_YEARS:
        problems["attended_on"] = f"The date is more than {OLDEST_YEARS} years ago."
    times: dict[str, str] = {}
    for name, value in (("arrived", arrived), ("left", left)):
        try:
            times[name] = parse_time(value)
        except ValidationError as error:
            problems[name] = error.message
    if len(times) == 2 and times["left"] <= times["arrived"]:
        problems["left"] = "The family left before they arrived: check the times."
    if problems:
        raise Problems(problems)
    assert attended_on is not None
    with store.write() as session:
        row = Attendance(family_id=family_id, attended_on=attended_on,
                         arrived=times["arrived"], left=times["left"], recorded_by=actor.id,
                         recorded_at=utcnow())
        session.add(row)
        session.flush()
        assert row.id is not None
        audit.record(session, Action.ATTENDANCE_RECORDED, actor_id=actor.id,
                     entity=Entity.ATTENDANCE, entity_id=row.id, reason=f"family {family_id}")
        return AttendanceView(row.id, row.attended_on, row.arrived, row.left)


def register(store: Store, actor: Actor, profile: Profile, family_id: int
             ) -> list[AttendanceView]:
    """The family's visits, oldest first."""
    _require_register(store, actor, profile, family_id, "attendance register")
    read_family(store, actor, family_id, "attendance register")
    with store.read() as session:
        rows = session.exec(select(Attendance).where(Attendance.family_id == family_id)
                            .order_by(col(Attendance.attended_on), col(Attendance.arrived)))
        return [AttendanceView(r.id, r.attended_on, r.arrived, r.left)
                for r in rows if r.id is not None]


def attendance_text(service: str, coded_ref: str, recipient: str,
                    visits: list[AttendanceView]) -> str:
    """The release: marked confidential, the coded reference, the dates and times."""
    lines = ["STRICTLY PRIVATE AND CONFIDENTIAL", "",
             f"Attendance at {clean_text(service)}",
             f"For: {clean_text(recipient)} (the referring agency)",
             f"Family reference: {coded_ref}", ""]
    if not visits:
        lines.append("No attendance recorded.")
    lines.extend(f"{v.attended_on:%d/%m/%Y}  {v.arrived} to {v.left}" for v in visits)
    return "\n".join(lines) + "\n"


def release_to_referrer(store: Store, actor: Actor, profile: Profile,
                        family_id: int) -> Release:
    """CC1: on the referring agency's request, the attendance dates and times, recorded
    as a disclosure to that agency. Refused (disclosures.Refused, audited) where the
    service does not release attendance or no referring agency is recorded."""
    _require_register(store, actor, profile, family_id, "release attendance")
    require_open_family(store, actor, family_id, "release attendance")
    with store.write() as session:
        decision, disclosure_id, recipient = disclosures.release_attendance(
            session, actor, profile, family_id)
        if disclosure_id is not None and recipient is not None:
            family = session.get(Family, family_id)
            assert family is not None
            rows = session.exec(select(Attendance).where(Attendance.family_id == family_id)
                                .order_by(col(Attendance.attended_on),
                                          col(Attendance.arrived))).all()
            visits = [AttendanceView(r.id, r.attended_on, r.arrived, r.left)
                      for r in rows if r.id is not None]
            text = attendance_text(profile.name, family.coded_ref, recipient, visits)
            return Release(disclosure_id, recipient, text)
    if recipient is None:
        raise disclosures.Refused(refuse(
            "No referring agency is recorded for this family: attendance is released only "
            "to the referring agency."))
    raise disclosures.Refused(decision)
