"""The policy engine: pure functions, no I/O.

Each answers "may this actor do this?" with a :class:`Decision` that says why,
and for refusals exactly what is missing. Services ask; nothing else decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from calllog.limits import SUPERVISION_REASON, length_problem
from calllog.roles import Actor, Role
from calllog.text import clean_text
from calllog.vocabulary import Party

if TYPE_CHECKING:
    from calllog.profiles import Profile


@dataclass(frozen=True)
class Decision:
    """The engine's answer. A refusal names what is ``missing`` (a consent, in words
    an adviser can read out: "written consent to contact Oakfield School on the
    parent's behalf") and whether a safeguarding override may be used instead, and
    with which categories. An allowed disclosure names what it relies on: the
    ``consent_id`` or the ``override_category``."""

    allowed: bool
    reason: str
    missing: str | None = None
    override_possible: bool = False
    override_categories: tuple[str, ...] = ()
    consent_id: int | None = None
    override_category: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str, *, consent_id: int | None = None,
          override_category: str | None = None) -> Decision:
    return Decision(True, reason, consent_id=consent_id, override_category=override_category)


def refuse(reason: str, *, missing: str | None = None, override_possible: bool = False,
           override_categories: tuple[str, ...] = ()) -> Decision:
    return Decision(False, reason, missing, override_possible or bool(override_categories),
                    override_categories)


def may_open_family_records(actor: Actor) -> Decision:
    """ACC3: nobody who works with families opens a family record before a DBS
    check is recorded for them (policies 000, 002, 003 vi, 004 §7)."""
    if not actor.dbs_recorded:
        return refuse(
            "Family records are closed to you until your DBS check is recorded; "
            "ask an administrator.",
            missing="a recorded DBS check",
        )
    return allow("DBS check recorded")


def may_find_families(actor: Actor) -> Decision:
    """REC6 under ACC3: finding a returning family (by name, telephone, postcode or a
    child's date of birth) opens family records, so it needs a recorded DBS check."""
    return may_open_family_records(actor)


def may_view_dbs(role: Role, visible_to: Collection[str]) -> Decision:
    """ACC4: DBS check details only for the roles the profile names
    (Cordomus: co-ordinator and chair)."""
    if role.value in visible_to:
        return allow("the service profile shows DBS details to this role")
    return refuse("DBS details are shown only to " + ", ".join(sorted(visible_to)) + ".")


def may_manage_staff(actor: Actor) -> Decision:
    """Adding, disabling and resetting accounts is for administrators (ACC1)."""
    if actor.role is Role.ADMINISTRATOR:
        return allow("administrator")
    return refuse("Only an administrator can manage staff accounts.")


def may_unlock_accounts(actor: Actor) -> Decision:
    """ACC2: a locked account is unlocked by a supervisor or an administrator."""
    if actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        return allow("supervisor or administrator")
    return refuse("Only a supervisor or an administrator can unlock an account.")


def may_list_staff(actor: Actor) -> Decision:
    if actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        return allow("supervisor or administrator")
    return refuse("Only supervisors and administrators can see the staff list.")


# --- consent, disclosure and safeguarding (CON1–CON6, SG1, CC1, CC2, REC8, REC9) -------
#
# The vocabulary below is what service profiles name (``[consent] kinds``,
# ``[safeguarding] categories``); the rules are the same code for every service, and
# everything that varies between services is read from the profile.


class ConsentKind(StrEnum):
    """CON1: what a consent is for."""

    KEEP_CONTACT = "keep_contact_details"
    SHARE = "share_information"
    CONTACT_ON_BEHALF = "contact_on_behalf"
    REFER = "refer"
    EMAIL = "email_personal_information"
    TELL_CONTACTED = "tell_contacted"


CONSENT_KINDS: tuple[str, ...] = tuple(k.value for k in ConsentKind)
CONSENT_KIND_LABELS: Mapping[str, str] = {
    ConsentKind.KEEP_CONTACT: "Keep contact details",
    ConsentKind.SHARE: "Share information with",
    ConsentKind.CONTACT_ON_BEHALF: "Contact on the parent's behalf",
    ConsentKind.REFER: "Refer to a service",
    ConsentKind.EMAIL: "Send personal information by email to",
    ConsentKind.TELL_CONTACTED: "Tell someone the parent contacted us",
}


class DisclosureKind(StrEnum):
    """CON2, CC1: what leaves the service, and to whom."""

    REFER = "refer"
    SHARE = "share"
    CONTACT_ON_BEHALF = "contact_on_behalf"
    TELL_CONTACTED = "tell_contacted"
    EMAIL = "email"
    ATTENDANCE = "attendance"


DISCLOSURE_KINDS: tuple[str, ...] = tuple(k.value for k in DisclosureKind)
DISCLOSURE_KIND_LABELS: Mapping[str, str] = {
    DisclosureKind.REFER: "Refer to",
    DisclosureKind.SHARE: "Share information with",
    DisclosureKind.CONTACT_ON_BEHALF: "Contact on the parent's behalf",
    DisclosureKind.TELL_CONTACTED: "Tell someone the parent contacted us",
    DisclosureKind.EMAIL: "Email personal information to",
    DisclosureKind.ATTENDANCE: "Release attendance dates to the referring agency",
}
#: The one consent each disclosure needs. Consent to email personal information to
#: someone covers sharing it with them by email. Attendance needs none (CC1).
CONSENT_FOR: Mapping[str, str] = {
    DisclosureKind.REFER: ConsentKind.REFER,
    DisclosureKind.SHARE: ConsentKind.SHARE,
    DisclosureKind.CONTACT_ON_BEHALF: ConsentKind.CONTACT_ON_BEHALF,
    DisclosureKind.TELL_CONTACTED: ConsentKind.TELL_CONTACTED,
    DisclosureKind.EMAIL: ConsentKind.EMAIL,
}


class Purpose(StrEnum):
    """Why something is disclosed; the engine treats two purposes specially."""

    SUPPORT = "support"
    CONTACT_DETAILS = "contact_details"  # a party's address and telephone number (CON6)
    SAFEGUARDING = "safeguarding"
    FAMILY_PROCEEDINGS = "family_proceedings"  # a report for family proceedings (CC2)


PURPOSES: tuple[str, ...] = tuple(p.value for p in Purpose)
PURPOSE_LABELS: Mapping[str, str] = {
    Purpose.SUPPORT: "To help the parent with what they asked about",
    Purpose.CONTACT_DETAILS: "Their address and telephone number",
    Purpose.SAFEGUARDING: "A safeguarding concern",
    Purpose.FAMILY_PROCEEDINGS: "A report for family proceedings",
}


class OverrideCategory(StrEnum):
    """SG1: the concerns that may override confidentiality."""

    CHILD_AT_RISK = "CHILD_AT_RISK"
    PHYSICAL_VIOLENCE = "PHYSICAL_VIOLENCE"
    LEGAL_DUTY = "LEGAL_DUTY"


OVERRIDE_CATEGORIES: tuple[str, ...] = tuple(c.value for c in OverrideCategory)
OVERRIDE_LABELS: Mapping[str, str] = {
    OverrideCategory.CHILD_AT_RISK: "A child is at risk of harm",
    OverrideCategory.PHYSICAL_VIOLENCE: "Someone is at risk of physical violence",
    OverrideCategory.LEGAL_DUTY: "A legal requirement or duty",
}
#: SG1: an override's written reason is at least this long.
OVERRIDE_REASON_MIN = 20

PARTIES: tuple[str, ...] = tuple(p.value for p in Party)
PARTY_LABELS: Mapping[str, str] = {Party.PARENT: "the parent", Party.OTHER: "the other party"}
#: How the consent releases of a profile read (``[consent] releases``).
RELEASES_ANYTHING = "anything"
RELEASES_CONTACT_DETAILS = "contact_details"
RELEASES: tuple[str, ...] = (RELEASES_ANYTHING, RELEASES_CONTACT_DETAILS)

_FOLDS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "æ": "ae",
                        "œ": "oe", "þ": "th", "ð": "d", "ı": "i", "&": " and "})
_APOSTROPHES = re.compile(r"['’‘`´]")
_WORDS = re.compile(r"[^\W_]+")


def recipient_key(name: str | None) -> str:
    """CON4: how recipients are compared. A consent covers exactly one recipient:
    the same name however it is typed ("Oakfield School", "oakfield  school.",
    "OAKFIELD SCHOOL"; "St Mary's" and "St Marys"; "&" and "and"), and nothing else.
    Another section of the same council is another recipient: "Cornwall Council SEN
    team", "Cornwall Council social care" and "Cornwall Council" are three recipients,
    and a consent for one covers neither of the others."""
    text = clean_text(name or "").casefold().translate(_FOLDS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(_APOSTROPHES.sub("", text)))


@dataclass(frozen=True)
class ConsentFact:
    """One consent from the ledger, as the engine sees it."""

    id: int
    kind: str
    party: str
    recipient_key: str
    recipient: str
    written: bool
    given_on: date
    withdrawn_on: date | None = None

    def current(self, on: date) -> bool:
        return self.withdrawn_on is None and self.given_on <= on


@dataclass(frozen=True)
class OverrideFact:
    """A safeguarding override offered for one disclosure."""

    category: str
    reason: str


@dataclass(frozen=True)
class DisclosureRequest:
    """What an adviser asks to do: ``kind`` to ``recipient`` (with its
    ``recipient_kind`` from the recipient-kinds list) for ``purpose``, about
    ``about_party``'s information. ``to_referrer``: the recipient is the family's
    referring agency (CC1; the service works it out, never the adviser)."""

    kind: str
    recipient: str
    recipient_kind: str = "OTHER"
    purpose: str = Purpose.SUPPORT
    about_party: str = Party.PARENT
    to_referrer: bool = False


def consent_phrase(kind: str, recipient: str, *, party: str = Party.PARENT,
                   contact_centre: bool = False) -> str:
    """What a consent is for, in words: "contact Oakfield School on the parent's
    behalf"."""
    whose = "the parent's" if party == Party.PARENT else "the other party's"
    who = PARTY_LABELS.get(party, PARTY_LABELS[Party.PARENT])
    r = clean_text(recipient) or "the recipient"
    if kind == ConsentKind.KEEP_CONTACT:
        return f"keep {whose} contact details"
    if kind == ConsentKind.SHARE:
        if contact_centre:
            return f"pass {whose} address and telephone number to {r}"
        return f"share information about the family with {r}"
    if kind == ConsentKind.CONTACT_ON_BEHALF:
        return f"contact {r} on {whose} behalf"
    if kind == ConsentKind.REFER:
        return f"refer the family to {r}"
    if kind == ConsentKind.EMAIL:
        return f"send personal information to {r} by email"
    if kind == ConsentKind.TELL_CONTACTED:
        return f"tell {r} that {who} contacted the service"
    return f"{kind} ({r})"


def consent_needed(profile: Profile, kind: str, recipient: str,
                   party: str = Party.PARENT) -> str:
    """The consent a refusal names: "written consent to contact Oakfield School on the
    parent's behalf"."""
    written = "written " if kind in profile.written_consent else ""
    return f"{written}consent to " + consent_phrase(
        kind, recipient, party=party, contact_centre=profile.is_contact_centre)


def override_reason_problem(reason: str | None) -> str | None:
    """SG1: the written reason an override needs, or why it is not enough."""
    text = clean_text(reason or "", multiline=True)
    if len(text) < OVERRIDE_REASON_MIN:
        return (f"Write the reason for the override in at least {OVERRIDE_REASON_MIN} "
                f"characters: what the concern is and why it cannot wait for consent.")
    return None


def override_categories_for(profile: Profile, request: DisclosureRequest) -> tuple[str, ...]:
    """SG1: the override categories this service's policy names that could let this
    request go ahead. A profile may say where a category's concerns go (St Mary's:
    a child's welfare goes to Children's Services and/or the police). A report for
    family proceedings under a service that refuses them (CC2) goes ahead only for a
    legal duty, and only where the policy names legal duty at all."""
    named = [c for c in OVERRIDE_CATEGORIES if c in profile.override_categories]
    if (request.purpose == Purpose.FAMILY_PROCEEDINGS
            and profile.refuse_family_proceedings_reports):
        named = [c for c in named if c == OverrideCategory.LEGAL_DUTY]
    out = []
    for category in named:
        where = profile.override_recipients.get(category)
        if where is None or request.recipient_kind in where:
            out.append(category)
    return tuple(out)


def _override_decision(profile: Profile, request: DisclosureRequest,
                       override: OverrideFact, categories: tuple[str, ...]) -> str | None:
    """Why this override cannot be used (None: it can)."""
    if override.category not in OVERRIDE_CATEGORIES:
        return f"{override.category!r} is not a safeguarding override category."
    if override.category not in categories:
        label = OVERRIDE_LABELS[override.category].lower()
        if override.category not in profile.override_categories:
            return (f"This service's policy does not name \"{label}\" as a reason to "
                    f"override confidentiality.")
        where = profile.override_recipients.get(override.category)
        if where is not None and request.recipient_kind not in where:
            return (f"Under this service's policy a concern that {label[2:]} is passed "
                    f"only to: {', '.join(sorted(where)).lower().replace('_', ' ')}.")
        return f"\"{OVERRIDE_LABELS[override.category]}\" does not cover this."
    return override_reason_problem(override.reason)


def _current_consent(consents: Iterable[ConsentFact], kind: str, key: str, party: str,
                     on: date) -> list[ConsentFact]:
    return [c for c in consents
            if c.kind == kind and c.recipient_key == key and c.party == party and c.current(on)]


def decide_disclosure(
    actor: Actor,
    profile: Profile,
    request: DisclosureRequest,
    consents: Iterable[ConsentFact],
    override: OverrideFact | None = None,
    *,
    on: date,
) -> Decision:
    """May this be disclosed (referred, shared, contacted, told, emailed, released)?

    In order: ACC3 (a DBS check is recorded); CC2 (a service that makes no reports
    for family proceedings refuses them, whatever the consent); CC1 (attendance
    dates and times go to the family's referring agency on request, and to nobody
    else without an override); CON2–CON4 (a current consent of the right kind, for
    this very recipient, given by the party whose information it is, in writing
    where the profile says so (Cornwall); a contact centre's consent releases only a
    party's own address and telephone number (CON6)); SG1 (otherwise only a
    safeguarding override of a category the policy names, with a written reason).
    """
    access = may_open_family_records(actor)
    if not access:
        return access
    if request.kind not in DISCLOSURE_KINDS:
        return refuse(f"{request.kind!r} is not something calllog records as disclosed.")
    if request.purpose not in PURPOSES:
        return refuse(f"{request.purpose!r} is not a purpose calllog knows.")
    if request.about_party not in PARTIES or (request.about_party != Party.PARENT
                                              and not profile.has_other_party):
        return refuse("This service records one parent or carer per family.")
    key = recipient_key(request.recipient)
    if not key:
        return refuse("Say who it goes to: the organisation or person, by name.")
    categories = override_categories_for(profile, request)

    def with_override(refusal: str, missing: str | None = None) -> Decision:
        if override is not None:
            problem = _override_decision(profile, request, override, categories)
            if problem is None:
                label = OVERRIDE_LABELS[override.category]
                return allow(f"Safeguarding override: {label.lower()}.",
                             override_category=override.category)
            refusal = f"{refusal} {problem}"
        if categories:
            refusal += " A safeguarding override may be used if there is a concern."
        return refuse(refusal, missing=missing, override_categories=categories)

    # CC2: 003 ii, 004 §2.
    if (request.purpose == Purpose.FAMILY_PROCEEDINGS
            and profile.refuse_family_proceedings_reports):
        return with_override("This service makes no verbal or written reports in any "
                             "family proceedings.")
    # CC1: 003 iii, 004 §3.
    if request.kind == DisclosureKind.ATTENDANCE:
        if not profile.attendance_to_referrers:
            return refuse("This service keeps no attendance register to release.")
        if request.to_referrer:
            return allow("Attendance dates and times are released to the referring "
                         "agency on request.")
        return with_override("Attendance dates and times go only to the family's "
                             "referring agency.")
    needed = CONSENT_FOR[request.kind]
    if needed not in profile.consent_kinds:
        return with_override("This service's policy allows no consent for this: nothing "
                             "of the kind is released.")
    if (profile.consent_releases == RELEASES_CONTACT_DETAILS
            and request.purpose != Purpose.CONTACT_DETAILS):
        return with_override("Under this service's policy a party's consent releases "
                             "only their own address and telephone number; no other "
                             "information is released.")
    written = needed in profile.written_consent
    found = _current_consent(consents, needed, key, request.about_party, on)
    good = sorted((c for c in found if c.written or not written),
                  key=lambda c: (c.written, c.given_on, c.id), reverse=True)
    if good:
        chosen = good[0]
        form = "written" if chosen.written else "verbal"
        return allow(f"Relies on {form} consent given {chosen.given_on:%d/%m/%Y}.",
                     consent_id=chosen.id)
    missing = consent_needed(profile, needed, request.recipient, request.about_party)
    if profile.has_other_party and request.about_party != Party.PARENT:
        missing = missing.replace("consent to", "consent from the other party to", 1)
    note = " Only verbal consent is recorded." if found else ""
    return with_override(f"Missing: {missing}.{note}", missing)


def may_record_consent(actor: Actor, profile: Profile, kind: str, party: str) -> Decision:
    """CON1: a consent is recorded by DBS-checked staff, of a kind this service has,
    from a party the service has (contact centres: either parent)."""
    access = may_open_family_records(actor)
    if not access:
        return access
    if kind not in profile.consent_kinds:
        return refuse("This service's policy has no consent to "
                      + consent_phrase(kind, "someone",
                                       contact_centre=profile.is_contact_centre) + ".")
    if party not in PARTIES or (party != Party.PARENT and not profile.has_other_party):
        return refuse("Consents here are given by the parent or carer.")
    return allow("consent may be recorded")


def may_review_override(actor: Actor, profile: Profile, made_by: int) -> Decision:
    """SG1: an override is reviewed by one of the roles the profile names (supervisors),
    and by someone other than the person who made it."""
    reviewer = may_review_overrides(actor, profile)
    if not reviewer:
        return reviewer
    if actor.id == made_by:
        return refuse("Someone other than the person who made the override reviews it.")
    return allow("override reviewer")


def decide_referral(profile: Profile, permission: str | None) -> Decision:
    """REC8: a referral from anyone other than a parent or carer is accepted only once
    the parent's permission is recorded (by the referrer's confirmation or the parent's
    own word), where the service's policy says so (the SEND services)."""
    if not profile.hold_referrals_until_permission:
        return allow("Referrals are accepted when they arrive.")
    if permission in ("REFERRER", "PARENT"):
        who = "the referrer" if permission == "REFERRER" else "the parent"
        return allow(f"The parent's permission is recorded (from {who}).")
    return refuse("The referral is held until the parent's permission is recorded.",
                  missing="the parent's permission for the referral")


HELD_MESSAGE = ("This family was referred to us and is held until the parent's permission "
                "is recorded (see incoming referrals).")


def may_open_held_family(held: bool) -> Decision:
    """REC8: a family referred by someone other than the parent is found and opened by
    nobody while the referral waits for the parent's permission (``held``)."""
    if held:
        return refuse(HELD_MESSAGE, missing="the parent's permission for the referral")
    return allow("no referral is waiting for the parent's permission")


def may_record_agency_information(actor: Actor, profile: Profile,
                                  parent_asked: bool) -> Decision:
    """REC9: information about a family is obtained from another agency only when the
    parent asked the service to; the record says so."""
    access = may_open_family_records(actor)
    if not access:
        return access
    if profile.agency_information_needs_request and not parent_asked:
        return refuse("Information is obtained from other agencies only when the parent "
                      "has asked us to: confirm that they did.",
                      missing="the parent's request to obtain it")
    return allow("the parent asked for it")


def may_use_party_tools(profile: Profile) -> Decision:
    """CON6: the other party (their details, their view of the family, their consents)
    exists only where families have two parties: contact centres."""
    if profile.has_other_party:
        return allow("families here have two parties")
    return refuse("Only contact centres record another party.")


def may_keep_attendance(profile: Profile) -> Decision:
    """CC1: an attendance register, for a service whose profile keeps one."""
    if profile.attendance_register:
        return allow("this service keeps an attendance register")
    return refuse("This service keeps no attendance register.")


def may_show_contact_details(profile: Profile, viewing_party: str | None,
                             owner_party: str) -> Decision:
    """CON6: in a contact centre, a party's address and telephone number are shown
    only in their own view (and exports of it), never in the other party's."""
    if not profile.has_other_party or viewing_party is None:
        return allow("staff view")
    if viewing_party == owner_party:
        return allow("their own details")
    return refuse("A party's address and telephone number are never shown to the other "
                  "party.")


# --- call queue, private notes, who has seen a record (issue 5: OPS2, PRIV1, PRIV2, ACC6)

SUPERVISION_REASON_MIN = 10
"""PRIV1: a supervision access to notes gives a reason at least this long."""


def notes_reader(*, family_id: int | None, family_supporter_id: int | None,
                 assigned_to: int | None, recorded_by: int | None) -> int | None:
    """PRIV1 (policy 002: notes "will be seen only by the parent's parental
    supporter"): the one member of staff who reads an enquiry's notes.

    For a family's enquiry, the family's supporter (the adviser the family is
    assigned to), whoever wrote the note; nobody while the family has no supporter.
    An anonymous enquiry has no family: the adviser it is assigned to or, while it
    is unassigned, the adviser who recorded it."""
    if family_id is not None:
        return family_supporter_id
    return assigned_to if assigned_to is not None else recorded_by


def may_use_supervision_access(actor: Actor, profile: Profile) -> Decision:
    """PRIV1: where the profile allows it, a supervisor may open notes that are not
    theirs through a reasoned, audited supervision access; where the profile forbids
    it (Northamptonshire), nobody may."""
    if not profile.supervision_access_to_notes:
        return refuse("Under this service's confidentiality policy notes are seen only by "
                      "the parent's supporter; there is no supervision access.")
    if actor.role is not Role.SUPERVISOR:
        return refuse("Only a supervisor can open notes through supervision access.")
    return may_open_family_records(actor)


def supervision_reason_problem(reason: str | None) -> str | None:
    """What is wrong with a supervision access reason, in words; None when it will do."""
    text = clean_text(reason or "")
    too_long = length_problem("The reason", text, SUPERVISION_REASON,
                              then="Nothing was opened; shorten it and try again.")
    if too_long is not None:
        return too_long
    if len(text) < SUPERVISION_REASON_MIN:
        return (f"Give the reason for opening these notes: at least "
                f"{SUPERVISION_REASON_MIN} characters (it is kept in the audit log).")
    return None


def may_read_notes(actor: Actor, reader_id: int | None, profile: Profile | None = None,
                   supervision_reason: str | None = None) -> Decision:
    """PRIV1: the notes' reader (:func:`notes_reader`) reads them; a supervisor
    reads them only through supervision access with a reason, where the ``profile``
    allows it; nobody else, whatever their role. Without a profile only the reader
    may (no supervision access is considered)."""
    if reader_id is not None and actor.id == reader_id:
        return allow("the parent's supporter")
    if profile is None:
        return refuse("These notes are seen only by the parent's supporter.")
    if supervision_reason is None:
        supervision = may_use_supervision_access(actor, profile)
        if supervision:
            return refuse("These notes are seen only by the parent's supporter; open them "
                          "through supervision access, which asks for a reason and is "
                          "recorded.", missing="a reason for supervision access")
        return refuse("These notes are seen only by the parent's supporter.")
    supervision = may_use_supervision_access(actor, profile)
    if not supervision:
        return supervision
    problem = supervision_reason_problem(supervision_reason)
    if problem is not None:
        return refuse(problem, missing="a reason of at least "
                      f"{SUPERVISION_REASON_MIN} characters")
    return allow("supervision access with a reason")


def may_see_names(actor: Actor, *, family_supporter_id: int | None,
                  assigned_to: int | None) -> Decision:
    """PRIV2 (001 §4.5): lists and queues show coded references; a name only to the
    record's owner: the adviser the enquiry is assigned to, or the family's supporter."""
    if not actor.dbs_recorded:
        return refuse("coded reference: no DBS check recorded")
    if actor.id in (family_supporter_id, assigned_to):
        return allow("the viewer owns the record")
    return refuse("coded reference: the viewer does not own the record")


def may_view_queue(actor: Actor) -> Decision:
    """OPS2: the whole call queue is for supervisors (and administrators); advisers
    see their own work."""
    if actor.is_supervisor:
        return allow("supervisor")
    return refuse("The call queue is for supervisors; your own work is under My work.")


def may_view_own_work(actor: Actor) -> Decision:
    """OPS2: "My work", the enquiries assigned to you and your callbacks due, is for
    those who are given enquiries: advisers and supervisors (supervisors also reach it
    from the queue). Administrators are given none (:func:`may_be_assigned`)."""
    if actor.role is Role.ADMINISTRATOR:
        return refuse("Administrators are not given enquiries, so have no work of their "
                      "own here.")
    return allow("adviser or supervisor")


def may_assign(actor: Actor) -> Decision:
    """OPS2: supervisors assign and reassign work."""
    if actor.is_supervisor:
        return allow("supervisor")
    return refuse("Only a supervisor can assign or reassign an enquiry.")


def may_be_assigned(*, role: Role, active: bool, dbs_recorded: bool,
                    identified: bool) -> Decision:
    """Who can be given an enquiry: an active adviser or supervisor; for a family's
    enquiry, one whose DBS check is recorded (ACC3), or they could not open it."""
    if not active:
        return refuse("That account is disabled.")
    if role is Role.ADMINISTRATOR:
        return refuse("Enquiries are assigned to advisers and supervisors.")
    if identified and not dbs_recorded:
        return refuse("No DBS check is recorded for them, so they cannot take a family's "
                      "enquiry.", missing="a recorded DBS check")
    return allow("can take the enquiry")


def may_change_enquiry(actor: Actor, assigned_to: int | None) -> Decision:
    """OPS2: a callback date is set, or an enquiry closed, by a supervisor or by the
    adviser it is assigned to."""
    if actor.is_supervisor or (assigned_to is not None and actor.id == assigned_to):
        return allow("supervisor or assigned adviser")
    return refuse("Only the adviser this enquiry is assigned to, or a supervisor, can "
                  "change it.")


def may_view_access_list(actor: Actor, family_supporter_id: int | None) -> Decision:
    """ACC6 (001 §6.2): who has seen a family's record, so the parent can be told;
    shown to supervisors and to the family's supporter."""
    access = may_open_family_records(actor)
    if not access:
        return access
    if actor.is_supervisor or actor.id == family_supporter_id:
        return allow("supervisor or the family's supporter")
    return refuse("Who has seen this record is shown to supervisors and to the family's "
                  "supporter.")


def may_view_enquiry(actor: Actor, *, assigned_to: int | None,
                     recorded_by: int | None) -> Decision:
    """An enquiry on its own (an anonymous caller's): supervisors, the adviser it is
    assigned to and the adviser who recorded it. A family's enquiries are seen on the
    family's record (ACC3 applies there)."""
    if actor.is_supervisor or actor.id in (assigned_to, recorded_by):
        return allow("supervisor, assigned or recording adviser")
    return refuse("This enquiry is seen by supervisors and the adviser it belongs to.")


def may_review_overrides(actor: Actor, profile: Profile) -> Decision:
    """SG1: whether this person reviews safeguarding overrides at all (one of the roles
    the profile names: supervisors), so a screen offers the review key. Each override
    is then checked by :func:`may_review_override` (never one's own)."""
    if actor.role.value not in profile.override_reviewers:
        names = sorted(profile.role_name(r) for r in profile.override_reviewers)
        return refuse("Safeguarding overrides are reviewed by: " + ", ".join(names) + ".")
    return allow("override reviewer")


def may_set_account_active(actor: Actor, target_id: int, active: bool) -> Decision:
    """ACC1: an administrator disables or re-enables an account, but never disables
    their own (nobody could then sign in to undo it)."""
    manage = may_manage_staff(actor)
    if not manage:
        return manage
    if not active and target_id == actor.id:
        return refuse("You cannot disable your own account.")
    return allow("administrator")
