"""The base of every calllog screen: the signed-in session, the one way to call a
service, and the one way to show what went wrong.

- ``self.session``: store, actor and profile, never optional (raises ``SignedOut``
  if nobody is signed in, which no screen below home can see).
- ``self.call_service(work, done)``: runs ``work(session)`` in a thread worker, so a
  busy or locked database never freezes typing; a refusal or invalid input
  (``CalllogError``) is shown by ``show_error``; ``done(result)`` runs on the UI
  thread, and only while this screen is still on the stack (a late result for a
  screen that has gone is dropped quietly).
- ``self.show_error(error, fields)``: a service's field problems beside the fields,
  the message as a notification. Notifications are never markup (the app's
  ``notify`` forces ``markup=False``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events, on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from calllog.errors import CalllogError
from calllog.storefaults import StoreError
from screens.common.inview import keep_in_view

if TYPE_CHECKING:
    from calllog.session import SignedIn
    from screens.app import CalllogApp

_WIDGET_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
ResultT = TypeVar("ResultT")
Fields = Mapping[str, str] | Callable[[str], str]
"""Where a service's field problems go: problem key -> widget id."""
T = TypeVar("T")


class CalllogScreen(Screen[ResultT]):
    @property
    def calllog(self) -> CalllogApp:
        """The running app, typed."""
        return cast("CalllogApp", self.app)

    _session: SignedIn | None = None
    _held_results: list[Callable[[], object]]
    kept_on_fault = ""
    """Said after a storage fault (disk full, read-only …) on a form that keeps what
    was typed: how to try again (REL2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_results = []

    @property
    def session(self) -> SignedIn:
        """Who is signed in, to which service (store, actor, profile): the session this
        screen was opened in. Each session has its own screen stack, dropped whole at
        sign-out or switch of user, so a screen never serves two people; one still
        being taken down keeps answering for the session it belonged to."""
        if self._session is None:
            self._session = self.calllog.require_session()
        return self._session

    @property
    def on_stack(self) -> bool:
        """Still shown or beneath the screen shown (not dismissed, not signed out)."""
        return self.is_attached and self in self.app.screen_stack

    # --- calling services -------------------------------------------------------------

    def call_service(
        self,
        work: Callable[[SignedIn], T],
        done: Callable[[T], object] | None = None,
        *,
        fields: Fields | None = None,
        failed: Callable[[CalllogError], object] | None = None,
        group: str = "service",
        exclusive: bool = False,
        quiet: bool = False,
    ) -> Worker[None]:
        """Run ``work(session)`` in a thread worker; then ``done(result)`` on the UI
        thread. A ``CalllogError`` is shown (``show_error`` with ``fields``), then
        ``failed(error)`` runs if given (``quiet``: only that, nothing shown).
        Anything else is a bug: it reaches the app's error path. Nothing runs on this
        screen once it has left the stack."""
        session = self.session  # read on the UI thread

        def run() -> None:
            try:
                result = work(session)
            except CalllogError as error:
                self.app.call_from_thread(self._service_failed, error,
                                          None if quiet else fields or {}, failed)
                return
            if done is not None:
                self.app.call_from_thread(self._service_done, done, result)

        return self.run_worker(run, thread=True, group=group, exclusive=exclusive,
                               name=getattr(work, "__name__", "service"))

    def _service_done(self, done: Callable[[T], object], result: T) -> None:
        if not self.on_stack:
            return  # the screen has gone: the result is dropped quietly
        if self.app.screen is not self:
            # Something is over this screen (the lock screen, F1, a dialog): a result
            # that dismissed or focused would act on that instead. Keep it until this
            # screen is on top again.
            self._held_results.append(lambda: done(result))
            return
        done(result)

    @on(events.DescendantFocus)
    def _focused_in_view(self, event: events.DescendantFocus) -> None:
        keep_in_view(self, event.widget)

    @on(events.ScreenResume)
    def _deliver_held_results(self) -> None:
        held, self._held_results = self._held_results, []
        for deliver in held:
            if self.on_stack and self.app.screen is self:
                deliver()

    def _service_failed(self, error: CalllogError, fields: Fields | None,
                        failed: Callable[[CalllogError], object] | None) -> None:
        if not self.on_stack:
            return
        if fields is not None:  # None: quiet
            self.show_error(error, fields)
        if failed is not None:
            failed(error)

    # --- saying things ----------------------------------------------------------------

    def show_error(self, error: CalllogError, fields: Fields | None = None) -> None:
        """Put a service's field problems beside the fields (``fields``: problem key ->
        widget id, as a mapping or a function; by default the key is the id), the
        cursor in the first, and say the error."""
        from textual.widgets import TextArea

        from screens.common.widgets import PickField, TextField

        problems: dict[str, str] = dict(getattr(error, "problems", {}) or {})
        focused = False
        for key, message in problems.items():
            widget_id = fields(key) if callable(fields) else (fields or {}).get(key, key)
            if not _WIDGET_ID.match(widget_id):
                continue  # a problem with no field of its own: the message says it
            for field in self.query(f"#{widget_id}").results(TextField):
                field.show_error(message)
                if not focused:
                    field.focus_input()
                    focused = True
            for pick in self.query(f"#{widget_id}").results(PickField):
                if not focused:
                    pick.focus_input()
                    focused = True
            for area in self.query(f"#{widget_id}").results(TextArea):  # a note
                if not focused:
                    area.focus()
                    focused = True
        kept = self.kept_on_fault if isinstance(error, StoreError) else ""
        self.notify(f"{error} {kept}".strip(), severity="error")

    def field_problems(self) -> bool:
        """Check every shown field before saving. If any is wrong, put the cursor in
        the first, say what is wrong (its message also stays beside it) and return
        True; nothing typed is changed."""
        from screens.common.widgets import TextField

        broken = [f for f in self.query(TextField)
                  if f.display and f.check() is None and f.error]
        if not broken:
            return False
        first = broken[0]
        first.focus_input()
        more = f" ({len(broken) - 1} more)" if len(broken) > 1 else ""
        self.notify(f"{first.label}: {first.error}{more}", severity="error")
        return True

    def key_label(self, binding: Binding) -> str:
        """What a key does, for F1 and home's list of keys: F5–F8 in the service's own
        words, every other key its tooltip."""
        if binding.action.startswith("non_data(") and self.calllog.session is not None:
            from screens.common.nondata import non_data_label

            place = binding.action.removeprefix("non_data(").rstrip(")")
            label = non_data_label(self.calllog.session.profile,
                                   int(place) if place.isdigit() else None)
            if label:
                return label
        return binding.tooltip or binding.description or binding.action

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's entries in the command palette (none unless it adds some)."""
        return ()


class CalllogModal(ModalScreen[ResultT], CalllogScreen[ResultT]):
    """A dialog: the screen beneath shows through; everything else as CalllogScreen."""
