"""A new enquiry, mid-call (REC1–REC7, OPS1).

Anonymous by default: topic, outcome, an optional note, save. F2 identifies the
caller step by step (consent to keep contact details first). F5–F8 log a non-data
contact with one key. Typing a name, telephone, postcode or a child's date of birth
looks for a returning caller (F9 to choose). The form is kept as the adviser's draft
as it changes, and at lock, switch user, quit and hang-up.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.timer import Timer
from textual.widgets import Static, TextArea

from calllog.clock import iso, utcnow
from calllog.errors import CalllogError
from calllog.limits import NOTE
from screens.common.base import CalllogScreen
from screens.common.dialogs import ConfirmScreen
from screens.common.familyform import ChildForm, FamilyForm, choices, field_id
from screens.common.footer import CalllogFooter
from screens.common.keys import keys_for
from screens.common.limited import NoteArea
from screens.common.nondata import non_data_kind
from screens.common.widgets import PickField, TextField
from screens.enquiry.lines import callback_date, flags_text, header_text, returning_text
from screens.enquiry.matches import MatchesScreen
from screens.enquiry.reading import enquiry_from_form

if TYPE_CHECKING:
    from calllog.services.families import FamilyRecord
    from calllog.services.search import FamilyMatch
    from calllog.session import SignedIn


DRAFT_KIND = "enquiry"
SEARCH_FIELDS = ("parent-name", "parent-phone", "parent-postcode")
NOTES_REMINDER = "Record only what is directly relevant to the enquiry."


class EnquiryScreen(CalllogScreen[None]):
    HELP_TITLE = "New enquiry"
    AUTO_FOCUS = "#topics-in"
    draft_kind = DRAFT_KIND
    kept_on_fault = "Your form is kept: press ctrl+s to try again."
    BINDINGS: ClassVar[list[BindingType]] = keys_for("enquiry")

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
        self._finished = False  # saved or discarded: no more drafts
        self._saving = False
        self._draft_busy = False
        # This form's database writes (drafts, the save, the discard) run in workers,
        # one at a time and in order: a draft never lands after the enquiry is saved.
        self._writes = threading.Lock()


    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        profile = self.session.profile
        s = self.state
        yield Static(id="enquiry-header")
        with VerticalScroll(id="enquiry-body"):
            yield PickField("Topic", choices(profile.topics), id="topics", multi=True,
                            values=s.get("topics", ()))
            yield PickField("Outcome", choices(profile.outcomes), id="outcome",
                            values=s.get("outcome", ()))
            yield Static(f"Note: {NOTES_REMINDER}", id="notes-label")
            yield NoteArea(s.get("notes", ""), max_length=NOTE, id="notes", soft_wrap=True,
                           show_line_numbers=False, max_checkpoints=20)
            yield TextField("Callback due", id="follow-up-due", validator=callback_date,
                            placeholder="DD/MM/YYYY (optional)", max_length=10,
                            value=s.get("follow_up_due", ""))
            yield PickField("Channel", choices(profile.channels), id="channel",
                            values=s.get("channel", ["PHONE"]))
            yield Static(id="flags")
            yield Static(id="returning", markup=False)
            yield FamilyForm(profile, s.get("form", {}), show_caller=True)
        yield CalllogFooter()

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
        self.query_one("#enquiry-header", Static).update(
            header_text(self.started_at, self.family_ref, self.identifying))

    def _render_flags(self) -> None:
        self.query_one("#flags", Static).update(flags_text(self.flags))

    def _render_returning(self) -> None:
        widget = self.query_one("#returning", Static)
        widget.update(returning_text(self.family_ref, self.matches))
        widget.display = bool(self.family_ref or self.matches)

    @property
    def family_form(self) -> FamilyForm:
        return self.query_one(FamilyForm)

    @property
    def asks_child(self) -> bool:
        """Surrey (policy 001 §2.3): a general enquiry still asks the child's name and
        date of birth, so the child's fields are on the form from the start."""
        return self.session.profile.general_enquiry_asks_child

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
        """Keep the form as the adviser's draft, in a worker: typing never waits for
        the database (a busy one waits up to its lock timeout)."""
        payload = self.draft_payload()
        if payload is None or self._saving or self._draft_busy:
            return
        self._dirty = False
        self._draft_busy = True
        self.call_service(lambda s: self._write_draft(s, payload), group="draft")

    def _write_draft(self, session: SignedIn, payload: dict[str, Any]) -> None:
        from calllog.services import drafts

        try:
            with self._writes:
                if not self._finished:
                    drafts.save(session.store, session.actor.id, DRAFT_KIND, payload)
        finally:
            self._draft_busy = False

    def _finish(self, session: SignedIn) -> None:
        """In a worker: the enquiry is saved or discarded, so is its draft."""
        from calllog.services import drafts

        with self._writes:
            self._finished = True
            drafts.discard(session.store, session.actor.id, DRAFT_KIND)

    def _close(self, message: str | None = None) -> None:
        self._finished = True
        self.dismiss()
        if message:
            self.notify(message)

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

    async def action_diversity(self) -> None:
        await self.family_form.show_diversity()
        self._dirty = True

    def action_non_data(self, place: int) -> None:
        from calllog.services import enquiries

        profile = self.session.profile
        kind = non_data_kind(profile, place)
        if kind is None or self._saving:
            return
        if self.has_content():
            self.notify("This call has details typed: save it, or cancel it first.",
                        severity="warning")
            return
        channel = self.query_one("#channel", PickField).value or "PHONE"
        started_at = self.started_at

        def log(s: SignedIn) -> None:
            enquiries.log_non_data_contact(s.store, s.actor, s.profile, kind,
                                           channel=channel, started_at=started_at)
            self._finish(s)

        self._saving = True
        self.call_service(log, lambda _: self._close(
            f"Logged: {profile.non_data_kinds.label(kind)}."), failed=self._save_failed,
            group="save")

    def action_cancel(self) -> None:
        if not self.has_content():
            self._discard()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard("Enquiry discarded.")

        self.app.push_screen(ConfirmScreen("Discard this enquiry? Nothing of it is kept."),
                             answered)

    def _discard(self, message: str | None = None) -> None:
        from calllog.services import drafts

        session = self.session
        self._finished = True
        # The app's worker: this screen is gone before the discard is written.
        self.app.run_worker(lambda: drafts.discard(session.store, session.actor.id,
                                                   DRAFT_KIND), thread=True, group="drafts")
        self._close(message)

    def action_save(self) -> None:
        from calllog.services import enquiries

        if self._saving or self.field_problems():
            return
        data = enquiry_from_form(self)

        def save(s: SignedIn) -> enquiries.Saved:
            saved = enquiries.log_enquiry(s.store, s.actor, s.profile, data)
            self._finish(s)
            return saved

        self._saving = True
        self.call_service(
            save, lambda saved: self._close(f"Enquiry saved ({saved.coded_ref or 'anonymous'})."),
            fields=field_id, failed=self._save_failed, group="save")

    def _save_failed(self, _error: CalllogError) -> None:
        self._saving = False  # the form stays open with everything typed

    # --- returning callers ------------------------------------------------------------

    def _schedule_search(self, text: str) -> None:
        if self.family_id is not None:
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(0.2, lambda: self._search(text))

    def _search(self, text: str) -> None:
        from calllog.services import search

        # Quiet: someone without a DBS check simply sees no returning callers.
        self.call_service(lambda s: search.find_families(s.store, s.actor, text), self._found,
                          failed=lambda _: self._found([]), quiet=True,
                          group="returning-caller", exclusive=True)

    def _found(self, matches: list[FamilyMatch]) -> None:
        if self.family_id is not None or self._finished:
            return
        self.matches = matches
        self._render_returning()
        self.refresh_bindings()

    def action_choose_family(self) -> None:

        def chosen(family_id: int | None) -> None:
            if family_id is not None:
                self.attach_family(family_id)

        self.app.push_screen(MatchesScreen(self.matches), chosen)

    def attach_family(self, family_id: int) -> None:
        """The enquiry belongs to this returning family: the view is audited, and what
        was typed to find them is dropped (nothing is asked, or stored, twice)."""
        from calllog.services import families

        self.call_service(lambda s: families.open_family(s.store, s.actor, family_id,
                                                         reason="returning caller"),
                          lambda record: self.call_later(self._attached, record))

    async def _attached(self, record: FamilyRecord) -> None:
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
