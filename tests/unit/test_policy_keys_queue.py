"""The rules behind the queue's and the staff screen's keys (their ``check_action``
asks these, so a key is never offered for what the service refuses): ACC1 disabling
and enabling accounts."""

from __future__ import annotations

import pytest

from calllog.policy import may_manage_staff, may_set_account_active
from calllog.roles import Actor, Role

ADVISER = Actor(1, "ash", "Ash Adviser", Role.ADVISER, True)
SUPERVISOR = Actor(2, "sam", "Sam Supervisor", Role.SUPERVISOR, True)
ADMIN = Actor(3, "avery", "Avery Admin", Role.ADMINISTRATOR, True)


@pytest.mark.parametrize("actor", [ADVISER, SUPERVISOR])
@pytest.mark.parametrize("active", [True, False])
def test_acc1_only_an_administrator_disables_or_enables_accounts(actor: Actor,
                                                                 active: bool) -> None:
    decision = may_set_account_active(actor, 99, active)
    assert not decision
    assert decision.reason == may_manage_staff(actor).reason


@pytest.mark.parametrize("active", [True, False])
def test_acc1_administrator_disables_and_enables_someone_else(active: bool) -> None:
    assert may_set_account_active(ADMIN, 99, active)


def test_acc1_nobody_disables_their_own_account() -> None:
    refused = may_set_account_active(ADMIN, ADMIN.id, False)
    assert not refused and "your own account" in refused.reason
    assert may_set_account_active(ADMIN, ADMIN.id, True)  # already active: nothing lost
