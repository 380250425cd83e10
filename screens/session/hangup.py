"""Hang-ups (SIGHUP from sshd or a closed terminal, SIGTERM from an administrator):
what has been typed is handled before the drafts are saved, and the process ends
within a second whatever the terminal does."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.widget import Widget

from screens.common.typeahead import when_handled

HANGUP_GRACE_SECONDS = 0.8
"""After a hang-up the process ends this soon whatever happens (status 128 + signum)."""


def exit_after(seconds: float, signum: int) -> None:
    """End the process in ``seconds`` with status 128 + signum, whatever the other
    threads are doing (committed drafts and audit rows are already on disk)."""
    watchdog = threading.Timer(seconds, os._exit, args=(128 + signum,))
    watchdog.daemon = True
    watchdog.start()


def after_pending_input(app: App[Any], callback: Callable[[], None]) -> None:
    """Run ``callback`` on the event loop once every key already received has been
    handled. A key waits first in the app's queue, then in the queue of the widget it
    is forwarded to (the focused one, or the screen); a callback queued behind it in
    both runs after it. Calling ``callback`` at once would jump those queues: the last
    keys typed before a hang-up were missing from the draft once in four tries."""

    def behind_widgets() -> None:
        screen = app.screen
        widgets: list[Widget] = [screen, *(w for w in screen.query("*") if w.can_focus)]
        when_handled(widgets, callback)

    app.call_later(behind_widgets)
