"""Reading one TOML file of ``data/`` strictly: every problem is one line,
``<file>: <key>: <problem>``, where ``<key>`` is a dotted path (``diversity[0].list``).
:class:`Table` gives typed access to one table and records problems as it goes, so a
whole file is checked in one pass and every problem reported."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

__all__ = ["MISSING", "ProfileError", "Table", "file_problem", "read_toml", "show"]


class _Missing:
    """The default of a key that must be given."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final[Any] = _Missing()


class ProfileError(Exception):
    """A profile or list file is unusable. ``str(error)`` is one line,
    ``<file>: <key>: <problem>``; ``problems`` holds every problem found."""

    def __init__(self, problem: str, *more: str) -> None:
        self.problems = (problem, *more)
        super().__init__(problem + (f" (and {len(more)} more)" if more else ""))


def show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


class Table:
    """Typed access to one TOML table, recording problems as it goes."""

    def __init__(
        self, problems: list[str], file: str, data: Mapping[str, Any], path: str = ""
    ) -> None:
        self.problems, self.file, self.data, self.path = problems, file, data, path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def problem(self, key: str, text: str) -> None:
        self.problems.append(f"{self.file}: {self.where(key)}: {text}")

    def only(
        self, allowed: Iterable[str], top_level: Iterable[str] = (), what: str = "key"
    ) -> None:
        """Report keys not in *allowed*; *top_level* keys found here were
        most likely written below a table header by mistake."""
        allowed = tuple(allowed)
        for key in self.data:
            if key in allowed:
                continue
            if key in top_level:
                self.problem(
                    key, f"unknown {what} (top-level keys must come before the first table)"
                )
            else:
                self.problem(key, f"unknown {what}; expected one of {', '.join(allowed)}")

    def _get(self, key: str, default: object, check: Callable[[Any], bool], kind: str) -> Any:
        value = self.data.get(key, MISSING)
        if value is MISSING:
            if default is MISSING:
                self.problem(key, "missing")
                return None
            return default
        if not check(value):
            self.problem(key, f"must be {kind}, got {show(value)}")
            return None
        return value

    def text(self, key: str, default: object = MISSING) -> str | None:
        value: str | None = self._get(
            key, default, lambda v: isinstance(v, str) and v.strip() != "", "non-empty text"
        )
        return value

    def flag(self, key: str, default: bool) -> bool | None:
        value: bool | None = self._get(key, default, lambda v: isinstance(v, bool), "true or false")
        return value

    def number(self, key: str, default: object, low: int, high: int) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if value is MISSING:
            self.problem(key, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"must be a whole number, got {show(value)}")
            return None
        if not low <= value <= high:
            self.problem(key, f"must be between {low} and {high}, got {value}")
            return None
        return value

    def choice(
        self, key: str, choices: Collection[str], what: str, default: object = MISSING
    ) -> str | None:
        value = self.text(key, default)
        if value is not None and value not in choices:
            self.problem(key, f'unknown {what} "{value}"')
            return None
        return value

    def choices(
        self, key: str, choices: Collection[str], what: str, default: list[str]
    ) -> list[str] | None:
        value: list[Any] | None = self._get(
            key, default, lambda v: isinstance(v, list), f"a list of {what}s"
        )
        if value is None:
            return None
        good = True
        for item in value:
            if not isinstance(item, str) or item not in choices:
                self.problem(key, f"unknown {what} {show(item)}")
                good = False
        return value if good else None

    def table(self, key: str) -> Table | None:
        value: Mapping[str, Any] | None = self._get(
            key, {}, lambda v: isinstance(v, dict), "a table"
        )
        return None if value is None else Table(self.problems, self.file, value, self.where(key))

    def tables(self, key: str) -> list[Table] | None:
        value: list[Any] | None = self._get(
            key,
            [],
            lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v),
            "an array of tables ([[" + key + "]])",
        )
        if value is None:
            return None
        return [
            Table(self.problems, self.file, t, f"{self.where(key)}[{i}]")
            for i, t in enumerate(value)
        ]


_TOML_POSITION = re.compile(
    r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$"
)


def file_problem(path: Path, error: OSError) -> ProfileError:
    if isinstance(error, FileNotFoundError):
        return ProfileError(f"{path.name}: file: not found ({path})")
    return ProfileError(f"{path.name}: file: cannot be read ({error.strerror})")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse *path*, or raise ProfileError naming the file and position."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise file_problem(path, error) from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path.name}: file: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        text = str(error)
        match = _TOML_POSITION.match(text)
        if match is None:
            where, message = "file", text
        elif match["line"]:
            where, message = f"line {match['line']}, column {match['col']}", match["message"]
        else:
            where, message = "end of file", match["message"]
        raise ProfileError(f"{path.name}: {where}: not valid TOML: {message}") from None
