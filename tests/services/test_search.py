"""REC6: a returning caller is found quickly by name, phone, postcode or child's
date of birth; ACC3: not by anyone without a recorded DBS check. Synthetic people
only; phone numbers from Ofcom's drama ranges."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from calllog.coderef import coded_reference
from calllog.db import Store
from calllog.errors import NotAllowed
from calllog.models import AuditEvent, Child, Family, Person, SearchKey
from calllog.roles import Actor
from calllog.services import search
from calllog.services.search import (
    FamilyMatch,
    Plan,
    candidate_query,
    choose_plan,
    family_keys,
    find_families,
    index_family,
    like_prefix,
    parse_query,
)
from tests.conftest import sign_in

BASE = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def add_family(
    store: Store,
    adviser: Actor,
    parents: Sequence[tuple[str | None, str | None, str | None]] = (),
    children: Sequence[tuple[str | None, date | None]] = (),
    *,
    days_ago: int = 0,
) -> int:
    """A family made directly with the ORM: parents are (name, E.164 phone, postcode),
    children (name, date of birth); then indexed as the services do."""
    with store.write() as session:
        first = children[0] if children else (None, None)
        family = Family(
            coded_ref=coded_reference(*first), created_by=adviser.id, contact_consent=True,
            last_contact_at=BASE - timedelta(days=days_ago),
        )
        session.add(family)
        session.flush()
        assert family.id is not None
        for name, phone, postcode in parents:
            session.add(Person(family_id=family.id, name=name, phone=phone, postcode=postcode))
        for name, dob in children:
            session.add(Child(family_id=family.id, name=name, dob=dob))
        index_family(session, family.id)
        return family.id


def ids(matches: list[FamilyMatch]) -> list[int]:
    return [m.family_id for m in matches]


@dataclass
class Families:
    smith: int  # Jane Smith, GU21 4XX, 07700 900123; Olivia Smith 04/03/2015
    smyth: int  # John Smyth, GU22 7XY, 01632 960001; Jack Smyth 05/03/2015, Zoë Smyth
    obrien: int  # Mary-Jane O'Brien, KT1 2AB; no children
    lucja: int  # Łucja Żak, RH1 1AA, +33 6 12 34 56 78


@pytest.fixture
def families(store: Store, adviser: Actor) -> Families:
    return Families(
        smith=add_family(
            store, adviser, [("Jane Smith", "+447700900123", "GU21 4XX")],
            [("Olivia Smith", date(2015, 3, 4))], days_ago=3,
        ),
        smyth=add_family(
            store, adviser, [("John Smyth", "+441632960001", "GU22 7XY")],
            [("Jack Smyth", date(2015, 3, 5)), ("Zoë Smyth", date(2019, 11, 30))], days_ago=2,
        ),
        obrien=add_family(store, adviser, [("Mary-Jane O'Brien", None, "KT1 2AB")], days_ago=1),
        lucja=add_family(store, adviser, [("Łucja Żak", "+33612345678", "RH1 1AA")]),
    )


def find(store: Store, actor: Actor, query: str, **kwargs: int) -> list[int]:
    return ids(find_families(store, actor, query, **kwargs))


# --- keys ------------------------------------------------------------------------


@dataclass(frozen=True)
class P:
    name: str | None
    phone: str | None
    postcode: str | None


@dataclass(frozen=True)
class C:
    name: str | None
    dob: date | None


def test_rec6_family_keys_is_pure_and_normalised() -> None:
    keys = family_keys(
        [P("Zoë  O'Neil-Smith", "+447700900123", "gu21 4xx"), P(None, "+33612345678", None)],
        [C("Olivia Smith", date(2015, 3, 4)), C(None, None)],
    )
    assert keys == [
        ("name", "zoe"), ("name", "o"), ("name", "neil"), ("name", "smith"),
        ("name", "oneilsmith"),
        ("phone", "7700900123"), ("phone", "07700900123"), ("postcode", "GU214XX"),
        ("phone", "33612345678"),
        ("name", "olivia"), ("dob", "2015-03-04"),
    ]


def test_rec6_family_without_details_has_no_keys() -> None:
    assert family_keys([P(None, None, None)], [C(None, None)]) == []


def test_rec6_index_family_replaces_keys(store: Store, adviser: Actor) -> None:
    family_id = add_family(store, adviser, [("Ann Baker", None, None)])
    with store.write() as session:
        person = session.exec(select(Person).where(Person.family_id == family_id)).one()
        person.name = "Ann Carter"
        session.add(person)
        index_family(session, family_id)
    with store.read() as session:
        keys = session.exec(select(SearchKey.key).where(SearchKey.family_id == family_id))
        assert sorted(keys) == ["ann", "carter"]
    assert find(store, adviser, "baker") == []
    assert find(store, adviser, "carter") == [family_id]


# --- what the adviser types ---------------------------------------------------------


@pytest.mark.parametrize(("typed", "parts"), [
    ("Smith", [("name", "smith")]),
    ("jane SMITH", [("name", "jane"), ("name", "smith")]),
    ("Zoë", [("name", "zoe")]),
    ("smith gu21", [("name", "smith"), ("postcode", "GU21")]),
    ("gu21 4", [("postcode", "GU214")]),
    ("GU21 4XX", [("postcode", "GU214XX")]),
    ("07700 900123", [("phone", "07700900123")]),
    ("+44 7700 900", [("phone", "7700900")]),
    ("+44 (0)7700 900123", [("phone", "7700900123")]),
    ("0044 7700", [("phone", "7700")]),
    ("0770", [("phone", "0770")]),
    ("077", []),  # fewer than 4 digits: not telling yet
    ("04/03/2015", [("dob", "2015-03-04")]),
    ("4.3.2015", [("dob", "2015-03-04")]),
    ("04/03/20", [("dob", "20??-03-04")]),
    ("04/03", [("dob", "????-03-04")]),
    ("04/1", []),  # 04/1x: the month is not finished
    ("04/", []),
    ("2015-03", [("dob", "2015-03")]),
    ("07700 900123 04/03/2015", [("phone", "07700900123"), ("dob", "2015-03-04")]),
    ("smith smith", [("name", "smith")]),
    ("sm%th", [("name", "sm"), ("name", "th")]),
    ("%_", []),
])
def test_rec6_parse_query(typed: str, parts: list[tuple[str, str]]) -> None:
    assert parse_query(typed) == parts


# --- finding -----------------------------------------------------------------------


@pytest.fixture(params=["auto", "walk", "walk-then-rest", "intersect", "drive"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every way of running a search gives the same answers."""
    chosen = search.choose_plan

    def forced(sizes: Sequence[int], families: int, limit: int) -> Plan:
        plan = chosen(sizes, families, limit)  # for the order of the parts
        if request.param == "walk":
            return Plan("walk", budget=families)
        if request.param == "walk-then-rest":  # walks one family, then the rest
            return Plan("walk", budget=1)
        return Plan(request.param, plan.order)

    if request.param != "auto":
        monkeypatch.setattr(search, "choose_plan", forced)
    yield request.param


def test_rec6_plan_suits_the_sizes() -> None:
    """Sizes as measured on 200k families (benchmarks/bench_search.py)."""
    assert choose_plan([20_000], 200_000, 8).how == "walk"  # "sm" (counted up to 20k)
    assert choose_plan([20_000, 20_000], 200_000, 8).how == "walk"  # "olivia smith"
    assert choose_plan([4_497, 9_835], 200_000, 8).how == "intersect"  # "jack taylor"
    assert choose_plan([5_571, 20_000], 200_000, 8).how == "walk"  # "jack t": t is huge
    plan = choose_plan([20_000, 44], 200_000, 8)  # "s 04/03/2015"
    assert (plan.how, plan.order) == ("drive", (1, 0))
    assert choose_plan([3], 200_000, 8).how == "intersect"  # a whole phone number
    walk = choose_plan([20_000], 200_000, 8)
    assert walk.budget == 3 * 80 + search.WALK_SLACK  # about 80 families expected


@pytest.mark.usefixtures("strategy")
def test_rec6_found_by_any_word_of_any_name(
    store: Store, adviser: Actor, families: Families
) -> None:
    assert find(store, adviser, "smith") == [families.smith]
    assert find(store, adviser, "Jane") == [families.obrien, families.smith]
    assert find(store, adviser, "olivia") == [families.smith]  # a child's name
    assert find(store, adviser, "oli") == [families.smith]  # a prefix
    assert find(store, adviser, "sm") == [families.smyth, families.smith]


@pytest.mark.usefixtures("strategy")
def test_rec6_names_found_without_accents_or_punctuation(
    store: Store, adviser: Actor, families: Families
) -> None:
    assert find(store, adviser, "zoe") == [families.smyth]
    assert find(store, adviser, "Zoë") == [families.smyth]
    assert find(store, adviser, "lucja zak") == [families.lucja]
    assert find(store, adviser, "Łucja Żak") == [families.lucja]
    assert find(store, adviser, "obrien") == [families.obrien]
    assert find(store, adviser, "O'Brien") == [families.obrien]
    assert find(store, adviser, "mary-jane") == [families.obrien]


@pytest.mark.usefixtures("strategy")
def test_rec6_found_by_phone_national_or_plus44(
    store: Store, adviser: Actor, families: Families
) -> None:
    for typed in ("07700 900123", "07700900", "0770", "+44 7700 900123", "+447700",
                  "0044 7700 900 123", "+44 (0)7700 900123"):
        assert find(store, adviser, typed) == [families.smith], typed
    assert find(store, adviser, "01632 960001") == [families.smyth]
    assert find(store, adviser, "+33 6 12 34") == [families.lucja]
    assert find(store, adviser, "07700 900124") == []


@pytest.mark.usefixtures("strategy")
def test_rec6_found_by_postcode_whole_or_begun(
    store: Store, adviser: Actor, families: Families
) -> None:
    for typed in ("GU21 4XX", "gu214xx", "GU21", "gu21 4", "GU21 4X"):
        assert find(store, adviser, typed) == [families.smith], typed
    assert find(store, adviser, "GU2") == [families.smyth, families.smith]
    assert find(store, adviser, "kt1") == [families.obrien]
    assert find(store, adviser, "GU21 4XY") == []


@pytest.mark.usefixtures("strategy")
def test_rec6_found_by_child_date_of_birth(
    store: Store, adviser: Actor, families: Families
) -> None:
    for typed in ("04/03/2015", "4/3/2015", "04.03.2015", "04-03-2015", "04/03/201",
                  "04/03/20", "04/03", "2015-03-04"):
        assert find(store, adviser, typed) == [families.smith], typed
    assert find(store, adviser, "30/11/2019") == [families.smyth]
    assert find(store, adviser, "2015-03") == [families.smyth, families.smith]
    assert find(store, adviser, "04/03/2016") == []
    assert find(store, adviser, "31/02/2015") == []  # no such date


@pytest.mark.usefixtures("strategy")
def test_rec6_every_word_must_match(store: Store, adviser: Actor, families: Families) -> None:
    assert find(store, adviser, "jane smith") == [families.smith]
    assert find(store, adviser, "smith jane") == [families.smith]
    assert find(store, adviser, "jane o'brien") == [families.obrien]
    assert find(store, adviser, "sm gu22") == [families.smyth]
    assert find(store, adviser, "smith gu22") == []
    assert find(store, adviser, "sm 05/03/2015") == [families.smyth]
    assert find(store, adviser, "jane 07700") == [families.smith]
    assert find(store, adviser, "jane nobody") == []


def test_rec6_like_wildcards_are_literal(
    store: Store, adviser: Actor, families: Families
) -> None:
    assert find(store, adviser, "sm_th") == []  # not Smith, not Smyth: no word "th…"
    assert find(store, adviser, "sm%th") == []
    for typed in ("%%", "__", "%_%", "\\%"):
        assert find(store, adviser, typed) == [], typed  # never "everyone"
    assert like_prefix("50%_a\\") == "50\\%\\_a\\\\%"


def test_rec6_short_query_finds_nothing(
    store: Store, adviser: Actor, families: Families
) -> None:
    for typed in ("", " ", "s", " j ", "0", "07", "04/"):
        assert find(store, adviser, typed) == [], typed


@pytest.mark.usefixtures("strategy")
def test_rec6_newest_contact_first_and_limit(store: Store, adviser: Actor) -> None:
    made = [add_family(store, adviser, [(f"Parent{n} Walker", None, None)], days_ago=n)
            for n in (5, 1, 9, 3, 7)]
    by_newest = [made[1], made[3], made[0], made[4], made[2]]
    assert find(store, adviser, "walker") == by_newest
    assert find(store, adviser, "walker", limit=2) == by_newest[:2]
    assert find(store, adviser, "walker", limit=0) == []


def test_rec6_hint_tells_families_apart_without_personal_details(
    store: Store, adviser: Actor, families: Families
) -> None:
    matches = {m.family_id: m for m in find_families(store, adviser, "jane")
               + find_families(store, adviser, "smyth")
               + find_families(store, adviser, "lucja")}
    smith = matches[families.smith]
    assert smith.coded_ref == "OS 04/03/2015"
    last = BASE - timedelta(days=3)
    assert smith.hint == f"1 child · GU21 · last contact {last.astimezone():%d/%m/%Y}"
    assert matches[families.smyth].hint.startswith("2 children · GU22 · ")
    assert matches[families.obrien].hint.startswith("no children · KT1 · ")
    assert matches[families.lucja].hint.startswith("no children · RH1 · ")
    for match in matches.values():
        shown = f"{match.coded_ref} {match.hint}".lower()
        for secret in ("jane", "smith", "smyth", "olivia", "brien", "lucja", "zak",
                       "4xx", "7xy", "2ab", "1aa", "7700", "900123", "1632", "612345"):
            assert secret not in shown, (secret, shown)


def test_rec6_search_is_not_audited(store: Store, adviser: Actor, families: Families) -> None:
    with store.read() as session:
        before = len(session.exec(select(AuditEvent.id)).all())
    assert find(store, adviser, "smith")
    with store.read() as session:
        assert len(session.exec(select(AuditEvent.id)).all()) == before


def test_acc3_no_dbs_check_no_search(store: Store, families: Families) -> None:
    newstarter = sign_in(store, "newstarter")
    with pytest.raises(NotAllowed, match="DBS"):
        find_families(store, newstarter, "smith")
    with pytest.raises(NotAllowed):
        find_families(store, newstarter, "")  # refused before anything else


@pytest.mark.parametrize("role", ["adviser", "supervisor", "admin"])
def test_acc3_staff_with_dbs_check_may_search(
    store: Store, families: Families, role: str
) -> None:
    assert find(store, sign_in(store, role), "smith") == [families.smith]


@pytest.mark.parametrize("typed", ["smith", "07700 9", "+44 7700", "gu21 4", "04/03/2015",
                                   "04/03/20", "2015-03"])
def test_rec6_search_uses_the_kind_key_index(store: Store, typed: str) -> None:
    """Each part is a range on ix_search_key_kind_key (LIKE 'prefix%' on the
    NOCASE column, or IN for a partly typed date), never a scan."""
    ((kind, key),) = parse_query(typed)
    stmt = candidate_query(kind, key)
    compiled = stmt.compile(store.engine, compile_kwargs={"render_postcompile": True})
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    with store.engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
    details = " | ".join(row[-1] for row in plan)
    assert "USING COVERING INDEX ix_search_key_kind_key (kind=? AND key" in details, details
    assert "SCAN" not in details, details


@pytest.mark.usefixtures("strategy")
@pytest.mark.parametrize("typed", ["sm", "jane smith", "smith gu21", "04/03/20 sm"])
def test_rec6_every_search_statement_uses_indexes(
    store: Store, adviser: Actor, families: Families, typed: str
) -> None:
    """Whatever the plan, no statement reads search_key, family, person or child
    from end to end: only index searches, and the walk follows last_contact_at."""
    seen: list[tuple[str, Sequence[object]]] = []

    def capture(_conn: object, _cursor: object, statement: str, parameters: Sequence[object],
                _context: object, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        find_families(store, adviser, typed)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    statements = [(sql, params) for sql, params in seen if sql.lstrip().startswith("SELECT")]
    assert any("search_key" in sql for sql, _ in statements)
    with store.engine.connect() as conn:
        for sql, params in statements:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params)).all()
            for detail in (row[-1] for row in plan):
                if detail.startswith("SCAN"):
                    allowed = ("ix_family_last_contact_at" in detail
                               or detail.startswith("SCAN anon_"))
                    assert allowed, (detail, sql)
