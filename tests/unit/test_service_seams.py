"""Issue 9, clean seams: services refuse through one guard, and no service reaches into
another's private helpers (shared ones live in calllog.services.guard and
calllog.services.records)."""

from __future__ import annotations

import ast
from pathlib import Path

import calllog.services

SERVICES = Path(calllog.services.__file__).resolve().parent


def _modules() -> list[Path]:
    return sorted(p for p in SERVICES.rglob("*.py") if "__pycache__" not in p.parts)


def test_acc6_only_the_guard_raises_not_allowed() -> None:
    """Every refusal goes through calllog.services.guard, which audits it (or, where a
    comment says why, deliberately does not); disclosures raise their own Refused,
    whose attempt is audited as disclosure_refused."""
    raisers = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                if isinstance(func, ast.Name) and func.id == "NotAllowed":
                    raisers.append(path.name)
    assert sorted(set(raisers)) == ["guard.py"]


def test_no_service_imports_another_services_private_names() -> None:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ImportFrom) and node.module
                    and node.module.startswith("calllog")):
                found += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and a.name != "__future__"]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                  and node.value.id in {p.stem for p in _modules()}):
                found.append(f"{path.name}: {node.value.id}.{node.attr}")
    assert found == []
