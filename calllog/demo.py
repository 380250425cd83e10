"""The demo database: synthetic staff whose passwords are printed at set-up.

These passwords exist only here and only ever go into a database marked as a
demo (``calllog demo`` refuses any other); a real service is set up with
``calllog init``.
"""

from __future__ import annotations

from datetime import date, timedelta

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
            role=account.role, password=account.password, demo_account=True,
            dbs_checked_on=date(2026, 1, 5) if account.dbs else None,
            dbs_reference=f"DEMO-{number:06d}" if account.dbs else None,
        )
    return True


# Synthetic families for trying calllog: made-up names, Ofcom's drama telephone
# numbers (020 7946 0xxx), example addresses.
DEMO_FAMILIES = (
    ("Robin Example", "MOTHER", "1 Example Row, Woking", "GU21 4XX", "020 7946 0101",
     (("Alex Example", date(2015, 3, 4)), ("Sam Example", date(2019, 9, 1)))),
    ("Jordan Sample", "FATHER", "22 Sample Street, Guildford", "GU1 3AA", "020 7946 0202",
     (("Casey Sample", date(2012, 8, 31)),)),
    ("Morgan Testcase", "CARER", "3 Test Lane, Epsom", "KT17 1AB", "020 7946 0303",
     (("Riley Testcase", date(2011, 1, 15)),)),
)


def seed_families(store: Store) -> int:
    """A few synthetic families with one contact each, logged by the demo adviser."""
    from calllog.audit import Action
    from calllog.clock import today, utcnow
    from calllog.profiles import load_profile
    from calllog.services import accounts, enquiries, settings

    profile = load_profile(settings.get(store, settings.PROFILE) or DEMO_PROFILE)
    adviser = next(a for a in DEMO_ACCOUNTS if a.username == "adviser")
    actor = accounts.login(store, adviser.username, adviser.password)
    topics = [item.code for item in profile.topics.items]
    outcome = profile.outcomes.items[0].code
    for n, (name, relationship, address, postcode, phone, children) in enumerate(DEMO_FAMILIES):
        callback = n == 1 and "CALLBACK" in profile.outcomes  # one open call to follow up
        enquiries.log_enquiry(store, actor, profile, enquiries.NewEnquiry(
            started_at=utcnow(), topics=(topics[n % len(topics)],),
            outcome="CALLBACK" if callback else outcome,
            follow_up_due=today() + timedelta(days=1) if callback else None,
            notes="Synthetic demo contact.", policy_explained=True, contact_consent=True,
            parent=enquiries.ParentDetails(
                name=name,
                relationship=relationship if relationship in profile.relationships else None,
                address=address, postcode=postcode, phone=phone),
            children=tuple(enquiries.ChildDetails(name=child, dob=born)
                           for child, born in children),
        ))
    accounts.record_event(store, actor, Action.LOGOUT, "demo set-up")
    return len(DEMO_FAMILIES)
