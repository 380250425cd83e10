"""A family's record (REC2, REC6, CON5): every contact in order, the children, the
diversity answers, the coded reference to copy into insecure messages, and editing
(audited). Everything shown from the store is ``Text``, never markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from calllog.academic import age_on
from calllog.clock import today
from calllog.errors import CalllogError
from calllog.text import clean_text
from calllog.validation import format_date, format_phone
from screens.base import CalllogScreen
from screens.consents import FAMILY_BINDINGS
from screens.familyform import FamilyForm, child_state, parent_state

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.enquiries import ChildDetails
    from calllog.services.families import Contact, FamilyRecord


def _line(text: Text, label: str, value: str | None) -> None:
    """One labelled line. Stored text is cleaned again at render (PRIV3: at storage
    and at display), so nothing in the store can drive the terminal."""
    if value:
        text.append(f"  {label:<18}", style="dim")
        text.append(clean_text(value, multiline=True))
        text.append("\n")


def _labels(codes: Iterable[str], lookup: object) -> str:
    return "; ".join(lookup.label(c) for c in codes)  # type: ignore[attr-defined]


def render_record(record: FamilyRecord, profile: Profile) -> Text:
    text = Text()
    text.append("Coded reference ", style="dim")
    text.append(record.coded_ref, style="bold")
    text.append("   (c copies it, for emails and other insecure messages)\n", style="dim")
    if record.supporter:
        _line(text, "Supporter", record.supporter)
    text.append("\nParent or carer\n", style="bold")
    parent = record.parent
    if not record.contact_consent:
        text.append("  The caller did not agree to us keeping their contact details.\n")
    elif parent is not None:
        _line(text, "Name", parent.name)
        _line(text, "Relationship",
              profile.relationships.label(parent.relationship) if parent.relationship else None)
        _line(text, "Address", (parent.address or "").replace("\n", ", "))
        _line(text, "Postcode", parent.postcode)
        _line(text, "Telephone", format_phone(parent.phone) if parent.phone else None)
        _line(text, "Email", parent.email)
        _line(text, "Preferred contact", profile.contact_methods.label(parent.contact_method)
              if parent.contact_method else None)
    for n, child in enumerate(record.children, start=1):
        _render_child(text, n, child, profile)
    if record.diversity:
        text.append("\nDiversity monitoring\n", style="bold")
        questions = {q.key: q for q in profile.diversity}
        for key, code in record.diversity.items():
            question = questions.get(key)
            _line(text, key.replace("_", " ").capitalize(),
                  question.answers.label(code) if question else code)
    text.append(f"\nContacts ({len(record.contacts)})\n", style="bold")
    for contact in record.contacts:
        _render_contact(text, contact, profile)
    return text


def _render_child(text: Text, n: int, child: ChildDetails, profile: Profile) -> None:
    text.append(f"\nChild {n}\n", style="bold")
    _line(text, "Name", child.name)
    if child.dob:
        _line(text, "Date of birth", f"{format_date(child.dob)} (age {age_on(child.dob, today())})")
    _line(text, "Year group", profile.year_groups.label(child.year_group)
          if child.year_group else None)
    _line(text, "Gender", profile.genders.label(child.gender) if child.gender else None)
    school = child.school_name or ""
    if child.school_type:
        school += f" ({profile.school_types.label(child.school_type)})"
    _line(text, "School/setting", school.strip())
    _line(text, "Type of need", _labels(child.sen_needs, profile.sen_needs))
    _line(text, "SEN provision", profile.sen_provision.label(child.sen_provision)
          if child.sen_provision else None)
    _line(text, "Issue", _labels(child.issues, profile.topics))


def _render_contact(text: Text, contact: Contact, profile: Profile) -> None:
    local = contact.started_at.astimezone()
    minutes = max(1, round((contact.ended_at - contact.started_at).total_seconds() / 60))
    text.append(f"  {local:%d/%m/%Y %H:%M}", style="bold")
    text.append(f"  {profile.channels.label(contact.channel)}, {minutes} min, "
                f"by {contact.recorded_by}, {contact.status}\n")
    _line(text, "Topics", _labels(contact.topics, profile.topics))
    _line(text, "Outcome", profile.outcomes.label(contact.outcome) if contact.outcome else None)
    told = "yes" if contact.policy_explained else "no"
    leaflet = "yes" if contact.leaflet_sent else "no"
    _line(text, "Policy explained", f"{told}; leaflet sent: {leaflet}")
    if contact.notes:
        _line(text, "Notes", contact.notes)
    elif contact.notes_hidden:
        _line(text, "Notes", "(seen only by the family's supporter)")


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
        from screens.consents import family_view

        self.record = record
        assert self.calllog.profile is not None
        self.query_one("#family-record", Static).update(family_view(self, record))

    def action_consent_tool(self, name: str) -> None:
        from screens.consents import family_tool

        family_tool(self, name)

    def action_copy_ref(self) -> None:
        self.app.copy_to_clipboard(self.record.coded_ref)
        self.notify(f"Copied {self.record.coded_ref}.")

    def action_new_enquiry(self) -> None:
        from screens.enquiry import EnquiryScreen

        self.app.push_screen(EnquiryScreen(family_id=self.record.id,
                                           family_ref=self.record.coded_ref))

    def action_edit(self) -> None:
        def saved(record: FamilyRecord | None) -> None:
            if record is not None:
                self.show(record)

        self.app.push_screen(EditFamilyScreen(self.record), saved)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from screens.access_list import family_action_allowed
        from screens.consents import family_tool_enabled

        if action == "consent_tool" and parameters:
            return family_tool_enabled(self, str(parameters[0]))
        return family_action_allowed(self, action)

    def action_access_list(self) -> None:
        from screens.access_list import show_access_list

        show_access_list(self)

    def action_supervision_notes(self) -> None:
        from screens.access_list import supervision_notes

        supervision_notes(self)

    def action_back(self) -> None:
        self.dismiss()


class EditFamilyScreen(CalllogScreen["FamilyRecord | None"]):
    HELP_TITLE = "Edit family record"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="edit_family.save", priority=True,
                tooltip="Save the changes (audited)."),
        Binding("ctrl+n", "add_child", "Add child", id="edit_family.add_child", priority=True,
                tooltip="Add another child."),
        Binding("ctrl+g", "diversity", "Diversity", id="edit_family.diversity", priority=True,
                tooltip="The diversity monitoring questions."),
        Binding("escape", "cancel", "Cancel", id="edit_family.cancel",
                tooltip="Leave without saving."),
    ]

    def __init__(self, record: FamilyRecord) -> None:
        super().__init__()
        self.record = record


    def compose(self) -> ComposeResult:
        profile = self.calllog.profile
        assert profile is not None
        state = {
            "consent": "YES" if self.record.contact_consent else "NO",
            "parent": parent_state(self.record.parent),
            "children": [child_state(c) for c in self.record.children],
            "diversity": dict(self.record.diversity),
            "diversity_shown": True,
        }
        yield Static(Text(f"Editing {self.record.coded_ref}", style="bold"))
        with VerticalScroll():
            yield FamilyForm(profile, state)
        yield Footer()

    async def action_add_child(self) -> None:
        form = await self.query_one(FamilyForm).add_child()
        form.query_one("Input").focus()

    def action_diversity(self) -> None:
        self.query_one(FamilyForm).show_diversity()

    def action_save(self) -> None:
        from calllog.services import families
        from calllog.services.enquiries import EnquiryProblems

        app = self.calllog
        assert app.store and app.actor and app.profile
        if self.field_problems():
            return
        form = self.query_one(FamilyForm)
        parent, children = form.parent_details(), form.children_details()
        try:
            record = families.update_family(
                app.store, app.actor, app.profile, self.record.id, parent=parent,
                children=children, diversity=form.diversity_answers(),
                contact_consent=form.consent is True,
            )
        except EnquiryProblems as problems:
            form.show_problems(problems.problems)
            self.notify(str(problems), severity="error")
            return
        except CalllogError as error:
            self.notify(str(error), severity="error")
            return
        self.notify("Family record saved.")
        self.dismiss(record)

    def action_cancel(self) -> None:
        self.dismiss(None)
