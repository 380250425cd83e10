"""Find a family (REC6): by name, telephone, postcode or a child's date of birth.
Matches show coded references and only what tells families apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.enquiry.matches import match_text
from screens.family.record import FamilyScreen

if TYPE_CHECKING:
    from calllog.errors import CalllogError
    from calllog.services.families import FamilyRecord
    from calllog.services.search import FamilyMatch


class FindFamilyScreen(CalllogScreen[None]):
    HELP_TITLE = "Find a family"
    AUTO_FOCUS = "#find-query"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("find")
    opening = False  # a family is being opened: a second enter waits for it

    def compose(self) -> ComposeResult:
        yield Static("Find a family: name, telephone, postcode or child's date of birth")
        yield Input(placeholder="e.g. smith, 07700 900123, GU21 4XX, 04/03/2015",
                    id="find-query", max_length=80)
        yield OptionList(id="find-results")
        yield Static("", id="find-message", markup=False)
        yield CalllogFooter()

    @on(Input.Changed, "#find-query")
    def _typed(self, event: Input.Changed) -> None:
        from calllog.services import search

        text = event.value
        self.call_service(
            lambda s: search.find_families(s.store, s.actor, text, limit=20),
            lambda found: self._show(found, text), failed=self._failed, quiet=True,
            group="find")

    def _failed(self, error: CalllogError) -> None:
        self._say(str(error))

    def _say(self, message: str) -> None:
        self.query_one("#find-message", Static).update(message)

    def _show(self, found: list[FamilyMatch], text: str) -> None:
        if text != self.query_one("#find-query", Input).value:
            return  # typed on since: a later search answers
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(match_text(m), id=str(m.family_id)) for m in found])
        if len(text.strip()) < 2:
            self._say("")
        else:
            self._say(f"{len(found)} found. Down, then enter to open." if found
                      else "No family found.")

    @on(Input.Submitted, "#find-query")
    def action_focus_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        """Open the family's record (audited as a view)."""
        from calllog.services import families

        if event.option.id is None or self.opening:
            return
        family_id = int(event.option.id)

        def opened(record: FamilyRecord) -> None:
            self.opening = False
            self.app.push_screen(FamilyScreen(record))

        def not_opened(error: CalllogError) -> None:
            self.opening = False
            self._say(str(error))

        self.opening = True
        self.call_service(lambda s: families.open_family(s.store, s.actor, family_id),
                          opened, failed=not_opened, quiet=True, group="open")

    def action_back(self) -> None:
        self.dismiss()
