"""The login screen's early service name (calllog.quickstart): read with sqlite3 and
tomllib only, before the ORM or calllog.profiles is imported, and the same name the
full profile gives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from calllog import quickstart
from calllog.paths import profiles_dir
from calllog.profiles import available_profiles, load_profile


def _settings_db(path: Path, **settings: str) -> str:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany("INSERT INTO setting VALUES (?, ?)", settings.items())
    return f"sqlite:///{path}"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Another process's write lock (rollback journal: readers must wait)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")


@pytest.mark.parametrize("key", available_profiles())
def test_the_early_name_is_the_full_profiles_name(key: str) -> None:
    assert quickstart.service_name(key) == load_profile(key).name
    # from the [service] table alone (the quick path), not the whole file
    text = (profiles_dir() / f"{key}.toml").read_text()
    table = quickstart._service_table(text)
    assert list(table) == ["service"] and table["service"]["name"] == load_profile(key).name


def test_demo_database_named_and_marked_demo(tmp_path: Path) -> None:
    url = _settings_db(tmp_path / "demo.sqlite3", profile="surrey-pwp", demo="yes")
    early = quickstart.early_service(url, timeout=0)
    assert early == quickstart.EarlyService("Partnership with Parents (PwP), Surrey", True)


def test_a_custom_profile_file_is_read_from_its_path(tmp_path: Path) -> None:
    custom = tmp_path / "our-service.toml"
    custom.write_text((profiles_dir() / "cornwall-pps.toml").read_text().replace(
        'name = "', 'name = "Our ', 1))
    url = _settings_db(tmp_path / "svc.sqlite3", profile=str(custom))
    early = quickstart.early_service(url)
    assert early is not None and early.name.startswith("Our ") and not early.demo


@pytest.mark.parametrize("settings", [
    {},                                    # not set up yet (calllog init not run)
    {"profile": ""},
    {"profile": "no-such-service"},        # refused properly later, by load_profile
    {"profile": "Not A Key"},
    {"profile": "/nowhere/at-all.toml"},
])
def test_nothing_early_without_a_readable_profile(tmp_path: Path,
                                                  settings: dict[str, str]) -> None:
    url = _settings_db(tmp_path / "svc.sqlite3", **settings)
    assert quickstart.early_service(url) is None


def test_nothing_early_from_a_profile_that_is_not_toml(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[service]\nname = "unterminated\n')
    url = _settings_db(tmp_path / "svc.sqlite3", profile=str(broken))
    assert quickstart.service_name(str(broken)) == ""
    assert quickstart.early_service(url) is None


@pytest.mark.parametrize(("text", "name"), [
    # the [service] table alone is parsed; a header with spaces and a comment
    ('kind = "x"\n[ service ]  # the service\nname = "Alone"\n[lists]\ntopics = "t"\n',
     "Alone"),
    # a dotted key or an inline table: no [service] header, the whole file is read
    ('service.name = "Dotted"\n', "Dotted"),
    ('service = { name = "Inline" }\n', "Inline"),
    # a [service] line inside a multi-line string: the whole file is read
    ('notes = """\n[service]\nname = "Wrong"\n"""\n[service]\nname = "Right"\n', "Right"),
    ('[a]\nnotes = """\n[service]\nname = "Wrong"\n[b]"""\n[service]\nname = "Right"\n',
     "Right"),
    # the table parses alone but has no name: the whole file is read, still none
    ('[service]\nkey = "k"\n', ""),
])
def test_the_service_table_is_read_alone_only_when_that_is_safe(
    tmp_path: Path, text: str, name: str
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(text)
    assert quickstart.service_name(str(profile)) == name


def test_nothing_early_without_a_database(tmp_path: Path) -> None:
    assert quickstart.early_service(f"sqlite:///{tmp_path / 'missing.sqlite3'}") is None
    assert quickstart.early_service("sqlite://") is None
    assert quickstart.early_service("postgresql://calllog@db.example/calllog") is None
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    assert quickstart.early_service(f"sqlite:///{tmp_path / 'empty.sqlite3'}") is None
    assert not (tmp_path / "missing.sqlite3").exists()  # a read never creates the file


def test_a_locked_database_is_not_waited_for_with_no_timeout(tmp_path: Path) -> None:
    path = tmp_path / "svc.sqlite3"
    url = _settings_db(path, profile="surrey-pwp")
    with _locked(path):
        assert quickstart.early_service(url, timeout=0) is None
    assert quickstart.early_service(url, timeout=0) is not None


def test_standard_library_only() -> None:
    """No ORM, no calllog.profiles (and its policy engine): that is the point."""
    code = ("import sys, calllog.quickstart; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'sqlalchemy', 'sqlmodel', 'textual', 'platformdirs'} "
            "or m in {'calllog.profiles', 'calllog.policy'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
