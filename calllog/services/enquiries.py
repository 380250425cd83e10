"""Logging enquiries (REC1–REC7): anonymous by default, identified step by step,
non-data contacts, returning callers; every write with its audit row.

The screens pass typed values (dates, codes, cleaned strings); this service checks
them again against the service profile, because it is the last door before the
store: codes must be in the profile's lists, texts are cleaned of control
characters, and without the parent's consent no contact details are kept (REC3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from calllog import audit
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import InvalidInput, Problems
from calllog.limits import ADDRESS, NAME, NOTE, check_length
from calllog.models import (
    DiversityAnswer,
    Enquiry,
    EnquiryTopic,
)
from calllog.profiles import CodeList, Profile
from calllog.roles import Actor
from calllog.services.guard import require_family_access
from calllog.services.records import save_family
from calllog.text import clean_optional
from calllog.validation import (
    ValidationError,
    check_child_dob,
    parse_email,
    parse_phone,
    parse_postcode,
)
from calllog.vocabulary import OPEN_OUTCOMES, EnquiryStatus

NOTES_MAX = NOTE  # the note's limit (calllog/limits.py); longer is refused, never cut


@dataclass(frozen=True)
class ParentDetails:
    """The parent or carer. Everything but the name and relationship is a contact
    detail, kept only with consent (REC3)."""

    name: str | None = None
    relationship: str | None = None
    address: str | None = None
    postcode: str | None = None
    phone: str | None = None
    email: str | None = None
    contact_method: str | None = None

    def has_contact_details(self) -> bool:
        return any((self.address, self.postcode, self.phone, self.email, self.contact_method))


@dataclass(frozen=True)
class ChildDetails:
    name: str | None = None
    dob: date | None = None
    gender: str | None = None
    school_name: str | None = None
    school_type: str | None = None
    year_group: str | None = None
    sen_needs: tuple[str, ...] = ()
    sen_provision: str | None = None
    issues: tuple[str, ...] = ()
    id: int | None = None  # an existing child of a returning family

    def is_empty(self) -> bool:
        return not any((self.name, self.dob, self.gender, self.school_name, self.school_type,
                        self.year_group, self.sen_needs, self.sen_provision, self.issues))


@dataclass(frozen=True)
class NewEnquiry:
    started_at: datetime
    channel: str = "PHONE"
    topics: tuple[str, ...] = ()
    notes: str | None = None
    outcome: str | None = None
    follow_up_due: date | None = None
    policy_explained: bool = False
    leaflet_sent: bool = False
    family_id: int | None = None  # a returning caller's family
    contact_consent: bool = False
    parent: ParentDetails | None = None
    children: tuple[ChildDetails, ...] = ()
    diversity: Mapping[str, str] = field(default_factory=dict)

    @property
    def identified(self) -> bool:
        """A family record is made or used: a returning caller, parent details (only
        with consent) or a child. Diversity answers alone do not identify anyone."""
        has_parent = self.parent is not None and bool(
            self.parent.name or self.parent.relationship or self.parent.has_contact_details()
        )
        return (self.family_id is not None or has_parent
                or any(not c.is_empty() for c in self.children))


@dataclass(frozen=True)
class Saved:
    enquiry_id: int
    family_id: int | None
    coded_ref: str | None


# --- checking ---------------------------------------------------------------------------


class _Checker:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.problems: dict[str, str] = {}

    def code(self, path: str, value: str | None, codes: CodeList, what: str) -> str | None:
        if value is None or value == "":
            return None
        if value not in codes:
            self.problems[path] = f"{value!r} is not one of this service's {what}."
            return None
        return value

    def codes(self, path: str, values: Iterable[str], codes: CodeList, what: str
              ) -> tuple[str, ...]:
        out: list[str] = []
        for value in values:
            checked = self.code(path, value, codes, what)
            if checked and checked not in out:
                out.append(checked)
        return tuple(out)

    def text(self, path: str, what: str, value: str | None, limit: int, *,
             multiline: bool = False) -> str | None:
        """The cleaned text; longer than ``limit`` is a problem, never cut."""
        return check_length(self.problems, path, what,
                            clean_optional(value, multiline=multiline), limit)

    def parsed(self, path: str, value: str | None, parse: object) -> str | None:
        if not value:
            return None
        try:
            return parse(value)  # type: ignore[operator,no-any-return]
        except ValidationError as error:
            self.problems[path] = error.message
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise Problems(self.problems)


def _check_parent(c: _Checker, parent: ParentDetails | None, consent: bool
                  ) -> ParentDetails | None:
    """REC3: without consent the parent's details are neither offered nor stored."""
    if parent is None or not consent:
        return None
    p = c.profile
    return ParentDetails(
        name=c.text("parent.name", "The name", parent.name, NAME),
        relationship=c.code("parent.relationship", parent.relationship, p.relationships,
                            "relationships"),
        address=c.text("parent.address", "The address", parent.address, ADDRESS,
                       multiline=True),
        postcode=c.parsed("parent.postcode", parent.postcode, parse_postcode),
        phone=c.parsed("parent.phone", parent.phone, parse_phone),
        email=c.parsed("parent.email", parent.email, parse_email),
        contact_method=c.code("parent.contact_method", parent.contact_method, p.contact_methods,
                              "contact methods"),
    )


def _check_child(c: _Checker, n: int, child: ChildDetails) -> ChildDetails:
    p = c.profile
    path = f"children[{n}]"
    if child.dob is not None:
        try:
            check_child_dob(child.dob, today(), max_age=p.child_max_age)
        except ValidationError as error:
            c.problems[f"{path}.dob"] = error.message
    return ChildDetails(
        id=child.id,
        name=c.text(f"{path}.name", "The child's name", child.name, NAME),
        dob=child.dob,
        gender=c.code(f"{path}.gender", child.gender, p.genders, "gender answers"),
        school_name=c.text(f"{path}.school_name", "The school's name", child.school_name,
                           NAME),
        school_type=c.code(f"{path}.school_type", child.school_type, p.school_types,
                           "school types"),
        year_group=c.code(f"{path}.year_group", child.year_group, p.year_groups, "year groups"),
        sen_needs=c.codes(f"{path}.sen_needs", child.sen_needs, p.sen_needs, "types of need"),
        sen_provision=c.code(f"{path}.sen_provision", child.sen_provision, p.sen_provision,
                             "SEN provision answers"),
        issues=c.codes(f"{path}.issues", child.issues, p.topics, "topics"),
    )


def _check_diversity(c: _Checker, answers: Mapping[str, str]) -> dict[str, str]:
    questions = {q.key: q for q in c.profile.diversity}
    out: dict[str, str] = {}
    for key, answer in answers.items():
        question = questions.get(key)
        if question is None:
            c.problems[f"diversity.{key}"] = "This service does not ask that question."
            continue
        checked = c.code(f"diversity.{key}", answer, question.answers, "answers")
        if checked:
            out[key] = checked
    return out


def check(profile: Profile, data: NewEnquiry) -> NewEnquiry:
    """The enquiry with every value checked and cleaned, or :class:`Problems`."""
    c = _Checker(profile)
    channel = c.code("channel", data.channel, profile.channels, "channels") or ""
    if not data.channel:
        c.problems["channel"] = "Choose how the parent contacted the service."
    checked = NewEnquiry(
        started_at=data.started_at,
        channel=channel,
        topics=c.codes("topics", data.topics, profile.topics, "topics"),
        notes=c.text("notes", "The note", data.notes, NOTES_MAX, multiline=True),
        outcome=c.code("outcome", data.outcome, profile.outcomes, "outcomes"),
        follow_up_due=data.follow_up_due,
        policy_explained=data.policy_explained,
        leaflet_sent=data.leaflet_sent,
        family_id=data.family_id,
        contact_consent=data.contact_consent,
        parent=_check_parent(c, data.parent, data.contact_consent),
        children=tuple(_check_child(c, n, ch) for n, ch in enumerate(data.children)
                       if not ch.is_empty()),
        diversity=_check_diversity(c, data.diversity),
    )
    if data.follow_up_due is not None and data.follow_up_due < today():
        c.problems["follow_up_due"] = "The callback date is in the past."
    c.raise_if_any()
    return checked


# --- writing ----------------------------------------------------------------------------


def log_enquiry(store: Store, actor: Actor, profile: Profile, data: NewEnquiry) -> Saved:
    """Save one contact: anonymous, or with its family created or updated (ACC3 applies
    to the family part)."""
    checked = check(profile, data)
    if checked.identified:
        require_family_access(store, actor, "log identified enquiry")
    with store.write() as session:
        family = save_family(session, actor, checked) if checked.identified else None
        is_open = checked.outcome in OPEN_OUTCOMES or checked.follow_up_due is not None
        enquiry = Enquiry(
            family_id=family.id if family else None,
            recorded_by=actor.id,
            assigned_to=actor.id if is_open else None,
            started_at=checked.started_at,
            ended_at=utcnow(),
            channel=checked.channel,
            anonymous=family is None,
            notes=checked.notes,
            outcome=checked.outcome,
            status=EnquiryStatus.OPEN if is_open else EnquiryStatus.CLOSED,
            follow_up_due=checked.follow_up_due,
            policy_explained=checked.policy_explained,
            leaflet_sent=checked.leaflet_sent,
        )
        session.add(enquiry)
        session.flush()
        assert enquiry.id is not None
        for topic in checked.topics:
            session.add(EnquiryTopic(enquiry_id=enquiry.id, topic=topic))
        if family is None:  # an anonymous caller's answers count, attached to no one
            for question, answer in checked.diversity.items():
                session.add(DiversityAnswer(enquiry_id=enquiry.id, question=question,
                                            answer=answer))
        audit.record(session, Action.ENQUIRY_LOGGED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry.id,
                     reason=f"family {family.id}" if family else "anonymous")
        return Saved(enquiry.id, family.id if family else None,
                     family.coded_ref if family else None)


def log_non_data_contact(
    store: Store, actor: Actor, profile: Profile, kind: str, *, channel: str = "PHONE",
    started_at: datetime | None = None,
) -> int:
    """Silent call, wrong number, hang-up, abusive: counted in statistics, nothing else."""
    if kind not in profile.non_data_kinds:
        raise InvalidInput(f"{kind!r} is not one of this service's non-data contact kinds.")
    if channel not in profile.channels:
        raise InvalidInput(f"{channel!r} is not one of this service's channels.")
    now = utcnow()
    with store.write() as session:
        enquiry = Enquiry(recorded_by=actor.id, started_at=started_at or now, ended_at=now,
                          channel=channel, anonymous=True, non_data_kind=kind,
                          status=EnquiryStatus.CLOSED)
        session.add(enquiry)
        session.flush()
        audit.record(session, Action.ENQUIRY_LOGGED, actor_id=actor.id, entity=Entity.ENQUIRY,
                     entity_id=enquiry.id, reason="non-data contact")
        assert enquiry.id is not None
        return enquiry.id
