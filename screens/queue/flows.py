"""Small dialogs of the call queue (OPS2, PRIV1): choose from a list, a callback
date, the queue's filters, and the reason for a supervision access to notes; and
the assign / callback / close steps the queue, "My work" and the enquiry detail
share. Every action goes through ``calllog.services.queue``, which audits it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from calllog.errors import CalllogError
from calllog.validation import format_date
from screens.common.dialogs import ChooseScreen, ConfirmScreen
from screens.queue.callback import CallbackScreen

if TYPE_CHECKING:
    from screens.app import CalllogApp


def _app(screen: Screen[Any]) -> CalllogApp:
    return screen.app  # type: ignore[return-value]


def assign_flow(screen: Screen[Any], enquiry_id: int, *, family_id: int | None,
                supporter_id: int | None, assigned_to: int | None,
                done: Callable[[int | None, str | None], None]) -> None:
    """Choose who takes the enquiry; for a family's enquiry, whether they also become
    the family's supporter (who alone reads its notes); then assign (audited)."""
    from calllog.services import queue

    app = _app(screen)
    assert app.store is not None
    staff = queue.assignable_staff(app.store)
    names = {str(s.id): s.display_name for s in staff}
    choices = [("-", "Nobody (back to unassigned)")] + [
        (str(s.id), s.display_name + ("" if s.dbs_recorded or family_id is None
                                      else "  (no DBS check)")) for s in staff]

    def save(adviser: int | None, make_supporter: bool | None) -> None:
        assert app.store and app.actor
        try:
            queue.assign(app.store, app.actor, enquiry_id, adviser,
                         make_supporter=make_supporter)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        name = names.get(str(adviser)) if adviser is not None else None
        screen.notify(f"Assigned to {name}." if name else "Unassigned.")
        done(adviser, name)

    def chosen(code: str | None) -> None:
        if code is None:
            return
        adviser = None if code == "-" else int(code)
        if (family_id is None or adviser is None or supporter_id is None
                or supporter_id == adviser):
            save(adviser, None)
            return

        def answered(yes: bool | None) -> None:
            save(adviser, bool(yes))

        screen.app.push_screen(ConfirmScreen(
            f"Also make {names[code]} this family's supporter? Only the supporter reads "
            "the family's notes."), answered)

    screen.app.push_screen(ChooseScreen(
        "Assign to", choices, str(assigned_to) if assigned_to is not None else None), chosen)


def callback_flow(screen: Screen[Any], enquiry_id: int, current: date | None,
                  done: Callable[[date | None], None]) -> None:
    from calllog.services import queue

    app = _app(screen)

    def chosen(value: str | None) -> None:
        if value is None:
            return
        due = date.fromisoformat(value) if value else None
        assert app.store and app.actor
        try:
            queue.set_callback(app.store, app.actor, enquiry_id, due)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        screen.notify(f"Callback date {format_date(due)}." if due else "Callback date cleared.")
        done(due)

    screen.app.push_screen(CallbackScreen(current), chosen)


def close_flow(screen: Screen[Any], enquiry_id: int, done: Callable[[str], None]) -> None:
    from calllog.services import queue

    app = _app(screen)
    assert app.profile is not None
    outcomes = queue.closing_outcomes(app.profile)

    def chosen(code: str | None) -> None:
        if code is None:
            return
        assert app.store and app.actor and app.profile
        try:
            queue.close(app.store, app.actor, app.profile, enquiry_id, code)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        screen.notify(f"Closed: {app.profile.outcomes.label(code)}.")
        done(code)

    screen.app.push_screen(ChooseScreen("Close with outcome", outcomes), chosen)
