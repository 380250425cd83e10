"""The consent ledger (CON1) and what the family screen gains from issue 4: the
safeguarding flag (SG1), the contact-centre party views (CON6), and the keys for
consents, disclosures, information from other agencies, attendance, the other party,
the party summary and the override review.

The family screen has one action for all of these, ``consent_tool(name)``
(:func:`family_tool`), and asks :func:`family_tool_enabled` which apply. Everything
shown from the store is ``Text``, never markup.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from calllog.clock import today
from calllog.errors import CalllogError
from calllog.validation import ValidationError, format_date, parse_date
from screens.common.widgets import PickField, TextField

if TYPE_CHECKING:
    pass


def date_field(text: str) -> str:
    """A date that has happened: DD/MM/YYYY."""
    when = parse_date(text)
    if when > today():
        raise ValidationError("The date is in the future.")
    return format_date(when)


def typed_date(field: TextField) -> date | None:
    checked = field.check()
    return parse_date(checked) if checked else None


def show_problems(screen: Screen[Any], error: CalllogError, fields: dict[str, str]) -> None:
    """Put a service's field problems beside the fields (``fields``: problem key ->
    widget id) and say the first one."""
    problems: dict[str, str] = dict(getattr(error, "problems", {}) or {})
    focused = False
    for key, message in problems.items():
        widget_id = fields.get(key)
        if widget_id is None:
            continue
        for field in screen.query(f"#{widget_id}").results(TextField):
            field.show_error(message)
            if not focused:
                field.focus_input()
                focused = True
        for pick in screen.query(f"#{widget_id}").results(PickField):
            if not focused:
                pick.focus_input()
                focused = True
    screen.notify(str(error), severity="error", markup=False)
