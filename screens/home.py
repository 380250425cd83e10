"""Home: who is signed in, today's date, the service, and every key that exists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens.help import describe_keys

if TYPE_CHECKING:
    from screens.app import CalllogApp


class HomeScreen(Screen[None]):
    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "staff", "Staff", id="home.staff",
                tooltip="Staff accounts: unlock, disable (supervisors, administrators)."),
        Binding("o", "sign_out", "Sign out", id="home.sign_out",
                tooltip="Sign out and leave the login screen for the next person."),
    ]

    @property
    def calllog(self) -> CalllogApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="home-box"):
            yield Static(id="who", markup=False)
            yield Static(id="notice", markup=False)
            yield Static(id="keys")
        yield Footer()

    def on_mount(self) -> None:
        from calllog.clock import today

        actor = self.calllog.actor
        profile = self.calllog.profile
        assert actor is not None and profile is not None
        role = profile.role_names.get(actor.role.value, actor.role.value)
        who = Text()
        who.append(actor.display_name, style="bold")
        who.append(f" ({role})  ·  {today():%A %-d %B %Y}\n")
        who.append(profile.name, style="dim")
        self.query_one("#who", Static).update(who)
        if not actor.dbs_recorded:
            self.query_one("#notice", Static).update(
                "No DBS check is recorded for you yet: family records stay closed until "
                "an administrator records it."
            )
        self.refresh_keys()

    def on_screen_resume(self) -> None:
        self.refresh_keys()

    def refresh_keys(self) -> None:
        text = Text()
        for key, label in describe_keys(self, own_only=True):
            text.append(f"{key:>8}  ", style="bold")
            text.append(f"{label}\n")
        self.query_one("#keys", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.calllog.actor
        if action == "staff":
            return bool(actor and actor.is_supervisor)
        return True

    def action_staff(self) -> None:
        from screens.staff import StaffScreen

        self.app.push_screen(StaffScreen())

    async def action_sign_out(self) -> None:
        await self.calllog.end_session("signed out")

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.check_action("staff", ()):
            yield SystemCommand("Staff accounts", "Unlock or disable accounts", self.action_staff)
        yield SystemCommand("Sign out", "Back to the login screen", self.action_sign_out)

