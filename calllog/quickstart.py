"""What the login screen shows before the ORM is imported: the service's name and
whether the database is a demo, read with the standard library only (``sqlite3``
for the settings, ``tomllib`` for the profile's ``[service]`` table).

Importing ``calllog.profiles`` (and the policy engine it uses) would cost tens of
milliseconds at start-up; this reads one small file and checks nothing. The full,
checked profile is loaded later with the store (``calllog.profiles.load_profile``),
and its name replaces this one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from calllog.config import read_settings_quickly
from calllog.paths import profiles_dir

# The same rule as calllog.profiles: a shipped profile's key.
_KEY = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class EarlyService:
    """The service as the settings and its profile's ``[service]`` table name it."""

    name: str
    demo: bool


def profile_path(key_or_path: str) -> Path | None:
    """The profile file a ``profile`` setting names: a shipped key (``surrey-pwp``) or
    a path to a ``.toml`` file. None for anything else."""
    path = Path(key_or_path)
    if path.suffix == ".toml" or path.name != key_or_path:
        return path
    if not _KEY.fullmatch(key_or_path):
        return None
    return profiles_dir() / f"{key_or_path}.toml"


def service_name(key_or_path: str) -> str:
    """The profile's ``[service] name``, unchecked; empty if it cannot be read."""
    path = profile_path(key_or_path)
    if path is None:
        return ""
    try:
        with path.open("rb") as handle:
            service = tomllib.load(handle).get("service")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
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
