"""A service profile's schema is declared once, on the fields of Profile (issue 9):
the loader, ``calllog profile check`` and the written-out layout all read it."""

from __future__ import annotations

import tomllib
from itertools import groupby

import pytest

from calllog.paths import profiles_dir
from calllog.profiles import LIST_DEFAULTS, Profile, available_profiles
from calllog.profiles.profile import TOP_LEVEL, DiversityQuestion, Retention
from calllog.profiles.schema import declared, reference, toml_keys


def _keys(data: dict[str, object], prefix: str = "") -> set[str]:
    out = set()
    for name, value in data.items():
        here = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict) and name not in ("role_names", "recipients", "ask_if"):
            out |= _keys(value, here)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for row in value:
                out |= _keys(row, here + "[]")
        else:
            out.add(here)
    return out


@pytest.mark.parametrize("key", available_profiles())
def test_every_key_of_a_shipped_profile_is_declared_and_described(key: str) -> None:
    data = tomllib.loads((profiles_dir() / f"{key}.toml").read_text(encoding="utf-8"))
    described = {line.split(":", 1)[0] for line in reference(Profile)}
    assert _keys(data) <= described


@pytest.mark.parametrize("cls", [Profile, Retention, DiversityQuestion])
def test_each_declared_key_says_what_it_is_for(cls: type) -> None:
    assert declared(cls)
    assert all(spec.doc for _name, spec in declared(cls))


def test_a_tables_keys_are_declared_together() -> None:
    """A table is read in one go (its unknown keys are reported from its fields)."""
    tables = [table for table, _ in groupby(spec.table for _, spec in declared(Profile))
              if table]
    assert len(tables) == len(set(tables))


def test_the_file_layout_comes_from_the_declarations() -> None:
    assert TOP_LEVEL == (
        "service", "idle_lock_minutes", "dbs_visible_to", "child_max_age",
        "general_enquiry_asks_child", "supervision_access_to_notes", "required_fields",
        "lists", "role_names", "diversity", "consent", "disclosure", "referrals",
        "safeguarding", "retention")
    assert toml_keys(Retention) == ("max_years", "until_child_age", "combine",
                                    "unused_years", "keep_accident_book", "unverified",
                                    "notes")
    assert LIST_DEFAULTS["contact_centre"]["topics"] == "topics-contact-centre"
    assert LIST_DEFAULTS["send"]["topics"] == "topics-send"
    assert LIST_DEFAULTS["send"]["sen_needs"] == "sen-need"
