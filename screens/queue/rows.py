"""How one row of the call queue is drawn (pure, no database): the columns, their
widths at a terminal's width, the flag, and the Reference column, which shows a
name only to the record's owner (PRIV2); and the preview line under the table.
Stored text is cleaned and put in ``Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from calllog.text import clean_text
from calllog.vocabulary import EnquiryStatus

if TYPE_CHECKING:
    from calllog.profiles import Profile
    from calllog.services.queue import QueueRow

# (key, heading, width); the reference column takes any width left over
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("flag", "", 5),
    ("ref", "Reference", 15),
    ("started", "Started", 14),
    ("channel", "Channel", 9),
    ("adviser", "Adviser", 14),
    ("due", "Callback", 8),
    ("status", "Status", 6),
)


FLAGS = {"safeguarding": ("SG", "bold red"), "overdue": ("LATE", "bold yellow"),
         "today": ("TODAY", "bold")}


def column_widths(width: int) -> list[int]:
    widths = [w for _k, _h, w in COLUMNS]
    spare = width - (sum(widths) + len(widths) - 1)
    if spare > 0:  # wider terminals: more room for references and names
        widths[1] += spare // 2
        widths[4] += spare - spare // 2
    return widths


def _cell(text: Text, value: str, width: int, style: str = "") -> None:
    value = clean_text(value)
    if cell_len(value) > width:
        cut = Text(value)
        cut.truncate(width, overflow="ellipsis")
        value = cut.plain
    text.append(value, style=style)
    text.append(" " * (width - cell_len(value)))


def header_text(width: int) -> Text:
    text = Text(style="bold")
    for n, ((_key, heading, _w), w) in enumerate(zip(COLUMNS, column_widths(width),
                                                     strict=True)):
        text.append(" " if n else "")
        _cell(text, heading, w)
    return text


def reference_of(row: QueueRow, profile: Profile) -> tuple[str, str]:
    """What the Reference column shows, and its style: the coded reference, or the
    name for the record's owner (PRIV2); anonymous callers and non-data contacts."""
    if row.non_data_kind:
        return profile.non_data_kinds.label(row.non_data_kind), "dim"
    if row.family_id is None:
        return "anonymous", "italic"
    if row.name:
        return row.name, "bold"
    return row.coded_ref or "?", ""


def row_text(row: QueueRow, profile: Profile, width: int) -> Text:
    widths = column_widths(width)
    text = Text(no_wrap=True, overflow="ellipsis")
    flag, flag_style = FLAGS.get(row.priority.value, ("", ""))
    ref, ref_style = reference_of(row, profile)
    local = row.started_at.astimezone()
    values = [
        (flag, flag_style),
        (ref, ref_style),
        (f"{local:%d/%m/%y %H:%M}", ""),
        (profile.channels.label(row.channel), ""),
        (row.adviser or ("unassigned" if row.assigned_to is None else "?"),
         "" if row.adviser else "italic"),
        (f"{row.follow_up_due:%d/%m/%y}" if row.follow_up_due else "", ""),
        (row.status, "dim" if row.status == EnquiryStatus.CLOSED else ""),
    ]
    for n, ((value, style), w) in enumerate(zip(values, widths, strict=True)):
        text.append(" " if n else "")
        _cell(text, value, w, style)
    return text


def preview_text(row: QueueRow | None, profile: Profile, staff: Mapping[int, str]) -> Text:
    """The line under the table: the highlighted enquiry's topics, who recorded it,
    whether it has notes (never what they say), its outcome."""
    text = Text()
    if row is not None:
        text.append("; ".join(profile.topics.label(t) for t in row.topics) or "no topic")
        text.append(f"  ·  recorded by {staff.get(row.recorded_by, '?')}", style="dim")
        if row.has_notes:
            text.append("  ·  has notes", style="dim")
        if row.outcome:
            text.append(f"  ·  {profile.outcomes.label(row.outcome)}", style="dim")
    return text
