"""REC2/REC6: what advisers type is checked and stored in one normalised form.

Synthetic data only: Ofcom drama numbers (020 7946 0xxx, 0113 496 0xxx) and
example.org addresses."""

from __future__ import annotations

from datetime import date

import pytest

from calllog.validation import (
    ValidationError,
    check_child_dob,
    format_date,
    format_phone,
    parse_date,
    parse_email,
    parse_phone,
    parse_postcode,
)

# --- postcodes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("gu214xx", "GU21 4XX"),
        ("GU21 4XX", "GU21 4XX"),
        ("  gu21   4xx ", "GU21 4XX"),
        ("sw1a1aa", "SW1A 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("m1 1ae", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("TR1 1XU", "TR1 1XU"),
        ("NN1 1DE", "NN1 1DE"),
        ("gir0aa", "GIR 0AA"),
        ("GU21\u200b 4XX", "GU21 4XX"),
    ],
)
def test_rec2_postcode_normalised(typed: str, stored: str) -> None:
    assert parse_postcode(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "GU21",  # outcode only
        "GU21 4X",
        "Q1 1AA",  # Q is never a first letter
        "V1 1AA",
        "GU21 4CX",  # C is never in the incode
        "GU21 44X",
        "1GU 4XX",
        "GU21 4XXX",
        "not a postcode",
        "GU21-4XX",
    ],
)
def test_rec2_postcode_rejected(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_postcode(typed)
    assert caught.value.message == (
        "That postcode doesn't look right: a UK postcode looks like GU21 4XX."
    )
    assert str(caught.value) == caught.value.message


def test_rec2_postcode_empty_has_its_own_message() -> None:
    with pytest.raises(ValidationError, match="Type a postcode"):
        parse_postcode("   ")


# --- phone numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("020 8366 1177", "+442083661177"),
        ("02079460123", "+442079460123"),
        ("(020) 7946 0123", "+442079460123"),
        ("+44 20 7946 0123", "+442079460123"),
        ("0044 20 7946 0123", "+442079460123"),
        ("0113 496 0000", "+441134960000"),
        ("07400 123456", "+447400123456"),
        ("0800 111 4444", "+448001114444"),
        ("+33 1 42 68 53 00", "+33142685300"),
    ],
)
def test_rec2_phone_stored_as_e164(typed: str, stored: str) -> None:
    assert parse_phone(typed) == stored


@pytest.mark.parametrize("typed", ["999", "020 7946", "07700 900123", "phone me", "+44", ""])
def test_rec2_phone_rejected(typed: str) -> None:
    with pytest.raises(ValidationError, match="phone number"):
        parse_phone(typed)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+442083661177", "020 8366 1177"),
        ("+441134960000", "0113 496 0000"),
        ("+447400123456", "07400 123456"),
        ("+33142685300", "+33 1 42 68 53 00"),
        ("+12025550143", "+1 202-555-0143"),
        ("garbage", "garbage"),
    ],
)
def test_rec6_phone_display(stored: str, shown: str) -> None:
    assert format_phone(stored) == shown


def test_rec6_phone_round_trip() -> None:
    assert parse_phone(format_phone("+442079460123")) == "+442079460123"


# --- email ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("parent@example.org", "parent@example.org"),
        ("Jane.Parent@Example.ORG.UK", "Jane.Parent@example.org.uk"),
        (" j.parent+school@example.co.uk ", "j.parent+school@example.co.uk"),
        ("o'brien@example.org", "o'brien@example.org"),
        ("parent@mail.example.org.", "parent@mail.example.org"),
        ("parent@xn--bcher-kva.example", "parent@xn--bcher-kva.example"),
    ],
)
def test_rec2_email_normalised(typed: str, stored: str) -> None:
    assert parse_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "parent",
        "parent@",
        "@example.org",
        "parent@example",
        "parent@@example.org",
        "par ent@example.org",
        "parent@exa mple.org",
        ".parent@example.org",
        "parent.@example.org",
        "pa..rent@example.org",
        "parent@-example.org",
        "parent@example.org-",
        "parent@example.c0m",
        "parent@example..org",
        "a" * 65 + "@example.org",
        "",
    ],
)
def test_rec2_email_rejected(typed: str) -> None:
    with pytest.raises(ValidationError, match="email address"):
        parse_email(typed)


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("04/03/2015", date(2015, 3, 4)),
        ("4/3/2015", date(2015, 3, 4)),
        ("04-03-2015", date(2015, 3, 4)),
        ("4.3.2015", date(2015, 3, 4)),
        (" 29/02/2016 ", date(2016, 2, 29)),
        ("31/12/1999", date(1999, 12, 31)),
        ("2015-03-04", date(2015, 3, 4)),
    ],
)
def test_rec2_date_parsed(typed: str, expected: date) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2015", "31/02/2015 is not a real date."),
        ("29/2/2015", "29/02/2015 is not a real date."),
        ("00/01/2015", "00/01/2015 is not a real date."),
        ("12/13/2015", "12/13/2015 is not a real date."),
        ("4/3/15", "Type the date as DD/MM/YYYY, for example 04/03/2015."),
        ("04/03-2015", "Type the date as DD/MM/YYYY, for example 04/03/2015."),
        ("4th March 2015", "Type the date as DD/MM/YYYY, for example 04/03/2015."),
        ("20150304", "Type the date as DD/MM/YYYY, for example 04/03/2015."),
        ("", "Type the date as DD/MM/YYYY, for example 04/03/2015."),
    ],
)
def test_rec2_date_rejected_with_clear_message(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(typed)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (date(2015, 3, 4), "04/03/2015"),
        (date(2016, 12, 31), "31/12/2016"),
        (date(2, 1, 1), "01/01/0002"),
    ],
)
def test_format_date(value: date, shown: str) -> None:
    assert format_date(value) == shown
    if value.year >= 1000:
        assert parse_date(shown) == value


TODAY = date(2025, 6, 15)


@pytest.mark.parametrize(
    ("dob", "max_age"),
    [
        (date(2025, 6, 15), 25),  # born today
        (date(2000, 6, 16), 25),  # 24, turns 25 tomorrow
        (date(2000, 6, 15), 25),  # 25 today: still supported
        (date(2008, 6, 16), 17),  # contact centre: 16, turns 17 tomorrow
        (date(2007, 6, 16), 17),  # 17 until tomorrow
        (date(1950, 1, 1), None),
    ],
)
def test_rec2_child_dob_accepted(dob: date, max_age: int | None) -> None:
    check_child_dob(dob, TODAY, max_age=max_age)


@pytest.mark.parametrize(
    ("dob", "max_age", "message"),
    [
        (date(2025, 6, 16), 25, "16/06/2025 is in the future: check the date of birth."),
        (date(2026, 1, 1), None, "01/01/2026 is in the future: check the date of birth."),
        (date(1994, 1, 1), 25, "That makes the child 31; this service supports ages 0 to 25."),
        (date(1999, 6, 15), 25, "That makes the child 26; this service supports ages 0 to 25."),
        (date(2007, 6, 15), 17, "That makes the child 18; this service supports ages 0 to 17."),
    ],
)
def test_rec2_child_dob_rejected(dob: date, max_age: int | None, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_child_dob(dob, TODAY, max_age=max_age)
    assert caught.value.message == message


def test_validation_error_is_a_value_error() -> None:
    error = ValidationError("Something is wrong.")
    assert isinstance(error, ValueError)
    assert error.message == str(error) == "Something is wrong."


@pytest.mark.parametrize(
    "parse", [parse_postcode, parse_phone, parse_email, parse_date], ids=lambda f: f.__name__
)
def test_priv3_parsers_refuse_escape_sequences_without_echoing_them(parse: object) -> None:
    assert callable(parse)
    with pytest.raises(ValidationError) as caught:
        parse("\x1b]52;c;AAAA\x07\x1b[6n")
    assert "\x1b" not in caught.value.message
