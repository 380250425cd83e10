"""Start-up: a bad service profile stops calllog with one clear line (issue 3 §1),
and a database from a newer calllog refuses to open (OPS4)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.paths import profiles_dir
from tests.apphelpers import start_and_exit as _start


async def test_rec4_bad_profile_file_stops_start_up_naming_file_key_problem(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    custom = tmp_path / "our-service.toml"
    shutil.copy(profiles_dir() / "surrey-pwp.toml", custom)
    url = f"sqlite:///{tmp_path / 'svc.sqlite3'}"
    ensure_demo(Store(url), str(custom))
    custom.write_text(custom.read_text().replace("idle_lock_minutes = 5",
                                                 "idle_lock_minutes = 30"))
    code, message = await _start(url, capfd)
    assert code == 2
    assert message == ("calllog: our-service.toml: idle_lock_minutes: must be between 1 and 15, "
                       "got 30")


async def test_ops4_newer_database_refused_at_start_up(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "svc.sqlite3"
    ensure_demo(Store(f"sqlite:///{path}"))
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, message = await _start(f"sqlite:///{path}", capfd)
    assert code == 2 and "made by a newer calllog" in message
