"""Finding a returning caller (REC6) by name, phone, postcode or child's date of birth.

Every family has rows in ``search_key`` (kind, normalised key, family id), made
by :func:`family_keys` and kept current by :func:`index_family`. A search turns
what the adviser typed into parts (:func:`parse_query`); each part is a prefix
range on the ``(kind, key, family_id)`` index, a family must match every part,
and the newest families (by last contact) come first.

Speed (DESIGN, "things already learned"): ``key LIKE 'abc%'`` on a
``COLLATE NOCASE`` column is an index range on SQLite; ``ilike`` is not. A short
prefix ("sm") can match tens of thousands of families, and reading and sorting
all of them to show eight is what makes a naive query slow (30-70 ms at 200k
families). So each part's index entries are first counted (index-only, cheap,
up to :data:`COUNT_CAP`), and :func:`choose_plan` picks the cheapest of:

* **walk**: go through the families newest first (the ``last_contact_at``
  index), checking each against the parts through the ``search_key.family_id``
  index; best when matches are common ("sm": eight within a few dozen
  families). The walk stops after about three times the families it expected
  to need; if the parts rarely meet after all, the older families are searched
  by one of the other two ways;
* **intersect**: intersect the parts' index ranges in SQL and sort what is
  left; best when every part is moderately small ("jack taylor");
* **drive**: take the smallest part's families and check each against the
  other parts; best when one part is tiny and another huge ("04/03/2015 s").

Searching is not audited: a match shows a coded reference and a hint (number of
children, postcode district, last contact), never a name, a phone number or an
address. Opening the family record is audited by the service that opens it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from calllog import policy
from calllog.clock import today as local_today
from calllog.db import Store
from calllog.models import Child, Family, Person, Referral, SearchKey
from calllog.roles import Actor
from calllog.services.guard import require_unaudited
from calllog.text import clean_text
from calllog.validation import format_date
from calllog.vocabulary import Party, ReferralStatus

__all__ = [
    "MIN_QUERY_LENGTH",
    "FamilyMatch",
    "Plan",
    "candidate_query",
    "choose_plan",
    "family_keys",
    "find_families",
    "fold",
    "index_family",
    "like_prefix",
    "name_keys",
    "parse_query",
    "phone_keys",
    "postcode_key",
]

KINDS = ("name", "phone", "postcode", "dob")
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 120  # a longer paste is cut here
MAX_PARTS = 6  # words beyond these are not searched for
MAX_LIMIT = 100
KEY_LENGTH = 64  # search_key.key is VARCHAR(64)
#: How far back a partly typed date of birth ("04/03/20") looks for the year.
DOB_YEARS_BACK = 100


# --- keys ------------------------------------------------------------------------

# Latin letters that NFKD does not decompose into a base letter and an accent.
_EXTRA_FOLDS = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H",
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
    "ð": "d", "Ð": "D", "ı": "i",
})
_LETTERS = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Lower-case *text* with accents removed, so "Zoë Łukasz" and "zoe lukasz"
    give the same keys. Letters of other scripts are kept (lower-cased)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_keys(name: str | None) -> list[str]:
    """Every word of a name, letters only, folded: "Mary-Jane O'Brien" ->
    mary, jane, maryjane, o, brien, obrien (a hyphenated or apostrophised word
    is also kept whole, so "obrien" finds O'Brien)."""
    keys: list[str] = []
    for token in clean_text(name or "").split():
        parts = _LETTERS.findall(fold(token))
        keys.extend(parts)
        if len(parts) > 1:
            keys.append("".join(parts))
    return [key[:KEY_LENGTH] for key in keys]


def phone_keys(phone: str | None) -> list[str]:
    """A UK number (stored as E.164, +447700900123) gives its national
    significant number and its national form: 7700900123 and 07700900123, so
    both "+44 7700…" and "07700…" find it. Another country's number gives its
    digits with the country code (+33 6… -> 336…)."""
    text = clean_text(phone or "")
    digits = re.sub(r"\D", "", text)
    if not digits:
        return []
    if text.startswith("+") or digits.startswith("00"):
        international = digits[2:] if digits.startswith("00") else digits
        if not international.startswith("44"):
            return [international[:KEY_LENGTH]]
        national = international[2:].removeprefix("0")  # "+44 (0)7700 …"
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return [digits[:KEY_LENGTH]]
    return [national, "0" + national] if national else []


def postcode_key(postcode: str | None) -> str | None:
    """"GU21 4XX" -> "GU214XX" (upper case, letters and digits only)."""
    key = re.sub(r"[^A-Z0-9]", "", clean_text(postcode or "").upper())
    return key[:KEY_LENGTH] or None


class PersonKeys(Protocol):
    """What :func:`family_keys` reads of a parent or carer (a Person row will do)."""

    @property
    def name(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def postcode(self) -> str | None: ...


class ChildKeys(Protocol):
    """What :func:`family_keys` reads of a child (a Child row will do)."""

    @property
    def name(self) -> str | None: ...
    @property
    def dob(self) -> date | None: ...


def family_keys(
    persons: Iterable[PersonKeys], children: Iterable[ChildKeys]
) -> list[tuple[str, str]]:
    """The (kind, key) pairs a family is found by, each once, in a stable order:
    "name" for every word of every name, "phone" (see :func:`phone_keys`),
    "postcode" without its space, "dob" as an ISO date. Pure: the bulk
    generator and :func:`index_family` share it."""
    keys: dict[tuple[str, str], None] = {}
    for person in persons:
        for word in name_keys(person.name):
            keys["name", word] = None
        for number in phone_keys(person.phone):
            keys["phone", number] = None
        if (code := postcode_key(person.postcode)) is not None:
            keys["postcode", code] = None
    for child in children:
        for word in name_keys(child.name):
            keys["name", word] = None
        if child.dob is not None:
            keys["dob", child.dob.isoformat()] = None
    return list(keys)


def index_family(session: Session, family_id: int) -> None:
    """Recompute the family's search keys from its Person and Child rows, inside
    the caller's write session (so the keys change with the details)."""
    session.flush()
    persons = session.exec(select(Person).where(Person.family_id == family_id)).all()
    children = session.exec(select(Child).where(Child.family_id == family_id)).all()
    conn = session.connection()
    conn.execute(sa.delete(SearchKey).where(col(SearchKey.family_id) == family_id))
    rows = [{"family_id": family_id, "kind": kind, "key": key}
            for kind, key in family_keys(persons, children)]
    if rows:
        conn.execute(sa.insert(SearchKey), rows)


# --- understanding what was typed --------------------------------------------------

_QUERY = re.compile(
    r"""
    (?P<iso>(?<!\d)\d{4}-(?:\d{2}(?:-\d{0,2})?)?(?!\d))              # 2015-03-04, 2015-03
    | (?P<date>(?<!\d)(?P<day>\d{1,2})(?P<sep>[/.-])                  # 04/03/2015, 4.3.15 …
        (?P<month>\d{0,2})(?P<msep>(?P=sep)(?P<year>\d{0,4}))?(?!\d))
    | (?P<postcode>[a-z]{1,2}\d[a-z\d]?(?:\ ?\d[a-z]{0,2})?(?![a-z\d]))  # GU21 4XX, gu21 4
    | (?P<phone>(?:\+|\(?0)\d*(?:[\s()-]+\d+(?![\d/.]))*)             # 07700 900123, +44 …
    | (?P<word>[^\W\d_]+)                                            # smith, zoë
    | (?P<number>\d+)                                                # 12: not telling yet
    """,
    re.VERBOSE,
)
_MIN_PHONE_DIGITS = 4


def _dob_pattern(day: str, month: str, month_done: bool, year: str | None) -> str | None:
    """ "04", "03", then "20" -> "20??-03-04"; None while the month is unfinished
    ("04/1" could still become 04/10, 04/11 or 04/12)."""
    if not month or (len(month) == 1 and month in "01" and not month_done):
        return None
    year = (year or "")[:4]
    return f"{year}{'?' * (4 - len(year))}-{int(month):02d}-{int(day):02d}"


def _phone_part(run: str) -> str | None:
    digits = re.sub(r"\D", "", run)
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    if run.startswith("+") or digits.startswith("00"):
        international = digits[2:] if digits.startswith("00") else digits
        if international.startswith("44"):
            return international[2:].removeprefix("0") or None
        return international
    return digits


def parse_query(text: str) -> list[tuple[str, str]]:
    """What the adviser typed, as (kind, key prefix) parts that must all match.

    * a date, DD/MM/YYYY (also D/M/YYYY, ``.`` or ``-``), even partly typed:
      ("dob", "2015-03-04"); digits of the year not yet typed are ``?``
      ("04/03/20" -> "20??-03-04"); ISO "2015-03" is a plain prefix;
    * a phone number starting 0 or + with at least 4 digits: ("phone", digits),
      +44 numbers as their national significant number ("+44 7700" -> "7700");
    * a postcode, whole or begun ("gu21", "GU21 4"): ("postcode", "GU214");
    * any other word: ("name", folded letters), one part per word.

    Parts not yet telling (a lone "0", "04/", stray digits or punctuation) are
    left out; repeated parts once; at most :data:`MAX_PARTS`. ``%`` and ``_``
    never reach a pattern.
    """
    parts: dict[tuple[str, str], None] = {}
    for match in _QUERY.finditer(fold(clean_text(text, max_length=MAX_QUERY_LENGTH))):
        part: tuple[str, str] | None = None
        if match["iso"]:
            part = ("dob", match["iso"])
        elif match["date"]:
            month_done = match["msep"] is not None
            pattern = _dob_pattern(match["day"], match["month"], month_done, match["year"])
            part = ("dob", pattern) if pattern else None
        elif match["postcode"]:
            part = ("postcode", match["postcode"].replace(" ", "").upper())
        elif match["phone"]:
            number = _phone_part(match["phone"])
            part = ("phone", number) if number else None
        elif match["word"]:
            part = ("name", match["word"])
        if part is not None:
            parts[part[0], part[1][:KEY_LENGTH]] = None
    return list(parts)[:MAX_PARTS]


# --- searching ---------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyMatch:
    """One family a search found: enough to tell families apart, nothing more."""

    family_id: int
    coded_ref: str
    hint: str  # "2 children · GU21 · last contact 03/11/2026"


def like_prefix(text: str) -> str:
    """A LIKE pattern matching values that start with *text* taken literally
    (``\\`` is the escape character)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _dob_keys(pattern: str, today: date) -> list[str]:
    """The real dates a "20??-03-04" pattern can be, newest year first."""
    year, month, day = pattern.split("-")
    keys = []
    for candidate in range(today.year, today.year - DOB_YEARS_BACK - 1, -1):
        digits = str(candidate)
        if all(want in ("?", got) for want, got in zip(year, digits, strict=True)):
            try:
                keys.append(date(candidate, int(month), int(day)).isoformat())
            except ValueError:
                continue
    return keys


def _condition(kind: str, key: str, today: date) -> sa.ColumnElement[bool]:
    """The WHERE clause on search_key for one part: an index range either way."""
    kind_is = col(SearchKey.kind) == kind
    if kind == "dob" and "?" in key:
        return sa.and_(kind_is, col(SearchKey.key).in_(_dob_keys(key, today)))
    return sa.and_(kind_is, col(SearchKey.key).like(like_prefix(key), escape="\\"))


def candidate_query(kind: str, key: str, *, today: date | None = None) -> sa.Select[Any]:
    """The index-only query for one part: the ids of the families it matches
    (a family may appear more than once)."""
    return sa.select(col(SearchKey.family_id)).where(
        _condition(kind, key, today or local_today())
    )


def _count_upto(conn: Connection, where: sa.ColumnElement[bool], cap: int) -> int:
    """How many index entries a part matches, counting no further than *cap*
    (index-only: about 0.05 µs an entry)."""
    inner = sa.select(sa.literal(1).label("one")).select_from(SearchKey).where(where)
    stmt = sa.select(sa.func.count()).select_from(inner.limit(cap).subquery())
    return int(conn.execute(stmt).scalar_one())


# What each step costs, in microseconds, measured on 200k families and 1.7M keys
# (benchmarks/bench_search.py, 2 cores); only their ratios matter.
COST_EXISTS = 4.5  # one family checked against one part through search_key.family_id
COST_BUILD = 0.4  # one index entry put into a temporary b-tree (IN list, INTERSECT)
COST_PROBE = 0.25  # one index entry looked up in such a b-tree (INTERSECT)
COST_FETCH = 0.65  # one candidate family read and sorted
COUNT_CAP = 20_000  # parts are counted up to this many entries (under a millisecond)
WALK_SLACK = 64  # families walked beyond the expected number before giving up


@dataclass(frozen=True)
class Plan:
    """How to run one search (see the module docstring)."""

    how: str  # "walk" | "intersect" | "drive"
    order: tuple[int, ...] = ()  # the parts, smallest first (drive: the first drives)
    budget: int = 0  # walk: how many of the newest families to walk at most


def choose_plan(
    sizes: Sequence[int], families: int, limit: int, cap: int | None = None
) -> Plan:
    """The cheapest way to find the *limit* newest families matching parts of
    these *sizes* (index entries each, counted up to *cap*: a part counted to the
    cap may be as large as there are families), assuming independent parts."""
    cap = COUNT_CAP if cap is None else cap
    n = len(sizes)
    fewest = list(sizes)  # at least this many
    most = [max(size, families) if size >= cap else size for size in sizes]  # at most
    expected = float(families)
    for size in fewest:
        expected *= min(1.0, size / max(families, 1))
    walked = limit * families / max(expected, 1.0)
    order = tuple(sorted(range(n), key=lambda i: most[i]))
    smallest = most[order[0]]
    costs = {
        "walk": walked * COST_EXISTS * (1 + 0.25 * (n - 1)),
        "intersect": smallest * COST_BUILD + (sum(most) - smallest) * COST_PROBE
        + expected * COST_FETCH,
    }
    if n > 1:
        costs["drive"] = smallest * (
            COST_BUILD + COST_FETCH + COST_EXISTS * (1 + 0.25 * (n - 2)))
    how = min(costs, key=lambda k: costs[k])
    return Plan(how, order, budget=min(families, int(3 * walked) + WALK_SLACK))


def _in_part(where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return col(Family.id).in_(sa.select(col(SearchKey.family_id)).where(where))


def _has(where: sa.ColumnElement[bool]) -> sa.Exists:
    """The family (of the outer query) has a key matching *where*: looked up
    through the search_key.family_id index, a few rows per family."""
    return sa.exists().where(col(SearchKey.family_id) == col(Family.id), where)


_NEWEST = (col(Family.last_contact_at).desc(), col(Family.id).desc())
# REC8: a family held until the parent's permission for a referral is recorded is never
# found (an index search on ix_referral_family_status per candidate family).
_NOT_HELD = ~sa.exists().where(col(Referral.family_id) == col(Family.id),
                               col(Referral.status) == ReferralStatus.HELD)
_FAMILY_COLUMNS = (col(Family.id), col(Family.coded_ref), col(Family.last_contact_at))
_FamilyRow = tuple[int, str, datetime]


def _families(conn: Connection, stmt: sa.Executable) -> list[_FamilyRow]:
    return [(int(id_), str(ref), last) for id_, ref, last in conn.execute(stmt)]


def _candidates(
    wheres: Sequence[sa.ColumnElement[bool]], plan: Plan
) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses on family for intersect (the families in every part: an
    SQL INTERSECT of index ranges, smallest first) or drive (the smallest part's
    families, each checked against the others)."""
    ordered = [wheres[i] for i in plan.order or range(len(wheres))]
    if plan.how == "drive" or len(ordered) == 1:
        return [_in_part(ordered[0]), *(_has(w) for w in ordered[1:])]
    both = sa.intersect(*(sa.select(col(SearchKey.family_id)).where(w) for w in ordered))
    return [col(Family.id).in_(both)]


def _search(
    conn: Connection, parts: Sequence[tuple[str, str]], limit: int, today: date
) -> list[_FamilyRow]:
    wheres = [_condition(kind, key, today) for kind, key in parts]
    n = len(wheres)
    sizes = [_count_upto(conn, where, COUNT_CAP) for where in wheres]
    if 0 in sizes:
        return []
    # max(id) is free and near enough the number of families for estimating.
    families = conn.execute(sa.select(sa.func.max(col(Family.id)))).scalar_one() or 0
    plan = choose_plan(sizes, families, limit)
    if plan.how != "walk":
        stmt = sa.select(*_FAMILY_COLUMNS).where(*_candidates(wheres, plan), _NOT_HELD)
        return _families(conn, stmt.order_by(*_NEWEST).limit(limit))
    # Walk the newest families in order (the last_contact_at index), checking each
    # against every part, but no further than the budget: if the parts rarely meet,
    # the older families are searched the other way.
    cutoff = conn.execute(
        sa.select(col(Family.last_contact_at)).order_by(*_NEWEST).offset(plan.budget).limit(1)
    ).scalar_one_or_none()
    walk = sa.select(*_FAMILY_COLUMNS).where(*(_has(wheres[i]) for i in plan.order or range(n)),
                                             _NOT_HELD)
    if cutoff is not None:
        walk = walk.where(col(Family.last_contact_at) >= cutoff)
    found = _families(conn, walk.order_by(*_NEWEST).limit(limit))
    if len(found) >= limit or cutoff is None:
        return found
    rest_plan = choose_plan(sizes, families, limit)
    if rest_plan.how == "walk":
        rest_plan = Plan("intersect", rest_plan.order)
    rest = (sa.select(*_FAMILY_COLUMNS)
            .where(*_candidates(wheres, rest_plan), col(Family.last_contact_at) < cutoff,
                   _NOT_HELD)
            .order_by(*_NEWEST).limit(limit - len(found)))
    return found + _families(conn, rest)


def _outward(postcode: str) -> str:
    """The postcode district only: "GU21 4XX" -> "GU21" (never the whole postcode)."""
    words = postcode.upper().split()
    if len(words) > 1:
        return words[0]
    return words[0][:-3] if words and len(words[0]) > 4 else ""


def _hints(conn: Connection, rows: Sequence[_FamilyRow]) -> list[FamilyMatch]:
    ids = [row[0] for row in rows]
    children = dict(conn.execute(
        sa.select(col(Child.family_id), sa.func.count())
        .where(col(Child.family_id).in_(ids)).group_by(col(Child.family_id))
    ).all())
    postcodes: dict[int, str] = {}
    for family_id, postcode in conn.execute(
        sa.select(col(Person.family_id), col(Person.postcode))
        .where(col(Person.family_id).in_(ids), col(Person.party) == Party.PARENT,
               col(Person.postcode).is_not(None))
        .order_by(col(Person.id))
    ):
        postcodes.setdefault(family_id, _outward(postcode or ""))
    matches = []
    for family_id, coded_ref, last_contact_at in rows:
        count = children.get(family_id, 0)
        bits = [
            "no children" if count == 0 else "1 child" if count == 1 else f"{count} children"
        ]
        if postcodes.get(family_id):
            bits.append(postcodes[family_id])
        bits.append(f"last contact {format_date(_local_date(last_contact_at))}")
        matches.append(FamilyMatch(family_id, coded_ref, " · ".join(bits)))
    return matches


def _local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def find_families(store: Store, actor: Actor, text: str, *, limit: int = 8) -> list[FamilyMatch]:
    """REC6: the families matching everything typed, newest contact first.

    ACC3: refused (NotAllowed) to anyone without a recorded DBS check. Fewer
    than two characters, or nothing searchable yet, finds nothing. Not audited:
    the matches carry a coded reference and a hint, no personal details.
    """
    # Not audited: this refusal names no family (nothing is found or shown), and the
    # enquiry form asks as the caller's name is typed, at every pause, so an adviser
    # without a DBS check would leave an audit row per pause. Opening or making a
    # family record is refused with an audit row (guard.require_family_access).
    require_unaudited(policy.may_find_families(actor))
    if len(clean_text(text)) < MIN_QUERY_LENGTH or limit < 1:
        return []
    parts = parse_query(text)
    if not parts:
        return []
    with store.read() as session:
        conn = session.connection()
        rows = _search(conn, parts, min(limit, MAX_LIMIT), local_today())
        return _hints(conn, rows) if rows else []
