"""Recording an incoming referral (REC8): who referred the family and why, who the
family is, and whether the parent's permission is already recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from calllog.limits import CONTACT, NAME, REASON
from calllog.validation import parse_date
from calllog.vocabulary import ReferralStatus
from screens.common.base import CalllogScreen
from screens.common.familyform import dob_validator, field_id
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.widgets import Choice, PickField, TextField

if TYPE_CHECKING:
    from calllog.services.referrals import ReferralView


FIELDS = {"referrer_kind": "referral-kind", "referrer_name": "referral-name",
          "reason": "referral-reason", "parent_name": "referral-parent",
          "other_party_name": "referral-other", "permission": "referral-permission",
          "children[0].name": "referral-child", "children[0].dob": "referral-dob"}



def _field_id(key: str) -> str:
    """A service's problem key -> the field's id (a child's other details are not
    asked here: they match no field)."""
    return FIELDS.get(key) or field_id(key)


PERMISSION_CHOICES: list[Choice] = [
    ("NONE", "Not yet: hold the referral until the parent agrees"),
    ("REFERRER", "The referrer confirms the parent agreed"),
    ("PARENT", "The parent told us themselves that they agree"),
]


class ReferralFormScreen(CalllogScreen["ReferralView | None"]):
    """REC8: the referrer, the reason, who the family is, and whether the parent's
    permission is already recorded."""

    HELP_TITLE = "New referral"
    AUTO_FOCUS = "#referral-kind-in"
    BINDINGS: ClassVar[list[BindingType]] = keys_for("referral_form")
    saving = False

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        kinds = ([(i.code, i.label) for i in profile.referrer_kinds.items]
                 if profile.referrer_kinds else [])
        centre = profile.has_other_party
        yield Static(Text("New referral", style="bold"))
        with VerticalScroll():
            yield PickField("Referred by", kinds, id="referral-kind")
            yield TextField("Referrer's name", id="referral-name", max_length=NAME,
                            placeholder="the school, service or person")
            yield TextField("How to reach them", id="referral-contact", max_length=CONTACT,
                            placeholder="telephone or email, to go back to them")
            yield TextField("Reason", id="referral-reason", max_length=REASON,
                            placeholder="why they referred the family")
            yield TextField("Parent's name", id="referral-parent", max_length=NAME)
            if centre:
                yield TextField("Other party", id="referral-other", max_length=NAME,
                                placeholder="the other parent's name")
            yield TextField("Child's name", id="referral-child", max_length=NAME)
            yield TextField("Date of birth", id="referral-dob", max_length=10,
                            validator=dob_validator(profile), placeholder="DD/MM/YYYY")
            if profile.hold_referrals_until_permission:
                yield PickField("Permission", PERMISSION_CHOICES, id="referral-permission",
                                values=["NONE"])
            else:
                yield Static(Text("Referrals are accepted when they arrive here; the "
                                  "referrer is the agency attendance may be released to.",
                                  style="dim"))
        yield CalllogFooter()

    def action_save(self) -> None:
        from calllog.services import referrals
        from calllog.services.enquiries import ChildDetails

        if self.saving or self.field_problems():
            return

        def value(widget_id: str) -> str:
            found = self.query(f"#{widget_id}").results(TextField)
            return next((f.value for f in found), "")

        dob = value("referral-dob")
        permission = next((p.value for p in self.query("#referral-permission")
                           .results(PickField)), None)
        child = ChildDetails(name=value("referral-child") or None,
                             dob=parse_date(dob) if dob.strip() else None)
        data = referrals.NewReferral(
            referrer_kind=self.query_one("#referral-kind", PickField).value or "",
            referrer_name=value("referral-name"), referrer_contact=value("referral-contact"),
            reason=value("referral-reason"), parent_name=value("referral-parent") or None,
            other_party_name=value("referral-other") or None, children=(child,),
            permission=None if permission in (None, "NONE") else permission)
        self.saving = True
        self.call_service(
            lambda s: referrals.record_referral(s.store, s.actor, s.profile, data),
            self._saved, fields=_field_id, failed=self._not_saved)

    def _not_saved(self, _: object) -> None:
        self.saving = False

    def _saved(self, view: ReferralView) -> None:
        if view.status == ReferralStatus.HELD:
            self.notify(f"Referral of {view.coded_ref} held until the parent's permission is "
                        "recorded; the family is hidden until then.")
        else:
            self.notify(f"Referral of {view.coded_ref} accepted.")
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)
