"""Incoming referrals (REC8): the held referrals, with only what is needed to go back
to the referrer; the parent's permission given (and how) or refused; the key to
record a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from calllog.text import clean_text
from screens.common.base import CalllogModal, CalllogScreen
from screens.common.dialogs import ConfirmScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.referrals.form import ReferralFormScreen

if TYPE_CHECKING:
    from calllog.errors import CalllogError
    from calllog.services.referrals import HeldReferral, ReferralView


class ReferralsScreen(CalllogScreen[None]):
    """REC8: referrals waiting for the parent's permission. The family stays hidden
    (from search and from the family screen) until it is recorded."""

    HELP_TITLE = "Incoming referrals"
    AUTO_FOCUS = "#referral-list"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("referrals")

    def __init__(self) -> None:
        super().__init__()
        self.held: list[HeldReferral] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Incoming referrals waiting for the parent's permission",
                          style="bold"))
        yield OptionList(id="referral-list")
        yield Static(id="referral-message")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the held referrals (in a worker), then list them."""
        from calllog.services import referrals

        self.call_service(lambda s: referrals.held_referrals(s.store, s.actor), self._show,
                          failed=self._failed, quiet=True, group="referrals")

    def _failed(self, error: CalllogError) -> None:
        self._say(str(error))

    def _show(self, held: list[HeldReferral]) -> None:
        self.held = held
        kinds = self.session.profile.referrer_kinds
        options = self.query_one(OptionList)
        options.clear_options()
        for item in self.held:
            text = Text(item.coded_ref, style="bold")
            kind = kinds.label(item.referrer_kind) if kinds else item.referrer_kind
            text.append(f"  {clean_text(item.referrer_name)} ({kind})")
            if item.referrer_contact:
                text.append(f"  {clean_text(item.referrer_contact)}")
            text.append(f"  received {item.received_at.astimezone():%d/%m/%Y}", style="dim")
            options.add_option(Option(text, id=str(item.id)))
        if self.held:
            options.highlighted = 0
        self._say("Go back to the referrer to ask for the parent's permission. n records a "
                  "new referral." if self.held else
                  "No referral is waiting for permission. n records a new referral.")

    def _say(self, message: str) -> None:
        self.query_one("#referral-message", Static).update(Text(message))

    def _chosen(self) -> HeldReferral | None:
        index = self.query_one(OptionList).highlighted
        return self.held[index] if index is not None and self.held else None

    def action_new(self) -> None:
        def saved(view: ReferralView | None) -> None:
            if view is not None:
                self.reload()

        self.app.push_screen(ReferralFormScreen(), saved)

    def action_agreed(self) -> None:
        from calllog.services import referrals

        chosen = self._chosen()
        if chosen is None:
            return

        def accepted(_: object) -> None:
            self.notify(f"Referral accepted: {chosen.coded_ref} can now be found.")
            self.reload()

        def answered(permission: str | None) -> None:
            if permission is None:
                return
            self.call_service(
                lambda s: referrals.record_permission(s.store, s.actor, s.profile,
                                                      chosen.id, permission),
                accepted, failed=self._failed, quiet=True)

        self.app.push_screen(PermissionScreen(chosen.coded_ref), answered)

    def action_refused(self) -> None:
        from calllog.services import referrals

        chosen = self._chosen()
        if chosen is None:
            return

        def closed(_: object) -> None:
            self.notify("Referral closed; the family's details are deleted.")
            self.reload()

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            self.call_service(
                lambda s: referrals.permission_refused(s.store, s.actor, chosen.id),
                closed, failed=self._failed, quiet=True)

        self.app.push_screen(ConfirmScreen(
            f"The parent does not agree: close the referral of {chosen.coded_ref} and "
            f"delete the child's and family's details? Only an anonymous count is kept."),
            answered)

    def action_back(self) -> None:
        self.dismiss()


class PermissionScreen(CalllogModal["str | None"]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("permission")
    DEFAULT_CSS = """
    PermissionScreen { align: center middle; }
    PermissionScreen > Vertical { width: 64; height: auto; border: thick $primary;
                                  background: $surface; padding: 1 2; }
    """

    def __init__(self, coded_ref: str) -> None:
        super().__init__()
        self.coded_ref = coded_ref

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"How was the parent's permission for {self.coded_ref} "
                              "given?"))
            yield Static("r  the referrer confirms the parent agreed\n"
                         "p  the parent told us themselves\n"
                         "escape  not yet", markup=False)
        yield CalllogFooter()

    def action_answer(self, permission: str | None) -> None:
        self.dismiss(permission)
