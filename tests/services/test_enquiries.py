"""REC1–REC7 at the service layer: what is stored, and what is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from calllog import audit
from calllog.clock import utcnow
from calllog.db import Store
from calllog.errors import NotAllowed, Problems
from calllog.models import (
    AuditEvent,
    Child,
    Consent,
    DiversityAnswer,
    Enquiry,
    EnquiryTopic,
    Family,
    Person,
)
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor
from calllog.services import families
from calllog.services.enquiries import (
    ChildDetails,
    NewEnquiry,
    ParentDetails,
    log_enquiry,
    log_non_data_contact,
)
from tests.conftest import sign_in


@pytest.fixture
def surrey() -> Profile:
    return load_profile("surrey-pwp")


PARENT = ParentDetails(name="Robin Testparent", relationship="MOTHER", address="1 Test Row",
                       postcode="gu21 4xx", phone="020 7946 0123", email="robin@example.org",
                       contact_method="PHONE")
CHILD = ChildDetails(name="Alex Testchild", dob=date(2015, 3, 4), gender="F",
                     school_name="Oakfield School", school_type=None, year_group="6",
                     sen_needs=("ASD",), sen_provision="K", issues=("EXCLUSION",))


def _one(store: Store, model: type) -> list:  # type: ignore[type-arg]
    with store.read() as session:
        return list(session.exec(select(model)))


def test_rec1_anonymous_enquiry_stores_no_personal_details(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), topics=("TRIBUNAL",), outcome="INFO", notes="general question"))
    assert saved.family_id is None
    (enquiry,) = _one(store, Enquiry)
    assert enquiry.anonymous and enquiry.family_id is None and enquiry.status == "closed"
    assert [t.topic for t in _one(store, EnquiryTopic)] == ["TRIBUNAL"]
    assert _one(store, Family) == [] and _one(store, Person) == []


@pytest.mark.parametrize("kind", ["SILENT", "WRONG_NUMBER", "HANG_UP", "ABUSIVE"])
def test_rec1_non_data_contact_counted(store: Store, adviser: Actor, surrey: Profile,
                                       kind: str) -> None:
    log_non_data_contact(store, adviser, surrey, kind)
    (enquiry,) = _one(store, Enquiry)
    assert enquiry.non_data_kind == kind and enquiry.anonymous


def test_rec2_identified_parent_and_two_children(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    second = ChildDetails(name="Sam Testchild", dob=date(2019, 9, 1))
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), topics=("EXCLUSION",), contact_consent=True, parent=PARENT,
        children=(CHILD, second), policy_explained=True, leaflet_sent=True))
    assert saved.coded_ref == "AT 04/03/2015"
    (person,) = _one(store, Person)
    assert person.postcode == "GU21 4XX" and person.phone == "+442079460123"
    assert sorted(c.name for c in _one(store, Child)) == ["Alex Testchild", "Sam Testchild"]
    (enquiry,) = _one(store, Enquiry)
    assert enquiry.family_id == saved.family_id and not enquiry.anonymous
    assert enquiry.policy_explained and enquiry.leaflet_sent  # REC7


def test_rec3_without_consent_no_contact_details_kept(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), contact_consent=False, parent=PARENT, children=(CHILD,)))
    assert _one(store, Person) == []  # even though they were sent
    (family,) = _one(store, Family)
    assert not family.contact_consent
    assert [c.name for c in _one(store, Child)] == ["Alex Testchild"]  # Surrey §2.3


def test_rec3_consent_withdrawn_on_edit_erases_contact_details(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), contact_consent=True, parent=PARENT, children=(CHILD,)))
    assert saved.family_id is not None
    (consent,) = _one(store, Consent)
    assert consent.withdrawn_on is None
    families.update_family(store, adviser, surrey, saved.family_id, parent=None, children=(),
                           diversity={}, contact_consent=False)
    (person,) = _one(store, Person)
    assert (person.address, person.postcode, person.phone, person.email) == (None,) * 4
    (consent,) = _one(store, Consent)  # kept in the ledger, with its withdrawal
    assert consent.withdrawn_on == date.today() and consent.withdrawn_by == adviser.id


def test_con1_rec3_consent_to_keep_details_is_a_ledger_record(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), contact_consent=True, parent=PARENT, children=(CHILD,)))
    (consent,) = _one(store, Consent)
    assert (consent.kind, consent.party, consent.written, consent.recorded_by,
            consent.given_on) == ("keep_contact_details", "parent", False, adviser.id,
                                  date.today())
    with store.read() as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert "consent_recorded" in actions


def test_rec4_diversity_stored_as_codes_family_or_enquiry(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), diversity={"ethnicity": "PNS", "religion": "2"}))
    answers = {(a.question, a.answer, a.family_id is None) for a in _one(store, DiversityAnswer)}
    assert answers == {("ethnicity", "PNS", True), ("religion", "2", True)}


def test_rec4_unknown_answer_code_refused(store: Store, adviser: Actor, surrey: Profile) -> None:
    with pytest.raises(Problems) as caught:
        log_enquiry(store, adviser, surrey, NewEnquiry(
            started_at=utcnow(), diversity={"ethnicity": "NOT_A_CODE"}))
    assert "diversity.ethnicity" in caught.value.problems


def test_rec5_every_personal_field_optional(store: Store, adviser: Actor,
                                           surrey: Profile) -> None:
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), children=(ChildDetails(name="Jo Onlyname"),)))
    assert saved.family_id is not None and saved.coded_ref == "JO --/--/----"


@pytest.mark.parametrize(
    ("child", "path", "words"),
    [
        (ChildDetails(dob=date.today() + timedelta(days=1)), "children[0].dob", "future"),
        (ChildDetails(dob=date(1980, 1, 1)), "children[0].dob", "ages 0 to 25"),
        (ChildDetails(gender="Z"), "children[0].gender", "not one of"),
    ],
)
def test_rec2_child_problems_named_in_adviser_words(
    store: Store, adviser: Actor, surrey: Profile, child: ChildDetails, path: str, words: str
) -> None:
    with pytest.raises(Problems) as caught:
        log_enquiry(store, adviser, surrey, NewEnquiry(started_at=utcnow(), children=(child,)))
    assert words in caught.value.problems[path]
    assert _one(store, Enquiry) == []  # nothing half-saved


@pytest.mark.parametrize(
    ("parent", "path"),
    [
        (ParentDetails(postcode="XX1"), "parent.postcode"),
        (ParentDetails(phone="12345"), "parent.phone"),
        (ParentDetails(email="not-an-email"), "parent.email"),
    ],
)
def test_rec2_contact_detail_problems(store: Store, adviser: Actor, surrey: Profile,
                                      parent: ParentDetails, path: str) -> None:
    with pytest.raises(Problems) as caught:
        log_enquiry(store, adviser, surrey, NewEnquiry(
            started_at=utcnow(), contact_consent=True, parent=parent))
    assert path in caught.value.problems


def test_priv3_control_characters_stripped_on_the_way_in(
    store: Store, adviser: Actor, surrey: Profile
) -> None:
    log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), notes="before\x1b]52;c;ZXZpbA==\x07after\x1b[2J [bold]x[/]",
        children=(ChildDetails(name="Kit\x07\x9b2JTest"),)))
    (enquiry,) = _one(store, Enquiry)
    assert enquiry.notes == "beforeafter [bold]x[/]"
    (child,) = _one(store, Child)
    assert child.name == "KitTest"


def test_acc3_no_dbs_check_refused_identified_allowed_anonymous(
    store: Store, surrey: Profile
) -> None:
    newstarter = sign_in(store, "newstarter")
    log_enquiry(store, newstarter, surrey, NewEnquiry(started_at=utcnow(), topics=("OTHER",)))
    with pytest.raises(NotAllowed, match="DBS"):
        log_enquiry(store, newstarter, surrey, NewEnquiry(
            started_at=utcnow(), children=(CHILD,)))
    assert _one(store, Family) == []


def test_acc6_enquiry_and_family_audited_by_id(store: Store, adviser: Actor,
                                              surrey: Profile) -> None:
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(
        started_at=utcnow(), contact_consent=True, parent=PARENT, children=(CHILD,)))
    with store.read() as session:
        rows = list(session.exec(select(AuditEvent).where(AuditEvent.actor_id == adviser.id)))
        assert audit.verify(session).ok
    pairs = {(r.action, r.entity, r.entity_id) for r in rows}
    assert ("family_created", "family", saved.family_id) in pairs
    assert ("enquiry_logged", "enquiry", saved.enquiry_id) in pairs
    text = " ".join(str(r.reason) for r in rows)
    assert "Robin" not in text and "Testchild" not in text


def test_priv1_notes_seen_by_the_familys_supporter_only(store: Store, surrey: Profile) -> None:
    supporter = sign_in(store, "adviser")  # who first logs a family supports it
    saved = log_enquiry(store, supporter, surrey, NewEnquiry(
        started_at=utcnow(), notes="private note", children=(CHILD,)))
    assert saved.family_id is not None
    other = sign_in(store, "supervisor")
    log_enquiry(store, other, surrey, NewEnquiry(
        started_at=utcnow(), notes="a later note", family_id=saved.family_id))
    mine = families.open_family(store, supporter, saved.family_id)
    assert [c.notes for c in mine.contacts] == ["private note", "a later note"]
    theirs = families.open_family(store, other, saved.family_id)
    # Not even the note they wrote themselves: notes are the supporter's (policy 002).
    assert [(c.notes, c.notes_hidden) for c in theirs.contacts] == [(None, True), (None, True)]


def test_acc6_opening_a_family_is_audited(store: Store, adviser: Actor,
                                         surrey: Profile) -> None:
    saved = log_enquiry(store, adviser, surrey, NewEnquiry(started_at=utcnow(),
                                                           children=(CHILD,)))
    assert saved.family_id is not None
    families.open_family(store, adviser, saved.family_id, reason="returning caller")
    with store.read() as session:
        events = audit.events_for(session, "family", saved.family_id)
    assert events[-1].action == "family_viewed" and events[-1].reason == "returning caller"
