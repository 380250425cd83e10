"""One enquiry on its own: an anonymous caller's contact, opened from the queue or
"My work" with its detail already read (the view is audited). Its notes show only to
their reader (PRIV1); a supervisor may open them through supervision access where
the profile allows it. Assign, callback date and close as in the queue (the shared
steps in :mod:`screens.queue.flows`). Stored text is ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog import policy
from calllog.text import clean_text
from calllog.validation import format_date
from calllog.vocabulary import EnquiryStatus
from screens.common.base import CalllogScreen
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.supervision import ask_for_notes
from screens.queue.flows import assign_flow, callback_flow, close_flow

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.queue import EnquiryDetail


def _line(text: Text, label: str, value: str | None) -> None:
    if value:
        text.append(f"  {label:<18}", style="dim")
        text.append(clean_text(value, multiline=True))
        text.append("\n")


def render_detail(detail: EnquiryDetail, profile: Profile, *,
                  supervision_offered: bool) -> Text:
    text = Text()
    who = (profile.non_data_kinds.label(detail.non_data_kind) if detail.non_data_kind
           else detail.coded_ref or "Anonymous caller")
    text.append(f"Enquiry {detail.id}  ", style="bold")
    text.append(who)
    text.append("\n\n")
    local = detail.started_at.astimezone()
    minutes = max(1, round((detail.ended_at - detail.started_at).total_seconds() / 60))
    _line(text, "Started", f"{local:%d/%m/%Y %H:%M} ({minutes} min)")
    _line(text, "Channel", profile.channels.label(detail.channel))
    _line(text, "Topics", "; ".join(profile.topics.label(t) for t in detail.topics) or "none")
    _line(text, "Status", detail.status)
    _line(text, "Outcome", profile.outcomes.label(detail.outcome) if detail.outcome else None)
    _line(text, "Callback due", format_date(detail.follow_up_due) if detail.follow_up_due
          else "none")
    _line(text, "Assigned to", detail.adviser or "nobody yet")
    _line(text, "Recorded by", detail.recorded_by)
    told = "yes" if detail.policy_explained else "no"
    _line(text, "Policy explained", f"{told}; leaflet sent: "
          f"{'yes' if detail.leaflet_sent else 'no'}")
    if detail.notes:
        _line(text, "Notes", detail.notes)
    elif detail.notes_hidden:
        _line(text, "Notes", "(seen only by the adviser this enquiry belongs to"
              + ("; v: supervision access)" if supervision_offered else ")"))
    return text


class EnquiryDetailScreen(CalllogScreen[None]):
    HELP_TITLE = "Enquiry"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("enquiry_detail")

    def __init__(self, detail: EnquiryDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="enquiry-detail-body"):
            yield Static(id="enquiry-detail")
        yield CalllogFooter()

    def on_mount(self) -> None:
        self.show(self.detail)

    def _supervision_offered(self) -> bool:
        s = self.session
        return self.detail.notes_hidden and policy.may_use_supervision_access(
            s.actor, s.profile).allowed

    def show(self, detail: EnquiryDetail) -> None:
        self.detail = detail
        self.query_one("#enquiry-detail", Static).update(render_detail(
            detail, self.session.profile, supervision_offered=self._supervision_offered()))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor, detail = self.session.actor, self.detail
        now = True if detail.status == EnquiryStatus.OPEN else None  # closed: greyed
        if action == "assign":
            return now if policy.may_assign(actor) else False
        if action in ("callback", "close_enquiry"):
            return now if policy.may_change_enquiry(actor, detail.assigned_to) else False
        if action == "supervision_notes":
            return self._supervision_offered()
        return True

    def action_assign(self) -> None:
        def done(adviser: int | None, name: str | None) -> None:
            self.show(replace(self.detail, assigned_to=adviser, adviser=name))

        assign_flow(self, self.detail.id, family_id=self.detail.family_id, supporter_id=None,
                    assigned_to=self.detail.assigned_to, done=done)

    def action_callback(self) -> None:
        callback_flow(self, self.detail.id, self.detail.follow_up_due,
                      lambda due: self.show(replace(self.detail, follow_up_due=due)))

    def action_close_enquiry(self) -> None:
        close_flow(self, self.detail.id, lambda code: self.show(
            replace(self.detail, status=EnquiryStatus.CLOSED, outcome=code)))

    def action_supervision_notes(self) -> None:
        def show(opened: Mapping[int, str]) -> None:
            self.show(replace(self.detail, notes=opened.get(self.detail.id),
                              notes_hidden=False))

        ask_for_notes(self, show, enquiry_id=self.detail.id)

    def action_back(self) -> None:
        self.dismiss()
