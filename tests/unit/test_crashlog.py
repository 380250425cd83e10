"""REL1: the crash log holds error types and places, never values; plain threads'
errors go there instead of to the terminal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from calllog import crashlog


def test_rel1_thread_errors_go_to_the_crash_log_not_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(crashlog.ENV_STATE_DIR, str(tmp_path))
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crashlog.install_thread_hook()

    def fail() -> None:
        raise ValueError("password hunter2 for Robin")

    worker = threading.Thread(target=fail, name="calllog-test")
    worker.start()
    worker.join()
    out, err = capfd.readouterr()
    assert "hunter2" not in out + err and "Traceback" not in err
    text = (tmp_path / crashlog.LOG_NAME).read_text()
    assert "builtins.ValueError" in text and "the thread calllog-test" in text
    assert "hunter2" not in text and "Robin" not in text
    assert (tmp_path / crashlog.LOG_NAME).stat().st_mode & 0o777 == 0o600


def test_rel1_crash_log_rotates_and_keeps_its_newest_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crashlog.ENV_STATE_DIR, str(tmp_path))
    monkeypatch.setattr(crashlog, "MAX_BYTES", 600)
    references = []
    for _ in range(12):
        try:
            raise KeyError("secret")
        except KeyError as error:
            references.append(crashlog.record(error, "a test"))
    assert (tmp_path / f"{crashlog.LOG_NAME}.1").exists()
    assert not (tmp_path / f"{crashlog.LOG_NAME}.{crashlog.BACKUPS + 1}").exists()
    newest = crashlog.entries(3)
    assert [e.reference for e in newest] == references[::-1][:3]
    assert newest[0].error_type == "builtins.KeyError"
