"""A new enquiry, mid-call (REC1–REC7, OPS1).

Anonymous by default: topic, outcome, an optional note, save. F2 identifies the
caller step by step (consent to keep contact details first). F5–F8 log a non-data
contact with one key. Typing a name, telephone, postcode or a child's date of birth
looks for a returning caller (F9 to choose). The form is kept as the adviser's draft
as it changes, and at lock, switch user, quit and hang-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Static, TextArea

from calllog.clock import iso, today, utcnow
from calllog.errors import CalllogError
from calllog.services.enquiries import EnquiryProblems, NewEnquiry
from calllog.validation import ValidationError, format_date, parse_date
from screens.common.base import CalllogScreen
from screens.common.dialogs import ConfirmScreen
from screens.common.familyform import ChildForm, FamilyForm, choices
from screens.common.widgets import PickField, TextField
from screens.enquiry.matches import MatchesScreen, match_text

if TYPE_CHECKING:
    from calllog.services.search import FamilyMatch


DRAFT_KIND = "enquiry"


SEARCH_FIELDS = ("parent-name", "parent-phone", "parent-postcode")


NON_DATA_KEYS = {"f5": "SILENT", "f6": "WRONG_NUMBER", "f7": "HANG_UP", "f8": "ABUSIVE"}


NON_DATA_WORDS = {"SILENT": "a silent call", "WRONG_NUMBER": "a wrong number",
                  "HANG_UP": "a hang-up", "ABUSIVE": "an abusive call"}


NOTES_REMINDER = "Record only what is directly relevant to the enquiry."


def _callback_date(text: str) -> str:
    due = parse_date(text)
    if due < today():
        raise ValidationError("The callback date is in the past.")
    return format_date(due)


class EnquiryScreen(CalllogScreen[None]):
    HELP_TITLE = "New enquiry"
    AUTO_FOCUS = "#topics-in"
    draft_kind = DRAFT_KIND
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="enquiry.save", priority=True,
                tooltip="Save the enquiry (anonymous unless the caller was identified)."),
        Binding("f2", "identify", "Identify", id="enquiry.identify", priority=True,
                tooltip="Identify the caller step by step: consent to keep details first."),
        Binding("f3", "toggle_flag('policy_explained')", "Policy told",
                id="enquiry.policy_explained", priority=True,
                tooltip="Record that the confidentiality policy was explained."),
        Binding("f4", "toggle_flag('leaflet_sent')", "Leaflet", id="enquiry.leaflet_sent",
                priority=True, tooltip="Record that the data-protection leaflet was sent."),
        *[Binding(key, f"non_data('{kind}')", kind.replace("_", " ").title(),
                  id=f"enquiry.non_data.{kind.lower()}", priority=True, show=False,
                  tooltip=f"This call was {NON_DATA_WORDS[kind]}: log it and close.")
          for key, kind in NON_DATA_KEYS.items()],
        Binding("f9", "choose_family", "Returning", id="enquiry.returning", priority=True,
                tooltip="Choose the returning caller's family from the matches."),
        Binding("ctrl+n", "add_child", "Add child", id="enquiry.add_child", priority=True,
                show=False, tooltip="Add another child."),
        Binding("ctrl+g", "diversity", "Diversity", id="enquiry.diversity", priority=True,
                show=False, tooltip="The diversity monitoring questions."),
        Binding("escape", "cancel", "Cancel", id="enquiry.cancel",
                tooltip="Discard this enquiry (asks first)."),
    ]

    def __init__(self, draft: dict[str, Any] | None = None, *, family_id: int | None = None,
                 family_ref: str | None = None) -> None:
        super().__init__()
        self.state = draft or {}
        started = self.state.get("started_at")
        self.started_at = (datetime.fromisoformat(started.replace("Z", "+00:00"))
                           if started else utcnow())
        self.flags = {"policy_explained": bool(self.state.get("policy_explained")),
                      "leaflet_sent": bool(self.state.get("leaflet_sent"))}
        self.identifying = bool(self.state.get("identify"))
        self.family_id: int | None = self.state.get("family_id", family_id)
        self.family_ref: str | None = self.state.get("family_ref", family_ref)
        self.matches: list[FamilyMatch] = []
        self._dirty = False
        self._search_timer: Timer | None = None
        self._finished = False


    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        profile = self.calllog.profile
        assert profile is not None
        s = self.state
        yield Static(id="enquiry-header")
        with VerticalScroll(id="enquiry-body"):
            yield PickField("Topic", choices(profile.topics), id="topics", multi=True,
                            values=s.get("topics", ()))
            yield PickField("Outcome", choices(profile.outcomes), id="outcome",
                            values=s.get("outcome", ()))
            yield Static(f"Note: {NOTES_REMINDER}", id="notes-label")
            yield TextArea(s.get("notes", ""), id="notes", soft_wrap=True,
                           show_line_numbers=False, max_checkpoints=20)
            yield TextField("Callback due", id="follow-up-due", validator=_callback_date,
                            placeholder="DD/MM/YYYY (optional)", max_length=10,
                            value=s.get("follow_up_due", ""))
            yield PickField("Channel", choices(profile.channels), id="channel",
                            values=s.get("channel", ["PHONE"]))
            yield Static(id="flags")
            yield Static(id="returning", markup=False)
            yield FamilyForm(profile, s.get("form", {}), show_caller=True)
        yield Footer()

    def on_mount(self) -> None:
        self._show_identify(self.identifying)
        self._render_flags()
        self._render_header()
        self._render_returning()
        self.set_interval(1.0, self._tick, name="call-timer")

    def _tick(self) -> None:
        self._render_header()
        if self._dirty and not self._finished:
            self.save_draft()

    def _render_header(self) -> None:
        seconds = int((utcnow() - self.started_at).total_seconds())
        text = Text("New enquiry", style="bold")
        text.append(f"  ·  {seconds // 60:02d}:{seconds % 60:02d}")
        if self.family_ref:
            text.append("  ·  returning caller ")
            text.append(self.family_ref, style="bold")
        elif self.identifying:
            text.append("  ·  identifying the caller")
        else:
            text.append("  ·  anonymous")
        self.query_one("#enquiry-header", Static).update(text)

    def _render_flags(self) -> None:
        def box(on: bool) -> str:
            return "[x]" if on else "[ ]"

        self.query_one("#flags", Static).update(Text(
            f"{box(self.flags['policy_explained'])} confidentiality policy explained (F3)   "
            f"{box(self.flags['leaflet_sent'])} leaflet sent (F4)"))

    def _render_returning(self) -> None:

        widget = self.query_one("#returning", Static)
        if self.family_ref:
            widget.update(Text(f"Returning caller {self.family_ref}: their details are on "
                               f"record, nothing is asked twice. ctrl+n adds a new child."))
        elif self.matches:
            text = Text(f"Returning caller? {len(self.matches)} possible: F9 to choose\n",
                        style="bold")
            for match in self.matches[:3]:
                text.append_text(match_text(match))
                text.append("\n")
            widget.update(text)
        else:
            widget.update("")
        widget.display = bool(self.family_ref or self.matches)

    @property
    def family_form(self) -> FamilyForm:
        return self.query_one(FamilyForm)

    @property
    def asks_child(self) -> bool:
        """Surrey (policy 001 §2.3): a general enquiry still asks the child's name and
        date of birth, so the child's fields are on the form from the start."""
        profile = self.calllog.profile
        return bool(profile and profile.general_enquiry_asks_child)

    def _show_identify(self, on: bool) -> None:
        form = self.family_form
        form.query_one("#caller").display = on and self.family_id is None
        form.query_one("#children").display = (
            on or self.family_id is not None or self.asks_child)

    @property
    def children_shown(self) -> bool:
        return bool(self.family_form.query_one("#children").display)

    # --- drafts -----------------------------------------------------------------------

    @on(TextField.Changed)
    @on(PickField.Changed)
    @on(TextArea.Changed)
    def _changed(self, event: Any) -> None:
        self._dirty = True
        control = getattr(event, "control", None)
        control_id = getattr(control, "id", "") or ""
        if isinstance(control, TextField) and (
            control_id in SEARCH_FIELDS or control_id.endswith("-dob")
        ):
            self._schedule_search(control.value)

    def has_content(self) -> bool:
        pick = self.query_one
        return bool(
            pick("#topics", PickField).values or pick("#outcome", PickField).values
            or pick("#notes", TextArea).text.strip()
            or pick("#follow-up-due", TextField).value.strip()
            or self.identifying or self.family_id or any(self.flags.values())
            or self.family_form.has_content()
        )

    def draft_payload(self) -> dict[str, Any] | None:
        if not self.is_mounted or self._finished or not self.has_content():
            return None
        return {
            "v": 1,
            "started_at": iso(self.started_at),
            "topics": list(self.query_one("#topics", PickField).values),
            "outcome": list(self.query_one("#outcome", PickField).values),
            "notes": self.query_one("#notes", TextArea).text,
            "follow_up_due": self.query_one("#follow-up-due", TextField).value,
            "channel": list(self.query_one("#channel", PickField).values),
            **self.flags,
            "identify": self.identifying,
            "family_id": self.family_id,
            "family_ref": self.family_ref,
            "form": self.family_form.get_state(),
        }

    def save_draft(self) -> None:
        from calllog.services import drafts

        app = self.calllog
        payload = self.draft_payload()
        if payload and app.store and app.actor:
            drafts.save(app.store, app.actor.id, DRAFT_KIND, payload)
        self._dirty = False

    def _forget_draft(self) -> None:
        from calllog.services import drafts

        self._finished = True
        app = self.calllog
        if app.store and app.actor:
            drafts.discard(app.store, app.actor.id, DRAFT_KIND)

    # --- actions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose_family":
            return bool(self.matches) and self.family_id is None
        if action == "add_child":
            return self.identifying or self.family_id is not None or self.asks_child
        return True

    def action_toggle_flag(self, name: str) -> None:
        self.flags[name] = not self.flags[name]
        self._dirty = True
        self._render_flags()

    def action_identify(self) -> None:
        self.identifying = True
        self._dirty = True
        self._show_identify(True)
        self._render_header()
        self.refresh_bindings()
        if self.family_id is None:
            self.family_form.query_one("#consent", PickField).focus_input()

    async def action_add_child(self) -> None:
        self.family_form.query_one("#children").display = True
        form = await self.family_form.add_child()
        form.query_one(TextField).focus_input()
        self._dirty = True

    def action_diversity(self) -> None:
        self.family_form.show_diversity()
        self._dirty = True

    def action_non_data(self, kind: str) -> None:
        from calllog.services import enquiries

        app = self.calllog
        if self.has_content():
            self.notify("This call has details typed: save it, or cancel it first.",
                        severity="warning")
            return
        assert app.store and app.actor and app.profile
        channel = self.query_one("#channel", PickField).value or "PHONE"
        enquiries.log_non_data_contact(app.store, app.actor, app.profile, kind,
                                       channel=channel, started_at=self.started_at)
        self._forget_draft()
        self.dismiss()
        app.notify(f"Logged: {app.profile.non_data_kinds.label(kind)}.")

    def action_cancel(self) -> None:
        if not self.has_content():
            self._forget_draft()
            self.dismiss()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._forget_draft()
                self.dismiss()
                self.calllog.notify("Enquiry discarded.")

        self.app.push_screen(ConfirmScreen("Discard this enquiry? Nothing of it is kept."),
                             answered)

    def action_save(self) -> None:
        from calllog.services import enquiries

        app = self.calllog
        assert app.store and app.actor and app.profile
        if self.field_problems():
            return
        due = self.query_one("#follow-up-due", TextField).value.strip()
        form = self.family_form
        children = form.children_details() if self.children_shown else ()
        parent = form.parent_details() if self.identifying and self.family_id is None else None
        data = NewEnquiry(
            started_at=self.started_at,
            channel=self.query_one("#channel", PickField).value or "",
            topics=tuple(self.query_one("#topics", PickField).values),
            notes=self.query_one("#notes", TextArea).text,
            outcome=self.query_one("#outcome", PickField).value,
            follow_up_due=parse_date(due) if due else None,
            policy_explained=self.flags["policy_explained"],
            leaflet_sent=self.flags["leaflet_sent"],
            family_id=self.family_id,
            contact_consent=(form.consent is True) if self.family_id is None
            else bool(self.state.get("family_consent", True)),
            parent=parent,
            children=children,
            diversity=form.diversity_answers(),
        )
        try:
            saved = enquiries.log_enquiry(app.store, app.actor, app.profile, data)
        except EnquiryProblems as problems:
            shown = form.show_problems(problems.problems)
            self.notify(str(problems), severity="error")
            if shown:
                self.query_one(f"#{shown[0]}").query_one("Input").focus()
            return
        except CalllogError as error:
            self.notify(str(error), severity="error")
            return
        self._forget_draft()
        self.dismiss()
        who = saved.coded_ref or "anonymous"
        app.notify(f"Enquiry saved ({who}).")


    # --- returning callers ------------------------------------------------------------

    def _schedule_search(self, text: str) -> None:
        if self.family_id is not None:
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(0.2, lambda: self._search(text))

    @work(thread=True, exclusive=True, group="returning-caller")
    def _search(self, text: str) -> None:
        from calllog.services import search

        app = self.calllog
        if app.store is None or app.actor is None:
            return
        try:
            found = search.find_families(app.store, app.actor, text)
        except CalllogError:
            found = []
        app.call_from_thread(self._found, found)

    def _found(self, matches: list[FamilyMatch]) -> None:
        self.matches = matches
        self._render_returning()
        self.refresh_bindings()

    def action_choose_family(self) -> None:

        def chosen(family_id: int | None) -> None:
            if family_id is not None:
                self.call_later(self.attach_family, family_id)

        self.app.push_screen(MatchesScreen(self.matches), chosen)

    async def attach_family(self, family_id: int) -> None:
        """The enquiry belongs to this returning family: the view is audited, and what
        was typed to find them is dropped (nothing is asked, or stored, twice)."""
        from calllog.services import families

        app = self.calllog
        assert app.store and app.actor
        try:
            record = families.open_family(app.store, app.actor, family_id,
                                          reason="returning caller")
        except CalllogError as error:
            self.notify(str(error), severity="error")
            return
        self.family_id = record.id
        self.family_ref = record.coded_ref
        self.state["family_consent"] = record.contact_consent
        self.matches = []
        form = self.family_form
        await form.query(ChildForm).remove()  # awaited: the draft timer reads them
        form.children_count = 0
        form.query_one("#consent", PickField).set_values([])
        form._consent_changed()
        self._show_identify(True)
        self._render_header()
        self._render_returning()
        self.refresh_bindings()
        self._dirty = True
        self.query_one("#topics", PickField).focus_input()
