"""REL2: ``calllog audit verify`` checks the store, not only the chain: read-only
(never creates, migrates or writes), integrity first, "not a calllog database" for
empty and foreign files, the append-only triggers, then every chain break, each
problem with where it is."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from calllog.cli import main
from calllog.db import Store
from tests.conftest import sign_in
from tests.storefixtures import as_other_account, shared_folder

__all__ = ["shared_folder"]  # a fixture

NOT_CALLLOG = (
    "calllog: 1 problem in {path}:\n"
    "  the file: {path} is not a calllog database; calllog has not changed it. Check the "
    "path (--db or CALLLOG_DATABASE_URL); if it was a calllog database, it is damaged: "
    "restore it from the last backup (README: When the store fails).\n"
)


def _verify(capsys: pytest.CaptureFixture[str], db_file: Path) -> tuple[int, str, str]:
    """Run ``calllog audit verify`` and check it changed nothing: same bytes, same
    modification time. Returns the exit status, stdout and stderr."""
    before = (db_file.read_bytes(), db_file.stat().st_mtime_ns) if db_file.exists() else None
    code = main(["audit", "verify", "--db", str(db_file)])
    after = (db_file.read_bytes(), db_file.stat().st_mtime_ns) if db_file.exists() else None
    assert after == before
    out, err = capsys.readouterr()
    return code, out, err


def _raw(db_file: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db_file)
    conn.isolation_level = None
    return conn


@pytest.fixture
def closed(store: Store, db_path: Path) -> Path:
    """The demo service with some activity, closed (its WAL checkpointed)."""
    sign_in(store, "adviser")
    store.close()
    return db_path


def test_rel2_intact_store_reports_every_check(
    closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _verify(capsys, closed)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Audit log intact: ") and "Chain head: " in lines[0]
    assert lines[1] == "Store checked: integrity ok, schema 0004, append-only triggers present."


def test_rel2_corrupt_page_fails_integrity_check_not_intact(
    closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(closed)
    root, page_size = conn.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
        "WHERE name = 'staff'").fetchone()
    conn.close()
    with closed.open("r+b") as file:  # garbage in the middle of the staff table's page
        file.seek((root - 1) * page_size + 8)
        file.write(bytes(range(200)))  # the same damage every run
    code, _out, err = _verify(capsys, closed)
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith("calllog: ") and f"problems in {closed}:" in lines[0]
    integrity = [line for line in lines if line.startswith("  integrity_check: ")]
    assert any(f"page {root}" in line for line in integrity)
    assert integrity[-1] == ("  integrity_check: the database is damaged: restore it from the "
                             "last backup (README: When the store fails)")
    assert "intact" not in err


def test_rel2_empty_file_not_a_calllog_database_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_file = tmp_path / "calllog.sqlite3"
    db_file.touch(mode=0o600)
    code, out, err = _verify(capsys, db_file)
    assert (code, out) == (1, "")
    assert err == (
        f"calllog: 1 problem in {db_file}:\n"
        f"  the file: {db_file} is an empty file, not a calllog database; calllog has not "
        "changed it. Check the path; to set up a new service there, delete the empty file "
        f"and run: calllog init --db {db_file}; if it was a calllog database, restore it "
        "from the last backup (README: When the store fails).\n")
    assert db_file.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calllog.sqlite3"]


def test_rel2_foreign_sqlite_file_not_a_calllog_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_file = tmp_path / "recipes.sqlite3"
    conn = _raw(db_file)
    conn.execute("CREATE TABLE recipe (name TEXT)")
    conn.close()
    code, out, err = _verify(capsys, db_file)
    assert (code, out) == (1, "")
    assert err == NOT_CALLLOG.format(path=db_file)


def test_rel2_missing_path_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_file = tmp_path / "nowhere.sqlite3"
    code, out, err = _verify(capsys, db_file)
    assert (code, out) == (2, "")
    assert err == f"calllog: no database at {db_file}; nothing was created\n"
    assert list(tmp_path.iterdir()) == []


def test_rel2_dropped_trigger_and_edited_rows_all_reported_with_where(
    closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(closed)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET reason = 'edited' WHERE id = 2")
    conn.execute("UPDATE audit_event SET action = 'logout' WHERE id = 4")
    conn.close()
    code, out, err = _verify(capsys, closed)
    assert (code, out) == (1, "")
    assert err == (
        f"calllog: 3 problems in {closed}:\n"
        "  trigger audit_event_no_update: missing: the audit log is no longer protected from "
        "changes; someone altered the database: compare with the last backup\n"
        "  audit_event row 2: content does not match its hash\n"
        "  audit_event row 4: content does not match its hash\n"
        "Audit log BROKEN at row 2: content does not match its hash. 1 rows before it are "
        "intact.\n")


def test_rel2_trigger_that_no_longer_refuses_is_reported(
    closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(closed)
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                 "BEGIN SELECT 1; END")
    conn.close()
    code, _out, err = _verify(capsys, closed)
    assert code == 1
    assert err.splitlines()[1] == ("  trigger audit_event_no_delete: no longer refuses changes "
                                   "to the audit log")


def test_rel2_older_schema_reported_never_migrated(
    closed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(closed)
    conn.execute("UPDATE alembic_version SET version_num = '0003'")
    conn.close()
    code, _out, err = _verify(capsys, closed)
    assert code == 1
    assert err.splitlines()[1] == ("  alembic_version: schema 0003 is older than this "
                                   "calllog's 0004: run calllog db upgrade, then verify again")


def test_rel2_verify_checks_a_backup_in_a_read_only_folder(
    closed: Path, shared_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup on read-only media can be checked: verify needs no write access."""
    backup = shared_folder / "backup"
    backup.mkdir()
    copy = backup / "calllog.sqlite3"
    shutil.copy(closed, copy)
    copy.chmod(0o400)
    backup.chmod(0o500)
    with as_other_account(shared_folder):
        code, out, err = _verify(capsys, copy)
    assert (code, err) == (0, "")
    assert out.startswith("Audit log intact")
    assert sorted(p.name for p in backup.iterdir()) == ["calllog.sqlite3"]
