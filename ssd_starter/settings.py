"""Where the data lives and the user's settings: one registry of options, one JSON file.

Kept free of Qt so the CLI reads the same language setting as the GUI. The file is replaced
atomically, so a crash while saving leaves the previous settings, never half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssd_starter import APP_ID
from ssd_starter.i18n import N_
from ssd_starter.permissions import private_dir

DATA_DIR_ENV = "SSD_STARTER_DATA_DIR"
SETTINGS_VERSION = 1


def data_dir() -> Path:
    """The folder holding the database, backups and settings: SSD_STARTER_DATA_DIR if set, else the folder
    the user chose in Settings, else the platform's usual place."""
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override).expanduser() if override else chosen_data_dir() or default_data_dir()
    return private_dir(path)  # it holds contact details: the user's alone, tightened if it was not


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_ID, appauthor=False))


def _pointer() -> Path:
    """Where the chosen data folder is written down: outside the data folder, which it names."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_ID, appauthor=False)) / "data-folder.txt"


def chosen_data_dir() -> Path | None:
    try:
        text = _pointer().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def choose_data_dir(path: Path | None) -> None:
    """Use ``path`` from the next start (None: back to the usual place)."""
    pointer = _pointer()
    if path is None:
        pointer.unlink(missing_ok=True)
        return
    pointer.parent.mkdir(parents=True, exist_ok=True)
    pointer.write_text(str(path), encoding="utf-8")


def database_path() -> Path:
    return data_dir() / "ssd-starter.sqlite"


def backup_dir() -> Path:
    return data_dir() / "backups"


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    title: str  # N_-marked, translated where shown


OPTIONS: dict[str, Option] = {
    option.key: option
    for option in (
        Option("language", str, None, N_("Language")),
        Option("last_district", str, None, N_("Last open district")),
        Option("last_area", str, None, N_("Last open area")),
        Option("window_geometry", str, None, N_("Window position and size")),
        Option("window_state", str, None, N_("Toolbar and panel layout")),
        Option("backups_keep", int, 10, N_("Backups to keep")),
        Option("centre_url", str, None, N_("Address of the Centre")),
        Option("centre_allow_http", bool, False, N_("Allow unencrypted HTTP to a Centre on another computer")),
        Option("backups_folder", str, None, N_("Backups folder")),
        Option("first_run_done", bool, False, N_("First start completed")),
        Option("centre_database", str, None, N_("The Centre's database (review)")),  # no longer used
        Option("review_centre_url", str, None, N_("Address of the Centre (review)")),
        Option("review_advisor", str, None, N_("Advisor's name at the Centre (review)")),
        # the advisor's session when "stay signed in" was ticked: the token and its expiry, never the password
        Option("review_session", dict, None, N_("Advisor's session at the Centre (review)")),
        # screen state, kept here rather than on the synced charter row (a Next there would be a new version)
        Option("charter_steps", dict, None, N_("Where each district's charter wizard was left")),
        # {district id: {field: {folded text: vocabulary id or None}}}: the start of the district's next import
        Option("import_value_maps", dict, None, N_("What each district's imported spreadsheet values mean")),
    )
}


class Settings:
    """Typed access to the options in ``settings.json``; unknown or mistyped values fall back to defaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / "settings.json"
        self._values: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        values = raw.get("values", {})
        return {
            key: value
            for key, value in values.items()
            if key in OPTIONS and (value is None or isinstance(value, OPTIONS[key].type))
        }

    def get(self, key: str) -> Any:
        return self._values.get(key, OPTIONS[key].default)

    def set(self, key: str, value: Any) -> None:
        option = OPTIONS[key]
        if value is not None and not isinstance(value, option.type):
            raise TypeError(f"setting {key} expects {option.type.__name__}")
        self._values[key] = value
        self._write()

    def reset(self) -> None:
        self._values = {}
        self._write()

    def _write(self) -> None:
        from ssd_starter.files import write_bytes_atomically

        document = {"version": SETTINGS_VERSION, "values": self._values}
        data = json.dumps(document, indent=1, sort_keys=True).encode("utf-8")
        write_bytes_atomically(self.path, data, prefix=".settings-", suffix=".json")
