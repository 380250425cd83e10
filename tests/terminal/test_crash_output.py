"""REL1 in a real terminal: when calllog crashes (a fault planted by
tests/crashinject.py on the UI thread, in a worker, or while signing in) nothing
typed, not the password, the parent's name or the note, reaches the terminal (its
scrollback is what a shared screen or an SSH client keeps) or the crash log; the
adviser reads one plain line with a reference, and the note is kept as a draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from calllog import crashlog
from calllog.db import Store
from calllog.services import drafts
from tests.conftest import PASSWORDS
from tests.ptyhelpers import PYTHON, PtyApp, app_env, plain, pty_app

pytestmark = pytest.mark.slow

SERVICE = "Partnership with Parents (PwP), Surrey"
HOME_TEXT = "Log a new enquiry"
FORM_TEXT = "Record only what is directly relevant"
STOPPED = "calllog stopped because something went wrong"
NOTE = "Quillon Marchbanks rang about Zephyrine"
SECRETS = ("Quillon", "Marchbanks", "Zephyrine", PASSWORDS["adviser"], "planted fault")


def _argv(mode: str, db_path: object) -> list[str]:
    return [PYTHON, "-m", "tests.crashinject", mode, "--", "--db", str(db_path),
            "--no-mouse"]


def _sign_in(app: PtyApp) -> int:
    """Sign in as the demo adviser; returns where the output stood before the
    password was typed (the demo's login screen shows the demo passwords)."""
    app.wait_for(SERVICE)
    app.type("adviser")
    app.send("\r", pause=0.3)
    typed_from = len(app.output)
    app.type(PASSWORDS["adviser"])
    app.send("\r")
    return typed_from


def _type_note(app: PtyApp) -> int:
    mark = len(app.output)
    typed_from = _sign_in(app)
    app.wait_for(HOME_TEXT, since=mark)
    mark = len(app.output)
    app.send("n")
    app.wait_for(FORM_TEXT, since=mark)
    app.send("\t", pause=0.4)  # issue 17: a Tab not yet handled misplaces what follows
    app.send("\t", pause=0.4)
    app.type(NOTE, pause=0.3)
    app.wait_for(NOTE.split()[-1])
    return typed_from


def _check_nothing_typed_shows(app: PtyApp, crash_dir: Path, typed_from: int) -> None:
    """What stays in the terminal once calllog has left its full-screen view (where
    Textual's own report prints a traceback with local variables) holds the plain
    line and nothing typed; the password was never echoed, even while on screen."""
    code = app.wait(10)
    assert code == 1, f"exit status {code}"
    raw = bytes(app.output)
    left = raw.rfind(b"\x1b[?1049l")  # back to the normal screen: the scrollback
    assert left != -1
    after = plain(raw[left:])
    assert STOPPED in " ".join(after.split()) and "reference C-" in after
    for secret in SECRETS:
        assert secret not in after, f"{secret!r} left in the terminal"
    assert PASSWORDS["adviser"].encode() not in raw[typed_from:], "the password was echoed"
    assert b"Traceback" not in raw and b"locals" not in raw
    log = (crash_dir / crashlog.LOG_NAME).read_text()
    assert "PlantedFault" in log
    for secret in SECRETS:
        assert secret not in log, f"{secret!r} is in the crash log"


@pytest.mark.parametrize("mode, key", [("handler", "\x1bOR"), ("worker", "\x13")],
                         ids=["screen-handler", "worker"])
def test_rel1_crash_while_typing_shows_nothing_typed_and_keeps_the_note(
    store: Store, db_path: object, tmp_path: Path, mode: str, key: str
) -> None:
    """F3 (a handler) or ctrl+s (the save's worker) fails with the note in its
    message and in its local variables."""
    crash_dir = tmp_path / "state"
    env = app_env(**{crashlog.ENV_STATE_DIR: str(crash_dir)})
    with pty_app(_argv(mode, db_path), env) as app:
        typed_from = _type_note(app)
        app.send(key, pause=0.1)
        _check_nothing_typed_shows(app, crash_dir, typed_from)
    adviser = store_adviser_id(store)
    draft = drafts.load(store, adviser, "enquiry")
    assert draft is not None and draft["notes"] == NOTE


def test_rel1_crash_while_signing_in_never_shows_the_password(
    store: Store, db_path: object, tmp_path: Path
) -> None:
    crash_dir = tmp_path / "state"
    env = app_env(**{crashlog.ENV_STATE_DIR: str(crash_dir)})
    with pty_app(_argv("signin", db_path), env) as app:
        typed_from = _sign_in(app)
        _check_nothing_typed_shows(app, crash_dir, typed_from)


def store_adviser_id(store: Store) -> int:
    from tests.conftest import sign_in

    return sign_in(store, "adviser").id
