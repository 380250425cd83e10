"""Reading the enquiry form into what the enquiry service takes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import TextArea

from calllog.services.enquiries import NewEnquiry
from calllog.validation import parse_date
from screens.common.widgets import PickField, TextField

if TYPE_CHECKING:
    from screens.enquiry.form import EnquiryScreen


def enquiry_from_form(screen: EnquiryScreen) -> NewEnquiry:
    """The enquiry form as the service takes it; read on the UI thread, before the
    save runs in a worker."""
    due = screen.query_one("#follow-up-due", TextField).value.strip()
    form = screen.family_form
    children = form.children_details() if screen.children_shown else ()
    parent = form.parent_details() if screen.identifying and screen.family_id is None else None
    return NewEnquiry(
        started_at=screen.started_at,
        channel=screen.query_one("#channel", PickField).value or "",
        topics=tuple(screen.query_one("#topics", PickField).values),
        notes=screen.query_one("#notes", TextArea).text,
        outcome=screen.query_one("#outcome", PickField).value,
        follow_up_due=parse_date(due) if due else None,
        policy_explained=screen.flags["policy_explained"],
        leaflet_sent=screen.flags["leaflet_sent"],
        family_id=screen.family_id,
        contact_consent=(form.consent is True) if screen.family_id is None
        else bool(screen.state.get("family_consent", True)),
        parent=parent,
        children=children,
        diversity=form.diversity_answers(),
    )
