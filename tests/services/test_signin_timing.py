"""Issue 16, item 3 (in part): a sign-in costs exactly one password verify whoever
is named (known, unknown, disabled or locked), so none can be told apart by how
long the answer takes; the stand-in hash for unknown names is made without hashing,
with the hasher's own parameters (it used to cost a whole extra hash on the first
unknown name in every fresh process). Times are measured in benchmarks, not here:
these tests count the verifies."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from calllog import passwords
from calllog.db import Store
from calllog.services import accounts, staff
from tests.conftest import PASSWORDS, sign_in


@pytest.fixture
def verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    counted: list[str] = []
    real = passwords.verify

    def counting(password_hash: str, password: str) -> bool:
        counted.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify", counting)
    return counted


def _lock(store: Store, username: str) -> None:
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, username, "not the password at all")


def _disable(store: Store, username: str) -> None:
    staff.set_active(store, sign_in(store, "admin"), username, False)


@pytest.mark.parametrize("who", ["known-right", "known-wrong", "unknown", "disabled",
                                 "locked"])
def test_acc2_every_sign_in_costs_exactly_one_verify(
    store: Store, verifies: list[str], who: str
) -> None:
    if who == "disabled":
        _disable(store, "newstarter")
    if who == "locked":
        _lock(store, "newstarter")
    verifies.clear()
    username = {"unknown": "nobody-here"}.get(who, "newstarter")
    password = PASSWORDS["newstarter"] if who == "known-right" else "a wrong password here"
    if who == "known-right":
        accounts.login(store, username, password)
    else:
        with pytest.raises(accounts.LoginFailed):
            accounts.login(store, username, password)
    assert len(verifies) == 1, who


def test_acc2_a_locked_account_refuses_even_the_right_password(store: Store) -> None:
    _lock(store, "newstarter")
    with pytest.raises(accounts.LoginFailed):
        accounts.login(store, "newstarter", PASSWORDS["newstarter"])


def test_acc2_stand_in_hash_has_the_hashers_parameters_and_is_made_without_hashing(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    production = passwords.use_hasher(PasswordHasher.from_parameters(
        RFC_9106_LOW_MEMORY))
    try:
        def no_hashing(*_: object) -> str:
            raise AssertionError("the stand-in hash was made by hashing")

        monkeypatch.setattr(PasswordHasher, "hash", no_hashing)
        stand_in = passwords._dummy_hash()
        assert extract_parameters(stand_in) == RFC_9106_LOW_MEMORY
        assert not passwords.needs_rehash(stand_in)
        assert passwords._dummy_hash() == stand_in  # made once a process
    finally:
        passwords.use_hasher(production)
