"""The footer of every screen: Textual's Footer, but a key that does not fit in the
width is left out whole (F1 and the command palette still have it) instead of being
cut mid-word under the palette key. Keys come in data/keys.toml's order, most used
first, so the ones left out at 80 columns are the least used; F1 (help) and the
palette key are always kept, and a dialog shows F1 too (Textual's footer leaves the
app's keys out of a modal screen, though F1 works there)."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"  # the app's F1 (data/keys.toml, list "app")

# FooterKey's cells around its text (Textual's CSS): " key description " in the
# normal style, "key description" and a margin of one in the compact style; the
# palette key, docked right, has a border before it and a space after.
_PADDING = 3
_COMPACT_PADDING = 2
_PALETTE_EXTRA = 2


def _kept(widget: Widget) -> bool:
    """Keys never left out: the palette's and F1."""
    return isinstance(widget, FooterKey) and (
        widget.has_class("-command-palette") or widget.action == HELP_ACTION)


class CalllogFooter(Footer):
    """Footer that leaves out whole keys, from the last, until the rest fit."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._laid_out_width = 0

    def _cells(self, key: FooterKey) -> int:
        cells = cell_len(key.key_display) + cell_len(key.description)
        cells += (_COMPACT_PADDING if self.compact else _PADDING) - (not key.description)
        if key.has_class("-command-palette"):
            cells += _PALETTE_EXTRA
        return cells

    def _help_key(self) -> FooterKey | None:
        """F1 for a dialog, whose footer Textual gives only the dialog's own keys."""
        if not self.screen.is_modal:
            return None
        for binding in self.app._bindings.key_to_bindings.get("f1", []):
            if binding.action == HELP_ACTION and binding.show:
                return FooterKey(binding.key, self.app.get_key_display(binding),
                                 binding.description, binding.action,
                                 tooltip=binding.tooltip).data_bind(compact=Footer.compact)
        return None

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._laid_out_width = width
        widgets = list(super().compose())
        if not any(isinstance(w, FooterKey) and w.action == HELP_ACTION for w in widgets):
            help_key = self._help_key()
            if help_key is not None:
                widgets.append(help_key)
        left = width - sum(self._cells(w) for w in widgets
                           if isinstance(w, FooterKey) and _kept(w))
        full = False
        for widget in widgets:
            if isinstance(widget, FooterKey) and not _kept(widget):
                cells = self._cells(widget)
                full = full or cells > left
                if full:
                    continue  # this key and every later one: whole, or not at all
                left -= cells
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
