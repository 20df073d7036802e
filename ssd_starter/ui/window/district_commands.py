"""New, duplicate, delete, rename and the demo: what the window does to whole districts, each an undoable
step on the district-management stack, and the dialog that asks for a new district."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, _, current_language
from ssd_starter.store import Store
from ssd_starter.store.districts import (
    copy_name,
    create_district,
    delete_district,
    duplicate_district,
    get_district,
    list_districts,
)
from ssd_starter.store.edits import Edit


class NewDistrictDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New district"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.kind_combo = QComboBox()
        for kind in DistrictKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(LANGUAGES.index(current_language()))
        form = QFormLayout(self)
        form.addRow(_("&Name"), self.name_edit)
        form.addRow(_("&Kind"), self.kind_combo)
        form.addRow(_("&Working language"), self.language_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.setMinimumWidth(420)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def values(self) -> dict[str, Any]:
        return {"name": self.name_edit.text(), "kind": self.kind_combo.currentData(),
                "language": self.language_combo.currentData()}


class Host(Protocol):
    """The window as the commands see it. ``ask_new_district`` and ``confirm`` are the window's, so a test
    can answer them."""

    @property
    def current_district_id(self) -> str | None: ...
    def ask_new_district(self) -> dict[str, Any] | None: ...
    def confirm(self, title: str, text: str) -> bool: ...
    def set_current_district(self, district_id: str | None) -> None: ...
    def show_area(self, key: str) -> None: ...
    def show_error(self, error: UserError) -> None: ...
    def focus_district_name(self, *, select: bool = False) -> None: ...
    def tell(self, message: str, timeout: int) -> None: ...


RunEdit = Callable[[Edit, str], bool]


class DistrictCommands:
    def __init__(self, host: Host, store: Store, run_edit: RunEdit,
                 load_demo: Callable[[Store], str] | None) -> None:
        self._host, self._store, self._run_edit, self._load_demo = host, store, run_edit, load_demo

    def new_district(self) -> None:
        values = self._host.ask_new_district()
        if not values:
            return
        try:
            edit = create_district(values["name"], kind=values["kind"], language=values["language"])
        except UserError as exc:
            self._host.show_error(exc)
            return
        if self._run_edit(edit, _("Create district {name}").format(name=edit.values["name"])):
            self._host.show_area("districts")
            self._host.set_current_district(edit.values["id"])
            self._host.focus_district_name()

    def duplicate_current(self) -> None:
        district_id = self._host.current_district_id
        if not district_id:
            return
        source = get_district(self._store, district_id)
        edit = duplicate_district(self._store, source.id, copy_name(self._store, source.name))
        new_id = edit.edits[0].values["id"]  # type: ignore[attr-defined]
        if self._run_edit(edit, _("Duplicate district {name}").format(name=source.name)):
            self._host.set_current_district(new_id)
            self._host.tell(_("Created a copy of {name}.").format(name=source.name), 8000)

    def delete_current(self) -> None:
        district_id = self._host.current_district_id
        if not district_id:
            return
        district = get_district(self._store, district_id)
        if not self._host.confirm(_("Delete district"),
                                  _("Delete the district “{name}” with all its records? You can undo this "
                                    "with Ctrl+Z.").format(name=district.name)):
            return
        if self._run_edit(delete_district(district.id), _("Delete district {name}").format(name=district.name)):
            remaining = list_districts(self._store)
            self._host.set_current_district(remaining[0].id if remaining else None)
            self._host.tell(_("Deleted {name}. Undo with Ctrl+Z.").format(name=district.name), 10000)

    def focus_rename(self) -> None:
        self._host.show_area("districts")
        self._host.focus_district_name(select=True)

    def open_demo(self) -> None:
        if self._load_demo is None:
            return
        try:
            district_id = self._load_demo(self._store)
        except UserError as exc:
            self._host.show_error(exc)
            return
        self._host.set_current_district(district_id)
