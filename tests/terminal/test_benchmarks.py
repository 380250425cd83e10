"""Every script in ``benchmarks/`` starts the way a user runs it (issue 9).

* ``--help`` works for every script, run from the repository root
  (``python benchmarks/bench_x.py``, as the README says) and from inside the
  benchmarks folder (``cd benchmarks; python bench_x.py``), and says what the script
  measures. A module there named like a standard-library one (``queue.py``) broke
  the second way: the script's folder comes first on ``sys.path``.
* Each benchmark's ``--quick`` (a tiny database, one round) runs to the end and
  prints its table. These are smoke checks of the scripts: nothing here looks at a
  time. Speed is measured by running the benchmarks by hand.

Slow: real processes, a few seconds each (``--quick`` of bench_startup about 15 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
BENCH = REPO / "benchmarks"
PYTHON = sys.executable

pytestmark = pytest.mark.slow

# What each script's --help must say it is for; a new script must be added here.
PURPOSES = {
    "bench_bare_input_app.py": "a bare Textual app with one Input",
    "bench_forms.py": "Opening the forms an adviser opens most",
    "bench_generate.py": "Build a synthetic calllog database for benchmarks",
    "bench_keystrokes.py": "Keystrokes an adviser presses",
    "bench_queue.py": "The supervisors' call queue (OPS2) at scale",
    "bench_search.py": "Returning-caller search (REC6) per keystroke",
    "bench_signin.py": "Sign-in while others save",
    "bench_signin_timing.py": "Sign-in timing by who is named",
    "bench_slowlink.py": "Keys over a slow link",
    "bench_startup.py": "Start-up and login timings for calllog",
}

# Each --quick runs once (they take seconds each), half of them from each folder.
# For every one: the folder to run it from, then its table's header row and a row
# that only a finished run prints (each a regular expression for one whole line).
QUICK: dict[str, tuple[str, str, str]] = {
    "bench_generate.py": ("root", r"\s+families:\s+300/300\s.*rows/s",
                          r"done: [\d,]+ rows in .*"),
    "bench_search.py": ("benchmarks", r"query kind\s+calls\s+median\s+p95\s+max\s+target",
                        r"all\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+"),
    "bench_queue.py": ("benchmarks",
                       r"operation\s+layer\s+n\s+median\s+p95\s+max\s+target ms\s+note",
                       r"page down \(a screenful\)\s+screen\s+.*"),
    "bench_keystrokes.py": ("root", r"path\s+keys\s+target\s+saved",
                            r"non-data contact \(silent call\)\s+1\s+1\s+yes"),
    "bench_signin.py": ("root",
                        r"phase\s+measure\s+procs\s+done\s+errors\s+p50 ms\s+p95 ms\s+max ms",
                        r"hash only\s+save: whole call\s+2\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+"),
    "bench_slowlink.py": ("benchmarks",
                          r"script\s+delay\s+way\s+keys\s+lost\s+timed\s+p50 ms\s+p95 ms\s+max ms",
                          r"sign in\s+50 burst\s+31\s+\d+\s+\d+(\s+[\d-]+){3}"),
    "bench_startup.py": ("benchmarks", r"\s*measure\s+median\s+min\s+max\s+target",
                         r"\s*ratio calllog/bare, ready\s+[\d.]+\s+≤ 1\.3\s+(ok|MISSED)"),
}


def _env() -> dict[str, str]:
    """What a user's shell would have; nothing that points Python at the checkout."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "HOME": os.environ.get("HOME", "/root")}
    if "TMPDIR" in os.environ:
        env["TMPDIR"] = os.environ["TMPDIR"]
    return env


def _run(script: str, where: str, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """``python benchmarks/SCRIPT`` from the repository root, or ``python SCRIPT``
    from inside the benchmarks folder."""
    cwd, path = (REPO, f"benchmarks/{script}") if where == "root" else (BENCH, script)
    return subprocess.run([PYTHON, path, *args], cwd=cwd, env=_env(), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False)


def test_every_script_is_checked() -> None:
    scripts = sorted(p.name for p in BENCH.glob("*.py") if p.name != "__init__.py")
    assert scripts == sorted(PURPOSES), "add the new script to PURPOSES (and QUICK)"
    assert set(QUICK) <= set(PURPOSES)


@pytest.mark.parametrize("where", ["root", "benchmarks"])
@pytest.mark.parametrize("script", sorted(PURPOSES))
def test_help_says_what_the_script_measures(script: str, where: str) -> None:
    result = _run(script, where, "--help", timeout=60)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps the description
    assert text.startswith(f"usage: {script} "), text
    assert PURPOSES[script] in text, text


@pytest.mark.parametrize("script", sorted(QUICK))
def test_quick_run_prints_its_table(script: str) -> None:
    where, header, last = QUICK[script]
    result = _run(script, where, "--quick", timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    headers = [i for i, line in enumerate(lines) if re.fullmatch(header, line)]
    assert headers, f"no table header /{header}/ in:\n{result.stdout}"
    assert any(re.fullmatch(last, line) for line in lines[headers[0]:]), \
        f"no /{last}/ after the header in:\n{result.stdout}"
