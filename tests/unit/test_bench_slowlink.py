"""TUI1 (issue 17): the slow-link benchmark counts keys lost or misplaced the way it
says, and writes a field and the key that ends it together in its bursts."""

from __future__ import annotations

import pytest

from benchmarks.bench_slowlink import ENTER, PASSWORD, USERNAME, lost, sign_in


@pytest.mark.parametrize(("typed", "saved", "count"), [
    ("Robin Testparent", "Robin Testparent", 0),
    ("GU21 4XX", None, 8),  # nothing saved: every key lost
    ("tribunal", "tribunalinfo", 4),  # the next field's keys landed here
    ("Oakfield School", "Oakfield Schoolschool", 6),
    ("Postcode", "Postcode Rowan Quic", 11),
    ("info", "ifo", 1),  # one key dropped
])
def test_tui1_lost_counts_keys_missing_or_landed_in_the_wrong_field(
    typed: str, saved: str | None, count: int
) -> None:
    assert lost(typed, saved) == count


def test_tui1_a_burst_is_a_field_and_its_enter_and_the_password_is_timed_by_bullets() -> None:
    script = sign_in()
    groups: dict[int, str] = {}
    for key in script.keys:
        groups[key.group] = groups.get(key.group, "") + key.seq
    assert list(groups.values()) == [USERNAME + ENTER, PASSWORD + ENTER]
    tokens = [key.token for key in script.keys if key.token]
    assert tokens and all(PASSWORD[:3] not in token for token in tokens)
    assert "•" * len(PASSWORD) in tokens
