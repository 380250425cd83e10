"""Helpers for the call-queue, notes and access-list tests (issue 5): a second adviser,
families and enquiries written straight into the store with exactly the attributes a
test needs (a past callback date, say, which the services rightly refuse), and
safeguarding overrides. Everything is synthetic."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from calllog.db import Store
from calllog.models import Child, Enquiry, EnquiryTopic, Family, Person, SafeguardingOverride
from calllog.roles import Actor
from calllog.services import staff as staff_service
from tests.conftest import sign_in

SECOND_ADVISER = ("bea", "Bea Adviser", "gravel lantern orchid mosaic")


def add_second_adviser(store: Store) -> Actor:
    """A second adviser with a DBS check: "adviser B"."""
    username, name, password = SECOND_ADVISER
    staff_service.add_staff(store, sign_in(store, "admin"), username=username,
                            display_name=name, role="adviser", password=password,
                            dbs_checked_on=date(2026, 1, 5), dbs_reference="DEMO-B")
    from calllog.services import accounts

    return accounts.login(store, username, password)


def add_family(store: Store, *, supporter_id: int | None, created_by: int,
               parent_name: str | None = None, child_name: str = "Alex Testchild",
               dob: date = date(2015, 3, 4), coded_ref: str | None = None) -> int:
    from calllog.coderef import coded_reference

    with store.write() as session:
        family = Family(coded_ref=coded_ref or coded_reference(child_name, dob),
                        contact_consent=parent_name is not None, supporter_id=supporter_id,
                        created_by=created_by)
        session.add(family)
        session.flush()
        assert family.id is not None
        session.add(Child(family_id=family.id, name=child_name, dob=dob))
        if parent_name:
            session.add(Person(family_id=family.id, party="parent", name=parent_name))
        session.flush()
        from calllog.services.search import index_family

        index_family(session, family.id)  # found by name, like a family the services made
        return family.id


def add_enquiry(store: Store, *, recorded_by: int, family_id: int | None = None,
                assigned_to: int | None = None, status: str = "open",
                follow_up_due: date | None = None, started_at: datetime | None = None,
                channel: str = "PHONE", topics: tuple[str, ...] = (),
                notes: str | None = None, outcome: str | None = None) -> int:
    started = started_at or datetime.now(UTC)
    with store.write() as session:
        enquiry = Enquiry(family_id=family_id, recorded_by=recorded_by, assigned_to=assigned_to,
                          started_at=started, ended_at=started + timedelta(minutes=5),
                          channel=channel, anonymous=family_id is None, notes=notes,
                          outcome=outcome, status=status, follow_up_due=follow_up_due)
        session.add(enquiry)
        session.flush()
        assert enquiry.id is not None
        for topic in topics:
            session.add(EnquiryTopic(enquiry_id=enquiry.id, topic=topic))
        return enquiry.id


def flag_family(store: Store, family_id: int, made_by: int, *,
                reviewed_by: int | None = None) -> int:
    """A safeguarding override on the family: unreviewed unless ``reviewed_by``."""
    with store.write() as session:
        override = SafeguardingOverride(
            family_id=family_id, category="CHILD_AT_RISK",
            reason="synthetic concern for the queue tests", made_by=made_by,
            reviewed_by=reviewed_by,
            reviewed_at=datetime.now(UTC) if reviewed_by is not None else None)
        session.add(override)
        session.flush()
        assert override.id is not None
        return override.id


@dataclass(frozen=True)
class Row:
    """What the reference implementation of the queue's order knows of an enquiry."""

    id: int
    family_id: int | None
    coded_ref: str | None
    started_at: datetime
    channel: str
    assigned_to: int | None
    follow_up_due: date | None
    status: str
    topics: tuple[str, ...]


def random_queue(store: Store, rng: random.Random, *, staff_ids: list[int], n: int,
                 today: date, channels: list[str], topics: list[str]
                 ) -> tuple[list[Row], set[int]]:
    """``n`` enquiries with every combination the queue distinguishes (open and closed,
    due in the past, today, later or never, assigned or not, anonymous or a family's,
    equal start times and equal coded references), and the flagged families; written
    in one transaction."""
    refs = ["AB 01/01/2015", "AB 01/01/2015", "ZZ 02/02/2016", "CD 03/03/2017",
            "?? --/--/----", "MM 04/04/2018"]
    base = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    rows: list[Row] = []
    with store.write() as session:
        families: list[tuple[int, str]] = []
        for n_family in range(12):
            ref = refs[n_family % len(refs)]
            family = Family(coded_ref=ref, supporter_id=rng.choice([None, *staff_ids]),
                            created_by=staff_ids[0])
            session.add(family)
            session.flush()
            assert family.id is not None
            families.append((family.id, ref))
        flagged = {families[0][0], families[5][0]}
        for family_id, reviewer in [(families[0][0], None), (families[5][0], None),
                                    (families[3][0], staff_ids[-1])]:
            session.add(SafeguardingOverride(
                family_id=family_id, category="CHILD_AT_RISK", reason="synthetic concern",
                made_by=staff_ids[0], reviewed_by=reviewer,
                reviewed_at=datetime.now(UTC) if reviewer is not None else None))
        for _ in range(n):
            picked: tuple[int, str] | None = rng.choice([None, *families])
            started = base + timedelta(hours=rng.randrange(0, 24 * 40, 7))  # ties happen
            due = rng.choice([None, None, today - timedelta(days=rng.randint(1, 9)), today,
                              today + timedelta(days=rng.randint(1, 9))])
            assigned = rng.choice([None, *staff_ids])
            status = rng.choice(["open", "open", "closed"])
            channel = rng.choice(channels)
            chosen = tuple(sorted(rng.sample(topics, rng.randint(0, 2))))
            enquiry = Enquiry(family_id=picked[0] if picked else None,
                              recorded_by=rng.choice(staff_ids), assigned_to=assigned,
                              started_at=started, ended_at=started + timedelta(minutes=5),
                              channel=channel, anonymous=picked is None, status=status,
                              follow_up_due=due)
            session.add(enquiry)
            session.flush()
            assert enquiry.id is not None
            for topic in chosen:
                session.add(EnquiryTopic(enquiry_id=enquiry.id, topic=topic))
            rows.append(Row(enquiry.id, picked[0] if picked else None,
                            picked[1] if picked else None, started, channel, assigned, due,
                            status, chosen))
    return rows, flagged
