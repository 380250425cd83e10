"""The supervisors' call queue (OPS2, PRIV2): every open enquiry across advisers,
safeguarding first, then callbacks overdue, due today, unassigned work and the rest.
Filter, sort, assign, set a callback date, close; enter opens the family record (or
an anonymous enquiry). Rows show coded references; a name only to the record's owner.

The rows come a page at a time from ``calllog.services.queue`` (keyset pagination)
into a line-API widget (:class:`screens.queuetable.QueueTable`); a change committed
by anyone shows within about a second (:class:`calllog.services.queue.ChangeWatcher`),
re-reading only the rows on show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Static

from calllog.errors import CalllogError
from calllog.validation import format_date
from screens.common.base import CalllogScreen
from screens.common.dialogs import ChooseScreen
from screens.family.record import FamilyScreen
from screens.queue.detail import EnquiryDetailScreen
from screens.queue.filter import CALLBACK_CHOICES, FilterScreen
from screens.queue.flows import assign_flow, callback_flow, close_flow
from screens.queue.table import QueueTable, header_text

if TYPE_CHECKING:
    from calllog.services.queue import (
        ChangeWatcher,
        QueueFilter,
        QueueQuery,
        QueueReader,
        QueueRow,
    )


LIVE_SECONDS = 1.0


COUNT_CAP = 250_000


SORT_CHOICES = (
    ("priority", "Priority: safeguarding, overdue, due today, unassigned, the rest"),
    ("started", "Started"),
    ("due", "Callback date"),
    ("adviser", "Adviser"),
    ("channel", "Channel"),
    ("ref", "Reference"),
    ("status", "Status"),
)


SORT_WORDS = {code: label.split(":")[0].lower() for code, label in SORT_CHOICES}


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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="queue.open",
                tooltip="Open the family record (audited), or the enquiry if anonymous."),
        Binding("a", "assign", "Assign", id="queue.assign",
                tooltip="Assign or reassign the enquiry to an adviser (audited)."),
        Binding("d", "callback", "Callback", id="queue.callback",
                tooltip="Set or clear the callback date (audited)."),
        Binding("x", "close_enquiry", "Close", id="queue.close",
                tooltip="Close the enquiry with an outcome (audited)."),
        Binding("f", "filter", "Filter", id="queue.filter",
                tooltip="Filter by adviser, status, topic, channel, dates, callback due."),
        Binding("s", "sort", "Sort", id="queue.sort",
                tooltip="Sort by a column (safeguarding flags stay at the top)."),
        Binding("r", "reverse", "Reverse", id="queue.reverse", show=False,
                tooltip="Reverse the column sort (as choosing the same sort again does)."),
        Binding("u", "clear_filters", "Clear", id="queue.clear_filters",
                tooltip="Back to every open enquiry, in priority order."),
        Binding("w", "my_work", "My work", id="queue.my_work", show=False,
                tooltip="My work: the enquiries assigned to you, callbacks due first."),
        Binding("escape", "back", "Back", id="queue.back", tooltip="Back to home."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state: QueueQuery = self.initial_query()
        self.watcher: ChangeWatcher | None = None
        self.total: int | None = None
        self._staff: dict[int, str] = {}
        self._binding_state: tuple[object, ...] = ()
        self._suspended = False


    def initial_query(self) -> QueueQuery:
        from calllog.services.queue import QueueQuery

        return QueueQuery()

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        profile = self.calllog.profile
        assert profile is not None
        yield Static(id="queue-title", markup=False)
        yield Static(id="queue-filters", markup=False)
        yield Static(id="queue-header", markup=False)
        yield QueueTable(profile, id="queue-table")
        yield Static(id="queue-preview", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from calllog.services import queue

        app = self.calllog
        assert app.store is not None
        self._staff = queue.staff_names(app.store)
        self.watcher = queue.ChangeWatcher(app.store)
        self.set_interval(LIVE_SECONDS, self._poll, name="queue-live")
        self.query_one(QueueTable).focus()
        self.load()
        self._binding_state = tuple(self.check_action(a, ()) for a in ROW_ACTIONS)

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
        """Show the current query from the top."""
        from calllog.services import queue

        app = self.calllog
        assert app.store and app.actor and app.profile
        try:
            reader = queue.QueueReader(app.store, app.actor, app.profile, self.query_state)
        except CalllogError as error:
            self.notify(str(error), severity="error")
            return
        self.total = None
        self.query_one(QueueTable).load(reader)
        self._show_title()
        self._show_filters()

    @work(thread=True, group="queue-count", exit_on_error=False)
    def _count(self, reader: QueueReader) -> None:
        """How many rows the query has, for "row 12 of 3,456" (capped, in a thread)."""
        total = reader.count(cap=COUNT_CAP)
        self.app.call_from_thread(self._counted, reader, total)

    def _counted(self, reader: QueueReader, total: int) -> None:
        if self.query_one(QueueTable).reader is reader:
            self.total = total
            self._show_title()

    def _poll(self) -> None:
        """Live: something committed anywhere re-reads the rows on show."""
        if self.watcher is None or not self.is_current:
            return
        if self.watcher.changed():
            self.refresh_rows()

    def refresh_rows(self) -> None:
        table = self.query_one(QueueTable)
        table.refresh_window()
        if table.reader is not None:
            self._count(table.reader)

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from a family record, a dialog or the lock screen: read the rows again
        (whatever happened meanwhile); not on first showing, which loads them anyway."""
        if not self._suspended:
            return
        self._suspended = False
        if self.watcher is not None:
            self.watcher.changed()
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
        what = {"open": "open enquiries", "closed": "closed enquiries",
                "all": "enquiries"}[status]
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

    def filter_parts(self, flt: QueueFilter) -> list[str]:
        from calllog.services.queue import UNASSIGNED

        profile = self.calllog.profile
        assert profile is not None
        parts = []
        if flt.adviser_id is not None:
            parts.append("unassigned" if flt.adviser_id == UNASSIGNED
                         else f"adviser {self._staff.get(flt.adviser_id, '?')}")
        if flt.status != "open":
            parts.append(f"status {flt.status}")
        if flt.topic:
            parts.append(f"topic {profile.topics.label(flt.topic)}")
        if flt.channel:
            parts.append(f"channel {profile.channels.label(flt.channel)}")
        if flt.callback:
            parts.append("callback " + dict(CALLBACK_CHOICES)[flt.callback.value].lower())
        if flt.started_from:
            parts.append(f"from {format_date(flt.started_from)}")
        if flt.started_to:
            parts.append(f"to {format_date(flt.started_to)}")
        return parts

    def _show_filters(self) -> None:
        parts = self.filter_parts(self.query_state.filter)
        text = Text("Filters: ", style="dim")
        text.append("; ".join(parts) if parts else "none")
        self.query_one("#queue-filters", Static).update(text, layout=False)

    def _show_preview(self, row: QueueRow | None) -> None:
        profile = self.calllog.profile
        assert profile is not None
        text = Text()
        if row is not None:
            topics = "; ".join(profile.topics.label(t) for t in row.topics) or "no topic"
            text.append(topics)
            text.append(f"  ·  recorded by {self._staff.get(row.recorded_by, '?')}", style="dim")
            if row.has_notes:
                text.append("  ·  has notes", style="dim")
            if row.outcome:
                text.append(f"  ·  {profile.outcomes.label(row.outcome)}", style="dim")
        self.query_one("#queue-preview", Static).update(text, layout=False)

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
        actor = self.calllog.actor
        if actor is None:
            return False
        if action == "assign" and not actor.is_supervisor:
            return False
        if action in ROW_ACTIONS and self._loading():
            # shown as available while the first page is read (the actions do nothing
            # without a row), so the footer is not rebuilt when the rows arrive
            return True
        row = self.current
        if action == "assign":
            return bool(row and row.status == "open") or None
        if action in ("callback", "close_enquiry"):
            allowed = bool(row and row.status == "open"
                           and (actor.is_supervisor or row.assigned_to == actor.id))
            return True if allowed else None
        if action == "open":
            return True if row is not None else None
        if action == "reverse":
            return True if self.query_state.sort.value != "priority" else None
        if action == "my_work":
            return not self.mine
        return True

    def action_open(self) -> None:
        from calllog.services import families, queue

        row, app = self.current, self.calllog
        if row is None:
            return
        assert app.store and app.actor and app.profile
        try:
            if row.family_id is not None:
                record = families.open_family(app.store, app.actor, row.family_id,
                                              reason=f"from the queue, enquiry {row.id}")
                self.app.push_screen(FamilyScreen(record))
            else:
                detail = queue.open_enquiry(app.store, app.actor, app.profile, row.id)
                self.app.push_screen(EnquiryDetailScreen(detail))
        except CalllogError as error:
            self.notify(str(error), severity="error")

    def _after_change(self) -> None:
        if self.watcher is not None:
            self.watcher.changed()
        self.refresh_rows()

    def action_assign(self) -> None:
        row = self.current
        if row is not None:
            assign_flow(self, row.id, family_id=row.family_id, supporter_id=row.supporter_id,
                        assigned_to=row.assigned_to,
                        done=lambda _id, _name: self._after_change())

    def action_callback(self) -> None:
        row = self.current
        if row is not None:
            callback_flow(self, row.id, row.follow_up_due, lambda _due: self._after_change())

    def action_close_enquiry(self) -> None:
        row = self.current
        if row is not None:
            close_flow(self, row.id, lambda _code: self._after_change())

    def adviser_choices(self) -> list[tuple[str, str]]:
        from calllog.services import queue

        app = self.calllog
        assert app.store is not None
        return [(str(queue.UNASSIGNED), "Unassigned")] + [
            (str(s.id), s.display_name) for s in queue.assignable_staff(app.store)]

    def action_filter(self) -> None:
        from dataclasses import replace

        def chosen(flt: QueueFilter | None) -> None:
            if flt is not None:
                self.load_query(replace(self.query_state, filter=flt))

        self.app.push_screen(FilterScreen(self.query_state.filter, self.adviser_choices(),
                                          adviser_fixed=self.adviser_fixed), chosen)

    @property
    def adviser_fixed(self) -> bool:
        return False

    def action_clear_filters(self) -> None:
        self.load_query(self.initial_query())

    def action_sort(self) -> None:
        from dataclasses import replace

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
        from dataclasses import replace

        if self.query_state.sort.value != "priority":
            self.load_query(replace(self.query_state,
                                    descending=not self.query_state.descending))

    def load_query(self, query: QueueQuery) -> None:
        """Show ``query`` (a new filter or sort) from the top."""
        self.query_state = query
        self.load()

    @property
    def mine(self) -> bool:
        """Is this "My work" (one person's own enquiries)?"""
        return False

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
