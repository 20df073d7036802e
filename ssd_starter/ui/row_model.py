"""The one way a list or table of records is shown: a Qt model over a row cache (ids plus the rows as dicts,
fetched through the store, never SQL in ``data()``), refreshed from the store's change-sets for its own table
and district only. A few edited rows are refetched one by one; inserts and deletes move rows in place so the
selection and scroll position survive; anything bigger is one reset. Sorting and filtering are proxy models.

A subclass names its ``TABLE`` and ``COLUMNS`` and says how to fetch (``fetch_all`` for the district,
``fetch_one`` for one id) and how a value reads (``Column.show`` or ``display``). With an ``ORDER`` key the
rows stay in that order: an insert goes where it sorts and an edit that changes the key moves its row
(``fetch_all`` must return them so ordered); without one, new rows are appended (a proxy sorts them)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView

from ssd_starter.i18n import _
from ssd_starter.store import Change, ChangeSet, Store

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2  # the stored value (ids, numbers), for filters, sorting and editors
RecordRole = Qt.ItemDataRole.UserRole + 3  # the whole cached row

# Beyond this many changed rows in one change-set, refetching them one by one costs more than one reset.
INCREMENTAL_LIMIT = 50


@dataclass(frozen=True)
class Column:
    key: str  # the field of the row shown in the column
    label: str  # untranslated (N_), translated when shown so a language switch needs no rebuild
    show: Callable[[Any], str] | None = None  # how the value reads; str() when absent
    align: Qt.AlignmentFlag | None = None


class RowsModel(QAbstractTableModel):
    """Rows shown in ``COLUMNS``, each with an id: the Qt side every record list shares. Where the rows come
    from is the subclass's business — the store's change-sets (``RowCacheModel``) or a service."""

    COLUMNS: tuple[Column, ...] = ()
    ORDER: Callable[[Any], Any] | None = None  # the rows' sort key, when the model keeps an order

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._row_of: dict[str, int] = {}

    def row_id(self, record: Any) -> str:
        return record["id"]

    def value(self, record: Any, column: Column) -> Any:
        return record.get(column.key)

    def display(self, record: Any, column: Column) -> str:
        value = self.value(record, column)
        if value is None or value == "":
            return ""
        return column.show(value) if column.show else str(value)

    def extra_data(self, record: Any, column: Column, role: int) -> Any:
        """Colours, tooltips, fonts: anything beyond text and values. None by default."""
        return None

    def _reindex(self) -> None:
        self._row_of = {self.row_id(row): n for n, row in enumerate(self._rows)}

    def _set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def _remove(self, at: int) -> None:
        self.beginRemoveRows(QModelIndex(), at, at)
        del self._rows[at]
        self._reindex()
        self.endRemoveRows()

    def _position(self, rows: list[Any], record: Any) -> int:
        order = type(self).ORDER
        return len(rows) if order is None else bisect_left(rows, order(record), key=order)

    def _insert(self, record: Any) -> None:
        to = self._position(self._rows, record)
        self.beginInsertRows(QModelIndex(), to, to)
        self._rows.insert(to, record)
        self._reindex()
        self.endInsertRows()

    def _replace(self, at: int, record: Any) -> None:
        """The row's new values; moved where it now sorts (a rename), keeping its selection."""
        others = self._rows[:at] + self._rows[at + 1:]
        to = at if type(self).ORDER is None else self._position(others, record)
        if to != at:
            # Qt counts the destination in the list as it is before the move
            self.beginMoveRows(QModelIndex(), at, at, QModelIndex(), to if to < at else to + 1)
            others.insert(to, record)
            self._rows = others
            self._reindex()
            self.endMoveRows()
        else:
            self._rows[at] = record
        self.dataChanged.emit(self.index(to, 0), self.index(to, max(len(self.COLUMNS) - 1, 0)))

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section].label)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(self.COLUMNS):
            return None
        record = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, column)
        if role in (Qt.ItemDataRole.EditRole, ValueRole):
            return self.value(record, column)
        if role == IdRole:
            return self.row_id(record)
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        return self.extra_data(record, column, role)

    # -- for views --------------------------------------------------------------------------

    def row_by_id(self, row_id: str) -> int:
        return self._row_of.get(row_id, -1)

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> Sequence[Any]:
        return self._rows

    def ids(self) -> Iterable[str]:
        return self._row_of.keys()

    def column_of(self, key: str) -> int:
        return next((n for n, c in enumerate(self.COLUMNS) if c.key == key), -1)

    def retranslate(self) -> None:
        if self.COLUMNS:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows and self.COLUMNS:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))


class RowCacheModel(RowsModel):
    """Records of one district from the store, refreshed row by row from its change-sets."""

    TABLE: str = ""  # the store table whose change-sets refresh the model

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id: str | None = None
        store.subscribe(self._on_store_changed)

    # -- what a subclass says ---------------------------------------------------------------

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError(type(self).__name__)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        """The row as it is now, or None when it is gone (or no longer belongs in the list). By default the
        whole list is read again and the row picked from it: a subclass with a cheap single read says so."""
        return next((r for r in self.fetch_all(self._district_id or "") if r["id"] == row_id), None)

    def accepts(self, change: Change) -> bool:
        """Whether a change concerns this model: its table and district by default."""
        return change.table == self.TABLE and change.district_id == self._district_id

    # -- binding ----------------------------------------------------------------------------

    @property
    def district_id(self) -> str | None:
        return self._district_id

    def set_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        self.reload()

    def reload(self) -> None:
        self._set_rows(self.fetch_all(self._district_id) if self._district_id else [])

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if self._district_id is None:
            return
        mine = [c for c in changes.changes if self.accepts(c)]
        if not mine:
            return
        if len(mine) > INCREMENTAL_LIMIT:
            self.reload()
            return
        for row_id in dict.fromkeys(c.row_id for c in mine):
            self._refresh_row(row_id)

    def _refresh_row(self, row_id: str) -> None:
        fresh = self.fetch_one(row_id)
        at = self._row_of.get(row_id)
        if at is None and fresh is not None:
            self._insert(fresh)
        elif at is not None and fresh is None:
            self._remove(at)
        elif at is not None and fresh is not None:
            self._replace(at, fresh)


def select_record(view: QAbstractItemView, row_id: str) -> bool:
    """Make the row of ``row_id`` the view's current, selected and visible row, through a sorting or filtering
    proxy if the view has one. False when the record is not in the list (or filtered out)."""
    model = view.model()
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
    if not isinstance(source, RowsModel):
        return False
    row = source.row_by_id(row_id)
    if row < 0:
        return False
    index = source.index(row, 0)
    if isinstance(model, QSortFilterProxyModel):
        index = model.mapFromSource(index)
    if not index.isValid():
        return False
    view.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    view.scrollTo(index)
    return True
