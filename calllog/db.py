"""The store: engine, SQLite PRAGMAs, file creation with mode 0600, migrations,
and read/write sessions. Writes on SQLite take the lock up front (BEGIN IMMEDIATE)
so concurrent advisers queue within the busy timeout instead of failing."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

from calllog import storefaults
from calllog.config import describe, sqlite_path
from calllog.storefaults import Fault, StoreError, StoreFault

__all__ = ["SchemaTooNew", "Store", "StoreError", "StoreFault", "make_engine", "upgrade"]

BUSY_TIMEOUT_MS = 15_000
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
"""Bytes the WAL file is cut back to whenever SQLite starts it again from the top.
The WAL grows past its usual few MiB (``wal_autocheckpoint``: 1000 pages) only
while a reader stays open and checkpoints cannot finish; without a limit it then
keeps its largest size on disk for good. 64 MiB is far above normal use (so
ordinary writes never pay for truncating) and small next to the database."""
SCHEMA_HEAD = "0004"
"""The newest migration this code knows; a test keeps it equal to Alembic's head."""


class SchemaTooNew(StoreError):
    pass


def _create_private_file(path: Path) -> None:
    """Create the database file (and its folder) readable by this account only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    path.chmod(0o600)  # whatever the umask said


def _check_not_world_readable(path: Path) -> None:
    mode = path.stat().st_mode
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise StoreError(
            f"{path} can be read by every account on this machine; "
            f"run: chmod o-rwx {path}"
        )


def _check_folder_not_world_writable(path: Path) -> None:
    """Every account may write the folder (0777, or 1777 like /tmp): anyone could
    remove or replace the database, plant its -wal or -shm, or watch for them."""
    folder = path.parent
    try:
        mode = folder.stat().st_mode
    except OSError:
        return  # not there yet: made 0700 with the file
    if mode & stat.S_IWOTH:
        raise StoreError(
            f"{folder} can be changed by every account on this machine, so anyone could "
            f"replace the database in it; keep it in a folder only calllog's account (or "
            f"its group) can write: run: chmod o-w {folder}, or choose another --db"
        )


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def in_words(path: Path | None) -> Iterator[None]:
    """Turn a storage fault raised inside (disk full, read-only, damaged …) into a
    ``StoreFault`` that says what happened and what to do (REL2); anything else
    passes through unchanged."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        fault = storefaults.from_error(error, path)
        if fault is None:
            raise
        raise fault from error


def make_engine(url: str, *, create: bool = True) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _check_folder_not_world_writable(path)
        storefaults.check_side_files(path)
        if path.exists() or path.is_symlink():
            storefaults.check_file(path)
        elif not create:
            raise StoreError(f"no database at {path}; run: calllog init --db {path}")
        else:
            try:
                _create_private_file(path)
            except OSError:
                raise StoreFault(Fault.READ_ONLY_FOLDER if path.parent.is_dir()
                                 else Fault.CANNOT_OPEN, path) from None
        _check_not_world_readable(path)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def current_revision(engine: Engine) -> str | None:
    with in_words(sqlite_path(str(engine.url))), engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError as error:
            if storefaults.sqlite_code(error) not in (None, 1):  # 1: no such table
                raise  # a storage fault, not a new database
            return None
    return row[0] if row else None


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)  # type: ignore[arg-type]
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    return head


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a database from newer code."""
    rev = current_revision(engine)
    if rev == SCHEMA_HEAD:
        return  # the common case, without importing Alembic
    if rev is not None and rev not in known_revisions():
        raise SchemaTooNew(
            f"{describe(str(engine.url))} was made by a newer calllog "
            f"(schema {rev}); install that version to open it"
        )
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


class Store:
    """One database: sessions for reading, and for writing in one transaction."""

    def __init__(self, url: str, *, create: bool = True, migrate: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self.engine = make_engine(url, create=create)
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        if migrate:
            with in_words(self.path):
                upgrade(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with in_words(self.path), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work, audit row included, commits or rolls back as one."""
        with (in_words(self.path), Session(self._writer, expire_on_commit=False) as session,
              session.begin()):
            yield session

    def close(self) -> None:
        self.engine.dispose()
