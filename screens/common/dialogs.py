"""Small dialogs every feature uses: a yes/no question, choose from a short list, a
reason that a service checks (supervision access), and text to copy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from calllog.errors import CalllogError, InvalidInput
from calllog.limits import SUPERVISION_REASON
from screens.common.base import CalllogModal, CalllogScreen, Fields
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.limited import LimitedInput
from screens.common.widgets import Choice

if TYPE_CHECKING:
    from calllog.session import SignedIn

T = TypeVar("T")


class ConfirmScreen(CalllogModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = keys_for("confirm")
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Static("y: yes    n: no")
        yield CalllogFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class CopyTextScreen(CalllogScreen[None]):
    """Text produced for copying: an email, a letter, a summary, an attendance release."""

    HELP_TITLE = "Text to copy"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("copy_text")

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text, style="bold"))
        with VerticalScroll(id="copy-body"):
            yield Static(Text(self.text), id="copy-text")
        yield CalllogFooter()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied.")

    def action_close(self) -> None:
        self.dismiss()


class ChooseScreen(CalllogModal[str | None]):
    """Pick one of a short list with the arrow keys and enter; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("choose")
    DEFAULT_CSS = """
    ChooseScreen { align: center middle; }
    ChooseScreen > Vertical { width: 60; height: auto; max-height: 22;
                              border: thick $primary; background: $surface; padding: 0 1; }
    ChooseScreen OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, title: str, choices: Sequence[Choice], current: str | None = None
                 ) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(Text(label), id=code) for code, label in self.choices],
                             id="choose-list")
            yield Static("up/down, enter to choose, escape to cancel", classes="hint")
        yield CalllogFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        codes = [code for code, _label in self.choices]
        options.highlighted = codes.index(self.current) if self.current in codes else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(CalllogModal[T | None]):
    """PRIV1 supervision access: the reason, then ``submit(session, reason)`` in a
    worker. A problem with the reason (``InvalidInput``) shows in the dialog, which
    stays open; any other refusal is said and the dialog closes; done, it closes with
    what ``submit`` returned. Escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("reason")
    DEFAULT_CSS = """
    ReasonScreen { align: center middle; }
    ReasonScreen > Vertical { width: 70; height: auto; border: thick $warning;
                              background: $surface; padding: 0 1; }
    ReasonScreen #reason-error { color: $error; }
    """

    def __init__(self, submit: Callable[[SignedIn, str], T]) -> None:
        super().__init__()
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Supervision access to notes", style="bold"))
            yield Static("Notes are seen only by the parent's supporter. Say why you need "
                         "to read them: the reason, your name and the time are kept in the "
                         "audit log, and the parent can be told.", markup=False)
            yield LimitedInput(placeholder="reason (at least 10 characters)", id="reason",
                               max_length=SUPERVISION_REASON)
            yield Static("", id="reason-error", markup=False)
            yield Static("enter opens the notes, escape cancels", classes="hint")
        yield CalllogFooter()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value

        def problem(error: CalllogError) -> None:
            if isinstance(error, InvalidInput):
                self.query_one("#reason-error", Static).update(str(error))
            else:
                self.dismiss(None)

        self.call_service(lambda session: self.submit(session, reason), self.dismiss,
                          failed=problem, exclusive=True, group="reason")

    def show_error(self, error: CalllogError, fields: Fields | None = None) -> None:
        if not isinstance(error, InvalidInput):  # a reason's problem shows in the dialog
            super().show_error(error, fields)

    def action_cancel(self) -> None:
        self.dismiss(None)
