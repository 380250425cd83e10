"""Information from other agencies (REC9): what is on record for the family, and a
new item, recorded only with the confirmation that the parent asked us to obtain it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog.clock import today
from calllog.limits import NAME, REASON
from calllog.text import clean_text
from calllog.validation import format_date
from screens.common.fields import date_field, typed_date
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField
from screens.family.tool import FamilyToolScreen

if TYPE_CHECKING:
    from calllog.errors import CalllogError
    from calllog.services.agencies import AgencyInformationView


ASKED: list[Choice] = [
    ("YES", "Yes: the parent asked us to obtain it"),
    ("NO", "No: the parent did not ask"),
]


class AgencyInfoScreen(FamilyToolScreen[None]):
    HELP_TITLE = "Information from another agency"
    AUTO_FOCUS = "#agency-name-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("agency")

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Information from another agency: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield TextField("Agency", id="agency-name", max_length=NAME)
            yield TextField("What it was", id="agency-summary", max_length=REASON,
                            placeholder="briefly: only what is directly relevant")
            yield TextField("Obtained on", id="agency-date", validator=date_field,
                            max_length=10, value=format_date(today()))
            yield PickField("Parent asked?", ASKED, id="agency-asked")
            yield Static(id="agency-list")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read what is on record (in a worker), then list it."""
        from calllog.services import agencies

        family_id = self.family_id
        self.call_service(
            lambda s: agencies.family_agency_information(s.store, s.actor, family_id),
            self._show, failed=self._unreadable, quiet=True, group="agency")

    def _unreadable(self, error: CalllogError) -> None:
        self.query_one("#agency-list", Static).update(Text(str(error)))

    def _show(self, held: list[AgencyInformationView]) -> None:
        text = Text(f"\nOn record ({len(held)})\n", style="bold")
        for item in held:
            text.append(f"  {format_date(item.obtained_on)} {clean_text(item.agency)}: ",
                        style="bold")
            text.append(f"{clean_text(item.summary, multiline=True)} (the parent asked; "
                        f"recorded by {item.recorded_by})\n")
        self.query_one("#agency-list", Static).update(text)

    def action_save(self) -> None:
        from calllog.services import agencies

        if self.saving:
            return
        asked = self.query_one("#agency-asked", PickField).value
        if asked is None:
            self.query_one("#agency-asked", PickField).focus_input()
            self.notify("Say whether the parent asked us to obtain it.", severity="error")
            return
        when = typed_date(self.query_one("#agency-date", TextField))
        agency = self.query_one("#agency-name", TextField).value
        summary = self.query_one("#agency-summary", TextField).value
        family_id = self.family_id
        self.saving = True
        self.call_service(
            lambda s: agencies.record_agency_information(
                s.store, s.actor, s.profile, family_id, agency=agency, summary=summary,
                parent_asked=asked == "YES", obtained_on=when),
            self._saved, fields={"agency": "agency-name", "summary": "agency-summary",
                                 "obtained_on": "agency-date"}, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def _saved(self, _: object) -> None:
        self.saving = False
        self.notify("Recorded, with the parent's request.")
        for widget_id in ("agency-name", "agency-summary"):
            self.query_one(f"#{widget_id}", TextField).value = ""
        self.reload()

