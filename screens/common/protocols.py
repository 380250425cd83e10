"""What the app needs from screens that hold unsaved work.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class DraftSource(Protocol):
    """A screen with a form whose unsaved state is kept as its adviser's draft."""

    draft_kind: str

    def draft_payload(self) -> dict[str, Any] | None:
        """The form as it stands, or None when there is nothing worth keeping."""
        ...
