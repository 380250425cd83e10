"""The rules the screens' keys ask (``check_action``) instead of working them out:
each is a pure function in calllog.policy answering with a Decision, and the
service behind the key asks the same one (issue 9). The family and staff keys'
rules are tested in test_policy_keys_family.py and test_policy_keys_queue.py."""

from __future__ import annotations

import pytest

from calllog import policy
from calllog.profiles import available_profiles, load_profile
from calllog.roles import Actor, Role

ADVISER = Actor(1, "ash", "Ash Adviser", Role.ADVISER, True)
SUPERVISOR = Actor(2, "sam", "Sam Supervisor", Role.SUPERVISOR, True)
ADMIN = Actor(3, "avery", "Avery Admin", Role.ADMINISTRATOR, True)
NEWSTARTER = Actor(4, "nico", "Nico Newstarter", Role.ADVISER, False)
CENTRES = ("cordomus-ccc", "st-marys-ccc")


def test_rec6_acc3_finding_families_needs_a_dbs_check() -> None:
    refused = policy.may_find_families(NEWSTARTER)
    assert not refused and "DBS" in refused.reason
    assert refused.missing == "a recorded DBS check"
    assert all(policy.may_find_families(a) for a in (ADVISER, SUPERVISOR, ADMIN))


def test_ops2_queue_for_supervisors_own_work_for_those_given_enquiries() -> None:
    assert [bool(policy.may_view_queue(a)) for a in (ADVISER, SUPERVISOR, ADMIN)] == [
        False, True, True]
    assert [bool(policy.may_view_own_work(a)) for a in (ADVISER, SUPERVISOR, ADMIN)] == [
        True, True, False]
    assert "not given enquiries" in policy.may_view_own_work(ADMIN).reason
    # the same people can be given an enquiry at all
    for actor in (ADVISER, SUPERVISOR, ADMIN):
        given = policy.may_be_assigned(role=actor.role, active=True, dbs_recorded=True,
                                       identified=False)
        assert bool(given) is bool(policy.may_view_own_work(actor))


def test_ops2_assign_for_supervisors_change_for_the_assigned_adviser_too() -> None:
    assert not policy.may_assign(ADVISER) and policy.may_assign(SUPERVISOR)
    assert policy.may_change_enquiry(ADVISER, assigned_to=ADVISER.id)
    assert not policy.may_change_enquiry(ADVISER, assigned_to=SUPERVISOR.id)
    assert not policy.may_change_enquiry(ADVISER, assigned_to=None)
    assert policy.may_change_enquiry(SUPERVISOR, assigned_to=ADVISER.id)


def test_rec8_a_held_family_is_opened_by_nobody() -> None:
    held = policy.may_open_held_family(True)
    assert not held and "held until the parent's permission" in held.reason
    assert held.reason == policy.HELD_MESSAGE
    assert policy.may_open_held_family(False)


@pytest.mark.parametrize("key", available_profiles())
def test_con6_party_tools_only_where_families_have_two_parties(key: str) -> None:
    decision = policy.may_use_party_tools(load_profile(key))
    assert bool(decision) is (key in CENTRES)
    if not decision:
        assert decision.reason == "Only contact centres record another party."


@pytest.mark.parametrize("key", available_profiles())
def test_cc1_attendance_register_only_where_the_profile_keeps_one(key: str) -> None:
    decision = policy.may_keep_attendance(load_profile(key))
    assert bool(decision) is (key in CENTRES)
    if not decision:
        assert decision.reason == "This service keeps no attendance register."
