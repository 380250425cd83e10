"""Text boxes that hold at most their field's limit and say so (REL3, issue 15).

Nothing typed is cut and nothing is dropped without a word:

- :class:`LimitedInput` (one line, inside every ``TextField``): a key or a paste
  that would go past the limit is refused and the reason is said (beside the
  field, or as a notification); the box is unchanged, the paste is still on the
  clipboard. A paste's line breaks and tabs become spaces and its escape
  sequences are removed; all its printable text is kept (Textual's own
  ``Input`` keeps only a paste's first line).
- :class:`NoteArea` (a multi-line note): shows "18,250 / 20,000" on its lower
  border once within a tenth of the limit, in red when over (text that came from
  elsewhere, an older draft, is never cut: the save then says by how much). A key
  or a paste that would go past the limit is refused with a message; the note is
  unchanged.

The limits are the core's (calllog/limits.py); the services refuse too much too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from calllog.text import clean_paste

__all__ = ["LimitedInput", "NoteArea", "paste_refused"]

NEAR = 0.9
"""The note's counter shows from this share of the limit."""


def paste_refused(pasted: int, would_be: int, most: int) -> str:
    return (f"The paste is {pasted:,} characters: with it this field would hold "
            f"{would_be:,}, and the most is {most:,}. Nothing was added; shorten it and "
            "paste again.")


def full(most: int) -> str:
    return f"This field is full: the most is {most:,} characters. Nothing more was added."


class LimitedInput(Input):
    """An ``Input`` whose refusals are said, not just rung. ``say`` shows the
    message (a ``TextField`` puts it beside itself); by default a notification."""

    def __init__(self, *args: Any, say: Callable[[str], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.say = say
        self._pasting: int | None = None

    def restricted(self) -> None:
        self.app.bell()
        if not self.max_length:
            return
        if self._pasting is not None:
            start, end = sorted(self.selection)
            would_be = len(self.value) - (end - start) + self._pasting
            message = paste_refused(self._pasting, would_be, self.max_length)
        else:
            message = full(self.max_length)
        if self.say is not None:
            self.say(message)
        else:
            self.notify(message, severity="warning")

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Textual's Input keeps only the first line
        event.stop()
        text = clean_paste(event.text, multiline=False)
        if not text:
            return
        self._pasting = len(text)
        try:
            self.replace(text, *sorted(self.selection))
        finally:
            self._pasting = None


class NoteArea(TextArea):
    """A ``TextArea`` that holds at most ``max_length`` characters typed or pasted,
    with a counter as the limit nears."""

    DEFAULT_CSS = """
    NoteArea.-near { border-subtitle-color: $warning; }
    NoteArea.-over { border-subtitle-color: $error; border-subtitle-style: bold; }
    """

    def __init__(self, text: str = "", *, max_length: int, **kwargs: Any) -> None:
        super().__init__(text, **kwargs)
        self.max_length = max_length
        self._told_full = False
        self._pasting = False

    def on_mount(self) -> None:
        self._count()

    def _on_text_area_changed(self, _event: TextArea.Changed) -> None:
        self._count()  # not stopped: the form hears of the change too

    def _count(self) -> None:
        length, most = len(self.text), self.max_length
        over = length > most
        near = length >= most * NEAR
        self.border_subtitle = f"{length:,} / {most:,}" if near else None
        self.set_class(over, "-over")
        self.set_class(near and not over, "-near")
        if length < most:
            self._told_full = False

    def _replace_via_keyboard(self, insert: str, start: Location, end: Location
                              ) -> EditResult | None:
        if insert and not self.read_only:
            top, bottom = sorted((start, end))
            removed = len(self.get_text_range(top, bottom))
            would_be = len(self.text) - removed + len(insert)
            if would_be > self.max_length and len(insert) > removed:
                self._refuse(len(insert), would_be)
                return None
        return super()._replace_via_keyboard(insert, start, end)

    def _refuse(self, inserted: int, would_be: int) -> None:
        self.app.bell()
        if self._pasting:
            self.notify(paste_refused(inserted, would_be, self.max_length), severity="warning")
        elif not self._told_full:  # once, not at every key
            self._told_full = True
            self.notify(full(self.max_length), severity="warning")

    async def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # Textual's TextArea would insert the raw text
        event.stop()
        if self.read_only:
            return
        self._pasting = True
        try:
            result = self._replace_via_keyboard(clean_paste(event.text, multiline=True),
                                                *self.selection)
        finally:
            self._pasting = False
        if result:
            self.move_cursor(result.end_location)
            self.focus()
