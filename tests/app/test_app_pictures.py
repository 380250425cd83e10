"""TUI2: a picture of every screen and dialog at 80x24 (tests/screenwalk.py reaches
each by keys), in the default theme and in Textual's ANSI theme (the terminal's own
16 colours), so a layout change shows in review as a picture. One walk a screen
takes both pictures. The clock is frozen and the people are synthetic. After a
deliberate change of layout, look at the new pictures and accept them with
``pytest tests/app/test_app_pictures.py --snapshot-update``."""

from __future__ import annotations

from pathlib import Path

import pytest
import time_machine
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion

from tests.app.test_snapshots import FROZEN
from tests.apphelpers import make_app
from tests.screenwalk import ROUTES, Route, demo_service, walk

ANSI_THEME = "ansi-dark"  # the terminal's own 16 colours (Textual's ANSI theme)


def _route_id(route: Route) -> str:
    return route.name


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
async def test_tui2_every_screen_at_80x24_in_the_default_and_16_colour_themes(
    route: Route, tmp_path: Path, snapshot: SnapshotAssertion,
) -> None:
    pictures: dict[str, str] = {}
    with time_machine.travel(FROZEN, tick=False):
        app = make_app(demo_service(tmp_path, route.profile))
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot, route)
            assert app.theme != ANSI_THEME
            for name, theme in (("default", app.theme), ("16-colour", ANSI_THEME)):
                app.theme = theme
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                pictures[name] = app.export_screenshot(title=app.title)
    assert pictures["default"] != pictures["16-colour"]
    for name, picture in pictures.items():
        assert snapshot(name=name, extension_class=SVGImageExtension) == picture
