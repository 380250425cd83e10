"""The consent ledger (CON1) and what the family screen gains from issue 4: the
safeguarding flag (SG1), the contact-centre party views (CON6), and the keys for
consents, disclosures, information from other agencies, attendance, the other party,
the party summary and the override review.

The family screen has one action for all of these, ``consent_tool(name)``
(:func:`family_tool`), and asks :func:`family_tool_enabled` which apply. Everything
shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from calllog import policy
from calllog.clock import today
from calllog.errors import CalllogError
from calllog.text import clean_text
from calllog.validation import ValidationError, format_date, parse_date
from screens.base import CalllogModal, CalllogScreen
from screens.widgets import Choice, PickField, TextField

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.consents import ConsentView
    from calllog.services.families import FamilyRecord
    from screens.app import CalllogApp
    from screens.family import FamilyScreen

FORMS: list[Choice] = [("VERBAL", "Verbal"), ("WRITTEN", "Written")]
PARTY_CHOICES: list[Choice] = [("parent", "The parent (first party)"),
                               ("other_party", "The other party")]
#: The family screen's keys for issue 4 (FamilyScreen.BINDINGS includes them).
FAMILY_BINDINGS: list[BindingType] = [
    Binding("k", "consent_tool('consents')", "Consents", id="family.consents",
            tooltip="The consent ledger: record a consent, withdraw one, see history."),
    Binding("d", "consent_tool('disclose')", "Disclose", id="family.disclose",
            tooltip="Refer, share, contact on the parent's behalf, tell or email: the "
                    "policy decides first."),
    Binding("g", "consent_tool('agency')", "Agency info", id="family.agency",
            tooltip="Record information obtained from another agency (the parent asked)."),
    Binding("t", "consent_tool('attendance')", "Attendance", id="family.attendance",
            tooltip="Contact centres: the attendance register, and its release to the "
                    "referring agency."),
    Binding("p", "consent_tool('switch_party')", "Party view", id="family.switch_party",
            tooltip="Contact centres: show the other party's view (each party sees only "
                    "their own address and telephone)."),
    Binding("o", "consent_tool('other_party')", "Other party", id="family.other_party",
            tooltip="Contact centres: the other party's name and, with their consent, "
                    "contact details."),
    Binding("x", "consent_tool('export')", "Export", id="family.export",
            tooltip="A plain-text summary of the family for the party in view (audited)."),
    Binding("R", "consent_tool('review')", "Review override", id="family.review_override",
            tooltip="Supervisors: record that you reviewed the safeguarding override."),
]
_CENTRE_ONLY = frozenset({"attendance", "switch_party", "other_party"})


def _app(screen: Screen[Any]) -> CalllogApp:
    return screen.app  # type: ignore[return-value]


def date_field(text: str) -> str:
    """A date that has happened: DD/MM/YYYY."""
    when = parse_date(text)
    if when > today():
        raise ValidationError("The date is in the future.")
    return format_date(when)


def typed_date(field: TextField) -> date | None:
    checked = field.check()
    return parse_date(checked) if checked else None


def show_problems(screen: Screen[Any], error: CalllogError, fields: dict[str, str]) -> None:
    """Put a service's field problems beside the fields (``fields``: problem key ->
    widget id) and say the first one."""
    problems: dict[str, str] = dict(getattr(error, "problems", {}) or {})
    focused = False
    for key, message in problems.items():
        widget_id = fields.get(key)
        if widget_id is None:
            continue
        for field in screen.query(f"#{widget_id}").results(TextField):
            field.show_error(message)
            if not focused:
                field.focus_input()
                focused = True
        for pick in screen.query(f"#{widget_id}").results(PickField):
            if not focused:
                pick.focus_input()
                focused = True
    screen.notify(str(error), severity="error", markup=False)


# --- the family screen --------------------------------------------------------------------


def family_view(screen: FamilyScreen, record: FamilyRecord) -> Text:
    """The family record with the safeguarding flag on top; in a contact centre, the
    view of one party (CON6: the other party by name only)."""
    from calllog.services import parties, safeguarding
    from screens.family import render_record

    app = _app(screen)
    assert app.store and app.actor and app.profile
    text = Text()
    try:
        flag = safeguarding.family_flag(app.store, app.actor, record.id)
    except CalllogError:
        flag = None
    if flag is not None:
        label = policy.OVERRIDE_LABELS.get(flag.latest_category, flag.latest_category)
        waiting = (f"{flag.unreviewed} waiting for a supervisor's review"
                   if flag.unreviewed else "reviewed")
        text.append(" SAFEGUARDING ", style="bold reverse red")
        text.append(f" Override made {flag.latest_at.astimezone():%d/%m/%Y} "
                    f"({label.lower()}); {waiting}.\n", style="bold")
    shown = record
    if app.profile.kind == "contact_centre":
        party = screen.party
        view = parties.party_view(app.store, app.actor, app.profile, record.id, party)
        shown = replace(record, parent=view.own, contact_consent=view.own_consent)
        text.append("Viewing as ", style="dim")
        text.append("the parent (first party)" if party == "parent" else "the other party",
                    style="bold")
        text.append("   p shows the other party's view\n", style="dim")
        if view.other_name:
            text.append("  Other party       ", style="dim")
            text.append(clean_text(view.other_name))
            text.append("  (their contact details are never shown here)\n", style="dim")
    text.append_text(render_record(shown, app.profile))
    return text


def family_tool_enabled(screen: FamilyScreen, name: str) -> bool | None:
    app = _app(screen)
    if app.profile is None or app.actor is None:
        return False
    if name in _CENTRE_ONLY:
        return app.profile.kind == "contact_centre"
    if name == "review":
        return app.actor.role.value in app.profile.override_reviewers
    return True


def family_tool(screen: FamilyScreen, name: str) -> None:
    from screens.agency import AgencyInfoScreen
    from screens.contactcentre import AttendanceScreen, OtherPartyScreen
    from screens.disclose import CopyTextScreen, DiscloseScreen

    app = _app(screen)
    assert app.store and app.actor and app.profile
    record = screen.record

    def refresh(_: object = None) -> None:
        screen.show(screen.record)

    if not family_tool_enabled(screen, name):
        screen.notify("Not available here.", severity="warning")
        return
    if name == "consents":
        app.push_screen(ConsentsScreen(record.id, record.coded_ref), refresh)
    elif name == "disclose":
        app.push_screen(DiscloseScreen(record.id, record.coded_ref), refresh)
    elif name == "agency":
        app.push_screen(AgencyInfoScreen(record.id, record.coded_ref))
    elif name == "attendance":
        app.push_screen(AttendanceScreen(record.id, record.coded_ref))
    elif name == "other_party":
        app.push_screen(OtherPartyScreen(record.id, record.coded_ref), refresh)
    elif name == "switch_party":
        screen.party = "other_party" if screen.party == "parent" else "parent"
        refresh()
    elif name == "export":
        from calllog.services import parties

        party = screen.party if app.profile.kind == "contact_centre" else "parent"
        try:
            summary = parties.party_summary(app.store, app.actor, app.profile, record.id, party)
        except CalllogError as error:
            screen.notify(str(error), severity="error", markup=False)
            return
        app.push_screen(CopyTextScreen("Family summary (plain text)", summary))
    elif name == "review":
        _review(screen)


def _review(screen: FamilyScreen) -> None:
    from calllog.services import safeguarding

    app = _app(screen)
    assert app.store and app.actor and app.profile
    try:
        waiting = [o for o in safeguarding.family_overrides(app.store, app.actor,
                                                            screen.record.id)
                   if o.reviewed_at is None]
        if not waiting:
            screen.notify("No safeguarding override is waiting for a review.")
            return
        for override in waiting:
            safeguarding.review_override(app.store, app.actor, override.id, app.profile)
    except CalllogError as error:
        screen.notify(str(error), severity="error", markup=False)
        return
    screen.notify(f"Reviewed {len(waiting)} safeguarding override(s).")
    screen.show(screen.record)


# --- the ledger ---------------------------------------------------------------------------


def consent_line(view: ConsentView, profile: Profile) -> Text:
    text = Text()
    if view.current:
        text.append("current   ", style="bold green")
    else:
        text.append("withdrawn ", style="dim")
    text.append(view.describe(profile))
    if profile.kind == "contact_centre":
        text.append(f" (from {policy.PARTY_LABELS.get(view.party, view.party)})")
    text.append(f"\n          given {format_date(view.given_on)}, recorded by "
                f"{view.recorded_by}", style="dim")
    if view.withdrawn_on is not None:
        text.append(f"; withdrawn {format_date(view.withdrawn_on)} "
                    f"({view.withdrawn_by or '?'})", style="dim")
    return text


class ConsentsScreen(CalllogScreen[None]):
    """CON1: the family's consents, current first, withdrawn ones kept as history; and
    what has been disclosed, with what it relied on."""

    HELP_TITLE = "Consents"
    AUTO_FOCUS = "#consent-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "record", "Record consent", id="consents.record",
                tooltip="Record a consent the parent has given."),
        Binding("w", "withdraw", "Withdraw", id="consents.withdraw",
                tooltip="Withdraw the chosen consent (kept in history with the date)."),
        Binding("escape", "back", "Back", id="consents.back", tooltip="Back to the family."),
    ]

    def __init__(self, family_id: int, coded_ref: str) -> None:
        super().__init__()
        self.family_id = family_id
        self.coded_ref = coded_ref
        self.consents: list[ConsentView] = []


    def compose(self) -> ComposeResult:
        yield Static(Text(f"Consents: {self.coded_ref}", style="bold"), id="consents-title")
        yield OptionList(id="consent-list")
        with VerticalScroll(id="consents-body"):
            yield Static(id="consents-note")
            yield Static(id="disclosure-list")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        from calllog.services import consents, disclosures

        app = self.calllog
        assert app.store and app.actor and app.profile
        try:
            self.consents = consents.ledger(app.store, app.actor, self.family_id)
            done = disclosures.family_disclosures(app.store, app.actor, self.family_id)
        except CalllogError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(consent_line(c, app.profile), id=str(c.id))
                             for c in self.consents])
        if self.consents:
            options.highlighted = min(highlighted or 0, len(self.consents) - 1)
        note = Text("No consents recorded yet: r records one.\n" if not self.consents
                    else "", style="dim")
        self.query_one("#consents-note", Static).update(note)
        text = Text(f"Disclosures ({len(done)})\n", style="bold")
        for item in done:
            text.append(f"  {item.made_at.astimezone():%d/%m/%Y} ", style="bold")
            text.append(policy.DISCLOSURE_KIND_LABELS.get(item.kind, item.kind) + " ")
            text.append(clean_text(item.recipient))
            basis = {"consent": "on consent", "override": "SAFEGUARDING OVERRIDE",
                     "attendance": "attendance register (CC1)"}[item.basis]
            text.append(f"  {basis}, by {item.made_by}\n", style="dim")
        self.query_one("#disclosure-list", Static).update(text)

    def _chosen(self) -> ConsentView | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.consents:
            return None
        return self.consents[index]

    def action_record(self) -> None:
        def saved(view: ConsentView | None) -> None:
            if view is not None:
                self.reload()

        self.app.push_screen(ConsentFormScreen(self.family_id, self.coded_ref), saved)

    def action_withdraw(self) -> None:
        chosen = self._chosen()
        if chosen is None or not chosen.current:
            self.notify("Choose a current consent first.", severity="warning")
            return

        def done(view: ConsentView | None) -> None:
            if view is not None:
                self.notify("Consent withdrawn; it stays in the history.")
                self.reload()

        assert self.calllog.profile is not None
        self.app.push_screen(WithdrawScreen(chosen.id, chosen.describe(self.calllog.profile)),
                             done)

    def action_back(self) -> None:
        self.dismiss()


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
