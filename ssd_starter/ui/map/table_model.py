"""Actors of one district as a Qt table: a row cache fetched from the store and refreshed from
change-sets (never SQL in ``data()``); edits go back as store edits through ``run_edit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Attitude, Category, Role, Sector, Stage
from ssd_starter.i18n import N_, _
from ssd_starter.store import Store
from ssd_starter.store.edits import Edit
from ssd_starter.store.stakeholders import list_stakeholders, map_actor, update_stakeholder
from ssd_starter.ui.row_model import Column, Index, RowCacheModel, ValueRole

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("Name")),
    ("category", N_("Category")),
    ("sector", N_("Sector")),
    ("municipality", N_("Municipality")),
    ("roles", N_("Roles")),
    ("influence", N_("Influence")),
    ("interest", N_("Interest")),
    ("attitude", N_("Attitude")),
    ("stage", N_("Stage")),
    ("consent", N_("Consent")),
)
EDITABLE = {"name", "municipality", "influence", "interest", "category", "attitude", "stage"}
ENUMS = {"category": Category, "sector": Sector, "attitude": Attitude, "stage": Stage}
NO_CONSENT_COLOUR = QColor("#b3261e")
CENTRED = {"influence", "interest"}

RunEdit = Callable[[Edit, str], bool]


def display_value(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field in ENUMS:
        return ENUMS[field](value).label
    if field == "roles":
        return ", ".join(Role(r).label for r in value)
    if field == "consent":
        return _("yes") if value else _("no")
    return str(value)


def _lacks_consent(record: dict[str, Any]) -> bool:
    return not record["consent"] and bool(record["email"] or record["phone"])


class ActorTableModel(RowCacheModel):
    TABLE = "stakeholder"
    COLUMNS = tuple(Column(key, label, align=Qt.AlignmentFlag.AlignCenter if key in CENTRED else None)
                    for key, label in COLUMNS)

    def __init__(self, store: Store, run_edit: RunEdit, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._run_edit = run_edit

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_stakeholders(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return map_actor(self._store, row_id)

    def display(self, record: dict[str, Any], column: Column) -> str:
        return display_value(column.key, record.get(column.key))

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if column.key == "consent" and _lacks_consent(record):
            if role == Qt.ItemDataRole.ForegroundRole:
                return NO_CONSENT_COLOUR
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("Contact details held without consent")
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.COLUMNS[index.column()].key in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        field = self.COLUMNS[index.column()].key
        if row[field] == value:
            return False
        try:
            edit = update_stakeholder(row["id"], **{field: value})
        except UserError:
            return False
        return self._run_edit(edit, _("Edit {name}").format(name=row["name"]))


class ActorFilterModel(QSortFilterProxyModel):
    """Free text over name, municipality and notes, plus one exact value per field (category, stage, …)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._filters: dict[str, str] = {}
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.casefold().strip()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_filter(self, field: str, value: str | None) -> None:
        self.beginFilterChange()
        if value:
            self._filters[field] = value
        else:
            self._filters.pop(field, None)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def clear_filters(self) -> None:
        self.beginFilterChange()
        self._text = ""
        self._filters.clear()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, ActorTableModel):
            return True
        record = model.record(source_row)
        for field, wanted in self._filters.items():
            value = record.get(field)
            if field == "roles":
                if wanted not in (value or []):
                    return False
            elif value != wanted:
                return False
        if self._text:
            haystack = " ".join(str(record.get(f) or "") for f in ("name", "municipality", "notes", "contact_person"))
            return self._text in haystack.casefold()
        return True

    def lessThan(self, left: Index, right: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, ActorTableModel):
            a, b = left.data(ValueRole), right.data(ValueRole)
            if isinstance(a, int) and isinstance(b, int):
                return a < b
            return str(left.data() or "").casefold() < str(right.data() or "").casefold()
        # the records themselves, not data(): sorting 500 actors asks this thousands of times, at start-up too
        key = model.COLUMNS[left.column()].key
        a, b = model.record(left.row()).get(key), model.record(right.row()).get(key)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return display_value(key, a).casefold() < display_value(key, b).casefold()
