"""REC7: the draft timer reads the form every second, whatever else is under way. A
child's form being added (its fields not made yet) or taken down (a returning family
chosen: the typed children go) is skipped, not read: reading it killed the app with
``NoMatches: '#child-0-name'`` (seen once in a full run)."""

from __future__ import annotations

from screens.common.familyform import ChildForm, FamilyForm
from tests.apphelpers import log_in, make_app, new_enquiry, settle

SIZE = (80, 24)


async def test_rec7_draft_read_while_a_child_is_added_or_removed_never_fails(
    store: object, db_url: str
) -> None:
    app = make_app(db_url)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "adviser")
        form = await new_enquiry(pilot, topic="tribunal")
        family = form.query_one(FamilyForm)
        children = family.query_one("#children")
        before = len(family.get_state()["children"])
        adding = children.mount(ChildForm(before, family.profile, {}))  # not awaited
        assert len(family.get_state()["children"]) == before  # still being made: skipped
        assert form.draft_payload() is not None
        await adding
        assert len(family.get_state()["children"]) == before + 1
        removing = family.query(ChildForm).remove()  # not awaited
        family.get_state()
        form.draft_payload()
        await removing
        await settle(pilot)
        assert family.get_state()["children"] == []
