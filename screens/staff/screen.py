"""Staff accounts for supervisors and administrators: unlock, disable, enable.

DBS details appear only for the roles the service profile names (ACC4). Adding
accounts and resetting passwords is done with ``calllog staff`` (passwords are
typed at a hidden prompt there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static

from calllog.errors import CalllogError
from screens.common.base import CalllogScreen

if TYPE_CHECKING:
    from calllog.services.staff import StaffView


class StaffScreen(CalllogScreen[None]):
    HELP_TITLE = "Staff accounts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "unlock", "Unlock", id="staff.unlock",
                tooltip="Unlock the chosen account after repeated failed logins."),
        Binding("d", "toggle_active", "Disable/enable", id="staff.toggle_active",
                tooltip="Disable or re-enable the chosen account (administrators)."),
        Binding("escape", "back", "Back", id="staff.back", tooltip="Back to home."),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._staff_rows: list[StaffView] = []


    def compose(self) -> ComposeResult:
        yield Static("Staff accounts", id="staff-title")
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="staff-message", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Username", "Name", "Role", "Status", "DBS")
        self.reload()

    def reload(self) -> None:
        from calllog.services import staff

        app = self.calllog
        assert app.store and app.actor and app.profile
        self._staff_rows = staff.list_staff(app.store, app.actor, app.profile.dbs_visible_to)
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self._staff_rows:
            status = "disabled" if not row.active else "LOCKED" if row.locked else "active"
            if row.dbs_checked_on is not None:
                dbs = f"{row.dbs_checked_on:%d/%m/%Y} {row.dbs_reference}"
            else:
                dbs = "recorded" if row.dbs_recorded else "not recorded"
            role = app.profile.role_names.get(row.role.value, row.role.value)
            table.add_row(
                Text(row.username), Text(row.display_name), Text(role), Text(status), Text(dbs),
                key=str(row.id),
            )
        if self._staff_rows:
            table.move_cursor(row=min(cursor, len(self._staff_rows) - 1))

    def _chosen(self) -> StaffView | None:
        table = self.query_one(DataTable)
        if not self._staff_rows:
            return None
        return self._staff_rows[table.cursor_row]

    def _say(self, text: str) -> None:
        self.query_one("#staff-message", Static).update(text)

    def action_unlock(self) -> None:
        from calllog.services import staff

        chosen = self._chosen()
        app = self.calllog
        if chosen is None or app.store is None or app.actor is None:
            return
        try:
            staff.unlock(app.store, app.actor, chosen.username)
        except CalllogError as error:
            self._say(str(error))
            return
        self._say(f"Unlocked {chosen.username}.")
        self.reload()

    def action_toggle_active(self) -> None:
        from calllog.services import staff

        chosen = self._chosen()
        app = self.calllog
        if chosen is None or app.store is None or app.actor is None:
            return
        try:
            staff.set_active(app.store, app.actor, chosen.username, not chosen.active)
        except CalllogError as error:
            self._say(str(error))
            return
        self._say(f"{'Enabled' if not chosen.active else 'Disabled'} {chosen.username}.")
        self.reload()

    def action_back(self) -> None:
        self.dismiss()
