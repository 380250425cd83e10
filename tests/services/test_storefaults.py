"""REL2: every storage fault in words, with what to do, and exit status 3; nothing
saved before the fault is lost, and nothing is written into a file that is not a
calllog database. Each damaged file is made here, for real."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from calllog import audit
from calllog.db import Store
from calllog.models import AuditEvent
from tests.storefixtures import (
    DiskLimit,
    as_other_account,
    cli,
    damage_table,
    disk,
    shared_folder,
)

__all__ = ["disk", "shared_folder"]  # fixtures

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
NOT_CALLLOG = (
    "calllog: {path} is not a calllog database; calllog has not changed it. Check the path "
    "(--db or CALLLOG_DATABASE_URL); if it was a calllog database, it is damaged: restore "
    "it from the last backup (README: When the store fails).\n"
)


def _audit_rows(store: Store) -> list[AuditEvent]:
    with store.read() as session:
        return list(session.exec(select(AuditEvent)))


def test_rel2_disk_full_says_free_space_exit_3_nothing_saved_is_lost(
    store: Store, db_path: Path, disk: DiskLimit, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved_before = disk.fill(store)
    rows_before = _audit_rows(store)
    code, err = cli(capsys, monkeypatch, db_path, "staff", "disable", "adviser", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: the disk holding {db_path} is full: free space on it, then try "
                   "again. Nothing saved before was lost.\n")
    assert saved_before > 0
    assert _audit_rows(store) == rows_before  # every acknowledged row is still there
    disk.free(store)
    code, err = cli(capsys, monkeypatch, db_path, "staff", "disable", "adviser", "--as", "admin")
    assert (code, err) == (0, "")
    rows = _audit_rows(store)
    assert rows[: len(rows_before)] == rows_before
    assert rows[-1].action == audit.Action.STAFF_DISABLED
    with store.read() as session:
        assert audit.verify(session).ok


def test_rel2_read_only_file_says_so_exit_3(
    store: Store, shared_folder: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    db_file = shared_folder / "calllog.sqlite3"
    shutil.copy(store.url.removeprefix("sqlite:///"), db_file)
    before = db_file.read_bytes()
    db_file.chmod(0o400)
    with as_other_account(shared_folder):
        code, err = cli(capsys, monkeypatch, db_file, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {db_file} is read-only for this account, so nothing can be saved: "
                   f"give this account write access (chmod u+w {db_file}), then try again. "
                   "Nothing saved before was lost.\n")
    assert db_file.read_bytes() == before


def test_rel2_read_only_folder_says_so_exit_3(
    store: Store, shared_folder: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    folder = shared_folder / "data"
    folder.mkdir()
    db_file = folder / "calllog.sqlite3"
    shutil.copy(store.url.removeprefix("sqlite:///"), db_file)
    before = db_file.read_bytes()
    folder.chmod(0o500)
    with as_other_account(shared_folder):
        code, err = cli(capsys, monkeypatch, db_file, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: the folder {folder} is read-only for this account: calllog must "
                   "create calllog.sqlite3-wal and calllog.sqlite3-shm beside the database. "
                   f"Give this account write access to the folder (chmod u+w {folder}), then "
                   "try again. Nothing saved before was lost.\n")
    assert db_file.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"\x13\x37garbage header" + os.urandom(4000), b"Dear diary,\n" * 400, PNG],
    ids=["garbage-header", "text-file", "png-image"],
)
@pytest.mark.parametrize("command", [["staff", "list", "--as", "admin"], ["db", "upgrade"]])
def test_rel2_not_a_calllog_database_exit_3_file_untouched(
    tmp_path: Path, content: bytes, command: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db_file = tmp_path / "calllog.sqlite3"
    db_file.write_bytes(content)
    db_file.chmod(0o600)
    code, err = cli(capsys, monkeypatch, db_file, *command)
    assert (code, err) == (3, NOT_CALLLOG.format(path=db_file))
    assert db_file.read_bytes() == content


def test_rel2_foreign_sqlite_file_never_migrated_even_by_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    db_file = tmp_path / "recipes.sqlite3"
    with sqlite3.connect(db_file) as conn:
        conn.execute("CREATE TABLE recipe (name TEXT)")
    conn.close()
    db_file.chmod(0o600)
    before = db_file.read_bytes()
    monkeypatch.setattr("calllog.cli.read_secret", lambda _prompt: "a long enough password")
    code, err = cli(capsys, monkeypatch, db_file, "init", "--profile", "surrey-pwp",
                    "--admin", "chair", "--name", "Casey Chair")
    assert (code, err) == (3, NOT_CALLLOG.format(path=db_file))
    assert db_file.read_bytes() == before
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("recipe",)]
    conn.close()


@pytest.mark.parametrize("command", [["staff", "list", "--as", "admin"], ["init", "--profile",
                                      "surrey-pwp", "--admin", "chair", "--name", "C Chair"]])
def test_rel2_empty_file_exit_3_stays_empty(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db_file = tmp_path / "calllog.sqlite3"
    db_file.touch(mode=0o600)
    monkeypatch.setattr("calllog.cli.read_secret", lambda _prompt: "a long enough password")
    code, err = cli(capsys, monkeypatch, db_file, *command)
    assert code == 3
    assert err == (f"calllog: {db_file} is an empty file, not a calllog database; calllog has "
                   "not changed it. Check the path; to set up a new service there, delete the "
                   f"empty file and run: calllog init --db {db_file}; if it was a calllog "
                   "database, restore it from the last backup (README: When the store fails).\n")
    assert db_file.stat().st_size == 0


def test_rel2_truncated_file_says_restore_exit_3(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    size = db_path.stat().st_size
    with db_path.open("r+b") as file:
        file.truncate(size // 2)
    code, err = cli(capsys, monkeypatch, db_path, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {db_path} is shorter than its own header says: the end of the "
                   "database is missing. Stop calllog everywhere and restore it from the last "
                   "backup (README: When the store fails).\n")
    assert db_path.stat().st_size == size // 2


def test_rel2_damaged_database_says_restore_exit_3(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    damage_table(db_path, "staff")
    code, err = cli(capsys, monkeypatch, db_path, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {db_path} is damaged (SQLite reports a malformed database). Stop "
                   "calllog everywhere and restore it from the last backup (README: When the "
                   f"store fails); `calllog audit verify --db {db_path}` lists what is "
                   "damaged.\n")


def test_rel2_folder_where_the_database_should_be_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "calllog.sqlite3"
    folder.mkdir()
    code, err = cli(capsys, monkeypatch, folder, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {folder} is a folder, not a database file: give the database "
                   "file's own path (--db), or move the folder out of the way.\n")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_rel2_wal_or_shm_link_refused_nothing_written_through_it(
    store: Store, db_path: Path, tmp_path: Path, suffix: str,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.close()
    elsewhere = tmp_path / "elsewhere"
    side = db_path.with_name(db_path.name + suffix)
    side.symlink_to(elsewhere)
    code, err = cli(capsys, monkeypatch, db_path, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {side} is a link, so calllog will not open {db_path} (the "
                   "database's journal would be written wherever it points). With calllog "
                   f"stopped everywhere, remove the link: rm {side}\n")
    assert not elsewhere.exists()


def test_rel2_wal_of_another_account_refused(
    store: Store, db_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can make a file another account owns")
    store.close()
    side = db_path.with_name(db_path.name + "-wal")
    side.touch(mode=0o600)
    os.chown(side, 65534, 65534)
    code, err = cli(capsys, monkeypatch, db_path, "staff", "list", "--as", "admin")
    assert code == 3
    assert err == (f"calllog: {side} belongs to another account or can be read by every "
                   f"account, so calllog will not open {db_path}. With calllog stopped "
                   f"everywhere, check it and give it back: chown and chmod it to match "
                   f"{db_path}, or remove it.\n")
