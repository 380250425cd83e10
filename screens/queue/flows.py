"""The assign, callback date and close steps (OPS2, PRIV1) that the queue, "My work"
and the enquiry detail share: a dialog, then the service through the screen's
``call_service`` (in a worker; ``calllog.services.queue`` audits it), then a plain
notification (names are stored text, never markup) and the screen's ``done``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from calllog.validation import format_date
from screens.common.base import CalllogScreen
from screens.common.dialogs import ChooseScreen, ConfirmScreen
from screens.queue.callback import CallbackScreen

if TYPE_CHECKING:
    from calllog.services.queue import StaffChoice

NOBODY = "-"


def assign_flow(screen: CalllogScreen[Any], enquiry_id: int, *, family_id: int | None,
                supporter_id: int | None, assigned_to: int | None,
                done: Callable[[int | None, str | None], None]) -> None:
    """Choose who takes the enquiry; for a family's enquiry, whether they also become
    the family's supporter (who alone reads its notes); then assign (audited)."""
    from calllog.services import queue

    def save(adviser: int | None, name: str | None, make_supporter: bool | None) -> None:
        def saved(_: None) -> None:
            screen.notify(f"Assigned to {name}." if name else "Unassigned.")
            done(adviser, name)

        screen.call_service(lambda s: queue.assign(s.store, s.actor, enquiry_id, adviser,
                                                   make_supporter=make_supporter), saved)

    def choose(staff: list[StaffChoice]) -> None:
        names = {str(s.id): s.display_name for s in staff}

        def chosen(code: str | None) -> None:
            if code is None:
                return
            adviser = None if code == NOBODY else int(code)
            name = names.get(code)
            if (family_id is None or adviser is None or supporter_id is None
                    or supporter_id == adviser):
                save(adviser, name, None)
                return
            screen.app.push_screen(ConfirmScreen(
                f"Also make {name} this family's supporter? Only the supporter reads "
                "the family's notes."), lambda yes: save(adviser, name, bool(yes)))

        choices = [(NOBODY, "Nobody (back to unassigned)")] + [
            (str(s.id), s.display_name + ("" if s.dbs_recorded or family_id is None
                                          else "  (no DBS check)")) for s in staff]
        screen.app.push_screen(ChooseScreen(
            "Assign to", choices, str(assigned_to) if assigned_to is not None else None),
            chosen)

    screen.call_service(lambda s: queue.assignable_staff(s.store), choose)


def callback_flow(screen: CalllogScreen[Any], enquiry_id: int, current: date | None,
                  done: Callable[[date | None], None]) -> None:
    """Ask for the callback date (empty clears it), then set it (audited)."""
    from calllog.services import queue

    def chosen(value: str | None) -> None:
        if value is None:
            return
        due = date.fromisoformat(value) if value else None

        def saved(_: None) -> None:
            screen.notify(f"Callback date {format_date(due)}." if due
                          else "Callback date cleared.")
            done(due)

        screen.call_service(
            lambda s: queue.set_callback(s.store, s.actor, enquiry_id, due), saved)

    screen.app.push_screen(CallbackScreen(current), chosen)


def close_flow(screen: CalllogScreen[Any], enquiry_id: int, done: Callable[[str], None]
               ) -> None:
    """Choose the outcome the enquiry ends with, then close it (audited)."""
    from calllog.services import queue

    profile = screen.session.profile

    def chosen(code: str | None) -> None:
        if code is None:
            return

        def saved(_: None) -> None:
            screen.notify(f"Closed: {profile.outcomes.label(code)}.")
            done(code)

        screen.call_service(
            lambda s: queue.close(s.store, s.actor, s.profile, enquiry_id, code), saved)

    screen.app.push_screen(ChooseScreen("Close with outcome", queue.closing_outcomes(profile)),
                           chosen)
