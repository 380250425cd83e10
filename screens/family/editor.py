"""Editing a family's record (REC2): the parent, the children and the diversity
answers, checked field by field and by the service, saved audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.common.base import CalllogScreen
from screens.common.familyform import FamilyForm, child_state, field_id, parent_state
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for

if TYPE_CHECKING:
    from calllog.services.families import FamilyRecord


class EditFamilyScreen(CalllogScreen["FamilyRecord | None"]):
    HELP_TITLE = "Edit family record"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("edit_family")

    def __init__(self, record: FamilyRecord) -> None:
        super().__init__()
        self.record = record
        self.saving = False

    def compose(self) -> ComposeResult:
        profile = self.session.profile
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
        yield CalllogFooter()

    async def action_add_child(self) -> None:
        form = await self.query_one(FamilyForm).add_child()
        form.query_one("Input").focus()

    async def action_diversity(self) -> None:
        await self.query_one(FamilyForm).show_diversity()

    def action_save(self) -> None:
        from calllog.services import families

        if self.saving or self.field_problems():
            return
        form = self.query_one(FamilyForm)
        parent, children = form.parent_details(), form.children_details()
        diversity, consent = form.diversity_answers(), form.consent is True
        family_id = self.record.id

        def saved(record: FamilyRecord) -> None:
            self.notify("Family record saved.")
            self.dismiss(record)

        self.saving = True
        self.call_service(
            lambda s: families.update_family(
                s.store, s.actor, s.profile, family_id, parent=parent, children=children,
                diversity=diversity, contact_consent=consent),
            saved, fields=field_id, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def action_cancel(self) -> None:
        self.dismiss(None)
