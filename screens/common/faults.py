"""What an adviser reads when calllog stops on a fault (REL1): one plain line, never a
program value; the crash log (calllog/crashlog.py) holds the types and places."""

from __future__ import annotations


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
