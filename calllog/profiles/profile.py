"""A service profile, declared once: each field of :class:`Profile` names its key in
``data/profiles/<key>.toml``, what the key may hold, its default and what it is for
(see :mod:`calllog.profiles.schema`). The loader and ``calllog profile check`` read
these declarations; :func:`calllog.profiles.schema.reference` writes them out.

Top-level keys must come before the first table. The five policy tables
(``[consent]``, ``[disclosure]``, ``[referrals]``, ``[safeguarding]``,
``[retention]``) default by the service's kind: a ``send`` service has every consent
kind, none written, releases anything, keeps no attendance register and holds
referrals; a ``contact_centre`` keeps contact details and shares a party's details
only, keeps an attendance register released to referrers, refuses reports for family
proceedings and does not hold referrals. Without a ``[retention]`` table the period is
unverified.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

from calllog.policy import (
    CONSENT_KINDS,
    OVERRIDE_CATEGORIES,
    RELEASES,
    RELEASES_ANYTHING,
    RELEASES_CONTACT_DETAILS,
    ConsentKind,
    OverrideCategory,
)
from calllog.profiles.lists import NAME, CodeList, code_list
from calllog.profiles.schema import (
    Checking,
    Flag,
    Key,
    ListRef,
    OneOf,
    Reading,
    Rows,
    Section,
    SetOf,
    Text,
    Whole,
    declared,
    rule,
    toml_keys,
)
from calllog.profiles.tomlfile import Table, show
from calllog.roles import ROLE_NAMES, Role
from calllog.vocabulary import ServiceKind

__all__ = ["DEFAULT_ROLE_NAMES", "KINDS", "LIST_DEFAULTS", "NO_RETENTION_TABLE",
           "PREFER_NOT_TO_SAY", "RECIPIENT_KINDS_LIST", "REFERRER_KINDS_LIST",
           "REQUIRABLE_FIELDS", "ROLES", "TOP_LEVEL", "DiversityQuestion", "Profile",
           "Retention"]

ROLES: tuple[str, ...] = ROLE_NAMES
KINDS: tuple[str, ...] = tuple(k.value for k in ServiceKind)
SEND, CENTRE = ServiceKind.SEND, ServiceKind.CONTACT_CENTRE
DEFAULT_ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {Role.ADVISER: "Adviser", Role.SUPERVISOR: "Supervisor", Role.ADMINISTRATOR: "Administrator"}
)
#: The code every diversity answer list must offer.
PREFER_NOT_TO_SAY = "PNS"
#: Fields a profile may make compulsory (REC5: everything else is optional).
REQUIRABLE_FIELDS = frozenset(
    {
        "parent_name",
        "parent_address",
        "parent_postcode",
        "parent_phone",
        "parent_email",
        "parent_relationship",
        "contact_method",
        "child_name",
        "child_dob",
        "child_gender",
        "child_school",
        "child_school_type",
        "child_year_group",
        "child_sen_need",
        "child_sen_provision",
        "topic",
        "channel",
        "outcome",
    }
)
#: The lists every profile uses for who disclosures go to and who refers families.
RECIPIENT_KINDS_LIST = "recipient-kinds"
REFERRER_KINDS_LIST = "referrer-kinds"
_QUESTION_KEY = re.compile(r"[a-z][a-z0-9_]*")


# --- readers and checks particular to profiles ---------------------------------------


class RoleNames:
    """``[role_names]``: what the service calls each role; the rest keep their
    default names."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        names = dict(default)
        given = table.table(key)
        if given is not None:
            given.only(ROLES, reading.top_level, what="role")
            for role in ROLES:
                names[role] = given.text(role, names[role]) or names[role]
        return MappingProxyType(names)

    def describe(self) -> str:
        return "a table: " + ", ".join(f"{role} = a name" for role in ROLES)


class Recipients:
    """``[safeguarding] recipients``: for a category named in ``categories``, the kinds
    of recipient (from the recipient-kinds list) its concerns may go to."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        where = table.table(key)
        if where is None or not where.data:
            return default
        kinds = code_list(where, "recipients", RECIPIENT_KINDS_LIST)
        categories = reading.values.get("override_categories") or frozenset()
        recipients: dict[str, frozenset[str]] = {}
        for category in where.data:
            if category not in categories:
                where.problem(category, f'"{category}" is not one of safeguarding.categories')
                continue
            codes = where.choices(category, sorted(kinds.codes()) if kinds else [],
                                  "recipient kind", [])
            if codes == []:
                where.problem(category, "must name at least one recipient kind")
            recipients[category] = frozenset(codes or [])
        return MappingProxyType(recipients)

    def describe(self) -> str:
        return "a table: category = a list of recipient kinds (the recipient-kinds list)"


class AskIf:
    """``ask_if = { question = "…", answer = "…" }``: an earlier question and one of
    its answer codes."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        if key not in table.data:
            return default
        condition = table.table(key)
        if condition is None:
            return None
        condition.only(("question", "answer"))
        earlier: tuple[DiversityQuestion, ...] = tuple(reading.earlier)
        question = condition.choice("question", [q.key for q in earlier], "earlier question")
        answer = condition.text("answer")
        if question is None or answer is None:
            return None
        answers = next(q.answers for q in earlier if q.key == question)
        if answer not in answers:
            condition.problem("answer", f'"{answer}" is not a code in list "{answers.key}"')
            return None
        return (question, answer)

    def describe(self) -> str:
        return "a table: question = an earlier question's key, answer = one of its codes"


def _profile_key(value: str | None, _: Checking) -> list[str]:
    if value is not None and not NAME.fullmatch(value):
        return [f"must be lower-case letters, digits and -, got {show(value)}"]
    return []


def _file_name(value: str | None, _: Checking) -> list[str]:
    if value is not None and Path(value).name != value:
        return [f"must be a file name, not a path, got {show(value)}"]
    return []


def _question_key(value: str | None, checking: Checking) -> list[str]:
    if value is None:
        return []
    if not _QUESTION_KEY.fullmatch(value):
        return [f"must be lower-case letters, digits and _, got {show(value)}"]
    if any(q.key == value for q in checking.earlier):
        return [f'"{value}" is already a question']
    return []


def _prefer_not_to_say(value: CodeList | None, _: Checking) -> list[str]:
    if value is not None and PREFER_NOT_TO_SAY not in value:
        return [f'list "{value.key}" has no "Prefer not to say" (code PNS)']
    return []


def _keeps_contact(value: frozenset[str] | None, _: Checking) -> list[str]:
    if value is not None and ConsentKind.KEEP_CONTACT not in value:
        return [f'must include "{ConsentKind.KEEP_CONTACT}" (REC3: the enquiry form asks for it)']
    return []


def _written_kinds(value: frozenset[str] | None, checking: Checking) -> list[str]:
    kinds = checking.values.get("consent_kinds")
    if value is None or kinds is None:
        return []
    return [f'"{item}" is not one of consent.kinds'
            for item in checking.data.get("written", []) if item not in kinds]


def _needs_register(value: bool | None, checking: Checking) -> list[str]:
    if value and not checking.values.get("attendance_register"):
        return ["needs attendance_register = true"]
    return []


def _combine_needed(value: str | None, checking: Checking) -> list[str]:
    both = (checking.values.get("max_years") is not None
            and checking.values.get("until_child_age") is not None)
    if both and value is None:
        return ['missing: say whether the "sooner" or the "later" of max_years and '
                "until_child_age applies"]
    return []


_PERIODS = ("max_years", "until_child_age", "unused_years")


def _period_or_unverified(value: bool | None, checking: Checking) -> list[str]:
    if not value and not any(period in checking.data for period in _PERIODS):
        return ["give max_years, until_child_age or unused_years, or mark the period "
                "unverified = true"]
    return []


# --- the declarations ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DiversityQuestion:
    """One ``[[diversity]]`` table (REC4), asked in the order written."""

    key: Annotated[str, rule(
        Text(), check=_question_key,
        doc="Lower-case letters, digits and _; each question once.")]
    prompt: Annotated[str, rule(Text(), doc="The question as the adviser reads it out.")]
    answers: Annotated[CodeList, rule(
        ListRef(), name="list", check=_prefer_not_to_say,
        doc="The answers; the list must include the code PNS.")]
    min_age: Annotated[int | None, rule(
        Whole(0, 120), default=None, doc="Ask only people this old or older.")]
    #: ``(question key, answer code)``: ask only after that earlier answer.
    ask_if: Annotated[tuple[str, str] | None, rule(
        AskIf(), default=None, doc="Ask only after that earlier answer.")]

    def asked(self, answers: Mapping[str, str], age: int | None = None) -> bool:
        """Whether to ask this question of someone of *age* (``None``:
        unknown, so asked) who has given *answers* (question key -> code)."""
        if self.min_age is not None and age is not None and age < self.min_age:
            return False
        return self.ask_if is None or answers.get(self.ask_if[0]) == self.ask_if[1]


@dataclass(frozen=True, kw_only=True)
class Retention:
    """RET1/RET2 values for the retention run (``[retention]``). ``unverified``: the
    policy gives no period, so the service must confirm one before anything is
    destroyed."""

    max_years: Annotated[int | None, rule(
        Whole(1, 100), default=None, doc="Kept this many years after the last contact.")]
    until_child_age: Annotated[int | None, rule(
        Whole(1, 30), default=None, doc="Or until the youngest child is this old.")]
    combine: Annotated[str | None, rule(
        OneOf(("sooner", "later"), "rule"), default=None, check=_combine_needed,
        doc="Needed with both of the above: whether the sooner or the later applies.")]
    unused_years: Annotated[int | None, rule(
        Whole(1, 100), default=None, doc="Records not used for this long.")]
    keep_accident_book: Annotated[bool, rule(
        Flag(), default=False, doc="RET2: the accident book is kept indefinitely.")]
    unverified: Annotated[bool, rule(
        Flag(), default=False, check=_period_or_unverified,
        doc="The policy gives no period: confirm one with the service before any "
            "retention run.")]
    notes: Annotated[str | None, rule(
        Text(), default=None, doc="Where the period comes from.")]


#: A profile with no ``[retention]`` table: no period yet, so it is unverified.
NO_RETENTION_TABLE = Retention(max_years=None, until_child_age=None, combine=None,
                               unused_years=None, keep_accident_book=False,
                               unverified=True, notes=None)


def _list(send: str, centre: str | None = None) -> Key:
    """A ``[lists]`` key: the list that supplies one picklist (the same for every
    kind of service, or one for each)."""
    doc = "The list that supplies this picklist."
    if centre is None:
        return rule(ListRef(), table="lists", default=send, doc=doc)
    return rule(ListRef(), table="lists", default_for={SEND: send, CENTRE: centre}, doc=doc)


@dataclass(frozen=True, eq=False, kw_only=True)  # compared by identity: loaded once, cached
class Profile:
    """One service's rules. Each field's type carries its :func:`rule`: where it is in
    the file, what it may hold, its default and what it is for."""

    # [service]: all four required
    key: Annotated[str, rule(
        Text(), table="service", check=_profile_key,
        doc="The profile's key, its file name: lower-case letters, digits and -.")]
    name: Annotated[str, rule(Text(), table="service", doc="The service's name.")]
    kind: Annotated[ServiceKind, rule(
        OneOf(KINDS, "kind", ServiceKind), table="service",
        doc="send: a SEND parent-support helpline; contact_centre: a child contact "
            "centre.")]
    policy_file: Annotated[str, rule(
        Text(), table="service", name="policy", check=_file_name,
        doc="The confidentiality policy it enforces (a file name in policies/).")]
    # top-level keys
    idle_lock_minutes: Annotated[int, rule(
        Whole(1, 15), default=5, doc="ACC5: the screen locks after this many idle minutes.")]
    dbs_visible_to: Annotated[frozenset[str], rule(
        SetOf(ROLES, "role", at_least_one=True), default=frozenset({Role.ADMINISTRATOR}),
        doc="ACC4: the roles shown DBS check details.")]
    child_max_age: Annotated[int, rule(
        Whole(0, 25), default_for={SEND: 25, CENTRE: 17},
        doc="REC2: the oldest child the service supports.")]
    general_enquiry_asks_child: Annotated[bool, rule(
        Flag(), default=False,
        doc="REC1: a general enquiry asks the child's name and date of birth.")]
    #: PRIV1: may a supervisor read an enquiry's notes through an audited, reasoned
    #: "supervision access"? False where notes are the supporter's alone (Northants).
    supervision_access_to_notes: Annotated[bool, rule(
        Flag(), default=True,
        doc="PRIV1: a supervisor may open notes through a reasoned, audited access.")]
    required_fields: Annotated[frozenset[str], rule(
        SetOf(tuple(sorted(REQUIRABLE_FIELDS)), "field"), default=frozenset(),
        doc="REC5: fields the enquiry form requires; none by default.")]
    # [lists]: which list supplies each picklist
    topics: Annotated[CodeList, _list("topics-send", "topics-contact-centre")]
    channels: Annotated[CodeList, _list("channels")]
    outcomes: Annotated[CodeList, _list("outcomes")]
    non_data_kinds: Annotated[CodeList, _list("non-data-kinds")]
    relationships: Annotated[CodeList, _list("relationships")]
    genders: Annotated[CodeList, _list("genders")]
    contact_methods: Annotated[CodeList, _list("contact-methods")]
    sen_needs: Annotated[CodeList, _list("sen-need")]
    sen_provision: Annotated[CodeList, _list("sen-provision")]
    school_types: Annotated[CodeList, _list("school-types")]
    year_groups: Annotated[CodeList, _list("year-groups")]
    role_names: Annotated[Mapping[str, str], rule(
        RoleNames(), default=DEFAULT_ROLE_NAMES, doc="What this service calls each role.")]
    diversity: Annotated[tuple[DiversityQuestion, ...], rule(
        Rows(DiversityQuestion), default=(),
        doc="REC4: the monitoring questions, asked in this order.")]
    # [consent]: CON1, CON3, CON6
    consent_kinds: Annotated[frozenset[str], rule(
        SetOf(CONSENT_KINDS, "consent kind"), table="consent", name="kinds",
        default_for={SEND: frozenset(CONSENT_KINDS),
                     CENTRE: frozenset({ConsentKind.KEEP_CONTACT, ConsentKind.SHARE})},
        check=_keeps_contact, doc="CON1: the consents this service records.")]
    written_consent: Annotated[frozenset[str], rule(
        SetOf(CONSENT_KINDS, "consent kind"), table="consent", name="written",
        default=frozenset(), check=_written_kinds,
        doc="CON3: the kinds that must be given in writing (Cornwall).")]
    consent_releases: Annotated[str, rule(
        OneOf(RELEASES, "release rule"), table="consent", name="releases",
        default_for={SEND: RELEASES_ANYTHING, CENTRE: RELEASES_CONTACT_DETAILS},
        doc="CON6: anything, or contact_details: a party's consent releases only their "
            "own address and telephone.")]
    # [disclosure]: CC1, CC2, REC9
    attendance_register: Annotated[bool, rule(
        Flag(), table="disclosure", default_for={SEND: False, CENTRE: True},
        doc="CC1: an attendance register is kept.")]
    attendance_to_referrers: Annotated[bool, rule(
        Flag(), table="disclosure", default_for={SEND: False, CENTRE: True},
        check=_needs_register, doc="CC1: attendance is released to the referring agency.")]
    refuse_family_proceedings_reports: Annotated[bool, rule(
        Flag(), table="disclosure", default_for={SEND: False, CENTRE: True},
        doc="CC2: no reports for family proceedings.")]
    agency_information_needs_request: Annotated[bool, rule(
        Flag(), table="disclosure", default=True,
        doc="REC9: information from other agencies only when the parent asked for it.")]
    # [referrals]: REC8
    hold_referrals_until_permission: Annotated[bool, rule(
        Flag(), table="referrals", name="hold_until_permission",
        default_for={SEND: True, CENTRE: False},
        doc="REC8: incoming referrals are held until the parent's permission is recorded.")]
    # [safeguarding]: SG1
    override_categories: Annotated[frozenset[str], rule(
        SetOf(OVERRIDE_CATEGORIES, "override category"), table="safeguarding",
        name="categories",
        default=frozenset({OverrideCategory.CHILD_AT_RISK, OverrideCategory.PHYSICAL_VIOLENCE}),
        doc="SG1: the concerns the policy lets override confidentiality.")]
    override_reviewers: Annotated[frozenset[str], rule(
        SetOf(ROLES, "role", at_least_one=True), table="safeguarding", name="reviewers",
        default=frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
        doc="SG1: the roles that review an override.")]
    override_recipients: Annotated[Mapping[str, frozenset[str]], rule(
        Recipients(), table="safeguarding", name="recipients",
        default=MappingProxyType({}), doc="SG1: where each category's concerns may go.")]
    # [retention]: RET1, RET2
    retention: Annotated[Retention, rule(
        Section(Retention), default=NO_RETENTION_TABLE,
        doc="RET1, RET2: how long records are kept; without this table the period is "
            "unverified.")]
    # not read from keys of their own
    source_file: str
    #: Who disclosures go to and who refers families (lists recipient-kinds and
    #: referrer-kinds); loaded with the profile.
    recipient_kinds: CodeList | None
    referrer_kinds: CodeList | None

    @property
    def is_contact_centre(self) -> bool:
        """A child contact centre (CC1–CC4 apply)."""
        return self.kind is ServiceKind.CONTACT_CENTRE

    @property
    def has_other_party(self) -> bool:
        """CON6: families have two parties (the parent and the other party, often a
        former partner), each with their own view, details and consents. Contact
        centres; every other service records one parent or carer."""
        return self.kind is ServiceKind.CONTACT_CENTRE

    def role_name(self, role: str) -> str:
        """What this service calls *role* ("supervisor" -> "Co-ordinator")."""
        return self.role_names[role]


#: The profile file's top-level keys, in order.
TOP_LEVEL: tuple[str, ...] = toml_keys(Profile)
#: ``[lists]`` keys (the Profile attribute names) and the list each defaults to.
LIST_DEFAULTS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    kind: MappingProxyType({name: spec.default_for_kind(kind)
                            for name, spec in declared(Profile) if spec.table == "lists"})
    for kind in KINDS
})
