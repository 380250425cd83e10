"""The safeguarding override (SG1), asked for when a disclosure is refused: one of the
concerns this service's policy names and a written reason. The disclosure screen
records it with the disclosure; nothing is recorded here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog import policy
from calllog.limits import REASON
from calllog.validation import ValidationError
from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import PickField, TextField

if TYPE_CHECKING:
    from calllog.services.disclosures import OverrideRequest  # noqa: F401 (a quoted type argument)


def reason_field(text: str) -> str:
    problem = policy.override_reason_problem(text)
    if problem:
        raise ValidationError(problem)
    return text.strip()


class OverrideScreen(CalllogScreen["OverrideRequest | None"]):
    """SG1: the category and a written reason (at least 20 characters). The disclosure
    then goes ahead; the family is flagged and supervisors review it."""

    HELP_TITLE = "Safeguarding override"
    AUTO_FOCUS = "#override-category-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("override")

    def __init__(self, coded_ref: str, categories: tuple[str, ...]) -> None:
        super().__init__()
        self.coded_ref = coded_ref
        self.categories = categories

    def compose(self) -> ComposeResult:
        choices = [(c, policy.OVERRIDE_LABELS[c]) for c in self.categories]
        yield Static(Text(f"Safeguarding override: {self.coded_ref}", style="bold"))
        with VerticalScroll():
            yield Static(Text("A safeguarding concern overrides confidentiality. The family "
                              "is flagged and a supervisor reviews the override. Only the "
                              "concerns this service's policy names are offered.",
                              style="dim"))
            yield PickField("Concern", choices, id="override-category",
                            values=[choices[0][0]] if len(choices) == 1 else [])
            yield TextField("Reason", id="override-reason", validator=reason_field,
                            max_length=REASON,
                            placeholder="what the concern is, and why it cannot wait")
        yield CalllogFooter()

    def action_save(self) -> None:
        from calllog.services.disclosures import OverrideRequest

        category = self.query_one("#override-category", PickField).value
        reason = self.query_one("#override-reason", TextField)
        checked = reason.check()
        if category is None:
            self.query_one("#override-category", PickField).focus_input()
            self.notify("Choose the kind of concern.", severity="error")
            return
        if reason.error or not checked:
            reason.show_error(reason.error or policy.override_reason_problem(""))
            reason.focus_input()
            self.notify(reason.error or "Write the reason.", severity="error")
            return
        self.dismiss(OverrideRequest(category, checked))

    def action_cancel(self) -> None:
        self.dismiss(None)
