"""The lock screen: opaque, full screen, hides everything beneath (ACC5).

Unlocking needs the same person's password. Another person may sign in instead
(switch user), which signs the first person out and keeps their unsaved work as
their draft. Escape does nothing; the app refuses every app-level action while
this screen is in the stack (see CalllogApp.check_action).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.session.login import Credentials

if TYPE_CHECKING:
    from calllog.roles import Actor


class LockScreen(CalllogScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("lock")
    AUTO_FOCUS = "#password"

    def __init__(self, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.switching = False
        self._busy = False


    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static("Screen locked", id="lock-title")
            yield Static(f"{self.actor.display_name} is signed in. Type your password to "
                         f"unlock.", id="lock-owner", markup=False)
            yield Credentials(self.actor.username, fixed_user=True, id="unlock")
            yield Static("Someone else? Press F2 to sign in as yourself.", id="lock-hint")
        yield CalllogFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_user":
            return not self.switching
        if action == "same_user":
            return self.switching
        return True

    async def _show(self, credentials: Credentials, owner: str, hint: str) -> None:
        await self.query_one(Credentials).remove()
        await self.query_one("#lock-box").mount(credentials, before="#lock-hint")
        self.query_one("#lock-owner", Static).update(owner)
        self.query_one("#lock-hint", Static).update(hint)
        self.refresh_bindings()
        self.query_one("#username" if self.switching else "#password", Input).focus()

    async def action_switch_user(self) -> None:
        self.switching = True
        await self._show(
            Credentials(id="switch"),
            f"Signing in ends {self.actor.display_name}'s session; their unsaved work is kept "
            f"for them as a draft.",
            "F3: back to unlocking.",
        )

    async def action_same_user(self) -> None:
        self.switching = False
        await self._show(
            Credentials(self.actor.username, fixed_user=True, id="unlock"),
            f"{self.actor.display_name} is signed in. Type your password to unlock.",
            "Someone else? Press F2 to sign in as yourself.",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "username":
            self.query_one("#password", Input).focus()
            return
        if self._busy or not event.input.value:
            return
        self._busy = True
        self.query_one(Credentials).say("Checking…")
        if self.switching:
            username = self.query_one("#username", Input).value
            self._try(username, event.input.value, switching=True)
        else:
            self._try(self.actor.username, event.input.value, switching=False)

    @work(thread=True, exclusive=True, group="unlock")
    def _try(self, username: str, password: str, *, switching: bool) -> None:
        from calllog.services import accounts
        from calllog.storefaults import StoreError

        app, store = self.calllog, self.session.store
        try:
            if switching:
                actor = accounts.login(store, username, password)
            else:
                actor = accounts.unlock_screen(store, self.actor, password)
        except accounts.LoginFailed as failure:
            app.sleep(failure.delay)
            app.call_from_thread(self._failed, str(failure))
            return
        except StoreError as fault:  # disk full, read-only …: say so, stay locked (REL2)
            app.call_from_thread(self._failed, f"{fault} Type your password to try again.")
            return
        app.call_from_thread(self._succeeded, actor, switching)

    @property
    def waiting_for_service(self) -> bool:
        """Checking the password: keys typed ahead wait for what follows (TypeAhead)."""
        return self._busy

    def _failed(self, message: str) -> None:
        self._busy = False
        self.calllog.type_ahead.drop()  # meant for the screen beneath, still locked
        self.query_one(Credentials).say(message)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()

    def _succeeded(self, actor: Actor, switching: bool) -> None:
        self._busy = False
        if switching and actor.id != self.actor.id:
            self.app.call_next(self.calllog.switch_user, actor)
        else:
            self.app.call_next(self.calllog.unlocked, actor)
