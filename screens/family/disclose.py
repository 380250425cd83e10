"""Disclosures (CON2–CON5, SG1): refer, share, contact on the parent's behalf, tell
someone the parent contacted us, email personal information.

The policy engine's decision is shown as the fields are filled in, before anything is
recorded (asked in a worker as the fields change). Refused, it names the missing
consent and offers, by key, to record that consent (ctrl+r) or to make a
safeguarding override (ctrl+o). Allowed, ctrl+s records it with the consent it relies
on. Email and letter text (marked confidential, with the coded reference) is shown
for copying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog import policy
from calllog.errors import CalllogError
from calllog.limits import NAME, REASON
from calllog.vocabulary import Party
from screens.common.dialogs import CopyTextScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField
from screens.family.consent_form import PARTY_CHOICES, ConsentFormScreen
from screens.family.override import OverrideScreen
from screens.family.tool import FamilyToolScreen

if TYPE_CHECKING:
    from calllog.policy import Decision
    from calllog.services.consents import ConsentView
    from calllog.services.disclosures import DisclosureDraft, OverrideRequest, Recorded


KINDS: list[Choice] = [(k, policy.DISCLOSURE_KIND_LABELS[k]) for k in policy.DISCLOSURE_KINDS
                       if k != policy.DisclosureKind.ATTENDANCE]


PURPOSES: list[Choice] = [(p, policy.PURPOSE_LABELS[p]) for p in policy.PURPOSES]


FIELDS = {"recipient": "disclose-recipient", "recipient_kind": "disclose-recipient-kind",
          "kind": "disclose-kind", "purpose": "disclose-purpose", "channel": "disclose-channel",
          "about_party": "disclose-party"}


class DiscloseScreen(FamilyToolScreen[bool]):
    HELP_TITLE = "Disclose"
    AUTO_FOCUS = "#disclose-kind-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("disclose")

    def __init__(self, family_id: int, coded_ref: str) -> None:
        super().__init__(family_id, coded_ref)
        self.decision: Decision | None = None
        self._asked = 0  # the latest question to the engine is the one shown
        self._answered = 0  # the latest question it has answered
        self.saving = False

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        kinds = ([(i.code, i.label) for i in profile.recipient_kinds.items]
                 if profile.recipient_kinds else [])
        channels = [(i.code, i.label) for i in profile.channels.items]
        yield Static(Text(f"Disclose: {self.coded_ref}", style="bold"))
        with VerticalScroll(id="disclose-body"):
            yield PickField("What", KINDS, id="disclose-kind")
            yield TextField("To (by name)", id="disclose-recipient", max_length=NAME,
                            placeholder="e.g. Oakfield School, Cornwall Council SEN team")
            yield PickField("Kind of recipient", kinds, id="disclose-recipient-kind")
            yield PickField("For", PURPOSES, id="disclose-purpose",
                            values=[policy.Purpose.SUPPORT])
            if profile.has_other_party:
                yield PickField("Whose information", PARTY_CHOICES, id="disclose-party",
                                values=[Party.PARENT])
            yield PickField("How", channels, id="disclose-channel")
            yield TextField("Note", id="disclose-note", max_length=REASON,
                            placeholder="optional: what was passed on")
        yield Static(id="decision")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.refresh_decision()

    # --- the engine's decision, live ----------------------------------------------------

    def draft(self) -> DisclosureDraft | None:
        from calllog.services.disclosures import DisclosureDraft

        kind = self.query_one("#disclose-kind", PickField).value
        recipient = self.query_one("#disclose-recipient", TextField).value
        recipient_kind = self.query_one("#disclose-recipient-kind", PickField).value
        if not kind or not policy.recipient_key(recipient) or not recipient_kind:
            return None
        party = next((p.value for p in self.query("#disclose-party").results(PickField)
                      if p.value), Party.PARENT)
        return DisclosureDraft(
            kind=kind, recipient=recipient, recipient_kind=recipient_kind,
            purpose=self.query_one("#disclose-purpose", PickField).value or "support",
            about_party=party, channel=self.query_one("#disclose-channel", PickField).value,
            note=self.query_one("#disclose-note", TextField).value)

    @on(PickField.Changed)
    @on(TextField.Changed)
    def refresh_decision(self) -> None:
        """Ask the engine about the draft as it stands (in a worker); the latest answer
        is shown."""
        from calllog.services import disclosures

        draft = self.draft()
        self._asked += 1
        asked, family_id = self._asked, self.family_id
        self.decision = None
        self.refresh_bindings()
        if draft is None:
            self._answered = asked  # nothing to ask
            self.query_one("#decision", Static).update(Text(
                "Choose what you are doing, who it goes to (by name) and what kind of "
                "recipient they are: calllog then says whether the policy allows it.",
                style="dim"))
            return

        def answered(decision: Decision) -> None:
            self._answered = max(self._answered, asked)
            if asked == self._asked:
                self.show_decision(decision)

        def unanswered(error: CalllogError) -> None:
            self._answered = max(self._answered, asked)
            if asked == self._asked:
                self.query_one("#decision", Static).update(Text(str(error), style="bold"))

        self.call_service(
            lambda s: disclosures.preview(s.store, s.actor, s.profile, family_id, draft),
            answered, failed=unanswered, quiet=True, group="decision")

    @property
    def waiting_for_service(self) -> bool:
        """The decision on the draft as it stands is still being worked out: a key
        typed ahead (ctrl+s) waits for it (TypeAhead)."""
        return self._answered < self._asked

    def show_decision(self, decision: Decision) -> None:
        self.decision = decision
        self.query_one("#decision", Static).update(decision_text(decision))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        decision = self.decision
        if action == "record":
            return True if decision is not None and decision.allowed else None
        if action == "record_consent":
            return True if decision is not None and decision.missing else None
        if action == "override":
            return True if decision is not None and decision.override_possible else None
        return True

    # --- actions ---------------------------------------------------------------------------

    def action_record(self, override: OverrideRequest | None = None) -> None:
        from calllog.services import disclosures

        draft = self.draft()
        if self.saving:
            return
        if draft is None:
            self.refresh_decision()
            return
        family_id = self.family_id
        self.saving = True
        self.call_service(
            lambda s: disclosures.disclose(s.store, s.actor, s.profile, family_id, draft,
                                           override=override),
            self._recorded, fields=FIELDS, failed=self._refused)

    def _refused(self, error: CalllogError) -> None:
        from calllog.services import disclosures

        self.saving = False
        if isinstance(error, disclosures.Refused):  # its reason is already said
            self.show_decision(error.decision)

    def _recorded(self, done: Recorded) -> None:
        app = self.app
        if done.override_id is not None:
            app.notify("Recorded with a safeguarding override: the family is flagged and "
                       "supervisors will review it.", severity="warning")
        else:
            app.notify("Disclosure recorded with the consent it relied on.")
        self.dismiss(True)
        if done.correspondence is not None:
            title = ("Email text: copy it into the email" if done.correspondence.kind == "email"
                     else "Letter text: copy it into the letter")
            app.push_screen(CopyTextScreen(title, done.correspondence.as_text()))

    def action_record_consent(self) -> None:
        decision, draft = self.decision, self.draft()
        if decision is None or not decision.missing or draft is None:
            return
        needed = policy.CONSENT_FOR.get(draft.kind)
        profile = self.session.profile

        def saved(view: ConsentView | None) -> None:
            if view is not None:
                self.refresh_decision()

        self.app.push_screen(ConsentFormScreen(
            self.family_id, self.coded_ref, kind=needed, recipient=draft.recipient,
            written=True if needed in profile.written_consent else None,
            party=draft.about_party), saved)

    def action_override(self) -> None:
        decision = self.decision
        if decision is None or not decision.override_possible:
            return

        def made(request: OverrideRequest | None) -> None:
            if request is not None:
                self.action_record(request)

        self.app.push_screen(OverrideScreen(self.coded_ref, decision.override_categories), made)

    def action_cancel(self) -> None:
        self.dismiss(False)


def decision_text(decision: Decision) -> Text:
    text = Text()
    if decision.allowed:
        text.append(" ALLOWED ", style="bold reverse green")
        text.append(f" {decision.reason} ctrl+s records it.")
        return text
    text.append(" REFUSED ", style="bold reverse red")
    text.append(f" {decision.reason}")
    offers = []
    if decision.missing:
        offers.append("ctrl+r records that consent if the parent has given it")
    if decision.override_possible:
        offers.append("ctrl+o makes a safeguarding override")
    if offers:
        text.append("\n" + "; ".join(offers) + ".", style="bold")
    return text
