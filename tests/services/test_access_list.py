"""ACC6: who has seen a family's record, drawn from the audit log alone, for
supervisors and the family's supporter, so a parent can be told."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from calllog import audit
from calllog.audit import Action
from calllog.db import Store
from calllog.errors import NotAllowed
from calllog.models import AuditEvent
from calllog.profiles import load_profile
from calllog.roles import Actor
from calllog.services import access, families, notes, queue
from tests.conftest import sign_in
from tests.queuefixtures import add_enquiry, add_family, add_second_adviser, flag_family

SURREY = load_profile("surrey-pwp")


def _about_family(store: Store, family_id: int, enquiry_ids: list[int],
                  override_id: int) -> list[int]:
    """The audit rows about the family, read straight from the log."""
    with store.read() as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    return [r.id for r in rows
            if (r.entity == "family" and r.entity_id == family_id)
            or (r.entity == "enquiry" and r.entity_id in enquiry_ids)
            or (r.entity == "safeguarding_override" and r.entity_id == override_id)]


def test_acc6_access_list_lists_exactly_the_audited_events(
    store: Store, adviser: Actor, supervisor: Actor
) -> None:
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    other_family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    first = add_enquiry(store, recorded_by=adviser.id, family_id=family, notes="note")
    second = add_enquiry(store, recorded_by=bea.id, family_id=family)
    override = flag_family(store, family, supervisor.id)
    with store.write() as session:
        audit.record(session, Action.OVERRIDE_MADE, actor_id=supervisor.id,
                     entity=audit.Entity("safeguarding_override"), entity_id=override)
    families.open_family(store, adviser, family)
    families.open_family(store, bea, family)
    families.open_family(store, supervisor, other_family)  # another family: not listed
    queue.assign(store, supervisor, second, adviser.id)
    queue.set_callback(store, adviser, second, None)
    notes.open_for_supervision(store, supervisor, SURREY, family_id=family,
                               reason="Supporter away; parent called about review")
    entries = access.access_list(store, supervisor, family)
    expected = _about_family(store, family, [first, second], override)
    assert [e.audit_id for e in entries] == expected  # including this viewing itself
    assert [(e.staff_name, e.what) for e in entries] == [
        ("Sam Supervisor", "override made"),
        ("Ash Adviser", "viewed the record"),
        ("Bea Adviser", "viewed the record"),
        ("Sam Supervisor", "assigned a contact"),
        ("Ash Adviser", "set a callback date"),
        ("Sam Supervisor", "read notes (supervision access)"),
        ("Sam Supervisor", "viewed who has seen the record"),
    ]
    assert entries[5].reason == "Supporter away; parent called about review"
    assert {e.role for e in entries} == {"adviser", "supervisor"}


def test_acc6_supporter_may_see_it_other_advisers_may_not(store: Store, adviser: Actor
                                                          ) -> None:
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    assert access.access_list(store, adviser, family)  # the supporter
    with pytest.raises(NotAllowed, match="supervisors"):
        access.access_list(store, bea, family)
    with store.read() as session:
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last is not None and (last.action, last.actor_id, last.entity_id) == (
        "access_refused", bea.id, family)
    newstarter = sign_in(store, "newstarter")
    with pytest.raises(NotAllowed, match="DBS"):
        access.access_list(store, newstarter, family)


def test_acc6_every_family_table_is_linked() -> None:
    """Rows of any table that belongs to a family count as the family's (a new table
    with a family_id is picked up without touching the access list)."""
    linked = access.linked_tables()
    assert {"enquiry", "safeguarding_override", "person", "child"} <= set(linked)
    assert "search_key" not in linked
