"""argon2id password hashing (argon2-cffi ``PasswordHasher``, RFC 9106 low-memory
defaults: t=3, m=64 MiB, p=4). The hashing runs at a lower CPU priority than the
rest of calllog (see ``_yielding``), and never inside a database transaction (see
``services/accounts.login``)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from calllog.errors import InvalidInput

T = TypeVar("T")

MIN_LENGTH = 12
MAX_LENGTH = 1024

_hasher = PasswordHasher()


def hasher() -> PasswordHasher:
    return _hasher


def use_hasher(new: PasswordHasher) -> PasswordHasher:
    """Swap the hasher (parameter changes; cheaper parameters in tests). Returns the old."""
    global _hasher
    old, _hasher = _hasher, new
    _dummy_hash.cache_clear()
    return old


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"Password too short: use at least {MIN_LENGTH} characters "
            f"(a few words together are easy to remember)."
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Password too long: use at most {MAX_LENGTH} characters.")
    if password.strip() != password:
        raise InvalidInput("Password must not start or end with a space.")


def hash_password(password: str) -> str:
    check_strength(password)
    return rehash(password)


def rehash(password: str) -> str:
    """A new hash of a password already accepted (no strength check)."""
    return _yielding(lambda: _hasher.hash(password))


def verify(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return _yielding(check)


HASH_NICENESS = 10
"""How much lower than the rest of calllog the argon2 work runs (Unix nice)."""


def _yielding(work: Callable[[], T]) -> T:
    """Run ``work`` (argon2, a burst of CPU on every core it is given) in a
    short-lived thread at a lower scheduling priority, so that on a busy server
    other advisers' saves get the CPU first. On Linux a thread's nice value is its
    own and the threads argon2 starts inherit it; the thread then ends, so nothing
    else in calllog runs at the lower priority. Elsewhere it simply runs."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        if sys.platform == "linux":  # elsewhere the call would name the whole process
            with contextlib.suppress(OSError):
                me = threading.get_native_id()
                os.setpriority(os.PRIO_PROCESS, me,
                               os.getpriority(os.PRIO_PROCESS, me) + HASH_NICENESS)
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the caller, not the thread hook
            failure.append(error)

    thread = threading.Thread(target=run, name="calllog-argon2", daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("calllog-no-such-user-timing-equaliser")


def burn_verify(password: str) -> None:
    """Spend the time a real verify takes, so unknown usernames answer as slowly."""
    verify(_dummy_hash(), password)
