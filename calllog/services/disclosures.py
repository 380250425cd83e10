"""Disclosures (CON2–CON6, SG1, CC1, CC2): referring a family on, sharing information,
contacting someone on the parent's behalf, telling someone the parent contacted the
service, emailing personal information, releasing attendance to the referring agency.

Nothing leaves the service without the policy engine's say. :func:`preview` shows the
engine's decision before anything is recorded; :func:`disclose` asks it again inside
the write transaction (so a consent withdrawn a moment ago counts) and records the
disclosure with the consent it relied on, or with the safeguarding override made for
it in the same transaction. A refusal is audited and raised as :class:`Refused`, which
carries the decision: the consent that is missing and the override categories that
could be used. :func:`_record` is the only code that creates a ``Disclosure`` row, and
it asks :func:`calllog.policy.decide_disclosure` first (a test checks both).

CON5: an email produced here is marked CONFIDENTIAL and names the family only by its
coded reference (initials and date of birth); a letter is headed STRICTLY PRIVATE AND
CONFIDENTIAL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from calllog import audit, policy
from calllog.audit import Action, Entity
from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.errors import NotAllowed, Problems
from calllog.limits import NAME, REASON, check_length, length_problem
from calllog.models import Disclosure, Family, SafeguardingOverride, Staff
from calllog.policy import Decision, DisclosureKind, DisclosureRequest, Purpose
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services import consents
from calllog.services.guard import read_family, require_open_family
from calllog.services.referrals import referrer_of
from calllog.text import clean_optional, clean_text
from calllog.vocabulary import Party

__all__ = [
    "ELECTRONIC_CHANNELS",
    "Correspondence",
    "DisclosureDraft",
    "DisclosureView",
    "OverrideRequest",
    "Recorded",
    "Refused",
    "disclose",
    "email_text",
    "family_disclosures",
    "letter_text",
    "preview",
]

RECIPIENT_MAX = NAME  # calllog/limits.py: longer is refused, never cut
NOTE_MAX = REASON
REASON_MAX = REASON
#: CON5: channels that are electronic or insecure: the coded reference, "CONFIDENTIAL".
ELECTRONIC_CHANNELS = frozenset({"EMAIL", "TEXT"})


class Refused(NotAllowed):
    """The engine refused: ``decision`` names the missing consent and the override
    categories that could be used."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason)
        self.decision = decision


@dataclass(frozen=True)
class DisclosureDraft:
    """What the adviser asks to disclose (see calllog.policy.DisclosureRequest)."""

    kind: str
    recipient: str
    recipient_kind: str = "OTHER"
    purpose: str = Purpose.SUPPORT
    about_party: str = Party.PARENT
    channel: str | None = None  # a code of the profile's channels list
    note: str | None = None


@dataclass(frozen=True)
class OverrideRequest:
    """SG1: the safeguarding override offered for one disclosure."""

    category: str
    reason: str
    enquiry_id: int | None = None


@dataclass(frozen=True)
class Correspondence:
    """CON5: text for the adviser to copy into an email or a letter."""

    kind: str  # "email" | "letter"
    subject: str | None
    body: str

    def as_text(self) -> str:
        head = f"Subject: {self.subject}\n\n" if self.subject else ""
        return head + self.body


@dataclass(frozen=True)
class Recorded:
    disclosure_id: int
    decision: Decision
    override_id: int | None
    correspondence: Correspondence | None


@dataclass(frozen=True)
class DisclosureView:
    id: int
    kind: str
    recipient: str
    recipient_kind: str
    purpose: str
    about_party: str
    channel: str | None
    note: str | None
    basis: str  # "consent" | "override" | "attendance"
    consent_id: int | None
    override_id: int | None
    made_by: str
    made_at: datetime


# --- CON5: correspondence -----------------------------------------------------------------


def email_text(service: str, coded_ref: str, recipient: str) -> Correspondence:
    """An email that names the family by its coded reference only, marked CONFIDENTIAL
    (Surrey §4.2, §4.5)."""
    body = (
        f"CONFIDENTIAL\n\n"
        f"To: {clean_text(recipient)}\n"
        f"Our reference: {coded_ref}\n\n"
        f"This email contains personal information about a family, sent with the "
        f"parent's permission. Please keep it confidential and do not pass it on.\n\n"
        f"(Write your message here. Refer to the family by the reference above, not by "
        f"name.)\n\n"
        f"{clean_text(service)}\n"
    )
    return Correspondence("email", f"CONFIDENTIAL: {coded_ref}", body)


def letter_text(service: str, coded_ref: str, recipient: str, on: date) -> Correspondence:
    """A letter headed STRICTLY PRIVATE AND CONFIDENTIAL (Surrey §4.3)."""
    body = (
        f"STRICTLY PRIVATE AND CONFIDENTIAL\n\n"
        f"{clean_text(recipient)}\n\n"
        f"{on:%d %B %Y}\n\n"
        f"Our reference: {coded_ref}\n\n"
        f"(Write the letter here.)\n\n"
        f"{clean_text(service)}\n"
    )
    return Correspondence("letter", None, body)


def _correspondence(profile: Profile, coded_ref: str, kind: str, recipient: str,
                    channel: str | None) -> Correspondence | None:
    if kind == DisclosureKind.EMAIL or channel in ELECTRONIC_CHANNELS:
        return email_text(profile.name, coded_ref, recipient)
    if channel == "LETTER":
        return letter_text(profile.name, coded_ref, recipient, today())
    return None


# --- checking -----------------------------------------------------------------------------


def _check(profile: Profile, draft: DisclosureDraft) -> DisclosureDraft:
    problems: dict[str, str] = {}
    if draft.kind not in policy.DISCLOSURE_KINDS or draft.kind == DisclosureKind.ATTENDANCE:
        problems["kind"] = "Choose what you are doing: refer, share, contact, tell or email."
    recipient = clean_text(draft.recipient or "")
    check_length(problems, "recipient", "The recipient's name", recipient, RECIPIENT_MAX)
    if "recipient" not in problems and not policy.recipient_key(recipient):
        problems["recipient"] = ("Name who it goes to: the organisation or person (another "
                                 "team of the same council is someone else).")
    kinds = profile.recipient_kinds
    if kinds is not None and draft.recipient_kind not in kinds:
        problems["recipient_kind"] = "Choose what kind of recipient this is."
    if draft.purpose not in policy.PURPOSES:
        problems["purpose"] = "Choose what it is for."
    if draft.about_party not in policy.PARTIES or (
            draft.about_party != Party.PARENT and not profile.has_other_party):
        problems["about_party"] = "Choose whose information it is."
    channel = draft.channel or None
    if draft.kind == DisclosureKind.EMAIL:
        channel = "EMAIL"
    if channel is not None and channel not in profile.channels:
        problems["channel"] = f"{channel!r} is not one of this service's channels."
    note = check_length(problems, "note", "The note", clean_optional(draft.note, multiline=True),
                        NOTE_MAX)
    if problems:
        raise Problems(problems)
    return DisclosureDraft(draft.kind, recipient, draft.recipient_kind, draft.purpose,
                           draft.about_party, channel, note)


def _request(draft: DisclosureDraft, *, to_referrer: bool = False) -> DisclosureRequest:
    return DisclosureRequest(kind=draft.kind, recipient=draft.recipient,
                             recipient_kind=draft.recipient_kind, purpose=draft.purpose,
                             about_party=draft.about_party, to_referrer=to_referrer)


def _check_override(override: OverrideRequest | None) -> OverrideRequest | None:
    if override is None:
        return None
    problems: dict[str, str] = {}
    if override.category not in policy.OVERRIDE_CATEGORIES:
        problems["category"] = "Choose the kind of safeguarding concern."
    reason = clean_text(override.reason or "", multiline=True)
    problem = (length_problem("The reason", reason, REASON_MAX)
               or policy.override_reason_problem(reason))
    if problem:
        problems["reason"] = problem
    if problems:
        raise Problems(problems)
    return OverrideRequest(override.category, reason, override.enquiry_id)


# --- deciding and recording ------------------------------------------------------------------


def preview(store: Store, actor: Actor, profile: Profile, family_id: int,
            draft: DisclosureDraft) -> Decision:
    """The engine's decision on this draft, before anything is recorded (not audited:
    nothing is read but the family's consents)."""
    require_open_family(store, actor, family_id, "disclosure preview")
    checked = _check(profile, draft)
    with store.read() as session:
        return policy.decide_disclosure(actor, profile, _request(checked),
                                        consents.facts(session, family_id), on=today())


def _record(
    session: Session, actor: Actor, profile: Profile, family_id: int,
    draft: DisclosureDraft, override: OverrideRequest | None, *, to_referrer: bool = False,
) -> tuple[Decision, Disclosure | None, int | None]:
    """Ask the engine, inside the caller's write transaction, and record the disclosure
    (with its override, if one was needed) only if it allows it. The only place a
    Disclosure row is made."""
    offered = (policy.OverrideFact(override.category, override.reason)
               if override is not None else None)
    request = _request(draft, to_referrer=to_referrer)
    decision = policy.decide_disclosure(actor, profile, request,
                                        consents.facts(session, family_id), offered,
                                        on=today())
    if not decision.allowed:
        audit.record(session, Action.DISCLOSURE_REFUSED, actor_id=actor.id, entity=Entity.FAMILY,
                     entity_id=family_id, reason=f"{draft.kind} {draft.purpose}")
        return decision, None, None
    override_id = None
    if decision.override_category is not None:
        assert override is not None
        row = SafeguardingOverride(family_id=family_id, enquiry_id=override.enquiry_id,
                                   category=decision.override_category,
                                   reason=override.reason, made_by=actor.id, made_at=utcnow())
        session.add(row)
        session.flush()
        override_id = row.id
        audit.record(session, Action.OVERRIDE_MADE, actor_id=actor.id,
                     entity=Entity.SAFEGUARDING_OVERRIDE, entity_id=override_id,
                     reason=f"family {family_id} {decision.override_category}")
    disclosure = Disclosure(
        family_id=family_id, kind=draft.kind, recipient=draft.recipient,
        recipient_key=policy.recipient_key(draft.recipient),
        recipient_kind=draft.recipient_kind, purpose=draft.purpose,
        about_party=draft.about_party, channel=draft.channel, note=draft.note,
        consent_id=decision.consent_id, override_id=override_id, made_by=actor.id,
        made_at=utcnow())
    session.add(disclosure)
    session.flush()
    basis = (f"consent {decision.consent_id}" if decision.consent_id
             else f"override {override_id}" if override_id else "attendance")
    audit.record(session, Action.DISCLOSURE_RECORDED, actor_id=actor.id,
                 entity=Entity.DISCLOSURE, entity_id=disclosure.id,
                 reason=f"family {family_id} {draft.kind} {basis}")
    return decision, disclosure, override_id


def disclose(store: Store, actor: Actor, profile: Profile, family_id: int,
             draft: DisclosureDraft, *, override: OverrideRequest | None = None) -> Recorded:
    """CON2: record the disclosure if a current consent covers it, or (SG1) with the
    safeguarding override offered. Raises :class:`Refused` (audited) otherwise, and
    :class:`Problems` for fields that are wrong."""
    require_open_family(store, actor, family_id, "disclose")
    checked = _check(profile, draft)
    offered = _check_override(override)
    with store.write() as session:
        decision, row, override_id = _record(session, actor, profile, family_id, checked,
                                             offered)
        if row is not None:
            assert row.id is not None
            family = session.get(Family, family_id)
            assert family is not None
            letter = _correspondence(profile, family.coded_ref, checked.kind,
                                     checked.recipient, checked.channel)
            return Recorded(row.id, decision, override_id, letter)
    raise Refused(decision)


def release_attendance(session: Session, actor: Actor, profile: Profile,
                       family_id: int) -> tuple[Decision, int | None, str | None]:
    """CC1: the attendance-register release, asked of the engine and recorded like any
    other disclosure, to the family's referring agency (used by
    calllog.services.attendance inside its own write transaction)."""
    referral = referrer_of(session, family_id)
    recipient = referral.referrer_name if referral and referral.referrer_name else ""
    draft = DisclosureDraft(kind=DisclosureKind.ATTENDANCE,
                            recipient=recipient or "no referring agency recorded",
                            recipient_kind="OTHER", purpose=Purpose.SUPPORT)
    decision, row, _ = _record(session, actor, profile, family_id, draft, None,
                               to_referrer=bool(recipient))
    return decision, row.id if row else None, recipient or None


def family_disclosures(store: Store, actor: Actor, family_id: int) -> list[DisclosureView]:
    """Everything disclosed about the family, newest first; the read is audited."""
    read_family(store, actor, family_id, "disclosures")
    with store.read() as session:
        rows = session.exec(select(Disclosure).where(Disclosure.family_id == family_id)
                            .order_by(col(Disclosure.made_at).desc())).all()
        names = {i: clean_text(n) for i, n in session.exec(select(Staff.id, Staff.display_name))
                 if i is not None}
        out = []
        for row in rows:
            assert row.id is not None
            basis = ("consent" if row.consent_id else "override" if row.override_id
                     else "attendance")
            out.append(DisclosureView(
                id=row.id, kind=row.kind, recipient=row.recipient,
                recipient_kind=row.recipient_kind, purpose=row.purpose,
                about_party=row.about_party, channel=row.channel, note=row.note, basis=basis,
                consent_id=row.consent_id, override_id=row.override_id,
                made_by=names.get(row.made_by, "?"), made_at=row.made_at))
        return out
