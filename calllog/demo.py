"""The demo database: synthetic staff whose passwords are printed at set-up.

These passwords exist only here and only ever go into a database marked as a
demo (``calllog demo`` refuses any other); a real service is set up with
``calllog init``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from calllog.db import Store
from calllog.errors import CalllogError
from calllog.services import settings, staff


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


def ensure_demo(store: Store, profile_key: str = DEMO_PROFILE) -> bool:
    """Set up the demo accounts in a new database. Returns False if already there.

    Refuses a database that holds a real service.
    """
    if staff.staff_count(store):
        if not settings.is_demo(store):
            raise CalllogError("That database is a real service, not a demo; choose another --db.")
        return False
    admin_account = DEMO_ACCOUNTS[0]
    admin = staff.initialise_service(
        store, profile_key=profile_key, username=admin_account.username,
        display_name=admin_account.display_name, password=admin_account.password, demo=True,
    )
    staff.record_dbs(store, admin, admin.username, date(2026, 1, 5), "DEMO-000001")
    for number, account in enumerate(DEMO_ACCOUNTS[1:], start=2):
        staff.add_staff(
            store, admin, username=account.username, display_name=account.display_name,
            role=account.role, password=account.password,
            dbs_checked_on=date(2026, 1, 5) if account.dbs else None,
            dbs_reference=f"DEMO-{number:06d}" if account.dbs else None,
        )
    return True


def credentials_text() -> str:
    lines = ["Demo accounts (synthetic; this database is for trying calllog only):"]
    for account in DEMO_ACCOUNTS:
        note = "" if account.dbs else "  (no DBS check recorded: family records refused)"
        lines.append(f"  {account.role:<14} {account.username:<11} {account.password}{note}")
    return "\n".join(lines)
