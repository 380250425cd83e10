"""The baseline for ``benchmarks/bench_startup.py``: a bare Textual app with one Input.

Run with the venv's python directly (no console-script wrapper, no shim), in a
terminal; it shows PLACEHOLDER until you quit with ctrl+q.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Input

PLACEHOLDER = "bare input ready"


class BareInputApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER)


def main(argv: list[str]) -> None:
    if argv:  # only --help: argparse is imported only then, so the baseline stays bare
        import argparse

        parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__
                                         else None)
        parser.parse_args(argv)
    BareInputApp().run()


if __name__ == "__main__":
    main(sys.argv[1:])
