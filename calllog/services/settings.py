"""Service-wide settings: the chosen service profile and the demo flag."""

from __future__ import annotations

from sqlmodel import Session

from calllog.db import Store
from calllog.models import Setting

PROFILE = "profile"
DEMO = "demo"


def get(store: Store, key: str) -> str | None:
    with store.read() as session:
        row = session.get(Setting, key)
        return row.value if row else None


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def is_demo(store: Store) -> bool:
    return get(store, DEMO) == "yes"
