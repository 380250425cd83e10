"""Finding, reading and caching service profiles (``data/profiles/*.toml``).

:func:`load_profile` and :func:`check_profile` (``calllog profile check``) are one
walk over the declarations of :class:`~calllog.profiles.profile.Profile`: every
problem is one line, ``<file>: <key>: <problem>``
(``cordomus-ccc.toml: idle_lock_minutes: must be between 1 and 15, got 30``), unknown
keys included. A profile is parsed once and re-read only when its file changes.
:func:`service_name` is the quick read for start-up: one small file, no lists, no
checks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from calllog.paths import profiles_dir
from calllog.profiles.lists import NAME, code_list
from calllog.profiles.profile import (
    RECIPIENT_KINDS_LIST,
    REFERRER_KINDS_LIST,
    TOP_LEVEL,
    Profile,
)
from calllog.profiles.schema import Reading, read_fields
from calllog.profiles.tomlfile import ProfileError, Table, file_problem, read_toml

__all__ = ["available_profiles", "check_profile", "load_profile", "service_name"]


def available_profiles() -> list[str]:
    """Keys of the shipped profiles, sorted."""
    return sorted(path.stem for path in profiles_dir().glob("*.toml"))


def _resolve(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    if isinstance(name_or_path, Path) or path.suffix == ".toml" or path.name != name_or_path:
        return path
    if not NAME.fullmatch(name_or_path):
        raise ProfileError(f"{name_or_path}: profile: not a profile name or a .toml file")
    path = profiles_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(available_profiles())
        raise ProfileError(f"{path.name}: profile: no such profile; shipped: {known}")
    return path


def service_name(name_or_path: str | Path) -> str:
    """Just the service's name, cheaply (one small file, no lists, no checks): for
    the login screen before the profile is loaded in full. Empty if unreadable."""
    try:
        service = read_toml(_resolve(name_or_path)).get("service", {})
    except (ProfileError, OSError):
        return ""
    name = service.get("name") if isinstance(service, dict) else None
    return name if isinstance(name, str) else ""


def _parse_profile(path: Path) -> tuple[Profile | None, list[str]]:
    try:
        data = read_toml(path)
    except ProfileError as error:
        return None, list(error.problems)
    problems: list[str] = []
    top = Table(problems, path.name, data)
    top.only(TOP_LEVEL)
    values = read_fields(Profile, top, Reading(TOP_LEVEL))
    recipient_kinds = code_list(top, "safeguarding", RECIPIENT_KINDS_LIST)
    referrer_kinds = code_list(top, "referrals", REFERRER_KINDS_LIST)
    if problems:
        return None, problems
    profile = Profile(**values, source_file=str(path), recipient_kinds=recipient_kinds,
                      referrer_kinds=referrer_kinds)
    return profile, []


@lru_cache(maxsize=32)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Profile:
    profile, problems = _parse_profile(path)
    if profile is None:
        raise ProfileError(*problems)
    return profile


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by key (``"surrey-pwp"``) or any profile file by
    path. Raises ProfileError with a one-line message naming the file, key
    and problem. Cached until the file changes."""
    path = _resolve(name_or_path).resolve()
    try:
        stat = path.stat()
    except OSError as error:
        raise file_problem(path, error) from None
    return _load_cached(path, stat.st_mtime_ns, stat.st_size)


def check_profile(path: str | Path) -> list[str]:
    """Every problem in a profile (by path or shipped key), one line each;
    ``[]`` when it is fine."""
    try:
        resolved = _resolve(path).resolve()
    except ProfileError as error:
        return list(error.problems)
    return _parse_profile(resolved)[1]
