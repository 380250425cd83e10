"""Choose a returning caller's family from the matches (coded references only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for

if TYPE_CHECKING:
    from calllog.services.search import FamilyMatch


def match_text(match: FamilyMatch) -> Text:
    text = Text(match.coded_ref, style="bold")
    text.append(f"  {match.hint}")
    return text


class MatchesScreen(ModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("matches")
    DEFAULT_CSS = """
    MatchesScreen { align: center middle; }
    MatchesScreen > Vertical { width: 72; height: auto; max-height: 20;
                               border: thick $primary; background: $surface; padding: 0 1; }
    MatchesScreen OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, matches: Sequence[FamilyMatch]) -> None:
        super().__init__()
        self.matches = list(matches)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Returning caller: choose their family (enter), or escape")
            yield OptionList(*[Option(match_text(m), id=str(m.family_id))
                               for m in self.matches], id="match-list")
        yield CalllogFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
