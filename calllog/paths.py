"""Where calllog finds its shipped data files and keeps its database."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The ``data/`` folder: inside the package when installed from a wheel,
    beside the package in a source checkout (editable install)."""
    shipped = _HERE / "data"
    if shipped.is_dir():
        return shipped
    return _HERE.parent / "data"


def profiles_dir() -> Path:
    return data_dir() / "profiles"


def lists_dir() -> Path:
    return data_dir() / "lists"
