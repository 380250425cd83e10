"""How to reach every screen and dialog of calllog by keys, from a fresh start: one
``Route`` a screen, each a demo service (synthetic families only), who signs in and
the keys pressed from home. The footer tests (TUI2) and the snapshot pictures (TUI2)
walk the same table, so a new screen is added here once.

A step is a key name for ``pilot.press``, or ``=text``: put ``text`` into the
focused box (as typing it would, without a key press a character). The app settles
(workers done, messages handled) after every step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from calllog.clock import today, utcnow
from calllog.db import Store
from calllog.demo import ensure_demo, seed_families
from calllog.demo_accounts import DEMO_PROFILE
from calllog.profiles import load_profile
from calllog.services import accounts, enquiries
from tests.apphelpers import log_in, settle
from tests.conftest import PASSWORDS

# Home -> f -> a demo family's name -> enter (to the results) -> enter (open it).
FAMILY = ("f", "=robin", "enter", "enter")
QUEUE = ("q", "wait")
REFERRAL = ("i", "n", "=health visitor", "enter", "=Nene Health Visiting Team", "enter",
            "=0161 496 0999", "enter", "=Concerns about speech delay.", "enter",
            "=Robin Heldparent", "enter", "=Kit Heldchild", "enter", "=06/05/2021", "enter",
            "ctrl+s")
DISCLOSE = (*FAMILY, "d", "=share", "enter", "=Surrey Children's Services", "enter",
            "=children's", "enter")


@dataclass(frozen=True)
class Route:
    name: str  # the list's name in data/keys.toml where the screen has one
    screen: str  # the class of the screen that must be on top at the end
    steps: tuple[str, ...] = ()
    user: str | None = "adviser"  # None: the login screen, nobody signs in
    profile: str = DEMO_PROFILE
    help: bool = True  # F1 gives this screen's keys (all but the lock screen)


ROUTES: tuple[Route, ...] = (
    Route("login", "LoginScreen", user=None),
    Route("home", "HomeScreen"),
    Route("help", "HelpScreen", ("f1",), help=False),
    Route("lock", "LockScreen", ("ctrl+l",), help=False),
    Route("enquiry", "EnquiryScreen", ("n",)),
    Route("matches", "MatchesScreen",
          ("n", "f2", "=y", "enter", "=Example", "wait", "wait", "wait", "f9")),
    Route("confirm", "ConfirmScreen", ("n", "=tribunal", "enter", "escape")),
    Route("find", "FindFamilyScreen", ("f",)),
    Route("family", "FamilyScreen", FAMILY),
    Route("consents", "ConsentsScreen", (*FAMILY, "k")),
    Route("consent_form", "ConsentFormScreen", (*FAMILY, "k", "r")),
    Route("withdraw", "WithdrawScreen", (*FAMILY, "k", "down", "w")),
    Route("disclose", "DiscloseScreen", DISCLOSE),
    Route("override", "OverrideScreen", (*DISCLOSE, "ctrl+o")),
    Route("agency", "AgencyInfoScreen", (*FAMILY, "g")),
    Route("access_list", "AccessListScreen", (*FAMILY, "a")),
    Route("edit_family", "EditFamilyScreen", (*FAMILY, "e")),
    Route("copy_text", "CopyTextScreen", (*FAMILY, "x")),
    Route("reason", "ReasonScreen", (*FAMILY, "v"), user="supervisor"),
    Route("attendance", "AttendanceScreen", (*FAMILY, "t"), profile="st-marys-ccc"),
    Route("other_party", "OtherPartyScreen", (*FAMILY, "o"), profile="st-marys-ccc"),
    Route("queue", "QueueScreen", QUEUE, user="supervisor"),
    Route("enquiry_detail", "EnquiryDetailScreen", (*QUEUE, "enter"), user="supervisor"),
    Route("filter", "FilterScreen", (*QUEUE, "f"), user="supervisor"),
    Route("callback", "CallbackScreen", (*QUEUE, "d"), user="supervisor"),
    Route("choose", "ChooseScreen", (*QUEUE, "a"), user="supervisor"),
    Route("my_work", "MyWorkScreen", ("w", "wait")),
    Route("referrals", "ReferralsScreen", ("i",), profile="northamptonshire-iass"),
    Route("referral_form", "ReferralFormScreen", ("i", "n"), profile="northamptonshire-iass"),
    Route("permission", "PermissionScreen", (*REFERRAL, "a"),
          profile="northamptonshire-iass"),
    Route("staff", "StaffScreen", ("s",), user="admin"),
)


def demo_service(directory: Path, profile: str = DEMO_PROFILE) -> str:
    """A demo service in ``directory``: its staff, the three synthetic families and one
    anonymous enquiry with a callback due today (the queue's first row, whose enter
    opens the enquiry detail); the database's URL."""
    url = f"sqlite:///{directory / f'walk-{profile}.sqlite3'}"
    store = Store(url, create=True)
    try:
        if ensure_demo(store, profile):
            seed_families(store)
            adviser = accounts.login(store, "adviser", PASSWORDS["adviser"])
            loaded = load_profile(profile)
            callback = "CALLBACK" in loaded.outcomes  # due today: the queue's first row
            enquiries.log_enquiry(store, adviser, loaded, enquiries.NewEnquiry(
                started_at=utcnow() - timedelta(minutes=5),
                topics=(loaded.topics.items[0].code,),
                outcome="CALLBACK" if callback else loaded.outcomes.items[0].code,
                follow_up_due=today() if callback else None))
    finally:
        store.close()
    return url


async def walk(pilot: Pilot[Any], route: Route) -> None:
    """Sign in as the route says and press its keys; the screen it names is on top."""
    if route.user is None:
        await pilot.app.store_ready.wait()  # type: ignore[attr-defined]
        await settle(pilot)
    else:
        await log_in(pilot, route.user)
    for step in route.steps:
        if step == "wait":  # a screen that reads its rows after it has painted
            await pilot.pause(0.2)
        elif step.startswith("="):
            field = pilot.app.focused
            assert isinstance(field, Input), f"{route.name}: no text box for {step!r}"
            field.value = step[1:]
        else:
            await pilot.press(step)
        await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):  # no blink: same picture
        assert isinstance(widget, (Input, TextArea))
        widget.cursor_blink = False
    await pilot.pause()
    shown = type(pilot.app.screen).__name__
    assert shown == route.screen, f"{route.name}: {shown} is on top, not {route.screen}"
