"""Who is signed in, to which service: what every screen action and service call needs.

Free of any database import at run time (the login screen imports it before the ORM
is loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from calllog.errors import CalllogError

if TYPE_CHECKING:
    from calllog.db import Store
    from calllog.profiles import Profile
    from calllog.roles import Actor


class SignedOut(CalllogError):
    """Nobody is signed in (the session ended while something was still on screen)."""

    def __init__(self) -> None:
        super().__init__("You have been signed out; sign in again to carry on.")


@dataclass(frozen=True, slots=True)
class SignedIn:
    """One member of staff signed in to one service's store."""

    store: Store
    actor: Actor
    profile: Profile
