"""F1: every key of the screen beneath, with what it does.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for


def _label(screen: Screen[Any], binding: Binding) -> str:
    return (screen.key_label(binding) if isinstance(screen, CalllogScreen)
            else binding.tooltip or binding.description or binding.action)


def describe_keys(screen: Screen[Any], *, own_only: bool = False) -> list[tuple[str, str]]:
    """(key, description) for every binding active on ``screen``, app-level included;
    ``own_only`` leaves out Textual's generic keys (focus, copy), which have no id.
    A key of the screen's own that the focused widget uses too (enter in a text box)
    is listed with the screen's meaning, which is what the key does there. The
    screen's own keys come first, then the app's, then Textual's generic ones."""
    rows: dict[str, tuple[str, str]] = {}
    ids: set[str] = set()
    rank: dict[str, int] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or key in rows or (own_only and not binding.id):
            continue
        label = _label(screen, binding)
        if not active.enabled:
            label += " (not available now)"
        rows[key] = (screen.app.get_key_display(binding), label)
        ids.add(binding.id or "")
        rank[key] = 2 if not binding.id else 1 if active.node is screen.app else 0
    if screen.is_modal:  # a dialog: the app's priority keys (quit, lock, F1) still work
        for key, binding in screen.app._bindings:
            if binding.priority and key not in rows and screen.app.check_action(
                    binding.action, ()) is not False:
                rows[key] = (screen.app.get_key_display(binding), _label(screen, binding))
                ids.add(binding.id or "")
                rank[key] = 1
    for key, bindings in screen._bindings.key_to_bindings.items():
        for binding in bindings:
            if key in rows and binding.id and binding.id not in ids and not binding.system:
                rows[key] = (screen.app.get_key_display(binding), _label(screen, binding))
                ids.add(binding.id)
                rank[key] = 0
    return [rows[key] for key in sorted(rows, key=rank.__getitem__)]


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
        yield CalllogFooter()

    def action_close(self) -> None:
        self.dismiss()
