"""ACC1/ACC2 administration from the command line: bad input gets one line and
exit status 2, never a traceback; passwords come from a prompt, never arguments."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ADMIN_PASSWORD = "correct horse battery"


def run(*args: str, stdin: str = "", db: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "calllog.cli", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    result = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    errors = [line for line in result.stderr.splitlines() if "calllog" in line]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def service(tmp_path: Path) -> Path:
    db = tmp_path / "svc.sqlite3"
    result = run("init", "--profile", "surrey-pwp", "--admin", "chair", "--name", "Casey Chair",
                 stdin=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n", db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_acc1_init_creates_service_and_first_administrator(service: Path) -> None:
    result = run("staff", "list", "--as", "chair", stdin=f"{ADMIN_PASSWORD}\n", db=service)
    assert result.returncode == 0, result.stderr
    assert "chair" in result.stdout and "administrator" in result.stdout
    assert ADMIN_PASSWORD not in result.stdout + result.stderr


def test_acc1_init_twice_refused(service: Path) -> None:
    result = run("init", "--profile", "surrey-pwp", "--admin", "other", "--name", "O Ther",
                 stdin=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n", db=service)
    assert "already set up" in _one_line_error(result)


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (["--admin", "chair", "--name", "C C"], "", "choose a service profile with --profile"),
        (["--profile", "nowhere", "--admin", "chair", "--name", "C C"], "", "nowhere"),
        (["--profile", "surrey-pwp", "--admin", "Bad Name!", "--name", "C C"], "", "Usernames"),
        (["--profile", "surrey-pwp", "--admin", "chair", "--name", "C C"], "short\nshort\n",
         "at least 12 characters"),
        (["--profile", "surrey-pwp", "--admin", "chair", "--name", "C C"],
         f"{ADMIN_PASSWORD}\ndifferent password\n", "the two passwords differ"),
    ],
)
def test_acc1_init_bad_input_exit_2_one_line(
    tmp_path: Path, args: list[str], stdin: str, words: str
) -> None:
    db = tmp_path / "x.sqlite3"
    assert words in _one_line_error(run("init", *args, stdin=stdin, db=db))
    if "differ" in words or "12" in words:
        assert not db.exists()  # nothing half-made


def test_acc1_password_is_never_an_argument() -> None:
    result = run("staff", "add", "x", "--name", "X", "--role", "adviser", "--as", "a",
                 "--password", "secret-secret")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["staff", "add", "kim", "--name", "Kim K", "--role", "boss", "--as", "chair"],
         "Role must be adviser, supervisor or administrator"),
        (["staff", "add", "kim", "--name", "Kim K", "--role", "adviser", "--as", "chair",
          "--dbs-date", "31/02/2020", "--dbs-ref", "X"], "31/02/2020"),
        (["staff", "unlock", "nobody", "--as", "chair"], "No account called nobody"),
        (["staff"], "choose from"),
        (["staff", "add", "kim", "--name", "Kim K", "--role", "adviser"], "--as"),
    ],
)
def test_acc1_staff_bad_input_exit_2_one_line(service: Path, args: list[str], words: str) -> None:
    result = run(*args, stdin=f"{ADMIN_PASSWORD}\n", db=service)
    assert words in _one_line_error(result)


def test_acc2_staff_command_wrong_password_generic(service: Path) -> None:
    result = run("staff", "list", "--as", "chair", stdin="not my password\n", db=service)
    assert _one_line_error(result).endswith("Username or password incorrect.")


def test_acc3_staff_add_with_and_without_dbs(service: Path) -> None:
    pw = "adviser password 1"
    result = run("staff", "add", "kim", "--name", "Kim Synthetic", "--role", "adviser",
                 "--as", "chair", stdin=f"{ADMIN_PASSWORD}\n{pw}\n{pw}\n", db=service)
    assert result.returncode == 0, result.stderr
    assert "No DBS check recorded" in result.stdout
    result = run("staff", "set-dbs", "kim", "--date", "01/02/2026", "--ref", "001234567890",
                 "--as", "chair", stdin=f"{ADMIN_PASSWORD}\n", db=service)
    assert result.returncode == 0, result.stderr
    listing = run("staff", "list", "--as", "chair", stdin=f"{ADMIN_PASSWORD}\n", db=service)
    assert "01/02/2026 001234567890" in listing.stdout  # Surrey: administrators see DBS


def test_acc6_audit_verify_exit_1_names_broken_row(service: Path) -> None:
    ok = run("audit", "verify", db=service)
    assert ok.returncode == 0 and "intact" in ok.stdout
    conn = sqlite3.connect(service)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET reason = 'edited' WHERE id = 2")
    conn.commit()
    broken = run("audit", "verify", db=service)
    assert broken.returncode == 1
    assert "BROKEN at row 2" in broken.stderr


def test_ops4_db_upgrade_reports_schema(service: Path) -> None:
    result = run("db", "upgrade", db=service)
    assert result.returncode == 0 and "schema 0004" in result.stdout


def test_ops4_run_without_database_says_how_to_set_up(tmp_path: Path) -> None:
    result = run(db=tmp_path / "none.sqlite3")
    assert "calllog init" in _one_line_error(result)


def test_rec4_profile_check_bad_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[service]\nkey = 'x'\nidle_lock_minutes = 30\n")
    result = run("profile", "check", str(bad))
    assert result.returncode == 2
    assert "bad.toml" in result.stderr


def test_demo_set_up_prints_passwords_and_refuses_real_database(
    service: Path, tmp_path: Path
) -> None:
    demo = run("demo", "--no-start", db=tmp_path / "demo.sqlite3")
    assert demo.returncode == 0, demo.stderr
    assert "adviser-demo-password" in demo.stdout
    refused = run("demo", "--no-start", db=service)
    assert "real service" in _one_line_error(refused)


@pytest.mark.parametrize("profile", ["surrey-pwp", "cordomus-ccc"])
def test_rec6_demo_database_has_synthetic_families_to_find(tmp_path: Path, profile: str) -> None:
    from calllog.db import Store
    from calllog.services import search
    from tests.conftest import sign_in

    db = tmp_path / "demo.sqlite3"
    assert run("demo", "--no-start", "--profile", profile, db=db).returncode == 0
    store = Store(f"sqlite:///{db}")
    found = search.find_families(store, sign_in(store, "adviser"), "example")
    assert [m.coded_ref for m in found] == ["AE 04/03/2015"]
