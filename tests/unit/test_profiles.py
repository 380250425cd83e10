"""Service profiles and code lists: shipped data loads, broken data is refused
with one line naming file, key and problem."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from calllog.academic import YEAR_GROUPS
from calllog.paths import lists_dir, profiles_dir
from calllog.profiles import (
    PREFER_NOT_TO_SAY,
    REQUIRABLE_FIELDS,
    ROLES,
    CodeList,
    ListItem,
    Profile,
    ProfileError,
    available_lists,
    available_profiles,
    check_profile,
    load_list,
    load_profile,
)
from calllog.profiles import lists as profile_lists

SHIPPED = ["cordomus-ccc", "cornwall-pps", "northamptonshire-iass", "st-marys-ccc", "surrey-pwp"]
SEND = ["cornwall-pps", "northamptonshire-iass", "surrey-pwp"]
CONTACT_CENTRES = ["cordomus-ccc", "st-marys-ccc"]


# --- shipped profiles -------------------------------------------------------------


def test_available_profiles_are_the_five_policies() -> None:
    assert available_profiles() == SHIPPED


@pytest.mark.parametrize("key", SHIPPED)
def test_shipped_profile_loads(key: str) -> None:
    profile = load_profile(key)
    assert isinstance(profile, Profile)
    assert profile.key == key
    assert profile.kind == ("send" if key in SEND else "contact_centre")
    assert re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", profile.policy_file)
    assert profile.source_file == str(profiles_dir().resolve() / f"{key}.toml")
    assert set(profile.role_names) == set(ROLES)
    assert profile.required_fields == frozenset()  # REC5: nothing compulsory
    assert check_profile(profiles_dir() / f"{key}.toml") == []
    assert check_profile(key) == []


def test_each_policy_has_its_own_profile() -> None:
    policies = {load_profile(key).policy_file[:3]: key for key in SHIPPED}
    assert policies == {
        "000": "cornwall-pps",
        "001": "surrey-pwp",
        "002": "northamptonshire-iass",
        "003": "st-marys-ccc",
        "004": "cordomus-ccc",
    }


def test_profile_loaded_once_and_cached() -> None:
    assert load_profile("surrey-pwp") is load_profile("surrey-pwp")
    assert load_profile("surrey-pwp") is load_profile(profiles_dir() / "surrey-pwp.toml")
    assert load_list("channels") is load_list("channels")


def test_profile_reloaded_when_its_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_profile(path).idle_lock_minutes == 5
    path.write_text("idle_lock_minutes = 10\n" + MINIMAL, encoding="utf-8")
    assert load_profile(str(path)).idle_lock_minutes == 10


@pytest.mark.parametrize("key", SHIPPED)
def test_acc5_shipped_idle_lock_is_5_minutes(key: str) -> None:
    assert load_profile(key).idle_lock_minutes == 5


def test_acc4_cordomus_dbs_visible_to_coordinator_and_chair() -> None:
    cordomus = load_profile("cordomus-ccc")
    assert cordomus.dbs_visible_to == {"supervisor", "administrator"}
    assert cordomus.role_name("supervisor") == "Co-ordinator"
    assert cordomus.role_name("administrator") == "Chair"


@pytest.mark.parametrize("key", [k for k in SHIPPED if k != "cordomus-ccc"])
def test_acc4_dbs_visible_to_administrators_by_default(key: str) -> None:
    assert load_profile(key).dbs_visible_to == {"administrator"}


@pytest.mark.parametrize("key", CONTACT_CENTRES)
def test_contact_centres_call_roles_coordinator_and_chair(key: str) -> None:
    names = load_profile(key).role_names
    assert (names["supervisor"], names["administrator"]) == ("Co-ordinator", "Chair")


def test_priv1_northamptonshire_calls_advisers_parental_supporters() -> None:
    assert load_profile("northamptonshire-iass").role_name("adviser") == "Parental supporter"


@pytest.mark.parametrize(
    ("key", "max_age"), [*((k, 25) for k in SEND), *((k, 17) for k in CONTACT_CENTRES)]
)
def test_rec2_child_age_limit(key: str, max_age: int) -> None:
    assert load_profile(key).child_max_age == max_age


@pytest.mark.parametrize("key", SHIPPED)
def test_rec1_only_surrey_asks_about_the_child_in_general_enquiries(key: str) -> None:
    assert load_profile(key).general_enquiry_asks_child is (key == "surrey-pwp")


@pytest.mark.parametrize("key", SHIPPED)
def test_profile_lists_follow_service_kind(key: str) -> None:
    profile = load_profile(key)
    topics = "topics-send" if profile.kind == "send" else "topics-contact-centre"
    assert profile.topics.key == topics
    assert profile.channels.key == "channels"
    assert profile.outcomes.key == "outcomes"
    assert profile.non_data_kinds.key == "non-data-kinds"
    assert profile.relationships.key == "relationships"
    assert profile.genders.key == "genders"
    assert profile.contact_methods.key == "contact-methods"
    assert profile.sen_needs.key == "sen-need"
    assert profile.sen_provision.key == "sen-provision"
    assert profile.school_types.key == "school-types"
    assert profile.year_groups.key == "year-groups"


# --- diversity (REC4) -------------------------------------------------------------


@pytest.mark.parametrize("key", SHIPPED)
def test_rec4_every_diversity_question_has_prefer_not_to_say(key: str) -> None:
    profile = load_profile(key)
    assert profile.diversity
    for question in profile.diversity:
        assert question.answers.label(PREFER_NOT_TO_SAY) == "Prefer not to say", question.key


def test_rec4_every_equality_answer_list_has_prefer_not_to_say() -> None:
    keys = [k for k in available_lists() if k.startswith(("equality-", "ethnicity-"))]
    assert len(keys) == 12
    for key in [*keys, "genders"]:
        assert load_list(key).label(PREFER_NOT_TO_SAY) == "Prefer not to say", key


def test_rec4_surrey_asks_ethnicity_and_council_equality_questions() -> None:
    surrey = load_profile("surrey-pwp")
    assert [(q.key, q.answers.key) for q in surrey.diversity] == [
        ("ethnicity", "ethnicity-ons-2021"),
        ("age_band", "equality-age-band"),
        ("disability", "equality-disability"),
        ("disability_type", "equality-disability-type"),
        ("sex", "equality-sex"),
        ("gender_identity", "equality-gender-identity"),
        ("marriage", "equality-marriage"),
        ("sexual_orientation", "equality-sexual-orientation"),
        ("religion", "equality-religion"),
        ("pregnancy", "equality-pregnancy"),
        ("carer", "equality-carer"),
    ]
    assert all(q.prompt.endswith("?") for q in surrey.diversity)


@pytest.mark.parametrize("key", [k for k in SHIPPED if k != "surrey-pwp"])
def test_rec4_other_services_ask_ethnicity_only(key: str) -> None:
    assert [(q.key, q.answers.key) for q in load_profile(key).diversity] == [
        ("ethnicity", "ethnicity-ons-2021")
    ]


def test_rec4_conditional_and_age_limited_questions() -> None:
    questions = {q.key: q for q in load_profile("surrey-pwp").diversity}
    disability_type = questions["disability_type"]
    assert disability_type.ask_if == ("disability", "YES")
    assert disability_type.asked({"disability": "YES"})
    assert not disability_type.asked({"disability": "NO"})
    assert not disability_type.asked({})
    gender_identity = questions["gender_identity"]
    assert gender_identity.min_age == 16
    assert gender_identity.asked({}, age=16)
    assert gender_identity.asked({}, age=None)
    assert not gender_identity.asked({}, age=15)
    assert questions["ethnicity"].asked({}, age=10)


# --- shipped lists ----------------------------------------------------------------

EXPECTED_LISTS = {
    "channels", "contact-methods", "equality-age-band", "equality-carer",
    "equality-disability", "equality-disability-type", "equality-gender-identity",
    "equality-marriage", "equality-pregnancy", "equality-religion", "equality-sex",
    "equality-sexual-orientation", "ethnicity-dfe", "ethnicity-ons-2021", "genders",
    "non-data-kinds", "outcomes", "relationships", "school-types", "sen-need",
    "sen-provision", "topics-contact-centre", "topics-send", "year-groups",
    "recipient-kinds", "referrer-kinds",
}  # fmt: skip


def test_every_list_ships_and_loads() -> None:
    assert set(available_lists()) == EXPECTED_LISTS
    for key in EXPECTED_LISTS:
        code_list = load_list(key)
        assert code_list.key == key
        assert code_list.title and code_list.source and code_list.items
        assert len(code_list.codes()) == len(code_list.items)


def test_ethnicity_ons_2021_codes() -> None:
    ethnicity = load_list("ethnicity-ons-2021")
    assert [i.code for i in ethnicity.items] == [*map(str, range(1, 20)), "PNS"]
    assert ethnicity.label("13") == "English, Welsh, Scottish, Northern Irish or British"
    assert ethnicity.get("16") == ListItem("16", "Roma", "White")
    assert {i.group for i in ethnicity.items[:19]} == {
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    }


def test_ethnicity_dfe_codes_marked_unverified() -> None:
    dfe = load_list("ethnicity-dfe")
    assert dfe.unverified
    assert {"WBRI", "WROM", "CHNE", "REFU", "NOBT", "PNS"} <= dfe.codes()
    assert not dfe.get("WBRI").unverified  # type: ignore[union-attr]
    assert dfe.get("CHNE").unverified  # type: ignore[union-attr]


def test_sen_need_down_syndrome_unverified() -> None:
    needs = load_list("sen-need")
    assert {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "ASD", "HI", "VI", "MSI", "PD",
            "OTH", "NSA", "DS"} <= needs.codes()  # fmt: skip
    assert needs.get("DS") == ListItem("DS", "Down syndrome", None, unverified=True)


def test_sen_provision_codes() -> None:
    provision = load_list("sen-provision")
    assert [i.code for i in provision.items] == ["E", "K", "N", "ASSESS", "NK"]


def test_year_groups_list_matches_academic() -> None:
    assert [i.code for i in load_list("year-groups").items] == list(YEAR_GROUPS)


@pytest.mark.parametrize(
    ("key", "count", "unverified"),
    [
        ("topics-send", 23, True),
        ("topics-contact-centre", 9, False),
        ("channels", 5, False),
        ("outcomes", 7, False),
        ("non-data-kinds", 4, False),
        ("relationships", 6, False),
        ("genders", 4, False),
        ("contact-methods", 4, False),
        ("school-types", 18, False),
        ("equality-pregnancy", 3, True),
        ("equality-carer", 3, True),
    ],
)
def test_list_sizes_and_unverified_flags(key: str, count: int, unverified: bool) -> None:
    code_list = load_list(key)
    assert len(code_list.items) == count
    assert code_list.unverified is unverified


def test_code_list_api() -> None:
    channels = CodeList(
        "demo", "Demo", (ListItem("PHONE", "Telephone"), ListItem("EMAIL", "Email", "Online"))
    )
    assert channels.label("EMAIL") == "Email"
    assert channels.label("GONE") == "GONE"  # an old code still displays
    assert channels.codes() == {"PHONE", "EMAIL"}
    assert "PHONE" in channels and "FAX" not in channels
    assert channels.get("FAX") is None


def test_calllog_building_blocks_never_import_textual() -> None:
    code = (
        "import sys, calllog.text, calllog.validation, calllog.academic, calllog.coderef, "
        "calllog.profiles; calllog.profiles.load_profile('surrey-pwp'); "
        "sys.exit('textual' in sys.modules or 'sqlmodel' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- broken profiles --------------------------------------------------------------

MINIMAL = """\
[service]
key = "test-service"
name = "Test Service"
kind = "send"
policy = "000_test.txt"
"""

ETHNICITY = """
[[diversity]]
key = "ethnicity"
prompt = "What is your ethnic group?"
list = "ethnicity-ons-2021"
"""


def _write(tmp_path: Path, text: str, name: str = "x.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_profile_takes_defaults(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, MINIMAL))
    assert profile.idle_lock_minutes == 5
    assert profile.dbs_visible_to == {"administrator"}
    assert profile.child_max_age == 25
    assert profile.general_enquiry_asks_child is False
    assert profile.required_fields == frozenset()
    assert profile.diversity == ()
    assert profile.topics.key == "topics-send"
    assert dict(profile.role_names) == {
        "adviser": "Adviser", "supervisor": "Supervisor", "administrator": "Administrator"
    }  # fmt: skip


def test_minimal_contact_centre_defaults(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, MINIMAL.replace('"send"', '"contact_centre"')))
    assert profile.child_max_age == 17
    assert profile.topics.key == "topics-contact-centre"


def test_rec5_required_fields_accepted(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, 'required_fields = ["topic", "channel"]\n' + MINIMAL))
    assert profile.required_fields == {"topic", "channel"}
    assert {"topic", "channel", "child_dob", "parent_phone"} <= REQUIRABLE_FIELDS


BROKEN = [
    ("idle_over_15", "idle_lock_minutes = 30\n", "",
     "x.toml: idle_lock_minutes: must be between 1 and 15, got 30"),
    ("idle_zero", "idle_lock_minutes = 0\n", "",
     "x.toml: idle_lock_minutes: must be between 1 and 15, got 0"),
    ("idle_text", 'idle_lock_minutes = "5"\n', "",
     'x.toml: idle_lock_minutes: must be a whole number, got "5"'),
    ("idle_bool", "idle_lock_minutes = true\n", "",
     "x.toml: idle_lock_minutes: must be a whole number, got true"),
    ("idle_float", "idle_lock_minutes = 5.5\n", "",
     "x.toml: idle_lock_minutes: must be a whole number, got 5.5"),
    ("dbs_unknown_role", 'dbs_visible_to = ["administrator", "chair"]\n', "",
     'x.toml: dbs_visible_to: unknown role "chair"'),
    ("dbs_empty", "dbs_visible_to = []\n", "",
     "x.toml: dbs_visible_to: must name at least one role"),
    ("dbs_not_list", 'dbs_visible_to = "administrator"\n', "",
     'x.toml: dbs_visible_to: must be a list of roles, got "administrator"'),
    ("child_age", "child_max_age = 30\n", "",
     "x.toml: child_max_age: must be between 0 and 25, got 30"),
    ("asks_child_text", 'general_enquiry_asks_child = "yes"\n', "",
     'x.toml: general_enquiry_asks_child: must be true or false, got "yes"'),
    ("required_unknown", 'required_fields = ["shoe_size"]\n', "",
     'x.toml: required_fields: unknown field "shoe_size"'),
    ("unknown_top_level", 'colour = "blue"\n', "",
     "x.toml: colour: unknown key; expected one of service, idle_lock_minutes, dbs_visible_to, "
     "child_max_age, general_enquiry_asks_child, supervision_access_to_notes, required_fields, "
     "lists, role_names, diversity, consent, disclosure, referrals, safeguarding, retention"),
    ("top_level_key_below_table", "", "idle_lock_minutes = 5\n",
     "x.toml: service.idle_lock_minutes: unknown key "
     "(top-level keys must come before the first table)"),
    ("service_unknown_key", "", 'colour = "blue"\n',
     "x.toml: service.colour: unknown key; expected one of key, name, kind, policy"),
    ("service_kind", "", "", 'x.toml: service.kind: unknown kind "school"'),
    ("service_key", "", "", 'x.toml: service.key: must be lower-case letters, digits and -, '
     'got "Test Service"'),
    ("service_name_empty", "", "", 'x.toml: service.name: must be non-empty text, got "  "'),
    ("service_policy_path", "", "",
     'x.toml: service.policy: must be a file name, not a path, got "../000_test.txt"'),
    ("lists_unknown_list", "", '[lists]\ntopics = "nope"\n',
     'x.toml: lists.topics: unknown list "nope"'),
    ("lists_path_traversal", "", '[lists]\ntopics = "../profiles/surrey-pwp"\n',
     'x.toml: lists.topics: unknown list "../profiles/surrey-pwp"'),
    ("lists_unknown_key", "", '[lists]\ncolours = "channels"\n',
     "x.toml: lists.colours: unknown key; expected one of topics, channels, outcomes, "
     "non_data_kinds, relationships, genders, contact_methods, sen_needs, sen_provision, "
     "school_types, year_groups"),
    ("role_names_unknown_role", "", '[role_names]\nchair = "Chair"\n',
     "x.toml: role_names.chair: unknown role; expected one of adviser, supervisor, "
     "administrator"),
    ("role_names_empty", "", '[role_names]\nadviser = ""\n',
     'x.toml: role_names.adviser: must be non-empty text, got ""'),
    ("diversity_unknown_list", "",
     ETHNICITY + ETHNICITY.replace('"ethnicity"', '"second"')
     + ETHNICITY.replace('"ethnicity"', '"third"').replace('"ethnicity-ons-2021"', '"ethnic"'),
     'x.toml: diversity[2].list: unknown list "ethnic"'),
    ("diversity_list_without_pns", "", ETHNICITY.replace('"ethnicity-ons-2021"', '"channels"'),
     'x.toml: diversity[0].list: list "channels" has no "Prefer not to say" (code PNS)'),
    ("diversity_duplicate_key", "", ETHNICITY + ETHNICITY,
     'x.toml: diversity[1].key: "ethnicity" is already a question'),
    ("diversity_bad_key", "", ETHNICITY.replace('key = "ethnicity"', 'key = "Ethnic Group"'),
     'x.toml: diversity[0].key: must be lower-case letters, digits and _, got "Ethnic Group"'),
    ("diversity_missing_prompt", "", ETHNICITY.replace('prompt = "What is your ethnic group?"', ""),
     "x.toml: diversity[0].prompt: missing"),
    ("diversity_min_age", "", ETHNICITY + "min_age = -1\n",
     "x.toml: diversity[0].min_age: must be between 0 and 120, got -1"),
    ("diversity_unknown_key", "", ETHNICITY + 'help = "text"\n',
     "x.toml: diversity[0].help: unknown key; expected one of key, prompt, list, min_age, ask_if"),
    ("diversity_ask_if_unknown_question", "",
     ETHNICITY + 'ask_if = { question = "disability", answer = "YES" }\n',
     'x.toml: diversity[0].ask_if.question: unknown earlier question "disability"'),
    ("diversity_ask_if_unknown_answer", "",
     '\n[[diversity]]\nkey = "disability"\nprompt = "Disabled?"\nlist = "equality-disability"\n'
     + ETHNICITY.replace('"ethnicity"', '"kind"')
     + 'ask_if = { question = "disability", answer = "MAYBE" }\n',
     'x.toml: diversity[1].ask_if.answer: "MAYBE" is not a code in list "equality-disability"'),
    ("diversity_not_array", 'diversity = "ethnicity"\n', "",
     'x.toml: diversity: must be an array of tables ([[diversity]]), got "ethnicity"'),
]  # fmt: skip

_SERVICE_EDITS = {
    "service_kind": ('kind = "send"', 'kind = "school"'),
    "service_key": ('key = "test-service"', 'key = "Test Service"'),
    "service_name_empty": ('name = "Test Service"', 'name = "  "'),
    "service_policy_path": ('policy = "000_test.txt"', 'policy = "../000_test.txt"'),
}


def _broken_text(case: str, top: str, tail: str) -> str:
    service = MINIMAL.replace(*_SERVICE_EDITS[case]) if case in _SERVICE_EDITS else MINIMAL
    return top + service + tail


@pytest.mark.parametrize(
    ("case", "top", "tail", "message"), BROKEN, ids=[case[0] for case in BROKEN]
)
def test_broken_profile_one_line_message(
    tmp_path: Path, case: str, top: str, tail: str, message: str
) -> None:
    path = _write(tmp_path, _broken_text(case, top, tail))
    assert check_profile(path) == [message]
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_acc5_idle_lock_over_15_minutes_rejected(tmp_path: Path) -> None:
    text = (profiles_dir() / "cordomus-ccc.toml").read_text(encoding="utf-8")
    broken = text.replace("idle_lock_minutes = 5", "idle_lock_minutes = 30")
    with pytest.raises(ProfileError) as caught:
        load_profile(_write(tmp_path, broken, "cordomus-ccc.toml"))
    assert str(caught.value) == (
        "cordomus-ccc.toml: idle_lock_minutes: must be between 1 and 15, got 30"
    )


def test_acc4_dbs_unknown_role_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, 'dbs_visible_to = ["chair"]\n' + MINIMAL)
    assert check_profile(path) == ['x.toml: dbs_visible_to: unknown role "chair"']


def test_every_problem_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "idle_lock_minutes = 99\n[service]\nkind = 1\n")
    problems = check_profile(path)
    assert problems == [
        "x.toml: service.key: missing",
        "x.toml: service.name: missing",
        "x.toml: service.kind: must be non-empty text, got 1",
        "x.toml: service.policy: missing",
        "x.toml: idle_lock_minutes: must be between 1 and 15, got 99",
    ]
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == "x.toml: service.key: missing (and 4 more)"
    assert caught.value.problems == tuple(problems)


def test_missing_service_table(tmp_path: Path) -> None:
    assert check_profile(_write(tmp_path, "idle_lock_minutes = 5\n")) == [
        f"x.toml: service.{key}: missing" for key in ("key", "name", "kind", "policy")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("idle_lock_minutes = \n", "x.toml: line 1, column 21: not valid TOML: Invalid value"),
        ('[service]\nkey = "a"\nkey = "b"\n', "x.toml: line 3, column 10: not valid TOML: "),
        ("[service\n", "x.toml: line 1, column 9: not valid TOML: "),
        ("dbs_visible_to = [", "x.toml: end of file: not valid TOML: "),
    ],
)
def test_toml_syntax_error_reported_with_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    [problem] = check_profile(path)
    assert problem.startswith(message)
    with pytest.raises(ProfileError, match=re.escape(message)):
        load_profile(path)


def test_profile_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b'[service]\nname = "\xff"\n')
    assert check_profile(path) == ["x.toml: file: not UTF-8 text"]


def test_missing_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.toml"
    expected = f"gone.toml: file: not found ({path.resolve()})"
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == expected
    assert check_profile(path) == [expected]


def test_unknown_profile_name() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("no-such-service")
    assert str(caught.value) == (
        "no-such-service.toml: profile: no such profile; shipped: " + ", ".join(SHIPPED)
    )


def test_bad_profile_name() -> None:
    with pytest.raises(ProfileError, match="not a profile name"):
        load_profile("Surrey PwP")


def test_unknown_list() -> None:
    with pytest.raises(ProfileError, match=r"^ethnic\.toml: list: no such list"):
        load_list("ethnic")


# --- broken lists -----------------------------------------------------------------


@pytest.fixture
def lists_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped lists copied to a temporary folder that the loader reads."""
    folder = tmp_path / "lists"
    shutil.copytree(lists_dir(), folder)
    monkeypatch.setattr(profile_lists, "lists_dir", lambda: folder)
    load_list.cache_clear()
    yield folder
    load_list.cache_clear()


LIST_HEADER = '[list]\nkey = "demo"\ntitle = "Demo"\nsource = "tests"\n'

BROKEN_LISTS = [
    ("no_items", LIST_HEADER, "demo.toml: items: the list has no [[items]]"),
    ("key_mismatch", LIST_HEADER.replace('"demo"', '"other"')
     + '[[items]]\ncode = "A"\nlabel = "A"\n',
     'demo.toml: list.key: must be "demo" (the file name), got "other"'),
    ("duplicate_code", LIST_HEADER + '[[items]]\ncode = "A"\nlabel = "A"\n' * 2,
     'demo.toml: items[1].code: "A" is already in the list'),
    ("lower_case_code", LIST_HEADER + '[[items]]\ncode = "a b"\nlabel = "A"\n',
     'demo.toml: items[0].code: must be upper-case letters, digits and _, got "a b"'),
    ("missing_label", LIST_HEADER + '[[items]]\ncode = "A"\n',
     "demo.toml: items[0].label: missing"),
    ("unknown_item_key", LIST_HEADER + '[[items]]\ncode = "A"\nlabel = "A"\ncolour = "red"\n',
     "demo.toml: items[0].colour: unknown key; expected one of code, label, group, unverified"),
    ("unverified_text", LIST_HEADER.replace('source = "tests"\n', 'source = "tests"\n'
     'unverified = "yes"\n') + '[[items]]\ncode = "A"\nlabel = "A"\n',
     'demo.toml: list.unverified: must be true or false, got "yes"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "message"), BROKEN_LISTS, ids=[c[0] for c in BROKEN_LISTS]
)
def test_broken_list_one_line_message(lists_copy: Path, case: str, text: str, message: str) -> None:
    (lists_copy / "demo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_list("demo")
    assert str(caught.value) == message


def test_profile_reports_problem_in_a_list_it_uses(lists_copy: Path, tmp_path: Path) -> None:
    (lists_copy / "channels.toml").write_text(
        LIST_HEADER.replace('"demo"', '"channels"'), encoding="utf-8"
    )
    path = _write(tmp_path, MINIMAL)
    assert check_profile(path) == ["channels.toml: items: the list has no [[items]]"]


def test_priv1_supervision_access_to_notes_off_only_in_northamptonshire() -> None:
    from calllog.profiles import available_profiles, load_profile

    flags = {key: load_profile(key).supervision_access_to_notes for key in available_profiles()}
    assert flags.pop("northamptonshire-iass") is False
    assert all(flags.values())
