"""Run calllog's CLI with one fault planted, for the real-terminal crash tests
(tests/terminal/test_crash_output.py): ``python -m tests.crashinject MODE -- ARGS``.

Each fault's message carries the secret being typed, as a careless error message
would; what reaches the terminal and the crash log must hold none of it.

* ``handler``: the enquiry form's F3 handler raises (a fault on the UI thread).
* ``worker``: saving the enquiry raises in its worker thread.
* ``signin``: checking the password raises (as a full disk did during sign-in).
"""

from __future__ import annotations

import sys
from typing import Any

PLANTED = "planted fault while holding"


class PlantedFault(RuntimeError):
    pass


def _plant(mode: str) -> None:
    if mode == "handler":
        from screens.enquiry.form import EnquiryScreen

        def broken_flag(self: EnquiryScreen, name: str) -> None:
            notes = self.draft_payload() or {}
            raise PlantedFault(f"{PLANTED} {notes}")

        EnquiryScreen.action_toggle_flag = broken_flag  # type: ignore[method-assign]
    elif mode == "worker":
        from calllog.services import enquiries

        def broken_save(*args: Any, **kwargs: Any) -> None:
            raise PlantedFault(f"{PLANTED} {args} {kwargs}")

        enquiries.log_enquiry = broken_save  # type: ignore[assignment]
    elif mode == "signin":
        from calllog.services import accounts

        def broken_login(store: Any, username: str, password: str, **kwargs: Any) -> None:
            raise PlantedFault(f"{PLANTED} {username} {password}")

        accounts.login = broken_login  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown mode {mode}")


def main(argv: list[str]) -> int:
    mode, separator, *args = argv
    assert separator == "--"
    _plant(mode)
    from calllog.cli import main as calllog_main

    return calllog_main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
