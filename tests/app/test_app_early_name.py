"""The login screen names the service from its first frame: it reads the name with
the standard library when it mounts (calllog.quickstart), before its first layout
and before the app's worker that imports the ORM and opens the store has done
anything (issue 9, start-up)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from calllog.db import Store
from tests.apphelpers import make_app

SERVICE = "Partnership with Parents (PwP), Surrey"


async def test_service_named_at_mount_without_the_store_worker(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(db_url)
    monkeypatch.setattr(app, "_open_store", lambda: None)  # the store never opens
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.service_ready.is_set() and app.service_name == SERVICE and app.demo
        assert app.store is None
        screen = app.screen
        assert str(screen.query_one("#service-name", Static).render()) == SERVICE
        assert "Demo accounts" in str(screen.query_one("#demo-hint", Static).render())


async def test_the_store_worker_still_names_a_service_the_quick_read_could_not(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database locked at start-up: the quick read gives up at once and the worker
    reads it again (waiting), then opens the store."""
    from calllog import quickstart

    real = quickstart.early_service
    calls: list[float] = []

    def early_service(url: str, *, timeout: float = 2.0) -> quickstart.EarlyService | None:
        calls.append(timeout)
        return None if timeout == 0 else real(url, timeout=timeout)

    monkeypatch.setattr(quickstart, "early_service", early_service)
    app = make_app(db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.store_ready.wait()
        await pilot.pause()
        assert calls == [0, 2.0]
        assert app.service_name == SERVICE
        assert str(app.screen.query_one("#service-name", Static).render()) == SERVICE
