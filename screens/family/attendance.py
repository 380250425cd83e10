"""Contact centres: the attendance register, adding a visit, and its release to the
referring agency (CC1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog.clock import today
from calllog.validation import format_date
from screens.common.dialogs import CopyTextScreen
from screens.common.fields import date_field, typed_date
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import TextField
from screens.family.tool import FamilyToolScreen

if TYPE_CHECKING:
    from calllog.errors import CalllogError
    from calllog.services.attendance import AttendanceView, Release


def _time(text: str) -> str:
    from calllog.services.attendance import parse_time

    return parse_time(text)


class AttendanceScreen(FamilyToolScreen[None]):
    """CC1: the dates and times the family attended; add a visit; release the register
    to the referring agency (recorded as a disclosure, nothing else goes with it)."""

    HELP_TITLE = "Attendance register"
    AUTO_FOCUS = "#visit-date-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("attendance")

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Attendance register: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield Static(id="visits")
            yield TextField("Date", id="visit-date", validator=date_field, max_length=10,
                            value=format_date(today()), placeholder="DD/MM/YYYY")
            yield TextField("Arrived", id="visit-arrived", validator=_time, max_length=5,
                            placeholder="HH:MM")
            yield TextField("Left", id="visit-left", validator=_time, max_length=5,
                            placeholder="HH:MM")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the register (in a worker), then list it."""
        from calllog.services import attendance

        family_id = self.family_id
        self.call_service(
            lambda s: attendance.register(s.store, s.actor, s.profile, family_id),
            self._show, failed=self._unreadable, quiet=True, group="attendance")

    def _unreadable(self, error: CalllogError) -> None:
        self.query_one("#visits", Static).update(Text(str(error)))

    def _show(self, visits: list[AttendanceView]) -> None:
        text = Text(f"Visits ({len(visits)})\n", style="bold")
        for visit in visits:
            text.append(f"  {format_date(visit.attended_on)}  {visit.arrived} to "
                        f"{visit.left}\n")
        self.query_one("#visits", Static).update(text)

    def action_add(self) -> None:
        from calllog.services import attendance

        if self.saving:
            return
        when = typed_date(self.query_one("#visit-date", TextField))
        arrived = self.query_one("#visit-arrived", TextField).value
        left = self.query_one("#visit-left", TextField).value
        family_id = self.family_id
        self.saving = True
        self.call_service(
            lambda s: attendance.record_attendance(s.store, s.actor, s.profile, family_id,
                                                   attended_on=when, arrived=arrived,
                                                   left=left),
            self._added, fields={"attended_on": "visit-date", "arrived": "visit-arrived",
                                 "left": "visit-left"}, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def _added(self, _: object) -> None:
        self.saving = False
        for widget_id in ("visit-arrived", "visit-left"):
            self.query_one(f"#{widget_id}", TextField).value = ""
        self.notify("Visit added.")
        self.reload()

    def action_release(self) -> None:
        """The register's dates and times, only them, to the referring agency (recorded
        as a disclosure)."""
        from calllog.services import attendance

        if self.saving:
            return
        family_id = self.family_id

        def released(release: Release) -> None:
            self.saving = False
            self.app.push_screen(CopyTextScreen(
                f"Attendance for {release.recipient} (recorded as a disclosure)",
                release.text))

        self.saving = True
        self.call_service(
            lambda s: attendance.release_to_referrer(s.store, s.actor, s.profile, family_id),
            released, failed=self._not_saved)

