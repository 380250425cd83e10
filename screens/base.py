"""Base classes for calllog's screens: typed access to the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from screens.app import CalllogApp

ResultT = TypeVar("ResultT")


class CalllogScreen(Screen[ResultT]):
    @property
    def calllog(self) -> CalllogApp:
        """The running app, typed: its store, profile and signed-in actor."""
        return cast("CalllogApp", self.app)


class CalllogModal(ModalScreen[ResultT]):
    @property
    def calllog(self) -> CalllogApp:
        """The running app, typed: its store, profile and signed-in actor."""
        return cast("CalllogApp", self.app)
