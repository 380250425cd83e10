"""What the enquiry form shows above and beside its fields, as plain ``Text`` (pure:
no widgets, no database): the header with the call timer, the two policy flags, the
returning-caller line, and the callback date's check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from calllog.clock import today, utcnow
from calllog.validation import ValidationError, format_date, parse_date
from screens.enquiry.matches import match_text

if TYPE_CHECKING:
    from calllog.services.search import FamilyMatch


def callback_date(text: str) -> str:
    """A callback date: DD/MM/YYYY, today or later."""
    due = parse_date(text)
    if due < today():
        raise ValidationError("The callback date is in the past.")
    return format_date(due)


def header_text(started_at: datetime, family_ref: str | None, identifying: bool) -> Text:
    seconds = int((utcnow() - started_at).total_seconds())
    text = Text("New enquiry", style="bold")
    text.append(f"  ·  {seconds // 60:02d}:{seconds % 60:02d}")
    if family_ref:
        text.append("  ·  returning caller ")
        text.append(family_ref, style="bold")
    elif identifying:
        text.append("  ·  identifying the caller")
    else:
        text.append("  ·  anonymous")
    return text


def flags_text(flags: Mapping[str, bool]) -> Text:
    def box(on: bool) -> str:
        return "[x]" if on else "[ ]"

    return Text(f"{box(flags['policy_explained'])} confidentiality policy explained (F3)   "
                f"{box(flags['leaflet_sent'])} leaflet sent (F4)")


def returning_text(family_ref: str | None, matches: Sequence[FamilyMatch]) -> Text:
    if family_ref:
        return Text(f"Returning caller {family_ref}: their details are on record, nothing "
                    f"is asked twice. ctrl+n adds a new child.")
    if not matches:
        return Text()
    text = Text(f"Returning caller? {len(matches)} possible: F9 to choose\n", style="bold")
    for match in matches[:3]:
        text.append_text(match_text(match))
        text.append("\n")
    return text
