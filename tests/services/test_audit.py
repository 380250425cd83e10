"""ACC6: the audit log is append-only and tamper-evident."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from calllog import audit
from calllog.db import Store
from calllog.models import AuditEvent, Staff
from tests.conftest import sign_in


def _verify(store: Store) -> audit.VerifyResult:
    with store.read() as session:
        return audit.verify(session)


def _raw(db_path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)
    conn.isolation_level = None
    return conn


def test_acc6_chain_verifies_after_real_activity(store: Store) -> None:
    sign_in(store, "adviser")
    result = _verify(store)
    assert result.ok and result.rows > 5
    assert len(result.head) == 64


def test_acc6_update_and_delete_refused_by_triggers(store: Store, db_path: Path) -> None:
    conn = _raw(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_event SET reason = 'x' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_event WHERE id = 1")
    assert _verify(store).ok


def _drop_triggers(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("DROP TRIGGER audit_event_no_delete")


def test_acc6_verify_names_edited_row(store: Store, db_path: Path) -> None:
    conn = _raw(db_path)
    _drop_triggers(conn)
    conn.execute("UPDATE audit_event SET action = 'logout' WHERE id = 3")
    result = _verify(store)
    assert not result.ok
    assert result.first_bad_id == 3
    assert result.rows == 2


def test_acc6_verify_names_deleted_row(store: Store, db_path: Path) -> None:
    conn = _raw(db_path)
    _drop_triggers(conn)
    conn.execute("DELETE FROM audit_event WHERE id = 4")
    result = _verify(store)
    assert not result.ok and result.first_bad_id == 4
    assert "missing" in (result.problem or "")


def test_acc6_verify_names_inserted_row(store: Store, db_path: Path) -> None:
    conn = _raw(db_path)
    _drop_triggers(conn)
    last_id, last_hash = conn.execute(
        "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"
    ).fetchone()
    conn.execute(
        "INSERT INTO audit_event (id, at, actor_id, action, prev_hash, hash) "
        "VALUES (?, '2026-01-01T00:00:00.000000Z', 1, 'login', ?, ?)",
        (last_id + 1, last_hash, "f" * 64),
    )
    result = _verify(store)
    assert not result.ok and result.first_bad_id == last_id + 1


def test_acc6_rows_cut_from_the_end_caught_by_published_head(
    store: Store, db_path: Path
) -> None:
    head = _verify(store).head
    conn = _raw(db_path)
    _drop_triggers(conn)
    conn.execute("DELETE FROM audit_event WHERE id = (SELECT MAX(id) FROM audit_event)")
    with store.read() as session:
        assert not audit.verify(session, expect_head=head).ok
        assert audit.verify(session).ok  # the chain alone cannot see a cut tail


def test_acc6_rows_hold_ids_never_names_or_passwords(store: Store) -> None:
    sign_in(store, "adviser")
    with store.read() as session:
        names = {s.username for s in session.exec(select(Staff))} | {
            s.display_name for s in session.exec(select(Staff))
        }
        rows = list(session.exec(select(AuditEvent)))
    text = " ".join(
        f"{r.action} {r.entity} {r.reason}" for r in rows
    )
    for secret in names | {"adviser-demo-password"}:
        assert secret not in text


def test_acc6_audit_row_rolls_back_with_its_change(store: Store) -> None:
    before = _verify(store).rows
    with pytest.raises(RuntimeError), store.write() as session:
        audit.record(session, audit.Action.STAFF_DISABLED, actor_id=1, entity=audit.Entity.STAFF,
                     entity_id=2)
        raise RuntimeError("the change failed")
    assert _verify(store).rows == before
