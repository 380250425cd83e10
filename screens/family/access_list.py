"""Who has seen this record (ACC6; Surrey 001 §6.2): every member of staff who viewed,
changed, disclosed or overrode anything of the family's, and when, from the audit
log; for supervisors and the family's supporter, so the parent can be told.
One family's rows are few, so a ``DataTable`` is fine here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from screens.common.base import CalllogScreen
from screens.common.supervision import ask_for_notes

if TYPE_CHECKING:
    from calllog.services.access import AccessEntry
    from screens.family.record import FamilyScreen


class AccessListScreen(CalllogScreen[None]):
    HELP_TITLE = "Who has seen this record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="access_list.back",
                tooltip="Back to the family record."),
    ]

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
        yield Footer()

    def on_mount(self) -> None:
        profile = self.calllog.profile
        assert profile is not None
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


def family_action_allowed(screen: FamilyScreen, action: str) -> bool | None:
    """Hide "who has seen" from anyone but supervisors and the family's supporter, and
    supervision access from anyone the profile does not allow it (Northamptonshire:
    nobody)."""
    from calllog.services import notes

    app = screen.calllog
    actor, record = app.actor, screen.record
    if action == "access_list":
        return bool(actor and (actor.is_supervisor or actor.id == record.supporter_id))
    if action == "supervision_notes":
        if actor is None or app.profile is None:
            return False
        if not notes.supervision_access(actor, app.profile):
            return False
        return True if any(c.notes_hidden for c in record.contacts) else None
    return True


def show_access_list(screen: FamilyScreen) -> None:
    from calllog.errors import CalllogError
    from calllog.services import access

    app = screen.calllog
    assert app.store and app.actor
    try:
        entries = access.access_list(app.store, app.actor, screen.record.id)
    except CalllogError as error:
        screen.notify(str(error), severity="error")
        return
    screen.app.push_screen(AccessListScreen(screen.record.coded_ref, entries))


def supervision_notes(screen: FamilyScreen) -> None:
    """PRIV1: a supervisor opens the family's notes with a reason (audited); the notes
    show on this screen only, until it is closed."""
    from dataclasses import replace


    def show(opened: Mapping[int, str]) -> None:
        record = screen.record
        contacts = tuple(
            replace(c, notes=opened[c.id], notes_hidden=False) if c.id in opened else c
            for c in record.contacts)
        screen.show(replace(record, contacts=contacts))
        screen.refresh_bindings()

    ask_for_notes(screen, show, family_id=screen.record.id)
