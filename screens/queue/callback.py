"""The callback date dialog (OPS2): a date typed as DD/MM/YYYY, today or later, or
nothing to clear it. It only checks what is typed; the caller saves it.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from calllog.validation import ValidationError, format_date, parse_date
from screens.common.base import CalllogModal
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for


class CallbackScreen(CalllogModal[str | None]):
    """A callback date (DD/MM/YYYY); empty clears it. Returns the ISO date, "" to clear,
    or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("callback")
    DEFAULT_CSS = """
    CallbackScreen { align: center middle; }
    CallbackScreen > Vertical { width: 60; height: auto; border: thick $primary;
                                background: $surface; padding: 0 1; }
    CallbackScreen #callback-error { color: $error; }
    """

    def __init__(self, current: date | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Callback date", style="bold"))
            yield Input(format_date(self.current) if self.current else "",
                        placeholder="DD/MM/YYYY; empty clears it", id="callback-date",
                        max_length=10)
            yield Static("", id="callback-error", markup=False)
            yield Static("enter saves, escape cancels", classes="hint")
        yield CalllogFooter()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from calllog.clock import today

        event.stop()
        text = event.value.strip()
        if not text:
            self.dismiss("")
            return
        try:
            due = parse_date(text)
        except ValidationError as error:
            self.query_one("#callback-error", Static).update(error.message)
            return
        if due < today():
            self.query_one("#callback-error", Static).update("The callback date is in the past.")
            return
        self.dismiss(due.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)
