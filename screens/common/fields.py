"""Dates typed into forms: a date that has happened, and a checked field's date."""

from __future__ import annotations

from datetime import date

from calllog.clock import today
from calllog.validation import ValidationError, format_date, parse_date
from screens.common.widgets import TextField


def date_field(text: str) -> str:
    """A date that has happened: DD/MM/YYYY."""
    when = parse_date(text)
    if when > today():
        raise ValidationError("The date is in the future.")
    return format_date(when)


def typed_date(field: TextField) -> date | None:
    checked = field.check()
    return parse_date(checked) if checked else None
