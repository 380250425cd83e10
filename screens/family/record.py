"""The consent ledger (CON1) and what the family screen gains from issue 4: the
safeguarding flag (SG1), the contact-centre party views (CON6), and the keys for
consents, disclosures, information from other agencies, attendance, the other party,
the party summary and the override review.

The family screen has one action for all of these, ``consent_tool(name)``
(:func:`family_tool`), and asks :func:`family_tool_enabled` which apply. Everything
shown from the store is ``Text``, never markup.

A family's record (REC2, REC6, CON5): every contact in order, the children, the
diversity answers, the coded reference to copy into insecure messages, and editing
(audited). Everything shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from calllog.errors import CalllogError
from screens.common.base import CalllogScreen
from screens.common.dialogs import CopyTextScreen
from screens.enquiry.form import EnquiryScreen
from screens.family.access_list import family_action_allowed, show_access_list, supervision_notes
from screens.family.agency import AgencyInfoScreen
from screens.family.attendance import AttendanceScreen
from screens.family.consents import ConsentsScreen
from screens.family.disclose import DiscloseScreen
from screens.family.editor import EditFamilyScreen
from screens.family.other_party import OtherPartyScreen
from screens.family.render import family_view

if TYPE_CHECKING:
    from calllog.services.families import FamilyRecord
    from screens.app import CalllogApp


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


class FamilyScreen(CalllogScreen[None]):
    HELP_TITLE = "Family record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_enquiry", "New contact", id="family.new_enquiry",
                tooltip="Log a new contact with this family."),
        Binding("e", "edit", "Edit", id="family.edit",
                tooltip="Edit the parent, children and diversity answers (audited)."),
        Binding("c", "copy_ref", "Copy ref", id="family.copy_ref",
                tooltip="Copy the coded reference for an insecure message."),
        Binding("a", "access_list", "Seen by", id="family.access_list",
                tooltip="Who has seen this record, from the audit log (ACC6)."),
        Binding("v", "supervision_notes", "Notes", id="family.supervision_notes",
                tooltip="Supervision access to the notes: asks for a reason; audited (PRIV1)."),
        *FAMILY_BINDINGS,  # issue 4: consents, disclosures, parties (screens/consents.py)
        Binding("escape", "back", "Back", id="family.back", tooltip="Back."),
    ]
    #: Contact centres: whose view is shown ("parent" or "other_party"), CON6.
    party: str = "parent"

    def __init__(self, record: FamilyRecord) -> None:
        super().__init__()
        self.record = record


    def compose(self) -> ComposeResult:
        with VerticalScroll(id="family-body"):
            yield Static(id="family-record")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.record)

    def show(self, record: FamilyRecord) -> None:

        self.record = record
        assert self.calllog.profile is not None
        self.query_one("#family-record", Static).update(family_view(self, record))

    def action_consent_tool(self, name: str) -> None:
        from screens.family.record import family_tool

        family_tool(self, name)

    def action_copy_ref(self) -> None:
        self.app.copy_to_clipboard(self.record.coded_ref)
        self.notify(f"Copied {self.record.coded_ref}.")

    def action_new_enquiry(self) -> None:

        self.app.push_screen(EnquiryScreen(family_id=self.record.id,
                                           family_ref=self.record.coded_ref))

    def action_edit(self) -> None:
        def saved(record: FamilyRecord | None) -> None:
            if record is not None:
                self.show(record)

        self.app.push_screen(EditFamilyScreen(self.record), saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from screens.family.record import family_tool_enabled

        if action == "consent_tool" and parameters:
            return family_tool_enabled(self, str(parameters[0]))
        return family_action_allowed(self, action)

    def action_access_list(self) -> None:

        show_access_list(self)

    def action_supervision_notes(self) -> None:

        supervision_notes(self)

    def action_back(self) -> None:
        self.dismiss()
