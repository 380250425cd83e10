"""Every open form kept as its adviser's draft: before a sign-out, a switch of user,
the lock, quit, a hang-up or a fault. A form is a screen that is a ``DraftSource``;
its payload is read on the UI thread and written by the drafts service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from screens.common.protocols import DraftSource

if TYPE_CHECKING:
    from textual.screen import Screen

    from calllog.session import SignedIn

Payloads = list[tuple[str, dict[str, Any]]]


def open_forms(stack: Iterable[Screen[Any]]) -> Payloads:
    """Every open form of a screen stack as it stands: (draft kind, payload)."""
    return [(screen.draft_kind, payload) for screen in stack
            if isinstance(screen, DraftSource) and (payload := screen.draft_payload())]


def write_drafts(session: SignedIn, payloads: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Save each payload as the signed-in person's draft; returns how many."""
    from calllog.services import drafts

    saved = 0
    for kind, payload in payloads:
        drafts.save(session.store, session.actor.id, kind, payload)
        saved += 1
    return saved


def keep_each_form(session: SignedIn, stack: Iterable[Screen[Any]],
                   reference: str) -> bool | None:
    """After a fault: save every open form, each on its own so one failing form does
    not lose another (what failed goes to the crash log under ``reference``).
    True: kept; False: something could not be kept; None: nothing was being typed."""
    from calllog import crashlog

    kept: bool | None = None
    for screen in list(stack):
        if not isinstance(screen, DraftSource):
            continue
        try:
            payload = screen.draft_payload()
            if payload:
                write_drafts(session, [(screen.draft_kind, payload)])
                kept = True if kept is None else kept
        except Exception as problem:
            crashlog.record(problem, f"saving the {screen.draft_kind} draft after "
                            f"fault {reference}")
            kept = False
    return kept
