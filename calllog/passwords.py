"""argon2id password hashing (argon2-cffi ``PasswordHasher``, RFC 9106 low-memory
defaults: t=3, m=64 MiB, p=4). The hashing runs at a lower CPU priority than the
rest of calllog (see ``_yielding``), and never inside a database transaction (see
``services/accounts.login``)."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import sys
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import ARGON2_VERSION

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


MIN_SCORE = 3
"""zxcvbn's score a password must reach (0–4). 3 is "safely unguessable: moderate
protection from an offline slow-hash scenario" (under 10^10 guesses): calllog's
hashes are argon2id, slow by design, and NIST SP 800-63B asks to refuse passwords
found in lists of common, expected or compromised values, not to demand symbol
rules. zxcvbn's lists hold common and leaked passwords, names and English words,
and it finds repeats ("aaa"), sequences ("12345") and keyboard patterns."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ADVICE = "Use a passphrase: four or more words that do not belong together."


def check_strength(password: str, context: Sequence[str] = ()) -> None:
    """NIST SP 800-63B: one rule for every new password (first administrator, staff
    add, reset). ``context``: words the password must not contain (from the
    username, the person's name, the service's name: ``staff.password_context``).
    The message names the rule."""
    if _CONTROL.search(password):
        raise InvalidInput("Password must not contain control characters (such as tab "
                           "or NUL); letters, digits, spaces and punctuation are fine.")
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"Password too short: use at least {MIN_LENGTH} characters "
            f"(a few words together are easy to remember)."
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Password too long: use at most {MAX_LENGTH} characters.")
    if password.strip() != password:
        raise InvalidInput("Password must not start or end with a space.")
    lowered = password.casefold()
    words = [word.casefold() for word in context if len(word) >= 3]
    for word in words:
        if word in lowered:
            raise InvalidInput(f"Password must not contain the account's username, the "
                               f"person's name or the service's name. {_ADVICE}")
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password, user_inputs=words)
    if verdict["score"] < MIN_SCORE:
        warning = verdict["feedback"].get("warning") or "It is a pattern that is easy to guess."
        raise InvalidInput(f"Password too easy to guess: {warning} {_ADVICE}")


def hash_password(password: str, context: Sequence[str] = ()) -> str:
    """A new password, checked (``check_strength``) and hashed."""
    check_strength(password, context)
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
    """A hash no password matches, with the hasher's own parameters, made without
    hashing (random salt and digest in argon2's PHC string format): verifying against
    it costs exactly one real verify, and making it costs nothing, so the first
    unknown username in a fresh process answers as fast as a real one (it used to
    pay for a whole extra hash: 0.29 s against 0.003 s)."""
    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode().rstrip("=")

    h = _hasher
    return (f"$argon2{h.type.name.lower()}$v={ARGON2_VERSION}$m={h.memory_cost},"
            f"t={h.time_cost},p={h.parallelism}$"
            f"{b64(secrets.token_bytes(h.salt_len))}${b64(secrets.token_bytes(h.hash_len))}")


def burn_verify(password: str) -> None:
    """Spend the time a real verify takes, so unknown usernames answer as slowly."""
    verify(_dummy_hash(), password)
