"""Checking a store without changing it (REL2), for ``calllog audit verify``.

The database is opened read-only (SQLite: a ``mode=ro`` connection with
``query_only`` on; never created, migrated or written). In order, each problem
found is kept with where it is, and the checks go on as far as they can:

1. the file itself: a folder, an empty, foreign or truncated file, a ``-wal`` or
   ``-shm`` that is a link (see storefaults);
2. SQLite's ``PRAGMA integrity_check``: every damaged page;
3. that it is a calllog database, at a schema revision this calllog knows;
4. the triggers that keep the audit log append-only, present and refusing;
5. the audit chain, every break (see audit.verify).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from calllog import audit, storefaults
from calllog.config import describe, sqlite_path
from calllog.db import SCHEMA_HEAD, StoreError, in_words, known_revisions
from calllog.storefaults import StoreFault

MOST_INTEGRITY_LINES = 20
"""More damaged pages than this are counted, not listed."""


@dataclass(frozen=True)
class Problem:
    where: str
    what: str


@dataclass
class Report:
    """What ``check`` found: no problems means the store and its chain are sound."""

    where: str
    problems: list[Problem] = field(default_factory=list)
    chain: audit.VerifyResult | None = None
    revision: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, what: str) -> None:
        self.problems.append(Problem(where, what))


class _Stop(Exception):
    """Nothing more can be checked."""


def check(url: str, expect_head: str | None = None) -> Report:
    """Check the store at ``url`` read-only. Raises ``StoreError`` only when it
    cannot be read at all (missing, unreadable)."""
    path = sqlite_path(url)
    report = Report(describe(url))
    try:
        if path is not None:
            _check_file(path, report)
            engine = _read_only_sqlite(path)
        else:
            engine = create_engine(url, pool_pre_ping=True)
        try:
            _check_engine(engine, path, report, expect_head)
        finally:
            engine.dispose()
    except _Stop:
        pass
    return report


def _check_file(path: Path, report: Report) -> None:
    if not path.exists() and not path.is_symlink():
        raise StoreError(f"no database at {path}; nothing was created")
    try:
        storefaults.check_side_files(path)
        storefaults.check_file(path)
    except StoreFault as fault:
        if fault.kind is storefaults.Fault.CANNOT_OPEN:
            raise
        report.add("the file", fault.message)
        raise _Stop from None


def _read_only_sqlite(path: Path) -> Engine:
    uri = storefaults.read_only_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _read_only(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA query_only = ON")
        dbapi_conn.execute("PRAGMA busy_timeout = 15000")

    return engine


def _check_engine(engine: Engine, path: Path | None, report: Report,
                  expect_head: str | None) -> None:
    with _step(path, report, "the database"), engine.connect() as conn:
        if path is not None:
            _integrity(conn, report)
        _schema(conn, report)
        _triggers(conn, report)
    with _step(path, report, "audit_event"), Session(engine) as session:
        chain = audit.verify(session, expect_head=expect_head)
    report.chain = chain
    for row_id, what in chain.problems:
        report.add(f"audit_event row {row_id}", what)


@contextmanager
def _step(path: Path | None, report: Report, where: str) -> Iterator[None]:
    """A storage fault met while checking is itself a problem found; it ends the
    check (what follows would meet it again)."""
    try:
        with in_words(path):
            yield
    except StoreFault as fault:
        if fault.kind is storefaults.Fault.CANNOT_OPEN:
            raise
        report.add(where, fault.message)
        raise _Stop from None
    except DBAPIError as error:
        report.add(where, f"cannot be read ({type(error.orig).__name__})")
        raise _Stop from None


def _integrity(conn: Connection, report: Report) -> None:
    lines = [
        line
        for (row,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()
        for line in str(row).splitlines()
        if line != "ok" and not line.startswith("*** in database")
    ]
    for line in lines[:MOST_INTEGRITY_LINES]:
        report.add("integrity_check", line)
    if len(lines) > MOST_INTEGRITY_LINES:
        report.add("integrity_check", f"… and {len(lines) - MOST_INTEGRITY_LINES} more")
    if lines:
        report.add("integrity_check", "the database is damaged: " + storefaults.RESTORE)


def _tables(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return {row[0] for row in conn.execute(text(query))}


def _schema(conn: Connection, report: Report) -> None:
    tables = _tables(conn)
    if "alembic_version" not in tables:
        report.add("the file", "not a calllog database (it has no calllog tables); "
                   "calllog has not changed it")
        raise _Stop
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    report.revision = row[0] if row else None
    if report.revision not in known_revisions():
        report.add("alembic_version", f"schema {report.revision} is not one this calllog "
                   "knows (made by a newer calllog?): check it with that version")
        raise _Stop
    if report.revision != SCHEMA_HEAD:
        report.add("alembic_version", f"schema {report.revision} is older than this "
                   f"calllog's {SCHEMA_HEAD}: run calllog db upgrade, then verify again")
    if "audit_event" not in tables:
        report.add("audit_event", "the audit log table is missing")
        raise _Stop


def _triggers(conn: Connection, report: Report) -> None:
    dialect = conn.dialect.name
    if dialect == "sqlite":
        query = ("SELECT name, sql FROM sqlite_master "
                 "WHERE type = 'trigger' AND tbl_name = 'audit_event'")

        def refuses(sql: str) -> bool:
            return "RAISE(ABORT" in sql.upper().replace(" ", "")
    elif dialect == "postgresql":
        query = ("SELECT tgname, tgenabled::text FROM pg_trigger "
                 "WHERE tgrelid = 'audit_event'::regclass AND NOT tgisinternal")

        def refuses(sql: str) -> bool:  # here: the trigger's tgenabled
            return sql != "D"
    else:
        return
    found = {name: value or "" for name, value in conn.execute(text(query))}
    for name in audit.APPEND_ONLY_TRIGGERS[dialect]:
        if name not in found:
            report.add(f"trigger {name}", "missing: the audit log is no longer protected "
                       "from changes; someone altered the database: compare with the last "
                       "backup")
        elif not refuses(found[name]):
            report.add(f"trigger {name}", "no longer refuses changes to the audit log")
