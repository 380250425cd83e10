"""The administrator's crash log (REL1): what failed and where, never what was typed.

An entry holds a short reference (also shown to the adviser), the time, calllog's
and Python's versions, the exception's *type* and every frame's file, line and
function. Never the exception's message, a local variable or any other value from
the program: those can hold a name, a note or a password. The file is this
account's alone (0600) in calllog's state folder, rotated at 256 KiB (three old
files kept). ``calllog doctor`` shows the latest entries.

Standard library only; never raises (a crash log that crashes would hide the
crash)."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

LOG_NAME = "crash.log"
MAX_BYTES = 256 * 1024
BACKUPS = 3
ENV_STATE_DIR = "CALLLOG_STATE_DIR"
_ENTRY = "=== "


def state_dir() -> Path:
    """Where calllog keeps its crash log: ``CALLLOG_STATE_DIR`` or the platform's
    user state folder (``~/.local/state/calllog`` on Linux)."""
    named = os.environ.get(ENV_STATE_DIR)
    if named:
        return Path(named)
    from platformdirs import user_state_path

    return user_state_path("calllog", appauthor=False)


def log_path() -> Path:
    return state_dir() / LOG_NAME


def new_reference() -> str:
    """A short reference the adviser can read out: ``C-7F3A2B``."""
    return "C-" + secrets.token_hex(3).upper()


def _frames(tb: TracebackType | None) -> Iterator[str]:
    for frame in traceback.extract_tb(tb):
        yield f"  at {_short(frame.filename)}:{frame.lineno} in {frame.name}"


def _short(filename: str) -> str:
    """The file relative to the installed packages, not the machine's folders."""
    path = Path(filename)
    for marker in ("calllog", "screens", "textual", "sqlalchemy", "sqlmodel", "rich"):
        if marker in path.parts:
            return "/".join(path.parts[path.parts.index(marker):])
    return path.name


def describe(error: BaseException, where: str) -> list[str]:
    """The entry's lines for ``error``: types and frames only, the causes included."""
    lines = [f"  {where}"]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"  {kind.__module__}.{kind.__qualname__}")
        lines.extend(_frames(current.__traceback__))
        nxt = current.__cause__ or current.__context__
        if nxt is not None:
            lines.append("  caused by / while handling:")
        current = nxt
    return lines


def record(error: BaseException, where: str, *, reference: str | None = None) -> str:
    """Write an entry for ``error`` and return its reference. Never raises."""
    reference = reference or new_reference()
    with contextlib.suppress(Exception):
        from calllog import __version__

        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        head = (f"{_ENTRY}{stamp} {reference} calllog {__version__}, Python "
                f"{sys.version_info.major}.{sys.version_info.minor}."
                f"{sys.version_info.micro}")
        _append("\n".join([head, *describe(error, where)]) + "\n")
    return reference


def record_note(reference: str, text: str) -> None:
    """Add a line written by calllog itself (never a program value) under an entry:
    e.g. that the draft could not be saved. Never raises."""
    with contextlib.suppress(Exception):
        _append(f"  [{reference}] {text}\n")


def _append(text: str) -> None:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = text.encode("utf-8", "replace")
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size + len(data) > MAX_BYTES:
            _rotate(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _rotate(path: Path) -> None:
    for n in range(BACKUPS - 1, 0, -1):
        older = path.with_name(f"{path.name}.{n}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{n + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))


@dataclass(frozen=True)
class Entry:
    reference: str
    when: str
    lines: tuple[str, ...]

    @property
    def error_type(self) -> str:
        return next((line.strip() for line in self.lines[1:2]), "")


def entries(limit: int = 10) -> list[Entry]:
    """The newest ``limit`` entries, newest first (the current file and its backups)."""
    found: list[Entry] = []
    path = log_path()
    files = [path.with_name(f"{path.name}.{n}") for n in range(BACKUPS, 0, -1)] + [path]
    for file in files:
        with contextlib.suppress(OSError):
            found.extend(_parse(file.read_text(encoding="utf-8", errors="replace")))
    return list(reversed(found))[:limit]


def _parse(text: str) -> Iterator[Entry]:
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith(_ENTRY) and current:
            yield _entry(current)
            current = []
        current.append(line)
    if current and current[0].startswith(_ENTRY):
        yield _entry(current)


def _entry(lines: list[str]) -> Entry:
    parts = lines[0][len(_ENTRY):].split()
    when, reference = [*parts, "", ""][:2]
    return Entry(reference=reference, when=when, lines=tuple(lines[1:]))


def install_thread_hook() -> None:
    """An error that escapes a plain thread (not a worker) goes to the crash log
    instead of Python's default report on stderr, which prints the traceback."""
    import threading

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            name = args.thread.name if args.thread is not None else "a thread"
            record(args.exc_value, f"the thread {name}")

    threading.excepthook = hook

