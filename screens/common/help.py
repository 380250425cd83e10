"""F1: every key of the screen beneath, with what it does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens.common.base import CalllogScreen
from screens.common.keys import keys_for


def describe_keys(screen: Screen[Any], *, own_only: bool = False) -> list[tuple[str, str]]:
    """(key, description) for every binding active on ``screen``, app-level included;
    ``own_only`` leaves out Textual's generic keys (focus, copy), which have no id."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or key in seen or (own_only and not binding.id):
            continue
        seen.add(key)
        label = (screen.key_label(binding) if isinstance(screen, CalllogScreen)
                 else binding.tooltip or binding.description or binding.action)
        if not active.enabled:
            label += " (not available now)"
        rows.append((screen.app.get_key_display(binding), label))
    return rows


class HelpScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("help")

    def __init__(self, beneath: Screen[Any]) -> None:
        super().__init__()
        self._rows = describe_keys(beneath)
        self._help_title = getattr(beneath, "HELP_TITLE", type(beneath).__name__)

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(f"Keys: {self._help_title}\n\n", style="bold")
        for key, label in self._rows:
            text.append(f"{key:>12}  ", style="bold")
            text.append(f"{label}\n")
        with VerticalScroll(id="help-body"):
            yield Static(text, id="help-text")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()
