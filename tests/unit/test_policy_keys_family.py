"""The rules behind the family screen's keys (its ``check_action`` asks these): SG1
review, ACC6 who has seen the record, PRIV1 supervision access, CON6/CC1 the
contact-centre tools."""

from __future__ import annotations

import pytest

from calllog.policy import (
    may_keep_attendance,
    may_review_override,
    may_review_overrides,
    may_use_party_tools,
    may_use_supervision_access,
    may_view_access_list,
)
from calllog.profiles import load_profile
from calllog.roles import Actor, Role

ADVISER = Actor(1, "ash", "Ash Adviser", Role.ADVISER, True)
SUPERVISOR = Actor(2, "sam", "Sam Supervisor", Role.SUPERVISOR, True)
CHAIR = Actor(3, "avery", "Avery Admin", Role.ADMINISTRATOR, True)
NO_DBS = Actor(4, "nico", "Nico Newstarter", Role.SUPERVISOR, False)
PROFILES = ("cornwall-pps", "surrey-pwp", "northamptonshire-iass", "st-marys-ccc",
            "cordomus-ccc")


def test_sg1_review_key_for_the_roles_the_profile_names() -> None:
    cordomus = load_profile("cordomus-ccc")
    refused = may_review_overrides(ADVISER, cordomus)
    assert not refused and "Chair" in refused.reason and "Co-ordinator" in refused.reason
    assert may_review_overrides(SUPERVISOR, cordomus)
    assert may_review_overrides(CHAIR, cordomus)


@pytest.mark.parametrize("key", PROFILES)
@pytest.mark.parametrize("actor", [ADVISER, SUPERVISOR, CHAIR])
def test_sg1_review_key_agrees_with_the_review_of_someone_elses_override(
    key: str, actor: Actor
) -> None:
    profile = load_profile(key)
    someone_else = 99
    assert bool(may_review_overrides(actor, profile)) == bool(
        may_review_override(actor, profile, made_by=someone_else))


def test_acc6_access_list_key_for_supervisors_and_the_familys_supporter() -> None:
    assert may_view_access_list(SUPERVISOR, family_supporter_id=None)
    assert may_view_access_list(ADVISER, family_supporter_id=ADVISER.id)
    refused = may_view_access_list(ADVISER, family_supporter_id=SUPERVISOR.id)
    assert not refused and "supporter" in refused.reason
    assert not may_view_access_list(NO_DBS, family_supporter_id=None)


def test_priv1_supervision_notes_key_for_supervisors_where_the_profile_allows() -> None:
    surrey, northants = load_profile("surrey-pwp"), load_profile("northamptonshire-iass")
    assert may_use_supervision_access(SUPERVISOR, surrey)
    assert not may_use_supervision_access(ADVISER, surrey)
    assert not may_use_supervision_access(SUPERVISOR, northants)  # nobody, ever


@pytest.mark.parametrize("key", PROFILES)
def test_con6_cc1_party_and_attendance_keys_only_in_contact_centres(key: str) -> None:
    profile = load_profile(key)
    centre = key.endswith("-ccc")
    assert bool(may_use_party_tools(profile)) is centre  # p (party view), o (other party)
    assert bool(may_keep_attendance(profile)) is centre  # t (attendance register)
