"""Keys (and pastes) typed ahead land where the user meant them (issue 17).

Over SSH keys arrive in bursts, and a fast typist is ahead of the screen. Textual
hands each key to whatever has focus *when the app reads the key*; a key that moves
focus (Enter, Tab) or opens a screen (``n`` on home) only does so once its own
handlers have run, later, so the keys behind it went to the old field: a username
field read ``adviseradviser-demo-password`` and the password showed in clear.

``TypeAhead`` lets a key that may move focus or open a screen settle before the next
key is handled: the keys behind it wait, in order, until every message it set off
has been handled (the same test Textual's Pilot uses between keys, repeated while
anything is still queued) and the screen is not waiting for the service (signing
in). Characters typed into a text field need no wait and go straight through; a key
that acts first waits for them to be handled, and for a screen waiting for the
service (ctrl+s on a disclosure whose decision is being worked out).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widgets import Input, TextArea
from textual.worker import Worker

MAX_ROUNDS = 16
"""Rounds of "let every queue run" after a key (a message bubbling up five
containers and then moving focus takes about seven)."""
ROUND_TIMEOUT = 0.5
"""A handler that waits on purpose (a dialog awaited) holds its queue: stop waiting
for it after this long rather than hold the keys for ever."""
SERVICE_WAIT = 30.0
"""The longest the keys wait for a screen that is waiting for the service."""
Typed = events.Key | events.Paste
"""What the terminal delivers that must keep its order: keys and pastes."""
MOVING_KEYS = frozenset({"enter", "tab", "shift+tab", "escape"})


class TypeAhead:
    """The keys of one app, handled in order, each after the last has settled."""

    def __init__(self, app: App[Any],
                 dispatch: Callable[[Typed], Awaitable[None]]) -> None:
        self.app = app
        self._dispatch = dispatch
        self._waiting: deque[Typed] = deque()
        self._when_idle: list[Callable[[], None]] = []
        self.busy = False
        self._unsettled = False  # characters handed on since the last settle

    async def key(self, key: Typed) -> None:
        """A key (or a paste) the terminal delivered: handle it now, or after those
        before it."""
        if self.busy:
            self._waiting.append(key)
            return
        settle = self.settles_after(key)
        if settle and self._must_wait():
            self._waiting.append(key)
        else:
            await self._dispatch(key)
            if not settle:
                self._unsettled = True
                return
        self.busy = True
        drain: Worker[None] = self.app.run_worker(self._drain, group="type-ahead",
                                                  name="type-ahead")
        del drain

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once every key held here has been handled (at once if none
        is held): a hang-up saves the draft only after the keys typed before it."""
        if self.busy:
            self._when_idle.append(callback)
        else:
            callback()

    def drop(self) -> None:
        """Forget the keys waiting (they were meant for a screen that did not open:
        a sign-in that failed)."""
        self._waiting.clear()

    def settles_after(self, key: Typed) -> bool:
        """Whether the keys behind ``key`` must wait for what it sets off."""
        if isinstance(key, events.Paste):
            return False
        if key.key in MOVING_KEYS or not key.is_printable:
            return True
        return not isinstance(self.app.focused, (Input, TextArea))

    async def _drain(self) -> None:
        try:
            settle = True
            while True:
                if settle:
                    await self._settle()
                if not self._waiting:
                    return
                settle = self.settles_after(self._waiting[0])
                if settle and self._must_wait():
                    await self._settle()
                await self._dispatch(self._waiting.popleft())
                self._unsettled = self._unsettled or not settle
        finally:
            self.busy = False
            waiting, self._when_idle = self._when_idle, []
            for callback in waiting:
                callback()

    def _must_wait(self) -> bool:
        """A key that acts waits first (or it would act too soon, and be lost): for
        the characters typed before it, still queued in the field (a priority key such
        as ctrl+s runs at once, ahead of them: a note's last words were not saved),
        and for a screen waiting for the service (a disclosure's decision being worked
        out: ctrl+s is refused until it is known)."""
        return (self._unsettled and self._screen_busy()) or self._screen_waiting()

    def _screen_busy(self) -> bool:
        """A widget of the screen still has messages to handle (keys, or what they
        set off)."""
        return any(node.message_queue_size for node in self._nodes()[1:])

    async def _settle(self) -> None:
        self._unsettled = False
        await self._quiet()
        # A screen being opened is composed and mounted in steps that are not all
        # queued messages: wait for the next refresh (it paints only what is
        # mounted), then for whatever its mounting queued (focus set in on_mount).
        refreshed = asyncio.Event()
        self.app.call_after_refresh(refreshed.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(refreshed.wait(), ROUND_TIMEOUT * 2)
        await self._quiet()
        waited = 0.0
        while self._screen_waiting() and waited < SERVICE_WAIT:
            await asyncio.sleep(0.02)
            waited += 0.02
        if waited:
            await self._round(self._nodes())

    async def _quiet(self) -> None:
        for _ in range(MAX_ROUNDS):
            await self._round(self._nodes())
            if not any(node.message_queue_size for node in self._nodes()):
                break

    def _screen_waiting(self) -> bool:
        """The screen shown is waiting for the service (``waiting_for_service``)."""
        try:
            return bool(getattr(self.app.screen, "waiting_for_service", False))
        except Exception:  # no screen yet, or being replaced
            return False

    def _nodes(self) -> list[MessagePump]:
        try:
            screen = self.app.screen
        except Exception:  # no screen yet, or being replaced
            return [self.app]
        return [self.app, *screen.walk_children(with_self=True)]

    async def _round(self, nodes: list[MessagePump]) -> None:
        """Every message queued in ``nodes`` now has been handled (or the timeout)."""
        done = asyncio.Event()
        when_handled(nodes, done.set)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), ROUND_TIMEOUT)


def when_handled(nodes: Iterable[MessagePump], callback: Callable[[], None]) -> None:
    """Run ``callback`` once each of ``nodes`` has handled every message it holds now
    (a callback queued behind them in each; a node that is closing counts as done)."""
    waiting = 1  # held until every node has been asked, so it cannot end early

    def handled() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            callback()

    for node in nodes:
        waiting += 1
        if not node.call_later(handled):
            handled()
    handled()
