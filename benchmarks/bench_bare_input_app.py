"""The baseline for ``benchmarks/bench_startup.py``: a bare Textual app with one Input.

Run with the venv's python directly (no console-script wrapper, no shim), in a
terminal; it shows PLACEHOLDER until you quit with ctrl+q.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

PLACEHOLDER = "bare input ready"


class BareInputApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER)


if __name__ == "__main__":
    BareInputApp().run()
