"""REL1 through the app: an unexpected error in a screen handler or in a worker never
shows a traceback or a program value; the form being typed is kept as a draft; the
crash log names the error's type and places only."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea
from textual.worker import WorkerFailed

from calllog import crashlog
from calllog.db import Store
from calllog.services import drafts, enquiries
from screens.common.faults import fault_message
from screens.enquiry.form import DRAFT_KIND, EnquiryScreen
from tests.apphelpers import log_in, make_app, settle, type_text
from tests.conftest import sign_in

SIZE = (80, 24)
SECRET_NOTE = "Robin says the school nurse Zephyrine knows"


class Boom(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(crashlog.ENV_STATE_DIR, str(folder))
    return folder


async def _type_a_note(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await log_in(pilot, "adviser")  # type: ignore[arg-type]
    await pilot.press("n")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, EnquiryScreen)
    app.screen.query_one("#notes", TextArea).focus()
    await type_text(pilot, SECRET_NOTE)  # type: ignore[arg-type]


def _check_crash_log(crash_dir: Path, error: str, place: str) -> None:
    text = (crash_dir / crashlog.LOG_NAME).read_text()
    assert (crash_dir / crashlog.LOG_NAME).stat().st_mode & 0o777 == 0o600
    assert f"tests.app.test_app_faults.{error}" in text
    assert place in text
    for secret in ("Zephyrine", "Robin", "adviser-demo-password", "nurse"):
        assert secret not in text


async def test_rel1_fault_in_a_screen_handler_keeps_the_draft_and_logs_no_values(
    store: Store, db_url: str, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: EnquiryScreen, name: str) -> None:
        raise Boom(f"while holding {SECRET_NOTE}")

    monkeypatch.setattr(EnquiryScreen, "action_toggle_flag", broken)
    app = make_app(db_url)
    with pytest.raises(Boom):
        async with app.run_test(size=SIZE) as pilot:
            await _type_a_note(pilot)
            await pilot.press("f3")
            await pilot.pause()
    assert app.return_code == 1
    (entry,) = crashlog.entries()
    shown = " ".join(str(r) for r in app._exit_renderables)  # what the terminal gets
    assert shown == "" or SECRET_NOTE not in shown
    draft = drafts.load(store, sign_in(store, "adviser").id, DRAFT_KIND)
    assert draft is not None and draft["notes"] == SECRET_NOTE
    _check_crash_log(crash_dir, "Boom", "in broken")
    assert entry.reference.startswith("C-")


async def test_rel1_fault_in_a_worker_keeps_the_draft_and_logs_no_values(
    store: Store, db_url: str, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_save(*args: object, **kwargs: object) -> None:
        raise Boom(f"could not save {SECRET_NOTE}")

    monkeypatch.setattr(enquiries, "log_enquiry", failing_save)
    app = make_app(db_url)
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=SIZE) as pilot:
            await _type_a_note(pilot)
            await pilot.press("ctrl+s")
            await settle(pilot)
    draft = drafts.load(store, sign_in(store, "adviser").id, DRAFT_KIND)
    assert draft is not None and draft["notes"] == SECRET_NOTE
    _check_crash_log(crash_dir, "Boom", "in failing_save")


def test_rel1_fault_message_says_what_was_kept_and_gives_the_reference() -> None:
    kept = fault_message("C-ABC123", True)
    assert "reference C-ABC123" in kept and "kept as a draft" in kept
    assert "could not be kept" in fault_message("C-ABC123", False)
    assert "draft" not in fault_message("C-ABC123", None)


def test_rel1_doctor_lists_the_latest_faults_without_values(
    crash_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from calllog.cli import main

    assert main(["doctor"]) == 0
    assert "No faults recorded" in capsys.readouterr().out
    try:
        raise Boom(f"holding {SECRET_NOTE}")
    except Boom as error:
        reference = crashlog.record(error, "a test")
    assert main(["doctor", "--full"]) == 0
    out = capsys.readouterr().out
    assert reference in out and "tests.app.test_app_faults.Boom" in out
    assert "Zephyrine" not in out and "test_rel1_doctor" in out
