"""Keystrokes an adviser presses (beyond the text they type) for the common paths,
counted by driving the real app with Textual's Pilot; run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_keystrokes.py
    .venv/bin/python benchmarks/bench_keystrokes.py --quick  # the shortest path only
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher
from sqlmodel import select
from textual.pilot import Pilot

from calllog import passwords
from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.models import Enquiry
from tests.apphelpers import log_in, make_app, settle, type_text


class Counter:
    def __init__(self, pilot: Pilot[object]) -> None:
        self.pilot, self.keys = pilot, 0

    async def key(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def text(self, words: str) -> None:
        await type_text(self.pilot, words)

    async def field(self, words: str) -> None:
        """Type into the focused field, then enter (one key)."""
        await self.text(words)
        await self.key("enter")


async def anonymous(c: Counter) -> None:
    await c.key("n")
    await c.field("tribunal")
    await c.field("info")
    await c.text("Asked about appeal deadlines")
    await c.key("f3", "ctrl+s")


async def identified_one_child(c: Counter) -> None:
    await c.key("n")
    await c.field("annual")
    await c.field("advice")
    await c.text("Review meeting next week")
    await c.key("f3", "f2")
    for value in ("y", "Robin Testparent", "moth", "1 Test Row", "GU21 4XX", "020 7946 0123",
                  "robin@example.org", "phone", "Alex Testchild", "04/03/2015"):
        await c.field(value)
    await c.key("ctrl+s")


async def non_data(c: Counter) -> None:
    await c.key("f5")


async def measure(flow: Callable[[Counter], Awaitable[None]]) -> tuple[int, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/k.sqlite3"
        store = Store(url)
        ensure_demo(store)
        app = make_app(url)
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(cast(Pilot[object], pilot), "adviser")
            counter = Counter(cast(Pilot[object], pilot))
            await flow(counter)
        with store.read() as session:
            saved = session.exec(select(Enquiry)).first() is not None
        store.close()
        return counter.keys, saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__
                                     else None)
    parser.add_argument("--quick", action="store_true",
                        help="only the shortest path (a non-data contact): a smoke check")
    args = parser.parse_args(argv)
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    rows = [("anonymous enquiry, one topic", anonymous, "<= 6"),
            ("identified: parent (7 fields) + one child", identified_one_child, "-"),
            ("non-data contact (silent call)", non_data, "1")]
    if args.quick:
        rows = rows[-1:]
    print(f"{'path':<44} {'keys':>5}  {'target':>6}  saved")
    for name, flow, target in rows:
        keys, saved = asyncio.run(measure(flow))
        print(f"{name:<44} {keys:>5}  {target:>6}  {'yes' if saved else 'NO'}")
    print("\nKeys beyond the text typed; from the home screen, signed in.")


if __name__ == "__main__":
    main()
