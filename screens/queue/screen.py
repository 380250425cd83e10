"""The supervisors' call queue (OPS2, PRIV2): every open enquiry across advisers,
safeguarding first, then callbacks overdue, due today, unassigned work and the rest.
Filter, sort, assign, set a callback date, close; enter opens the family record (or
an anonymous enquiry). Rows show coded references; a name only to the record's owner.

The rows come a page at a time (keyset) from a ``QueueReader`` made from the signed-in
session into :class:`screens.queue.table.QueueTable`, which reads in a thread. Anything
committed by anyone shows within about a second (a ``ChangeWatcher`` asked in a
thread); every other service call runs through ``call_service``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.widgets import Static

from calllog import policy
from calllog.errors import CalllogError
from calllog.vocabulary import EnquiryStatus
from screens.common.base import CalllogScreen
from screens.common.dialogs import ChooseScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.family.record import FamilyScreen
from screens.queue.detail import EnquiryDetailScreen
from screens.queue.filter import SORT_CHOICES, SORT_WORDS, FilterScreen, describe_filter
from screens.queue.flows import assign_flow, callback_flow, close_flow
from screens.queue.rows import header_text, preview_text
from screens.queue.table import QueueTable

if TYPE_CHECKING:
    from calllog.services.queue import (
        ChangeWatcher,
        QueueFilter,
        QueueQuery,
        QueueReader,
        QueueRow,
        StaffChoice,
    )

LIVE_SECONDS = 1.0
COUNT_CAP = 250_000
ROW_ACTIONS = ("open", "assign", "callback", "close_enquiry")


class QueueScreen(CalllogScreen[None]):
    HELP_TITLE = "Call queue"
    TITLE_TEXT = "Call queue"
    DEFAULT_CSS = """
    QueueScreen #queue-title, QueueScreen #queue-filters, QueueScreen #queue-header,
    QueueScreen #queue-preview { width: 1fr; height: 1; text-wrap: nowrap;
                                 text-overflow: ellipsis; }
    QueueScreen #queue-title { background: $primary-background; }
    QueueScreen #queue-filters, QueueScreen #queue-preview { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keys_for("queue")

    def __init__(self) -> None:
        super().__init__()
        self.query_state: QueueQuery = self.initial_query()
        self.watcher: ChangeWatcher | None = None
        self.total: int | None = None
        self._staff: dict[int, str] = {}
        self._binding_state: tuple[object, ...] = ()
        self._suspended = False
        self._polling = False

    def initial_query(self) -> QueueQuery:
        from calllog.services.queue import QueueQuery

        return QueueQuery()

    @property
    def mine(self) -> bool:
        """Is this "My work" (one person's own enquiries)?"""
        return False

    @property
    def adviser_fixed(self) -> bool:
        """Is the adviser filter fixed (anyone but a supervisor sees only their own)?"""
        return not policy.may_view_queue(self.session.actor)

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="queue-title", markup=False)
        yield Static(id="queue-filters", markup=False)
        yield Static(id="queue-header", markup=False)
        yield QueueTable(self.session.profile, id="queue-table")
        yield Static(id="queue-preview", markup=False)
        yield CalllogFooter()

    def on_mount(self) -> None:
        from calllog.services import queue

        self.call_service(lambda s: (queue.staff_names(s.store), queue.ChangeWatcher(s.store)),
                          self._ready)
        self.set_interval(LIVE_SECONDS, self._poll, name="queue-live")
        self.query_one(QueueTable).focus()
        self.load()
        self._binding_state = tuple(self.check_action(a, ()) for a in ROW_ACTIONS)

    def _ready(self, found: tuple[dict[int, str], ChangeWatcher]) -> None:
        """Staff names (for the filters and the preview) and the watcher are here."""
        self._staff, self.watcher = found
        self.query_one(QueueTable).before_refresh = self.watcher.changed
        self._show_filters()
        self._show_preview(self.current)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.close()

    def on_resize(self) -> None:
        self._show_header()

    def _show_header(self) -> None:
        table = self.query_one(QueueTable)
        self.query_one("#queue-header", Static).update(header_text(table.size.width or 78),
                                                       layout=False)

    # --- loading --------------------------------------------------------------------

    def load(self) -> None:
        """Show the current query from the top. The reader only checks the query here
        (no database); the table reads its pages in a thread."""
        from calllog.services import queue

        s = self.session
        try:
            reader = queue.QueueReader(s.store, s.actor, s.profile, self.query_state)
        except CalllogError as error:  # a filter the service will not take
            self.show_error(error)
            return
        self.total = None
        self.query_one(QueueTable).load(reader)
        self._show_title()
        self._show_filters()

    def _count(self, reader: QueueReader) -> None:
        """How many rows the query has, for "row 12 of 3,456" (capped)."""
        self.call_service(lambda _s: reader.count(cap=COUNT_CAP),
                          lambda total: self._counted(reader, total), group="queue-count")

    def _counted(self, reader: QueueReader, total: int) -> None:
        if self.query_one(QueueTable).reader is reader:
            self.total = total
            self._show_title()

    def _poll(self) -> None:
        """Live: something committed anywhere re-reads the rows on show."""
        watcher = self.watcher if self.calllog.session is not None else None  # signing out
        if watcher is None or not self.is_current or self._polling:
            return

        def done(changed: bool) -> None:
            self._polling = False
            if changed:
                self.refresh_rows()

        self._polling = True
        self.call_service(lambda _s: watcher.changed(), done, group="queue-live")

    def refresh_rows(self) -> None:
        """Read the rows on show again (the table first lets the watcher note that
        every change so far is seen), and count them again."""
        table = self.query_one(QueueTable)
        table.refresh_window()
        if table.reader is not None:
            self._count(table.reader)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from a family record, a dialog or the lock screen: read the rows again
        (whatever happened meanwhile); not on first showing, which loads them anyway."""
        if self._suspended:
            self._suspended = False
            self.refresh_rows()

    @on(QueueTable.Highlighted)
    def _highlighted(self, event: QueueTable.Highlighted) -> None:
        self._show_preview(event.row)
        self._show_title()
        # the footer is rebuilt on refresh_bindings (tens of ms): only when a key's
        # state really changes
        state = tuple(self.check_action(action, ()) for action in ROW_ACTIONS)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @on(QueueTable.Loaded)
    def _loaded(self, event: QueueTable.Loaded) -> None:
        """The first page is on screen: now count the rest (in a thread)."""
        self._show_header()
        if event.table.reader is not None:
            self._count(event.table.reader)

    @on(QueueTable.Failed)
    def _failed(self, event: QueueTable.Failed) -> None:
        self.notify(event.error, severity="error")

    # --- what is shown --------------------------------------------------------------

    def title_words(self) -> str:
        status = self.query_state.filter.status
        what = f"{status} enquiries" if status in set(EnquiryStatus) else "enquiries"
        return f"{self.TITLE_TEXT} · {what}"

    def _show_title(self) -> None:
        table = self.query_one(QueueTable)
        text = Text(self.title_words(), style="bold")
        if table.rows:
            total = (f"{self.total:,}{'+' if self.total > COUNT_CAP else ''}"
                     if self.total is not None else "…")
            text.append(f"  ·  row {table.position:,} of {total}")
        elif self.total == 0:
            text.append("  ·  none")
        query = self.query_state
        text.append(f"  ·  {SORT_WORDS[query.sort.value]}"
                    + (" (reversed)" if query.descending else ""), style="dim")
        self.query_one("#queue-title", Static).update(text, layout=False)

    def _show_filters(self) -> None:
        parts = describe_filter(self.query_state.filter, self.session.profile, self._staff,
                                adviser_fixed=self.adviser_fixed)
        text = Text("Filters: ", style="dim")
        text.append("; ".join(parts) if parts else "none")
        self.query_one("#queue-filters", Static).update(text, layout=False)

    def _show_preview(self, row: QueueRow | None) -> None:
        self.query_one("#queue-preview", Static).update(
            preview_text(row, self.session.profile, self._staff), layout=False)

    # --- actions --------------------------------------------------------------------

    @property
    def current(self) -> QueueRow | None:
        return self.query_one(QueueTable).current

    def _loading(self) -> bool:
        """No rows yet because the first page is still being read."""
        if not self.is_mounted:
            return True
        table = self.query_one(QueueTable)
        return table.reader is None or (table.busy and not table.rows)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.session.actor
        if action == "assign" and not policy.may_assign(actor):
            return False
        if action in ROW_ACTIONS and self._loading():
            # shown as available while the first page is read (the actions do nothing
            # without a row), so the footer is not rebuilt when the rows arrive
            return True
        row = self.current
        is_open = row is not None and row.status == EnquiryStatus.OPEN
        if action == "assign":
            return True if is_open else None
        if action in ("callback", "close_enquiry"):
            allowed = row is not None and is_open and policy.may_change_enquiry(
                actor, row.assigned_to).allowed
            return True if allowed else None
        if action == "open":  # a family's record, or an anonymous enquiry on its own
            allowed = row is not None and (
                policy.may_open_family_records(actor) if row.family_id is not None
                else policy.may_view_enquiry(actor, assigned_to=row.assigned_to,
                                             recorded_by=row.recorded_by)).allowed
            return True if allowed else None
        if action == "reverse":
            return True if self.query_state.sort.value != "priority" else None
        if action == "my_work":
            return not self.mine
        return True

    def action_open(self) -> None:
        from calllog.services import families, queue

        row = self.current
        if row is None:
            return
        if row.family_id is not None:
            family_id, reason = row.family_id, f"from the queue, enquiry {row.id}"
            self.call_service(
                lambda s: families.open_family(s.store, s.actor, family_id, reason=reason),
                lambda record: self.app.push_screen(FamilyScreen(record)), group="open")
        else:
            enquiry_id = row.id
            self.call_service(
                lambda s: queue.open_enquiry(s.store, s.actor, s.profile, enquiry_id),
                lambda detail: self.app.push_screen(EnquiryDetailScreen(detail)),
                group="open")

    def action_assign(self) -> None:
        row = self.current
        if row is not None:
            assign_flow(self, row.id, family_id=row.family_id, supporter_id=row.supporter_id,
                        assigned_to=row.assigned_to,
                        done=lambda _id, _name: self.refresh_rows())

    def action_callback(self) -> None:
        row = self.current
        if row is not None:
            callback_flow(self, row.id, row.follow_up_due, lambda _due: self.refresh_rows())

    def action_close_enquiry(self) -> None:
        row = self.current
        if row is not None:
            close_flow(self, row.id, lambda _code: self.refresh_rows())

    def action_filter(self) -> None:
        from calllog.services import queue

        def chosen(flt: QueueFilter | None) -> None:
            if flt is not None:
                self.load_query(replace(self.query_state, filter=flt))

        def ask(staff: list[StaffChoice]) -> None:
            advisers = [(str(queue.UNASSIGNED), "Unassigned")] + [
                (str(s.id), s.display_name) for s in staff]
            self.app.push_screen(FilterScreen(self.query_state.filter, advisers,
                                              adviser_fixed=self.adviser_fixed), chosen)

        self.call_service(lambda s: queue.assignable_staff(s.store), ask, group="filter")

    def action_clear_filters(self) -> None:
        self.load_query(self.initial_query())

    def action_sort(self) -> None:
        from calllog.services.queue import SortKey

        def chosen(code: str | None) -> None:
            if code is None:
                return
            key = SortKey(code)
            same = key is self.query_state.sort and key is not SortKey.PRIORITY
            self.load_query(replace(self.query_state, sort=key,
                                    descending=not self.query_state.descending if same
                                    else False))

        self.app.push_screen(ChooseScreen("Sort by (the same column again reverses it)",
                                          SORT_CHOICES, self.query_state.sort.value), chosen)

    def action_reverse(self) -> None:
        if self.query_state.sort.value != "priority":
            self.load_query(replace(self.query_state,
                                    descending=not self.query_state.descending))

    def load_query(self, query: QueueQuery) -> None:
        """Show ``query`` (a new filter or sort) from the top."""
        self.query_state = query
        self.load()

    def action_my_work(self) -> None:
        from screens.queue.mywork import MyWorkScreen

        self.app.push_screen(MyWorkScreen())

    def action_back(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Filter the queue", "Adviser, status, topic, channel, dates (f)",
                            self.action_filter)
        yield SystemCommand("Sort the queue", "By any column (s)", self.action_sort)
        yield SystemCommand("Clear filters", "Every open enquiry, priority order (u)",
                            self.action_clear_filters)

