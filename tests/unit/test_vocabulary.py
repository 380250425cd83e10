"""The core's typed vocabulary (issue 9): each StrEnum member is the very string that
is stored, so rows written before the types existed read the same."""

from __future__ import annotations

import tomllib

import pytest
from sqlmodel import SQLModel

from calllog import models
from calllog.audit import Entity
from calllog.paths import profiles_dir
from calllog.profiles import available_profiles, load_list, load_profile
from calllog.vocabulary import OPEN_OUTCOMES, EnquiryStatus, Party, ReferralStatus, ServiceKind


def test_acc6_every_audit_entity_is_a_table() -> None:
    """An audit row's entity names the table its entity_id is in (who has seen a
    record joins on it)."""
    assert {e.value for e in Entity} <= set(SQLModel.metadata.tables)


def test_vocabulary_members_are_the_stored_strings() -> None:
    assert [Party.PARENT.value, Party.OTHER.value] == ["parent", "other_party"]
    assert (EnquiryStatus.OPEN, EnquiryStatus.CLOSED) == ("open", "closed")
    assert [s.value for s in ReferralStatus] == ["held", "accepted", "refused"]
    assert [k.value for k in ServiceKind] == ["send", "contact_centre"]
    assert models.Person(family_id=1).party == Party.PARENT
    assert models.Referral.model_fields["status"].default == ReferralStatus.HELD


@pytest.mark.parametrize("key", available_profiles())
def test_every_shipped_kind_is_a_service_kind(key: str) -> None:
    data = tomllib.loads((profiles_dir() / f"{key}.toml").read_text(encoding="utf-8"))
    profile = load_profile(key)
    assert profile.kind == data["service"]["kind"]
    assert isinstance(profile.kind, ServiceKind)
    assert profile.has_other_party is profile.is_contact_centre is (
        data["service"]["kind"] == "contact_centre")


def test_ops2_open_outcomes_are_outcome_codes() -> None:
    """The outcomes that leave an enquiry open are defined once and are in the list."""
    assert set(OPEN_OUTCOMES) - load_list("outcomes").codes() == set()
