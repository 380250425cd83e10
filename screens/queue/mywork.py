"""My work (OPS2): an adviser's own open enquiries, callbacks overdue and due today
first; the same keys as the queue, on their own work only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from screens.queue.screen import QueueScreen

if TYPE_CHECKING:
    from calllog.services.queue import QueueFilter, QueueQuery, WorkSummary


class MyWorkScreen(QueueScreen):
    HELP_TITLE = "My work"
    TITLE_TEXT = "My work"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "clear_filters", "Clear filters", id="my_work.clear_filters", show=False,
                tooltip="Back to all your open enquiries, callbacks due first."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: WorkSummary | None = None

    def initial_query(self) -> QueueQuery:
        from calllog.services.queue import QueueFilter, QueueQuery

        actor = self.calllog.actor
        assert actor is not None
        return QueueQuery(QueueFilter(adviser_id=actor.id))

    @property
    def adviser_fixed(self) -> bool:
        return True

    @property
    def mine(self) -> bool:
        return True

    def load(self) -> None:
        from calllog.services import queue

        app = self.calllog
        assert app.store and app.actor
        self.summary = queue.work_summary(app.store, app.actor)
        super().load()

    def refresh_rows(self) -> None:
        from calllog.services import queue

        app = self.calllog
        if app.store and app.actor:
            self.summary = queue.work_summary(app.store, app.actor)
        super().refresh_rows()

    def title_words(self) -> str:
        words = "My work"
        if self.summary is not None:
            words += (f" · {self.summary.open:,} open, {self.summary.overdue:,} overdue, "
                      f"{self.summary.due_today:,} due today")
        return words

    def filter_parts(self, flt: QueueFilter) -> list[str]:
        mine = super().filter_parts(flt)
        return [p for p in mine if not p.startswith("adviser ")]
