"""Recording a consent (CON1), filled in with the missing one when a disclosure was
refused, and withdrawing one from a date (kept in the ledger as history).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from calllog import policy
from calllog.clock import today
from calllog.limits import NAME
from calllog.validation import format_date
from calllog.vocabulary import Party
from screens.common.base import CalllogModal, CalllogScreen
from screens.common.fields import date_field, typed_date
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField

if TYPE_CHECKING:
    from calllog.services.consents import ConsentView


FORMS: list[Choice] = [("VERBAL", "Verbal"), ("WRITTEN", "Written")]

#: Contact centres (CON6): whose consent, or whose information, it is.
PARTY_CHOICES: list[Choice] = [(Party.PARENT, "The parent (first party)"),
                               (Party.OTHER, "The other party")]


class ConsentFormScreen(CalllogScreen["ConsentView | None"]):
    """CON1: record one consent. Opened from a refused disclosure it comes filled in
    with exactly the consent that was missing."""

    HELP_TITLE = "Record a consent"
    AUTO_FOCUS = "#consent-kind-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("consent_form")

    def __init__(self, family_id: int, coded_ref: str, *, kind: str | None = None,
                 recipient: str = "", written: bool | None = None,
                 party: str = Party.PARENT) -> None:
        super().__init__()
        self.family_id = family_id
        self.coded_ref = coded_ref
        self.preset = (kind, recipient, written, party)
        self.saving = False

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        kind, recipient, written, party = self.preset
        kinds = [(k, policy.CONSENT_KIND_LABELS[k]) for k in policy.CONSENT_KINDS
                 if k in profile.consent_kinds]
        yield Static(Text(f"Record a consent: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield PickField("Consent to", kinds, id="consent-kind",
                            values=[kind] if kind else [])
            yield TextField("Recipient", id="consent-recipient", max_length=NAME,
                            value=recipient,
                            placeholder="the organisation or person, by name")
            yield Static(Text("A consent covers this recipient only: another team of the "
                              "same council is someone else.", style="dim"))
            yield PickField("Given", FORMS, id="consent-form",
                            values=[] if written is None else
                            ["WRITTEN" if written else "VERBAL"])
            yield TextField("Date given", id="consent-date", validator=date_field,
                            max_length=10, value=format_date(today()),
                            placeholder="DD/MM/YYYY")
            if profile.has_other_party:
                yield PickField("Given by", PARTY_CHOICES, id="consent-party", values=[party])
        yield CalllogFooter()

    def action_save(self) -> None:
        from calllog.services import consents

        if self.saving:
            return
        kind = self.query_one("#consent-kind", PickField).value
        form = self.query_one("#consent-form", PickField).value
        if kind is None or form is None:
            missing = "#consent-kind" if kind is None else "#consent-form"
            self.query_one(missing, PickField).focus_input()
            self.notify("Choose what the consent is for, and whether it was verbal or "
                        "written.", severity="error")
            return
        given = self.query_one("#consent-date", TextField)
        when = typed_date(given)
        if given.error:
            given.focus_input()
            self.notify(given.error, severity="error")
            return
        parties = self.query("#consent-party").results(PickField)
        party = next((p.value for p in parties if p.value), Party.PARENT)
        recipient = self.query_one("#consent-recipient", TextField).value
        family_id = self.family_id

        def saved(view: ConsentView) -> None:
            self.notify(f"Recorded: {view.describe(self.session.profile)}.")
            self.dismiss(view)

        self.saving = True
        self.call_service(
            lambda s: consents.record_consent(
                s.store, s.actor, s.profile, family_id, kind=kind, recipient=recipient,
                written=form == "WRITTEN", given_on=when, party=party),
            saved, fields={"recipient": "consent-recipient", "given_on": "consent-date"},
            failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(None)


class WithdrawScreen(CalllogModal["ConsentView | None"]):
    """CON1: when the consent was withdrawn (today unless the parent said otherwise)."""

    AUTO_FOCUS = "#withdraw-date-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("withdraw")
    DEFAULT_CSS = """
    WithdrawScreen { align: center middle; }
    WithdrawScreen > Vertical { width: 70; height: auto; border: thick $warning;
                                background: $surface; padding: 1 2; }
    """

    def __init__(self, consent_id: int, description: str) -> None:
        super().__init__()
        self.consent_id = consent_id
        self.description = description
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Withdraw: {self.description}"))
            yield TextField("Withdrawn on", id="withdraw-date", validator=date_field,
                            max_length=10, value=format_date(today()), placeholder="DD/MM/YYYY")
            yield Static(Text("ctrl+s withdraws it; escape keeps it.", style="dim"))
        yield CalllogFooter()

    def action_save(self) -> None:
        from calllog.services import consents

        if self.saving:
            return
        field = self.query_one(TextField)
        when = typed_date(field)
        if field.error:
            self.notify(field.error, severity="error")
            return
        consent_id = self.consent_id
        self.saving = True
        self.call_service(
            lambda s: consents.withdraw_consent(s.store, s.actor, s.profile, consent_id,
                                                withdrawn_on=when),
            self.dismiss, fields={"withdrawn_on": "withdraw-date"}, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(None)
