"""Running calllog in a terminal as one process: the keymap, the crash-log hook, and
hang-ups (SIGHUP from sshd or a closed terminal, SIGTERM from an administrator) that
are never lost, even when the event loop is stuck on a terminal nobody reads."""

from __future__ import annotations

import os
import signal
import threading

from screens.app import CalllogApp
from screens.session.hangup import HANGUP_GRACE_SECONDS, exit_after

HANGUP_LOOP_WAIT = 0.3
"""How long the signal thread waits for the event loop to take the hang-up; a loop
that does not is stuck (on a terminal nobody reads) and the thread hangs up itself."""
HANGUP_LOOP_ALIVE_WAIT = 0.3
"""How much longer a loop that took it may spend on the keys received before it
(a busy machine) before the thread hangs up itself, well before the watchdog."""


def run_app(database_url: str, *, mouse: bool = True) -> int:
    """Run calllog in this terminal until it quits; returns the exit status.

    SIGHUP and SIGTERM are blocked in every thread and taken by one signal thread
    (``sigwait``), never ignored: the signal is dealt with even when the event loop
    is stuck on a closed terminal. That thread arms the exit watchdog at once, asks
    the loop to hang up once the keys already received are handled (which exits
    cleanly, restoring a terminal that is still there) and, if the loop does not
    take the request or has not started the hang-up in time, runs ``hangup`` itself
    so the draft and the audit row are still written.
    """
    import contextlib

    from calllog import crashlog
    from calllog.keymap import load_keymap
    from screens.common.paste import install_paste_parser

    app = CalllogApp(database_url, handle_signals=True, keymap=load_keymap())
    signals = {signal.SIGHUP, signal.SIGTERM}

    def ask_loop(signum: int) -> None:
        with contextlib.suppress(Exception):  # the app is not running (yet, or any more)
            app.call_from_thread(app.hangup_after_input, signum)

    def take_signals() -> None:
        while True:
            signum = signal.sigwait(signals)
            exit_after(HANGUP_GRACE_SECONDS, signum)
            try:
                asking = threading.Thread(target=ask_loop, args=(signum,), daemon=True,
                                          name="calllog-hangup")
                asking.start()
                asking.join(HANGUP_LOOP_WAIT)
                # The loop took the request: it is alive, only busy with the keys
                # before it; give it longer. Stuck: hang up from here at once.
                wait = HANGUP_LOOP_ALIVE_WAIT if not asking.is_alive() else 0.0
                if not app.hangup_started.wait(wait):
                    app.hangup(signum)  # does nothing if the loop began meanwhile
            except BaseException:
                os._exit(128 + signum)

    crashlog.install_thread_hook()
    install_paste_parser()  # a paste carrying escape sequences keeps all its text
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        threading.Thread(target=take_signals, name="calllog-signals", daemon=True).start()
        result = app.run(mouse=mouse)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    return app.return_code or (result or 0)
