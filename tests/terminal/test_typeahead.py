"""TUI1 (issue 17): keys typed ahead land where they were meant, through a real
pseudo-terminal. Each burst is one ``write()`` (as a burst arrives over SSH), or one
key every 50 ms (a slow link), or typed while the CPU is busy: the password goes to
the password field and never shows, and a whole anonymous enquiry typed from home
in one go is saved exactly as typed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from sqlmodel import col, select

from calllog.db import Store
from calllog.models import Enquiry, EnquiryTopic
from calllog.services.staff import add_staff
from tests.conftest import sign_in
from tests.ptyhelpers import PtyApp, app_env, calllog_argv, plain, pty_app

pytestmark = pytest.mark.slow

SERVICE = "Partnership with Parents (PwP), Surrey"
HOME_TEXT = "Log a new enquiry"
NOTE = "Asked about appeal deadlines"
F3, CTRL_S = "\x1bOR", "\x13"
PACES = {"burst": None, "slow-link": 0.05}


def _send(app: PtyApp, keys: list[str], pace: float | None) -> None:
    if pace is None:
        os.write(app.fd, "".join(keys).encode())
        return
    for key in keys:
        os.write(app.fd, key.encode())
        time.sleep(pace)


def _chars(text: str) -> list[str]:
    return list(text)


USERNAME, PASSWORD = "typist", "Quill-Marrow-Lantern-47"  # not a demo account, so
# the demo's login banner never shows it: any echo of it is a leak


@pytest.fixture
def typist(store: Store) -> None:
    add_staff(store, sign_in(store, "admin"), username=USERNAME, display_name="Tess Typist",
              role="adviser", password=PASSWORD)


def _sign_in_keys() -> list[str]:
    return [*_chars(USERNAME), "\r", *_chars(PASSWORD), "\r"]


@pytest.fixture
def busy_cpu() -> Iterator[None]:
    """Two processes spinning for the length of the test (the machine under load)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                for _ in range(2)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def _enquiries(store: Store) -> list[tuple[Enquiry, list[str]]]:
    with store.read() as session:
        found = session.exec(select(Enquiry).order_by(col(Enquiry.id))).all()
        return [(e, list(session.exec(select(EnquiryTopic.topic)
                                      .where(EnquiryTopic.enquiry_id == e.id)).all()))
                for e in found]


def _sign_in_then_enquiry(store: Store, db_path: object, pace: float | None) -> None:
    with pty_app(calllog_argv("--db", str(db_path), "--no-mouse"), app_env()) as app:
        app.wait_for(SERVICE)
        typed_from = len(app.output)
        _send(app, _sign_in_keys(), pace)
        app.wait_for(HOME_TEXT, since=typed_from, timeout=20)
        shown = bytes(app.output)
        assert PASSWORD.encode() not in shown and PASSWORD[:6].encode() not in shown
        mark = len(app.output)
        _send(app, ["n", *_chars("tribunal"), "\r", *_chars("info"), "\r", *_chars(NOTE),
                    F3, CTRL_S], pace)
        app.wait_for("Enquiry saved", since=mark, timeout=20)
    [(enquiry, topics)] = _enquiries(store)
    assert enquiry.notes == NOTE
    assert (enquiry.outcome or "").upper().startswith("INFO")
    assert len(topics) == 1 and "TRIB" in topics[0].upper()
    assert enquiry.policy_explained


@pytest.mark.usefixtures("typist")
@pytest.mark.parametrize("pace", PACES.values(), ids=PACES.keys())
def test_tui1_sign_in_and_a_whole_enquiry_typed_ahead_land_where_meant(
    store: Store, db_path: object, pace: float | None
) -> None:
    _sign_in_then_enquiry(store, db_path, pace)


@pytest.mark.usefixtures("typist", "busy_cpu")
def test_tui1_typed_ahead_with_the_cpu_busy(store: Store, db_path: object) -> None:
    _sign_in_then_enquiry(store, db_path, None)


@pytest.mark.usefixtures("typist")
def test_tui1_unlock_typed_ahead_goes_to_the_password_and_back_to_work(
    store: Store, db_path: object
) -> None:
    """ctrl+l, then the password, enter and ``n`` in one burst: the screen unlocks,
    the new enquiry opens, and the password never shows."""
    with pty_app(calllog_argv("--db", str(db_path), "--no-mouse"), app_env()) as app:
        app.wait_for(SERVICE)
        mark = len(app.output)
        _send(app, _sign_in_keys(), None)
        app.wait_for(HOME_TEXT, since=mark, timeout=20)
        mark = len(app.output)
        _send(app, ["\x0c", *_chars(PASSWORD), "\r", "n"], None)
        app.wait_for("Record only what is directly relevant", since=mark, timeout=20)
        shown = bytes(app.output)
        assert "Screen locked" in plain(shown[mark:])
        assert PASSWORD.encode() not in shown and PASSWORD[:6].encode() not in shown
