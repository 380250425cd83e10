"""The focused field is always in view (issue 17).

Textual scrolls a newly focused widget into view straight away, but a field inside
a section made visible in the same step (the diversity questions, another child,
the caller's details) has no place on the screen yet: the scroll reads the old
layout and the cursor lands off-screen, so the adviser types blind. Once the screen
has been laid out again, this scrolls the focused widget wholly into view.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget


def keep_in_view(screen: Screen[Any], widget: Widget) -> None:
    """After the next refresh (the layout is then current), scroll ``widget`` into
    view if it still has focus and is not wholly shown."""

    def scroll() -> None:
        if (screen.focused is widget and widget.is_attached
                and not screen.can_view_entire(widget)):
            screen.scroll_to_center(widget, animate=False, origin_visible=True,
                                    immediate=True)

    screen.call_after_refresh(scroll)
