"""ACC2 (issue 16, item 4): one rule for every new password, per NIST SP 800-63B:
12 characters or more, no control characters, not built from the username, the
person's name or the service's name, and not common or a pattern (zxcvbn, score 3
or more). Each refusal names its rule; a passphrase of unrelated words passes."""

from __future__ import annotations

import pytest

from calllog import passwords
from calllog.db import Store
from calllog.errors import InvalidInput
from calllog.services import accounts, staff
from tests.conftest import sign_in

PASSPHRASE = "gravel lantern orchid mosaic"

REFUSED = [  # the examples, and the rule each must name
    ("aaaaaaaaaaaa", "easy to guess"),
    ("123456789012", "easy to guess"),
    ("passwordpassword", "easy to guess"),
    ("qwertyuiopasdf", "easy to guess"),
    ("kit12345678901", "username"),
    ("Synthetic2026!!", "username"),  # the person's name
    ("SurreyParents2026", "service's name"),
    ("\x00" * 12, "control characters"),
    ("tab\there and long", "control characters"),
    ("short one", "too short"),
]


@pytest.mark.parametrize(("password", "rule"), REFUSED)
def test_acc2_staff_add_refuses_a_weak_password_naming_the_rule(
    store: Store, password: str, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        staff.add_staff(store, sign_in(store, "admin"), username="kit",
                        display_name="Kit Synthetic", role="adviser", password=password)
    assert rule in str(refused.value)
    if rule not in ("too short", "control characters"):
        assert "passphrase" in str(refused.value)
    assert all(view.username != "kit" for view in
               staff.list_staff(store, sign_in(store, "admin"), ()))


def test_acc2_reset_password_takes_the_same_rule(store: Store) -> None:
    admin = sign_in(store, "admin")
    staff.add_staff(store, admin, username="kit", display_name="Kit Synthetic",
                    role="adviser", password=PASSPHRASE)
    with pytest.raises(InvalidInput, match="username"):
        staff.reset_password(store, admin, "kit", "kit-kit-kit-kit-2026")
    with pytest.raises(InvalidInput, match="easy to guess"):
        staff.reset_password(store, admin, "kit", "passwordpassword")
    accounts.login(store, "kit", PASSPHRASE)  # unchanged


def test_acc2_a_passphrase_of_unrelated_words_is_accepted(store: Store) -> None:
    staff.add_staff(store, sign_in(store, "admin"), username="kit",
                    display_name="Kit Synthetic", role="adviser", password=PASSPHRASE)
    assert accounts.login(store, "kit", PASSPHRASE).username == "kit"


def test_acc2_context_words_are_the_distinctive_parts_of_names() -> None:
    words = staff.password_context("kit", "Kit Synthetic",
                                   "Partnership with Parents (PwP), Surrey")
    assert words == ["kit", "synthetic", "partnership", "parents", "surrey"]


def test_acc2_first_administrator_takes_the_same_rule(tmp_path: object) -> None:
    fresh = Store(f"sqlite:///{tmp_path}/fresh.sqlite3", create=True)
    try:
        with pytest.raises(InvalidInput, match="service's name"):
            staff.initialise_service(fresh, profile_key="surrey-pwp", username="head",
                                     display_name="Hana Head", password="surrey surrey 2026")
        staff.initialise_service(fresh, profile_key="surrey-pwp", username="head",
                                 display_name="Hana Head", password=PASSPHRASE)
    finally:
        fresh.close()


def test_acc2_strength_check_alone_knows_no_context() -> None:
    passwords.check_strength(PASSPHRASE)
    with pytest.raises(InvalidInput, match="easy to guess"):
        passwords.check_strength("letmein12345")
