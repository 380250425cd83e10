"""CON5 / PRIV2: coded references (initials and date of birth). Synthetic names only."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calllog.coderef import coded_reference

DOB = date(2015, 3, 4)


def test_con5_coded_reference_format() -> None:
    assert coded_reference("Jane Smith", DOB) == "JS 04/03/2015"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Smith", "JS"),
        ("jane smith", "JS"),
        ("  Jane   Smith  ", "JS"),
        ("Jane Alice Mary Smith", "JS"),
        ("Mary-Jane Smith-Jones", "MS"),
        ("Mary-Jane O'Brien", "MO"),
        ("d'Arcy Test", "DT"),
        ("'Ava' Test", "AT"),
        ("Cher", "C"),
        ("Łucja Żak", "ŁŻ"),
        ("Émile Zola-Test", "ÉZ"),
        ("Ólafur Þórsson", "ÓÞ"),
        ("Αλέξης Τεστ", "ΑΤ"),
        ("Jane 2nd Smith", "JS"),
        ("Jane Smith 3", "JS"),
        ("Jane \u202eSmith", "JS"),
        ("\x1b[31mJane\x1b[0m Smith", "JS"),
        ("[bold]Jane[/] Smith", "BS"),
        ("42", "??"),
        ("", "??"),
        ("   ", "??"),
        (None, "??"),
    ],
)
def test_con5_coded_reference_initials(name: str | None, expected: str) -> None:
    assert coded_reference(name, DOB) == f"{expected} 04/03/2015"


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        (date(2015, 3, 4), "JS 04/03/2015"),
        (date(2016, 2, 29), "JS 29/02/2016"),
        (date(2009, 12, 31), "JS 31/12/2009"),
        (None, "JS --/--/----"),
    ],
)
def test_con5_coded_reference_dob(dob: date | None, expected: str) -> None:
    assert coded_reference("Jane Smith", dob) == expected


def test_con5_coded_reference_nothing_known() -> None:
    assert coded_reference(None, None) == "?? --/--/----"


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.dates()))
def test_con5_coded_reference_never_leaks_more_than_initials(
    name: str | None, dob: date | None
) -> None:
    reference = coded_reference(name, dob)
    initials, _, shown_dob = reference.rpartition(" ")
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}|--/--/----", shown_dob)
    assert initials == "??" or (1 <= len(initials) <= 2 and initials.isalpha())
    assert "\x1b" not in reference
