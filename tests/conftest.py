"""Shared fixtures: a real SQLite file per test, real argon2id (cheaper parameters),
synthetic staff only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from calllog import passwords
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.demo_accounts import DEMO_ACCOUNTS
from calllog.roles import Actor
from calllog.services import accounts

# argon2id, but cheap enough for hundreds of logins in the suite.
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}


@pytest.fixture(autouse=True)
def fast_hasher() -> Iterator[PasswordHasher]:
    old = passwords.use_hasher(TEST_HASHER)
    yield TEST_HASHER
    passwords.use_hasher(old)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "calllog.sqlite3"


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A service set up with the synthetic demo staff (Surrey profile)."""
    s = Store(db_url, create=True)
    ensure_demo(s)
    yield s
    s.close()


def sign_in(store: Store, username: str) -> Actor:
    return accounts.login(store, username, PASSWORDS[username])


@pytest.fixture
def admin(store: Store) -> Actor:
    return sign_in(store, "admin")


@pytest.fixture
def adviser(store: Store) -> Actor:
    return sign_in(store, "adviser")


@pytest.fixture
def supervisor(store: Store) -> Actor:
    return sign_in(store, "supervisor")
