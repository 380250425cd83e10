"""Home: who is signed in, today's date, the service, and every key that exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from calllog import policy
from screens.common.base import CalllogScreen
from screens.common.dialogs import ConfirmScreen
from screens.common.footer import CalllogFooter
from screens.common.help import describe_keys
from screens.common.keys import keys_for
from screens.common.nondata import non_data_kind
from screens.enquiry.form import DRAFT_KIND, EnquiryScreen
from screens.family.find import FindFamilyScreen
from screens.queue.mywork import MyWorkScreen
from screens.queue.screen import QueueScreen
from screens.referrals.screen import ReferralsScreen
from screens.staff.screen import StaffScreen


class HomeScreen(CalllogScreen[None]):
    HELP_TITLE = "Home"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("home")

    def __init__(self) -> None:
        super().__init__()
        self.draft: dict[str, Any] | None = None
        self._draft_known = False  # the draft has been looked for since this screen showed
        self._new_asked = False  # n pressed while still looking: decide once it is known

    def compose(self) -> ComposeResult:
        with Vertical(id="home-box"):
            yield Static(id="who", markup=False)
            yield Static(id="notice", markup=False)
            yield Static(id="keys")
        yield CalllogFooter()

    def on_mount(self) -> None:
        from calllog.clock import today

        actor, profile = self.session.actor, self.session.profile
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
        """Look for the adviser's own unsaved enquiry (in a worker), then offer it back."""
        from calllog.services import drafts

        self._draft_known = False
        self.call_service(lambda s: drafts.load(s.store, s.actor.id, DRAFT_KIND),
                          self._draft_found, group="draft", exclusive=True)
        self._show_notice()

    def _draft_found(self, draft: dict[str, Any] | None) -> None:
        self.draft, self._draft_known = draft, True
        self._show_notice()
        if self._new_asked:
            self._new_asked = False
            self.action_new_enquiry()

    def _show_notice(self) -> None:
        lines = []
        if self.draft is not None:
            lines.append("You have an unsaved enquiry: r resumes it, x discards it.")
        if not self.session.actor.dbs_recorded:
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
        actor, profile = self.session.actor, self.session.profile
        if action == "queue":
            return bool(policy.may_view_queue(actor))
        if action == "my_work":  # supervisors reach their own work from the queue (w)
            return not policy.may_view_queue(actor)
        if action == "staff":
            return bool(policy.may_list_staff(actor))
        if action in ("resume_draft", "discard_draft"):
            return self.draft is not None
        if action in ("find", "referrals"):
            return bool(policy.may_open_family_records(actor))
        if action == "non_data":
            return non_data_kind(profile, parameters[0] if parameters else None) is not None
        return True

    def action_new_enquiry(self) -> None:
        if not self._draft_known:  # still looking for a draft: never overwrite one
            self._new_asked = True
            return
        if self.draft is not None:
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
            if yes:
                self.call_service(lambda s: drafts.discard(s.store, s.actor.id, DRAFT_KIND),
                                  lambda _: self.refresh_notice(), group="draft")

        self.app.push_screen(ConfirmScreen("Discard your unsaved enquiry for good?"), answered)

    def action_find(self) -> None:
        self.app.push_screen(FindFamilyScreen())

    def action_referrals(self) -> None:
        self.app.push_screen(ReferralsScreen())

    def action_non_data(self, place: int) -> None:
        from calllog.services import enquiries

        profile = self.session.profile
        kind = non_data_kind(profile, place)
        if kind is None:
            return
        self.call_service(
            lambda s: enquiries.log_non_data_contact(s.store, s.actor, s.profile, kind),
            lambda _: self.notify(f"Logged: {profile.non_data_kinds.label(kind)}."))

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
