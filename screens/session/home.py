"""Home: who is signed in, today's date, the service, and every key that exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static

from screens.common.base import CalllogScreen
from screens.common.dialogs import ConfirmScreen
from screens.common.help import describe_keys
from screens.enquiry.form import DRAFT_KIND, NON_DATA_KEYS, NON_DATA_WORDS, EnquiryScreen
from screens.family.find import FindFamilyScreen
from screens.queue.mywork import MyWorkScreen
from screens.queue.screen import QueueScreen
from screens.referrals.screen import ReferralsScreen
from screens.staff.screen import StaffScreen

if TYPE_CHECKING:
    pass


class HomeScreen(CalllogScreen[None]):
    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_enquiry", "New enquiry", id="home.new_enquiry",
                tooltip="Log a new enquiry: the call timer starts; anonymous by default."),
        Binding("r", "resume_draft", "Resume", id="home.resume_draft",
                tooltip="Resume your unsaved enquiry."),
        Binding("x", "discard_draft", "Discard draft", id="home.discard_draft",
                tooltip="Discard your unsaved enquiry (asks first)."),
        Binding("f", "find", "Find family", id="home.find",
                tooltip="Find a family by name, telephone, postcode or child's date of birth."),
        Binding("i", "referrals", "Referrals", id="home.referrals", show=False,
                tooltip="Incoming referrals: record one; those waiting for the parent's "
                        "permission."),
        *[Binding(key, f"non_data('{kind}')", kind.replace("_", " ").capitalize(),
                  id=f"home.non_data.{kind.lower()}", show=False,
                  tooltip=f"Log {NON_DATA_WORDS[kind]} with one key.")
          for key, kind in NON_DATA_KEYS.items()],
        Binding("q", "queue", "Queue", id="home.queue",
                tooltip="The call queue: open enquiries, safeguarding first."),
        Binding("w", "my_work", "My work", id="home.my_work", show=False,
                tooltip="My work: your open enquiries, callbacks due first."),
        Binding("s", "staff", "Staff", id="home.staff",
                tooltip="Staff accounts: unlock or disable an account."),
        Binding("o", "sign_out", "Sign out", id="home.sign_out",
                tooltip="Sign out and leave the login screen for the next person."),
    ]


    def compose(self) -> ComposeResult:
        with Vertical(id="home-box"):
            yield Static(id="who", markup=False)
            yield Static(id="notice", markup=False)
            yield Static(id="keys")
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self.draft: dict[str, Any] | None = None

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
        self.refresh_notice()

    def on_screen_resume(self) -> None:
        self.refresh_notice()

    def refresh_notice(self) -> None:
        """Offer the adviser's own unsaved enquiry back; say if family records are closed."""
        from calllog.services import drafts

        app = self.calllog
        assert app.store and app.actor
        self.draft = drafts.load(app.store, app.actor.id, DRAFT_KIND)
        lines = []
        if self.draft is not None:
            lines.append("You have an unsaved enquiry: r resumes it, x discards it.")
        if not app.actor.dbs_recorded:
            lines.append("No DBS check is recorded for you yet: family records stay closed "
                         "until an administrator records it.")
        notice = self.query_one("#notice", Static)
        notice.update("\n".join(lines))
        notice.display = bool(lines)
        self.refresh_bindings()
        self.refresh_keys()

    def refresh_keys(self) -> None:
        text = Text()
        for key, label in describe_keys(self, own_only=True):
            text.append(f"{key:>8}  ", style="bold")
            text.append(f"{label}\n")
        self.query_one("#keys", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.calllog.actor
        if action == "queue":  # supervisors reach their own work from the queue (w)
            return bool(actor and actor.is_supervisor)
        if action == "my_work":
            return bool(actor and not actor.is_supervisor)
        if action == "staff":
            return bool(actor and actor.is_supervisor)
        if action in ("resume_draft", "discard_draft"):
            return self.draft is not None
        if action in ("find", "referrals"):
            return bool(actor and actor.dbs_recorded)
        return True

    def action_new_enquiry(self) -> None:

        if self.draft is not None:  # starting afresh would overwrite it
            self.notify("Resume (r) or discard (x) your unsaved enquiry first.",
                        severity="warning")
            return
        self.app.push_screen(EnquiryScreen())

    def action_resume_draft(self) -> None:

        if self.draft is not None:
            self.app.push_screen(EnquiryScreen(draft=self.draft))

    def action_discard_draft(self) -> None:
        from calllog.services import drafts

        def answered(yes: bool | None) -> None:
            app = self.calllog
            if yes and app.store and app.actor:
                drafts.discard(app.store, app.actor.id, DRAFT_KIND)
                self.refresh_notice()

        self.app.push_screen(ConfirmScreen("Discard your unsaved enquiry for good?"), answered)

    def action_find(self) -> None:

        self.app.push_screen(FindFamilyScreen())

    def action_referrals(self) -> None:

        self.app.push_screen(ReferralsScreen())

    def action_non_data(self, kind: str) -> None:
        from calllog.services import enquiries

        app = self.calllog
        assert app.store and app.actor and app.profile
        enquiries.log_non_data_contact(app.store, app.actor, app.profile, kind)
        self.notify(f"Logged: {app.profile.non_data_kinds.label(kind)}.")

    def action_queue(self) -> None:

        self.app.push_screen(QueueScreen())

    def action_my_work(self) -> None:

        self.app.push_screen(MyWorkScreen())

    def action_staff(self) -> None:

        self.app.push_screen(StaffScreen())

    async def action_sign_out(self) -> None:
        await self.calllog.end_session("signed out")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New enquiry", "Log a new enquiry (n)", self.action_new_enquiry)
        if self.check_action("find", ()):
            yield SystemCommand("Find a family", "By name, phone, postcode, DOB (f)",
                                self.action_find)
        if self.check_action("queue", ()):
            yield SystemCommand("Call queue", "Every open enquiry, safeguarding first (q)",
                                self.action_queue)
        yield SystemCommand("My work", "Your open enquiries and callbacks due (w)",
                            self.action_my_work)
        if self.check_action("staff", ()):
            yield SystemCommand("Staff accounts", "Unlock or disable accounts", self.action_staff)
        yield SystemCommand("Sign out", "Back to the login screen", self.action_sign_out)
