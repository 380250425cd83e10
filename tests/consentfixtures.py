"""Helpers for the consent, disclosure, referral and contact-centre tests: a service
set up with any shipped profile, and synthetic families (Ofcom drama numbers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from calllog.clock import utcnow
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor
from calllog.services.enquiries import ChildDetails, NewEnquiry, ParentDetails, log_enquiry
from tests.conftest import sign_in

PARENT = ParentDetails(name="Robin Testparent", relationship="MOTHER",
                       address="1 Test Row, Truro", postcode="TR1 1AA",
                       phone="020 7946 0123", email="robin@example.org")
OTHER = ParentDetails(name="Jordan Otherparty", relationship="FATHER",
                      address="9 Elsewhere Road, Bodmin", postcode="PL31 2AB",
                      phone="0161 496 0456", email="jordan@example.net")
CHILD = ChildDetails(name="Alex Testchild", dob=date(2016, 3, 4))
# What must never appear in the other party's view: every way B's details are written.
OTHER_SECRETS = ("9 Elsewhere Road", "Bodmin", "PL31 2AB", "PL31", "0161 496 0456",
                 "+441614960456", "1614960456", "jordan@example.net")
PARENT_SECRETS = ("1 Test Row", "Truro", "TR1 1AA", "020 7946 0123", "+442079460123",
                  "2079460123", "robin@example.org")


def open_service(tmp_path: Path, profile_key: str) -> tuple[Store, Profile]:
    store = Store(f"sqlite:///{tmp_path / (profile_key + '.sqlite3')}", create=True)
    ensure_demo(store, profile_key)
    return store, load_profile(profile_key)


def new_family(store: Store, actor: Actor, profile: Profile, *,
               parent: ParentDetails = PARENT) -> int:
    saved = log_enquiry(store, actor, profile, NewEnquiry(
        started_at=utcnow(), contact_consent=True, parent=parent, children=(CHILD,),
        notes="synthetic"))
    assert saved.family_id is not None
    return saved.family_id


def staff(store: Store) -> tuple[Actor, Actor, Actor, Actor]:
    """adviser, supervisor, admin, newstarter (no DBS check)."""
    return (sign_in(store, "adviser"), sign_in(store, "supervisor"), sign_in(store, "admin"),
            sign_in(store, "newstarter"))


def two_parties(tmp_path: Path, service: str) -> tuple[Store, Profile, Actor, int]:
    """A contact centre's family from a solicitor's referral: the parent with consent
    to keep their details, and the other party."""
    from calllog.services import families, parties, referrals
    from calllog.services.referrals import NewReferral

    store, profile = open_service(tmp_path, service.replace("_", "-"))
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law",
        referrer_contact="020 7946 0777", reason="Supported contact after separation.",
        parent_name="Robin Testparent"))
    family = referral.family_id
    assert family is not None
    families.update_family(store, adviser, profile, family, parent=PARENT, children=(),
                           diversity={}, contact_consent=True)
    parties.set_other_party(store, adviser, profile, family, OTHER, keep_contact=True)
    return store, profile, adviser, family
