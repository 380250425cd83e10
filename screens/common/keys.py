"""Every key of calllog is declared once, in ``data/keys.toml``: one list a screen,
in footer order, each key with its binding id, action, footer label and F1 sentence.
A screen takes its list with ``BINDINGS = keys_for("home")``; a service's or a user's
``[keys]`` table (calllog/keymap.py) then remaps any binding by its id.

Keeping the whole key chart in one file lets it be read, reordered for an 80-column
footer, and checked in one place (tests/unit/test_keys_table.py: every id unique,
every action a real ``action_`` method of its screen)."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from textual.binding import Binding, BindingType

from calllog.paths import data_dir

_FIELDS = {"id", "keys", "action", "label", "help", "priority", "show"}


@cache
def key_chart() -> dict[str, list[dict[str, Any]]]:
    """``data/keys.toml``, read once: list name -> the entries of that list."""
    with (data_dir() / "keys.toml").open("rb") as file:
        chart: dict[str, list[dict[str, Any]]] = tomllib.load(file)
    return chart


def keys_for(name: str) -> list[BindingType]:
    """The bindings of one screen or widget, in the order the chart gives them."""
    bindings: list[BindingType] = []
    for entry in key_chart()[name]:
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"data/keys.toml: {name}: unknown field(s) {sorted(unknown)}")
        bindings.append(Binding(
            entry["keys"], entry["action"], entry["label"], id=entry["id"],
            tooltip=entry["help"], priority=entry.get("priority", False),
            show=entry.get("show", True),
        ))
    return bindings
