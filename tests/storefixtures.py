"""Storage faults made for real in tests (REL2): a full disk without root, files
another account owns, and the calllog command run in this process."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from calllog import db
from calllog.cli import main
from calllog.db import Store, StoreFault
from tests.conftest import PASSWORDS, sign_in

NOBODY = 65534


class DiskLimit:
    """SQLite's ``max_page_count`` on every connection calllog opens: the database
    cannot grow past ``pages``, and SQLite says "database or disk is full", the
    same error as a full disk, without root."""

    def __init__(self) -> None:
        self.pages: int | None = None

    def apply(self, dbapi_conn: Any, _record: Any = None) -> None:
        if self.pages is not None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {self.pages}")

    def fill(self, store: Store, username: str = "admin") -> int:
        """Cap ``store`` at its size, then sign in until a write no longer fits (the
        disk is full from here on). Returns how many sign-ins were saved."""
        if not event.contains(store.engine, "connect", self.apply):
            event.listen(store.engine, "connect", self.apply)
        with store.read() as session:
            self.pages = int(session.execute(text("PRAGMA page_count")).scalar_one())
        store.engine.dispose()
        for saved in range(1000):
            try:
                sign_in(store, username)
            except StoreFault:
                return saved
        raise AssertionError("the database never filled")

    def free(self, *stores: Store) -> None:
        self.pages = None
        for store in stores:
            store.engine.dispose()  # connections opened from here have no cap


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> DiskLimit:
    """The cap also reaches stores opened later (by the CLI, by the app)."""
    limit = DiskLimit()
    connect = db._sqlite_on_connect

    def on_connect(dbapi_conn: Any, record: Any) -> None:
        connect(dbapi_conn, record)
        limit.apply(dbapi_conn)

    monkeypatch.setattr(db, "_sqlite_on_connect", on_connect)
    return limit


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_file: Path,
        *args: str, username: str = "admin") -> tuple[int, str]:
    """Run ``calllog ARGS --db DB_FILE`` here, the password on standard input; the exit
    status and what it said on stderr after the password prompt."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[username] + "\n"))
    umask = os.umask(0o077)
    try:
        code = main([*args, "--db", str(db_file)])
    finally:
        os.umask(umask)
    err = capsys.readouterr().err
    return code, err.split(f"Password for {username}: ")[-1]


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another account can reach (pytest's own are this account's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="calllog-rel3-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o700)
    shutil.rmtree(folder)


@contextmanager
def as_other_account(folder: Path) -> Iterator[None]:
    """File permissions do not bind root: when the tests run as root, act as the
    ``nobody`` account, which is given ``folder`` and everything in it."""
    if os.geteuid() != 0:
        yield
        return
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, NOBODY, NOBODY)
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def damage_table(db_file: Path, table: str) -> None:
    """Overwrite the b-tree page header of ``table``'s root page: SQLite then says
    "database disk image is malformed" when it reads the table."""
    with sqlite3.connect(db_file) as conn:
        root, page_size = conn.execute(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
            "WHERE name = ?", (table,)).fetchone()
    conn.close()
    with db_file.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 12)
