"""OPS1: every action has a key, and a service or a person can change which key
(a ``[keys]`` table in calllog.toml, loaded into Textual's keymap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from calllog.keymap import ENV_CONFIG, ConfigError, config_paths, load_keymap


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_ops1_keymap_reads_binding_ids_and_keys(tmp_path: Path) -> None:
    path = _write(tmp_path / "calllog.toml",
                  '[keys]\n"enquiry.save" = "ctrl+s, f10"\n"home.new_enquiry" = "e"\n')
    assert load_keymap([path]) == {"enquiry.save": "ctrl+s,f10", "home.new_enquiry": "e"}


def test_ops1_user_keys_win_over_the_service_keys(tmp_path: Path) -> None:
    service = _write(tmp_path / "service.toml",
                     '[keys]\n"enquiry.save" = "f10"\n"home.find" = "g"\n')
    user = _write(tmp_path / "user.toml", '[keys]\n"enquiry.save" = "f12"\n')
    missing = tmp_path / "nowhere.toml"
    assert load_keymap([service, missing, user]) == {"enquiry.save": "f12", "home.find": "g"}


def test_ops1_no_configuration_file_means_the_default_keys(tmp_path: Path) -> None:
    assert load_keymap([tmp_path / "none.toml"]) == {}
    assert load_keymap([_write(tmp_path / "other.toml", "[other]\nx = 1\n")]) == {}


def test_ops1_calllog_config_names_one_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "mine.toml", '[keys]\n"home.find" = "g"\n')
    monkeypatch.setenv(ENV_CONFIG, str(path))
    assert config_paths() == [path]
    assert load_keymap() == {"home.find": "g"}


@pytest.mark.parametrize(("text", "message"), [
    ("[keys\n", "not valid TOML"),
    ("keys = 3\n", "keys: should be a table"),
    ('[keys]\n"save" = "f10"\n', "keys.save: not a key's id"),
    ('[keys]\n"enquiry.save" = 10\n', "keys.enquiry.save: give the keys as text"),
    ('[keys]\n"enquiry.save" = ""\n', "keys.enquiry.save: give the keys as text"),
    ('[keys]\n"enquiry.save" = "ctrl s"\n', "'ctrl s' is not a key name"),
    ('[keys]\n"enquiry.save" = "f10,,f11"\n', "'' is not a key name"),
])
def test_ops1_a_wrong_keymap_entry_names_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path / "calllog.toml", text)
    with pytest.raises(ConfigError) as raised:
        load_keymap([path])
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
