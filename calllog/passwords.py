"""argon2id password hashing (argon2-cffi ``PasswordHasher``, RFC 9106 low-memory
defaults: t=3, m=64 MiB, p=4)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from calllog.errors import InvalidInput

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
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("calllog-no-such-user-timing-equaliser")


def burn_verify(password: str) -> None:
    """Spend the time a real verify takes, so unknown usernames answer as slowly."""
    verify(_dummy_hash(), password)
