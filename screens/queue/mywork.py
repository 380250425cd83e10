"""My work (OPS2): an adviser's own open enquiries, callbacks overdue and due today
first, with their counts in the title; the queue's screen and keys, on their own
work only (the adviser filter is fixed to them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import BindingType

from screens.common.keys import keys_for
from screens.queue.screen import QueueScreen

if TYPE_CHECKING:
    from calllog.services.queue import QueueQuery, WorkSummary


class MyWorkScreen(QueueScreen):
    HELP_TITLE = "My work"
    TITLE_TEXT = "My work"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("my_work")

    def __init__(self) -> None:
        super().__init__()
        self.summary: WorkSummary | None = None

    def initial_query(self) -> QueueQuery:
        from calllog.services.queue import QueueFilter, QueueQuery

        return QueueQuery(QueueFilter(adviser_id=self.session.actor.id))

    @property
    def adviser_fixed(self) -> bool:
        return True

    @property
    def mine(self) -> bool:
        return True

    def load(self) -> None:
        self._summarise()
        super().load()

    def refresh_rows(self) -> None:
        self._summarise()
        super().refresh_rows()

    def _summarise(self) -> None:
        """Count the open, overdue and due-today work (in a worker) for the title."""
        from calllog.services import queue

        def done(summary: WorkSummary) -> None:
            self.summary = summary
            self._show_title()

        self.call_service(lambda s: queue.work_summary(s.store, s.actor), done,
                          group="work-summary")

    def title_words(self) -> str:
        words = "My work"
        if self.summary is not None:
            words += (f" · {self.summary.open:,} open, {self.summary.overdue:,} overdue, "
                      f"{self.summary.due_today:,} due today")
        return words
