"""Actors of one district as a Qt table: a row cache fetched from the store and refreshed from
change-sets (never SQL in ``data()``); edits go back as store edits through ``run_edit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Attitude, Category, Role, Sector, Stage
from ssd_starter.i18n import N_, _
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.edits import Edit
from ssd_starter.store.stakeholders import get_stakeholder, list_stakeholders, update_stakeholder

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2  # the stored value (ids, numbers), for filters and editors

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


class StakeholderTableModel(QAbstractTableModel):
    def __init__(self, store: Store, run_edit: RunEdit, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._district_id: str | None = None
        self._rows: list[dict[str, Any]] = []
        self._row_of: dict[str, int] = {}
        store.subscribe(self._on_store_changed)

    # -- binding ----------------------------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        self.beginResetModel()
        self._district_id = district_id
        self._rows = list_stakeholders(self._store, district_id) if district_id else []
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._row_of = {row["id"]: n for n, row in enumerate(self._rows)}

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)

    def _on_store_changed(self, changes: ChangeSet) -> None:
        mine = [c for c in changes.changes if c.table == "stakeholder" and c.district_id == self._district_id]
        if not mine:
            return
        if all(c.op == "update" and c.row_id in self._row_of for c in mine) and len(mine) < 50:
            for change in mine:  # a few edited rows: refetch just those
                row = self._row_of[change.row_id]
                self._rows[row] = get_stakeholder(self._store, change.row_id)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        else:
            self.set_district(self._district_id)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        field = COLUMNS[index.column()][0]
        value = row[field]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_value(field, value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == ValueRole:
            return value
        if role == IdRole:
            return row["id"]
        if role == Qt.ItemDataRole.ForegroundRole and field == "consent" and not value and (row["email"] or row["phone"]):
            return NO_CONSENT_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and field == "consent" and not value and (row["email"] or row["phone"]):
            return _("Contact details held without consent")
        if role == Qt.ItemDataRole.TextAlignmentRole and field in ("influence", "interest"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and COLUMNS[index.column()][0] in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        field = COLUMNS[index.column()][0]
        if row[field] == value:
            return False
        try:
            edit = update_stakeholder(row["id"], **{field: value})
        except UserError:
            return False
        return self._run_edit(edit, _("Edit {name}").format(name=row["name"]))

    # -- helpers for views ------------------------------------------------------------------

    def row_by_id(self, stakeholder_id: str) -> int:
        return self._row_of.get(stakeholder_id, -1)

    def record(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def records(self) -> list[dict[str, Any]]:
        return self._rows

    @property
    def district_id(self) -> str | None:
        return self._district_id

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))


class StakeholderFilterModel(QSortFilterProxyModel):
    """Free text over name, municipality and notes, plus one exact value per field (category, stage, …)."""

    def __init__(self, parent=None) -> None:
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
        if not isinstance(model, StakeholderTableModel):
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
        a, b = left.data(ValueRole), right.data(ValueRole)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return str(left.data() or "").casefold() < str(right.data() or "").casefold()
