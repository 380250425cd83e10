"""How much text each field holds, and what is said when more is given (issue 15).

Nothing typed is ever cut: a service given more than a field holds raises
``Problems`` naming the field and the limit, and stores nothing; the form stays
open with everything in it. The app uses the same numbers to count and to refuse
more as the limit nears (screens/common/widgets.py, screens/common/notearea.py).

Each limit is chosen to fit a long call with room to spare, not to save space:
SQLite stores text at its own length whatever the column says.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

__all__ = [
    "ADDRESS",
    "CONTACT",
    "FIELD_LIMITS",
    "NAME",
    "NOTE",
    "REASON",
    "SUPERVISION_REASON",
    "FieldLimit",
    "check_length",
    "length_problem",
]

NOTE = 20_000
"""An enquiry's note: an hour of dense typing at 40 words a minute is about 14,000
characters; 20,000 leaves room for a pasted email or letter."""
REASON = 2_000
"""A referral's reason, an agency's summary, a disclosure's note, a safeguarding
override's reason: a few paragraphs, a pasted referral form's free text."""
NAME = 160
"""A person's or organisation's name (parent, child, other party, referrer,
recipient, agency, school): the longest double-barrelled names with titles and
council team names ("… Special Educational Needs and Disabilities Team") fit."""
ADDRESS = 400
"""A postal address on several lines, with a flat, a building and a care-of name."""
CONTACT = 254
"""How to reach a referrer: the longest email address allowed (RFC 5321) or a
telephone number with an extension and a note."""
SUPERVISION_REASON = 400
"""A supervisor's one-line reason for opening notes (kept in the audit log)."""


@dataclass(frozen=True)
class FieldLimit:
    field: str
    chars: int
    why: str


FIELD_LIMITS: tuple[FieldLimit, ...] = (
    FieldLimit("Enquiry note", NOTE, "an hour of dense notes (~14,000) with room for a paste"),
    FieldLimit("Reasons, summaries, disclosure notes", REASON, "a few paragraphs"),
    FieldLimit("Names (people, schools, agencies, recipients)", NAME,
               "long double-barrelled names and council team names"),
    FieldLimit("Addresses", ADDRESS, "several lines with flat, building and care-of"),
    FieldLimit("Referrer's contact", CONTACT, "the longest email address (RFC 5321)"),
    FieldLimit("Supervision access reason", SUPERVISION_REASON, "one line for the audit log"),
)
"""The table in the README (a test keeps the two the same)."""


def length_problem(what: str, text: str, most: int, *,
                   then: str = "Nothing was saved; shorten it and save again.") -> str | None:
    """The message when ``text`` is longer than ``most`` characters, else None.
    ``what`` names the field as a sentence starts: "The note"."""
    if len(text) <= most:
        return None
    return f"{what} is {len(text):,} characters; the most is {most:,}. {then}"


def check_length(problems: MutableMapping[str, str], key: str, what: str, text: str | None,
                 most: int) -> str | None:
    """Add a problem under ``key`` when ``text`` is too long; return ``text`` as it is
    (never cut)."""
    if text:
        problem = length_problem(what, text, most)
        if problem is not None:
            problems.setdefault(key, problem)
    return text
