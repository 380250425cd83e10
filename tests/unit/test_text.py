"""PRIV3 / security.md §6: stored text can neither drive nor spoof the terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calllog.text import clean_optional, clean_text

ESC = "\x1b"

SINGLE_LINE_CASES = [
    ("osc52_clipboard_bel", "a\x1b]52;c;SGVsbG8=\x07b", "ab"),
    ("osc52_clipboard_st", "a\x1b]52;c;SGVsbG8=\x1b\\b", "ab"),
    ("osc0_title", "\x1b]0;pwned\x07Jane", "Jane"),
    ("osc8_link", "\x1b]8;;https://example.invalid\x1b\\click\x1b]8;;\x1b\\", "click"),
    ("osc_8bit_bel", "\x9d52;c;AAAA\x07ok", "ok"),
    ("osc_8bit_st", "\x9d0;title\x9cok", "ok"),
    ("csi_colour", "\x1b[31mred\x1b[0m", "red"),
    ("csi_private_mode", "\x1b[?1049hx\x1b[?1049l", "x"),
    ("csi_device_status_report", "a\x1b[6nb", "ab"),
    ("csi_cursor_rewrite", "safe\x1b[2K\x1b[1Gfake", "safefake"),
    ("csi_8bit", "\x9b31mred\x9b0m", "red"),
    ("dcs", "\x1bPq#0;2;0;0;0\x1b\\ok", "ok"),
    ("dcs_8bit", "\x90payload\x9cok", "ok"),
    ("apc", "\x1b_Gf=100;AAAA\x1b\\ok", "ok"),
    ("pm", "\x1b^private\x1b\\ok", "ok"),
    ("sos", "\x1bXstring\x1b\\ok", "ok"),
    ("esc_save_restore", "\x1b7save\x1b8", "save"),
    ("esc_charset", "\x1b(0lqk\x1b(B", "lqk"),
    ("esc_reset", "\x1bcJane", "Jane"),
    ("unterminated_osc_keeps_payload_as_text", "\x1b]52;c;AAAA", "52;c;AAAA"),
    ("unterminated_csi", "x\x1b[", "x"),
    ("lone_esc", "abc\x1b", "abc"),
    ("c0_controls", "a\x00b\x07c\x08d\x1ae", "abcde"),
    ("del", "a\x7fb", "ab"),
    ("c1_next_line", "a\x85b", "ab"),
    ("tab_kept", "a\tb", "a\tb"),
    ("newline_becomes_space", "line one\nline two", "line one line two"),
    ("crlf_becomes_space", "a\r\nb", "a b"),
    ("line_separator_becomes_space", "a\u2028b", "a b"),
    ("bidi_override", "invoice\u202etxt.exe", "invoicetxt.exe"),
    ("bidi_isolates", "\u2066Jane\u2069 \u2067Smith\u2069", "Jane Smith"),
    ("bidi_marks", "\u200eJane\u200f", "Jane"),
    ("zero_width_space", "Ja\u200bne", "Jane"),
    ("byte_order_mark", "\ufeffJane", "Jane"),
    ("word_joiner", "Ja\u2060ne", "Jane"),
    ("zero_width_non_joiner_kept", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", None),
    ("lone_surrogate", "Ja\ud800ne", "Jane"),
    ("rich_markup_kept", "[bold]x[/] [/] [link=x]", "[bold]x[/] [/] [link=x]"),
    ("unclosed_markup_kept", "[bold", "[bold"),
    ("strip_whitespace", "  Jane Smith \t ", "Jane Smith"),
    ("unicode_letters_kept", "Łucja Żak-Ó'Dálaigh", "Łucja Żak-Ó'Dálaigh"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(raw, raw if want is None else want, id=name)
        for name, raw, want in SINGLE_LINE_CASES
    ],
)
def test_priv3_clean_text_single_line(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_priv3_clean_text_strips_osc52() -> None:
    assert clean_text("Call back\x1b]52;c;cm0gLXJmIH4=\x07 tomorrow") == "Call back tomorrow"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("a\r\nb\rc\nd", "a\nb\nc\nd", id="line_endings_normalised"),
        pytest.param("one\u2029two", "one\ntwo", id="paragraph_separator"),
        pytest.param("\n\n note \n\n", "note", id="outer_blank_lines_stripped"),
        pytest.param("a\n\n\tb", "a\n\n\tb", id="inner_blank_line_and_tab_kept"),
        pytest.param("x\x1b[1A\x1b[2Ky", "xy", id="csi_in_note"),
        pytest.param("x\x0by\x0cz", "xyz", id="vertical_tab_and_form_feed"),
    ],
)
def test_priv3_clean_text_multiline(raw: str, expected: str) -> None:
    assert clean_text(raw, multiline=True) == expected


@pytest.mark.parametrize(
    ("raw", "max_length", "expected"),
    [
        ("abcdef", 3, "abc"),
        ("ab cdef", 3, "ab"),
        ("  abc  ", 3, "abc"),
        ("abc", 10, "abc"),
        ("abc", 0, ""),
        ("\x1b[31mabcdef", 4, "abcd"),
    ],
)
def test_clean_text_max_length(raw: str, max_length: int, expected: str) -> None:
    assert clean_text(raw, max_length=max_length) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, None), ("", None), ("   ", None), ("\x1b[0m\u200b", None), ("  Jane ", "Jane")],
)
def test_clean_optional(raw: str | None, expected: str | None) -> None:
    assert clean_optional(raw) == expected


def test_clean_optional_passes_options() -> None:
    assert clean_optional("a\nbcdef", multiline=True, max_length=4) == "a\nbc"


# --- properties -------------------------------------------------------------------

FRAGMENTS = [
    ESC,
    "\x1b[",
    "\x1b]",
    "\x1b]52;c;",
    "\x1bP",
    "\x1b_",
    "\x1b\\",
    "\x07",
    "\x9b",
    "\x9c",
    "\x9d",
    "\x90",
    "[/]",
    "[bold",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u2028",
    " ",
    "31m",
    "6n",
    "?1049h",
]
untrusted = st.lists(
    st.one_of(st.text(), st.sampled_from(FRAGMENTS), st.characters(exclude_categories=())),
    max_size=40,
).map("".join)

SPOOFING = set("\u061c\u180e\u200b\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff") | {
    chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x2070)]
}


def _assert_safe(cleaned: str, *, multiline: bool) -> None:
    allowed_controls = {"\t", "\n"} if multiline else {"\t"}
    for char in cleaned:
        code = ord(char)
        assert not (code < 0x20 and char not in allowed_controls), repr(cleaned)
        assert not 0x7F <= code <= 0x9F, repr(cleaned)
        assert char not in SPOOFING, repr(cleaned)
        assert unicodedata.category(char) != "Cs", repr(cleaned)
    assert ESC not in cleaned
    assert "\r" not in cleaned
    assert cleaned == cleaned.strip()


@given(untrusted, st.booleans())
def test_priv3_clean_text_output_is_safe_and_idempotent(raw: str, multiline: bool) -> None:
    cleaned = clean_text(raw, multiline=multiline)
    _assert_safe(cleaned, multiline=multiline)
    assert clean_text(cleaned, multiline=multiline) == cleaned


@given(untrusted, st.integers(min_value=0, max_value=30))
def test_priv3_clean_text_truncated_is_safe_and_idempotent(raw: str, max_length: int) -> None:
    cleaned = clean_text(raw, max_length=max_length)
    _assert_safe(cleaned, multiline=False)
    assert len(cleaned) <= max_length
    assert clean_text(cleaned, max_length=max_length) == cleaned


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_clean_text_keeps_ordinary_text(raw: str) -> None:
    # Printable text (letters, marks, symbols, Rich markup) survives untouched but
    # for the surrounding whitespace.
    assert clean_text(raw) == raw.strip()
