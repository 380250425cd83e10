"""Staff roles and the acting staff member, free of any database import."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADVISER = "adviser"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


ROLE_NAMES: tuple[str, ...] = tuple(r.value for r in Role)


@dataclass(frozen=True)
class Actor:
    """The staff member doing something: what services and the policy engine need."""

    id: int
    username: str
    display_name: str
    role: Role
    dbs_recorded: bool

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)

    @property
    def is_administrator(self) -> bool:
        return self.role is Role.ADMINISTRATOR
