import json

import pytest

from ssd_starter import settings as settings_module
from ssd_starter.settings import Settings, database_path


def test_data_dir_follows_the_environment(data_dir):
    assert settings_module.data_dir() == data_dir
    assert database_path() == data_dir / "ssd-starter.sqlite"


def test_settings_round_trip_and_defaults(tmp_path):
    settings = Settings(tmp_path / "s.json")
    assert settings.get("backups_keep") == 10
    settings.set("language", "de")
    assert Settings(tmp_path / "s.json").get("language") == "de"


def test_a_damaged_or_mistyped_settings_file_falls_back_to_defaults(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{ not json")
    assert Settings(path).get("language") is None
    path.write_text(json.dumps({"values": {"backups_keep": "many", "language": "it"}}))
    settings = Settings(path)
    assert settings.get("backups_keep") == 10 and settings.get("language") == "it"


def test_wrong_type_is_refused(tmp_path):
    with pytest.raises(TypeError):
        Settings(tmp_path / "s.json").set("backups_keep", "3")


def test_data_dir_is_created(monkeypatch, tmp_path):
    monkeypatch.setenv("SSD_STARTER_DATA_DIR", str(tmp_path / "deep" / "er"))
    assert settings_module.data_dir().is_dir()
