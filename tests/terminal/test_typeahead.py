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
from datetime import date

import pytest
from sqlmodel import col, select

from calllog.clock import today
from calllog.db import Store
from calllog.models import Child, Disclosure, Enquiry, EnquiryTopic, Person
from calllog.profiles import load_profile
from calllog.services import consents
from calllog.services.staff import add_staff
from tests.conftest import sign_in
from tests.consentfixtures import new_family
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
              role="adviser", password=PASSWORD, dbs_checked_on=today(),
              dbs_reference="TEST-TYPIST")  # may open family records


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


F2, TAB, DOWN = "\x1bOQ", "\t", "\x1b[B"
PARENT_NAME, CHILD_NAME = "Robin Testparent", "Alex Testchild"
WAYS = ("burst", "slow-link", "cpu-busy")
"""One write; one key every 50 ms; one write with the CPU busy."""


def _pace(request: pytest.FixtureRequest, way: str) -> float | None:
    if way == "cpu-busy":
        request.getfixturevalue("busy_cpu")
    return PACES.get(way)


def _signed_in(app: PtyApp) -> None:
    app.wait_for(SERVICE)
    mark = len(app.output)
    _send(app, _sign_in_keys(), None)
    app.wait_for(HOME_TEXT, since=mark, timeout=20)


@pytest.mark.usefixtures("typist")
@pytest.mark.parametrize("way", WAYS)
def test_tui1_identified_enquiry_typed_ahead_lands_each_value_in_its_field(
    store: Store, db_path: object, way: str, request: pytest.FixtureRequest
) -> None:
    """From home in one go: a new enquiry, topic, outcome, note, F2, consent (y,
    enter), the parent's name, tab, relationship, address, postcode, telephone,
    email, enter past the contact method, the child's name and date of birth, ctrl+s.
    Each value is saved in its own field, exactly as typed."""
    keys = ["n", *_chars("tribunal"), "\r", *_chars("info"), "\r", *_chars(NOTE), F3,
            F2, "y", "\r", *_chars(PARENT_NAME), TAB, *_chars("mother"), "\r",
            *_chars("1 Test Row, Truro"), "\r", *_chars("TR1 1AA"), "\r",
            *_chars("020 7946 0123"), "\r", *_chars("robin@example.org"), "\r", "\r",
            *_chars(CHILD_NAME), "\r", *_chars("04/03/2016"), "\r", CTRL_S]
    with pty_app(calllog_argv("--db", str(db_path), "--no-mouse"), app_env()) as app:
        _signed_in(app)
        mark = len(app.output)
        _send(app, keys, _pace(request, way))
        app.wait_for("Enquiry saved", since=mark, timeout=30)
    [(enquiry, topics)] = _enquiries(store)
    assert (enquiry.notes, enquiry.outcome, topics) == (NOTE, "INFO", ["TRIBUNAL"])
    assert enquiry.family_id is not None and enquiry.policy_explained
    with store.read() as session:
        [parent] = session.exec(select(Person)).all()
        [child] = session.exec(select(Child)).all()
    assert (parent.name, parent.relationship, parent.address, parent.postcode, parent.phone,
            parent.email) == (PARENT_NAME, "MOTHER", "1 Test Row, Truro", "TR1 1AA",
                              "+442079460123", "robin@example.org")
    assert (child.name, child.dob) == (CHILD_NAME, date(2016, 3, 4))


@pytest.mark.usefixtures("typist")
@pytest.mark.parametrize("way", WAYS)
def test_tui1_disclosure_typed_ahead_tab_after_the_recipient_lands_in_its_field(
    store: Store, db_path: object, way: str, request: pytest.FixtureRequest
) -> None:
    """The family's record opened by keys, then in one go: d, what (refer), the
    recipient's name, tab, the kind of recipient, enter past the purpose, how
    (letter), a note, ctrl+s: recorded exactly as typed, with the consent it relied
    on (the issue: the kind of recipient landed in the name, ``Oakfield Schoolschool``)."""
    profile = load_profile("surrey-pwp")
    adviser = sign_in(store, "adviser")
    family = new_family(store, adviser, profile)
    consent = consents.record_consent(store, adviser, profile, family, kind="refer",
                                      recipient="Oakfield School", written=True,
                                      given_on=today())
    keys = ["d", *_chars("refer to"), "\r", *_chars("Oakfield School"), TAB,
            *_chars("school"), "\r", "\r", *_chars("letter"), "\r",
            *_chars("Sent the request"), CTRL_S]
    with pty_app(calllog_argv("--db", str(db_path), "--no-mouse"), app_env()) as app:
        _signed_in(app)
        mark = len(app.output)
        app.send("f")
        app.type("testparent")
        app.wait_for("1 found", since=mark)
        mark = len(app.output)
        app.send(DOWN + "\r")
        app.wait_for("Coded reference", since=mark)
        mark = len(app.output)
        _send(app, keys, _pace(request, way))
        app.wait_for("Disclosure recorded", since=mark, timeout=30)
    with store.read() as session:
        [disclosure] = session.exec(select(Disclosure)).all()
    assert (disclosure.family_id, disclosure.kind, disclosure.recipient,
            disclosure.recipient_kind, disclosure.purpose, disclosure.channel,
            disclosure.note, disclosure.consent_id) == (
        family, "refer", "Oakfield School", "SCHOOL", "support", "LETTER",
        "Sent the request", consent.id)
