"""OPS2, PRIV1, PRIV2 and ACC6 through the real app (Pilot, keyboard only, 80x24):
the supervisors' queue and its keys, My work, private notes and supervision access,
live updates, and who has seen a record."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col, select
from textual.widgets import DataTable, Input

from calllog.clock import today as local_today
from calllog.clock import utcnow
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.models import AuditEvent, Enquiry, Family
from calllog.profiles import load_profile
from calllog.services import access, enquiries
from calllog.services.enquiries import NewEnquiry
from screens.common.dialogs import ChooseScreen, ReasonScreen
from screens.family.access_list import AccessListScreen
from screens.family.record import FamilyScreen
from screens.queue.detail import EnquiryDetailScreen
from screens.queue.filter import FilterScreen
from screens.queue.mywork import MyWorkScreen
from screens.queue.screen import QueueScreen
from screens.queue.table import WINDOW_PAGES, QueueTable
from screens.session.home import HomeScreen
from tests.apphelpers import log_in, make_app, screen_text, settle, type_text
from tests.conftest import sign_in
from tests.queuefixtures import (
    SECOND_ADVISER,
    add_enquiry,
    add_family,
    add_second_adviser,
    flag_family,
)

SIZE = (80, 24)
TODAY = local_today()
NOTE = "Private: dad lost his job; worried about transport 4412"


def _ids(app: Any) -> list[int]:
    return [row.id for row in app.screen.query_one(QueueTable).rows]


def _keys(app: Any) -> set[str]:
    """The actions the screen offers now, in the footer or under F1 (issue 17: the
    footer shows the few most used)."""
    return {active.binding.action for active in app.screen.active_bindings.values()}


def _audit(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


async def _open_queue(pilot: Any, username: str = "supervisor", key: str = "q",
                      password: str | None = None) -> None:
    await log_in(pilot, username, password)
    await pilot.press(key)
    await settle(pilot)


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    bea = add_second_adviser(store)
    return {"ash": sign_in(store, "adviser").id, "bea": bea.id,
            "sam": sign_in(store, "supervisor").id}


async def test_ops2_queue_orders_safeguarding_first_then_overdue_today_unassigned(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    ash = people["ash"]
    rest = add_enquiry(store, recorded_by=ash, assigned_to=ash)
    unassigned = add_enquiry(store, recorded_by=ash)
    today = add_enquiry(store, recorded_by=ash, assigned_to=ash, follow_up_due=TODAY)
    overdue = add_enquiry(store, recorded_by=ash, assigned_to=ash,
                          follow_up_due=TODAY - timedelta(days=2))
    family = add_family(store, supporter_id=ash, created_by=ash,
                        child_name="Sky Testchild", dob=date(2016, 5, 6))
    flagged = add_enquiry(store, recorded_by=ash, family_id=family, assigned_to=ash)
    flag_family(store, family, people["sam"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert _ids(app) == [flagged, overdue, today, unassigned, rest]
        lines = [line for line in screen_text(app).splitlines() if "/" in line]
        assert lines[0].startswith("SG") and "ST 06/05/2016" in lines[0]
        assert lines[1].startswith("LATE") and lines[2].startswith("TODAY")
        assert "unassigned" in lines[3]
        assert {"open", "assign", "callback", "close_enquiry", "filter", "sort",
                "clear_filters", "back"} <= _keys(app)
        from screens.common.help import HelpScreen, describe_keys

        helped = " ".join(label for _key, label in describe_keys(app.screen))
        for words in ("Reverse the column sort", "A screenful down", "Assign or reassign"):
            assert words in helped  # F1 lists every key, footer or not
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)


async def _filter(pilot: Any, tabs: int, *keys: str) -> None:
    """Open the filter dialog, move ``tabs`` fields on, press ``keys``, apply."""
    await pilot.press("f")
    await settle(pilot)
    assert isinstance(pilot.app.screen, FilterScreen)
    for _ in range(tabs):
        await pilot.press("tab")
    for key in keys:
        if len(key) > 1 and key not in ("enter", "backspace", "tab"):
            await type_text(pilot, key)
        else:
            await pilot.press(key)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(pilot.app.screen, QueueScreen)


@pytest.fixture
def varied(store: Store, people: dict[str, int]) -> dict[str, int]:
    ash, bea = people["ash"], people["bea"]
    return {
        "ash_phone": add_enquiry(store, recorded_by=ash, assigned_to=ash, topics=("TRIBUNAL",),
                                 started_at=utcnow() - timedelta(days=40)),
        "bea_email": add_enquiry(store, recorded_by=bea, assigned_to=bea, channel="EMAIL",
                                 topics=("EXCLUSION",), follow_up_due=TODAY),
        "unassigned": add_enquiry(store, recorded_by=bea, topics=("EXCLUSION",),
                                  follow_up_due=TODAY + timedelta(days=4)),
        "closed": add_enquiry(store, recorded_by=ash, assigned_to=ash, status="closed",
                              outcome="ADVICE", channel="LETTER"),
        "overdue": add_enquiry(store, recorded_by=bea, assigned_to=bea,
                               follow_up_due=TODAY - timedelta(days=1)),
    }


FILTER_CASES = [
    # (tabs to the field, keys typed there, enquiries expected)
    ("adviser", 0, ("bea", "enter"), ["overdue", "bea_email"]),
    ("status", 1, ("backspace", "closed", "enter"), ["closed"]),
    ("topic", 2, ("excl", "enter"), ["bea_email", "unassigned"]),
    ("channel", 3, ("email", "enter"), ["bea_email"]),
    ("callback", 4, ("due today or", "enter"), ["overdue", "bea_email"]),
    ("date_range", 5, ("01/01/2020", "tab", "DATE-30"), ["ash_phone"]),
]


@pytest.mark.parametrize(("name", "tabs", "keys", "expected"), FILTER_CASES,
                         ids=[c[0] for c in FILTER_CASES])
async def test_ops2_each_filter_by_keyboard(
    store: Store, db_url: str, varied: dict[str, int], name: str, tabs: int,
    keys: tuple[str, ...], expected: list[str]
) -> None:
    month_ago = (TODAY - timedelta(days=30)).strftime("%d/%m/%Y")
    keys = tuple(month_ago if k == "DATE-30" else k for k in keys)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        assert len(_ids(app)) == 4
        await _filter(pilot, tabs, *keys)
        assert _ids(app) == [varied[k] for k in expected]
        assert "Filters: none" not in screen_text(app)
        await pilot.press("u")  # clear filters
        await settle(pilot)
        assert len(_ids(app)) == 4 and "Filters: none" in screen_text(app)


async def test_ops2_sort_by_any_column_by_keyboard(store: Store, db_url: str,
                                                   varied: dict[str, int]) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "down", "down", "enter")  # Adviser
        await settle(pilot)
        adviser_order = [varied[k] for k in ("ash_phone", "bea_email", "overdue",
                                             "unassigned")]
        assert _ids(app) == adviser_order
        assert "adviser" in screen_text(app).splitlines()[0]
        await pilot.press("r")  # reversed: Bea first, unassigned still last
        await settle(pilot)
        assert _ids(app) == [varied[k] for k in ("bea_email", "overdue", "ash_phone",
                                                 "unassigned")]
        await pilot.press("s", "home", "down", "enter")  # Started, oldest first
        await settle(pilot)
        assert _ids(app)[0] == varied["ash_phone"]


async def test_ops2_assign_then_close_by_keyboard(store: Store, db_url: str,
                                                  people: dict[str, int]) -> None:
    family = add_family(store, supporter_id=None, created_by=people["ash"])
    enquiry = add_enquiry(store, recorded_by=people["ash"], family_id=family)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        assert _ids(app) == [enquiry]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert "Bea Adviser" in screen_text(app)
        await pilot.press("down", "down", "enter")  # Nobody, Ash, Bea
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        row = app.screen.query_one(QueueTable).current
        assert row is not None and row.adviser == "Bea Adviser"
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen) and "Advice given" in screen_text(app)
        await pilot.press("down", "enter")  # Information given, Advice given
        await settle(pilot)
        assert _ids(app) == []
    with store.read() as session:
        saved = session.get(Enquiry, enquiry)
        assert saved is not None
        assert (saved.assigned_to, saved.status, saved.outcome) == (people["bea"], "closed",
                                                                    "ADVICE")
        supporter = session.get(Family, family)
        assert supporter is not None and supporter.supporter_id == people["bea"]
    actions = [(e.action, e.entity_id) for e in _audit(store)[-3:]]
    assert actions == [("enquiry_assigned", enquiry), ("family_supporter_changed", family),
                       ("enquiry_closed", enquiry)]


async def test_ops2_reassign_asks_about_the_supporter_and_sets_callback(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    family = add_family(store, supporter_id=people["ash"], created_by=people["ash"])
    enquiry = add_enquiry(store, recorded_by=people["ash"], family_id=family,
                          assigned_to=people["ash"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("down", "enter")  # from Ash to Bea
        await settle(pilot)
        assert "supporter" in screen_text(app)
        await pilot.press("n")  # Bea takes the call; Ash stays the supporter
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input)
        field.value = ""
        await type_text(pilot, (TODAY + timedelta(days=2)).strftime("%d/%m/%Y"))
        await pilot.press("enter")
        await settle(pilot)
    with store.read() as session:
        saved = session.get(Enquiry, enquiry)
        assert saved is not None and saved.assigned_to == people["bea"]
        assert saved.follow_up_due == TODAY + timedelta(days=2)
        kept = session.get(Family, family)
        assert kept is not None and kept.supporter_id == people["ash"]


async def test_ops2_new_enquiry_elsewhere_shows_in_open_queue_within_2s(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    """Another session logs an enquiry; the open queue shows it without a key press,
    reading only a page of rows (never the table)."""
    first = add_enquiry(store, recorded_by=people["ash"], assigned_to=people["ash"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        assert _ids(app) == [first]
        assert app.store is not None
        statements: list[str] = []
        sa.event.listen(app.store.engine, "before_cursor_execute",
                        lambda *args: statements.append(args[2]))
        other = Store(db_url)  # another adviser's session, as good as
        saved = enquiries.log_enquiry(other, sign_in(other, "adviser"),
                                      load_profile("surrey-pwp"),
                                      NewEnquiry(started_at=utcnow(), outcome="CALLBACK",
                                                 follow_up_due=TODAY))
        other.close()
        for _ in range(20):  # 20 x 0.1 s: the 2 s the requirement allows
            await pilot.pause(0.1)
            if saved.enquiry_id in _ids(app):
                break
        await settle(pilot)
        assert _ids(app) == [saved.enquiry_id, first]  # due today comes first
    reads = [s for s in statements if re.search(r"FROM (family CROSS JOIN )?enquiry\b", s)
             and "count(" not in s]
    assert reads and all("LIMIT" in s for s in reads)


async def test_ops2_paging_keeps_a_bounded_window(store: Store, db_url: str,
                                                  people: dict[str, int]) -> None:
    ash = people["ash"]
    with store.write() as session:  # 450 open enquiries, oldest first
        start = utcnow() - timedelta(days=30)
        for n in range(450):
            at = start + timedelta(minutes=n)
            session.add(Enquiry(recorded_by=ash, assigned_to=ash, started_at=at, ended_at=at,
                                channel="PHONE", status="open"))
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        table = app.screen.query_one(QueueTable)
        first = table.rows[0].id
        for _ in range(20):
            await pilot.press("pagedown")
            await settle(pilot)
        assert table.above > 0 and len(table.pages) <= WINDOW_PAGES  # older pages let go
        assert table.position == 1 + 20 * (table.size.height - 1)
        assert f"row {table.position:,} of 450" in screen_text(app)
        for _ in range(30):
            await pilot.press("pageup")
            await settle(pilot)
        assert table.position == 1 and table.rows[0].id == first


async def test_ops2_my_work_for_advisers(store: Store, db_url: str,
                                         people: dict[str, int]) -> None:
    ash = people["ash"]
    family = add_family(store, supporter_id=ash, created_by=ash, parent_name="Robin Testparent")
    mine_due = add_enquiry(store, recorded_by=ash, assigned_to=ash, family_id=family,
                           follow_up_due=TODAY)
    mine = add_enquiry(store, recorded_by=ash, assigned_to=ash)
    add_enquiry(store, recorded_by=people["bea"], assigned_to=people["bea"])
    add_enquiry(store, recorded_by=ash, assigned_to=ash, status="closed")
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("q")  # the whole queue is for supervisors
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MyWorkScreen)
        assert _ids(app) == [mine_due, mine]
        shown = screen_text(app)
        assert "2 open, 0 overdue, 1 due today" in shown
        assert "Robin Testparent" in shown  # PRIV2: she owns the record
        assert "Assign" not in shown.splitlines()[-1]
        await pilot.press("down", "x")
        await settle(pilot)
        await pilot.press("enter")  # Information given
        await settle(pilot)
        assert _ids(app) == [mine_due]


async def test_priv2_supervisor_sees_coded_references_not_names(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    family = add_family(store, supporter_id=people["ash"], created_by=people["ash"],
                        parent_name="Robin Testparent", child_name="Alex Testchild")
    add_enquiry(store, recorded_by=people["ash"], family_id=family, assigned_to=people["ash"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        shown = screen_text(app)
        assert "AT 04/03/2015" in shown
        assert "Robin" not in shown and "Testparent" not in shown and "Alex" not in shown


# --- private notes ----------------------------------------------------------------------


async def _everything_b_can_reach(pilot: Any, app: Any) -> list[str]:
    """Adviser B walks every screen that could show notes; returns what was shown."""
    seen = [screen_text(app)]
    await pilot.press("f")
    await settle(pilot)
    field = app.focused
    assert isinstance(field, Input)
    await type_text(pilot, "testchild")
    await pilot.pause(0.2)
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)
    assert isinstance(app.screen, FamilyScreen)
    seen.append(screen_text(app))
    for key in ("v", "a"):  # supervision access and the access list: not for her
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        seen.append(screen_text(app))
    await pilot.press("escape", "escape")
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)
    seen.append(screen_text(app))
    if app.screen.query_one(QueueTable).rows:
        await pilot.press("enter")
        await settle(pilot)
        seen.append(screen_text(app))
    return seen


async def test_priv1_adviser_b_cannot_read_adviser_a_notes_by_any_screen(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    ash, bea = people["ash"], people["bea"]
    family = add_family(store, supporter_id=ash, created_by=ash, child_name="Alex Testchild")
    add_enquiry(store, recorded_by=ash, family_id=family, assigned_to=ash, notes=NOTE)
    add_enquiry(store, recorded_by=bea, family_id=family, assigned_to=bea, notes=NOTE + " b")
    add_enquiry(store, recorded_by=ash, notes=NOTE)  # anonymous, Ash's
    app = make_app(db_url)
    async with app.run_test(size=(100, 40)) as pilot:
        await log_in(pilot, SECOND_ADVISER[0], SECOND_ADVISER[2])
        seen = await _everything_b_can_reach(pilot, app)
    assert all("Private: dad lost his job" not in text for text in seen)
    assert "(seen only by the family's supporter)" in seen[1]
    assert not any(e.action == "notes_supervision_access" for e in _audit(store))


async def test_priv1_supervision_access_needs_a_reason_and_leaves_an_audit_row(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    ash = people["ash"]
    family = add_family(store, supporter_id=ash, created_by=ash)
    add_enquiry(store, recorded_by=ash, family_id=family, assigned_to=ash, notes=NOTE)
    app = make_app(db_url)
    async with app.run_test(size=(80, 40)) as pilot:
        await _open_queue(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert NOTE not in screen_text(app) and "supervision_notes" in _keys(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)
        await type_text(pilot, "checking")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert "at least 10 characters" in screen_text(app)
        await type_text(pilot, " tribunal deadline")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        assert NOTE in " ".join(screen_text(app).split())
    row = _audit(store)[-1]
    assert (row.action, row.actor_id, row.entity, row.entity_id, row.reason) == (
        "notes_supervision_access", people["sam"], "family", family,
        "checking tribunal deadline")


async def test_priv1_supervision_access_to_an_anonymous_enquirys_notes(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    ash = people["ash"]
    enquiry = add_enquiry(store, recorded_by=ash, assigned_to=ash, notes=NOTE)
    app = make_app(db_url)
    async with app.run_test(size=(80, 40)) as pilot:
        await _open_queue(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryDetailScreen)
        assert NOTE not in " ".join(screen_text(app).split())
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)
        await type_text(pilot, "short")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)  # stays open, says why
        assert "at least 10 characters" in screen_text(app)
        await type_text(pilot, " but now long enough")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryDetailScreen)
        assert NOTE in " ".join(screen_text(app).split())
    row = _audit(store)[-1]
    assert (row.action, row.actor_id, row.entity, row.entity_id) == (
        "notes_supervision_access", people["sam"], "enquiry", enquiry)


@pytest.fixture
def northants(tmp_path: Path) -> tuple[Store, str]:
    url = f"sqlite:///{tmp_path / 'northants.sqlite3'}"
    store = Store(url)
    ensure_demo(store, "northamptonshire-iass")
    return store, url


async def test_priv1_northamptonshire_supervisor_cannot_open_notes_by_any_screen(
    northants: tuple[Store, str]
) -> None:
    store, url = northants
    ash, sam = sign_in(store, "adviser").id, sign_in(store, "supervisor").id
    family = add_family(store, supporter_id=ash, created_by=ash)
    add_enquiry(store, recorded_by=ash, family_id=family, assigned_to=ash, notes=NOTE,
                follow_up_due=TODAY)
    anonymous = add_enquiry(store, recorded_by=ash, assigned_to=ash, notes=NOTE)
    app = make_app(url)
    seen: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_queue(pilot)
        assert _ids(app)[1] == anonymous
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)
        seen.append(screen_text(app))
        assert "supervision_notes" not in _keys(app)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, FamilyScreen)  # no reason asked: no such access
        seen.append(screen_text(app))
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryDetailScreen)
        seen.append(screen_text(app))
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryDetailScreen)
        seen.append(screen_text(app))
    assert all("Private: dad lost his job" not in text for text in seen)
    assert not any(e.action == "notes_supervision_access" for e in _audit(store))
    assert sam


# --- ACC6 -------------------------------------------------------------------------------


async def test_acc6_access_list_shows_exactly_the_audited_views(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    from calllog.services import families

    ash, bea = people["ash"], people["bea"]
    family = add_family(store, supporter_id=ash, created_by=ash)
    add_enquiry(store, recorded_by=ash, family_id=family, assigned_to=ash)
    families.open_family(store, sign_in(store, "adviser"), family)
    from calllog.services import accounts

    families.open_family(store, accounts.login(store, SECOND_ADVISER[0], SECOND_ADVISER[2]),
                         family)
    app = make_app(db_url)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_queue(pilot)
        await pilot.press("enter")  # the supervisor's view, audited
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AccessListScreen)
        table = app.screen.query_one(DataTable)
        shown = [(str(table.get_row_at(n)[1]), str(table.get_row_at(n)[3]))
                 for n in range(table.row_count)]
        text = screen_text(app)
    assert shown == [("Ash Adviser", "viewed the record"), ("Bea Adviser", "viewed the record"),
                     ("Sam Supervisor", "viewed the record"),
                     ("Sam Supervisor", "viewed who has seen the record")]
    assert "Who has seen this record" in text
    listed = {e.audit_id for e in access.access_list(store, sign_in(store, "supervisor"),
                                                     family)}
    views = {e.id for e in _audit(store) if e.entity == "family" and e.entity_id == family}
    assert listed == views
    assert bea


async def test_ops2_supervisor_reaches_own_work_from_the_queue(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    sam = people["sam"]
    own = add_enquiry(store, recorded_by=sam, assigned_to=sam, follow_up_due=TODAY)
    add_enquiry(store, recorded_by=people["ash"], assigned_to=people["ash"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot)
        assert len(_ids(app)) == 2
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MyWorkScreen) and _ids(app) == [own]
        await pilot.press("w")  # already there: nothing happens
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


# --- PRIV3: stored text is never markup ---------------------------------------------------

MARKUP_NAME = "[bold]Di[/] [/]x"


async def test_priv3_staff_name_with_markup_assigned_from_the_queue_shows_literally(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    """A display name is untrusted text: ``[bold]`` and ``[/]`` in it are shown as typed
    in the assign dialog, the supporter question, the notification and the queue's
    Adviser column, and never crash the app (a stray ``[/]`` does, read as markup)."""
    from textual.widgets import OptionList

    from calllog.services import staff as staff_service

    di = staff_service.add_staff(store, sign_in(store, "admin"), username="di",
                                 display_name=MARKUP_NAME, role="adviser",
                                 password="quartz meadow violin pebble",
                                 dbs_checked_on=date(2026, 1, 5), dbs_reference="DEMO-D")
    family = add_family(store, supporter_id=people["ash"], created_by=people["ash"])
    enquiry = add_enquiry(store, recorded_by=people["ash"], family_id=family,
                          assigned_to=people["ash"])
    app = make_app(db_url)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_queue(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChooseScreen)
        assert MARKUP_NAME in screen_text(app)
        options = app.screen.query_one(OptionList)
        codes = [options.get_option_at_index(n).id for n in range(options.option_count)]
        steps = codes.index(str(di.id)) - (options.highlighted or 0)
        await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
        await settle(pilot)
        assert f"Also make {MARKUP_NAME} this family's supporter?" in " ".join(
            screen_text(app).split())
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        row = app.screen.query_one(QueueTable).current
        assert row is not None and row.id == enquiry and row.adviser == MARKUP_NAME
        assert [n.message for n in app._notifications] == [f"Assigned to {MARKUP_NAME}."]
        shown = screen_text(app)
        assert f"Assigned to {MARKUP_NAME}." in shown  # the toast, as typed
        assert MARKUP_NAME in shown  # the Adviser column
    with store.read() as session:
        saved, kept = session.get(Enquiry, enquiry), session.get(Family, family)
        assert saved is not None and saved.assigned_to == di.id
        assert kept is not None and kept.supporter_id == di.id


async def test_acc3_enter_is_offered_only_for_what_the_viewer_may_open(
    store: Store, db_url: str, people: dict[str, int]
) -> None:
    """An adviser with no DBS check recorded sees their own work, but enter is greyed on
    a family's enquiry (the family record is closed to them) and opens an anonymous
    one; nothing is asked of the service that it would refuse."""
    nico = sign_in(store, "newstarter").id
    family = add_family(store, supporter_id=nico, created_by=people["ash"])
    family_enquiry = add_enquiry(store, recorded_by=nico, assigned_to=nico, family_id=family,
                                 follow_up_due=TODAY)
    anonymous = add_enquiry(store, recorded_by=nico, assigned_to=nico)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "newstarter")
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, MyWorkScreen)
        assert _ids(app) == [family_enquiry, anonymous]
        assert app.screen.check_action("open", ()) is None
        before = len(_audit(store))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MyWorkScreen) and len(_audit(store)) == before
        await pilot.press("down")
        assert app.screen.check_action("open", ()) is True
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryDetailScreen)
        assert app.screen.detail.id == anonymous
