"""PRIV3 and safety: every text field, fed markup and ANSI/OSC sequences, is stored
stripped of control characters and rendered literally (hypothesis)."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from calllog.clock import utcnow
from calllog.db import Store
from calllog.profiles import load_profile
from calllog.roles import Actor
from calllog.services import families
from calllog.services.enquiries import ChildDetails, NewEnquiry, ParentDetails, log_enquiry
from calllog.text import clean_text
from screens.family.render import render_record

NASTY = ["[/]", "[bold", "[bold]x[/bold]", "[link=https://x]y", "\x1b]52;c;ZXZpbA==\x07",
         "\x1b[2J", "\x1b[6n", "\x9b2J", "\x9d0;title\x9c", "\x1b]0;PWNED\x07", "\x00", "\x07",
         "\u202e", "\r\n", "\t", "Zoë", "O'Brien-Smith"]
texts = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=6).map("".join)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(record: families.FamilyRecord) -> str:
    console = Console(width=200, color_system=None, force_terminal=False)
    with console.capture() as captured:
        console.print(render_record(record, load_profile("surrey-pwp")))
    return captured.get()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=texts, name=texts, address=texts, child=texts, school=texts)
def test_priv3_fuzz_every_text_field_stored_stripped_shown_literally(
    store: Store, adviser: Actor, note: str, name: str, address: str, child: str, school: str
) -> None:
    saved = log_enquiry(store, adviser, load_profile("surrey-pwp"), NewEnquiry(
        started_at=utcnow(), notes=note, contact_consent=True,
        parent=ParentDetails(name=name, address=address),
        children=(ChildDetails(name=child or "X", school_name=school, dob=date(2015, 3, 4)),)))
    assert saved.family_id is not None
    record = families.open_family(store, adviser, saved.family_id)
    stored = [record.contacts[-1].notes or "", record.parent.name or "" if record.parent else "",
              record.parent.address or "" if record.parent else "",
              record.children[0].name or "", record.children[0].school_name or ""]
    for value in stored:
        assert not CONTROL.search(value.replace("\n", "").replace("\t", "")), repr(value)
        assert "\x1b" not in value
    shown = _plain(record)
    assert "\x1b" not in shown and not CONTROL.search(shown.replace("\n", ""))
    flat = " ".join(shown.split())
    for original in (note, child):
        literal = " ".join(clean_text(original, multiline=True).split())
        if literal:
            assert literal in flat  # markup is shown as typed, never interpreted
