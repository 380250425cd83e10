"""Who has seen this record (ACC6; Surrey 001 §6.2): every member of staff who viewed,
changed, disclosed or overrode anything of the family's, and when, from the audit
log, so the parent can be told. The family screen loads the entries (for supervisors
and the family's supporter) and opens this screen with them. One family's rows are
few, so a ``DataTable`` is fine here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for

if TYPE_CHECKING:
    from calllog.services.access import AccessEntry


class AccessListScreen(CalllogScreen[None]):
    HELP_TITLE = "Who has seen this record"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("access_list")

    def __init__(self, coded_ref: str, entries: Sequence[AccessEntry]) -> None:
        super().__init__()
        self.coded_ref = coded_ref
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        title = Text("Who has seen this record: ", style="bold")
        title.append(self.coded_ref)
        people = len({e.staff_id for e in self.entries})
        title.append(f"   {len(self.entries)} entries, {people} staff", style="dim")
        yield Static(title, id="access-title")
        yield DataTable(id="access-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="access-why", markup=False)
        yield Static("From the audit log: every view, change, disclosure and override of "
                     "this family's records, oldest first.", id="access-hint", markup=False)
        yield CalllogFooter()

    def on_mount(self) -> None:
        profile = self.session.profile
        table = self.query_one(DataTable)
        table.add_columns("When", "Who", "Role", "What")
        for entry in self.entries:
            role = profile.role_names.get(entry.role, entry.role) if entry.role else ""
            table.add_row(
                Text(f"{entry.at.astimezone():%d/%m/%Y %H:%M}"), Text(entry.staff_name),
                Text(role), Text(entry.what), key=str(entry.audit_id),
            )
        table.focus()

    @on(DataTable.RowHighlighted)
    def _why(self, event: DataTable.RowHighlighted) -> None:
        """The reason recorded with the highlighted entry (a supervision access's)."""
        entry = self.entries[event.cursor_row] if self.entries else None
        text = Text()
        if entry is not None and entry.reason:
            text.append("Reason recorded: ", style="dim")
            text.append(entry.reason)
        self.query_one("#access-why", Static).update(text)

    def action_back(self) -> None:
        self.dismiss()

