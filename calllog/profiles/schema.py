"""Declaring a file's schema once, on the dataclass it is read into.

Each field of a :class:`~calllog.profiles.profile.Profile` (and of the tables it
holds: :class:`~calllog.profiles.profile.Retention`, each
:class:`~calllog.profiles.profile.DiversityQuestion`) says, with :func:`rule`, where it
is in the TOML file (``table``, ``name``), what it may hold (a :class:`Reader`:
:class:`Text`, :class:`Whole` with its range, :class:`OneOf` its values …), its
default (one, or one per service kind), any further rule (``check``) and what it is
for (``doc``). :func:`read_fields` walks those fields to read and check a file:
loading a profile and ``calllog profile check`` are the same walk, and
:func:`reference` writes the layout out from the same declarations. Adding a key is
adding one field.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, Protocol, get_origin, get_type_hints

from calllog.profiles.lists import code_list
from calllog.profiles.tomlfile import MISSING, Table, show
from calllog.vocabulary import ServiceKind

__all__ = ["Checking", "Flag", "Key", "ListRef", "OneOf", "Reader", "Reading", "Rows",
           "Section", "SetOf", "Text", "Whole", "declared", "read_fields",
           "reference", "rule", "toml_keys"]

class Reading:
    """What is known while one file is read: the file's top-level keys (a key found
    in a table below is most likely a top-level key written too late), the values of
    the object being read so far, the rows already read (for :class:`Rows`), the
    service kind (for defaults that depend on it) and the fields whose ``check``
    found a problem (their values are kept for the other checks)."""

    __slots__ = ("earlier", "failed", "kind", "top_level", "values")

    def __init__(self, top_level: tuple[str, ...], *, earlier: Sequence[Any] = (),
                 kind: str = ServiceKind.SEND) -> None:
        self.top_level, self.earlier, self.kind = top_level, earlier, kind
        self.values: dict[str, Any] = {}
        self.failed: set[str] = set()


class Checking:
    """What a field's ``check`` sees: the values read from its table (None where
    there was a problem), the table as written, and the rows read before this one."""

    __slots__ = ("data", "earlier", "values")

    def __init__(self, values: Mapping[str, Any], data: Mapping[str, Any],
                 earlier: Sequence[Any]) -> None:
        self.values, self.data, self.earlier = values, data, earlier


#: A further rule on a field, run once every key of its table is read: the problems
#: it finds with the field's key, in words (``must include "keep_contact_details"``).
Check = Callable[[Any, Checking], Iterable[str]]


class Reader(Protocol):
    """How one key's value is read, type-checked and converted; None (with the
    problem recorded) when it is wrong."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any: ...

    def describe(self) -> str: ...


class Key:
    """Where a field is in the file and what it may hold (see :func:`rule`)."""

    __slots__ = ("check", "default", "default_for", "doc", "name", "reader", "table")

    def __init__(self, reader: Reader, table: str, name: str, default: Any,
                 default_for: Mapping[str, Any], check: Check | None, doc: str) -> None:
        self.reader, self.table, self.name, self.default = reader, table, name, default
        self.default_for, self.check, self.doc = default_for, check, doc

    def toml_name(self, attribute: str) -> str:
        return self.name or attribute

    def default_for_kind(self, kind: str) -> Any:
        return self.default_for.get(kind, self.default)


def rule(reader: Reader, *, table: str = "", name: str = "", default: Any = MISSING,
         default_for: Mapping[str, Any] | None = None, check: Check | None = None,
         doc: str = "") -> Key:
    """Where a dataclass field is in a TOML file, written on its type:
    ``idle_lock_minutes: Annotated[int, rule(Whole(1, 15), default=5, doc=...)]``.
    The field is read from ``table`` (a top-level table's name; "" for the top level
    of the file, the row or the section being read), under ``name`` (the field's own
    name if not given). ``default``: the value when the key is absent (MISSING: the
    key must be given); ``default_for``: one per service kind instead. ``check``: a
    further rule, run once the table is read."""
    return Key(reader, table, name, default, dict(default_for or {}), check, doc)


@cache
def declared(cls: type) -> list[tuple[str, Key]]:
    """The fields of dataclass ``cls`` read from a file, in declaration order, with
    their keys."""
    hints = get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if get_origin(hint) is Annotated:
            out += [(f.name, m) for m in hint.__metadata__ if isinstance(m, Key)]
    return out


def toml_keys(cls: type) -> tuple[str, ...]:
    """The keys a table read into ``cls`` may hold, in order: the top-level keys of
    the fields read from it, and the names of the tables the others are read from."""
    out: list[str] = []
    for attribute, spec in declared(cls):
        name = spec.table or spec.toml_name(attribute)
        if name not in out:
            out.append(name)
    return tuple(out)


def read_fields(cls: type, table: Table, reading: Reading) -> dict[str, Any]:
    """Read every declared field of ``cls`` from ``table`` (and from the tables its
    fields name), recording each problem; then run each field's ``check``. A field
    whose value is wrong is None. The caller has checked ``table``'s own keys."""
    values = reading.values
    for table_name, group in itertools.groupby(declared(cls), key=lambda d: d[1].table):
        fields = list(group)
        source: Table | None = table
        if table_name:
            source = table.table(table_name)
            if source is not None:
                source.only([spec.toml_name(name) for name, spec in fields],
                            reading.top_level)
        if source is None:
            values.update({name: None for name, _ in fields})
            continue
        for name, spec in fields:
            default = spec.default_for_kind(_kind(reading))
            values[name] = spec.reader.read(source, spec.toml_name(name), default, reading)
        checking = Checking(values, source.data, reading.earlier)
        for name, spec in fields:
            if spec.check is not None:
                for problem in spec.check(values[name], checking):
                    source.problem(spec.toml_name(name), problem)
                    reading.failed.add(name)
    return values


def _kind(reading: Reading) -> str:
    kind = reading.values.get("kind")
    return kind if isinstance(kind, str) else reading.kind


# --- readers ------------------------------------------------------------------------


class Text:
    """Non-empty text."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> str | None:
        return table.text(key, default)

    def describe(self) -> str:
        return "text"


class Flag:
    """true or false."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> bool | None:
        return table.flag(key, default)

    def describe(self) -> str:
        return "true or false"


class Whole:
    """A whole number from ``low`` to ``high``."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> int | None:
        return table.number(key, default, self.low, self.high)

    def describe(self) -> str:
        return f"a whole number, {self.low} to {self.high}"


class OneOf:
    """One of ``choices`` (a problem calls a wrong one an unknown ``what``); the value
    is made with ``convert`` (a StrEnum, say)."""

    def __init__(self, choices: tuple[str, ...], what: str,
                 convert: Callable[[str], Any] = str) -> None:
        self.choices, self.what, self.convert = choices, what, convert

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        value = table.choice(key, self.choices, self.what, default)
        return None if value is None else self.convert(value)

    def describe(self) -> str:
        return "one of " + ", ".join(self.choices)


class SetOf:
    """A list of ``choices`` (each a ``what``), read as a frozenset; with
    ``at_least_one`` an empty list is a problem."""

    def __init__(self, choices: tuple[str, ...], what: str, *,
                 at_least_one: bool = False) -> None:
        self.choices, self.what, self.at_least_one = choices, what, at_least_one

    def read(self, table: Table, key: str, default: Any,
             reading: Reading) -> frozenset[str] | None:
        value = table.choices(key, self.choices, self.what,
                              default if default is MISSING else list(default))
        if value == [] and self.at_least_one:
            table.problem(key, f"must name at least one {self.what}")
        return None if value is None else frozenset(value)

    def describe(self) -> str:
        return ("a list of at least one of " if self.at_least_one else "a list of ") + \
            ", ".join(self.choices)


class ListRef:
    """The key of a code list in ``data/lists/``, read as the list."""

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        return code_list(table, key, table.text(key, default))

    def describe(self) -> str:
        return "the key of a list in data/lists/"


class Section:
    """A table read into dataclass ``cls``, whose fields say its keys. An absent or
    empty table is the field's default."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        section = table.table(key)
        if section is None or not section.data:
            return default
        section.only(toml_keys(self.cls), reading.top_level)
        before = len(table.problems)
        values = read_fields(self.cls, section, Reading(reading.top_level, kind=_kind(reading)))
        return self.cls(**values) if len(table.problems) == before else None

    def describe(self) -> str:
        return "a table: " + ", ".join(toml_keys(self.cls))


class Rows:
    """An array of tables (``[[key]]``), each read into dataclass ``cls``; a row's
    checks see the rows before it, those whose required keys were read and checked
    without a problem."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def read(self, table: Table, key: str, default: Any, reading: Reading) -> Any:
        rows = table.tables(key)
        if rows is None:
            return None
        out: list[Any] = []
        required = [name for name, spec in declared(self.cls) if spec.default is MISSING]
        for row in rows:
            row.only(toml_keys(self.cls), reading.top_level)
            read = Reading(reading.top_level, earlier=tuple(out), kind=_kind(reading))
            values = read_fields(self.cls, row, read)
            if all(values[name] is not None and name not in read.failed for name in required):
                out.append(self.cls(**values))
        return tuple(out)

    def describe(self) -> str:
        return "an array of tables ([[…]]), each: " + ", ".join(toml_keys(self.cls))


# --- the layout, written out ---------------------------------------------------------


def _default_words(spec: Key) -> str:
    def words(value: Any) -> str:
        if isinstance(value, frozenset | set):
            return show(sorted(value))
        if isinstance(value, tuple):
            return show(list(value))
        if isinstance(value, Mapping):
            return show(dict(value))
        if dataclasses.is_dataclass(value):
            return "none"
        return show(value)

    if spec.default_for:
        return "default " + ", ".join(f"{words(v)} ({k})" for k, v in spec.default_for.items())
    if spec.default is MISSING:
        return "required"
    if spec.default is None:
        return "optional"
    return "default " + words(spec.default)


def reference(cls: type, prefix: str = "") -> list[str]:
    """The layout of a file read into ``cls``, one line per key: where it is, what it
    may hold, its default and what it is for."""
    lines: list[str] = []
    for attribute, spec in declared(cls):
        where = ".".join(p for p in (prefix, spec.table, spec.toml_name(attribute)) if p)
        lines.append(f"{where}: {spec.reader.describe()}; {_default_words(spec)}."
                     + (f" {spec.doc}" if spec.doc else ""))
        inner = getattr(spec.reader, "cls", None)
        if isinstance(inner, type):
            lines += reference(inner, where + ("[]" if isinstance(spec.reader, Rows) else ""))
    return lines
