"""Small dialogs of the call queue (OPS2, PRIV1): choose from a list, a callback
date, the queue's filters, and the reason for a supervision access to notes; and
the assign / callback / close steps the queue, "My work" and the enquiry detail
share. Every action goes through ``calllog.services.queue``, which audits it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from calllog.errors import CalllogError
from calllog.validation import ValidationError, format_date, parse_date
from screens.base import CalllogModal
from screens.widgets import PickField, TextField

if TYPE_CHECKING:
    from calllog.services.queue import QueueFilter
    from screens.app import CalllogApp

Choice = tuple[str, str]  # (code, label)


class ChooseScreen(CalllogModal[str | None]):
    """Pick one of a short list with the arrow keys and enter; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choose.cancel", tooltip="Cancel."),
    ]
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


class CallbackScreen(CalllogModal[str | None]):
    """A callback date (DD/MM/YYYY); empty clears it. Returns the ISO date, "" to clear,
    or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="callback.cancel", tooltip="Cancel."),
    ]
    DEFAULT_CSS = """
    CallbackScreen { align: center middle; }
    CallbackScreen > Vertical { width: 60; height: auto; border: thick $primary;
                                background: $surface; padding: 0 1; }
    CallbackScreen #callback-error { color: $error; }
    """

    def __init__(self, current: date | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Callback date", style="bold"))
            yield Input(format_date(self.current) if self.current else "",
                        placeholder="DD/MM/YYYY; empty clears it", id="callback-date",
                        max_length=10)
            yield Static("", id="callback-error", markup=False)
            yield Static("enter saves, escape cancels", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        from calllog.clock import today

        event.stop()
        text = event.value.strip()
        if not text:
            self.dismiss("")
            return
        try:
            due = parse_date(text)
        except ValidationError as error:
            self.query_one("#callback-error", Static).update(error.message)
            return
        if due < today():
            self.query_one("#callback-error", Static).update("The callback date is in the past.")
            return
        self.dismiss(due.isoformat())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(CalllogModal[bool]):
    """PRIV1 supervision access: the reason, then ``attempt(reason)``, which returns a
    problem to show (the dialog stays open) or None (done)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="reason.cancel",
                tooltip="Leave the notes closed."),
    ]
    DEFAULT_CSS = """
    ReasonScreen { align: center middle; }
    ReasonScreen > Vertical { width: 70; height: auto; border: thick $warning;
                              background: $surface; padding: 0 1; }
    ReasonScreen #reason-error { color: $error; }
    """

    def __init__(self, attempt: Callable[[str], str | None]) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Supervision access to notes", style="bold"))
            yield Static("Notes are seen only by the parent's supporter. Say why you need "
                         "to read them: the reason, your name and the time are kept in the "
                         "audit log, and the parent can be told.", markup=False)
            yield Input(placeholder="reason (at least 10 characters)", id="reason",
                        max_length=400)
            yield Static("", id="reason-error", markup=False)
            yield Static("enter opens the notes, escape cancels", classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.attempt(event.value)
        if problem is not None:
            self.query_one("#reason-error", Static).update(problem)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


CALLBACK_CHOICES: tuple[Choice, ...] = (
    ("due", "Due today or overdue"),
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("scheduled", "Any callback date"),
)
STATUS_CHOICES: tuple[Choice, ...] = (("open", "Open"), ("closed", "Closed"), ("all", "All"))


def _date_or_error(text: str) -> str:
    return format_date(parse_date(text))


class FilterScreen(CalllogModal["QueueFilter | None"]):
    """The queue's filters; an empty field does not filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filter.apply", priority=True,
                tooltip="Show the queue with these filters."),
        Binding("ctrl+r", "reset", "Clear all", id="filter.reset", priority=True,
                tooltip="Clear every filter (open enquiries only)."),
        Binding("escape", "cancel", "Cancel", id="filter.cancel",
                tooltip="Leave the filters as they were."),
    ]
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 76; height: auto; max-height: 23;
                              border: thick $primary; background: $surface; padding: 0 1; }
    FilterScreen VerticalScroll { height: auto; max-height: 18; }
    FilterScreen #filter-error { color: $error; }
    """

    def __init__(self, current: QueueFilter, advisers: Sequence[Choice], *,
                 adviser_fixed: bool = False) -> None:
        super().__init__()
        self.current = current
        self.advisers = list(advisers)
        self.adviser_fixed = adviser_fixed


    def compose(self) -> ComposeResult:
        profile = self.calllog.profile
        assert profile is not None
        flt = self.current
        with Vertical():
            yield Static(Text("Filter the queue", style="bold"))
            with VerticalScroll():
                if not self.adviser_fixed:
                    yield PickField("Adviser", self.advisers, id="f-adviser",
                                    values=[str(flt.adviser_id)] if flt.adviser_id is not None
                                    else [])
                yield PickField("Status", STATUS_CHOICES, id="f-status", values=[flt.status])
                yield PickField("Topic", [(i.code, i.label) for i in profile.topics.items],
                                id="f-topic", values=[flt.topic] if flt.topic else [])
                yield PickField("Channel", [(i.code, i.label) for i in profile.channels.items],
                                id="f-channel", values=[flt.channel] if flt.channel else [])
                yield PickField("Callback", CALLBACK_CHOICES, id="f-callback",
                                values=[flt.callback.value] if flt.callback else [])
                yield TextField("Started from", id="f-from", validator=_date_or_error,
                                placeholder="DD/MM/YYYY",
                                value=format_date(flt.started_from) if flt.started_from
                                else "")
                yield TextField("Started to", id="f-to", validator=_date_or_error,
                                placeholder="DD/MM/YYYY",
                                value=format_date(flt.started_to) if flt.started_to else "")
            yield Static("", id="filter-error", markup=False)
            yield Static("type to find, enter picks; backspace clears; "
                         "ctrl+s applies, escape cancels", classes="hint")

    def on_mount(self) -> None:
        first = self.query(PickField).first()
        first.focus_input()

    def _date(self, field_id: str) -> date | None:
        field = self.query_one(field_id, TextField)
        text = field.check()
        if field.error:
            raise ValidationError(field.error)
        return parse_date(text) if text else None

    def action_apply(self) -> None:
        from calllog.services.queue import Callback, QueueFilter

        def pick(field_id: str) -> str | None:
            return self.query_one(field_id, PickField).value

        try:
            started_from, started_to = self._date("#f-from"), self._date("#f-to")
        except ValidationError as error:
            self.query_one("#filter-error", Static).update(error.message)
            return
        adviser = (self.current.adviser_id if self.adviser_fixed
                   else (int(a) if (a := pick("#f-adviser")) is not None else None))
        callback = pick("#f-callback")
        chosen = QueueFilter(
            adviser_id=adviser, status=pick("#f-status") or "open", topic=pick("#f-topic"),
            channel=pick("#f-channel"), started_from=started_from, started_to=started_to,
            callback=Callback(callback) if callback else None,
        )
        problems = chosen.problems()
        if problems:
            self.query_one("#filter-error", Static).update(problems[0])
            return
        self.dismiss(chosen)

    def action_reset(self) -> None:
        for field in self.query(PickField):
            field.set_values(["open"] if field.id == "f-status" else [])
        for text in self.query(TextField):
            text.value = ""
        self.query_one("#filter-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the steps the queue, My work and the enquiry detail share --------------------------


def _app(screen: Screen[Any]) -> CalllogApp:
    return screen.app  # type: ignore[return-value]


def assign_flow(screen: Screen[Any], enquiry_id: int, *, family_id: int | None,
                supporter_id: int | None, assigned_to: int | None,
                done: Callable[[int | None, str | None], None]) -> None:
    """Choose who takes the enquiry; for a family's enquiry, whether they also become
    the family's supporter (who alone reads its notes); then assign (audited)."""
    from calllog.services import queue
    from screens.confirm import ConfirmScreen

    app = _app(screen)
    assert app.store is not None
    staff = queue.assignable_staff(app.store)
    names = {str(s.id): s.display_name for s in staff}
    choices = [("-", "Nobody (back to unassigned)")] + [
        (str(s.id), s.display_name + ("" if s.dbs_recorded or family_id is None
                                      else "  (no DBS check)")) for s in staff]

    def save(adviser: int | None, make_supporter: bool | None) -> None:
        assert app.store and app.actor
        try:
            queue.assign(app.store, app.actor, enquiry_id, adviser,
                         make_supporter=make_supporter)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        name = names.get(str(adviser)) if adviser is not None else None
        screen.notify(f"Assigned to {name}." if name else "Unassigned.")
        done(adviser, name)

    def chosen(code: str | None) -> None:
        if code is None:
            return
        adviser = None if code == "-" else int(code)
        if (family_id is None or adviser is None or supporter_id is None
                or supporter_id == adviser):
            save(adviser, None)
            return

        def answered(yes: bool | None) -> None:
            save(adviser, bool(yes))

        screen.app.push_screen(ConfirmScreen(
            f"Also make {names[code]} this family's supporter? Only the supporter reads "
            "the family's notes."), answered)

    screen.app.push_screen(ChooseScreen(
        "Assign to", choices, str(assigned_to) if assigned_to is not None else None), chosen)


def callback_flow(screen: Screen[Any], enquiry_id: int, current: date | None,
                  done: Callable[[date | None], None]) -> None:
    from calllog.services import queue

    app = _app(screen)

    def chosen(value: str | None) -> None:
        if value is None:
            return
        due = date.fromisoformat(value) if value else None
        assert app.store and app.actor
        try:
            queue.set_callback(app.store, app.actor, enquiry_id, due)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        screen.notify(f"Callback date {format_date(due)}." if due else "Callback date cleared.")
        done(due)

    screen.app.push_screen(CallbackScreen(current), chosen)


def close_flow(screen: Screen[Any], enquiry_id: int, done: Callable[[str], None]) -> None:
    from calllog.services import queue

    app = _app(screen)
    assert app.profile is not None
    outcomes = queue.closing_outcomes(app.profile)

    def chosen(code: str | None) -> None:
        if code is None:
            return
        assert app.store and app.actor and app.profile
        try:
            queue.close(app.store, app.actor, app.profile, enquiry_id, code)
        except CalllogError as error:
            screen.notify(str(error), severity="error")
            return
        screen.notify(f"Closed: {app.profile.outcomes.label(code)}.")
        done(code)

    screen.app.push_screen(ChooseScreen("Close with outcome", outcomes), chosen)
