"""No module in ``benchmarks/`` or ``tests/`` is named like a standard-library module.

A script's own folder comes first on ``sys.path``: ``benchmarks/queue.py`` stood in
for the standard library's ``queue`` (which Textual's driver imports), so every
script run from that folder failed (issue 9). The benchmarks are all named
``bench_*.py``, which no standard-library module is.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def module_names(folder: Path) -> dict[str, Path]:
    """Every importable name under *folder*: ``.py`` files and packages (folders with
    an ``__init__.py``), each by the name it has when its folder is on the path."""
    names: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part == "__pycache__" or part.startswith(".") for part in rel.parts):
            continue
        is_module = path.is_file() and path.suffix == ".py" and path.stem != "__init__"
        is_package = path.is_dir() and (path / "__init__.py").exists()
        if is_module or is_package:
            names[rel.as_posix()] = path
    return names


def clashes(folder: Path) -> list[str]:
    return [rel for rel, path in module_names(folder).items()
            if path.stem in sys.stdlib_module_names]


def test_no_module_in_benchmarks_or_tests_shadows_the_standard_library() -> None:
    for folder in (REPO / "benchmarks", REPO / "tests"):
        assert module_names(folder), folder  # really looked
        assert clashes(folder) == [], f"{folder.name}/: rename these"


def test_every_benchmark_module_is_named_bench() -> None:
    names = [p.name for p in (REPO / "benchmarks").glob("*.py") if p.name != "__init__.py"]
    assert names and all(n.startswith("bench_") for n in names), names
    assert not any(n.startswith("bench_") for n in sys.stdlib_module_names)


def test_the_check_finds_files_and_packages(tmp_path: Path) -> None:
    (tmp_path / "queue.py").write_text("")
    (tmp_path / "bench_queue.py").write_text("")
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "json").mkdir()
    (tmp_path / "helpers" / "json" / "__init__.py").write_text("")
    (tmp_path / "helpers" / "__init__.py").write_text("")
    (tmp_path / "helpers" / "random.py").write_text("")
    (tmp_path / "data" / "email").mkdir(parents=True)  # not a package: never imported
    assert sorted(clashes(tmp_path)) == ["helpers/json", "helpers/random.py", "queue.py"]
