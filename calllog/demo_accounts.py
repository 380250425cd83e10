"""The demo database's synthetic accounts and their passwords (shown on a demo's
login screen). Standard library only: the login screen imports it before the ORM."""

from __future__ import annotations

from dataclasses import dataclass

from calllog.roles import Role


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    password: str
    dbs: bool = True


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Avery Admin", Role.ADMINISTRATOR, "admin-demo-password"),
    DemoAccount("adviser", "Ash Adviser", Role.ADVISER, "adviser-demo-password"),
    DemoAccount("supervisor", "Sam Supervisor", Role.SUPERVISOR, "supervisor-demo-password"),
    DemoAccount("newstarter", "Nico Newstarter", Role.ADVISER, "newstarter-demo-password",
                dbs=False),
)
DEMO_PROFILE = "surrey-pwp"


def credentials_text() -> str:
    lines = ["Demo accounts (synthetic; this database is for trying calllog only):"]
    for account in DEMO_ACCOUNTS:
        note = "" if account.dbs else "  (no DBS check recorded: family records refused)"
        lines.append(f"  {account.role:<14} {account.username:<11} {account.password}{note}")
    return "\n".join(lines)
