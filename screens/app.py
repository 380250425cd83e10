"""The calllog Textual app: sessions, idle lock, drafts, signals.

The login screen paints first; the database and ORM are opened in a worker thread
(importing SQLModel takes about half a second). Each signed-in session is its own
screen-stack mode, so switching user or signing out swaps the whole stack at once
and nothing of the previous person's screens is ever shown again.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from screens.common.base import CalllogScreen
from screens.common.faults import fault_message, loop_fault
from screens.common.keys import keys_for
from screens.common.typeahead import TypeAhead
from screens.session.drafts import keep_each_form, open_forms, write_drafts
from screens.session.hangup import HANGUP_GRACE_SECONDS, after_pending_input, exit_after
from screens.session.login import LoginScreen

if TYPE_CHECKING:
    from calllog.audit import Action
    from calllog.db import Store
    from calllog.profiles import Profile
    from calllog.roles import Actor
    from calllog.session import SignedIn

# App-level actions still allowed while the screen is locked: moving focus between
# the lock screen's own fields. Everything else (palette, help, theme, quit,
# screenshot, suspend) is refused.
LOCKED_APP_ACTIONS = frozenset({"focus_next", "focus_previous"})


class CalllogApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "calllog"
    # The login screen is the first stack: it paints before anything else happens.
    MODES: ClassVar[dict[str, Any]] = {"stack-0": LoginScreen}
    DEFAULT_MODE = "stack-0"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("app")

    def __init__(
        self,
        database_url: str,
        *,
        handle_signals: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        keymap: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        if keymap:  # the service's and the user's own keys (calllog.keymap)
            self.set_keymap(dict(keymap))
        self.database_url = database_url
        self.handle_signals = handle_signals
        self.clock = clock
        self.sleep = sleep
        self.store: Store | None = None
        self.profile: Profile | None = None
        self.demo = False
        self.session: SignedIn | None = None
        self.store_ready = asyncio.Event()
        self.service_ready = asyncio.Event()
        self.service_name = ""
        self.last_input = clock()
        self._mode_number = 0
        self._ending = False
        self.type_ahead = TypeAhead(self, self._dispatch_key)
        self.hangup_started = threading.Event()  # screens/run.py waits for it

    # --- start-up -------------------------------------------------------------------

    async def on_mount(self) -> None:
        # The login screen has named the service already (it mounts first), unless the
        # database was locked: then the worker does. After the first paint, so
        # importing the ORM does not delay it.
        self.call_after_refresh(
            self.run_worker, self._open_store, thread=True, exit_on_error=False,
            name="open-store",
        )
        self.set_interval(1.0, self.check_idle_lock, name="idle-lock")
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self.hangup_after_input, sig)
            loop.set_exception_handler(loop_fault)

    def _open_store(self) -> None:
        """In a thread: name the service from a quick standard-library read if the
        login screen could not, then import the ORM, open the store and migrate it."""
        try:
            if not self.service_ready.is_set():  # set before this worker starts, or never
                from calllog.quickstart import early_service

                early = early_service(self.database_url)
                if early is not None:
                    self.call_from_thread(self._service_known, early.name, early.demo)

            from calllog.db import Store
            from calllog.profiles import load_profile
            from calllog.services import settings

            store = Store(self.database_url, create=False)
            key = settings.get(store, settings.PROFILE)
            if not key:
                raise RuntimeError("this database has not been set up; run: calllog init")
            profile = load_profile(key)
            demo = settings.is_demo(store)
        except Exception as error:
            from rich.text import Text

            message = getattr(error, "message", None) or str(error)
            line = Text(f"calllog: {' '.join(message.split())}")  # never read as markup
            status = getattr(error, "exit_code", 2)  # 3: a storage fault (REL2)
            self.call_from_thread(self.exit, None, status, line)
            return
        self.call_from_thread(self._store_opened, store, profile, demo)

    def _service_known(self, name: str, demo: bool) -> None:
        """The service's name, early (the login screen's quick read, or the worker's)
        or from the loaded profile; on the UI thread."""
        self.service_name, self.demo = name, demo
        self.service_ready.set()

    def _store_opened(self, store: Store, profile: Profile, demo: bool) -> None:
        self._service_known(profile.name, demo)
        self.store, self.profile = store, profile
        self.store_ready.set()

    @property
    def actor(self) -> Actor | None:
        """The member of staff signed in, if anyone is."""
        return self.session.actor if self.session else None

    def require_session(self) -> SignedIn:
        """The signed-in session; ``SignedOut`` if nobody is signed in."""
        if self.session is None:
            from calllog.session import SignedOut

            raise SignedOut()
        return self.session

    def sign_in_as(self, actor: Actor) -> None:
        from calllog.session import SignedIn

        assert self.store is not None and self.profile is not None
        self.session = SignedIn(self.store, actor, self.profile)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text, never markup: messages carry names, notes
        and other stored text (a ``[/]`` in a name would otherwise crash the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout,
                       markup=False)

    @property
    def idle_seconds(self) -> float:
        minutes = self.profile.idle_lock_minutes if self.profile else 5
        return 60.0 * min(max(minutes, 1), 15)

    # --- sessions -------------------------------------------------------------------

    async def _show_new_stack(self, screen: Screen[Any]) -> None:
        """Show ``screen`` as the base of a fresh stack and drop every other stack."""
        self._mode_number += 1
        name = f"stack-{self._mode_number}"
        self.add_mode(name, lambda: screen)
        await self.switch_mode(name)
        for old in [m for m in self._modes if m != name and m.startswith("stack-")]:
            await self.remove_mode(old)

    async def start_session(self, actor: Actor) -> None:
        from screens.session.home import HomeScreen

        self.sign_in_as(actor)
        self.last_input = self.clock()
        await self._show_new_stack(HomeScreen())

    async def end_session(self, reason: str = "signed out") -> None:
        """Keep unsaved work as a draft, audit the sign-out, return to the login screen."""
        from calllog.audit import Action

        if self.actor is not None:
            self.save_drafts()
            self.audit(Action.LOGOUT, reason)
            self.session = None
        self.clear_notifications()
        await self._show_new_stack(LoginScreen())

    async def switch_user(self, new_actor: Actor) -> None:
        """Another person signs in at the lock screen: the first is signed out, their
        unsaved work kept as their draft."""
        from calllog.audit import Action

        if self.actor is not None:
            self.save_drafts()
            self.audit(Action.USER_SWITCHED, "switch user", target_id=new_actor.id)
            self.audit(Action.LOGOUT, "switch user")
        await self.start_session(new_actor)

    def audit(
        self, action: Action, reason: str | None = None, *, target_id: int | None = None
    ) -> None:
        from calllog.services import accounts

        if self.store is not None and self.actor is not None:
            accounts.record_event(self.store, self.actor, action, reason, target_id=target_id)

    def save_drafts(self) -> int:
        """Save every open form as its adviser's draft now (before a sign-out, a switch
        of user, quit or hang-up); returns how many were saved."""
        if self.session is None:
            return 0
        return write_drafts(self.session, open_forms(self.screen_stack))

    # --- faults (REL1) ---------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Every unexpected error, in a handler or a worker, ends here instead of
        Textual's report (which prints the traceback with local variables: a typed
        password, a name). The drafts are saved first, the administrator's crash log
        gets the error's type and places only, and the terminal is left with one plain
        line: what happened, what was kept, and a reference."""
        from textual.worker import WorkerFailed

        from calllog import crashlog

        if isinstance(error, WorkerFailed):  # the worker's own error, with its frames
            reference = crashlog.record(error.error, "a worker of the app")
        else:
            reference = crashlog.record(error, "the app")
        kept = self._keep_drafts_after_fault(reference)
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises it in tests; a real run does not
            self._exception = error
            self._exception_event.set()
        self.panic(Text(fault_message(reference, kept)))

    def _keep_drafts_after_fault(self, reference: str) -> bool | None:
        """True: every open form kept; False: one could not be; None: no one signed in."""
        if self.session is None:
            return None
        return keep_each_form(self.session, self.screen_stack, reference)

    # --- idle lock ------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp, events.Paste)):
            self.last_input = self.clock()
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.type_ahead.key(event)  # in order, each after the last settled
        else:
            await super().on_event(event)

    async def _dispatch_key(self, key: events.Key | events.Paste) -> None:
        await super().on_event(key)

    @property
    def locked(self) -> bool:
        from screens.session.lock import LockScreen

        return any(isinstance(s, LockScreen) for s in self.screen_stack)

    def check_idle_lock(self) -> None:
        if self.actor is None or self.locked:
            return
        if self.clock() - self.last_input >= self.idle_seconds:
            self.lock("idle")

    def lock(self, reason: str) -> None:
        from calllog.audit import Action
        from screens.session.lock import LockScreen

        session = self.session
        if session is None or self.locked:
            return
        payloads = open_forms(self.screen_stack)
        self.clear_notifications()
        self.push_screen(LockScreen(session.actor))

        def keep() -> None:  # the screen is hidden at once; the database may be busy
            from calllog.services import accounts

            write_drafts(session, payloads)
            accounts.record_event(session.store, session.actor, Action.SCREEN_LOCKED, reason)

        self.run_worker(keep, thread=True, group="lock", name="lock-drafts")

    async def unlocked(self, actor: Actor) -> None:
        self.sign_in_as(actor)
        self.last_input = self.clock()
        await self.pop_screen()

    # --- actions --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.locked and action not in LOCKED_APP_ACTIONS:
            return False
        return not (action == "lock" and self.actor is None)

    def action_lock(self) -> None:
        self.lock("manual")

    def action_help(self) -> None:
        from screens.common.help import HelpScreen

        # A priority key: a dialog (a modal screen) hides the app's other keys.
        if isinstance(self.screen, HelpScreen):
            self.screen.action_close()  # F1 again closes it
        else:
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        from calllog.audit import Action

        if self.actor is not None:
            self.save_drafts()
            self.audit(Action.LOGOUT, "quit")
            self.session = None
        self.exit(0)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers navigation and keys, never a screenshot."""
        if self.locked:
            return
        if isinstance(screen, CalllogScreen):
            yield from screen.palette_commands()
        if self.actor is not None:
            yield SystemCommand("Lock screen", "Lock now (ctrl+l)", self.action_lock)
        yield SystemCommand("Keys", "Every key of this screen (F1)", self.action_help)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Quit", "Save drafts, sign out and quit (ctrl+q)", self.action_quit)

    # --- dropped connections --------------------------------------------------------

    def hangup_after_input(self, signum: int = signal.SIGHUP) -> None:
        """SIGHUP/SIGTERM on the event loop: hang up once the keys already received are
        handled (those type-ahead holds, then those in Textual's queues), so the draft
        holds the last thing typed."""
        self.call_later(self.type_ahead.when_idle,  # behind the keys in the app's queue
                        lambda: after_pending_input(self, lambda: self.hangup(signum)))

    def hangup(self, signum: int = signal.SIGHUP) -> None:
        """Save every open form as a draft (synchronously), audit, exit within a second,
        whatever the terminal does.

        Runs once, whoever calls first: the event loop, through ``hangup_after_input``
        (the normal case), or screens/run.py's signal thread when the loop has not
        started it in time (a closed terminal can block Textual's writer thread and,
        once its queue is full, the loop). A watchdog ends the process soon after with
        status 128 + signum unless the clean exit (status 0, terminal restored) came
        first; only with ``handle_signals``, so a test may call this in-process. Each
        step is tried on its own: a draft that cannot be saved still leaves the audit
        row and the exit, and what failed goes to the crash log, never the terminal.
        """
        from calllog import crashlog
        from calllog.audit import Action

        with HANGUP_LOCK:
            if self._ending:
                return
            self._ending = True
        self.hangup_started.set()
        if self.handle_signals:  # a real session, not a Pilot test calling this directly
            exit_after(HANGUP_GRACE_SECONDS, signum)
        if self.actor is not None:
            name = signal.Signals(signum).name
            try:
                self.save_drafts()
            except Exception as problem:
                crashlog.record(problem, f"saving the drafts at {name}")
            try:
                self.audit(Action.SESSION_ENDED, name)
            except Exception as problem:
                crashlog.record(problem, f"auditing the end of the session at {name}")
            self.session = None
        self.exit(0)  # thread-safe (it posts a message); if the loop is stuck, the watchdog


HANGUP_LOCK = threading.Lock()
