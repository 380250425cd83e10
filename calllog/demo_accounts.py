"""The demo database's synthetic accounts and their passwords (shown on a demo's
login screen). Standard library only: the login screen imports it before the ORM."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    password: str
    dbs: bool = True


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Avery Admin", "administrator", "admin-demo-password"),
    DemoAccount("adviser", "Ash Adviser", "adviser", "adviser-demo-password"),
    DemoAccount("supervisor", "Sam Supervisor", "supervisor", "supervisor-demo-password"),
    DemoAccount("newstarter", "Nico Newstarter", "adviser", "newstarter-demo-password", dbs=False),
)
DEMO_PROFILE = "surrey-pwp"


def credentials_text() -> str:
    lines = ["Demo accounts (synthetic; this database is for trying calllog only):"]
    for account in DEMO_ACCOUNTS:
        note = "" if account.dbs else "  (no DBS check recorded: family records refused)"
        lines.append(f"  {account.role:<14} {account.username:<11} {account.password}{note}")
    return "\n".join(lines)
