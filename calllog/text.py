"""Make untrusted text safe to store and to show in a terminal.

Everything typed or pasted into calllog passes through :func:`clean_text`
before it is stored, and stored text is cleaned again before it is rendered
(PRIV3, security.md §6). The function removes what could drive or spoof the
terminal and keeps everything a person could mean to type:

* whole escape sequences: CSI (``ESC [`` ... final byte, or 8-bit ``\\x9b``),
  OSC (``ESC ]`` or ``\\x9d`` ... ``BEL``/``ESC \\``/``\\x9c``), the DCS, SOS,
  PM and APC strings (7-bit and 8-bit introducers, same terminators) and the
  short ``ESC`` + intermediates + final forms (``ESC 7``, ``ESC ( B``).
  A string sequence with no terminator loses only its introducer: its
  payload stays as (harmless) plain text rather than silently swallowing the
  rest of a note;
* every other C0 control except ``\\t`` (and ``\\n`` in multiline text), DEL
  and every C1 control (U+0080-U+009F);
* bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069), the bidi marks (U+200E, U+200F, U+061C), and invisible
  characters that make two strings look the same: U+200B ZERO WIDTH SPACE,
  U+2060-U+2064, U+206A-U+206F, U+180E and U+FEFF. ZERO WIDTH (NON-)JOINER
  (U+200C, U+200D) are kept: Persian and Indic names and emoji need them;
* lone surrogates, which cannot be stored as UTF-8.

Line breaks (``\\r\\n``, ``\\r``, ``\\n``, U+2028, U+2029) become ``\\n`` in
multiline text and a single space otherwise. Rich markup such as ``[bold]``
is *not* touched: the UI renders stored text literally.
"""

from __future__ import annotations

import re

__all__ = ["clean_optional", "clean_paste", "clean_text", "strip_sequences"]

# Escape sequences, longest forms first. 7-bit and 8-bit introducers share a
# body; string sequences end at BEL, ST (ESC \) or the 8-bit ST (\x9c).
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI ... final
    # OSC, DCS, SOS, PM, APC ... BEL or ST
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]"  # ESC [intermediates] final (also a bare introducer)
)

_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")

_REMOVED = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except \t \n, DEL, C1
    "\u061c\u180e\u200b\u200e\u200f"  # bidi marks, invisible separators
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"  # bidi controls, invisibles
    "\ud800-\udfff"  # lone surrogates
)
_UNSAFE = re.compile(f"[{_REMOVED}]")


def strip_sequences(value: str) -> str:
    """*value* without its terminal escape sequences; everything else, controls
    included, as it was (what a bracketed paste's body needs before a terminal
    parser sees it: screens/common/paste.py)."""
    return _SEQUENCE.sub("", value)


def _clean(value: str, multiline: bool) -> str:
    text = _LINE_BREAK.sub("\n" if multiline else " ", strip_sequences(value))
    return _UNSAFE.sub("", text)


def clean_paste(value: str, *, multiline: bool) -> str:
    """Pasted text as it goes into a field: cleaned as :func:`clean_text`, but with
    its surrounding whitespace kept (a paste may land mid-sentence) and, in a
    one-line field, tabs as spaces. Every printable character is kept."""
    text = _clean(value, multiline)
    return text if multiline else text.replace("\t", " ")


def clean_text(value: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """Return *value* with escape sequences, controls and spoofing characters
    removed, line breaks normalised, surrounding whitespace stripped and the
    result cut to *max_length* characters. Idempotent. Services never pass
    *max_length* for what they store: too long is refused (calllog/limits.py)."""
    text = _clean(value, multiline).strip()
    if max_length is not None and len(text) > max_length:
        text = text[: max(max_length, 0)].rstrip()
    return text


def clean_optional(
    value: str | None, *, multiline: bool = False, max_length: int | None = None
) -> str | None:
    """:func:`clean_text` for optional fields: ``None`` for ``None`` or for
    text that is empty once cleaned."""
    if value is None:
        return None
    return clean_text(value, multiline=multiline, max_length=max_length) or None
