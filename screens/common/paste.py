"""Bracketed pastes keep all their text, even when they carry escape sequences.

Textual's input parser (``textual._xterm_parser.XTermParser``, Textual 8.2) reads
a bracketed paste one character at a time, but an ``ESC`` inside the paste starts
its escape-sequence search: the characters after it are not added to the paste
but sent on as *key presses* once the search gives up (32 characters, or the next
``ESC``), with the ``ESC`` itself as ``^``. So ``"a \\x1b[31mred\\x1b[0m note"``
arrives as the paste ``"a "`` plus the keys ``^ [ 3 1 m r e d ^ [ 0 m  n o t e``:
a tab or a line break in that tail moves the focus or submits a field, and the
text lands wherever the keys take it (docs/textual-notes.md has the reproduction).

:class:`PasteSafeParser` fixes that before Textual's parser sees the bytes: it
holds a paste's body until the paste ends, removes its escape sequences with the
core's own rule (:func:`calllog.text.strip_sequences`) and passes the body on
whole, so Textual makes one ``Paste`` event of all the printable text. Everything
outside a paste is passed on unchanged, as it arrives. A paste that never ends
(a terminal that lost the end marker) is passed on after a second of silence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.message import Message

from calllog.text import strip_sequences

__all__ = ["PasteSafeParser", "install_paste_parser"]

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
PASTE_IDLE_SECONDS = 1.0
"""A paste still open after this long with nothing more arriving is passed on."""


def paste_body(text: str) -> str:
    """A paste's body as Textual's parser may safely see it: no escape sequence and
    no stray ``ESC`` (which would start a sequence search); all else as it was."""
    return strip_sequences(text).replace("\x1b", "")


class PasteSafeParser(XTermParser):
    """Textual's parser, given each bracketed paste's body whole and without escape
    sequences."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._tail = ""  # the last characters passed on: a start marker split in two
        self._paste: list[str] | None = None  # inside a paste: its body so far
        self._paste_seen = 0.0

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input (inside a paste: pass on what came)
            if self._paste is not None:
                yield from super().feed(self._close_paste(""))
            yield from super().feed("")
            return
        passed = self._rewrite(data)
        if passed:  # never "": Textual's parser takes that for the end of input
            yield from super().feed(passed)

    def tick(self) -> Iterable[Message]:
        if (self._paste is not None
                and time.monotonic() - self._paste_seen > PASTE_IDLE_SECONDS):
            yield from super().feed(self._close_paste(""))
        yield from super().tick()

    def _close_paste(self, body: str) -> str:
        body = "".join(self._paste or ()) + body
        self._paste = None
        return paste_body(body) + PASTE_END

    def _rewrite(self, data: str) -> str:
        """What of ``data`` Textual's parser is given now."""
        out: list[str] = []
        while data:
            if self._paste is None:
                seen = self._tail + data
                at = seen.find(PASTE_START)
                if at < 0:
                    out.append(data)
                    self._tail = seen[-(len(PASTE_START) - 1):]
                    break
                after = at + len(PASTE_START) - len(self._tail)  # just past the marker
                out.append(data[:after])
                data = data[after:]
                self._tail = ""
                self._paste = []
                self._paste_seen = time.monotonic()
            else:
                body = "".join(self._paste) + data
                at = body.find(PASTE_END)
                self._paste_seen = time.monotonic()
                if at < 0:
                    self._paste = [body]
                    break
                self._paste = []
                out.append(self._close_paste(body[:at]))
                data = body[at + len(PASTE_END):]
        return "".join(out)


def install_paste_parser() -> None:
    """Make Textual's terminal drivers read input with :class:`PasteSafeParser`.
    The drivers name their parser class at module level, so it is replaced there."""
    from textual.drivers import linux_driver, linux_inline_driver

    for driver in (linux_driver, linux_inline_driver):
        setattr(driver, "XTermParser", PasteSafeParser)  # noqa: B010 (not exported)
