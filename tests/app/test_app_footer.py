"""TUI2: every screen's footer reads whole at 80x24, 100x30 and 120x40 (a key that
does not fit is left out whole, never cut mid-word), and F1 lists every key of the
screen and dialog (all but the lock screen's). Every screen is reached by keys
(tests/screenwalk.py), synthetic families only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from screens.app import CalllogApp
from screens.common.help import HelpScreen
from screens.common.keys import key_chart
from tests.apphelpers import make_app, screen_text, settle
from tests.screenwalk import ROUTES, Route, demo_service, walk

SIZES = ((80, 24), (100, 30), (120, 40))
EDGE = "▏"  # the line before the palette key (and what a cut label ran into)


def footer_problems(app: CalllogApp) -> list[str]:
    """What is wrong with the footer row as drawn: a label shown in part, or text on
    the row that is no whole label."""
    row = screen_text(app).splitlines()[-1]
    rest = row
    problems = []
    keys = [key for key in app.screen.query(FooterKey) if key.display]
    if not keys:
        problems.append("no key in the footer")
    for key in keys:
        label = f"{key.key_display} {key.description}".strip()
        whole = re.compile(rf"(?<![^\s{EDGE}]){re.escape(label)}(?![^\s{EDGE}])")
        if not whole.search(rest):  # the whole label, a space or the edge either side
            problems.append(f"{label!r} is not shown whole")
        rest = whole.sub(" ", rest, count=1)
    if rest.replace(EDGE, "").strip():
        problems.append(f"left on the row: {rest.strip()!r}")
    return problems


def _help_text(app: CalllogApp) -> str:
    return str(app.screen.query_one("#help-text", Static).render())


def _route_id(route: Route) -> str:
    return route.name


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
async def test_tui2_footer_reads_whole_at_every_size_and_f1_lists_every_key(
    route: Route, tmp_path: Path,
) -> None:
    app = make_app(demo_service(tmp_path, route.profile))
    async with app.run_test(size=SIZES[0]) as pilot:
        await walk(pilot, route)
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            await pilot.pause()
            assert footer_problems(app) == [], (width, height, screen_text(app))
        if not route.help:
            return
        assert "f1 Help" in screen_text(app).splitlines()[-1]  # always in the footer
        beneath = app.screen
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen), f"F1 on {route.screen}"
        listed = _help_text(app)
        for entry in key_chart().get(route.name, []) + key_chart()["app"]:
            if beneath.check_action(entry["action"].split("(")[0], ()) is False \
                    or app.check_action(entry["action"], ()) is False:
                continue  # not offered here now (no draft to resume, nobody to lock)
            shown = app.get_key_display(Binding(entry["keys"].split(",")[0], ""))
            assert shown in listed, (entry["id"], listed)
            if not entry["action"].startswith("non_data("):  # the service's own words
                assert entry["help"] in listed, (entry["id"], listed)
