"""PRIV1: supervision access to notes, asked for the same way on every screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from screens.common.base import CalllogScreen
from screens.common.dialogs import ReasonScreen


def ask_for_notes(screen: CalllogScreen[Any], show: Callable[[Mapping[int, str]], None], *,
                  family_id: int | None = None, enquiry_id: int | None = None) -> None:
    """Ask the supervisor for a reason, open the notes of a family's enquiries
    (``family_id``) or of one enquiry (``enquiry_id``) through the audited service,
    and hand them (enquiry id -> notes) to ``show``. A reason the service finds
    wanting is shown in the dialog, which stays open."""
    from calllog.services import notes

    def opened(result: notes.OpenedNotes | None) -> None:
        if result is not None and screen.on_stack:
            show(result.notes)

    screen.app.push_screen(ReasonScreen(
        lambda s, reason: notes.open_for_supervision(
            s.store, s.actor, s.profile, reason=reason, family_id=family_id,
            enquiry_id=enquiry_id)), opened)
