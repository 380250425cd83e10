"""Storage faults in words (REL2): what happened to the database and what to do.

One place turns a storage fault into a ``StoreFault``: from SQLite's own error
codes (disk full, read-only, not a database, damaged, cannot open) and from checks
made before a database file is opened (a folder in the way, an empty, foreign or
truncated file, a ``-wal``/``-shm`` beside it that is a link or another account's).

A fault has two wordings: ``message`` for the administrator at the command line
(names the file and the fix), and ``str(fault)`` for an adviser in the app (plain
words, no paths). Neither holds anything from the database's contents.

Standard library only, plus calllog.errors: the CLI and the app both use it, and
``db.py`` imports it before SQLAlchemy has opened anything.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from enum import StrEnum
from pathlib import Path

from calllog.errors import CalllogError

EXIT_STORE = 3
"""The CLI's exit status when the database cannot be used as it is."""

SQLITE_HEADER = b"SQLite format 3\x00"
SIDE_FILES = ("-wal", "-shm")
RESTORE = "restore it from the last backup (README: When the store fails)"

# SQLite's primary result codes (https://sqlite.org/rescode.html)
_SQLITE_READONLY = 8
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class Fault(StrEnum):
    DISK_FULL = "disk full"
    READ_ONLY_FILE = "read-only file"
    READ_ONLY_FOLDER = "read-only folder"
    NOT_CALLLOG = "not a calllog database"
    EMPTY = "empty file"
    TRUNCATED = "truncated file"
    DAMAGED = "damaged database"
    FOLDER_IN_THE_WAY = "folder in the way"
    LINKED_SIDE_FILE = "side file is a link"
    SIDE_FILE_OWNER = "side file owned by another account"
    CANNOT_OPEN = "cannot open"


_ADMIN: dict[Fault, str] = {
    Fault.DISK_FULL: "the disk holding {path} is full: free space on it, then try again. "
                     "Nothing saved before was lost.",
    Fault.READ_ONLY_FILE: "{path} is read-only for this account, so nothing can be saved: "
                          "give this account write access (chmod u+w {path}), then try "
                          "again. Nothing saved before was lost.",
    Fault.READ_ONLY_FOLDER: "the folder {folder} is read-only for this account: calllog "
                            "must create {name}-wal and {name}-shm beside the database. Give "
                            "this account write access to the folder (chmod u+w {folder}), "
                            "then try again. Nothing saved before was lost.",
    Fault.NOT_CALLLOG: "{path} is not a calllog database; calllog has not changed it. Check "
                       "the path (--db or CALLLOG_DATABASE_URL); if it was a calllog database, "
                       "it is damaged: " + RESTORE + ".",
    Fault.EMPTY: "{path} is an empty file, not a calllog database; calllog has not changed "
                 "it. Check the path; to set up a new service there, delete the empty file "
                 "and run: calllog init --db {path}; if it was a calllog database, " + RESTORE
                 + ".",
    Fault.TRUNCATED: "{path} is shorter than its own header says: the end of the database is "
                     "missing. Stop calllog everywhere and " + RESTORE + ".",
    Fault.DAMAGED: "{path} is damaged (SQLite reports a malformed database). Stop calllog "
                   "everywhere and " + RESTORE + "; `calllog audit verify --db {path}` "
                   "lists what is damaged.",
    Fault.FOLDER_IN_THE_WAY: "{path} is a folder, not a database file: give the database "
                             "file's own path (--db), or move the folder out of the way.",
    Fault.LINKED_SIDE_FILE: "{side} is a link, so calllog will not open {path} (the database's "
                            "journal would be written wherever it points). With calllog "
                            "stopped everywhere, remove the link: rm {side}",
    Fault.SIDE_FILE_OWNER: "{side} belongs to another account or can be read by every "
                           "account, so calllog will not open {path}. With calllog stopped "
                           "everywhere, check it and give it back: chown and chmod it to "
                           "match {path}, or remove it.",
    Fault.CANNOT_OPEN: "calllog cannot open {path}: check that it exists and that this "
                       "account may read and write it and its folder.",
}

_ADVISER: dict[Fault, str] = {
    Fault.DISK_FULL: "The disk holding the database is full: ask your administrator to free "
                     "space. Nothing saved before was lost.",
    Fault.READ_ONLY_FILE: "The database is read-only, so nothing can be saved: ask your "
                          "administrator to fix its permissions. Nothing saved before was "
                          "lost.",
    Fault.READ_ONLY_FOLDER: "The database's folder is read-only, so nothing can be saved: ask "
                            "your administrator to fix its permissions. Nothing saved before "
                            "was lost.",
    Fault.DAMAGED: "The database is damaged: ask your administrator to restore it from the "
                   "last backup.",
}
_ADVISER_DEFAULT = "The database cannot be used ({kind}): ask your administrator."


class StoreError(CalllogError):
    """A database this calllog cannot use as set up (missing, readable by everyone,
    made by a newer calllog): one clear line, exit status 2 like other bad input."""


class StoreFault(StoreError):
    """A storage fault: ``kind`` says which, ``message`` is the administrator's line,
    ``str()`` the adviser's words; exit status 3."""

    exit_code = EXIT_STORE

    def __init__(self, kind: Fault, path: Path | str, *, side: Path | None = None) -> None:
        self.kind = kind
        self.path = str(path)
        where = Path(self.path)
        self.message = _ADMIN[kind].format(
            path=self.path, folder=where.parent, name=where.name, side=side or "")
        super().__init__(_ADVISER.get(kind, _ADVISER_DEFAULT.format(kind=kind.value)))


def sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of ``error`` (a ``sqlite3.Error`` or SQLAlchemy's
    wrapper of one), or None for anything else."""
    original = getattr(error, "orig", error)
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def from_error(error: BaseException, path: Path | None) -> StoreFault | None:
    """The fault behind a database error, or None if it is not a storage fault (a
    constraint, a busy database, a bug)."""
    if path is None:
        return None  # PostgreSQL: its own messages already name the fault
    code = sqlite_code(error)
    if code == _SQLITE_FULL:
        return StoreFault(Fault.DISK_FULL, path)
    if code == _SQLITE_READONLY:
        return StoreFault(_read_only_kind(path), path)
    if code == _SQLITE_NOTADB:
        return StoreFault(Fault.NOT_CALLLOG, path)
    if code == _SQLITE_CORRUPT:
        return StoreFault(Fault.DAMAGED, path)
    if code == _SQLITE_CANTOPEN:
        if path.is_dir():
            return StoreFault(Fault.FOLDER_IN_THE_WAY, path)
        if not _writable(path.parent):
            return StoreFault(Fault.READ_ONLY_FOLDER, path)
        return StoreFault(Fault.CANNOT_OPEN, path)
    return None


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _read_only_kind(path: Path) -> Fault:
    if path.exists() and not _writable(path):
        return Fault.READ_ONLY_FILE
    return Fault.READ_ONLY_FOLDER


def check_file(path: Path) -> None:
    """Before calllog's own connections open ``path`` (which exists): refuse what is
    not a calllog database file, and a truncated one. Raises ``StoreFault``. Check
    the side files first (``check_side_files``): this reads the database."""
    if path.is_dir():
        raise StoreFault(Fault.FOLDER_IN_THE_WAY, path)
    if not path.is_file():
        raise StoreFault(Fault.NOT_CALLLOG, path)
    try:
        with path.open("rb") as file:
            header = file.read(100)
        size = path.stat().st_size
    except OSError:
        raise StoreFault(Fault.CANNOT_OPEN, path) from None
    if size == 0:
        raise StoreFault(Fault.EMPTY, path)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreFault(Fault.NOT_CALLLOG, path)
    if size < _declared_size(header):
        raise StoreFault(Fault.TRUNCATED, path)
    if not _has_calllog_schema(path):
        raise StoreFault(Fault.NOT_CALLLOG, path)


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` read-only."""
    uri = path.resolve().as_uri() + "?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not wal.exists() and not _writable(path.parent):
        # A backup on read-only media: SQLite cannot make the -shm a WAL database
        # needs, and with no -wal and no way to write one, nothing can change it.
        uri += "&immutable=1"
    return uri


def _has_calllog_schema(path: Path) -> bool:
    """Whether the SQLite file has calllog's schema table, read read-only: calllog's
    own connections set WAL mode, which writes to the file, so a foreign file is
    refused before one opens."""
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True, timeout=15)) as conn:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                "AND name = 'alembic_version'").fetchone() is not None
    except sqlite3.Error as error:
        fault = from_error(error, path)
        if fault is None:
            raise
        raise fault from error


def _declared_size(header: bytes) -> int:
    """The database's size in bytes by its own header, when the header says it is
    valid (SQLite's rule: the change counter equals version-valid-for); else 0."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96]:
        return 0
    return page_size * pages


def check_side_files(path: Path) -> None:
    """Refuse a ``-wal`` or ``-shm`` beside the database that is a link (the journal
    would be written where it points), or that belongs to an account other than
    this one and the database's owner (outside the shared-group set-up of
    docs/ssh.md section 4), or that every account can read."""
    try:
        database = path.stat()
    except OSError:
        return
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            info = side.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
            raise StoreFault(Fault.LINKED_SIDE_FILE, path, side=side)
        if not _trusted_owner(info, database) or info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
            raise StoreFault(Fault.SIDE_FILE_OWNER, path, side=side)


def _trusted_owner(side: os.stat_result, database: os.stat_result) -> bool:
    if side.st_uid in (os.geteuid(), database.st_uid):
        return True
    # several advisers' accounts sharing one database through its group
    shared = database.st_mode & stat.S_IWGRP
    return bool(shared) and side.st_gid == database.st_gid
