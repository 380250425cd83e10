"""What the family screen shows (REC2, SG1, CON6), loaded once and rendered purely.

:func:`load_family_view` is the one place that asks the store (in the screen's
worker): the safeguarding flag and, in a contact centre, one party's view.
:func:`family_text` and :func:`render_record` only format what they are given.
Stored text is cleaned again at render and shown as ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.text import Text

from calllog import policy
from calllog.academic import age_on
from calllog.clock import today
from calllog.errors import CalllogError
from calllog.text import clean_text
from calllog.validation import format_date, format_phone
from calllog.vocabulary import Party

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.enquiries import ChildDetails
    from calllog.services.families import Contact, FamilyRecord
    from calllog.services.safeguarding import Flag
    from calllog.session import SignedIn


@dataclass(frozen=True, slots=True)
class FamilyView:
    """One family as the screen shows it."""

    #: The record, with the parent's details replaced by the viewing party's own in a
    #: contact centre (CON6: each party sees only their own contact details).
    record: FamilyRecord
    #: SG1: the family's safeguarding overrides, if it has any.
    flag: Flag | None = None
    #: Contact centres: whose view this is; None where families have one parent.
    party: Party | None = None
    #: Contact centres: the other party, by name only.
    other_name: str | None = None


def load_family_view(session: SignedIn, record: FamilyRecord, party: Party) -> FamilyView:
    """Read what the family screen shows beyond the record it already holds (in a
    worker). A flag that cannot be read is left off; a party view that cannot be read
    is an error to show."""
    from calllog.services import parties, safeguarding

    store, actor, profile = session.store, session.actor, session.profile
    try:
        flag = safeguarding.family_flag(store, actor, record.id)
    except CalllogError:
        flag = None
    if not profile.has_other_party:
        return FamilyView(record, flag)
    view = parties.party_view(store, actor, profile, record.id, party)
    shown = replace(record, parent=view.own, contact_consent=view.own_consent)
    return FamilyView(shown, flag, party, view.other_name)


def family_text(view: FamilyView, profile: Profile) -> Text:
    """The family record with the safeguarding flag on top; in a contact centre, whose
    view it is and the other party by name only (CON6)."""
    text = Text()
    flag = view.flag
    if flag is not None:
        label = policy.OVERRIDE_LABELS.get(flag.latest_category, flag.latest_category)
        waiting = (f"{flag.unreviewed} waiting for a supervisor's review"
                   if flag.unreviewed else "reviewed")
        text.append(" SAFEGUARDING ", style="bold reverse red")
        text.append(f" Override made {flag.latest_at.astimezone():%d/%m/%Y} "
                    f"({label.lower()}); {waiting}.\n", style="bold")
    if view.party is not None:
        text.append("Viewing as ", style="dim")
        text.append("the parent (first party)" if view.party == Party.PARENT
                    else "the other party", style="bold")
        text.append("   p shows the other party's view\n", style="dim")
        if view.other_name:
            text.append("  Other party       ", style="dim")
            text.append(clean_text(view.other_name))
            text.append("  (their contact details are never shown here)\n", style="dim")
    text.append_text(render_record(view.record, profile))
    return text


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
    """The record itself (REC2): the coded reference, the parent or carer, the
    children, the diversity answers and every contact in order."""
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
