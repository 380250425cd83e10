"""The queue's rows: a line-API scrolling widget (after Textualize/toolong) that
draws only the lines on screen, from a window of at most ``WINDOW_PAGES`` pages
read from SQL a page at a time by keyset (``calllog.services.queue``).

The screen hands it a ``QueueReader`` made from the signed-in session; every read
runs in a thread, so a busy database never holds up a key. Moving near the end of
the window reads the next page and appends it; the oldest page is dropped (its start
is kept, a few bytes, so moving back up reads it again). So memory and drawing cost
do not depend on how long the queue is, and a ``DataTable`` never holds the queue
(it measures every cell it holds).

Everything shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, work
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.common.keys import keys_for
from screens.queue.rows import row_text

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.queue import Cursor, Page, QueueReader, QueueRow


WINDOW_PAGES = 3
PREFETCH_SCREENS = 2  # read the next page when the cursor is this many screens from the end
_RANK = {"first": 3, "refresh": 2, "next": 1, "prev": 1}  # which waiting read wins
UNREADABLE = "The queue could not be read just now; it is tried again on the next change."


def _read(kind: str, reader: QueueReader, starts: list[Cursor | None], end: Cursor | None,
          before: Cursor | None) -> list[Page]:
    """The pages a request reads: the ``first`` page, the ``next`` after the window,
    the page ``prev``ious to it, or the whole window again (``refresh``)."""
    if kind == "first":
        return [reader.page(None)]
    if kind == "next":
        return [reader.page(end)] if end is not None else []
    if kind == "prev":
        return [reader.page(before)]
    pages: list[Page] = []
    cursor = starts[0] if starts else None
    for _ in range(max(len(starts), 1)):
        page = reader.page(cursor)
        pages.append(page)
        if page.end is None:
            break
        cursor = page.end
    return pages


class QueueTable(ScrollView, can_focus=True):
    """Rows of one queue query; the screen gives it a reader and asks for refreshes."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    QueueTable > .queue-table--cursor { background: $accent 40%; }
    QueueTable:focus > .queue-table--cursor { background: $accent; color: $text; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"queue-table--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = keys_for("queue_table")

    class Highlighted(Message):
        """The cursor moved to another row (or the rows changed under it)."""

        def __init__(self, table: QueueTable, row: QueueRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Loaded(Message):
        """A new query's first page is shown."""

        def __init__(self, table: QueueTable) -> None:
            super().__init__()
            self.table = table

    class Failed(Message):
        def __init__(self, table: QueueTable, error: str) -> None:
            super().__init__()
            self.table = table
            self.error = error

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.reader: QueueReader | None = None
        self.pages: list[Page] = []
        self.before: list[Cursor | None] = []  # starts of the pages dropped above
        self.above = 0  # rows above the window
        self.cursor = 0  # index in the window
        self._rows: list[QueueRow] = []
        self._generation = 0
        self._busy = False
        self._pending: str | None = None
        self._lines: LRUCache[tuple[int, bool, int], Strip] = LRUCache(256)
        self.before_refresh: Callable[[], object] | None = None
        """Called in the reading thread just before the rows on show are read again
        (the screen's change watcher notes that what has changed so far is seen)."""

    # --- what is shown --------------------------------------------------------------

    @property
    def rows(self) -> Sequence[QueueRow]:
        return self._rows

    @property
    def current(self) -> QueueRow | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    @property
    def position(self) -> int:
        """The cursor's row number in the whole queue, from 1."""
        return self.above + self.cursor + 1

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_pages(self, pages: list[Page], *, keep_id: int | None = None,
                   cursor: int | None = None) -> None:
        self.pages = pages
        self._rows = [row for page in pages for row in page.rows]
        self._lines.clear()
        if keep_id is not None:
            found = next((i for i, r in enumerate(self._rows) if r.id == keep_id), None)
            if found is not None:
                cursor = found
        self.cursor = max(0, min(cursor if cursor is not None else self.cursor,
                                 len(self._rows) - 1))
        self.virtual_size = Size(self.size.width, max(len(self._rows), 1))
        self._ensure_visible()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = y + round(self.scroll_offset.y)
        base = self.rich_style
        if not self._rows:
            if y == 0 and self.reader is not None:
                words = "  Reading the queue…" if self._busy else "  No enquiries match."
                return Strip(Text(words, style="italic").render(
                    self.app.console)).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        is_cursor = index == self.cursor
        key = (self._rows[index].id, is_cursor, width)
        strip = self._lines.get(key)
        if strip is None:
            text = row_text(self._rows[index], self.profile, width)
            if is_cursor:
                text.stylize(self.get_component_rich_style("queue-table--cursor"))
            strip = Strip(text.render(self.app.console)).crop_extend(0, width, base)
            self._lines[key] = strip
        return strip

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.size.width, max(len(self._rows), 1))

    def on_focus(self) -> None:
        self._lines.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._lines.clear()
        self.refresh()

    def _ensure_visible(self) -> None:
        height = max(self.size.height, 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    # --- moving ---------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        index = max(0, min(index, len(self._rows) - 1))
        if index != self.cursor:
            self.cursor = index  # the cached lines know which row had the cursor
            self._ensure_visible()
            self.refresh()
            self.post_message(self.Highlighted(self, self.current))
        self._prefetch()

    def action_move(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self.cursor + step * max(self.size.height - 1, 1))

    def action_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        self._move_to(event.y + round(self.scroll_offset.y))

    def action_top(self) -> None:
        if self.above == 0:
            self._move_to(0)
        else:
            self._request("first")

    def _prefetch(self) -> None:
        if not self.pages:
            return
        margin = PREFETCH_SCREENS * max(self.size.height, 1)
        if self.pages[-1].end is not None and self.cursor >= len(self._rows) - margin:
            self._request("next")
        elif self.before and self.cursor < margin:
            self._request("prev")

    # --- reading --------------------------------------------------------------------

    def load(self, reader: QueueReader) -> None:
        """Show a new query from its top."""
        self.reader = reader
        self._generation += 1
        self._busy = False
        self._pending = None
        self._request("first")

    def refresh_window(self) -> None:
        """Read the rows on show again (something changed in the store)."""
        if self.reader is not None:
            self._request("refresh")

    def _request(self, kind: str) -> None:
        if self.reader is None:
            return
        if self._busy:  # one read at a time; the most useful one waits
            if self._pending is None or _RANK[kind] > _RANK[self._pending]:
                self._pending = kind
            return
        self._busy = True
        before = self.before[-1] if self.before else None
        starts = [page.start for page in self.pages]
        end = self.pages[-1].end if self.pages else None
        first = self.before_refresh if kind == "refresh" else None
        self._fetch(kind, self.reader, self._generation, starts, end, before, first)

    @work(thread=True, group="queue-table", exit_on_error=False)
    def _fetch(self, kind: str, reader: QueueReader, generation: int,
               starts: list[Cursor | None], end: Cursor | None, before: Cursor | None,
               first: Callable[[], object] | None) -> None:
        """In a thread, so a busy database never holds up a key: the pages ``kind``
        asks for, handed to ``_apply`` on the UI thread."""
        from calllog.errors import CalllogError

        try:
            if first is not None:
                first()
            pages = _read(kind, reader, starts, end, before)
        except CalllogError as error:
            self.app.call_from_thread(self._failed, generation, str(error))
            return
        except Exception:
            self.app.call_from_thread(self._failed, generation, UNREADABLE)
            raise
        self.app.call_from_thread(self._apply, kind, generation, pages)

    def _failed(self, generation: int, error: str) -> None:
        self._busy = False
        if generation == self._generation and self.is_attached:
            self.post_message(self.Failed(self, error))

    def _apply(self, kind: str, generation: int, pages: list[Page]) -> None:
        self._busy = False
        if not self.is_attached:
            return
        if generation != self._generation:  # a newer query replaced this one
            self._run_pending()
            return
        current = self.current
        if kind == "first":
            self.before, self.above = [], 0
            self.scroll_to(y=0, animate=False, immediate=True)
            self._set_pages(pages, cursor=0)
            self.post_message(self.Loaded(self))
        elif kind == "refresh":
            self._set_pages(pages, keep_id=current.id if current else None)
        elif kind == "next" and pages:
            window = [*self.pages, *pages]
            cursor, top = self.cursor, round(self.scroll_offset.y)
            while len(window) > WINDOW_PAGES:
                dropped = window.pop(0)
                self.before.append(dropped.start)
                self.above += len(dropped.rows)
                cursor -= len(dropped.rows)
                top -= len(dropped.rows)
            self._set_pages(window, cursor=cursor)
            self.scroll_to(y=max(top, 0), animate=False, immediate=True)
            self._ensure_visible()
        elif kind == "prev" and pages and self.before:
            self.before.pop()
            added = len(pages[0].rows)
            window = [*pages, *self.pages][:WINDOW_PAGES]
            self.above -= added
            top = round(self.scroll_offset.y) + added
            self._set_pages(window, cursor=self.cursor + added)
            self.scroll_to(y=top, animate=False, immediate=True)
            self._ensure_visible()
        self._run_pending()
        if kind in ("next", "prev"):
            self._prefetch()

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self._request(pending)
