"""What an adviser reads when calllog stops on a fault (REL1): one plain line, never a
program value; the crash log (calllog/crashlog.py) holds the types and places. Also
the event loop's own fault handler, which writes there instead of the terminal."""

from __future__ import annotations

import asyncio
from typing import Any


def fault_message(reference: str, kept: bool | None) -> str:
    """The one line shown when calllog stops on a fault. ``kept``: True, every open
    form was saved as a draft; False, something could not be; None, nothing was open."""
    drafts = {True: " What you were typing is kept as a draft: sign in again and it is "
                    "offered back.",
              False: " Some of what you were typing could not be kept; please note it down "
                     "now if you can.",
              None: ""}[kept]
    return (f"calllog stopped because something went wrong (reference {reference})."
            f"{drafts} Please give your administrator the reference; `calllog doctor` "
            f"shows them what failed.")


def loop_fault(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """An error asyncio would print (a task's exception never retrieved, a failing
    callback) goes to the crash log, types and places only, never the terminal."""
    from calllog import crashlog

    error = context.get("exception")
    crashlog.record(error if isinstance(error, BaseException)
                    else RuntimeError("asyncio reported a fault"), "the event loop")
