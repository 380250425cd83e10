"""OPS4 (issue 15): the WAL is kept small even after a reader stayed open.

While any reader holds a transaction open, checkpoints cannot finish and the WAL
grows; ``PRAGMA journal_size_limit`` makes SQLite cut the file back once it starts
the WAL again after the reader has gone (docs/operations.md)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from calllog import db
from calllog.db import Store


def test_ops4_journal_size_limit_set_on_every_connection(store: Store) -> None:
    with store.read() as session:
        limit = session.connection().execute(text("PRAGMA journal_size_limit")).scalar_one()
    assert limit == db.JOURNAL_SIZE_LIMIT == 64 * 1024 * 1024


def test_ops4_wal_cut_back_after_a_long_open_reader_closes(
    db_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same mechanism with a small limit, so the test writes a few MiB, not 64.
    limit = 256 * 1024
    monkeypatch.setattr(db, "JOURNAL_SIZE_LIMIT", limit)
    store = Store(db_url)
    wal = db_path.with_name(db_path.name + "-wal")
    with store.write() as session:
        session.connection().exec_driver_sql("CREATE TABLE filler (b BLOB)")

    def write(size: int) -> None:
        with store.write() as session:
            session.connection().exec_driver_sql(
                "INSERT INTO filler VALUES (zeroblob(?))", (size,))

    with closing(sqlite3.connect(db_path)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM staff").fetchall()  # holds a read snapshot
        for _ in range(40):
            write(100_000)
        grown = wal.stat().st_size
        reader.rollback()
    for _ in range(3):  # a checkpoint now finishes; the next write starts the WAL again
        write(1_000)
    after = wal.stat().st_size  # before closing: the last connection to close removes it
    store.close()
    assert grown > 10 * limit
    assert after <= limit
