"""The family screen (REC2, REC6): one family's record with its safeguarding flag
(SG1) and, in a contact centre, one party's view (CON6); a key for each thing done
with the family: a new contact, editing, the consent ledger, disclosures,
information from other agencies, attendance, the other party, the party summary,
the override review, who has seen the record (ACC6) and supervision access to the
notes (PRIV1).

Which keys are offered is asked of :mod:`calllog.policy` and the profile's
capabilities; every service is called in a worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog import policy
from calllog.vocabulary import Party
from screens.common.base import CalllogScreen
from screens.common.dialogs import CopyTextScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.supervision import ask_for_notes
from screens.enquiry.form import EnquiryScreen
from screens.family.access_list import AccessListScreen
from screens.family.agency import AgencyInfoScreen
from screens.family.attendance import AttendanceScreen
from screens.family.consents import ConsentsScreen
from screens.family.disclose import DiscloseScreen
from screens.family.editor import EditFamilyScreen
from screens.family.other_party import OtherPartyScreen
from screens.family.render import FamilyView, family_text, load_family_view

if TYPE_CHECKING:
    from calllog.services.families import FamilyRecord
    from calllog.session import SignedIn


class FamilyScreen(CalllogScreen[None]):
    HELP_TITLE = "Family record"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("family")

    def __init__(self, record: FamilyRecord) -> None:
        super().__init__()
        self.record = record
        #: Contact centres: whose view is shown (CON6); always the parent elsewhere.
        self.party = Party.PARENT
        self._loads = 0  # the latest load is the one shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="family-body"):
            yield Static(Text(f"Coded reference {self.record.coded_ref}", style="dim"),
                         id="family-record")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.show(self.record)

    def show(self, record: FamilyRecord) -> None:
        """Show ``record``: the flag and the party view are read in a worker, then
        everything is rendered at once."""
        self.record = record
        self._loads += 1
        load, party = self._loads, self.party

        def loaded(view: FamilyView) -> None:
            if load == self._loads:
                self.query_one("#family-record", Static).update(
                    family_text(view, self.session.profile))

        self.call_service(lambda s: load_family_view(s, record, party), loaded,
                          group="family-view")

    def reload(self, _: object = None) -> None:
        """Show the record again (after a consent, disclosure or review changed it)."""
        self.show(self.record)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor, profile = self.session.actor, self.session.profile
        if action == "access_list":
            return bool(policy.may_view_access_list(actor, self.record.supporter_id))
        if action == "supervision_notes":
            if not policy.may_use_supervision_access(actor, profile):
                return False
            return True if any(c.notes_hidden for c in self.record.contacts) else None
        if action == "review_override":
            return bool(policy.may_review_overrides(actor, profile))
        if action == "attendance":
            return bool(policy.may_keep_attendance(profile))
        if action in ("switch_party", "other_party"):
            return bool(policy.may_use_party_tools(profile))
        return True

    # --- the record ---------------------------------------------------------------------

    def action_new_enquiry(self) -> None:
        self.app.push_screen(EnquiryScreen(family_id=self.record.id,
                                           family_ref=self.record.coded_ref))

    def action_edit(self) -> None:
        def saved(record: FamilyRecord | None) -> None:
            if record is not None:
                self.show(record)

        self.app.push_screen(EditFamilyScreen(self.record), saved)

    def action_copy_ref(self) -> None:
        self.app.copy_to_clipboard(self.record.coded_ref)
        self.notify(f"Copied {self.record.coded_ref}.")

    # --- consents, disclosures, parties (issue 4) -------------------------------------

    def action_consents(self) -> None:
        self.app.push_screen(ConsentsScreen(self.record.id, self.record.coded_ref),
                             self.reload)

    def action_disclose(self) -> None:
        self.app.push_screen(DiscloseScreen(self.record.id, self.record.coded_ref),
                             self.reload)

    def action_agency(self) -> None:
        self.app.push_screen(AgencyInfoScreen(self.record.id, self.record.coded_ref))

    def action_attendance(self) -> None:
        self.app.push_screen(AttendanceScreen(self.record.id, self.record.coded_ref))

    def action_other_party(self) -> None:
        self.app.push_screen(OtherPartyScreen(self.record.id, self.record.coded_ref),
                             self.reload)

    def action_switch_party(self) -> None:
        self.party = Party.OTHER if self.party == Party.PARENT else Party.PARENT
        self.reload()

    def action_export(self) -> None:
        """A plain-text summary for the party in view (CON6; audited as an export)."""
        from calllog.services import parties

        family_id, party = self.record.id, self.party

        def exported(summary: str) -> None:
            self.app.push_screen(CopyTextScreen("Family summary (plain text)", summary))

        self.call_service(lambda s: parties.party_summary(s.store, s.actor, s.profile,
                                                          family_id, party), exported)

    def action_review_override(self) -> None:
        """SG1: review every override of the family still waiting for a review."""
        from calllog.services import safeguarding

        family_id = self.record.id

        def review(s: SignedIn) -> int:
            waiting = [o for o in safeguarding.family_overrides(s.store, s.actor, family_id)
                       if o.reviewed_at is None]
            for override in waiting:
                safeguarding.review_override(s.store, s.actor, override.id, s.profile)
            return len(waiting)

        def reviewed(count: int) -> None:
            if not count:
                self.notify("No safeguarding override is waiting for a review.")
                return
            self.notify(f"Reviewed {count} safeguarding override(s).")
            self.reload()

        self.call_service(review, reviewed, failed=self.reload)

    # --- who has seen it, supervision access (issue 5) ----------------------------------

    def action_access_list(self) -> None:
        from calllog.services import access

        family_id, coded_ref = self.record.id, self.record.coded_ref
        self.call_service(
            lambda s: access.access_list(s.store, s.actor, family_id),
            lambda entries: self.app.push_screen(AccessListScreen(coded_ref, entries)))

    def action_supervision_notes(self) -> None:
        """PRIV1: a supervisor opens the family's notes with a reason (audited); the
        notes show on this screen only, until it is closed."""

        def opened(notes: Mapping[int, str]) -> None:
            contacts = tuple(
                replace(c, notes=notes[c.id], notes_hidden=False) if c.id in notes else c
                for c in self.record.contacts)
            self.show(replace(self.record, contacts=contacts))
            self.refresh_bindings()

        ask_for_notes(self, opened, family_id=self.record.id)

    def action_back(self) -> None:
        self.dismiss()
