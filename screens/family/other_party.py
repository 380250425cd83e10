"""Contact centres: the other party (CON6): their name and, only if they agree that we
keep them, their contact details, shown only in their own view.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog.limits import ADDRESS, NAME
from calllog.validation import format_phone, parse_email, parse_phone, parse_postcode
from screens.common.familyform import choices
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField
from screens.family.tool import FamilyToolScreen

KEEP_CHOICES: list[Choice] = [
    ("YES", "Yes: they agree we keep their contact details"),
    ("NO", "No: keep only their name"),
]


def _phone(text: str) -> str:
    return format_phone(parse_phone(text))


def _field_id(key: str) -> str:
    """A service's problem key ("postcode") -> the field's id ("party-postcode")."""
    return "party-rel" if key == "relationship" else "party-" + key.replace("_", "-")


class OtherPartyScreen(FamilyToolScreen[bool]):
    """CON6: the other party. Their contact details are kept only if they agree, and are
    shown only in their own view."""

    HELP_TITLE = "Other party"
    AUTO_FOCUS = "#party-name-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("other_party")

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        yield Static(Text(f"Other party: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield TextField("Name", id="party-name", max_length=NAME)
            yield PickField("Relationship", choices(profile.relationships), id="party-rel")
            yield PickField("Keep details?", KEEP_CHOICES, id="party-keep")
            yield TextField("Address", id="party-address", max_length=ADDRESS)
            yield TextField("Postcode", id="party-postcode", validator=parse_postcode,
                            max_length=8)
            yield TextField("Telephone", id="party-phone", validator=_phone, max_length=24)
            yield TextField("Email", id="party-email", validator=parse_email, max_length=254)
            yield Static(Text("Never shown in, or exported with, the first party's view.",
                              style="dim"))
        yield CalllogFooter()

    def action_save(self) -> None:
        from calllog.services import parties
        from calllog.services.enquiries import ParentDetails

        if self.saving or self.field_problems():
            return
        keep = self.query_one("#party-keep", PickField).value == "YES"

        def value(name: str) -> str | None:
            return self.query_one(f"#party-{name}", TextField).value.strip() or None

        details = ParentDetails(
            name=value("name"), relationship=self.query_one("#party-rel", PickField).value,
            address=value("address"), postcode=value("postcode"), phone=value("phone"),
            email=value("email"))
        family_id = self.family_id

        def saved(_: object) -> None:
            self.notify("Other party saved." + ("" if keep else " Only their name is kept."))
            self.dismiss(True)

        self.saving = True
        self.call_service(
            lambda s: parties.set_other_party(s.store, s.actor, s.profile, family_id,
                                              details, keep_contact=keep),
            saved, fields=_field_id, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(False)
