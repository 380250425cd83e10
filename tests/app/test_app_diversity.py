"""REC4 through the app: the diversity questions (Surrey's) are asked only when the
adviser opens them (ctrl+g), a conditional question appears only once its condition
is answered, every answer is stored as its code, and a draft brings them back. The
questions are made when first opened, so a new enquiry opens without them."""

from __future__ import annotations

from sqlmodel import select

from calllog.db import Store
from calllog.models import DiversityAnswer
from screens.common.widgets import PickField
from tests.apphelpers import log_in, make_app, new_enquiry, settle, type_text

SIZE = (80, 24)


async def _answer(pilot: object, question: str, typed: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    app.screen.query_one(f"#div-{question}", PickField).focus_input()
    await type_text(pilot, typed)  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_rec4_diversity_asked_on_request_conditional_and_stored_as_codes(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        form = await new_enquiry(pilot, topic="tribunal", outcome="info")
        assert not form.query("#diversity PickField")  # not made until asked for
        await pilot.press("ctrl+g")
        await settle(pilot)
        section = form.query_one("#diversity")
        assert section.display
        assert app.focused is form.query_one("#div-ethnicity", PickField).input
        assert not form.query_one("#div-disability_type", PickField).display
        await _answer(pilot, "ethnicity", "prefer not")
        await _answer(pilot, "disability", "yes")
        assert form.query_one("#div-disability_type", PickField).display
        await pilot.press("ctrl+s")
        await settle(pilot)
    with store.read() as session:
        stored = {(a.question, a.answer) for a in session.exec(select(DiversityAnswer))}
    assert stored == {("ethnicity", "PNS"), ("disability", "YES")}


async def test_rec4_no_diversity_stored_when_never_asked(store: Store, db_url: str) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await new_enquiry(pilot, topic="tribunal", outcome="info")
        await pilot.press("ctrl+s")
        await settle(pilot)
    with store.read() as session:
        assert not session.exec(select(DiversityAnswer)).all()


async def test_rec4_rec7_diversity_answers_come_back_with_the_draft(
    store: Store, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await new_enquiry(pilot, topic="tribunal")
        await pilot.press("ctrl+g")
        await settle(pilot)
        await _answer(pilot, "disability", "yes")
        await pilot.press("ctrl+l")  # the lock keeps the form as a draft
        await settle(pilot)
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        await pilot.press("r")  # resume the draft
        await settle(pilot)
        form = app.screen
        assert form.query_one("#diversity").display
        assert form.query_one("#div-disability", PickField).values == ["YES"]
        assert form.query_one("#div-disability_type", PickField).display
