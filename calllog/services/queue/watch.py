"""Live updates: has anything been committed since the queue last asked?"""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from calllog.db import Store


class ChangeWatcher:
    """Has anything been committed since the last call? Cheap enough to ask every
    second: on SQLite ``PRAGMA data_version`` on one connection kept for this alone
    (the value is per connection, so it must be the same one each time); elsewhere
    the newest audit row's id (every change calllog makes is audited)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._raw: Any = None
        self._last: Any = None
        self._last = self._read()

    def _read(self) -> Any:
        if self._store.is_sqlite:
            if self._raw is None:
                self._raw = self._store.engine.raw_connection()
            cursor = self._raw.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return cursor.fetchone()[0]
            finally:
                cursor.close()
        with self._store.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.max(
                SQLModel.metadata.tables["audit_event"].c.id))).scalar()

    def changed(self) -> bool:
        with self._lock:
            value = self._read()
            if value != self._last:
                self._last = value
                return True
            return False

    def close(self) -> None:
        with self._lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None
