"""The consent ledger (CON1): a family's consents, current first, withdrawn ones kept
as history; recording and withdrawing one; and what has been disclosed, with what
it relied on. Stored text is shown as ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from calllog import policy
from calllog.text import clean_text
from calllog.validation import format_date
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.family.consent_form import ConsentFormScreen, WithdrawScreen
from screens.family.tool import FamilyToolScreen

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.consents import ConsentView
    from calllog.services.disclosures import DisclosureView
    from calllog.session import SignedIn


def consent_line(view: ConsentView, profile: Profile) -> Text:
    text = Text()
    if view.current:
        text.append("current   ", style="bold green")
    else:
        text.append("withdrawn ", style="dim")
    text.append(view.describe(profile))
    if profile.has_other_party:
        text.append(f" (from {policy.PARTY_LABELS.get(view.party, view.party)})")
    text.append(f"\n          given {format_date(view.given_on)}, recorded by "
                f"{view.recorded_by}", style="dim")
    if view.withdrawn_on is not None:
        text.append(f"; withdrawn {format_date(view.withdrawn_on)} "
                    f"({view.withdrawn_by or '?'})", style="dim")
    return text


class ConsentsScreen(FamilyToolScreen[None]):
    """CON1: the family's consents, current first, withdrawn ones kept as history; and
    what has been disclosed, with what it relied on."""

    HELP_TITLE = "Consents"
    AUTO_FOCUS = "#consent-list"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("consents")

    def __init__(self, family_id: int, coded_ref: str) -> None:
        super().__init__(family_id, coded_ref)
        self.consents: list[ConsentView] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Consents: {self.coded_ref}", style="bold"), id="consents-title")
        yield OptionList(id="consent-list")
        with VerticalScroll(id="consents-body"):
            yield Static(id="consents-note")
            yield Static(id="disclosure-list")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the ledger and the disclosures (in a worker), then show them."""
        family_id = self.family_id

        def read(s: SignedIn) -> tuple[list[ConsentView], list[DisclosureView]]:
            from calllog.services import consents, disclosures

            return (consents.ledger(s.store, s.actor, family_id),
                    disclosures.family_disclosures(s.store, s.actor, family_id))

        self.call_service(read, self._show, group="consents")

    def _show(self, read: tuple[list[ConsentView], list[DisclosureView]]) -> None:
        self.consents, done = read
        profile = self.session.profile
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(consent_line(c, profile), id=str(c.id))
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

        self.app.push_screen(WithdrawScreen(chosen.id, chosen.describe(self.session.profile)),
                             done)

