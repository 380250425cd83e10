"""English school-year arithmetic (uk-lists.md §2c).

The academic year runs from 1 September to 31 August, and a child's year
group is fixed by their age on 31 August: children born 1 September to
31 August of the following year are in the same year group. With
``cohort`` = the birth year for births from September on, otherwise the
birth year - 1, the year group in the academic year that began on
1 September ``A`` is ``n = A - cohort - 5`` (0 = Reception).

Year-group codes (the ``year-groups`` list in ``data/lists`` mirrors them):

- ``PRE``: below nursery age, n <= -3 (aged 0 or 1 on 31 August);
- ``N1``: nursery, first year, n = -2 (aged 2 on 31 August);
- ``N2``: nursery, second year, n = -1 (aged 3 on 31 August);
- ``R``: Reception, n = 0 (aged 4 on 31 August);
- ``1`` to ``13``: Years 1 to 13, n = 1 .. 13;
- ``14``: Year 14, n = 14: aged 18 on 31 August and still in 16-19
  education (the DfE code 14 is UNVERIFIED in uk-lists.md);
- ``POST19``: aged 19 or more on 31 August (EHC plans can run to 25);
- ``NIE``: not in education; chosen by hand, never derived.

A child born on 29 February has their birthday on 1 March in other years,
which never changes the year group (both dates fall in the same cohort).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

__all__ = [
    "YEAR_GROUPS",
    "academic_year_start",
    "age_on",
    "year_group_code",
    "year_group_label",
]

#: Every year-group code with its label, youngest first.
YEAR_GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "PRE": "Below nursery age",
        "N1": "Nursery (first year)",
        "N2": "Nursery (second year)",
        "R": "Reception",
        **{str(n): f"Year {n}" for n in range(1, 15)},
        "POST19": "Post-19 (aged 19 to 25)",
        "NIE": "Not in education",
    }
)


def academic_year_start(today: date) -> int:
    """The calendar year in which the current academic year began on
    1 September: 2024 for any day from 1 September 2024 to 31 August 2025."""
    return today.year if today.month >= 9 else today.year - 1


def age_on(dob: date, today: date) -> int:
    """Age in completed years on *today*. Someone born on 29 February turns
    a year older on 1 March in a common year."""
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def year_group_code(dob: date, today: date) -> str:
    """The year-group code of a child born on *dob* in the academic year
    containing *today* (see the module docstring). Never returns ``NIE``;
    does not check the age against a service's limit."""
    cohort = dob.year if dob.month >= 9 else dob.year - 1
    n = academic_year_start(today) - cohort - 5
    if n <= -3:
        return "PRE"
    if n <= 0:
        return ("N1", "N2", "R")[n + 2]
    if n <= 14:
        return str(n)
    return "POST19"


def year_group_label(code: str) -> str:
    """``"R"`` -> ``"Reception"``, ``"7"`` -> ``"Year 7"``. Raises
    ``ValueError`` for a code that is not a year group."""
    try:
        return YEAR_GROUPS[code]
    except KeyError:
        raise ValueError(f"unknown year group {code!r}") from None
