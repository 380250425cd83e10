"""The consent ledger (CON1) and what the family screen gains from issue 4: the
safeguarding flag (SG1), the contact-centre party views (CON6), and the keys for
consents, disclosures, information from other agencies, attendance, the other party,
the party summary and the override review.

The family screen has one action for all of these, ``consent_tool(name)``
(:func:`family_tool`), and asks :func:`family_tool_enabled` which apply. Everything
shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Static

from calllog import policy
from calllog.clock import today
from calllog.errors import CalllogError
from calllog.validation import format_date
from screens.common.base import CalllogModal, CalllogScreen
from screens.common.fields import date_field, show_problems, typed_date
from screens.common.widgets import Choice, PickField, TextField

if TYPE_CHECKING:
    from calllog.services.consents import ConsentView  # noqa: F401 (a quoted type argument)


FORMS: list[Choice] = [("VERBAL", "Verbal"), ("WRITTEN", "Written")]


PARTY_CHOICES: list[Choice] = [("parent", "The parent (first party)"),
                               ("other_party", "The other party")]


class ConsentFormScreen(CalllogScreen["ConsentView | None"]):
    """CON1: record one consent. Opened from a refused disclosure it comes filled in
    with exactly the consent that was missing."""

    HELP_TITLE = "Record a consent"
    AUTO_FOCUS = "#consent-kind-in"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="consent_form.save", priority=True,
                tooltip="Record the consent (audited)."),
        Binding("escape", "cancel", "Cancel", id="consent_form.cancel",
                tooltip="Leave without recording."),
    ]

    def __init__(self, family_id: int, coded_ref: str, *, kind: str | None = None,
                 recipient: str = "", written: bool | None = None,
                 party: str = "parent") -> None:
        super().__init__()
        self.family_id = family_id
        self.coded_ref = coded_ref
        self.preset = (kind, recipient, written, party)


    def compose(self) -> ComposeResult:
        profile = self.calllog.profile
        assert profile is not None
        kind, recipient, written, party = self.preset
        kinds = [(k, policy.CONSENT_KIND_LABELS[k]) for k in policy.CONSENT_KINDS
                 if k in profile.consent_kinds]
        yield Static(Text(f"Record a consent: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield PickField("Consent to", kinds, id="consent-kind",
                            values=[kind] if kind else [])
            yield TextField("Recipient", id="consent-recipient", max_length=160,
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
            if profile.kind == "contact_centre":
                yield PickField("Given by", PARTY_CHOICES, id="consent-party", values=[party])
        yield Footer()

    def action_save(self) -> None:
        from calllog.services import consents

        app = self.calllog
        assert app.store and app.actor and app.profile
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
            self.notify(given.error, severity="error", markup=False)
            return
        parties = self.query("#consent-party").results(PickField)
        party = next((p.value for p in parties if p.value), "parent")
        try:
            view = consents.record_consent(
                app.store, app.actor, app.profile, self.family_id, kind=kind,
                recipient=self.query_one("#consent-recipient", TextField).value,
                written=form == "WRITTEN", given_on=when, party=party)
        except CalllogError as error:
            show_problems(self, error, {"recipient": "consent-recipient",
                                        "given_on": "consent-date"})
            return
        self.notify(f"Recorded: {view.describe(app.profile)}.", markup=False)
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WithdrawScreen(CalllogModal["ConsentView | None"]):
    """CON1: when the consent was withdrawn (today unless the parent said otherwise)."""

    AUTO_FOCUS = "#withdraw-date-in"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Withdraw", id="withdraw.save", priority=True,
                tooltip="Withdraw the consent from this date (audited)."),
        Binding("escape", "cancel", "Cancel", id="withdraw.cancel", tooltip="Keep it."),
    ]
    DEFAULT_CSS = """
    WithdrawScreen { align: center middle; }
    WithdrawScreen > Vertical { width: 70; height: auto; border: thick $warning;
                                background: $surface; padding: 1 2; }
    """

    def __init__(self, consent_id: int, description: str) -> None:
        super().__init__()
        self.consent_id = consent_id
        self.description = description


    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Withdraw: {self.description}"))
            yield TextField("Withdrawn on", id="withdraw-date", validator=date_field,
                            max_length=10, value=format_date(today()), placeholder="DD/MM/YYYY")
            yield Static(Text("ctrl+s withdraws it; escape keeps it.", style="dim"))

    def action_save(self) -> None:
        from calllog.services import consents

        app = self.calllog
        assert app.store and app.actor and app.profile
        field = self.query_one(TextField)
        when = typed_date(field)
        if field.error:
            self.notify(field.error, severity="error", markup=False)
            return
        try:
            view = consents.withdraw_consent(app.store, app.actor, app.profile,
                                             self.consent_id, withdrawn_on=when)
        except CalllogError as error:
            show_problems(self, error, {"withdrawn_on": "withdraw-date"})
            return
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)
