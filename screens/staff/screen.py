"""Staff accounts for supervisors and administrators: unlock a locked account (ACC2),
disable or enable one (administrators, ACC1). A key is offered only to whom the
policy allows it, and only for an account it applies to.

DBS details appear only for the roles the service profile names (ACC4). Adding
accounts and resetting passwords is done with ``calllog staff`` (passwords are
typed at a hidden prompt there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from calllog import policy
from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for

if TYPE_CHECKING:
    from calllog.services.staff import StaffView
    from calllog.session import SignedIn


def _list(s: SignedIn) -> list[StaffView]:
    """Everyone's account (in a worker); DBS details as the profile allows."""
    from calllog.services import staff

    return staff.list_staff(s.store, s.actor, s.profile.dbs_visible_to)


class StaffScreen(CalllogScreen[None]):
    HELP_TITLE = "Staff accounts"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("staff")

    def __init__(self) -> None:
        super().__init__()
        self._staff_rows: list[StaffView] = []

    def compose(self) -> ComposeResult:
        yield Static("Staff accounts", id="staff-title")
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="staff-message", markup=False)
        yield CalllogFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Username", "Name", "Role", "Status", "DBS")
        self.call_service(_list, self._show)

    def _show(self, rows: list[StaffView]) -> None:
        self._staff_rows = rows
        role_names = self.session.profile.role_names
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            status = "disabled" if not row.active else "LOCKED" if row.locked else "active"
            if row.dbs_checked_on is not None:
                dbs = f"{row.dbs_checked_on:%d/%m/%Y} {row.dbs_reference}"
            else:
                dbs = "recorded" if row.dbs_recorded else "not recorded"
            role = role_names.get(row.role.value, row.role.value)
            table.add_row(
                Text(row.username), Text(row.display_name), Text(role), Text(status), Text(dbs),
                key=str(row.id),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.refresh_bindings()

    def _chosen(self) -> StaffView | None:
        table = self.query_one(DataTable)
        if not self._staff_rows or not 0 <= table.cursor_row < len(self._staff_rows):
            return None
        return self._staff_rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.session.actor
        if action == "unlock":
            if not policy.may_unlock_accounts(actor):
                return False
            chosen = self._chosen()
            return True if chosen is not None and chosen.locked else None
        if action == "toggle_active":
            if not policy.may_manage_staff(actor):
                return False
            chosen = self._chosen()
            allowed = chosen is not None and policy.may_set_account_active(
                actor, chosen.id, not chosen.active).allowed
            return True if allowed else None
        return True

    def _say(self, text: str) -> None:
        self.query_one("#staff-message", Static).update(text)

    def _change(self, change: Callable[[SignedIn], object], said: str) -> None:
        """Make the change (in a worker), say so under the table, and show the accounts
        as they now are. A refusal is shown as every error is (``show_error``)."""
        def work(s: SignedIn) -> list[StaffView]:
            change(s)
            return _list(s)

        def done(rows: list[StaffView]) -> None:
            self._say(said)
            self._show(rows)

        self._say("")
        self.call_service(work, done, group="staff")

    def action_unlock(self) -> None:
        from calllog.services import staff

        chosen = self._chosen()
        if chosen is not None:
            name = chosen.username
            self._change(lambda s: staff.unlock(s.store, s.actor, name), f"Unlocked {name}.")

    def action_toggle_active(self) -> None:
        from calllog.services import staff

        chosen = self._chosen()
        if chosen is not None:
            name, active = chosen.username, not chosen.active
            self._change(lambda s: staff.set_active(s.store, s.actor, name, active),
                         f"{'Enabled' if active else 'Disabled'} {name}.")

    def action_back(self) -> None:
        self.dismiss()
