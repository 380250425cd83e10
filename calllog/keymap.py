"""Keys people can change: a ``[keys]`` table in calllog's configuration file maps a
binding's id (``enquiry.save``, ``home.new_enquiry``; every key's id is listed by F1
and in the README) to the keys that run it, e.g. ``"enquiry.save" = "ctrl+s,f10"``.

Read from ``/etc/calllog/calllog.toml`` (the whole service), then the user's own
``calllog.toml`` in their configuration folder (``~/.config/calllog`` on Linux), the
user's keys winning; ``CALLLOG_CONFIG`` names one file instead. Standard library only
(read at start-up)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from calllog.errors import CalllogError

SERVICE_CONFIG = Path("/etc/calllog/calllog.toml")
ENV_CONFIG = "CALLLOG_CONFIG"
_BINDING_ID = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
_KEY = re.compile(r"^[a-z0-9_+\-]+$|^[^\s,]$")


class ConfigError(CalllogError):
    """The configuration file cannot be used; the message names the file and key."""


def config_paths() -> list[Path]:
    """Where the configuration is looked for, weakest first."""
    named = os.environ.get(ENV_CONFIG)
    if named:
        return [Path(named)]
    from platformdirs import user_config_path

    return [SERVICE_CONFIG, user_config_path("calllog", appauthor=False) / "calllog.toml"]


def load_keymap(paths: Iterable[Path] | None = None) -> dict[str, str]:
    """Binding id -> keys, from every configuration file that exists (later files
    win). A file that cannot be read or has a wrong entry raises ConfigError."""
    keymap: dict[str, str] = {}
    for path in config_paths() if paths is None else paths:
        if path.is_file():
            keymap.update(_read_keys(path))
    return keymap


def _read_keys(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    table = data.get("keys", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: keys: should be a table of binding id = \"keys\"")
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        where = f"{path}: keys.{binding_id}"
        if not _BINDING_ID.match(binding_id):
            raise ConfigError(f"{where}: not a key's id (ids look like enquiry.save; "
                              f"F1 lists them)")
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"{where}: give the keys as text, e.g. \"ctrl+s,f10\"")
        parts = [part.strip() for part in keys.split(",")]
        bad = [part for part in parts if not _KEY.match(part)]
        if bad:
            raise ConfigError(f"{where}: {bad[0]!r} is not a key name (e.g. n, f10, ctrl+s)")
        keymap[binding_id] = ",".join(parts)
    return keymap
