"""The consent, disclosure, referral, safeguarding and retention tables of a service
profile: shipped values, defaults, and one-line problems (``<file>: <key>: <problem>``)
for anything unknown, also through ``calllog profile check``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from calllog import policy
from calllog.paths import profiles_dir
from calllog.profiles import ProfileError, check_profile, load_profile

MINIMAL = """\
[service]
key = "test-service"
name = "Test Service"
kind = "{kind}"
policy = "000_test.txt"
"""


def _write(tmp_path: Path, tail: str, kind: str = "send") -> Path:
    path = tmp_path / "x.toml"
    path.write_text(MINIMAL.format(kind=kind) + tail, encoding="utf-8")
    return path


def test_con1_send_defaults(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, ""))
    assert profile.consent_kinds == set(policy.CONSENT_KINDS)
    assert profile.written_consent == frozenset()
    assert profile.consent_releases == "anything"
    assert not profile.attendance_register and not profile.refuse_family_proceedings_reports
    assert profile.hold_referrals_until_permission
    assert profile.override_categories == {"CHILD_AT_RISK", "PHYSICAL_VIOLENCE"}
    assert profile.override_reviewers == {"supervisor", "administrator"}
    assert profile.retention.unverified
    assert profile.recipient_kinds is not None and "POLICE" in profile.recipient_kinds
    assert profile.referrer_kinds is not None and "HEALTH_VISITOR" in profile.referrer_kinds


def test_cc1_contact_centre_defaults(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, "", kind="contact_centre"))
    assert profile.consent_kinds == {"keep_contact_details", "share_information"}
    assert profile.consent_releases == "contact_details"
    assert profile.attendance_register and profile.attendance_to_referrers
    assert profile.refuse_family_proceedings_reports
    assert not profile.hold_referrals_until_permission


@pytest.mark.parametrize("key", ["cornwall-pps", "surrey-pwp", "northamptonshire-iass",
                                 "st-marys-ccc", "cordomus-ccc"])
def test_con1_every_shipped_profile_states_its_rules(key: str) -> None:
    """Every shipped profile writes out all five tables, so nothing rests on defaults."""
    import tomllib

    data = tomllib.loads((profiles_dir() / f"{key}.toml").read_text(encoding="utf-8"))
    for table in ("consent", "disclosure", "referrals", "safeguarding", "retention"):
        assert table in data, (key, table)
    assert check_profile(key) == []


BROKEN = [
    ("unknown_consent_kind", '[consent]\nkinds = ["keep_contact_details", "phone_granny"]\n',
     'x.toml: consent.kinds: unknown consent kind "phone_granny"'),
    ("written_unknown_kind", '[consent]\nwritten = ["sign_in_blood"]\n',
     'x.toml: consent.written: unknown consent kind "sign_in_blood"'),
    ("written_not_a_kind_here",
     '[consent]\nkinds = ["keep_contact_details"]\nwritten = ["refer"]\n',
     'x.toml: consent.written: "refer" is not one of consent.kinds'),
    ("no_keep_contact", '[consent]\nkinds = ["refer"]\n',
     'x.toml: consent.kinds: must include "keep_contact_details" (REC3: the enquiry form '
     'asks for it)'),
    ("releases_unknown", '[consent]\nreleases = "everything"\n',
     'x.toml: consent.releases: unknown release rule "everything"'),
    ("consent_unknown_key", '[consent]\nkind = ["refer"]\n',
     "x.toml: consent.kind: unknown key; expected one of kinds, written, releases"),
    ("reviewer_unknown_role", '[safeguarding]\nreviewers = ["chair"]\n',
     'x.toml: safeguarding.reviewers: unknown role "chair"'),
    ("reviewers_empty", "[safeguarding]\nreviewers = []\n",
     "x.toml: safeguarding.reviewers: must name at least one role"),
    ("category_unknown", '[safeguarding]\ncategories = ["GUT_FEELING"]\n',
     'x.toml: safeguarding.categories: unknown override category "GUT_FEELING"'),
    ("recipients_category_not_named",
     '[safeguarding]\ncategories = ["CHILD_AT_RISK"]\n'
     'recipients = { LEGAL_DUTY = ["POLICE"] }\n',
     'x.toml: safeguarding.recipients.LEGAL_DUTY: "LEGAL_DUTY" is not one of '
     "safeguarding.categories"),
    ("recipients_unknown_kind",
     '[safeguarding]\nrecipients = { CHILD_AT_RISK = ["NEIGHBOURS"] }\n',
     'x.toml: safeguarding.recipients.CHILD_AT_RISK: unknown recipient kind "NEIGHBOURS"'),
    ("attendance_without_register",
     "[disclosure]\nattendance_register = false\nattendance_to_referrers = true\n",
     "x.toml: disclosure.attendance_to_referrers: needs attendance_register = true"),
    ("disclosure_flag_text", '[disclosure]\nrefuse_family_proceedings_reports = "yes"\n',
     'x.toml: disclosure.refuse_family_proceedings_reports: must be true or false, got "yes"'),
    ("referrals_unknown_key", "[referrals]\nhold = true\n",
     "x.toml: referrals.hold: unknown key; expected one of hold_until_permission"),
    ("retention_combine_missing", "[retention]\nmax_years = 7\nuntil_child_age = 25\n",
     'x.toml: retention.combine: missing: say whether the "sooner" or the "later" of '
     "max_years and until_child_age applies"),
    ("retention_nothing", "[retention]\nkeep_accident_book = true\n",
     "x.toml: retention.unverified: give max_years, until_child_age or unused_years, or "
     "mark the period unverified = true"),
    ("retention_years", "[retention]\nunused_years = 0\n",
     "x.toml: retention.unused_years: must be between 1 and 100, got 0"),
]


@pytest.mark.parametrize(("case", "tail", "message"), BROKEN, ids=[c[0] for c in BROKEN])
def test_con1_broken_policy_tables_one_line(tmp_path: Path, case: str, tail: str,
                                            message: str) -> None:
    path = _write(tmp_path, tail)
    assert check_profile(path) == [message]
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == message and "\n" not in message


def test_con1_profile_check_cli_names_file_key_and_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, '[consent]\nkinds = ["keep_contact_details", "phone_granny"]\n'
                  '[safeguarding]\nreviewers = ["chair"]\n')
    result = subprocess.run([sys.executable, "-m", "calllog.cli", "profile", "check",
                             str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'x.toml: consent.kinds: unknown consent kind "phone_granny"',
        'x.toml: safeguarding.reviewers: unknown role "chair"',
    ]
