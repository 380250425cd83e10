"""The key chart (data/keys.toml) that every screen takes its keys from: each list is
used by exactly one screen or widget, ids are unique (a keymap names them), each
action is a real action of the class that binds it, and every key says what it does."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.actions import parse
from textual.binding import Binding

import screens
from screens.common.keys import key_chart, keys_for


def _binding_classes() -> dict[str, type]:
    """List name -> the class whose BINDINGS it is (found by the bindings' ids)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(screens.__path__, "screens."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__ == module.__name__ \
                    and "BINDINGS" in obj.__dict__:
                for name in key_chart():
                    if obj.__dict__["BINDINGS"] == keys_for(name):
                        assert name not in found, f"{name} is bound by two classes"
                        found[name] = obj
    return found


CLASSES = _binding_classes()


def test_ux_every_list_of_the_chart_is_used_by_one_class() -> None:
    assert sorted(CLASSES) == sorted(key_chart())


def test_ux_binding_ids_are_unique_across_the_chart() -> None:
    ids = [entry["id"] for entries in key_chart().values() for entry in entries]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(key_chart()))
def test_ux_every_key_runs_a_real_action_and_says_what_it_does(name: str) -> None:
    owner = CLASSES[name]
    for binding in keys_for(name):
        assert isinstance(binding, Binding)
        _namespace, action, _args = parse(binding.action)
        assert callable(getattr(owner, f"action_{action}", None)), (name, binding.action)
        assert binding.tooltip and binding.description, binding.id


@pytest.mark.parametrize("name", sorted(key_chart()))
def test_ux_no_key_is_bound_twice_on_one_screen(name: str) -> None:
    keys = [key for binding in keys_for(name) if isinstance(binding, Binding)
            for key in binding.key.split(",")]
    assert len(keys) == len(set(keys)), name


def test_ux_a_misspelt_field_in_the_chart_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    chart = {"broken": [{"id": "x.y", "keys": "a", "action": "y", "label": "Y", "help": "Y.",
                         "priorty": True}]}
    monkeypatch.setattr("screens.common.keys.key_chart", lambda: chart)
    with pytest.raises(ValueError, match="priorty"):
        keys_for("broken")
