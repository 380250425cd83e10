"""The code lists (``data/lists/*.toml``) that supply a profile's picklists.

Layout: a ``[list]`` table (``key`` = the file name without ``.toml``, ``title``,
``source``, optional ``unverified`` and ``notes``) and one or more ``[[items]]``
(``code``: upper-case letters, digits and ``_``; ``label``; optional ``group`` and
``unverified``). Each list is read once and cached.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TypeVar

from calllog.paths import lists_dir
from calllog.profiles.tomlfile import ProfileError, Table, read_toml, show

__all__ = ["NAME", "CodeList", "ListItem", "available_lists", "code_list", "known",
           "list_exists", "load_list"]

#: A list's or a profile's key: lower-case letters, digits and -.
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_]*")
_T = TypeVar("_T")


def known(value: _T | None) -> _T:
    """A value that was checked: with no problems recorded it is never None."""
    assert value is not None
    return value


@dataclass(frozen=True)
class ListItem:
    code: str
    label: str
    group: str | None = None
    unverified: bool = False


@dataclass(frozen=True)
class CodeList:
    key: str
    title: str
    items: tuple[ListItem, ...]
    source: str = ""
    unverified: bool = False
    notes: str | None = None
    _by_code: Mapping[str, ListItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {item.code: item for item in self.items})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> ListItem | None:
        return self._by_code.get(code)

    def label(self, code: str) -> str:
        """The label for *code*; a code that is not in the list (an old
        record after the list changed) is returned unchanged."""
        item = self._by_code.get(code)
        return item.label if item is not None else code

    def codes(self) -> set[str]:
        return set(self._by_code)


def available_lists() -> list[str]:
    """Keys of the shipped code lists, sorted."""
    return sorted(path.stem for path in lists_dir().glob("*.toml"))


def list_exists(key: str) -> bool:
    return NAME.fullmatch(key) is not None and (lists_dir() / f"{key}.toml").is_file()


@cache
def load_list(key: str) -> CodeList:
    """The code list ``data/lists/<key>.toml``, checked and cached."""
    if not list_exists(key):
        raise ProfileError(f"{key}.toml: list: no such list in {lists_dir()}")
    path = lists_dir() / f"{key}.toml"
    problems: list[str] = []
    top = Table(problems, path.name, read_toml(path))
    top.only(("list", "items"))
    title = source = notes = unverified = None
    header = top.table("list")
    if header is not None:
        header.only(("key", "title", "source", "unverified", "notes"), ("items",))
        list_key = header.text("key")
        if list_key is not None and list_key != key:
            header.problem("key", f'must be "{key}" (the file name), got "{list_key}"')
        title, source = header.text("title"), header.text("source")
        unverified, notes = header.flag("unverified", False), header.text("notes", None)
    items: list[ListItem] = []
    rows = top.tables("items")
    if rows is not None and not rows:
        top.problem("items", "the list has no [[items]]")
    for row in rows or []:
        row.only(("code", "label", "group", "unverified"))
        code, label = row.text("code"), row.text("label")
        group, item_unverified = row.text("group", None), row.flag("unverified", False)
        if code is not None and not _CODE.fullmatch(code):
            row.problem("code", f"must be upper-case letters, digits and _, got {show(code)}")
        elif code is not None and any(item.code == code for item in items):
            row.problem("code", f'"{code}" is already in the list')
        elif code is not None and label is not None and item_unverified is not None:
            items.append(ListItem(code, label, group, item_unverified))
    if problems:
        raise ProfileError(*problems)
    return CodeList(key, known(title), tuple(items), known(source), known(unverified), notes)


def code_list(table: Table, key: str, list_key: str | None) -> CodeList | None:
    if list_key is None:
        return None
    if not list_exists(list_key):
        table.problem(key, f'unknown list "{list_key}"')
        return None
    try:
        return load_list(list_key)
    except ProfileError as error:
        table.problems.extend(error.problems)
        return None
