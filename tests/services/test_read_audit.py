"""ACC6 (issue 16, item 5): every read of a family's personal data writes a
``family_viewed`` row saying what was read, through one guard
(``guard.read_family``), not by each function remembering to.

The first test reads the services' source: a public function that passes the
family gate (``require_open_family``) and writes nothing is a read, and fails the
test unless it goes through ``read_family`` or is listed below with the reason it
needs no row of its own. The others call each read the issue found unaudited and
count the rows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlmodel import col, select

from calllog.db import Store
from calllog.models import AuditEvent
from calllog.profiles import Profile
from calllog.roles import Actor
from calllog.services import (
    agencies,
    attendance,
    disclosures,
    parties,
    safeguarding,
)
from tests.consentfixtures import new_family, open_service, staff, two_parties

SERVICES = Path(__file__).resolve().parents[2] / "calllog" / "services"

NO_ROW_OF_THEIR_OWN = {
    "safeguarding.family_flag": "shown only on the family record, whose opening "
                                "(families.open_family) writes the family_viewed row",
    "disclosures.preview": "returns only the policy engine's decision on a draft (allowed "
                           "or not, and why), no family details",
}


def _calls(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            names.add(target.attr if isinstance(target, ast.Attribute)
                      else target.id if isinstance(target, ast.Name) else "")
    return names


def _unaudited_reads() -> list[str]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            calls = _calls(node)
            if "require_open_family" not in calls:
                continue
            if calls & {"write", "read_family", "record_family_reads"}:
                continue
            found.append(f"{path.stem}.{node.name}")
    return found


def test_acc6_every_read_of_a_family_goes_through_the_read_guard() -> None:
    unaudited = [name for name in _unaudited_reads() if name not in NO_ROW_OF_THEIR_OWN]
    assert unaudited == [], "reads a family without an audit row: use guard.read_family"
    assert set(NO_ROW_OF_THEIR_OWN) <= set(_unaudited_reads())  # no stale exceptions


def _views(store: Store, family_id: int) -> list[str | None]:
    with store.read() as session:
        return list(session.exec(
            select(AuditEvent.reason).where(AuditEvent.action == "family_viewed",
                                            AuditEvent.entity_id == family_id)
            .order_by(col(AuditEvent.id))).all())


@pytest.fixture
def surrey(tmp_path: Path) -> tuple[Store, Profile, Actor, int]:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    return store, profile, adviser, new_family(store, adviser, profile)


def test_acc6_disclosures_agency_information_and_overrides_reads_are_audited(
    surrey: tuple[Store, Profile, Actor, int]
) -> None:
    store, _profile, adviser, family = surrey
    before = _views(store, family)
    disclosures.family_disclosures(store, adviser, family)
    agencies.family_agency_information(store, adviser, family)
    safeguarding.family_overrides(store, adviser, family)
    assert _views(store, family)[len(before):] == [
        "disclosures", "agency information", "safeguarding overrides"]


def test_acc6_overrides_waiting_for_review_are_a_read_of_each_family(
    surrey: tuple[Store, Profile, Actor, int]
) -> None:
    from tests.queuefixtures import flag_family

    store, _profile, adviser, family = surrey
    _, supervisor, *_ = staff(store)
    assert adviser.id is not None
    flag_family(store, family, adviser.id)
    before = _views(store, family)
    assert safeguarding.unreviewed_overrides(store, supervisor)
    assert _views(store, family)[len(before):] == ["unreviewed overrides"]


def test_acc6_contact_centre_party_view_and_register_reads_are_audited(
    tmp_path: Path
) -> None:
    store, profile, adviser, family = two_parties(tmp_path, "cordomus-ccc")
    before = _views(store, family)
    parties.party_view(store, adviser, profile, family, "parent")
    attendance.register(store, adviser, profile, family)
    assert _views(store, family)[len(before):] == ["parent party view", "attendance register"]
