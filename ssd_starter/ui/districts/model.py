"""The list of districts as a Qt model: ids and a row cache, refreshed from the store's change-sets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.districts import list_districts

IdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class DistrictListModel(QAbstractListModel):
    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[District] = list_districts(store)
        store.subscribe(self._on_store_changed)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        district = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return district.name
        if role == IdRole:
            return district.id
        if role == Qt.ItemDataRole.ToolTipRole:
            places = ", ".join(district.municipalities[:5])
            return f"{district.name}\n{DistrictKind(district.kind).label}" + (f"\n{places}" if places else "")
        return None

    def row_of(self, district_id: str | None) -> int:
        for row, district in enumerate(self._rows):
            if district.id == district_id:
                return row
        return -1

    def district_at(self, row: int) -> District | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def retranslate(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if not changes.touches("district"):
            return
        fresh = list_districts(self._store)
        if [d.id for d in fresh] == [d.id for d in self._rows]:
            self._rows = fresh
            self.dataChanged.emit(self.index(0), self.index(len(fresh) - 1))
        else:
            self.beginResetModel()
            self._rows = fresh
            self.endResetModel()

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)
