"""Settings: language, where the data lives, backups, the Centre, this installation's key; reset to defaults."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _
from ssd_starter.settings import OPTIONS, Settings, choose_data_dir, data_dir
from ssd_starter.store import Store


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store
        self.setWindowTitle(_("Settings"))
        self.language = QComboBox()
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.folder = QLabel(str(data_dir()))
        self.folder.setWordWrap(True)
        self.move_button = QPushButton(_("Move to another folder…"))
        self.move_button.clicked.connect(self.move_data)
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.backups = QLineEdit()
        self.backups.setPlaceholderText(_("beside the data file"))
        self.backups_button = QPushButton(_("Choose…"))
        self.backups_button.clicked.connect(self.choose_backups)
        self.centre = QLineEdit()
        # off by default: over http:// the district's data crosses the network readable (requests stay signed)
        self.centre_http = QCheckBox(_("Allow unencrypted &http:// to a Centre on another computer"))
        http_hint = QLabel(_("Only on a network you trust: the district's data then crosses it readable."))
        http_hint.setWordWrap(True)  # a label wraps in German and Italian; a check box's own text would not
        http_hint.setObjectName("hint")
        http_box = QWidget()
        http_layout = QVBoxLayout(http_box)
        http_layout.setContentsMargins(0, 0, 0, 0)
        http_layout.addWidget(self.centre_http)
        http_layout.addWidget(http_hint)
        self.fingerprint = QLabel()
        self.fingerprint.setTextInteractionFlags(self.fingerprint.textInteractionFlags()
                                                 | self.fingerprint.textInteractionFlags().TextSelectableByMouse)
        self.copy_button = QPushButton(_("Copy"))
        self.copy_button.clicked.connect(lambda: QApplication.clipboard().setText(self.fingerprint.text()))
        folder_row, backups_row, key_row = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.move_button)
        backups_row.addWidget(self.backups, 1)
        backups_row.addWidget(self.backups_button)
        key_row.addWidget(self.fingerprint, 1)
        key_row.addWidget(self.copy_button)
        form = QFormLayout(self)
        self.labels = {}
        for key, text, field in (("language", _("&Language"), self.language), ("folder", _("Data folder"), folder_row),
                                 ("keep", _("&Backups to keep"), self.keep),
                                 ("backups", _("Backups folder"), backups_row),
                                 ("centre", _("&Centre address"), self.centre),
                                 ("centre_http", "", http_box),
                                 ("key", _("This installation's key"), key_row)):
            label = QLabel(text)
            if isinstance(field, QWidget):
                label.setBuddy(field)
            self.labels[key] = label
            form.addRow(label, field)
        self.reset_button = QPushButton(_("Reset to defaults"))
        self.reset_button.clicked.connect(self.reset)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(680)  # room for a data folder's path on one line
        self.load()

    def load(self) -> None:
        from ssd_starter.i18n import current_language
        from ssd_starter.sync.identity import load_or_create

        self.language.setCurrentIndex(max(0, self.language.findData(self.settings.get("language")
                                                                    or current_language())))
        self.keep.setValue(self.settings.get("backups_keep"))
        self.backups.setText(self.settings.get("backups_folder") or "")
        self.centre.setText(self.settings.get("centre_url") or "")
        self.centre_http.setChecked(bool(self.settings.get("centre_allow_http")))
        try:
            self.fingerprint.setText(load_or_create().fingerprint)
        except Exception as exc:  # noqa: BLE001 - a damaged key is said here, not a crash of the dialog
            self.fingerprint.setText(str(exc))

    def values(self) -> dict:
        return {"language": self.language.currentData(), "backups_keep": self.keep.value(),
                "backups_folder": self.backups.text().strip() or None, "centre_url": self.centre.text().strip() or None,
                "centre_allow_http": self.centre_http.isChecked()}

    def save(self) -> None:
        for key, value in self.values().items():
            self.settings.set(key, value)

    def reset(self) -> None:
        """Back to the defaults in the form; nothing is saved until OK."""
        self.language.setCurrentIndex(max(0, self.language.findData(OPTIONS["language"].default or "it")))
        self.keep.setValue(OPTIONS["backups_keep"].default)
        self.backups.clear()
        self.centre.clear()
        self.centre_http.setChecked(OPTIONS["centre_allow_http"].default)

    def choose_backups(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Backups folder"), self.backups.text() or str(data_dir()))
        if path:
            self.backups.setText(path)

    def move_data(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Data folder"), str(data_dir()))
        if path:
            self.move_data_to(Path(path))

    def move_data_to(self, folder: Path) -> Path:
        """Copy the data file into ``folder`` (a consistent copy, while it stays open) and use it from the next
        start. The old file stays where it was, untouched, until you delete it."""
        from ssd_starter.store.backup import copy_database

        target = folder / self.store.path.name
        copy_database(self.store.path, target)
        choose_data_dir(folder)
        self.folder.setText(str(folder))
        QMessageBox.information(self, _("Data folder"), _("The data was copied to {folder}. SSD Starter will use "
                                                          "it from the next start.").format(folder=folder))
        return target
