"""Check and normalise what advisers type: postcodes, phone numbers, email
addresses and dates. Every ``parse_*`` function cleans its input with
:func:`calllog.text.clean_text` first, returns the normalised value, and
raises :class:`ValidationError` with words an adviser can act on."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers

from calllog.academic import age_on
from calllog.text import clean_text

__all__ = [
    "ValidationError",
    "check_child_dob",
    "format_date",
    "format_phone",
    "parse_date",
    "parse_email",
    "parse_phone",
    "parse_postcode",
]


class ValidationError(ValueError):
    """A value an adviser typed is not acceptable; ``message`` says why in
    plain words (it is also ``str(error)``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- postcode ---------------------------------------------------------------

# BS7666, as django-localflavor's GBPostcodeField (uk-lists.md §5).
_OUTCODE = r"[A-PR-UWYZ]([0-9]{1,2}|([A-HIK-Y][0-9](|[0-9]|[ABEHMNPRVWXY]))|[0-9][A-HJKSTUW])"
_INCODE = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(rf"^(GIR 0AA|{_OUTCODE} {_INCODE})$")
_POSTCODE_MESSAGE = "That postcode doesn't look right: a UK postcode looks like GU21 4XX."


def parse_postcode(text: str) -> str:
    """``"gu214xx"`` -> ``"GU21 4XX"``: any case and spacing in, upper case
    with one space before the last three characters out."""
    compact = "".join(clean_text(text).upper().split())
    if not compact:
        raise ValidationError("Type a postcode, for example GU21 4XX.")
    postcode = f"{compact[:-3]} {compact[-3:]}"
    if not _POSTCODE.match(postcode):
        raise ValidationError(_POSTCODE_MESSAGE)
    return postcode


# --- telephone --------------------------------------------------------------

_PHONE_MESSAGE = (
    "That phone number doesn't look right: type a UK number like 020 8366 1177, "
    "or an international one starting with +."
)


def parse_phone(text: str) -> str:
    """A telephone number typed as it is spoken (UK numbers need no +44),
    checked with ``phonenumbers`` for region GB and returned in E.164
    (``"+442083661177"``)."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError("Type a phone number, for example 020 8366 1177.")
    try:
        number = phonenumbers.parse(cleaned, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(_PHONE_MESSAGE) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_PHONE_MESSAGE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """How to show a stored number: national format for +44 numbers
    (``"020 8366 1177"``; also Channel Islands and Isle of Man, which are
    dialled the same way from the UK), international format for the rest.
    Text that does not parse is shown cleaned but otherwise unchanged."""
    try:
        number = phonenumbers.parse(e164, "GB")
    except phonenumbers.NumberParseException:
        return clean_text(e164)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


# --- email ------------------------------------------------------------------

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_EMAIL_MESSAGE = "That email address doesn't look right: it should look like name@example.org.uk."


def parse_email(text: str) -> str:
    """A pragmatic check, not RFC 5322: one ``@``, a dot-atom local part of at
    most 64 characters, a domain of at least two labels ending in a
    top-level domain of letters (or punycode), 254 characters at most. The
    domain is lower-cased; the local part is kept as typed."""
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationError("Type an email address, for example name@example.org.uk.")
    local, at, domain = cleaned.rpartition("@")
    domain = domain.lower().rstrip(".")
    labels = domain.split(".")
    if (
        not at
        or len(cleaned) > 254
        or len(local) > 64
        or not _LOCAL.match(local)
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or not _TLD.match(labels[-1])
    ):
        raise ValidationError(_EMAIL_MESSAGE)
    return f"{local}@{domain}"


# --- dates ------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_SHAPE_MESSAGE = "Type the date as DD/MM/YYYY, for example 04/03/2015."


def format_date(d: date) -> str:
    """``date(2015, 3, 4)`` -> ``"04/03/2015"``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date(text: str) -> date:
    """DD/MM/YYYY, also D/M/YYYY and with ``-`` or ``.`` as the separator
    (the same one twice); ISO YYYY-MM-DD is accepted too. Two-digit years
    are refused rather than guessed."""
    cleaned = clean_text(text).replace(" ", "")
    if not cleaned:
        raise ValidationError(_DATE_SHAPE_MESSAGE)
    if match := _DMY.match(cleaned):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _ISO.match(cleaned):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise ValidationError(_DATE_SHAPE_MESSAGE)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{day:02d}/{month:02d}/{year:04d} is not a real date.") from None


def check_child_dob(dob: date, today: date, *, max_age: int | None) -> None:
    """Refuse a date of birth in the future, or one that makes the child
    older than the service supports (*max_age* inclusive; ``None`` means no
    limit)."""
    if dob > today:
        raise ValidationError(f"{format_date(dob)} is in the future: check the date of birth.")
    age = age_on(dob, today)
    if max_age is not None and age > max_age:
        raise ValidationError(
            f"That makes the child {age}; this service supports ages 0 to {max_age}."
        )
