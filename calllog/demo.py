"""The demo database: synthetic staff whose passwords are printed at set-up.

These passwords exist only here and only ever go into a database marked as a
demo (``calllog demo`` refuses any other); a real service is set up with
``calllog init``.
"""

from __future__ import annotations

from datetime import date

from calllog.db import Store
from calllog.demo_accounts import DEMO_ACCOUNTS, DEMO_PROFILE
from calllog.errors import CalllogError
from calllog.services import settings, staff


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
