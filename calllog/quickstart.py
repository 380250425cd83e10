"""What the login screen shows before the ORM is imported: the service's name and
whether the database is a demo, read with the standard library only (``sqlite3``
for the settings, ``tomllib`` for the profile's ``[service]`` table).

Importing ``calllog.profiles`` (and the policy engine it uses) would cost tens of
milliseconds at start-up; this reads one small file and checks nothing. The full,
checked profile is loaded later with the store (``calllog.profiles.load_profile``),
and its name replaces this one. It runs on the UI thread before the first frame,
so every millisecond counts: only the ``[service]`` table is parsed when it stands
on its own (the whole file otherwise).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, NamedTuple

from calllog.config import read_settings_quickly
from calllog.paths import profiles_dir

# The same rule as calllog.profiles (a-z, 0-9 and "-", not first), with string
# operations only: compiling regular expressions here would cost more than the read.
_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class EarlyService(NamedTuple):
    """The service as the settings and its profile's ``[service]`` table name it."""

    name: str
    demo: bool


def profile_path(key_or_path: str) -> Path | None:
    """The profile file a ``profile`` setting names: a shipped key (``surrey-pwp``) or
    a path to a ``.toml`` file. None for anything else."""
    path = Path(key_or_path)
    if path.suffix == ".toml" or path.name != key_or_path:
        return path
    if key_or_path.startswith("-") or not set(key_or_path) <= _KEY_CHARACTERS:
        return None
    return profiles_dir() / f"{key_or_path}.toml"


def service_name(key_or_path: str) -> str:
    """The profile's ``[service] name``, unchecked; empty if it cannot be read."""
    path = profile_path(key_or_path)
    if path is None:
        return ""
    try:
        text = path.read_bytes().decode("utf-8")
        name = _name_in(_service_table(text)) or _name_in(tomllib.loads(text))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    return name


def _service_table(text: str) -> dict[str, Any]:
    """Just the ``[service]`` table, parsed on its own (a tenth of the time of the
    whole file); empty unless exactly one line looks like its header and the table
    parses, so the caller reads the whole file (a ``[service]`` line inside a
    multi-line string cannot give a wrong name)."""
    lines = text.splitlines(keepends=True)
    headers = [n for n, line in enumerate(lines) if _is_service_header(line)]
    if len(headers) != 1:
        return {}
    start = headers[0]
    end = next((n for n in range(start + 1, len(lines))
                if lines[n].lstrip(" \t").startswith("[")), len(lines))
    try:
        return tomllib.loads("".join(lines[start:end]))
    except tomllib.TOMLDecodeError:
        return {}


def _is_service_header(line: str) -> bool:
    """``[service]``, with optional spaces and a trailing comment."""
    head = line.split("#", 1)[0].strip()
    return (head.startswith("[") and not head.startswith("[[") and head.endswith("]")
            and head[1:-1].strip() == "service")


def _name_in(document: dict[str, Any]) -> str:
    service = document.get("service")
    name = service.get("name") if isinstance(service, dict) else None
    return name.strip() if isinstance(name, str) else ""


def early_service(url: str, *, timeout: float = 2.0) -> EarlyService | None:
    """The service a SQLite database is set up for, or None when that cannot be told
    cheaply (another backend, no file or settings yet, a locked database after
    ``timeout`` seconds, no profile setting, an unreadable profile or one with no
    name)."""
    settings = read_settings_quickly(url, timeout=timeout)
    key = settings.get("profile") if settings else None
    if not settings or not key:
        return None
    name = service_name(key)
    return EarlyService(name, settings.get("demo") == "yes") if name else None
