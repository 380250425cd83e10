"""Form widgets: a type-to-filter picker for code lists and a validated text field.

Untrusted text is shown with ``markup=False`` / ``Text`` everywhere: a name or
label containing ``[bold]`` shows literally.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from calllog.validation import ValidationError
from screens.common.keys import keys_for
from screens.common.limited import LimitedInput

Choice = tuple[str, str]  # (code, label)


MAX_SHOWN = 5


def rank(choices: Sequence[Choice], typed: str) -> list[Choice]:
    """Choices matching what was typed: label or code prefix first, then any word
    prefix, then substring; case-insensitive."""
    needle = typed.strip().casefold()
    if not needle:
        return list(choices)
    first, second, third = [], [], []
    for code, label in choices:
        folded = label.casefold()
        if folded.startswith(needle) or code.casefold() == needle:
            first.append((code, label))
        elif any(word.startswith(needle) for word in folded.replace("/", " ").split()):
            second.append((code, label))
        elif needle in folded:
            third.append((code, label))
    return first + second + third


class PickInput(Input):
    """The picker's filter box: backspace on an empty box removes the last choice."""

    class RemoveLast(Message):
        pass

    def action_delete_left(self) -> None:
        if not self.value:
            self.post_message(self.RemoveLast())
            return
        super().action_delete_left()


class MatchList(OptionList, can_focus=False):
    """The picker's matches: shown, never focused (the filter box keeps focus)."""


class PickField(Widget, can_focus=False):
    """Type to filter a code list; enter picks the highlighted match and moves on.

    ``multi`` keeps several choices (backspace on the empty box removes the last).
    """

    DEFAULT_CSS = """
    PickField { height: auto; }
    PickField > Horizontal { height: auto; }
    PickField .field-label { width: 18; }
    PickField > Horizontal > Vertical { height: auto; width: 1fr; }
    PickField PickInput { width: 1fr; }
    PickField .chosen { height: auto; color: $success; }
    PickField OptionList { height: auto; max-height: 6; display: none; border: none;
                           padding: 0; }
    PickField.-open OptionList { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keys_for("pick")

    class Changed(Message):
        def __init__(self, field: PickField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> PickField:
            return self.field

    def __init__(self, label: str, choices: Iterable[Choice], *, id: str, multi: bool = False,
                 values: Iterable[str] = (), placeholder: str = "type to find, enter to pick",
                 move_on: bool = True) -> None:
        super().__init__(id=id)
        self.label = label
        self.choices = list(choices)
        self.multi = multi
        self.move_on = move_on
        self._labels = dict(self.choices)
        self.values: list[str] = [v for v in values if v in self._labels]
        self._hint_text = placeholder
        self._matches: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label")
            with Vertical():
                yield PickInput(placeholder=self._hint_text, compact=True, id=f"{self.id}-in")
                yield Static(self._chosen_text(), classes="chosen", markup=False)
                yield MatchList(id=f"{self.id}-matches")

    @property
    def input(self) -> PickInput:
        return self.query_one(PickInput)

    @property
    def value(self) -> str | None:
        return self.values[0] if self.values else None

    def set_values(self, values: Iterable[str]) -> None:
        self.values = [v for v in values if v in self._labels][: None if self.multi else 1]
        self._refresh_chosen()

    def _chosen_text(self) -> str:
        return "; ".join(self._labels[v] for v in self.values)

    def _refresh_chosen(self) -> None:
        if self.is_mounted:
            self.query_one(".chosen", Static).update(self._chosen_text())

    def focus_input(self) -> None:
        self.input.focus()

    @on(Input.Changed)
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._matches = rank(self.choices, event.value)[:MAX_SHOWN] if event.value else []
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(label), id=code) for code, label in self._matches])
        if self._matches:
            options.highlighted = 0
        self.set_class(bool(self._matches), "-open")

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self._matches:
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self._matches) - 1, current + step))

    @on(Input.Submitted)
    def _pick(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.screen.focus_next()
            return
        if not self._matches:
            self.app.bell()
            return
        index = self.query_one(OptionList).highlighted or 0
        self.pick(self._matches[index][0])
        if self.move_on:
            self.screen.focus_next()

    def pick(self, code: str) -> None:
        if code not in self._labels:
            return
        if self.multi:
            if code not in self.values:
                self.values.append(code)
        else:
            self.values = [code]
        self.input.value = ""
        self._refresh_chosen()
        self.post_message(self.Changed(self))

    @on(PickInput.RemoveLast)
    def _remove_last(self, event: PickInput.RemoveLast) -> None:
        event.stop()
        if self.values:
            self.values.pop()
            self._refresh_chosen()
            self.post_message(self.Changed(self))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.pick(event.option.id)


Validator = Callable[[str], str]


class TextField(Widget, can_focus=False):
    """A labelled one-line field. A validator returns the normalised value or raises
    ValidationError; its message shows beside the field and nothing typed is lost.
    A key or paste past ``max_length`` is refused and the reason shown beside it."""

    DEFAULT_CSS = """
    TextField { height: auto; }
    TextField > Horizontal { height: auto; }
    TextField .field-label { width: 18; }
    TextField > Horizontal > Vertical { height: auto; width: 1fr; }
    TextField Input { width: 1fr; }
    TextField .error { color: $error; height: auto; display: none; }
    TextField .hint { color: $text-muted; height: auto; display: none; }
    TextField.-error .error { display: block; }
    TextField.-hint .hint { display: block; }
    """

    class Changed(Message):
        def __init__(self, field: TextField) -> None:
            super().__init__()
            self.field = field

        @property
        def control(self) -> TextField:
            return self.field

    def __init__(self, label: str, *, id: str, validator: Validator | None = None,
                 placeholder: str = "", max_length: int = 200, value: str = "",
                 password: bool = False) -> None:
        super().__init__(id=id)
        self.label = label
        self.validator = validator
        self._hint_text = placeholder
        self._max_length = max_length
        self._start_value = value
        self._password = password
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label")
            with Vertical():
                yield LimitedInput(self._start_value, placeholder=self._hint_text,
                                   compact=True, max_length=self._max_length,
                                   id=f"{self.id}-in", password=self._password,
                                   say=self.show_error)
                yield Static("", classes="error", markup=False)
                yield Static("", classes="hint", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value if self.is_mounted else self._start_value

    @value.setter
    def value(self, text: str) -> None:
        if self.is_mounted:
            self.input.value = text
        else:
            self._start_value = text

    def focus_input(self) -> None:
        self.input.focus()

    def hint(self, text: str) -> None:
        self.query_one(".hint", Static).update(text)
        self.set_class(bool(text), "-hint")

    def check(self) -> str | None:
        """Validate now: the normalised value (also put in the box), or None with the
        error shown. An empty field is fine (every personal field is optional)."""
        text = self.value.strip()
        self.error = None
        if text and self.validator is not None:
            try:
                normalised = self.validator(text)
            except ValidationError as problem:
                self.error = problem.message
            else:
                if normalised != self.value:
                    self.input.value = normalised
                text = normalised
        self.show_error(self.error)
        return None if self.error else text

    def show_error(self, message: str | None) -> None:
        self.error = message
        self.query_one(".error", Static).update(message or "")
        self.set_class(message is not None, "-error")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.error:  # the adviser is fixing it: stop shouting
            self.set_class(False, "-error")
        self.post_message(self.Changed(self))

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self.check()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.check()
        if self.error is None:
            self.screen.focus_next()
