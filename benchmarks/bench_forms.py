"""Opening the forms an adviser opens most: the time from the key to the form on
screen (mounted, laid out), per service profile, driving the real app with Textual's
Pilot; run by hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_forms.py
    .venv/bin/python benchmarks/bench_forms.py --quick  # Surrey, one round

Pilot's own waits are not counted: the form is pushed and awaited until mounted.
The machine's load matters: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.pilot import Pilot

from calllog.db import Store
from calllog.demo import ensure_demo
from screens.enquiry.form import EnquiryScreen
from tests.apphelpers import log_in, make_app, settle

PROFILES = ("surrey-pwp", "cornwall-pps", "northamptonshire-iass", "st-marys-ccc",
            "cordomus-ccc")


async def _time_form(url: str, rounds: int) -> list[float]:
    app = make_app(url)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(cast(Pilot[Any], pilot), "adviser")
        for _ in range(rounds + 1):  # the first round warms the caches: not counted
            began = time.perf_counter()
            await app.push_screen(EnquiryScreen())  # returns once it is mounted
            times.append(time.perf_counter() - began)
            await pilot.press("escape")
            await settle(cast(Pilot[Any], pilot))
    return times[1:]


def measure(profile: str, rounds: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/forms.sqlite3"
        store = Store(url)
        ensure_demo(store, profile)
        store.close()
        return asyncio.run(_time_form(url, rounds))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__
                                     else None)
    parser.add_argument("--rounds", type=int, default=7, help="forms opened per profile")
    parser.add_argument("--quick", action="store_true", help="Surrey, one round")
    args = parser.parse_args(argv)
    profiles = PROFILES[:1] if args.quick else PROFILES
    rounds = 1 if args.quick else args.rounds
    print(f"{'new enquiry form, profile':<28} {'rounds':>6} {'median ms':>10} {'max ms':>8}")
    for profile in profiles:
        times = measure(profile, rounds)
        print(f"{profile:<28} {rounds:>6} {statistics.median(times) * 1000:>10.0f} "
              f"{max(times) * 1000:>8.0f}")


if __name__ == "__main__":
    main()
