"""REL3 (issue 15) in the app: nothing typed is cut or dropped without a word.

- One-line fields refuse a key or a paste past their limit and say why beside the
  field; a paste's lines and tabs become spaces and its escape sequences go, all
  its text is kept.
- The enquiry note counts as its limit nears, refuses more with a message, and a
  note over the limit (an older draft) is refused at save with the form kept open,
  everything in it, ready to save again once shortened.
- A paste carrying escape sequences into the note is saved with all its text.

Synthetic people and words only.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import TextArea

from calllog import limits
from calllog.db import Store
from calllog.models import Enquiry
from screens.common.limited import NoteArea
from screens.common.widgets import TextField
from screens.enquiry.form import EnquiryScreen
from screens.session.home import HomeScreen
from tests.apphelpers import log_in, make_app, settle, type_text

SIZE = (80, 24)
ESCAPED = ("Mum said \x1b[31mred\x1b[0m and \x1b]8;;http://x.test\x1b\\the link\x1b]8;;\x1b\\"
           " and\ttabs\r\nsecond line \x1b[1mbold\x1b[22m end")
FULL = "This field is full: the most is 20 characters. Nothing more was added."


class FieldApp(App[None]):
    """One field of each kind, alone: the widgets' own behaviour."""

    def compose(self) -> ComposeResult:
        yield TextField("Name", id="name", max_length=20)
        yield NoteArea("", max_length=100, id="note")


def messages(app: App[Any]) -> list[str]:
    return [n.message for n in app._notifications]


def field(app: App[Any]) -> TextField:
    return app.query_one("#name", TextField)


def error_shown(app: App[Any]) -> str:
    shown = field(app)
    return shown.error or "" if shown.has_class("-error") else ""


async def paste(pilot: Pilot[Any], text: str) -> None:
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


# --- one-line fields ----------------------------------------------------------------------


async def test_rel3_typing_past_a_fields_limit_is_refused_and_said() -> None:
    app = FieldApp()
    async with app.run_test() as pilot:
        field(app).focus_input()
        await type_text(pilot, "Zephyrine Testparent-Long")  # 25 characters
        assert field(app).value == "Zephyrine Testparent"  # the first 20, nothing else
        assert error_shown(app) == FULL
        await pilot.press("backspace")
        assert error_shown(app) == ""  # fixing it: the message goes


async def test_rel3_paste_past_a_fields_limit_is_refused_field_unchanged() -> None:
    app = FieldApp()
    async with app.run_test() as pilot:
        field(app).focus_input()
        await type_text(pilot, "Robin")
        await paste(pilot, " Testparent-Extralongname")
        assert field(app).value == "Robin"  # nothing cut in: the whole paste refused
        assert error_shown(app) == (
            "The paste is 25 characters: with it this field would hold 30, and the most "
            "is 20. Nothing was added; shorten it and paste again.")


async def test_rel3_multiline_paste_into_a_field_keeps_every_line() -> None:
    """Textual's Input keeps only a paste's first line; calllog keeps them all."""
    app = FieldApp()
    async with app.run_test() as pilot:
        field(app).focus_input()
        await paste(pilot, "Kit\x1b[1m\tRow\r\nTest\nchild")
        assert field(app).value == "Kit Row Test child"
        assert error_shown(app) == ""


# --- the note's counter ------------------------------------------------------------------------


async def test_rel3_note_counter_shows_near_the_limit_and_red_over_it() -> None:
    app = FieldApp()
    async with app.run_test() as pilot:
        note = app.query_one("#note", NoteArea)
        note.load_text("a" * 89)
        await pilot.pause()
        assert not note.border_subtitle
        note.load_text("a" * 90)
        await pilot.pause()
        assert (note.border_subtitle, note.has_class("-near")) == ("90 / 100", True)
        note.load_text("a" * 120)  # from elsewhere (an older draft): kept, shown over
        await pilot.pause()
        assert note.text == "a" * 120
        assert (note.border_subtitle, note.has_class("-over")) == ("120 / 100", True)


async def test_rel3_note_refuses_keys_and_pastes_past_the_limit_and_says_so() -> None:
    app = FieldApp()
    async with app.run_test() as pilot:
        note = app.query_one("#note", NoteArea)
        note.focus()
        note.load_text("b" * 98)
        note.move_cursor(note.document.end)
        await type_text(pilot, "cdef")
        assert note.text == "b" * 98 + "cd"
        assert messages(app) == [
            "This field is full: the most is 100 characters. Nothing more was added."]
        await type_text(pilot, "gh")  # said once, not at every key
        assert len(messages(app)) == 1
        await pilot.press("backspace", "backspace")
        await paste(pilot, "a paste of 20 letter")
        assert note.text == "b" * 98  # unchanged: nothing of the paste cut in
        assert messages(app)[-1] == (
            "The paste is 20 characters: with it this field would hold 118, and the most "
            "is 100. Nothing was added; shorten it and paste again.")
        note.select_all()
        await paste(pilot, "replaces it all")  # fits once the selection goes
        assert note.text == "replaces it all"


# --- the enquiry form -----------------------------------------------------------------------


async def open_enquiry(pilot: Pilot[Any]) -> TextArea:
    await log_in(pilot, "adviser")
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EnquiryScreen)
    notes = pilot.app.screen.query_one("#notes", TextArea)
    notes.focus()
    return notes


async def test_rel3_paste_with_escape_sequences_saved_with_all_its_text(
        store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        notes = await open_enquiry(pilot)
        await paste(pilot, ESCAPED)
        kept = "Mum said red and the link and\ttabs\nsecond line bold end"
        assert notes.text == kept
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    with store.read() as session:
        (enquiry,) = session.exec(select(Enquiry)).all()
    assert enquiry.notes == kept


async def test_rel3_note_over_the_limit_refused_at_save_form_kept_then_saved(
        store: Store, db_url: str) -> None:
    """A note over the limit (a draft from before the limit) is never cut: the save
    says why, the form stays with every character, and saves once shortened."""
    app = make_app(db_url)
    long_note = "Synthetic call notes. " * 1_200  # 26,400 characters
    async with app.run_test(size=SIZE) as pilot:
        notes = await open_enquiry(pilot)
        notes.load_text(long_note)
        await pilot.pause()
        assert notes.border_subtitle == "26,400 / 20,000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnquiryScreen)  # the form is kept
        assert notes.text == long_note  # with all its text
        assert messages(app)[-1] == ("The note is 26,399 characters; the most is 20,000. "
                                     "Nothing was saved; shorten it and save again.")
        assert app.focused is notes  # the cursor is where the problem is
        with store.read() as session:
            assert session.exec(select(Enquiry)).all() == []
        notes.load_text(long_note[:limits.NOTE])
        await pilot.press("ctrl+s")  # shortened: saved whole
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    with store.read() as session:
        (enquiry,) = session.exec(select(Enquiry)).all()
    assert enquiry.notes == long_note[:limits.NOTE].strip()


async def test_rel3_pasting_100000_characters_into_the_note_is_refused_and_said(
        store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        notes = await open_enquiry(pilot)
        await type_text(pilot, "Mum rang")
        await paste(pilot, "x" * 100_000)
        assert notes.text == "Mum rang"
        assert messages(app)[-1] == (
            "The paste is 100,000 characters: with it this field would hold 100,008, and "
            "the most is 20,000. Nothing was added; shorten it and paste again.")
        assert app.focused is notes
