"""REL3 (issue 15): a bracketed paste that carries escape sequences keeps all its
printable text. Textual's own parser loses it (the text after the first ``ESC`` comes
as key presses, docs/textual-notes.md); calllog's parser gives one whole paste."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message

from calllog.text import clean_paste
from screens.common.paste import PasteSafeParser, install_paste_parser

PASTE = ("Mum said \x1b[31mred\x1b[0m and \x1b]8;;http://x.test\x1b\\the link\x1b]8;;\x1b\\"
         " and tabs\there\nsecond line \x1b")
KEPT = "Mum said red and the link and tabs\there\nsecond line "
TYPED = "ab\x1b[200~" + PASTE + "\x1b[201~cd"


def parse(parser: XTermParser, data: str, chunk: int) -> list[Message]:
    out: list[Message] = []
    for start in range(0, len(data), chunk):
        out += parser.feed(data[start:start + chunk])
    out += parser.feed("")
    return out


def shown(messages: list[Message]) -> list[str]:
    return [m.text if isinstance(m, events.Paste) else m.key if isinstance(m, events.Key)
            else type(m).__name__ for m in messages]


def test_rel3_textual_parser_loses_a_paste_after_its_first_escape() -> None:
    """The upstream bug, as found: if this fails, Textual has fixed it and
    screens/common/paste.py can go."""
    messages = parse(XTermParser(), TYPED, 4096)
    pastes = [m.text for m in messages if isinstance(m, events.Paste)]
    assert pastes == ["Mum said "]
    assert "tab" in shown(messages)  # a tab in the paste arrives as the Tab key


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 6, 7, 64, 4096])
def test_rel3_paste_with_escape_sequences_keeps_all_its_text(chunk: int) -> None:
    """Whatever the terminal's chunks, even with a marker split across two."""
    assert shown(parse(PasteSafeParser(), TYPED, chunk)) == ["a", "b", KEPT, "c", "d"]


def test_rel3_input_outside_a_paste_is_untouched() -> None:
    data = "x\x1b[Ay\x1b[1;5Cz\r"
    assert shown(parse(PasteSafeParser(), data, 1)) == shown(parse(XTermParser(), data, 1))


def test_rel3_two_pastes_and_a_paste_left_open_at_the_end() -> None:
    data = "\x1b[200~one\x1b[1m\x1b[201~-\x1b[200~two\x1b"
    assert shown(parse(PasteSafeParser(), data, 3)) == ["one", "minus", "two"]


def test_rel3_paste_left_open_is_passed_on_after_a_second(
        monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("screens.common.paste.time.monotonic", lambda: now[0])
    parser = PasteSafeParser()
    assert list(parser.feed("\x1b[200~half a paste")) == []
    assert list(parser.tick()) == []
    now[0] += 1.5
    assert shown(list(parser.tick())) == ["half a paste"]
    assert shown(list(parser.feed("k"))) == ["k"]  # typing works again


def test_rel3_the_drivers_use_the_paste_safe_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.drivers import linux_driver, linux_inline_driver

    monkeypatch.setattr(linux_driver, "XTermParser", XTermParser)
    monkeypatch.setattr(linux_inline_driver, "XTermParser", XTermParser)
    install_paste_parser()
    assert getattr(linux_driver, "XTermParser") is PasteSafeParser  # noqa: B009
    assert getattr(linux_inline_driver, "XTermParser") is PasteSafeParser  # noqa: B009


@pytest.mark.parametrize(("multiline", "kept"), [
    (True, " Mum said red and the link and tabs\there\nsecond line "),
    (False, " Mum said red and the link and tabs here second line "),
])
def test_rel3_clean_paste_keeps_every_printable_character(multiline: bool, kept: str) -> None:
    """What a field receives from a paste: sequences and controls gone, line breaks
    and tabs as the field allows, the spaces around it kept (it may land mid-word)."""
    assert clean_paste(" " + PASTE.replace("\n", "\r\n") + "\x07", multiline=multiline) == kept
