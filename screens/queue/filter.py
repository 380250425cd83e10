"""The call queue's filters and sort orders (OPS2): the dialog that chooses the
filters (adviser, status, topic, channel, callback due, dates started), the words
that say which are on, and the columns it sorts by. Nothing here reads the database:
the screen passes in the advisers to choose from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from calllog.validation import ValidationError, format_date, parse_date
from calllog.vocabulary import EnquiryStatus
from screens.common.base import CalllogModal
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.queue import QueueFilter


SORT_CHOICES: tuple[Choice, ...] = (
    ("priority", "Priority: safeguarding, overdue, due today, unassigned, the rest"),
    ("started", "Started"),
    ("due", "Callback date"),
    ("adviser", "Adviser"),
    ("channel", "Channel"),
    ("ref", "Reference"),
    ("status", "Status"),
)
SORT_WORDS = {code: label.split(":")[0].lower() for code, label in SORT_CHOICES}


CALLBACK_CHOICES: tuple[Choice, ...] = (
    ("due", "Due today or overdue"),
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("scheduled", "Any callback date"),
)


STATUS_CHOICES: tuple[Choice, ...] = (
    (EnquiryStatus.OPEN, "Open"), (EnquiryStatus.CLOSED, "Closed"), ("all", "All"))


def describe_filter(flt: QueueFilter, profile: Profile, staff: Mapping[int, str], *,
                    adviser_fixed: bool = False) -> list[str]:
    """Each filter that is on, in words ("topic Exclusion", "callback overdue");
    the adviser left out where it cannot be changed (My work)."""
    from calllog.services.queue import UNASSIGNED

    parts = []
    if flt.adviser_id is not None and not adviser_fixed:
        parts.append("unassigned" if flt.adviser_id == UNASSIGNED
                     else f"adviser {staff.get(flt.adviser_id, '?')}")
    if flt.status != EnquiryStatus.OPEN:
        parts.append(f"status {flt.status}")
    if flt.topic:
        parts.append(f"topic {profile.topics.label(flt.topic)}")
    if flt.channel:
        parts.append(f"channel {profile.channels.label(flt.channel)}")
    if flt.callback:
        parts.append("callback " + dict(CALLBACK_CHOICES)[flt.callback.value].lower())
    if flt.started_from:
        parts.append(f"from {format_date(flt.started_from)}")
    if flt.started_to:
        parts.append(f"to {format_date(flt.started_to)}")
    return parts


def _date_or_error(text: str) -> str:
    return format_date(parse_date(text))


class FilterScreen(CalllogModal["QueueFilter | None"]):
    """The queue's filters; an empty field does not filter."""

    BINDINGS: ClassVar[list[BindingType]] = keys_for("filter")
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
        profile = self.session.profile
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
        yield CalllogFooter()

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
            adviser_id=adviser, status=pick("#f-status") or EnquiryStatus.OPEN,
            topic=pick("#f-topic"), channel=pick("#f-channel"), started_from=started_from,
            started_to=started_to, callback=Callback(callback) if callback else None,
        )
        problems = chosen.problems()
        if problems:
            self.query_one("#filter-error", Static).update(problems[0])
            return
        self.dismiss(chosen)

    def action_reset(self) -> None:
        for field in self.query(PickField):
            field.set_values([EnquiryStatus.OPEN] if field.id == "f-status" else [])
        for text in self.query(TextField):
            text.value = ""
        self.query_one("#filter-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
