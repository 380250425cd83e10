"""The core never imports Textual (DESIGN: layers); every module imports."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import calllog
for info in pkgutil.walk_packages(calllog.__path__, "calllog."):
    if ".migrations" in info.name:
        continue
    importlib.import_module(info.name)
bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len([m for m in sys.modules if m.startswith("calllog")]), bad)
sys.exit(1 if bad else 0)
"""


def test_core_never_imports_textual() -> None:
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    count = int(result.stdout.split()[0])
    assert count > 15  # it really imported the package


def test_login_screen_imports_no_orm() -> None:
    """The login screen paints before SQLModel is imported (start-up speed)."""
    code = "import screens.app, sys; print(any(m.startswith('sqlmodel') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False", result.stderr
