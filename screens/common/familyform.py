"""The identified part of an enquiry: consent to keep contact details, the parent or
carer, children, and the diversity questions. Used by the new-enquiry screen and the
family-record editor. Its whole state round-trips through a dict (drafts)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from calllog.academic import year_group_code, year_group_label
from calllog.clock import today
from calllog.limits import ADDRESS, NAME
from calllog.profiles import CodeList, Profile
from calllog.services.enquiries import ChildDetails, ParentDetails
from calllog.validation import (
    check_child_dob,
    format_date,
    format_phone,
    parse_date,
    parse_email,
    parse_phone,
    parse_postcode,
)
from screens.common.widgets import Choice, PickField, TextField

CONSENT_CHOICES: list[Choice] = [
    ("YES", "Yes: the caller agrees we keep their contact details"),
    ("NO", "No: do not keep their contact details"),
]


PARENT_TEXT = ("name", "address", "postcode", "phone", "email")


PARENT_PICK = ("relationship", "contact_method")


CHILD_TEXT = ("name", "dob", "school")
CHILD_PICK = ("year", "gender", "schooltype", "needs", "provision", "issues")
CHILD_FIELDS = (*CHILD_TEXT, *CHILD_PICK)


def choices(codes: CodeList) -> list[Choice]:
    return [(item.code, item.label) for item in codes.items]


def _phone(text: str) -> str:
    return format_phone(parse_phone(text))


def dob_validator(profile: Profile) -> Any:
    def check(text: str) -> str:
        born = parse_date(text)
        check_child_dob(born, today(), max_age=profile.child_max_age)
        return format_date(born)

    return check


def field_id(path: str) -> str:
    """Service problem path -> widget id: ``children[1].dob`` -> ``child-1-dob``."""
    mapping = {"school_name": "school", "school_type": "schooltype", "year_group": "year",
               "sen_needs": "needs", "sen_provision": "provision"}
    if path.startswith("children["):
        n, _, name = path[len("children["):].partition("].")
        return f"child-{n}-{mapping.get(name, name)}"
    if path.startswith("parent."):
        return "parent-" + path[len("parent."):].replace("_", "-")
    if path.startswith("diversity."):
        return "div-" + path[len("diversity."):]
    return path.replace("_", "-")


class ChildForm(Vertical):
    DEFAULT_CSS = "ChildForm { height: auto; margin-top: 1; }"

    def __init__(self, n: int, profile: Profile, state: Mapping[str, Any]) -> None:
        super().__init__(id=f"child-{n}")
        self.n = n
        self.profile = profile
        self.state = state
        self.year_chosen_by_hand = bool(state.get("year_by_hand"))

    def _fid(self, name: str) -> str:
        return f"child-{self.n}-{name}"

    def compose(self) -> ComposeResult:
        p, s = self.profile, self.state
        yield Static(f"Child {self.n + 1}", classes="section-title")
        yield TextField("Child's name", id=self._fid("name"), max_length=NAME,
                        value=s.get("name", ""))
        yield TextField("Date of birth", id=self._fid("dob"), validator=dob_validator(p),
                        placeholder="DD/MM/YYYY", max_length=10, value=s.get("dob", ""))
        yield PickField("Year group", choices(p.year_groups), id=self._fid("year"),
                        values=s.get("year", ()))
        yield PickField("Gender", choices(p.genders), id=self._fid("gender"),
                        values=s.get("gender", ()))
        yield TextField("School/setting", id=self._fid("school"), max_length=NAME,
                        value=s.get("school", ""))
        yield PickField("School type", choices(p.school_types), id=self._fid("schooltype"),
                        values=s.get("schooltype", ()))
        yield PickField("Type of need", choices(p.sen_needs), id=self._fid("needs"), multi=True,
                        values=s.get("needs", ()))
        yield PickField("SEN provision", choices(p.sen_provision), id=self._fid("provision"),
                        values=s.get("provision", ()))
        yield PickField("Issue", choices(p.topics), id=self._fid("issues"), multi=True,
                        values=s.get("issues", ()))

    def on_mount(self) -> None:
        self._derive_year()

    @property
    def complete(self) -> bool:
        """Mounted with every field: not still being made, nor being taken down."""
        return self.is_mounted and all(self.query(f"#{self._fid(n)}") for n in CHILD_FIELDS)

    def _text(self, name: str) -> TextField:
        return self.query_one(f"#{self._fid(name)}", TextField)

    def _pick(self, name: str) -> PickField:
        return self.query_one(f"#{self._fid(name)}", PickField)

    @on(PickField.Changed)
    def _picked(self, event: PickField.Changed) -> None:
        if event.field.id == self._fid("year"):
            self.year_chosen_by_hand = True

    @on(TextField.Changed)
    def _typed(self, event: TextField.Changed) -> None:
        if event.field.id == self._fid("dob"):
            self._derive_year()

    def dob(self) -> date | None:
        field = self._text("dob")
        if not field.value.strip():
            return None
        try:
            return parse_date(field.value)
        except ValueError:
            return None

    def _derive_year(self) -> None:
        """Year group from the date of birth for this English academic year; shown,
        and changeable (a choice made by hand is kept)."""
        born = self.dob()
        field = self._text("dob")
        if born is None or born > today():
            field.hint("")
            return
        code = year_group_code(born, today())
        field.hint(f"{year_group_label(code)}, from the date of birth")
        if not self.year_chosen_by_hand:
            self._pick("year").set_values([code])

    def details(self) -> ChildDetails:
        dob_text = self._text("dob").check()
        return ChildDetails(
            id=self.state.get("id"),
            name=self._text("name").check() or None,
            dob=parse_date(dob_text) if dob_text else None,
            gender=self._pick("gender").value,
            school_name=self._text("school").check() or None,
            school_type=self._pick("schooltype").value,
            year_group=self._pick("year").value,
            sen_needs=tuple(self._pick("needs").values),
            sen_provision=self._pick("provision").value,
            issues=tuple(self._pick("issues").values),
        )

    def get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {n: self._text(n).value for n in CHILD_TEXT}
        state.update({n: list(self._pick(n).values) for n in CHILD_PICK})
        state["year_by_hand"] = self.year_chosen_by_hand
        if self.state.get("id") is not None:
            state["id"] = self.state["id"]
        return state


def child_state(child: ChildDetails) -> dict[str, Any]:
    """A stored child as form state (for the family-record editor)."""
    return {
        "id": child.id, "name": child.name or "",
        "dob": format_date(child.dob) if child.dob else "",
        "school": child.school_name or "", "year": [child.year_group] if child.year_group else [],
        "gender": [child.gender] if child.gender else [],
        "schooltype": [child.school_type] if child.school_type else [],
        "needs": list(child.sen_needs), "issues": list(child.issues),
        "provision": [child.sen_provision] if child.sen_provision else [],
        "year_by_hand": True,
    }


def parent_state(parent: ParentDetails | None) -> dict[str, Any]:
    if parent is None:
        return {}
    return {
        "name": parent.name or "", "address": parent.address or "",
        "postcode": parent.postcode or "",
        "phone": format_phone(parent.phone) if parent.phone else "",
        "email": parent.email or "",
        "relationship": [parent.relationship] if parent.relationship else [],
        "contact_method": [parent.contact_method] if parent.contact_method else [],
    }


class FamilyForm(Vertical):
    """Consent first (REC3), then the parent's fields only if they agree; children;
    diversity questions (REC4) in their own section, shown on request."""

    DEFAULT_CSS = """
    FamilyForm { height: auto; }
    FamilyForm #caller { height: auto; }
    FamilyForm #parent-fields { height: auto; }
    FamilyForm #children { height: auto; }
    FamilyForm #diversity { height: auto; margin-top: 1; }
    FamilyForm .prompt { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, profile: Profile, state: Mapping[str, Any], *, id: str = "family-form",
                 show_caller: bool = True) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.state = state
        self.show_caller = show_caller
        self.children_count = max(len(state.get("children", [])), 1)

    def compose(self) -> ComposeResult:
        s = self.state
        parent = s.get("parent", {})
        with Vertical(id="caller"):
            yield Static("Caller", classes="section-title")
            yield PickField("Keep details?", CONSENT_CHOICES, id="consent",
                            values=[s["consent"]] if s.get("consent") else [],
                            placeholder="ask first: type y or n, enter")
            with Vertical(id="parent-fields"):
                yield TextField("Name", id="parent-name", max_length=NAME,
                                value=parent.get("name", ""))
                yield PickField("Relationship", choices(self.profile.relationships),
                                id="parent-relationship", values=parent.get("relationship", ()))
                yield TextField("Address", id="parent-address", max_length=ADDRESS,
                                value=parent.get("address", ""))
                yield TextField("Postcode", id="parent-postcode", validator=parse_postcode,
                                max_length=10, value=parent.get("postcode", ""))
                yield TextField("Telephone", id="parent-phone", validator=_phone,
                                max_length=24, value=parent.get("phone", ""))
                yield TextField("Email", id="parent-email", validator=parse_email,
                                max_length=254, value=parent.get("email", ""))
                yield PickField("Preferred contact", choices(self.profile.contact_methods),
                                id="parent-contact-method",
                                values=parent.get("contact_method", ()))
        with Vertical(id="children"):
            for n in range(self.children_count):
                kids = s.get("children", [])
                yield ChildForm(n, self.profile, kids[n] if n < len(kids) else {})
        with Vertical(id="diversity"):
            yield Static("Diversity monitoring (every question may be skipped)",
                         classes="section-title")
            if s.get("diversity_shown") or s.get("diversity"):
                yield from self._questions()

    def _questions(self) -> list[Widget]:
        """The diversity questions (Surrey asks about forty): made only when the section
        is first shown, so a new enquiry opens without them (a third of its widgets)."""
        answers = self.state.get("diversity", {})
        widgets: list[Widget] = []
        for q in self.profile.diversity:
            widgets.append(Static(q.prompt, classes="prompt", id=f"div-{q.key}-prompt",
                                  markup=False))
            widgets.append(PickField("Answer", choices(q.answers), id=f"div-{q.key}",
                                     values=[answers[q.key]] if q.key in answers else []))
        return widgets

    @property
    def _questions_made(self) -> bool:
        return bool(self.query("#diversity PickField"))

    def on_mount(self) -> None:
        self.query_one("#caller").display = self.show_caller
        self.query_one("#diversity").display = bool(self.state.get("diversity_shown"))
        self._consent_changed()
        self._ask_if()

    # --- consent ----------------------------------------------------------------------

    @property
    def consent(self) -> bool | None:
        value = self.query_one("#consent", PickField).value
        return None if value is None else value == "YES"

    @on(PickField.Changed, "#consent")
    def _consent_answered(self) -> None:
        self._consent_changed()
        if self.consent is True:  # the fields just appeared: start at the name
            self.query_one("#parent-name", TextField).focus_input()

    def _consent_changed(self) -> None:
        agreed = self.consent is True
        fields = self.query_one("#parent-fields")
        fields.display = agreed
        if not agreed:  # REC3: nothing of theirs is kept, not even in the draft
            for field in fields.query(TextField):
                field.value = ""
            for pick in fields.query(PickField):
                pick.set_values([])

    # --- diversity --------------------------------------------------------------------

    async def show_diversity(self) -> None:
        section = self.query_one("#diversity")
        if not self._questions_made:
            await section.mount_all(self._questions())
            self._ask_if()
        section.display = True
        for question in self.profile.diversity:
            pick = self.query_one(f"#div-{question.key}", PickField)
            if pick.display:
                pick.focus_input()
                break

    @on(PickField.Changed)
    def _ask_if(self) -> None:
        if not self._questions_made:
            return
        answers = self.diversity_answers(all_shown=True)
        for question in self.profile.diversity:
            shown = question.asked(answers)
            self.query_one(f"#div-{question.key}", PickField).display = shown
            self.query_one(f"#div-{question.key}-prompt").display = shown

    def diversity_answers(self, *, all_shown: bool = False) -> dict[str, str]:
        out: dict[str, str] = {}
        if not self._questions_made:  # never shown: nothing answered
            return out
        for question in self.profile.diversity:
            pick = self.query_one(f"#div-{question.key}", PickField)
            if pick.value and (all_shown or pick.display):
                out[question.key] = pick.value
        return out

    # --- children ---------------------------------------------------------------------

    async def add_child(self) -> ChildForm:
        form = ChildForm(self.children_count, self.profile, {})
        self.children_count += 1
        await self.query_one("#children").mount(form)
        return form

    def child_forms(self) -> list[ChildForm]:
        """The children's forms there to be read (the draft timer reads every second,
        while a child is being added or removed too)."""
        return [form for form in self.query(ChildForm) if form.complete]

    # --- reading ----------------------------------------------------------------------

    def parent_details(self) -> ParentDetails | None:
        if self.consent is not True:
            return None

        def text(name: str) -> str | None:
            return self.query_one(f"#parent-{name}", TextField).check() or None

        def pick(name: str) -> str | None:
            return self.query_one(f"#parent-{name}", PickField).value

        return ParentDetails(
            name=text("name"), relationship=pick("relationship"), address=text("address"),
            postcode=text("postcode"), phone=text("phone"), email=text("email"),
            contact_method=pick("contact-method"),
        )

    def children_details(self) -> tuple[ChildDetails, ...]:
        return tuple(form.details() for form in self.child_forms())

    def get_state(self) -> dict[str, Any]:
        parent: dict[str, Any] = {
            name: self.query_one(f"#parent-{name}", TextField).value for name in PARENT_TEXT}
        parent["relationship"] = list(self.query_one("#parent-relationship", PickField).values)
        parent["contact_method"] = list(self.query_one("#parent-contact-method", PickField).values)
        consent = self.query_one("#consent", PickField).value
        return {
            "consent": consent,
            "parent": parent if consent == "YES" else {},
            "children": [form.get_state() for form in self.child_forms()],
            "diversity": self.diversity_answers(all_shown=True),
            "diversity_shown": self.query_one("#diversity").display,
        }

    def has_content(self) -> bool:
        state = self.get_state()
        kids = any(any(v for k, v in c.items() if k not in ("year_by_hand", "year"))
                   for c in state["children"])
        return bool(state["consent"] or any(state["parent"].values()) or kids
                    or state["diversity"])
