"""PRIV1: an enquiry's notes are read by the parent's supporter alone; a supervisor
reaches them only through an audited, reasoned supervision access the profile allows;
under Northamptonshire's profile nobody else reaches them at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from calllog import policy
from calllog.clock import utcnow
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.errors import InvalidInput, NotAllowed
from calllog.models import AuditEvent
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor, Role
from calllog.services import families, notes, queue
from calllog.services.enquiries import ChildDetails, NewEnquiry, log_enquiry
from tests.conftest import sign_in
from tests.queuefixtures import add_enquiry, add_family, add_second_adviser

NOTE = "Mum is worried about the annual review; private detail 7731"

SURREY = load_profile("surrey-pwp")
NORTHANTS = load_profile("northamptonshire-iass")


def _actor(id: int, role: Role, dbs: bool = True) -> Actor:
    return Actor(id, f"user{id}", f"User {id}", role, dbs)


ADVISER_A, ADVISER_B = _actor(2, Role.ADVISER), _actor(5, Role.ADVISER)
SUPERVISOR, ADMIN = _actor(3, Role.SUPERVISOR), _actor(1, Role.ADMINISTRATOR)


# --- the rule, as a table ---------------------------------------------------------------


@pytest.mark.parametrize(("family_id", "supporter", "assigned", "recorded", "reader"), [
    (10, 2, 5, 5, 2),  # a family's notes: its supporter, whoever wrote or holds it
    (10, None, 2, 2, None),  # a family with no supporter: nobody yet
    (None, None, 5, 2, 5),  # anonymous: the adviser it is assigned to
    (None, None, None, 2, 2),  # anonymous, unassigned: the adviser who recorded it
])
def test_priv1_notes_reader_table(family_id: int | None, supporter: int | None,
                                  assigned: int | None, recorded: int, reader: int | None
                                  ) -> None:
    assert policy.notes_reader(family_id=family_id, family_supporter_id=supporter,
                               assigned_to=assigned, recorded_by=recorded) == reader


@pytest.mark.parametrize(("actor", "profile", "reason", "allowed"), [
    (ADVISER_A, SURREY, None, True),  # the reader
    (ADVISER_A, NORTHANTS, None, True),
    (ADVISER_B, SURREY, None, False),
    (ADVISER_B, SURREY, "a long enough reason", False),  # advisers have no such access
    (SUPERVISOR, SURREY, None, False),  # not without a reason
    (SUPERVISOR, SURREY, "too short", False),
    (SUPERVISOR, SURREY, "case review with the parent's supporter away", True),
    (SUPERVISOR, NORTHANTS, "case review with the parent's supporter away", False),
    (ADMIN, SURREY, "case review with the parent's supporter away", False),
    (_actor(3, Role.SUPERVISOR, dbs=False), SURREY, "a long enough reason", False),
])
def test_priv1_may_read_notes_table(actor: Actor, profile: Profile, reason: str | None,
                                    allowed: bool) -> None:
    decision = policy.may_read_notes(actor, ADVISER_A.id, profile, supervision_reason=reason)
    assert decision.allowed is allowed, decision.reason


def test_priv1_refusals_say_what_is_missing() -> None:
    assert "supervision access" in policy.may_read_notes(SUPERVISOR, 2, SURREY).reason
    assert "10 characters" in policy.may_read_notes(SUPERVISOR, 2, SURREY, "short").reason
    refused = policy.may_use_supervision_access(SUPERVISOR, NORTHANTS)
    assert not refused and "no supervision access" in refused.reason
    assert policy.supervision_reason_problem("   x  \n ") is not None
    assert policy.supervision_reason_problem("ten chars!") is None


# --- the family record ------------------------------------------------------------------


def test_priv1_author_who_is_not_the_supporter_cannot_read(store: Store, adviser: Actor,
                                                           supervisor: Actor) -> None:
    """Northamptonshire: "seen only by the parent's parental supporter" — not by
    whoever happened to take the call."""
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    add_enquiry(store, recorded_by=bea.id, family_id=family, assigned_to=bea.id, notes=NOTE)
    mine = families.open_family(store, adviser, family)
    assert mine.contacts[0].notes == NOTE and not mine.contacts[0].notes_hidden
    for other in (bea, supervisor, sign_in(store, "admin")):
        record = families.open_family(store, other, family)
        assert record.contacts[0].notes is None and record.contacts[0].notes_hidden
        assert NOTE not in repr(record)


def test_priv1_reassigning_the_family_moves_the_notes(store: Store, adviser: Actor,
                                                      supervisor: Actor) -> None:
    bea = add_second_adviser(store)
    saved = log_enquiry(store, adviser, SURREY, NewEnquiry(
        started_at=utcnow(), outcome="CALLBACK", notes=NOTE,
        children=(ChildDetails(name="Alex Testchild"),)))
    assert saved.family_id is not None
    queue.assign(store, supervisor, saved.enquiry_id, bea.id, make_supporter=True)
    assert families.open_family(store, bea, saved.family_id).contacts[0].notes == NOTE
    assert families.open_family(store, adviser, saved.family_id).contacts[0].notes is None


def test_priv1_anonymous_enquiry_detail(store: Store, adviser: Actor, supervisor: Actor
                                        ) -> None:
    bea = add_second_adviser(store)
    enquiry = add_enquiry(store, recorded_by=adviser.id, notes=NOTE)
    assert queue.open_enquiry(store, adviser, SURREY, enquiry).notes == NOTE
    shown = queue.open_enquiry(store, supervisor, SURREY, enquiry)
    assert shown.notes is None and shown.notes_hidden
    with pytest.raises(NotAllowed):  # not hers at all
        queue.open_enquiry(store, bea, SURREY, enquiry)
    queue.assign(store, supervisor, enquiry, bea.id)
    assert queue.open_enquiry(store, bea, SURREY, enquiry).notes == NOTE
    assert queue.open_enquiry(store, adviser, SURREY, enquiry).notes is None
    with store.read() as session:
        viewed = session.exec(select(AuditEvent).where(
            AuditEvent.action == "enquiry_viewed")).all()
    assert {v.actor_id for v in viewed} == {adviser.id, supervisor.id, bea.id}


def test_priv1_queue_rows_never_hold_notes(store: Store, adviser: Actor,
                                           supervisor: Actor) -> None:
    add_enquiry(store, recorded_by=adviser.id, assigned_to=adviser.id, notes=NOTE)
    (row,) = queue.QueueReader(store, adviser, SURREY, queue.QueueQuery()).page().rows
    assert row.has_notes and NOTE not in repr(row)


# --- supervision access -----------------------------------------------------------------


def _audit(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.id))))


def test_priv1_supervision_access_needs_a_reason_and_is_audited(
    store: Store, adviser: Actor, supervisor: Actor
) -> None:
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    enquiry = add_enquiry(store, recorded_by=adviser.id, family_id=family, notes=NOTE)
    before = len(_audit(store))
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        notes.open_for_supervision(store, supervisor, SURREY, reason="   short  ",
                                   family_id=family)
    assert len(_audit(store)) == before  # nothing was opened
    reason = "Case review: supporter on leave, parent chasing tribunal date"
    opened = notes.open_for_supervision(store, supervisor, SURREY, reason=reason,
                                        family_id=family)
    assert opened.notes == {enquiry: NOTE}
    row = _audit(store)[-1]
    assert (row.id, row.action, row.actor_id, row.entity, row.entity_id, row.reason) == (
        opened.audit_id, "notes_supervision_access", supervisor.id, "family", family, reason)
    assert all(NOTE not in (r.reason or "") for r in _audit(store))  # never the note text


def test_priv1_supervision_access_refused_to_advisers_audited(
    store: Store, adviser: Actor
) -> None:
    bea = add_second_adviser(store)
    family = add_family(store, supporter_id=adviser.id, created_by=adviser.id)
    add_enquiry(store, recorded_by=adviser.id, family_id=family, notes=NOTE)
    with pytest.raises(NotAllowed, match="Only a supervisor"):
        notes.open_for_supervision(store, bea, SURREY, reason="I would like to read it",
                                   family_id=family)
    row = _audit(store)[-1]
    assert (row.action, row.actor_id, row.entity_id) == ("access_refused", bea.id, family)


@pytest.fixture
def northants(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'northants.sqlite3'}")
    ensure_demo(store, "northamptonshire-iass")
    return store


def test_priv1_northamptonshire_no_supervision_access_by_any_route(northants: Store) -> None:
    adviser, supervisor = sign_in(northants, "adviser"), sign_in(northants, "supervisor")
    family = add_family(northants, supporter_id=adviser.id, created_by=adviser.id)
    enquiry = add_enquiry(northants, recorded_by=adviser.id, family_id=family, notes=NOTE)
    anonymous = add_enquiry(northants, recorded_by=adviser.id, notes=NOTE)
    reason = "Case review: supporter on leave, parent chasing tribunal date"
    assert not notes.supervision_access(supervisor, NORTHANTS)
    for where in ({"family_id": family}, {"enquiry_id": enquiry}, {"enquiry_id": anonymous}):
        with pytest.raises(NotAllowed, match="no supervision access"):
            notes.open_for_supervision(northants, supervisor, NORTHANTS, reason=reason,
                                       **where)
        assert _audit(northants)[-1].action == "access_refused"
    assert families.open_family(northants, supervisor, family).contacts[0].notes is None
    assert queue.open_enquiry(northants, supervisor, NORTHANTS, anonymous).notes is None
    assert families.open_family(northants, adviser, family).contacts[0].notes == NOTE
    assert not any(r.action == "notes_supervision_access" for r in _audit(northants))
