"""Information from other agencies (REC9): recorded only with the confirmation that the
parent asked the service to obtain it, and the record says so (Northamptonshire: "No
member of staff will access information about a child or family from other agencies
unless the parent has specifically asked them to")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import Problems
from calllog.limits import NAME, REASON, check_length
from calllog.models import AgencyInformation, Staff
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services.guard import read_family, require, require_open_family
from calllog.text import clean_text

__all__ = ["AgencyInformationView", "family_agency_information", "record_agency_information"]

AGENCY_MAX = NAME  # calllog/limits.py: longer is refused, never cut
SUMMARY_MAX = REASON


@dataclass(frozen=True)
class AgencyInformationView:
    id: int
    agency: str
    summary: str
    parent_asked: bool
    obtained_on: date
    recorded_by: str
    recorded_at: datetime


def record_agency_information(
    store: Store, actor: Actor, profile: Profile, family_id: int, *, agency: str,
    summary: str, parent_asked: bool, obtained_on: date | None,
) -> AgencyInformationView:
    """REC9: information obtained from another agency, only when the parent asked for it
    (audited)."""
    require_open_family(store, actor, family_id, "agency information")
    require(policy.may_record_agency_information(actor, profile, parent_asked), store, actor,
            what="agency information: parent did not ask", about=Entity.FAMILY,
            about_id=family_id)
    problems: dict[str, str] = {}
    name = clean_text(agency or "")
    check_length(problems, "agency", "The agency's name", name, AGENCY_MAX)
    if "agency" not in problems and not policy.recipient_key(name):
        problems["agency"] = "Name the agency the information came from."
    text = clean_text(summary or "", multiline=True)
    check_length(problems, "summary", "What it was", text, SUMMARY_MAX)
    if not text:
        problems["summary"] = "Say briefly what information was obtained."
    if obtained_on is None:
        problems["obtained_on"] = "Give the date it was obtained, DD/MM/YYYY."
    elif obtained_on > today():
        problems["obtained_on"] = "The date is in the future."
    if problems:
        raise Problems(problems)
    assert obtained_on is not None
    with store.write() as session:
        row = AgencyInformation(family_id=family_id, agency=name, summary=text,
                                parent_asked=parent_asked, obtained_on=obtained_on,
                                recorded_by=actor.id, recorded_at=utcnow())
        session.add(row)
        session.flush()
        assert row.id is not None
        audit.record(session, Action.AGENCY_INFORMATION_RECORDED, actor_id=actor.id,
                     entity=Entity.AGENCY_INFORMATION, entity_id=row.id,
                     reason=f"family {family_id}")
        return AgencyInformationView(row.id, name, text, parent_asked, obtained_on,
                                     clean_text(actor.display_name), row.recorded_at)


def family_agency_information(store: Store, actor: Actor, family_id: int
                              ) -> list[AgencyInformationView]:
    read_family(store, actor, family_id, "agency information")
    with store.read() as session:
        names = {i: clean_text(n) for i, n in session.exec(select(Staff.id, Staff.display_name))
                 if i is not None}
        rows = session.exec(select(AgencyInformation)
                            .where(AgencyInformation.family_id == family_id)
                            .order_by(col(AgencyInformation.obtained_on).desc())).all()
        return [AgencyInformationView(r.id, r.agency, r.summary, r.parent_asked, r.obtained_on,
                                      names.get(r.recorded_by, "?"), r.recorded_at)
                for r in rows if r.id is not None]
