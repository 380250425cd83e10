"""Errors whose message is one line an adviser or administrator can act on."""

from __future__ import annotations

from collections.abc import Mapping


class CalllogError(Exception):
    """Base: ``str(error)`` is shown to the user as it is."""


class NotAllowed(CalllogError):
    """The policy refused this actor this action."""


class NotFound(CalllogError):
    pass


class InvalidInput(CalllogError):
    pass


class Problems(InvalidInput):
    """Every field problem at once. ``problems`` maps a field key (``"recipient"``,
    ``"children[0].dob"``) to words an adviser understands; ``str()`` is one line: the
    first problem, and how many more there are."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems: dict[str, str] = dict(problems)
        if not self.problems:
            raise ValueError("Problems needs at least one problem")
        first = next(iter(self.problems.values()))
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more)" if more else ""))
