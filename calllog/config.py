"""Which database calllog opens: --db PATH, then CALLLOG_DATABASE_URL, then the
platform's user data directory. Standard library only (cheap at start-up)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "CALLLOG_DATABASE_URL"
APP_NAME = "calllog"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_url(db_path: str | os.PathLike[str] | None = None) -> str:
    if db_path is not None:
        return sqlite_url(Path(db_path))
    env = os.environ.get(ENV_URL)
    if env:
        return env
    return sqlite_url(default_data_dir() / "calllog.sqlite3")


def demo_database_url() -> str:
    return sqlite_url(default_data_dir() / "demo.sqlite3")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends / in-memory."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            return Path(rest) if rest and rest != ":memory:" else None
    return None


def describe(url: str) -> str:
    """A URL safe to print: no password."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


def read_settings_quickly(url: str, *, timeout: float = 2.0) -> dict[str, str] | None:
    """The service settings of a SQLite database, read with the standard library
    (read-only) so the login screen can name the service before the ORM is imported.
    None for other backends, when the file or table is not there yet, or when the
    database is still locked after ``timeout`` seconds."""
    import sqlite3
    from contextlib import closing

    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                   timeout=timeout)) as conn:
            return dict(conn.execute("SELECT key, value FROM setting").fetchall())
    except sqlite3.Error:
        return None
