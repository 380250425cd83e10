"""CON2, CON5, SG1 at the service layer, and the proof that no disclosure path goes
round the policy engine."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

import calllog.services
from calllog import audit, policy
from calllog.clock import today
from calllog.errors import NotAllowed, Problems
from calllog.models import AuditEvent, Disclosure, SafeguardingOverride
from calllog.services import attendance, consents, disclosures, referrals, safeguarding
from calllog.services.disclosures import DisclosureDraft, OverrideRequest, Refused
from tests.consentfixtures import new_family, open_service, staff

SCHOOL = DisclosureDraft(kind="contact_on_behalf", recipient="Oakfield School",
                         recipient_kind="SCHOOL")
REASON = "The child said at the end of the call that a parent hits them."


def _rows(store: object, model: type) -> list:  # type: ignore[type-arg]
    with store.read() as session:  # type: ignore[attr-defined]
        return list(session.exec(select(model)))


def test_con2_refused_names_missing_consent_records_nothing(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "cornwall-pps")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    preview = disclosures.preview(store, adviser, profile, family, SCHOOL)
    assert not preview.allowed and preview.override_possible
    assert preview.missing == ("written consent to contact Oakfield School on the parent's "
                               "behalf")
    with pytest.raises(Refused) as caught:
        disclosures.disclose(store, adviser, profile, family, SCHOOL)
    assert caught.value.decision.missing == preview.missing
    assert _rows(store, Disclosure) == []
    with store.read() as session:
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert last is not None and last.action == "disclosure_refused"
    assert "Oakfield" not in (last.reason or "")


def test_con2_allowed_with_the_consent_it_relied_on(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "cornwall-pps")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    verbal = consents.record_consent(store, adviser, profile, family,
                                     kind="contact_on_behalf", recipient="oakfield school",
                                     written=False, given_on=today())
    with pytest.raises(Refused, match="Only verbal consent is recorded"):
        disclosures.disclose(store, adviser, profile, family, SCHOOL)
    written = consents.record_consent(store, adviser, profile, family,
                                      kind="contact_on_behalf", recipient="Oakfield School",
                                      written=True, given_on=today())
    done = disclosures.disclose(store, adviser, profile, family, SCHOOL)
    assert done.decision.consent_id == written.id != verbal.id
    (row,) = _rows(store, Disclosure)
    assert (row.consent_id, row.override_id, row.kind) == (written.id, None,
                                                           "contact_on_behalf")
    shown = disclosures.family_disclosures(store, adviser, family)
    assert [(d.basis, d.recipient) for d in shown] == [("consent", "Oakfield School")]


def test_con2_withdrawn_consent_covers_nothing(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    given = consents.record_consent(store, adviser, profile, family,
                                    kind="share_information", recipient="Oakfield School",
                                    written=False, given_on=today() - timedelta(days=1))
    share = DisclosureDraft(kind="share", recipient="Oakfield School", recipient_kind="SCHOOL")
    assert disclosures.preview(store, adviser, profile, family, share).allowed
    consents.withdraw_consent(store, adviser, profile, given.id, withdrawn_on=today())
    with pytest.raises(Refused, match="share information about the family with Oakfield"):
        disclosures.disclose(store, adviser, profile, family, share)


def test_con2_disclosure_fields_checked(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(Problems) as caught:
        disclosures.disclose(store, adviser, profile, family, DisclosureDraft(
            kind="gossip", recipient="", recipient_kind="NOPE", purpose="fun",
            about_party="other_party", channel="FAX"))
    assert set(caught.value.problems) == {"kind", "recipient", "recipient_kind", "purpose",
                                          "about_party", "channel"}


def test_sg1_override_short_reason_refused_proper_reason_flags_family(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, supervisor, *_ = staff(store)
    family = new_family(store, adviser, profile)
    share = DisclosureDraft(kind="share", recipient="Surrey Children's Services",
                            recipient_kind="CHILDRENS_SERVICES", purpose="safeguarding")
    with pytest.raises(Problems) as caught:
        disclosures.disclose(store, adviser, profile, family, share,
                             override=OverrideRequest("CHILD_AT_RISK", "worried"))
    assert "at least 20 characters" in caught.value.problems["reason"]
    assert _rows(store, SafeguardingOverride) == []
    assert safeguarding.family_flag(store, adviser, family) is None
    with pytest.raises(Refused, match="does not name"):  # Surrey: violence is not named
        disclosures.disclose(store, adviser, profile, family, share,
                             override=OverrideRequest("PHYSICAL_VIOLENCE", REASON))
    done = disclosures.disclose(store, adviser, profile, family, share,
                                override=OverrideRequest("CHILD_AT_RISK", REASON))
    assert done.override_id is not None and done.decision.override_category == "CHILD_AT_RISK"
    # What the supervisors' queue reads: an unreviewed override row for the family.
    (row,) = _rows(store, SafeguardingOverride)
    assert (row.family_id, row.category, row.reason, row.made_by) == (
        family, "CHILD_AT_RISK", REASON, adviser.id)
    assert row.reviewed_at is None and row.reviewed_by is None
    (disclosure,) = _rows(store, Disclosure)
    assert disclosure.override_id == row.id and disclosure.consent_id is None
    flag = safeguarding.family_flag(store, adviser, family)
    assert flag is not None and (flag.overrides, flag.unreviewed) == (1, 1)
    assert [o.id for o in safeguarding.unreviewed_overrides(store, supervisor)] == [row.id]
    with store.read() as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
    # the override, the disclosure, then the review list (a read of the family)
    assert actions[-3:] == ["override_made", "disclosure_recorded", "family_viewed"]


def test_sg1_review_by_supervisor_not_adviser_not_self(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "northamptonshire-iass")
    adviser, supervisor, admin, _ = staff(store)
    family = new_family(store, adviser, profile)
    done = disclosures.disclose(
        store, supervisor, profile, family,
        DisclosureDraft(kind="tell_contacted", recipient="Northamptonshire Police",
                        recipient_kind="POLICE", purpose="safeguarding"),
        override=OverrideRequest("PHYSICAL_VIOLENCE", REASON))
    assert done.override_id is not None
    with pytest.raises(NotAllowed, match="reviewed by"):
        safeguarding.review_override(store, adviser, done.override_id, profile)
    with pytest.raises(NotAllowed, match="other than the person who made"):
        safeguarding.review_override(store, supervisor, done.override_id, profile)
    reviewed = safeguarding.review_override(store, admin, done.override_id)  # service profile
    assert reviewed.reviewed_by == "Avery Admin" and reviewed.reviewed_at is not None
    assert safeguarding.unreviewed_overrides(store, supervisor) == []
    flag = safeguarding.family_flag(store, adviser, family)
    assert flag is not None and flag.unreviewed == 0
    with store.read() as session:
        events = audit.events_for(session, "safeguarding_override", done.override_id)
    assert [e.action for e in events] == ["override_made", "access_refused", "access_refused",
                                          "override_reviewed"]


def test_con5_surrey_pwp_email_disclosure_gives_confidential_coded_email(
    tmp_path: Path,
) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    consents.record_consent(store, adviser, profile, family,
                            kind="email_personal_information", recipient="Oakfield School",
                            written=False, given_on=today())
    done = disclosures.disclose(store, adviser, profile, family, DisclosureDraft(
        kind="email", recipient="Oakfield School", recipient_kind="SCHOOL"))
    email = done.correspondence
    assert email is not None and email.kind == "email"
    assert email.subject == "CONFIDENTIAL: AT 04/03/2016"
    assert email.body.startswith("CONFIDENTIAL")
    assert "AT 04/03/2016" in email.body
    for name in ("Alex", "Testchild", "Robin", "Testparent"):
        assert name not in email.as_text()


def test_con5_surrey_pwp_letter_strictly_private_and_confidential(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "surrey-pwp")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    consents.record_consent(store, adviser, profile, family, kind="refer",
                            recipient="Surrey SENDIASS", written=True, given_on=today())
    done = disclosures.disclose(store, adviser, profile, family, DisclosureDraft(
        kind="refer", recipient="Surrey SENDIASS", recipient_kind="SUPPORT_SERVICE",
        channel="LETTER"))
    letter = done.correspondence
    assert letter is not None and letter.kind == "letter"
    assert letter.body.splitlines()[0] == "STRICTLY PRIVATE AND CONFIDENTIAL"
    phone = disclosures.disclose(store, adviser, profile, family, DisclosureDraft(
        kind="refer", recipient="Surrey SENDIASS", recipient_kind="SUPPORT_SERVICE",
        channel="PHONE"))
    assert phone.correspondence is None


# --- no path round the engine ----------------------------------------------------------


def _functions_making(tree: ast.AST, name: str) -> list[ast.FunctionDef]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            calls = [c for c in ast.walk(node) if isinstance(c, ast.Call)]
            if any(isinstance(c.func, ast.Name) and c.func.id == name for c in calls):
                found.append(node)
    return found


def _calls_engine_first(function: ast.FunctionDef) -> bool:
    """``policy.decide_disclosure(...)`` is called, on a line before any Disclosure(...)."""
    engine = [c.lineno for c in ast.walk(function) if isinstance(c, ast.Call)
              and isinstance(c.func, ast.Attribute) and c.func.attr == "decide_disclosure"]
    makes = [c.lineno for c in ast.walk(function) if isinstance(c, ast.Call)
             and isinstance(c.func, ast.Name) and c.func.id == "Disclosure"]
    return bool(engine) and min(engine) < min(makes)


def test_con2_every_function_making_a_disclosure_asks_the_engine_first() -> None:
    """An AST scan of the whole core: a Disclosure row is built in exactly one function,
    and that function calls policy.decide_disclosure before it."""
    root = Path(calllog.services.__file__).resolve().parent.parent
    makers: list[str] = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in _functions_making(tree, "Disclosure"):
            makers.append(f"{path.name}:{function.name}")
            assert _calls_engine_first(function), f"{path.name}:{function.name}"
        text = path.read_text(encoding="utf-8")
        if path.name != "models.py":
            assert "insert(Disclosure" not in text, path  # no Core insert either
            assert "into disclosure" not in text.lower(), path  # nor raw SQL
    assert makers == ["disclosures.py:_record"]


def test_con2_engine_refusing_refuses_every_path(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """With the engine refusing everything, every service that discloses refuses and
    nothing is recorded, however good the consent or the override."""
    store, profile = open_service(tmp_path, "st-marys-ccc")
    adviser, *_ = staff(store)
    referral = referrals.record_referral(store, adviser, profile, referrals.NewReferral(
        referrer_kind="SOLICITOR", referrer_name="Kernow Family Law", reason="Contact order",
        parent_name="Robin Testparent", other_party_name="Jordan Otherparty"))
    family = referral.family_id
    assert family is not None
    consents.record_consent(store, adviser, profile, family, kind="share_information",
                            recipient="Kernow Family Law", written=True, given_on=today())
    attendance.record_attendance(store, adviser, profile, family, attended_on=today(),
                                 arrived="10:00", left="11:30")
    calls: list[str] = []

    def never(*args: object, **kwargs: object) -> policy.Decision:
        calls.append("asked")
        return policy.refuse("The engine says no.")

    monkeypatch.setattr(policy, "decide_disclosure", never)
    share = DisclosureDraft(kind="share", recipient="Kernow Family Law",
                            recipient_kind="LEGAL", purpose="contact_details")
    with pytest.raises(Refused, match="engine says no"):
        disclosures.disclose(store, adviser, profile, family, share)
    with pytest.raises(Refused, match="engine says no"):
        disclosures.disclose(store, adviser, profile, family, share,
                             override=OverrideRequest("PHYSICAL_VIOLENCE", REASON))
    with pytest.raises(Refused, match="engine says no"):
        attendance.release_to_referrer(store, adviser, profile, family)
    assert not disclosures.preview(store, adviser, profile, family, share).allowed
    assert len(calls) == 4
    assert _rows(store, Disclosure) == [] and _rows(store, SafeguardingOverride) == []
