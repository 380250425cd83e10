"""PRIV1: supervision access to notes, asked for the same way on every screen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from calllog.errors import CalllogError, InvalidInput
from screens.base import CalllogScreen


def ask_for_notes(screen: CalllogScreen[Any], show: Callable[[Mapping[int, str]], None], *,
                  family_id: int | None = None, enquiry_id: int | None = None) -> None:
    """Ask the supervisor for a reason, open the notes of a family's enquiries
    (``family_id``) or of one enquiry (``enquiry_id``) through the audited service,
    and hand them (enquiry id -> notes) to ``show``. A reason the service finds
    wanting is shown in the dialog, which stays open."""
    from calllog.services import notes
    from screens.queuedialogs import ReasonScreen

    app = screen.calllog

    def attempt(reason: str) -> str | None:
        assert app.store and app.actor and app.profile
        try:
            opened = notes.open_for_supervision(app.store, app.actor, app.profile,
                                                reason=reason, family_id=family_id,
                                                enquiry_id=enquiry_id)
        except InvalidInput as problem:
            return str(problem)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return None
        show(opened.notes)
        return None

    screen.app.push_screen(ReasonScreen(attempt))
