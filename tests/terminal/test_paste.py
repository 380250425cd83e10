"""REL3 (issue 15) in a real terminal: a bracketed paste carrying escape sequences
(colour codes, a hyperlink, tabs, line breaks) goes into the enquiry note with all
its printable text, the sequences removed, and is saved so. Textual's own parser
turns the text after the first ESC into key presses (tests/unit/test_paste_parser.py,
docs/textual-notes.md).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from calllog.db import Store
from calllog.models import Enquiry
from tests.ptyhelpers import app_env, calllog_argv, pty_app, wait_until
from tests.terminal.test_pty import _log_in_and_type_note

pytestmark = pytest.mark.slow

PASTED = ("Mum said \x1b[31mred\x1b[0m and \x1b]8;;http://x.test\x1b\\the link\x1b]8;;\x1b\\"
          " and\ttabs\r\nsecond line \x1b[1mbold\x1b[22m; a long tail after the last "
          "sequence, longer than Textual's 32-character search, is kept too")
KEPT = ("Typed first. Mum said red and the link and\ttabs\nsecond line bold; a long tail "
        "after the last sequence, longer than Textual's 32-character search, is kept too")


def test_rel3_paste_with_escape_sequences_saved_whole_through_a_real_terminal(
    store: Store, db_path: object
) -> None:
    with pty_app(calllog_argv("--db", str(db_path), "--no-mouse"), app_env()) as app:
        _log_in_and_type_note(app, "Typed first. ")
        app.send("\x1b[200~" + PASTED + "\x1b[201~", pause=0.5)
        mark = len(app.output)
        app.send("\x13")  # ctrl+s: save
        app.wait_for("Enquiry saved", since=mark)

        def saved() -> bool:
            with store.read() as session:
                return bool(session.exec(select(Enquiry)).all())

        wait_until(saved, 5.0, "the enquiry in the database")
    with store.read() as session:
        (enquiry,) = session.exec(select(Enquiry)).all()
    assert enquiry.notes == KEPT
