"""CON2–CON6, SG1, CC2: the policy engine over every profile x every disclosure kind x
consent state x safeguarding override x purpose x recipient.

The expected decisions come from :func:`expected`, written from the policy texts
(quoted beside each rule), not from the engine's code and never by calling it. Each
test is one (service, kind, consent state) and checks every override, purpose and
recipient, listing all the mismatches it finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from calllog.policy import ConsentFact, DisclosureRequest, OverrideFact, decide_disclosure
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor, Role

ON = date(2026, 11, 22)
ADVISER = Actor(id=7, username="ash", display_name="Ash Adviser", role=Role.ADVISER,
                dbs_recorded=True)
SERVICES = {  # test id -> shipped profile
    "cornwall_pps": "cornwall-pps",
    "surrey_pwp": "surrey-pwp",
    "northamptonshire_iass": "northamptonshire-iass",
    "st_marys_ccc": "st-marys-ccc",
    "cordomus_ccc": "cordomus-ccc",
}
KINDS = ("refer", "share", "contact_on_behalf", "tell_contacted", "email")
STATES = ("none", "verbal", "written", "withdrawn", "other_recipient", "other_kind",
          "other_party")
OVERRIDES = (None, "CHILD_AT_RISK", "PHYSICAL_VIOLENCE", "LEGAL_DUTY")
PURPOSES = ("support", "contact_details", "family_proceedings")
RECIPIENTS = (("Oakfield School", "SCHOOL"),
              ("Kernow Children's Services", "CHILDRENS_SERVICES"))
REASON = "Child disclosed an injury at home during the call today."

# The consent each disclosure needs, in the ledger's words (CON1).
CONSENT_OF = {"refer": "refer", "share": "share_information",
              "contact_on_behalf": "contact_on_behalf", "tell_contacted": "tell_contacted",
              "email": "email_personal_information"}


@dataclass(frozen=True)
class Expect:
    allowed: bool
    by: str | None  # "consent" | "override" | None
    names_missing_consent: bool = False
    says_written: bool = False
    override_possible: bool = False


def expected(service: str, kind: str, state: str, override: str | None, purpose: str,
             recipient_kind: str) -> Expect:
    """What each service's own confidentiality policy says about this request."""
    has_consent = state in ("verbal", "written")  # current, this kind, this recipient, them
    if service in ("st_marys_ccc", "cordomus_ccc"):
        # 003 ii / 004 §2: "do not make verbal or written reports in any family
        # proceedings". Neither policy names a legal duty: nothing lets one go ahead.
        if purpose == "family_proceedings":
            return Expect(False, None)
        # 003 iv / 004 §4: "A parent's details such as his/her address and telephone
        # number will not be passed to any other person (including their former
        # partner) or agency without their permission" - with it, they may be; no
        # writing is asked for. 003 i / 004 §1, §3: nothing else leaves the centre.
        consent_releases = kind == "share" and purpose == "contact_details"
        if consent_releases and has_consent:
            return Expect(True, "consent")
        # 003 §4: "A concern about the welfare of a child which will be passed to
        # Children's Services and/or the police"; "A concern about physical violence".
        # 004 §3, §5: "a child is felt to be at risk of harm" or "at risk of physical
        # violence".
        if service == "st_marys_ccc":
            usable = {"PHYSICAL_VIOLENCE"}
            if recipient_kind in ("CHILDRENS_SERVICES", "POLICE"):
                usable.add("CHILD_AT_RISK")
        else:
            usable = {"CHILD_AT_RISK", "PHYSICAL_VIOLENCE"}
        if override in usable:
            return Expect(True, "override")
        return Expect(False, None, names_missing_consent=consent_releases,
                      override_possible=True)
    # The SEND services: nothing is shared, told, referred, contacted or emailed without
    # the parent's consent (000 and 002 "Procedures"; 001 §2.1, §3.2, §4.2 and the
    # introduction on referrals).
    # 000: "not to contact anybody on a parent's behalf unless the parent has given
    # written consent"; a referral out contacts a service on the parent's behalf.
    written_needed = service == "cornwall_pps" and kind in ("contact_on_behalf", "refer")
    if state == "written" or (state == "verbal" and not written_needed):
        return Expect(True, "consent")
    # 000, 002: "except when ... a concern relating to safeguarding which must take
    # priority over confidentiality" (a child at risk of harm, physical violence).
    # 001 §7.1: "Child protection issues will take priority over any other
    # consideration"; appendix: "if there is a legal requirement or duty".
    usable = ({"CHILD_AT_RISK", "LEGAL_DUTY"} if service == "surrey_pwp"
              else {"CHILD_AT_RISK", "PHYSICAL_VIOLENCE"})
    if override in usable:
        return Expect(True, "override")
    return Expect(False, None, names_missing_consent=True, says_written=written_needed,
                  override_possible=True)


def _consents(kind: str, state: str, recipient: str) -> tuple[ConsentFact, ...]:
    needed = CONSENT_OF[kind]
    other_kind = "tell_contacted" if needed != "tell_contacted" else "share_information"

    def fact(**changes: object) -> ConsentFact:
        base: dict[str, object] = dict(
            id=41, kind=needed, party="parent", recipient_key=recipient.casefold(),
            recipient=recipient, written=True, given_on=date(2026, 10, 1))
        base.update(changes)
        return ConsentFact(**base)  # type: ignore[arg-type]

    key = " ".join(recipient.casefold().replace("'", "").split())
    return {
        "none": (),
        "verbal": (fact(recipient_key=key, written=False),),
        "written": (fact(recipient_key=key),),
        "withdrawn": (fact(recipient_key=key, withdrawn_on=date(2026, 11, 1)),),
        "other_recipient": (fact(recipient_key="cornwall council sen team",
                                 recipient="Cornwall Council SEN team"),),
        "other_kind": (fact(recipient_key=key, kind=other_kind),),
        "other_party": (fact(recipient_key=key, party="other_party"),),
    }[state]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("service", SERVICES)
def test_con2_matrix(service: str, kind: str, state: str) -> None:
    profile: Profile = load_profile(SERVICES[service])
    wrong: list[str] = []
    for recipient, recipient_kind in RECIPIENTS:
        consents = _consents(kind, state, recipient)
        for override in OVERRIDES:
            offered = OverrideFact(override, REASON) if override else None
            for purpose in PURPOSES:
                want = expected(service, kind, state, override, purpose, recipient_kind)
                request = DisclosureRequest(kind=kind, recipient=recipient,
                                            recipient_kind=recipient_kind, purpose=purpose)
                got = decide_disclosure(ADVISER, profile, request, consents, offered, on=ON)
                by = ("consent" if got.consent_id is not None
                      else "override" if got.override_category is not None else None)
                case = f"{recipient_kind}/{override}/{purpose}"
                if got.allowed != want.allowed or by != want.by:
                    wrong.append(f"{case}: got {got.allowed} by {by}, want {want.allowed} "
                                 f"by {want.by} ({got.reason})")
                    continue
                if by == "consent" and got.consent_id != 41:
                    wrong.append(f"{case}: relied on consent {got.consent_id}")
                if by == "override" and got.override_category != override:
                    wrong.append(f"{case}: relied on {got.override_category}")
                if want.allowed:
                    continue
                if want.names_missing_consent != (got.missing is not None):
                    wrong.append(f"{case}: missing={got.missing!r}")
                elif got.missing is not None:
                    if recipient not in got.missing:
                        wrong.append(f"{case}: {got.missing!r} does not name {recipient}")
                    if want.says_written != got.missing.startswith("written consent"):
                        wrong.append(f"{case}: {got.missing!r} (written: {want.says_written})")
                if want.override_possible != got.override_possible:
                    wrong.append(f"{case}: override_possible={got.override_possible}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("service", SERVICES)
def test_acc3_matrix_no_dbs_check_refuses_everything(service: str) -> None:
    """ACC3: without a recorded DBS check nothing is disclosed, consent or not."""
    profile = load_profile(SERVICES[service])
    newcomer = Actor(id=8, username="nico", display_name="Nico", role=Role.ADVISER,
                     dbs_recorded=False)
    for kind in KINDS:
        consents = _consents(kind, "written", "Oakfield School")
        request = DisclosureRequest(kind=kind, recipient="Oakfield School",
                                    recipient_kind="SCHOOL", purpose="contact_details")
        decision = decide_disclosure(newcomer, profile, request, consents,
                                     OverrideFact("CHILD_AT_RISK", REASON), on=ON)
        assert not decision.allowed and "DBS" in decision.reason


@pytest.mark.parametrize("service", SERVICES)
def test_sg1_matrix_short_reason_never_overrides(service: str) -> None:
    """SG1: an override needs a written reason of at least 20 characters."""
    profile = load_profile(SERVICES[service])
    request = DisclosureRequest(kind="share", recipient="Kernow Children's Services",
                                recipient_kind="CHILDRENS_SERVICES")
    for category in ("CHILD_AT_RISK", "PHYSICAL_VIOLENCE", "LEGAL_DUTY"):
        decision = decide_disclosure(ADVISER, profile, request, (),
                                     OverrideFact(category, "worried"), on=ON)
        assert not decision.allowed, category
