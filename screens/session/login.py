"""The login screen. Paints before the database is open; imports no ORM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for

if TYPE_CHECKING:
    from calllog.roles import Actor


REPEATED_FAILURE_HINT = 3


class Credentials(Vertical):
    """Username and password fields with a message line beneath; reused by the
    lock screen's switch-user form."""

    DEFAULT_CSS = """
    Credentials { height: auto; width: 1fr; }
    Credentials Horizontal { height: 1; margin-bottom: 1; }
    Credentials Label { width: 10; }
    Credentials Input { width: 1fr; }
    Credentials .message { color: $error; height: auto; min-height: 1; }
    """

    def __init__(
        self, username: str = "", *, fixed_user: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._username = username
        self._fixed_user = fixed_user

    def compose(self) -> ComposeResult:
        if not self._fixed_user:
            with Horizontal():
                yield Label("Username")
                yield Input(self._username, id="username", max_length=64, compact=True,
                            placeholder="your own username")
        with Horizontal():
            yield Label("Password")
            yield Input(id="password", password=True, max_length=1024, compact=True)
        yield Static("", classes="message", id="message", markup=False)

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(text)


class LoginScreen(CalllogScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("login")
    AUTO_FOCUS = "#username"

    def __init__(self) -> None:
        super().__init__()
        self._failures = 0
        self._busy = False


    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static("calllog", id="login-title")
            yield Static("Opening the database…", id="service-name", markup=False)
            yield Credentials(id="credentials")
            yield Static("", id="demo-hint", markup=False)

    async def on_mount(self) -> None:
        app = self.calllog
        if not app.service_ready.is_set():
            # Before the first layout, so the first frame names the service: a few
            # milliseconds of standard library (sqlite3, tomllib), no ORM. A locked
            # database is not waited for: the app's store worker reads it instead.
            from calllog.quickstart import early_service

            early = early_service(app.database_url, timeout=0)
            if early is not None:
                app._service_known(early.name, early.demo)
        # The footer (keys) is mounted after the fields (at start-up, in the same frame).
        self.call_after_refresh(self._add_footer)
        if app.service_ready.is_set():
            await self._when_ready()  # returns at once: shown in the first frame
        else:
            self.run_worker(self._when_ready(), exclusive=False)

    async def _add_footer(self) -> None:
        await self.mount(CalllogFooter())
        self.refresh_bindings()  # a late footer missed the first bindings signal

    async def _when_ready(self) -> None:
        await self.calllog.service_ready.wait()
        self.query_one("#service-name", Static).update(self.calllog.service_name)
        if self.calllog.demo:
            from calllog.demo_accounts import credentials_text

            self.query_one("#demo-hint", Static).update(credentials_text())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "username":
            self.query_one("#password", Input).focus()
        else:
            self.action_sign_in()

    def action_sign_in(self) -> None:
        if self._busy:
            return
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        if not username.strip() or not password:
            self.query_one(Credentials).say("Type your username and password.")
            return
        self._busy = True
        self.query_one(Credentials).say("Checking…")
        self._sign_in(username, password)

    @work(thread=True, exclusive=True, group="sign-in")
    def _sign_in(self, username: str, password: str) -> None:
        from calllog.services import accounts
        from calllog.storefaults import StoreError

        app = self.calllog
        while app.store is None:  # still opening: wait in this thread, not the UI
            app.sleep(0.02)
        try:
            actor = accounts.login(app.store, username, password)
        except accounts.LoginFailed as failure:
            app.sleep(failure.delay)
            app.call_from_thread(self._failed, str(failure))
            return
        except StoreError as fault:  # disk full, read-only …: not a failed sign-in (REL2)
            app.call_from_thread(self._store_fault, str(fault))
            return
        app.call_from_thread(self._succeeded, actor)

    @property
    def waiting_for_service(self) -> bool:
        """Signing in: keys typed ahead wait for the screen that follows (TypeAhead)."""
        return self._busy

    def _store_fault(self, message: str) -> None:
        self._busy = False
        self.calllog.type_ahead.drop()
        self.query_one(Credentials).say(f"{message} Press enter to try again.")

    def _failed(self, message: str) -> None:
        self._busy = False
        self.calllog.type_ahead.drop()  # meant for the home screen, which did not open
        self._failures += 1
        if self._failures >= REPEATED_FAILURE_HINT:
            message += " Repeated failures lock an account; a supervisor can unlock it."
        self.query_one(Credentials).say(message)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def _succeeded(self, actor: Actor) -> None:
        self._busy = False
        self.app.call_next(self.calllog.start_session, actor)
