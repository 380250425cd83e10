"""Errors whose message is one line an adviser or administrator can act on."""

from __future__ import annotations


class CalllogError(Exception):
    """Base: ``str(error)`` is shown to the user as it is."""


class NotAllowed(CalllogError):
    """The policy refused this actor this action."""


class NotFound(CalllogError):
    pass


class InvalidInput(CalllogError):
    pass
