"""The policy engine: pure functions, no I/O.

Each answers "may this actor do this?" with a :class:`Decision` that says why,
and for refusals exactly what is missing. Services ask; nothing else decides.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from calllog.roles import Actor, Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    missing: str | None = None
    override_possible: bool = False

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def refuse(reason: str, *, missing: str | None = None, override_possible: bool = False) -> Decision:
    return Decision(False, reason, missing, override_possible)


def may_open_family_records(actor: Actor) -> Decision:
    """ACC3: nobody who works with families opens a family record before a DBS
    check is recorded for them (policies 000, 002, 003 vi, 004 §7)."""
    if not actor.dbs_recorded:
        return refuse(
            "Family records are closed to you until your DBS check is recorded; "
            "ask an administrator.",
            missing="a recorded DBS check",
        )
    return allow("DBS check recorded")


def may_view_dbs(role: Role, visible_to: Collection[str]) -> Decision:
    """ACC4: DBS check details only for the roles the profile names
    (Cordomus: co-ordinator and chair)."""
    if role.value in visible_to:
        return allow("the service profile shows DBS details to this role")
    return refuse("DBS details are shown only to " + ", ".join(sorted(visible_to)) + ".")


def may_manage_staff(actor: Actor) -> Decision:
    """Adding, disabling and resetting accounts is for administrators (ACC1)."""
    if actor.role is Role.ADMINISTRATOR:
        return allow("administrator")
    return refuse("Only an administrator can manage staff accounts.")


def may_unlock_accounts(actor: Actor) -> Decision:
    """ACC2: a locked account is unlocked by a supervisor or an administrator."""
    if actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        return allow("supervisor or administrator")
    return refuse("Only a supervisor or an administrator can unlock an account.")


def may_list_staff(actor: Actor) -> Decision:
    if actor.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        return allow("supervisor or administrator")
    return refuse("Only supervisors and administrators can see the staff list.")
