"""Sign-in timing by who is named (issue 16): known, unknown and locked usernames
must answer in the same time, in a fresh process (every app, SSH session and CLI
call is one) and in steady state; real argon2id with production parameters. Run by
hand (the tests run only --quick).

    .venv/bin/python benchmarks/bench_signin_timing.py
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from calllog.db import Store
from calllog.demo import ensure_demo
from calllog.demo_accounts import DEMO_ACCOUNTS
from calllog.services import accounts

WHO = {"known": "adviser", "unknown": "no-such-person", "locked": "newstarter"}
PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
WRONG = "not the right password"
ONE_SIGN_IN = """
import sys, time
from calllog.db import Store
from calllog.services import accounts
store = Store(sys.argv[1], create=False, migrate=False)
began = time.perf_counter()
try:
    accounts.login(store, sys.argv[2], sys.argv[3])
except accounts.LoginFailed:
    pass
print(time.perf_counter() - began)
"""


def make_store(folder: str) -> str:
    url = f"sqlite:///{folder}/timing.sqlite3"
    store = Store(url)
    ensure_demo(store)
    for _ in range(accounts.MAX_FAILURES):  # lock the new starter's account
        with contextlib.suppress(accounts.LoginFailed):
            accounts.login(store, WHO["locked"], WRONG)
    store.close()
    return url


def fresh(url: str, who: str) -> float:
    out = subprocess.run([sys.executable, "-c", ONE_SIGN_IN, url, WHO[who], password(who)],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    return float(out.stdout.strip())


def steady(store: Store, who: str) -> float:
    began = time.perf_counter()
    with contextlib.suppress(accounts.LoginFailed):
        accounts.login(store, WHO[who], password(who))
    return time.perf_counter() - began


def password(who: str) -> str:
    """The known account signs in with its right password (a wrong one, repeated,
    would lock it); the others are refused whatever is typed."""
    return PASSWORDS[WHO["known"]] if who == "known" else WRONG


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__
                                     else None)
    parser.add_argument("--rounds", type=int, default=9, help="sign-ins per case")
    parser.add_argument("--quick", action="store_true", help="two rounds: a smoke check")
    args = parser.parse_args(argv)
    rounds = 2 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as folder:
        url = make_store(folder)
        store = Store(url, create=False)
        samples: dict[tuple[str, str], list[float]] = {
            (kind, who): [] for kind in ("fresh", "steady") for who in WHO}
        for _ in range(rounds):  # interleaved: a drift in the machine's load hits all alike
            for who in WHO:
                samples[("fresh", who)].append(fresh(url, who))
                samples[("steady", who)].append(steady(store, who))
        store.close()
    print(f"{'process':<8} {'named':<9} {'median ms':>10} {'vs known':>9}")
    for (kind, who), values in samples.items():
        median = statistics.median(values)
        known = statistics.median(samples[(kind, "known")])
        print(f"{kind:<8} {who:<9} {median * 1000:>10.1f} {median / known:>9.2f}")
    print("target: every ratio within 0.80–1.25")


if __name__ == "__main__":
    main()
