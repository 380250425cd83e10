"""Coded references for insecure and electronic messages (CON5; Surrey
policy 001 §4.5: "coded information such as initials and date of birth")."""

from __future__ import annotations

from datetime import date

from calllog.text import clean_text
from calllog.validation import format_date

__all__ = ["coded_reference"]

UNKNOWN_INITIALS = "??"
UNKNOWN_DOB = "--/--/----"


def _initial(part: str) -> str | None:
    for char in part:
        if char.isalpha():
            upper = char.upper()
            return upper if len(upper) == 1 else char
    return None


def coded_reference(name: str | None, dob: date | None) -> str:
    """``"<initials> <DD/MM/YYYY>"``, e.g. ``"JS 04/03/2015"`` for Jane Smith
    born 4 March 2015.

    The initials are the first letter of the first and of the last word of
    the name, upper-cased: middle names are left out, a hyphenated or
    apostrophised word gives its first letter only (Mary-Jane O'Brien ->
    ``MO``), characters that are not letters are skipped (any script
    counts as a letter: Łucja Żak -> ``ŁŻ``), and a single name gives one
    initial (``"C 01/01/2010"``). A missing name, or one with no letters,
    gives ``"??"``; a missing date of birth gives ``"--/--/----"``.
    """
    initials = [
        initial for initial in map(_initial, clean_text(name or "").split()) if initial is not None
    ]
    if len(initials) > 2:
        initials = [initials[0], initials[-1]]
    code = "".join(initials) or UNKNOWN_INITIALS
    return f"{code} {format_date(dob) if dob is not None else UNKNOWN_DOB}"
