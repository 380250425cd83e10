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

    def field_problems(self) -> bool:
        """Check every shown field before saving. If any is wrong, put the cursor in
        the first, say what is wrong (its message also stays beside it) and return
        True; nothing typed is changed."""
        from screens.widgets import TextField

        broken = [f for f in self.query(TextField)
                  if f.display and f.check() is None and f.error]
        if not broken:
            return False
        first = broken[0]
        first.focus_input()
        more = f" ({len(broken) - 1} more)" if len(broken) > 1 else ""
        self.notify(f"{first.label}: {first.error}{more}", severity="error", markup=False)
        return True


class CalllogModal(ModalScreen[ResultT]):
    @property
    def calllog(self) -> CalllogApp:
        """The running app, typed: its store, profile and signed-in actor."""
        return cast("CalllogApp", self.app)
