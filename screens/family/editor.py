"""A family's record (REC2, REC6, CON5): every contact in order, the children, the
diversity answers, the coded reference to copy into insecure messages, and editing
(audited). Everything shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from calllog.errors import CalllogError
from screens.common.base import CalllogScreen
from screens.common.familyform import FamilyForm, child_state, parent_state

if TYPE_CHECKING:
    from calllog.services.families import FamilyRecord


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
