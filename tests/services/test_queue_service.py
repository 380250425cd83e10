"""OPS2 and PRIV2 at the service layer: the queue's order, every filter and sort
against a reference implementation, keyset pages that never read the whole table,
and assign / callback / close, each audited in the same transaction."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from calllog import audit, policy
from calllog.clock import today as local_today
from calllog.db import Store
from calllog.errors import InvalidInput, NotAllowed
from calllog.models import AuditEvent, Enquiry, Family, Staff
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor
from calllog.services import queue
from calllog.services.queue import (
    UNASSIGNED,
    Callback,
    Cursor,
    Priority,
    QueueFilter,
    QueueQuery,
    QueueReader,
    SortKey,
)
from calllog.services.queue import plan as queue_plan
from calllog.services.queue import sql as queue_sql
from tests.conftest import sign_in
from tests.queuefixtures import (
    Row,
    add_enquiry,
    add_family,
    add_second_adviser,
    flag_family,
    random_queue,
)

TODAY = local_today()


@pytest.fixture
def surrey() -> Profile:
    return load_profile("surrey-pwp")


def _all(reader: QueueReader, limit: int = 7) -> list[int]:
    """Every row of the query, page after page."""
    ids: list[int] = []
    cursor: Cursor | None = None
    for _ in range(10_000):
        page = reader.page(cursor, limit=limit)
        assert len(page.rows) <= limit
        ids.extend(r.id for r in page.rows)
        if page.end is None:
            return ids
        cursor = page.end
    raise AssertionError("the pages never ended")


# --- the order the supervisor sees --------------------------------------------------------


def test_ops2_priority_safeguarding_then_overdue_today_unassigned_rest(
    store: Store, supervisor: Actor, adviser: Actor, surrey: Profile
) -> None:
    a = adviser.id
    rest = add_enquiry(store, recorded_by=a, assigned_to=a)
    unassigned = add_enquiry(store, recorded_by=a)
    today = add_enquiry(store, recorded_by=a, assigned_to=a, follow_up_due=TODAY)
    overdue_1 = add_enquiry(store, recorded_by=a, assigned_to=a,
                            follow_up_due=TODAY - timedelta(days=1))
    overdue_5 = add_enquiry(store, recorded_by=a, assigned_to=a,
                            follow_up_due=TODAY - timedelta(days=5))
    later = add_enquiry(store, recorded_by=a, assigned_to=a,
                        follow_up_due=TODAY + timedelta(days=3))
    flagged_family = add_family(store, supporter_id=a, created_by=a)
    flagged = add_enquiry(store, recorded_by=a, family_id=flagged_family, assigned_to=a)
    reviewed_family = add_family(store, supporter_id=a, created_by=a)
    flag_family(store, reviewed_family, supervisor.id, reviewed_by=supervisor.id)
    reviewed = add_enquiry(store, recorded_by=a, family_id=reviewed_family, assigned_to=a)
    add_enquiry(store, recorded_by=a, status="closed", outcome="INFO")
    flag_family(store, flagged_family, a)
    page = QueueReader(store, supervisor, surrey, QueueQuery()).page()
    assert [r.id for r in page.rows] == [
        flagged, overdue_5, overdue_1, today, unassigned, later, rest, reviewed]
    assert [r.priority for r in page.rows[:5]] == [
        Priority.SAFEGUARDING, Priority.OVERDUE, Priority.OVERDUE, Priority.TODAY,
        Priority.UNASSIGNED]
    assert page.end is None


def _matches(row: Row, flt: QueueFilter, today: date) -> bool:
    if flt.status != "all" and row.status != flt.status:
        return False
    if flt.adviser_id is not None:
        wanted = None if flt.adviser_id == UNASSIGNED else flt.adviser_id
        if row.assigned_to != wanted:
            return False
    if flt.topic and flt.topic not in row.topics:
        return False
    if flt.channel and row.channel != flt.channel:
        return False
    day = row.started_at.astimezone().date()
    if flt.started_from and day < flt.started_from:
        return False
    if flt.started_to and day > flt.started_to:
        return False
    due = row.follow_up_due
    if flt.callback is Callback.DUE:
        return due is not None and due <= today
    if flt.callback is Callback.OVERDUE:
        return due is not None and due < today
    if flt.callback is Callback.TODAY:
        return due == today
    if flt.callback is Callback.SCHEDULED:
        return due is not None
    return True


def reference_order(rows: list[Row], query: QueueQuery, flagged: set[int], today: date,
                    staff: list[tuple[int, str]], profile: Profile) -> list[int]:
    """The queue's order, written out plainly (the service reads it from indexes)."""
    rows = [r for r in rows if _matches(r, query.filter, today)]

    def started(r: Row) -> tuple[object, ...]:
        return (r.started_at, r.id)

    def due(r: Row) -> tuple[object, ...]:
        return (r.follow_up_due, r.started_at, r.id)

    pinned = sorted((r for r in rows if r.status == "open" and r.family_id in flagged),
                    key=started)
    rest = [r for r in rows if r not in pinned]
    desc = query.descending
    groups: list[list[Row]] = []
    if query.sort is SortKey.PRIORITY:
        live = [r for r in rest if r.status == "open"]
        groups = [
            sorted((r for r in live if r.follow_up_due and r.follow_up_due < today), key=due),
            sorted((r for r in live if r.follow_up_due == today), key=due),
            sorted((r for r in live if r.assigned_to is None
                    and (r.follow_up_due is None or r.follow_up_due > today)), key=started),
            sorted((r for r in live if r.assigned_to is not None and r.follow_up_due
                    and r.follow_up_due > today), key=due),
            sorted((r for r in live if r.assigned_to is not None
                    and r.follow_up_due is None), key=started),
            sorted((r for r in rest if r.status == "closed"), key=started, reverse=True),
        ]
    elif query.sort is SortKey.STARTED:
        groups = [sorted(rest, key=started, reverse=desc)]
    elif query.sort is SortKey.DUE:
        groups = [sorted((r for r in rest if r.follow_up_due), key=due, reverse=desc),
                  sorted((r for r in rest if not r.follow_up_due), key=started, reverse=desc)]
    elif query.sort is SortKey.REF:
        groups = [sorted((r for r in rest if r.family_id),
                         key=lambda r: (r.coded_ref, r.family_id, r.id), reverse=desc),
                  sorted((r for r in rest if not r.family_id), key=started, reverse=desc)]
    elif query.sort is SortKey.STATUS:
        for status in (["closed", "open"] if desc else ["open", "closed"]):
            groups.append(sorted((r for r in rest if r.status == status), key=started))
    elif query.sort is SortKey.ADVISER:
        people = sorted(staff, key=lambda s: (s[1].casefold(), s[0]), reverse=desc)
        for who in [p[0] for p in people] + [None]:
            for status in ("open", "closed"):
                groups.append(sorted((r for r in rest if r.assigned_to == who
                                      and r.status == status), key=started))
    elif query.sort is SortKey.CHANNEL:
        codes = sorted(profile.channels.codes(),
                       key=lambda c: (profile.channels.label(c).casefold(), c), reverse=desc)
        for code in codes:
            for status in ("open", "closed"):
                groups.append(sorted((r for r in rest if r.channel == code
                                      and r.status == status), key=started))
    return [r.id for r in pinned] + [r.id for group in groups for r in group]


Dataset = tuple[Store, list[Row], set[int], list[tuple[int, str]]]


@pytest.fixture(scope="module")
def random_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dataset]:
    """One synthetic queue for the read-only matrix tests below (built once)."""
    from calllog import passwords
    from calllog.demo import ensure_demo
    from tests.conftest import TEST_HASHER

    old = passwords.use_hasher(TEST_HASHER)
    path = tmp_path_factory.mktemp("queue") / "queue.sqlite3"
    store = Store(f"sqlite:///{path}")
    ensure_demo(store)
    bea = add_second_adviser(store)
    adviser, supervisor = sign_in(store, "adviser"), sign_in(store, "supervisor")
    staff_ids = [adviser.id, bea.id, supervisor.id]
    surrey = load_profile("surrey-pwp")
    rows, flagged = random_queue(
        store, random.Random(5), staff_ids=staff_ids, n=160, today=TODAY,
        channels=sorted(surrey.channels.codes()), topics=["TRIBUNAL", "EXCLUSION", "OTHER"])
    staff = [(s.id, s.display_name) for s in (adviser, bea, supervisor, sign_in(store, "admin"),
                                              sign_in(store, "newstarter"))]
    passwords.use_hasher(old)
    yield store, rows, flagged, staff
    store.close()


def _supervisor(store: Store) -> Actor:
    """The demo supervisor, without signing in (argon2) for every case."""
    from calllog.roles import Role

    actor = Actor(3, "supervisor", "Sam Supervisor", Role.SUPERVISOR, True)
    with store.read() as session:
        staff = session.get(Staff, actor.id)
    assert staff is not None and staff.username == actor.username
    return actor


SORTS = [(sort, desc) for sort in SortKey for desc in (False, True)
         if not (sort is SortKey.PRIORITY and desc)]


@pytest.mark.parametrize("status", ["open", "closed", "all"])
@pytest.mark.parametrize(("sort", "desc"), SORTS)
def test_ops2_every_sort_matches_reference_order_across_pages(
    random_store: Dataset, surrey: Profile, status: str, sort: SortKey, desc: bool,
) -> None:
    store, rows, flagged, staff = random_store
    query = QueueQuery(QueueFilter(status=status), sort, desc)
    reader = QueueReader(store, _supervisor(store), surrey, query)
    expected = reference_order(rows, query, flagged, TODAY, staff, surrey)
    assert _all(reader) == expected
    assert _all(reader, limit=500) == expected  # one page or many: the same rows


ADVISER_ID = 2  # the demo adviser (admin 1, adviser 2, supervisor 3, newstarter 4)
WEEK_AGO = TODAY - timedelta(days=7)
FILTERS = [
    QueueFilter(adviser_id=ADVISER_ID),
    QueueFilter(adviser_id=UNASSIGNED),
    QueueFilter(adviser_id=ADVISER_ID, status="all"),
    QueueFilter(topic="TRIBUNAL"),
    QueueFilter(topic="OTHER", status="all"),
    QueueFilter(channel="EMAIL"),
    QueueFilter(channel="PHONE", status="closed"),
    QueueFilter(started_from=date(2026, 11, 10)),
    QueueFilter(started_to=date(2026, 11, 20), status="all"),
    QueueFilter(started_from=date(2026, 11, 5), started_to=date(2026, 11, 25)),
    *[QueueFilter(callback=c) for c in Callback],
    QueueFilter(callback=Callback.DUE, adviser_id=ADVISER_ID),
    QueueFilter(callback=Callback.SCHEDULED, status="all", topic="EXCLUSION"),
    QueueFilter(adviser_id=UNASSIGNED, channel="PHONE", started_from=WEEK_AGO),
]


@pytest.mark.parametrize("flt", FILTERS, ids=[
    "_".join(f"{k}={v}" for k, v in vars(f).items() if v not in (None, "open")) or "none"
    for f in FILTERS])
@pytest.mark.parametrize("sort", [SortKey.PRIORITY, SortKey.ADVISER, SortKey.DUE,
                                  SortKey.REF])
@pytest.mark.parametrize("drive_cap", [0, 10**9])
def test_ops2_each_filter_matches_reference(
    random_store: Dataset, surrey: Profile, monkeypatch: pytest.MonkeyPatch,
    flt: QueueFilter, sort: SortKey,
    drive_cap: int,
) -> None:
    """Every filter, walking each segment's index or driven by the narrow filter's."""
    monkeypatch.setattr(queue_plan, "DRIVE_CAP", drive_cap)
    store, rows, flagged, staff = random_store
    assert staff[0] == (ADVISER_ID, "Ash Adviser")
    query = QueueQuery(flt, sort)
    reader = QueueReader(store, _supervisor(store), surrey, query)
    assert _all(reader) == reference_order(rows, query, flagged, TODAY, staff, surrey)
    assert reader.count() == sum(1 for r in rows if _matches(r, flt, TODAY))


def test_ops2_queue_reads_pages_never_the_table(store: Store, supervisor: Actor,
                                                surrey: Profile) -> None:
    """Every statement the queue runs against the enquiries is LIMITed to a page."""
    for n in range(30):
        add_enquiry(store, recorded_by=supervisor.id, follow_up_due=TODAY if n % 2 else None)
    statements: list[str] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    for sort in SortKey:
        reader = QueueReader(store, supervisor, surrey,
                             QueueQuery(QueueFilter(status="all"), sort))
        page = reader.page(limit=10)
        reader.page(page.end, limit=10)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")
             and re.search(r"FROM (family CROSS JOIN )?enquiry\b", s) and "count(" not in s]
    assert reads and all("LIMIT" in s for s in reads), [s for s in reads if "LIMIT" not in s]


def test_ops2_advisers_read_only_their_own_work(store: Store, adviser: Actor,
                                                surrey: Profile) -> None:
    bea = add_second_adviser(store)
    mine = add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id)
    add_enquiry(store, recorded_by=bea.id, assigned_to=bea.id)
    add_enquiry(store, recorded_by=bea.id)
    reader = QueueReader(store, adviser, surrey, QueueQuery())
    assert [r.id for r in reader.page().rows] == [mine]
    assert not policy.may_view_queue(adviser)


def test_ops2_work_summary(store: Store, adviser: Actor) -> None:
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id,
                follow_up_due=TODAY - timedelta(days=2))
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id, follow_up_due=TODAY)
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id)
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id, status="closed")
    summary = queue.work_summary(store, adviser)
    assert (summary.open, summary.overdue, summary.due_today) == (3, 1, 1)


def test_ops2_filter_problems_refused(store: Store, supervisor: Actor, surrey: Profile) -> None:
    for flt, words in [(QueueFilter(status="pending"), "Status"),
                       (QueueFilter(started_from=TODAY, started_to=TODAY - timedelta(days=1)),
                        "after"),
                       (QueueFilter(channel="CARRIER_PIGEON"), "channels"),
                       (QueueFilter(topic="NOPE"), "topics")]:
        with pytest.raises(InvalidInput, match=words):
            QueueReader(store, supervisor, surrey, QueueQuery(flt))


# --- PRIV2: coded references, names only for the owner ------------------------------------


def test_priv2_supervisor_sees_coded_refs_owner_sees_names(
    store: Store, adviser: Actor, supervisor: Actor, surrey: Profile
) -> None:
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id,
                        parent_name="Robin Testparent", child_name="Alex Testchild")
    enquiry = add_enquiry(store, recorded_by=adviser.id, family_id=family,
                          assigned_to=adviser.id)
    for viewer, name in [(supervisor, None), (adviser, "Robin Testparent")]:
        (row,) = QueueReader(store, viewer, surrey, QueueQuery()).page().rows
        assert row.id == enquiry and row.coded_ref == "AT 04/03/2015" and row.name == name
    queue.assign(store, supervisor, enquiry, bea.id, make_supporter=False)
    (row,) = QueueReader(store, bea, surrey, QueueQuery()).page().rows
    assert row.name == "Robin Testparent"  # the assigned adviser owns the enquiry
    (row,) = QueueReader(store, supervisor, surrey, QueueQuery()).page().rows
    assert row.name is None


# --- assign, callback, close --------------------------------------------------------------


def _audit(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


def test_ops2_assign_audited_and_makes_supporter_when_none(
    store: Store, adviser: Actor, supervisor: Actor
) -> None:
    family = add_family(store, supporter_id=None, created_by=adviser.id)
    enquiry = add_enquiry(store, recorded_by=adviser.id, family_id=family)
    queue.assign(store, supervisor, enquiry, adviser.id)
    with store.read() as session:
        assert session.get(Enquiry, enquiry).assigned_to == adviser.id  # type: ignore[union-attr]
        assert session.get(Family, family).supporter_id == adviser.id  # type: ignore[union-attr]
    assigned, supporter = _audit(store)[-2:]
    assert (assigned.action, assigned.entity, assigned.entity_id, assigned.reason) == (
        "enquiry_assigned", "enquiry", enquiry, f"staff {adviser.id}")
    assert (supporter.action, supporter.entity_id) == ("family_supporter_changed", family)
    assert assigned.actor_id == supervisor.id


def test_ops2_reassign_keeps_supporter_unless_asked(store: Store, adviser: Actor,
                                                    supervisor: Actor) -> None:
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    enquiry = add_enquiry(store, recorded_by=adviser.id, family_id=family,
                          assigned_to=adviser.id)
    queue.assign(store, supervisor, enquiry, bea.id)
    with store.read() as session:
        assert session.get(Family, family).supporter_id == adviser.id  # type: ignore[union-attr]
    queue.assign(store, supervisor, enquiry, bea.id, make_supporter=True)
    with store.read() as session:
        assert session.get(Family, family).supporter_id == bea.id  # type: ignore[union-attr]
    queue.assign(store, supervisor, enquiry, None)
    assert _audit(store)[-1].reason == "unassigned"


def test_ops2_assign_refusals(store: Store, adviser: Actor, supervisor: Actor,
                              admin: Actor) -> None:
    family = add_family(store, supporter_id=None, created_by=adviser.id)
    enquiry = add_enquiry(store, recorded_by=adviser.id, family_id=family)
    before = len(_audit(store))
    with pytest.raises(NotAllowed, match="supervisor"):
        queue.assign(store, adviser, enquiry, adviser.id)
    refused = _audit(store)[-1]
    assert len(_audit(store)) == before + 1 and refused.action == "access_refused"
    newstarter = sign_in(store, "newstarter")
    with pytest.raises(InvalidInput, match="DBS"):
        queue.assign(store, supervisor, enquiry, newstarter.id)
    with pytest.raises(InvalidInput, match="advisers and supervisors"):
        queue.assign(store, supervisor, enquiry, admin.id)
    anonymous = add_enquiry(store, recorded_by=adviser.id)
    queue.assign(store, supervisor, anonymous, newstarter.id)  # no family: no DBS needed
    closed = add_enquiry(store, recorded_by=adviser.id, status="closed")
    with pytest.raises(InvalidInput, match="closed"):
        queue.assign(store, supervisor, closed, adviser.id)


def test_ops2_callback_set_cleared_and_checked(store: Store, adviser: Actor,
                                               supervisor: Actor) -> None:
    bea = add_second_adviser(store)
    enquiry = add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id)
    due = TODAY + timedelta(days=3)
    queue.set_callback(store, adviser, enquiry, due)  # the assigned adviser may
    assert _audit(store)[-1].reason == due.isoformat()
    queue.set_callback(store, supervisor, enquiry, None)
    assert _audit(store)[-1].reason == "cleared"
    with pytest.raises(InvalidInput, match="past"):
        queue.set_callback(store, adviser, enquiry, TODAY - timedelta(days=1))
    with pytest.raises(NotAllowed):
        queue.set_callback(store, bea, enquiry, due)
    with store.read() as session:
        assert session.get(Enquiry, enquiry).follow_up_due is None  # type: ignore[union-attr]


def test_ops2_close_with_outcome_audited(store: Store, adviser: Actor, supervisor: Actor,
                                         surrey: Profile) -> None:
    enquiry = add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id)
    with pytest.raises(InvalidInput, match="outcomes"):
        queue.close(store, supervisor, surrey, enquiry, "CALLBACK")  # keeps it open
    queue.close(store, supervisor, surrey, enquiry, "ADVICE")
    with store.read() as session:
        row = session.get(Enquiry, enquiry)
        assert row is not None and (row.status, row.outcome) == ("closed", "ADVICE")
    closed = _audit(store)[-1]
    assert (closed.action, closed.entity_id, closed.reason) == ("enquiry_closed", enquiry,
                                                               "ADVICE")
    with pytest.raises(InvalidInput, match="already closed"):
        queue.close(store, supervisor, surrey, enquiry, "ADVICE")
    assert QueueReader(store, supervisor, surrey, QueueQuery()).page().rows == ()


def test_ops2_audit_row_and_change_in_one_transaction(
    store: Store, adviser: Actor, supervisor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the audit row cannot be written, the change does not happen either."""
    enquiry = add_enquiry(store, recorded_by=adviser.id)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        queue.assign(store, supervisor, enquiry, adviser.id)
    with store.read() as session:
        assert session.get(Enquiry, enquiry).assigned_to is None  # type: ignore[union-attr]


# --- live ---------------------------------------------------------------------------------


def test_ops2_change_watcher_sees_commits_from_other_connections(
    store: Store, adviser: Actor, db_url: str
) -> None:
    watcher = queue.ChangeWatcher(store)
    try:
        assert not watcher.changed()
        other = Store(db_url)  # another process's store, as good as
        add_enquiry(other, recorded_by=adviser.id)
        other.close()
        assert watcher.changed()
        assert not watcher.changed()
        add_enquiry(store, recorded_by=adviser.id)  # this store's own pool counts too
        assert watcher.changed()
    finally:
        watcher.close()


def test_ops2_refresh_reads_new_rows_by_keyset(store: Store, adviser: Actor,
                                               supervisor: Actor, surrey: Profile) -> None:
    """A page read again from its start shows what was added since."""
    first = add_enquiry(store, recorded_by=adviser.id)
    reader = QueueReader(store, supervisor, surrey, QueueQuery())
    page = reader.page()
    assert [r.id for r in page.rows] == [first]
    overdue = add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id,
                          follow_up_due=TODAY - timedelta(days=1))
    assert [r.id for r in reader.page(page.start).rows] == [overdue, first]
    assert replace(QueueFilter(), status="open") == QueueFilter()


def test_ops2_staff_added_later_named_on_refresh(store: Store, adviser: Actor,
                                                 supervisor: Actor, surrey: Profile) -> None:
    enquiry = add_enquiry(store, recorded_by=adviser.id)
    reader = QueueReader(store, supervisor, surrey, QueueQuery())
    page = reader.page()
    bea = add_second_adviser(store)
    queue.assign(store, supervisor, enquiry, bea.id)
    (row,) = reader.page(page.start).rows
    assert (row.assigned_to, row.adviser) == (bea.id, "Bea Adviser")


def test_ops2_many_flagged_families_asked_by_subquery(
    random_store: Dataset, surrey: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FLAGGED_INLINE flagged families, the SQL asks for them instead of naming
    them; the order is the same."""
    store, rows, flagged, staff = random_store
    query = QueueQuery(QueueFilter(status="all"), SortKey.ADVISER)
    expected = reference_order(rows, query, flagged, TODAY, staff, surrey)
    monkeypatch.setattr(queue_sql, "FLAGGED_INLINE", 0)
    assert _all(QueueReader(store, _supervisor(store), surrey, query)) == expected
    assert _all(QueueReader(store, _supervisor(store), surrey, QueueQuery())) == \
        reference_order(rows, QueueQuery(), flagged, TODAY, staff, surrey)
