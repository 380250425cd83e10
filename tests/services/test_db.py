"""OPS4 and PRIV3: the SQLite store, its PRAGMAs, file mode and migrations."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from calllog import db
from calllog.config import database_url, sqlite_path
from calllog.db import SchemaTooNew, Store, StoreError


def test_priv3_database_file_created_mode_0600(db_url: str, db_path: Path) -> None:
    Store(db_url).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_priv3_world_readable_database_refused(db_url: str, db_path: Path) -> None:
    Store(db_url).close()
    db_path.chmod(0o644)
    with pytest.raises(StoreError, match="chmod o-rwx"):
        Store(db_url)


@pytest.mark.parametrize("mode", [0o777, 0o1777], ids=["0777", "1777-like-tmp"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_priv3_database_in_a_folder_every_account_can_write_refused(
    tmp_path: Path, mode: int, existing: bool
) -> None:
    """Issue 16, item 7: anyone could replace the database or plant its journal."""
    folder = tmp_path / "shared"
    folder.mkdir()
    url = f"sqlite:///{folder}/calllog.sqlite3"
    if existing:
        Store(url).close()
    folder.chmod(mode)
    try:
        with pytest.raises(StoreError, match=f"run: chmod o-w {folder}"):
            Store(url)
        assert existing or not (folder / "calllog.sqlite3").exists()  # nothing made
    finally:
        folder.chmod(0o700)


def test_priv3_group_writable_folder_still_allowed(tmp_path: Path) -> None:
    """The shared-group set-up of docs/ssh.md: the group may write, others may not."""
    folder = tmp_path / "group"
    folder.mkdir()
    folder.chmod(0o2770)
    Store(f"sqlite:///{folder}/calllog.sqlite3").close()


def test_ops4_pragmas_on_every_connection(db_url: str) -> None:
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS


def test_ops4_schema_head_constant_matches_alembic() -> None:
    assert db.alembic_head() == db.SCHEMA_HEAD


def test_ops4_migrations_create_schema_and_stamp_head(db_url: str) -> None:
    store = Store(db_url)
    assert db.current_revision(store.engine) == db.alembic_head()
    with store.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert {"staff", "audit_event", "draft", "setting", "alembic_version"} <= tables


def test_ops4_newer_schema_refuses_to_open(db_url: str, db_path: Path) -> None:
    Store(db_url).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    with pytest.raises(SchemaTooNew, match="newer calllog"):
        Store(db_url)


def test_ops4_missing_database_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="calllog init"):
        Store(f"sqlite:///{tmp_path / 'nope.sqlite3'}", create=False)


def test_ops4_database_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CALLLOG_DATABASE_URL", "postgresql://u:p@db.example/calllog")
    assert database_url(tmp_path / "x.db").endswith("x.db")
    assert database_url() == "postgresql://u:p@db.example/calllog"
    monkeypatch.delenv("CALLLOG_DATABASE_URL")
    path = sqlite_path(database_url())
    assert path is not None and path.name == "calllog.sqlite3"
