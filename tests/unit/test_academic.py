"""Year groups from a date of birth (uk-lists.md §2c; STAT1 reports by year group)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calllog.academic import (
    YEAR_GROUPS,
    academic_year_start,
    age_on,
    year_group_code,
    year_group_label,
)
from calllog.profiles import load_list


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2024, 9, 1), 2024),
        (date(2024, 12, 31), 2024),
        (date(2025, 1, 1), 2024),
        (date(2025, 8, 31), 2024),
        (date(2025, 9, 1), 2025),
    ],
)
def test_academic_year_start(today: date, start: int) -> None:
    assert academic_year_start(today) == start


# Academic year 2024/25 (any day from 1 September 2024 to 31 August 2025).
IN_2024_25 = [date(2024, 9, 1), date(2025, 1, 15), date(2025, 8, 31)]

YEAR_GROUP_CASES = [
    # Reception 2024/25: born 1 September 2019 to 31 August 2020.
    (date(2019, 9, 1), "R"),
    (date(2020, 8, 31), "R"),
    (date(2020, 2, 29), "R"),  # leap day
    (date(2020, 9, 1), "N2"),
    (date(2021, 8, 31), "N2"),
    (date(2021, 9, 1), "N1"),
    (date(2022, 8, 31), "N1"),
    (date(2022, 9, 1), "PRE"),
    (date(2024, 8, 31), "PRE"),
    (date(2019, 8, 31), "1"),
    (date(2018, 9, 1), "1"),
    (date(2018, 8, 31), "2"),
    (date(2016, 2, 29), "4"),  # leap day
    (date(2014, 3, 4), "6"),
    (date(2013, 9, 1), "6"),
    (date(2013, 8, 31), "7"),
    (date(2012, 2, 29), "8"),  # leap day
    (date(2009, 9, 1), "10"),
    (date(2008, 8, 31), "12"),
    (date(2007, 9, 1), "12"),
    (date(2007, 8, 31), "13"),
    (date(2006, 9, 1), "13"),
    (date(2006, 8, 31), "14"),
    (date(2005, 9, 1), "14"),
    (date(2005, 8, 31), "POST19"),
    (date(1999, 9, 1), "POST19"),
]


@pytest.mark.parametrize("today", IN_2024_25, ids=str)
@pytest.mark.parametrize(
    ("dob", "code"), YEAR_GROUP_CASES, ids=[str(c[0]) for c in YEAR_GROUP_CASES]
)
def test_stat1_year_group_code(dob: date, code: str, today: date) -> None:
    assert year_group_code(dob, today) == code


@pytest.mark.parametrize("year", [2015, 2016, 2019, 2020])
def test_stat1_31_august_and_1_september_births_in_different_year_groups(year: int) -> None:
    today = date(2025, 3, 1)
    older = year_group_code(date(year, 8, 31), today)
    younger = year_group_code(date(year, 9, 1), today)
    assert older != younger
    codes = list(YEAR_GROUPS)
    assert codes.index(older) == codes.index(younger) + 1


def test_stat1_year_group_moves_up_on_1_september() -> None:
    dob = date(2016, 2, 29)
    assert year_group_code(dob, date(2025, 8, 31)) == "4"
    assert year_group_code(dob, date(2025, 9, 1)) == "5"


def test_stat1_every_day_of_a_cohort_shares_a_year_group() -> None:
    today = date(2025, 5, 1)
    day, last = date(2015, 9, 1), date(2016, 8, 31)
    while day <= last:
        assert year_group_code(day, today) == "4", day
        day += timedelta(days=1)


def test_stat1_year_group_sequence_through_a_childhood() -> None:
    dob = date(2012, 2, 29)
    seen = [year_group_code(dob, date(year, 10, 1)) for year in range(2012, 2040)]
    assert seen == [
        *["PRE"] * 2,
        "N1",
        "N2",
        "R",
        *[str(n) for n in range(1, 15)],
        *["POST19"] * 9,
    ]


@pytest.mark.parametrize(
    ("dob", "today", "age"),
    [
        (date(2015, 3, 4), date(2025, 3, 3), 9),
        (date(2015, 3, 4), date(2025, 3, 4), 10),
        (date(2016, 2, 29), date(2025, 2, 28), 8),  # leap-day birthday is 1 March
        (date(2016, 2, 29), date(2025, 3, 1), 9),
        (date(2016, 2, 29), date(2024, 2, 29), 8),
        (date(2025, 1, 1), date(2025, 1, 1), 0),
    ],
)
def test_age_on(dob: date, today: date, age: int) -> None:
    assert age_on(dob, today) == age


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("PRE", "Below nursery age"),
        ("N1", "Nursery (first year)"),
        ("N2", "Nursery (second year)"),
        ("R", "Reception"),
        ("1", "Year 1"),
        ("13", "Year 13"),
        ("14", "Year 14"),
        ("POST19", "Post-19 (aged 19 to 25)"),
        ("NIE", "Not in education"),
    ],
)
def test_year_group_label(code: str, label: str) -> None:
    assert year_group_label(code) == label


def test_year_group_label_unknown_code() -> None:
    with pytest.raises(ValueError, match="unknown year group"):
        year_group_label("15")


def test_year_groups_list_mirrors_academic_codes() -> None:
    shipped = load_list("year-groups")
    assert [(i.code, i.label) for i in shipped.items] == list(YEAR_GROUPS.items())
