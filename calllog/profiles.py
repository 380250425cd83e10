"""Service profiles (``data/profiles/*.toml``) and the code lists they use
(``data/lists/*.toml``).

A profile is the data that makes one service's rules: its name and kind,
how soon the screen locks, who may see DBS details, the age range of the
children it supports, which lists supply each picklist, its diversity
monitoring questions and the role names it uses. Files are checked
strictly: every problem is reported as one line, ``<file>: <key>: <problem>``
(``cordomus-ccc.toml: idle_lock_minutes: must be between 1 and 15, got 30``),
where ``<key>`` is a dotted path and ``diversity[0]`` is the first
``[[diversity]]`` table. Unknown keys are problems too.

Profile layout (top-level keys must come before the first table)::

    idle_lock_minutes = 5                 # 1..15, default 5
    dbs_visible_to = ["administrator"]    # roles from ROLES, default shown
    child_max_age = 25                    # 0..25; default 25 (send), 17 (contact_centre)
    general_enquiry_asks_child = false    # default false
    supervision_access_to_notes = true    # PRIV1; default true
    required_fields = []                  # names from REQUIRABLE_FIELDS, default none

    [service]                             # all four required
    key = "surrey-pwp"
    name = "Partnership with Parents (PwP), Surrey"
    kind = "send"                         # or "contact_centre"
    policy = "001_55b8a39ea9fbb022.txt"   # the confidentiality policy it enforces

    [lists]                               # optional; defaults in LIST_DEFAULTS
    topics = "topics-send"

    [role_names]                          # optional; defaults in DEFAULT_ROLE_NAMES
    supervisor = "Co-ordinator"

    [[diversity]]                         # zero or more, asked in this order
    key = "ethnicity"
    prompt = "What is your ethnic group?"
    list = "ethnicity-ons-2021"           # must include the code PNS
    min_age = 16                          # optional: ask only people this old or older
    ask_if = { question = "disability", answer = "YES" }   # optional: an earlier answer

    [consent]                             # CON1, CON3, CON6; defaults by kind (below)
    kinds = ["keep_contact_details", "share_information"]  # from policy.CONSENT_KINDS
    written = ["contact_on_behalf"]       # kinds that must be in writing (Cornwall)
    releases = "anything"                 # or "contact_details": a party's consent
                                          # releases only their address and telephone

    [disclosure]                          # CC1, CC2, REC9
    attendance_register = false           # the attendance register is kept
    attendance_to_referrers = false       # CC1: released to the referring agency
    refuse_family_proceedings_reports = false   # CC2
    agency_information_needs_request = true     # REC9

    [referrals]                           # REC8
    hold_until_permission = true          # held until the parent's permission

    [safeguarding]                        # SG1
    categories = ["CHILD_AT_RISK", "PHYSICAL_VIOLENCE"]   # policy.OVERRIDE_CATEGORIES
    reviewers = ["supervisor", "administrator"]           # roles from ROLES
    recipients = { CHILD_AT_RISK = ["CHILDRENS_SERVICES", "POLICE"] }  # optional;
                                          # codes from the recipient-kinds list

    [retention]                           # RET1, RET2 (values for the retention run)
    max_years = 7                         # after the last contact
    until_child_age = 25                  # or until the youngest child is this old
    combine = "sooner"                    # "sooner" or "later"; needed with both above
    unused_years = 3                      # records not used for this long
    keep_accident_book = true             # RET2: kept indefinitely
    unverified = false                    # true: the policy gives no period; confirm
    notes = "..."                         # with the service before any retention run

Defaults for the five policy tables: a "send" service has every consent kind, none
written, releases anything, no attendance register, holds referrals, and the
CHILD_AT_RISK and PHYSICAL_VIOLENCE categories; a "contact_centre" keeps contact
details and shares a party's details only ("contact_details"), keeps an attendance
register released to referrers, refuses reports for family proceedings and does not
hold referrals. Retention defaults to ``unverified = true``.

List layout: a ``[list]`` table (``key`` = the file name without
``.toml``, ``title``, ``source``, optional ``unverified`` and ``notes``)
and one or more ``[[items]]`` (``code``: upper-case letters, digits and
``_``; ``label``; optional ``group`` and ``unverified``).

Both are parsed once and cached; a profile is re-read only when its file
changes.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from calllog.paths import lists_dir, profiles_dir
from calllog.policy import (
    CONSENT_KINDS,
    OVERRIDE_CATEGORIES,
    RELEASES,
    RELEASES_ANYTHING,
    RELEASES_CONTACT_DETAILS,
    ConsentKind,
    OverrideCategory,
)
from calllog.vocabulary import ServiceKind

__all__ = [
    "DEFAULT_ROLE_NAMES",
    "KINDS",
    "LIST_DEFAULTS",
    "PREFER_NOT_TO_SAY",
    "REQUIRABLE_FIELDS",
    "ROLES",
    "CodeList",
    "DiversityQuestion",
    "ListItem",
    "Profile",
    "ProfileError",
    "Retention",
    "available_lists",
    "available_profiles",
    "check_profile",
    "load_list",
    "load_profile",
    "service_name",
]

ROLES = ("adviser", "supervisor", "administrator")
KINDS: tuple[str, ...] = tuple(k.value for k in ServiceKind)
DEFAULT_ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {"adviser": "Adviser", "supervisor": "Supervisor", "administrator": "Administrator"}
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
#: ``[lists]`` keys (the Profile attribute names) and the list each defaults to.
LIST_DEFAULTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        kind: MappingProxyType(
            {
                "topics": ("topics-send" if kind == ServiceKind.SEND
                           else "topics-contact-centre"),
                "channels": "channels",
                "outcomes": "outcomes",
                "non_data_kinds": "non-data-kinds",
                "relationships": "relationships",
                "genders": "genders",
                "contact_methods": "contact-methods",
                "sen_needs": "sen-need",
                "sen_provision": "sen-provision",
                "school_types": "school-types",
                "year_groups": "year-groups",
            }
        )
        for kind in KINDS
    }
)
_CHILD_MAX_AGE: Mapping[str, int] = {ServiceKind.SEND: 25, ServiceKind.CONTACT_CENTRE: 17}
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_]*")
_QUESTION_KEY = re.compile(r"[a-z][a-z0-9_]*")


class ProfileError(Exception):
    """A profile or list file is unusable. ``str(error)`` is one line,
    ``<file>: <key>: <problem>``; ``problems`` holds every problem found."""

    def __init__(self, problem: str, *more: str) -> None:
        self.problems = (problem, *more)
        super().__init__(problem + (f" (and {len(more)} more)" if more else ""))


@dataclass(frozen=True)
class ListItem:
    code: str
    label: str
    group: str | None = None
    unverified: bool = False


@dataclass(frozen=True)
class CodeList:
    key: str
    title: str
    items: tuple[ListItem, ...]
    source: str = ""
    unverified: bool = False
    notes: str | None = None
    _by_code: Mapping[str, ListItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> ListItem | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """The label for *code*; a code that is not in the list (an old
        record after the list changed) is returned unchanged."""
        item = self._by_code.get(code)
        return item.label if item is not None else code

    def codes(self) -> set[str]:
        return set(self._by_code)


@dataclass(frozen=True)
class DiversityQuestion:
    key: str
    prompt: str
    answers: CodeList
    min_age: int | None = None
    #: ``(question key, answer code)``: ask only after that earlier answer.
    ask_if: tuple[str, str] | None = None

    def asked(self, answers: Mapping[str, str], age: int | None = None) -> bool:
        """Whether to ask this question of someone of *age* (``None``:
        unknown, so asked) who has given *answers* (question key -> code)."""
        if self.min_age is not None and age is not None and age < self.min_age:
            return False
        return self.ask_if is None or answers.get(self.ask_if[0]) == self.ask_if[1]


@dataclass(frozen=True)
class Retention:
    """RET1/RET2 values for the retention run. ``unverified``: the policy gives no
    period, so the service must confirm one before anything is destroyed."""

    max_years: int | None = None
    until_child_age: int | None = None
    combine: str | None = None  # "sooner" | "later" when both of the above are given
    unused_years: int | None = None
    keep_accident_book: bool = False
    unverified: bool = True
    notes: str | None = None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: loaded once, cached
class Profile:
    key: str
    name: str
    kind: ServiceKind
    policy_file: str
    idle_lock_minutes: int
    dbs_visible_to: frozenset[str]
    child_max_age: int
    general_enquiry_asks_child: bool
    #: PRIV1: may a supervisor read an enquiry's notes through an audited, reasoned
    #: "supervision access"? False where notes are the supporter's alone (Northants).
    supervision_access_to_notes: bool
    topics: CodeList
    channels: CodeList
    outcomes: CodeList
    non_data_kinds: CodeList
    relationships: CodeList
    genders: CodeList
    contact_methods: CodeList
    sen_needs: CodeList
    sen_provision: CodeList
    school_types: CodeList
    year_groups: CodeList
    diversity: tuple[DiversityQuestion, ...]
    required_fields: frozenset[str]
    role_names: Mapping[str, str]
    source_file: str
    #: CON1: the consents this service records; CON3: those that must be written.
    consent_kinds: frozenset[str] = frozenset(CONSENT_KINDS)
    written_consent: frozenset[str] = frozenset()
    #: CON6: "anything", or "contact_details" (a party's own address and telephone).
    consent_releases: str = RELEASES_ANYTHING
    #: CC1: an attendance register is kept, and released to the referring agency.
    attendance_register: bool = False
    attendance_to_referrers: bool = False
    #: CC2: no reports for family proceedings.
    refuse_family_proceedings_reports: bool = False
    #: REC9: information from other agencies only when the parent asked for it.
    agency_information_needs_request: bool = True
    #: REC8: incoming referrals held until the parent's permission is recorded.
    hold_referrals_until_permission: bool = True
    #: SG1: the override categories the policy names, where each may go, who reviews.
    override_categories: frozenset[str] = frozenset(
        {OverrideCategory.CHILD_AT_RISK, OverrideCategory.PHYSICAL_VIOLENCE})
    override_recipients: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}))
    override_reviewers: frozenset[str] = frozenset({"supervisor", "administrator"})
    retention: Retention = field(default_factory=Retention)
    #: Who disclosures go to and who refers families (lists recipient-kinds and
    #: referrer-kinds); loaded with the profile.
    recipient_kinds: CodeList | None = None
    referrer_kinds: CodeList | None = None

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


# --- reading TOML -------------------------------------------------------------

_T = TypeVar("_T")
_MISSING = object()


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class _Table:
    """Typed access to one TOML table, recording problems as it goes."""

    def __init__(
        self, problems: list[str], file: str, data: Mapping[str, Any], path: str = ""
    ) -> None:
        self.problems, self.file, self.data, self.path = problems, file, data, path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.file}: {self.where(key)}: {text}")

    def only(
        self, allowed: Iterable[str], top_level: Iterable[str] = (), what: str = "key"
    ) -> None:
        """Report keys not in *allowed*; *top_level* keys found here were
        most likely written below a table header by mistake."""
        allowed = tuple(allowed)
        for key in self.data:
            if key in allowed:
                continue
            if key in top_level:
                self.problem(
                    key, f"unknown {what} (top-level keys must come before the first table)"
                )
            else:
                self.problem(key, f"unknown {what}; expected one of {', '.join(allowed)}")

    def _get(self, key: str, default: object, check: Callable[[Any], bool], kind: str) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.problem(key, "missing")
                return None
            return default
        if not check(value):
            self.problem(key, f"must be {kind}, got {_show(value)}")
            return None
        return value

    def text(self, key: str, default: object = _MISSING) -> str | None:
        value: str | None = self._get(
            key, default, lambda v: isinstance(v, str) and v.strip() != "", "non-empty text"
        )
        return value

    def flag(self, key: str, default: bool) -> bool | None:
        value: bool | None = self._get(key, default, lambda v: isinstance(v, bool), "true or false")
        return value

    def number(self, key: str, default: object, low: int, high: int) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if value is _MISSING:
            self.problem(key, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, got {_show(value)}")
            return None
        if not low <= value <= high:
            self.problem(key, f"must be between {low} and {high}, got {value}")
            return None
        return value

    def choice(
        self, key: str, choices: Collection[str], what: str, default: object = _MISSING
    ) -> str | None:
        value = self.text(key, default)
        if value is not None and value not in choices:
            self.problem(key, f'unknown {what} "{value}"')
            return None
        return value

    def choices(
        self, key: str, choices: Collection[str], what: str, default: list[str]
    ) -> list[str] | None:
        value: list[Any] | None = self._get(
            key, default, lambda v: isinstance(v, list), f"a list of {what}s"
        )
        if value is None:
            return None
        good = True
        for item in value:
            if not isinstance(item, str) or item not in choices:
                self.problem(key, f"unknown {what} {_show(item)}")
                good = False
        return value if good else None

    def table(self, key: str) -> _Table | None:
        value: Mapping[str, Any] | None = self._get(
            key, {}, lambda v: isinstance(v, dict), "a table"
        )
        return None if value is None else _Table(self.problems, self.file, value, self.where(key))

    def tables(self, key: str) -> list[_Table] | None:
        value: list[Any] | None = self._get(
            key,
            [],
            lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v),
            "an array of tables ([[" + key + "]])",
        )
        if value is None:
            return None
        return [
            _Table(self.problems, self.file, t, f"{self.where(key)}[{i}]")
            for i, t in enumerate(value)
        ]


_TOML_POSITION = re.compile(
    r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


def _file_problem(path: Path, error: OSError) -> ProfileError:
    if isinstance(error, FileNotFoundError):
        return ProfileError(f"{path.name}: file: not found ({path})")
    return ProfileError(f"{path.name}: file: cannot be read ({error.strerror})")


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse *path*, or raise ProfileError naming the file and position."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise _file_problem(path, error) from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path.name}: file: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        text = str(error)
        match = _TOML_POSITION.match(text)
        if match is None:
            where, message = "file", text
        elif match["line"]:
            where, message = f"line {match['line']}, column {match['col']}", match["message"]
        else:
            where, message = "end of file", match["message"]
        raise ProfileError(f"{path.name}: {where}: not valid TOML: {message}") from None


# --- lists --------------------------------------------------------------------


def available_lists() -> list[str]:
    """Keys of the shipped code lists, sorted."""
    return sorted(path.stem for path in lists_dir().glob("*.toml"))


def _list_exists(key: str) -> bool:
    return _NAME.fullmatch(key) is not None and (lists_dir() / f"{key}.toml").is_file()


@cache
def load_list(key: str) -> CodeList:
    """The code list ``data/lists/<key>.toml``, checked and cached."""
    if not _list_exists(key):
        raise ProfileError(f"{key}.toml: list: no such list in {lists_dir()}")
    path = lists_dir() / f"{key}.toml"
    problems: list[str] = []
    top = _Table(problems, path.name, _read_toml(path))
    top.only(("list", "items"))
    title = source = notes = unverified = None
    header = top.table("list")
    if header is not None:
        header.only(("key", "title", "source", "unverified", "notes"), ("items",))
        list_key = header.text("key")
        if list_key is not None and list_key != key:
            header.problem("key", f'must be "{key}" (the file name), got "{list_key}"')
        title, source = header.text("title"), header.text("source")
        unverified, notes = header.flag("unverified", False), header.text("notes", None)
    items: list[ListItem] = []
    rows = top.tables("items")
    if rows is not None and not rows:
        top.problem("items", "the list has no [[items]]")
    for row in rows or []:
        row.only(("code", "label", "group", "unverified"))
        code, label = row.text("code"), row.text("label")
        group, item_unverified = row.text("group", None), row.flag("unverified", False)
        if code is not None and not _CODE.fullmatch(code):
            row.problem("code", f"must be upper-case letters, digits and _, got {_show(code)}")
        elif code is not None and any(item.code == code for item in items):
            row.problem("code", f'"{code}" is already in the list')
        elif code is not None and label is not None and item_unverified is not None:
            items.append(ListItem(code, label, group, item_unverified))
    if problems:
        raise ProfileError(*problems)
    return CodeList(key, _known(title), tuple(items), _known(source), _known(unverified), notes)


# --- profiles -----------------------------------------------------------------


def available_profiles() -> list[str]:
    """Keys of the shipped profiles, sorted."""
    return sorted(path.stem for path in profiles_dir().glob("*.toml"))


def _resolve(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    if isinstance(name_or_path, Path) or path.suffix == ".toml" or path.name != name_or_path:
        return path
    if not _NAME.fullmatch(name_or_path):
        raise ProfileError(f"{name_or_path}: profile: not a profile name or a .toml file")
    path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(available_profiles())
        raise ProfileError(f"{path.name}: profile: no such profile; shipped: {known}")
    return path


def service_name(name_or_path: str | Path) -> str:
    """Just the service's name, cheaply (one small file, no lists, no checks): for
    the login screen before the profile is loaded in full. Empty if unreadable."""
    try:
        service = _read_toml(_resolve(name_or_path)).get("service", {})
    except (ProfileError, OSError):
        return ""
    name = service.get("name") if isinstance(service, dict) else None
    return name if isinstance(name, str) else ""


def _code_list(table: _Table, key: str, list_key: str | None) -> CodeList | None:
    if list_key is None:
        return None
    if not _list_exists(list_key):
        table.problem(key, f'unknown list "{list_key}"')
        return None
    try:
        return load_list(list_key)
    except ProfileError as error:
        table.problems.extend(error.problems)
        return None


def _diversity(top: _Table) -> tuple[DiversityQuestion, ...]:
    questions: list[DiversityQuestion] = []
    for row in top.tables("diversity") or []:
        row.only(("key", "prompt", "list", "min_age", "ask_if"), _TOP_LEVEL)
        key, prompt = row.text("key"), row.text("prompt")
        answers = _code_list(row, "list", row.text("list"))
        min_age = row.number("min_age", None, 0, 120)
        if key is not None and not _QUESTION_KEY.fullmatch(key):
            row.problem("key", f"must be lower-case letters, digits and _, got {_show(key)}")
            key = None
        elif key is not None and any(q.key == key for q in questions):
            row.problem("key", f'"{key}" is already a question')
            key = None
        if answers is not None and PREFER_NOT_TO_SAY not in answers:
            row.problem("list", f'list "{answers.key}" has no "Prefer not to say" (code PNS)')
            answers = None
        ask_if = _ask_if(row, questions) if "ask_if" in row.data else None
        if key is not None and prompt is not None and answers is not None:
            questions.append(DiversityQuestion(key, prompt, answers, min_age, ask_if))
    return tuple(questions)


def _ask_if(row: _Table, earlier: list[DiversityQuestion]) -> tuple[str, str] | None:
    condition = row.table("ask_if")
    if condition is None:
        return None
    condition.only(("question", "answer"))
    question = condition.choice("question", [q.key for q in earlier], "earlier question")
    answer = condition.text("answer")
    if question is None or answer is None:
        return None
    answers = next(q.answers for q in earlier if q.key == question)
    if answer not in answers:
        condition.problem("answer", f'"{answer}" is not a code in list "{answers.key}"')
        return None
    return (question, answer)


_TOP_LEVEL = (
    "service",
    "idle_lock_minutes",
    "dbs_visible_to",
    "child_max_age",
    "general_enquiry_asks_child",
    "supervision_access_to_notes",
    "required_fields",
    "lists",
    "role_names",
    "diversity",
    "consent",
    "disclosure",
    "referrals",
    "safeguarding",
    "retention",
)
RECIPIENT_KINDS_LIST = "recipient-kinds"
REFERRER_KINDS_LIST = "referrer-kinds"


@dataclass
class _Rules:
    """The consent, disclosure, referral, safeguarding and retention tables, read."""

    consent_kinds: frozenset[str] = frozenset()
    written_consent: frozenset[str] = frozenset()
    consent_releases: str = RELEASES_ANYTHING
    attendance_register: bool = False
    attendance_to_referrers: bool = False
    refuse_family_proceedings_reports: bool = False
    agency_information_needs_request: bool = True
    hold_referrals_until_permission: bool = True
    override_categories: frozenset[str] = frozenset()
    override_recipients: Mapping[str, frozenset[str]] = field(default_factory=dict)
    override_reviewers: frozenset[str] = frozenset()
    retention: Retention = field(default_factory=Retention)


def _rule_defaults(kind: str) -> dict[str, Any]:
    centre = kind == ServiceKind.CONTACT_CENTRE
    return {
        "kinds": ([ConsentKind.KEEP_CONTACT.value, ConsentKind.SHARE.value] if centre
                  else list(CONSENT_KINDS)),
        "releases": RELEASES_CONTACT_DETAILS if centre else RELEASES_ANYTHING,
        "attendance_register": centre,
        "attendance_to_referrers": centre,
        "refuse_family_proceedings_reports": centre,
        "hold_until_permission": not centre,
        "categories": [OverrideCategory.CHILD_AT_RISK.value,
                       OverrideCategory.PHYSICAL_VIOLENCE.value],
    }


def _rules(top: _Table, kind: str) -> _Rules:
    defaults = _rule_defaults(kind)
    rules = _Rules()
    consent = top.table("consent")
    if consent is not None:
        consent.only(("kinds", "written", "releases"), _TOP_LEVEL)
        kinds = consent.choices("kinds", CONSENT_KINDS, "consent kind", defaults["kinds"])
        written = consent.choices("written", CONSENT_KINDS, "consent kind", [])
        releases = consent.choice("releases", RELEASES, "release rule", defaults["releases"])
        if kinds is not None:
            rules.consent_kinds = frozenset(kinds)
            if ConsentKind.KEEP_CONTACT not in kinds:
                consent.problem("kinds", f'must include "{ConsentKind.KEEP_CONTACT}" '
                                "(REC3: the enquiry form asks for it)")
            for item in written or []:
                if item not in kinds:
                    consent.problem("written", f'"{item}" is not one of consent.kinds')
        rules.written_consent = frozenset(written or [])
        rules.consent_releases = releases or RELEASES_ANYTHING
    disclosure = top.table("disclosure")
    if disclosure is not None:
        flags = ("attendance_register", "attendance_to_referrers",
                 "refuse_family_proceedings_reports", "agency_information_needs_request")
        disclosure.only(flags, _TOP_LEVEL)
        register = disclosure.flag("attendance_register", defaults["attendance_register"])
        to_referrers = disclosure.flag("attendance_to_referrers",
                                       defaults["attendance_to_referrers"])
        if to_referrers and not register:
            disclosure.problem("attendance_to_referrers",
                               "needs attendance_register = true")
        rules.attendance_register = bool(register)
        rules.attendance_to_referrers = bool(to_referrers)
        rules.refuse_family_proceedings_reports = bool(disclosure.flag(
            "refuse_family_proceedings_reports",
            defaults["refuse_family_proceedings_reports"]))
        rules.agency_information_needs_request = bool(disclosure.flag(
            "agency_information_needs_request", True))
    referrals = top.table("referrals")
    if referrals is not None:
        referrals.only(("hold_until_permission",), _TOP_LEVEL)
        rules.hold_referrals_until_permission = bool(referrals.flag(
            "hold_until_permission", defaults["hold_until_permission"]))
    _safeguarding(top, defaults, rules)
    rules.retention = _retention(top)
    return rules


def _safeguarding(top: _Table, defaults: Mapping[str, Any], rules: _Rules) -> None:
    table = top.table("safeguarding")
    if table is None:
        return
    table.only(("categories", "reviewers", "recipients"), _TOP_LEVEL)
    categories = table.choices("categories", OVERRIDE_CATEGORIES, "override category",
                               defaults["categories"])
    reviewers = table.choices("reviewers", ROLES, "role", ["supervisor", "administrator"])
    if reviewers == []:
        table.problem("reviewers", "must name at least one role")
    rules.override_categories = frozenset(categories or [])
    rules.override_reviewers = frozenset(reviewers or [])
    where = table.table("recipients")
    if where is None or not where.data:
        return
    kinds = _code_list(where, "recipients", RECIPIENT_KINDS_LIST)
    recipients: dict[str, frozenset[str]] = {}
    for category in where.data:
        if category not in (categories or []):
            where.problem(category, f'"{category}" is not one of safeguarding.categories')
            continue
        codes = where.choices(category, sorted(kinds.codes()) if kinds else [],
                              "recipient kind", [])
        if codes == []:
            where.problem(category, "must name at least one recipient kind")
        recipients[category] = frozenset(codes or [])
    rules.override_recipients = MappingProxyType(recipients)


def _retention(top: _Table) -> Retention:
    table = top.table("retention")
    if table is None or not table.data:
        return Retention()
    table.only(("max_years", "until_child_age", "combine", "unused_years",
                "keep_accident_book", "unverified", "notes"), _TOP_LEVEL)
    max_years = table.number("max_years", None, 1, 100)
    child_age = table.number("until_child_age", None, 1, 30)
    combine = table.choice("combine", ("sooner", "later"), "rule", None)
    unused = table.number("unused_years", None, 1, 100)
    accident = table.flag("keep_accident_book", False)
    unverified = table.flag("unverified", False)
    notes = table.text("notes", None)
    if max_years is not None and child_age is not None and combine is None:
        table.problem("combine", 'missing: say whether the "sooner" or the "later" of '
                      "max_years and until_child_age applies")
    periods = ("max_years", "until_child_age", "unused_years")
    if not unverified and not any(key in table.data for key in periods):
        table.problem("unverified", "give max_years, until_child_age or unused_years, "
                      "or mark the period unverified = true")
    return Retention(max_years, child_age, combine, unused, bool(accident), bool(unverified),
                     notes)


def _parse_profile(path: Path) -> tuple[Profile | None, list[str]]:
    try:
        data = _read_toml(path)
    except ProfileError as error:
        return None, list(error.problems)
    problems: list[str] = []
    top = _Table(problems, path.name, data)
    top.only(_TOP_LEVEL)
    key = name = kind = policy = None
    service = top.table("service")
    if service is not None:
        service.only(("key", "name", "kind", "policy"), _TOP_LEVEL)
        key, name = service.text("key"), service.text("name")
        kind, policy = service.choice("kind", KINDS, "kind"), service.text("policy")
        if key is not None and not _NAME.fullmatch(key):
            service.problem("key", f"must be lower-case letters, digits and -, got {_show(key)}")
        if policy is not None and Path(policy).name != policy:
            service.problem("policy", f"must be a file name, not a path, got {_show(policy)}")
    idle = top.number("idle_lock_minutes", 5, 1, 15)
    dbs = top.choices("dbs_visible_to", ROLES, "role", ["administrator"])
    if dbs == []:
        top.problem("dbs_visible_to", "must name at least one role")
    max_age = top.number("child_max_age", _CHILD_MAX_AGE[kind or "send"], 0, 25)
    asks_child = top.flag("general_enquiry_asks_child", False)
    supervision = top.flag("supervision_access_to_notes", True)
    required = top.choices("required_fields", sorted(REQUIRABLE_FIELDS), "field", [])

    defaults = LIST_DEFAULTS[kind or "send"]
    lists: dict[str, CodeList | None] = {}
    lists_table = top.table("lists")
    if lists_table is not None:
        lists_table.only(defaults, _TOP_LEVEL)
        for attribute, default in defaults.items():
            list_key = lists_table.text(attribute, default)
            lists[attribute] = _code_list(lists_table, attribute, list_key)

    role_names = dict(DEFAULT_ROLE_NAMES)
    names_table = top.table("role_names")
    if names_table is not None:
        names_table.only(ROLES, _TOP_LEVEL, what="role")
        for role in ROLES:
            role_names[role] = names_table.text(role, role_names[role]) or role_names[role]

    diversity = _diversity(top)
    rules = _rules(top, kind or "send")
    recipient_kinds = _code_list(top, "safeguarding", RECIPIENT_KINDS_LIST)
    referrer_kinds = _code_list(top, "referrals", REFERRER_KINDS_LIST)
    if problems:
        return None, problems

    def code_list(attribute: str) -> CodeList:
        return _known(lists[attribute])

    profile = Profile(
        key=_known(key),
        name=_known(name),
        kind=ServiceKind(_known(kind)),
        policy_file=_known(policy),
        idle_lock_minutes=_known(idle),
        dbs_visible_to=frozenset(_known(dbs)),
        child_max_age=_known(max_age),
        general_enquiry_asks_child=_known(asks_child),
        supervision_access_to_notes=_known(supervision),
        topics=code_list("topics"),
        channels=code_list("channels"),
        outcomes=code_list("outcomes"),
        non_data_kinds=code_list("non_data_kinds"),
        relationships=code_list("relationships"),
        genders=code_list("genders"),
        contact_methods=code_list("contact_methods"),
        sen_needs=code_list("sen_needs"),
        sen_provision=code_list("sen_provision"),
        school_types=code_list("school_types"),
        year_groups=code_list("year_groups"),
        diversity=diversity,
        required_fields=frozenset(_known(required)),
        role_names=MappingProxyType(role_names),
        source_file=str(path),
        consent_kinds=rules.consent_kinds,
        written_consent=rules.written_consent,
        consent_releases=rules.consent_releases,
        attendance_register=rules.attendance_register,
        attendance_to_referrers=rules.attendance_to_referrers,
        refuse_family_proceedings_reports=rules.refuse_family_proceedings_reports,
        agency_information_needs_request=rules.agency_information_needs_request,
        hold_referrals_until_permission=rules.hold_referrals_until_permission,
        override_categories=rules.override_categories,
        override_recipients=MappingProxyType(dict(rules.override_recipients)),
        override_reviewers=rules.override_reviewers,
        retention=rules.retention,
        recipient_kinds=recipient_kinds,
        referrer_kinds=referrer_kinds,
    )
    return profile, []


def _known(value: _T | None) -> _T:
    """A value that was checked: with no problems recorded it is never None."""
    assert value is not None
    return value


@lru_cache(maxsize=32)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Profile:
    profile, problems = _parse_profile(path)
    if profile is None:
        raise ProfileError(*problems)
    return profile


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by key (``"surrey-pwp"``) or any profile file by
    path. Raises ProfileError with a one-line message naming the file, key
    and problem. Cached until the file changes."""
    path = _resolve(name_or_path).resolve()
    try:
        stat = path.stat()
    except OSError as error:
        raise _file_problem(path, error) from None
    return _load_cached(path, stat.st_mtime_ns, stat.st_size)


def check_profile(path: str | Path) -> list[str]:
    """Every problem in a profile (by path or shipped key), one line each;
    ``[]`` when it is fine."""
    try:
        resolved = _resolve(path).resolve()
    except ProfileError as error:
        return list(error.problems)
    return _parse_profile(resolved)[1]
