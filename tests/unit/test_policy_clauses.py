"""One test per clause of each confidentiality policy, named with the requirement and
the profile (``pytest -k cornwall_pps`` runs Cornwall's). Each quotes its clause and
fails if the shipped profile or the engine stops keeping it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from calllog import policy
from calllog.clock import today
from calllog.errors import NotAllowed
from calllog.policy import (
    ConsentFact,
    Decision,
    DisclosureRequest,
    OverrideFact,
    decide_disclosure,
    decide_referral,
    may_record_agency_information,
    may_review_override,
    may_view_dbs,
)
from calllog.profiles import Profile, load_profile
from calllog.roles import Actor, Role
from calllog.services import agencies, families
from tests.consentfixtures import new_family, open_service, staff

ON = date(2026, 11, 22)
ADVISER = Actor(1, "ash", "Ash Adviser", Role.ADVISER, True)
SUPERVISOR = Actor(2, "sam", "Sam Supervisor", Role.SUPERVISOR, True)
CHAIR = Actor(3, "avery", "Avery Admin", Role.ADMINISTRATOR, True)
NO_DBS = Actor(4, "nico", "Nico Newstarter", Role.ADVISER, False)
REASON = "Serious concern raised on the call, cannot wait for consent."


def _p(key: str) -> Profile:
    return load_profile(key)


def _consent(kind: str, recipient: str, *, written: bool = False, party: str = "parent",
             id: int = 9) -> ConsentFact:
    return ConsentFact(id=id, kind=kind, party=party, recipient=recipient,
                       recipient_key=policy.recipient_key(recipient), written=written,
                       given_on=date(2026, 11, 1))


def _decide(profile: Profile, kind: str, recipient: str, *consents: ConsentFact,
            recipient_kind: str = "SCHOOL", purpose: str = "support",
            about_party: str = "parent", override: str | None = None,
            actor: Actor = ADVISER, to_referrer: bool = False) -> Decision:
    return decide_disclosure(
        actor, profile,
        DisclosureRequest(kind=kind, recipient=recipient, recipient_kind=recipient_kind,
                          purpose=purpose, about_party=about_party, to_referrer=to_referrer),
        consents, OverrideFact(override, REASON) if override else None, on=ON)


# --- 000 Cornwall Parent Partnership Service --------------------------------------------


def test_con3_cornwall_pps_contact_needs_written_consent() -> None:
    """000: "not to contact anybody on a parent's behalf unless the parent has given
    written consent"."""
    cornwall = _p("cornwall-pps")
    verbal = _consent("contact_on_behalf", "Oakfield School")
    refused = _decide(cornwall, "contact_on_behalf", "Oakfield School", verbal)
    assert not refused.allowed
    assert refused.missing == ("written consent to contact Oakfield School on the parent's "
                               "behalf")
    written = _consent("contact_on_behalf", "Oakfield School", written=True)
    assert _decide(cornwall, "contact_on_behalf", "Oakfield School", written).allowed


def test_con3_cornwall_pps_referral_out_is_contact_on_behalf_written() -> None:
    """000: a referral on is contacting a service on the parent's behalf: written."""
    cornwall = _p("cornwall-pps")
    assert cornwall.written_consent == {"contact_on_behalf", "refer"}
    assert not _decide(cornwall, "refer", "Kernow SENDIASS",
                       _consent("refer", "Kernow SENDIASS")).allowed
    assert _decide(cornwall, "refer", "Kernow SENDIASS",
                   _consent("refer", "Kernow SENDIASS", written=True)).allowed


def test_con2_cornwall_pps_share_only_with_consent_in_advance() -> None:
    """000: "not to share any information about a child or their family with other
    people or agencies unless the parent gives their consent in advance"."""
    cornwall = _p("cornwall-pps")
    assert not _decide(cornwall, "share", "Oakfield School").allowed
    assert _decide(cornwall, "share", "Oakfield School",
                   _consent("share_information", "Oakfield School")).allowed


def test_con2_cornwall_pps_not_told_parent_approached_unless_they_agree() -> None:
    """000: "not to tell any other person or agency that a parent has approached the
    service unless the parent agrees"."""
    cornwall = _p("cornwall-pps")
    refused = _decide(cornwall, "tell_contacted", "Oakfield School")
    assert refused.missing == ("consent to tell Oakfield School that the parent contacted "
                               "the service")
    assert _decide(cornwall, "tell_contacted", "Oakfield School",
                   _consent("tell_contacted", "Oakfield School")).allowed


def test_con4_cornwall_pps_other_sections_of_the_council_are_third_parties() -> None:
    """000: information "will not be passed on to other organisations including other
    sections of Cornwall County Council"."""
    cornwall = _p("cornwall-pps")
    sen_team = _consent("share_information", "Cornwall Council SEN team")
    assert _decide(cornwall, "share", "Cornwall Council SEN team", sen_team,
                   recipient_kind="LOCAL_AUTHORITY").allowed
    for other in ("Cornwall Council social care", "Cornwall Council"):
        decision = _decide(cornwall, "share", other, sen_team, recipient_kind="LOCAL_AUTHORITY")
        assert not decision.allowed and decision.missing is not None
        assert other in decision.missing


def test_sg1_cornwall_pps_safeguarding_takes_priority() -> None:
    """000: "totally confidential except when ... a concern relating to safeguarding
    which must take priority over confidentiality"."""
    cornwall = _p("cornwall-pps")
    assert cornwall.override_categories == {"CHILD_AT_RISK", "PHYSICAL_VIOLENCE"}
    for category in ("CHILD_AT_RISK", "PHYSICAL_VIOLENCE"):
        assert _decide(cornwall, "share", "Kernow Police", recipient_kind="POLICE",
                       override=category).allowed
    assert not _decide(cornwall, "share", "Kernow Police", recipient_kind="POLICE",
                       override="LEGAL_DUTY").allowed


def test_rec8_cornwall_pps_referrals_only_with_parent_permission() -> None:
    """000: "Referrals to the service by anyone other than a parent or carer can only be
    made if the parent has given permission"."""
    cornwall = _p("cornwall-pps")
    assert not decide_referral(cornwall, None).allowed
    assert decide_referral(cornwall, "REFERRER").allowed
    assert decide_referral(cornwall, "PARENT").allowed


def test_acc3_cornwall_pps_staff_dbs_checked() -> None:
    """000: "All staff who work with families are DBS checked"."""
    decision = _decide(_p("cornwall-pps"), "share", "Oakfield School",
                       _consent("share_information", "Oakfield School"), actor=NO_DBS)
    assert not decision.allowed and "DBS" in decision.reason


def test_ret1_cornwall_pps_retention_to_be_confirmed() -> None:
    """000: no period is set: retention is marked unverified until the service says."""
    retention = _p("cornwall-pps").retention
    assert retention.unverified and retention.max_years is None


def test_con1_cornwall_pps_consent_kinds() -> None:
    """000: consent to keep contact details ("will be kept only with a parent's
    consent"), to share, to tell, to contact, to refer on, to email."""
    assert _p("cornwall-pps").consent_kinds == set(policy.CONSENT_KINDS)


# --- 001 Surrey Partnership with Parents -------------------------------------------------


def test_con2_surrey_pwp_not_shared_unless_parent_permission() -> None:
    """001 §3.2: "Information is not shared with anyone else unless the parent's
    permission is obtained" (verbal permission is enough)."""
    surrey = _p("surrey-pwp")
    assert not _decide(surrey, "share", "Oakfield School").allowed
    assert _decide(surrey, "share", "Oakfield School",
                   _consent("share_information", "Oakfield School")).allowed


def test_con2_surrey_pwp_no_one_told_parent_contacted_unless_they_agree() -> None:
    """001 §2.1: "PwP undertakes not to inform anyone else that the parent has contacted
    PwP unless the parent agrees"."""
    surrey = _p("surrey-pwp")
    assert not _decide(surrey, "tell_contacted", "Oakfield School").allowed
    assert _decide(surrey, "tell_contacted", "Oakfield School",
                   _consent("tell_contacted", "Oakfield School")).allowed


def test_con2_surrey_pwp_referring_on_only_as_parents_agree() -> None:
    """001 introduction: "This also applies to arrangements made by PwP for referring
    parents to other sources of support"."""
    surrey = _p("surrey-pwp")
    refused = _decide(surrey, "refer", "Surrey SENDIASS")
    assert refused.missing == "consent to refer the family to Surrey SENDIASS"
    assert _decide(surrey, "refer", "Surrey SENDIASS",
                   _consent("refer", "Surrey SENDIASS")).allowed


def test_con3_surrey_pwp_contact_on_behalf_consent_need_not_be_written() -> None:
    surrey = _p("surrey-pwp")
    assert surrey.written_consent == frozenset()
    assert _decide(surrey, "contact_on_behalf", "Oakfield School",
                   _consent("contact_on_behalf", "Oakfield School")).allowed


def test_con5_surrey_pwp_email_only_with_permission() -> None:
    """001 §4.2: "Personal information sent by email is with the parent's permission"."""
    surrey = _p("surrey-pwp")
    refused = _decide(surrey, "email", "Oakfield School")
    assert refused.missing == "consent to send personal information to Oakfield School by email"
    share_only = _consent("share_information", "Oakfield School")
    assert not _decide(surrey, "email", "Oakfield School", share_only).allowed
    assert _decide(surrey, "email", "Oakfield School",
                   _consent("email_personal_information", "Oakfield School")).allowed


def test_con5_surrey_pwp_email_confidential_letter_strictly_private() -> None:
    """001 §4.2 "highlighted as 'confidential'", §4.3 "marked as 'strictly private and
    confidential'", §4.5 "coded information such as initials and date of birth"."""
    from calllog.services.disclosures import email_text, letter_text

    email = email_text("PwP", "AT 04/03/2016", "Oakfield School")
    assert email.subject == "CONFIDENTIAL: AT 04/03/2016"
    assert "CONFIDENTIAL" in email.body and "AT 04/03/2016" in email.body
    letter = letter_text("PwP", "AT 04/03/2016", "Oakfield School", ON)
    assert letter.body.startswith("STRICTLY PRIVATE AND CONFIDENTIAL\n")


def test_sg1_surrey_pwp_child_protection_and_legal_duty_only() -> None:
    """001 §7.1 "Child protection issues will take priority over any other
    consideration"; appendix "The only reason information will be passed on without your
    permission is if there is a legal requirement or duty"."""
    surrey = _p("surrey-pwp")
    assert surrey.override_categories == {"CHILD_AT_RISK", "LEGAL_DUTY"}
    assert _decide(surrey, "share", "Surrey Children's Services",
                   recipient_kind="CHILDRENS_SERVICES", override="CHILD_AT_RISK").allowed
    assert _decide(surrey, "share", "Surrey Police", recipient_kind="POLICE",
                   override="LEGAL_DUTY").allowed
    assert not _decide(surrey, "share", "Surrey Police", recipient_kind="POLICE",
                       override="PHYSICAL_VIOLENCE").allowed


def test_rec8_surrey_pwp_third_party_referrals_held() -> None:
    """001 introduction: information "should not be passed between PwP and any third
    party unless parents know and agree to this in advance"."""
    assert not decide_referral(_p("surrey-pwp"), None).allowed


def test_ret1_surrey_pwp_seven_years_or_until_the_child_is_25() -> None:
    """001 §8.6: "kept for a maximum of 7 years or until the child/young person attains
    25 years of age"."""
    retention = _p("surrey-pwp").retention
    assert (retention.max_years, retention.until_child_age, retention.combine) == (
        7, 25, "sooner")
    assert not retention.unverified


def test_acc5_surrey_pwp_screens_not_left_with_information_visible() -> None:
    """001 §8.4: the screen locks itself when left."""
    assert 1 <= _p("surrey-pwp").idle_lock_minutes <= 15


# --- 002 Northamptonshire IASS ------------------------------------------------------------


def test_con2_northamptonshire_iass_contact_on_behalf_needs_consent_not_writing() -> None:
    """002: "not to contact anybody on a parent's behalf unless the parent has given
    consent"."""
    northants = _p("northamptonshire-iass")
    refused = _decide(northants, "contact_on_behalf", "Oakfield School")
    assert refused.missing == "consent to contact Oakfield School on the parent's behalf"
    assert _decide(northants, "contact_on_behalf", "Oakfield School",
                   _consent("contact_on_behalf", "Oakfield School")).allowed


def test_con4_northamptonshire_iass_other_council_sections_are_third_parties() -> None:
    """002: "will not be passed to other organisations including other sections of North
    Northants or West Northants Councils"."""
    northants = _p("northamptonshire-iass")
    north = _consent("share_information", "North Northamptonshire Council SEND team")
    assert not _decide(northants, "share", "North Northamptonshire Council early help",
                       north, recipient_kind="LOCAL_AUTHORITY").allowed
    assert not _decide(northants, "share", "West Northamptonshire Council SEND team",
                       north, recipient_kind="LOCAL_AUTHORITY").allowed


def test_con2_northamptonshire_iass_no_one_told_unless_parent_consents() -> None:
    northants = _p("northamptonshire-iass")
    assert not _decide(northants, "tell_contacted", "Oakfield School").allowed


def test_rec9_northamptonshire_iass_agency_information_only_if_parent_asked() -> None:
    """002: "No member of staff will access information about a child or family from
    other agencies unless the parent has specifically asked them to"."""
    northants = _p("northamptonshire-iass")
    refused = may_record_agency_information(ADVISER, northants, parent_asked=False)
    assert not refused.allowed and refused.missing == "the parent's request to obtain it"
    assert may_record_agency_information(ADVISER, northants, parent_asked=True).allowed


def test_rec9_northamptonshire_iass_record_says_parent_asked(tmp_path: Path) -> None:
    store, profile = open_service(tmp_path, "northamptonshire-iass")
    adviser, *_ = staff(store)
    family = new_family(store, adviser, profile)
    with pytest.raises(NotAllowed, match="asked us to"):
        agencies.record_agency_information(
            store, adviser, profile, family, agency="Northampton General Hospital",
            summary="Clinic letter", parent_asked=False, obtained_on=today())
    saved = agencies.record_agency_information(
        store, adviser, profile, family, agency="Northampton General Hospital",
        summary="Clinic letter about speech therapy", parent_asked=True, obtained_on=today())
    assert saved.parent_asked
    (held,) = agencies.family_agency_information(store, adviser, family)
    assert held.parent_asked and held.agency == "Northampton General Hospital"


def test_rec8_northamptonshire_iass_referrals_need_permission() -> None:
    """002: "Referrals to the service by anyone other than a parent or carer can only be
    made if the parent or carer has given permission"."""
    assert not decide_referral(_p("northamptonshire-iass"), None).allowed


def test_sg1_northamptonshire_iass_safeguarding_takes_priority() -> None:
    northants = _p("northamptonshire-iass")
    assert _decide(northants, "share", "Northants Children's Services",
                   recipient_kind="CHILDRENS_SERVICES", override="CHILD_AT_RISK").allowed
    assert not _decide(northants, "share", "Northants Police", recipient_kind="POLICE",
                       override="LEGAL_DUTY").allowed


def test_priv1_northamptonshire_iass_notes_seen_only_by_supporter(tmp_path: Path) -> None:
    """002: "Any notes ... will be seen only by the parent's parental supporter"."""
    assert _p("northamptonshire-iass").supervision_access_to_notes is False
    store, profile = open_service(tmp_path, "northamptonshire-iass")
    adviser, supervisor, *_ = staff(store)
    family = new_family(store, adviser, profile)
    assert families.open_family(store, supervisor, family).contacts[0].notes is None


def test_acc3_northamptonshire_iass_staff_dbs_checked() -> None:
    assert not _decide(_p("northamptonshire-iass"), "share", "X", actor=NO_DBS).allowed


def test_ret1_northamptonshire_iass_retention_to_be_confirmed() -> None:
    assert _p("northamptonshire-iass").retention.unverified


# --- 003 St Mary's Child Contact Centre ---------------------------------------------------


def test_cc2_st_marys_ccc_no_reports_in_family_proceedings() -> None:
    """003 ii: "Staff do not make verbal or written reports in any family proceedings"."""
    st_marys = _p("st-marys-ccc")
    consent = _consent("share_information", "Kernow Family Court", written=True)
    for override in (None, "CHILD_AT_RISK", "PHYSICAL_VIOLENCE", "LEGAL_DUTY"):
        decision = _decide(st_marys, "share", "Kernow Family Court", consent,
                           recipient_kind="LEGAL", purpose="family_proceedings",
                           override=override)
        assert not decision.allowed and not decision.override_possible, override


def test_cc1_st_marys_ccc_attendance_to_referring_agencies_on_request() -> None:
    """003 iii: "The dates and times of a family's attendance will be made available to
    referring agencies upon request"."""
    st_marys = _p("st-marys-ccc")
    assert _decide(st_marys, "attendance", "Kernow Family Law", to_referrer=True).allowed
    assert not _decide(st_marys, "attendance", "Oakfield School").allowed


def test_con6_st_marys_ccc_address_phone_not_passed_without_permission() -> None:
    """003 iv: "A parent's details such as his/her address and telephone number will not
    be passed to any other person (including their former partner) or agency without
    their permission"."""
    st_marys = _p("st-marys-ccc")
    ex = "Jordan Otherparty"
    refused = _decide(st_marys, "share", ex, recipient_kind="FAMILY", purpose="contact_details")
    assert refused.missing == f"consent to pass the parent's address and telephone number to {ex}"
    theirs = _consent("share_information", ex, party="other_party")
    assert not _decide(st_marys, "share", ex, theirs, recipient_kind="FAMILY",
                       purpose="contact_details").allowed
    mine = _consent("share_information", ex)
    assert _decide(st_marys, "share", ex, mine, recipient_kind="FAMILY",
                   purpose="contact_details").allowed


def test_con6_st_marys_ccc_nothing_else_disclosed_outside_the_centre() -> None:
    """003 i: "Staff do not discuss or disclose any details relating to a family outside
    of the Child Contact Centre": a consent releases contact details only."""
    st_marys = _p("st-marys-ccc")
    consent = _consent("share_information", "Oakfield School", written=True)
    assert not _decide(st_marys, "share", "Oakfield School", consent).allowed
    for kind in ("refer", "contact_on_behalf", "tell_contacted", "email"):
        assert not _decide(st_marys, kind, "Oakfield School", consent).allowed


def test_sg1_st_marys_ccc_child_welfare_goes_to_childrens_services_or_police() -> None:
    """003 §4: "A concern about the welfare of a child which will be passed to Children's
    Services and/or the police"."""
    st_marys = _p("st-marys-ccc")
    for recipient, kind in (("Kernow Children's Services", "CHILDRENS_SERVICES"),
                            ("Devon and Cornwall Police", "POLICE")):
        assert _decide(st_marys, "share", recipient, recipient_kind=kind,
                       override="CHILD_AT_RISK").allowed
    school = _decide(st_marys, "share", "Oakfield School", override="CHILD_AT_RISK")
    assert not school.allowed and "passed only to" in school.reason
    assert school.override_categories == ("PHYSICAL_VIOLENCE",)


def test_sg1_st_marys_ccc_physical_violence_to_user_or_staff() -> None:
    """003 §4: "A concern about physical violence to a user, or member of staff"."""
    assert _decide(_p("st-marys-ccc"), "tell_contacted", "Devon and Cornwall Police",
                   recipient_kind="POLICE", override="PHYSICAL_VIOLENCE").allowed


def test_sg1_st_marys_ccc_names_no_legal_duty() -> None:
    st_marys = _p("st-marys-ccc")
    assert "LEGAL_DUTY" not in st_marys.override_categories
    assert not _decide(st_marys, "share", "Devon and Cornwall Police", recipient_kind="POLICE",
                       override="LEGAL_DUTY").allowed


def test_acc3_st_marys_ccc_dbs_before_taking_up_post() -> None:
    """003 vi: "All potential staff must have checks undertaken by the Disclosure and
    Barring Service (DBS) prior to taking up post"."""
    assert not policy.may_open_family_records(NO_DBS).allowed
    assert not _decide(_p("st-marys-ccc"), "attendance", "Kernow Family Law", actor=NO_DBS,
                       to_referrer=True).allowed


def test_ret1_st_marys_ccc_three_years_unused_accident_book_kept() -> None:
    """003 viii: unused for three years: confidential waste, "except ... the accident
    book, which will be kept indefinitely"."""
    retention = _p("st-marys-ccc").retention
    assert (retention.unused_years, retention.keep_accident_book) == (3, True)


def test_rec8_st_marys_ccc_referring_agencies_refer_families_in() -> None:
    assert decide_referral(_p("st-marys-ccc"), None).allowed


# --- 004 Cordomus Child Contact Centre ------------------------------------------------------


def test_cc2_cordomus_ccc_no_reports_in_family_proceedings() -> None:
    """004 §2: "Volunteers do not make verbal or written reports in any family
    proceedings"."""
    cordomus = _p("cordomus-ccc")
    decision = _decide(cordomus, "share", "Kernow Family Court",
                       _consent("share_information", "Kernow Family Court", written=True),
                       recipient_kind="LEGAL", purpose="family_proceedings",
                       override="CHILD_AT_RISK")
    assert not decision.allowed and "family proceedings" in decision.reason


def test_cc1_cordomus_ccc_attendance_and_nothing_else_to_referrers() -> None:
    """004 §3: "The dates and times of a family's attendance will be made available to
    referring agencies upon request. No other information will be released unless ..."."""
    cordomus = _p("cordomus-ccc")
    assert _decide(cordomus, "attendance", "Kernow Family Law", to_referrer=True).allowed
    other = _decide(cordomus, "share", "Kernow Family Law", recipient_kind="LEGAL")
    assert not other.allowed and other.missing is None


def test_sg1_cordomus_ccc_child_at_risk_or_violence_releases() -> None:
    """004 §3 and §5: "a) a child is felt to be at risk of harm ... b) anyone using the
    Contact Centre or a volunteer is at risk of physical violence" (any recipient)."""
    cordomus = _p("cordomus-ccc")
    for category in ("CHILD_AT_RISK", "PHYSICAL_VIOLENCE"):
        assert _decide(cordomus, "share", "Oakfield School", override=category).allowed
    assert not _decide(cordomus, "share", "Oakfield School", override="LEGAL_DUTY").allowed


def test_con6_cordomus_ccc_details_not_passed_without_permission() -> None:
    """004 §4: "A parent's details such as his/her address and telephone number will not
    be passed to any other person (including their former partner) or agency without
    their permission"."""
    cordomus = _p("cordomus-ccc")
    ex = "Jordan Otherparty"
    assert not _decide(cordomus, "share", ex, recipient_kind="FAMILY",
                       purpose="contact_details").allowed
    assert _decide(cordomus, "share", ex, _consent("share_information", ex),
                   recipient_kind="FAMILY", purpose="contact_details").allowed


def test_acc4_cordomus_ccc_dbs_results_to_coordinator_and_chair() -> None:
    """004 §7: DBS results "will be made available to the Co-ordinator and/or the Chair
    of the Management Committee"."""
    cordomus = _p("cordomus-ccc")
    assert may_view_dbs(Role.SUPERVISOR, cordomus.dbs_visible_to).allowed
    assert may_view_dbs(Role.ADMINISTRATOR, cordomus.dbs_visible_to).allowed
    assert not may_view_dbs(Role.ADVISER, cordomus.dbs_visible_to).allowed


def test_acc3_cordomus_ccc_volunteers_dbs_checked() -> None:
    """004 §7: "All potential volunteers must have a DBS check"."""
    assert not _decide(_p("cordomus-ccc"), "share", "X", actor=NO_DBS).allowed


def test_ret1_cordomus_ccc_three_years_unused_accident_book_kept() -> None:
    """004 §9: as St Mary's viii."""
    retention = _p("cordomus-ccc").retention
    assert (retention.unused_years, retention.keep_accident_book) == (3, True)


def test_sg1_cordomus_ccc_overrides_reviewed_by_coordinator_or_chair() -> None:
    cordomus = _p("cordomus-ccc")
    assert not may_review_override(ADVISER, cordomus, made_by=1).allowed
    refused = may_review_override(ADVISER, cordomus, made_by=5)
    assert "Chair" in refused.reason and "Co-ordinator" in refused.reason
    assert may_review_override(SUPERVISOR, cordomus, made_by=1).allowed
    assert may_review_override(CHAIR, cordomus, made_by=1).allowed
    assert not may_review_override(SUPERVISOR, cordomus, made_by=2).allowed  # their own


def _party_views_apart(service: str) -> None:
    """003 iv / 004 §4: one party's view never shows the other's address or telephone."""
    profile = _p(service)
    assert not policy.may_show_contact_details(profile, "parent", "other_party").allowed
    assert not policy.may_show_contact_details(profile, "other_party", "parent").allowed
    assert policy.may_show_contact_details(profile, "other_party", "other_party").allowed


def test_con6_st_marys_ccc_party_view_never_shows_the_other_partys_details() -> None:
    _party_views_apart("st-marys-ccc")


def test_con6_cordomus_ccc_party_view_never_shows_the_other_partys_details() -> None:
    _party_views_apart("cordomus-ccc")
