"""The Review area's lists, fed by the review service rather than by the local store: the districts the Centre
holds with their indicators, a district's records, and the comments on them.

The same shape as ``RowCacheModel`` (columns of ``Column``, the same ``IdRole``/``ValueRole``/``RecordRole``, a
row refreshed in place rather than a reset), but the rows are the service's frozen dataclasses and they
change only when the page asks the service: there is no change-set to hear."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt

from ssd_starter.centre.review import ReceivedRecord, ReviewComment, ReviewedDistrict
from ssd_starter.core.indicators import INDICATORS, STATUS_LABELS, format_value
from ssd_starter.core.vocabulary import TABLE_LABELS
from ssd_starter.i18n import N_, _, format_datetime, format_number
from ssd_starter.ui.row_model import Column, IdRole, Index, RecordRole, ValueRole

INDICATOR_KEYS = {info.key: info for info in INDICATORS}
NUMBER = Qt.AlignmentFlag.AlignRight


class ServiceRowsModel(QAbstractTableModel):
    """Rows with an ``id``, as the service returns them: set whole, or put back one at a time."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._row_of: dict[str, int] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {row.id: n for n, row in enumerate(self._rows)}
        self.endResetModel()

    def put(self, row: Any) -> None:
        """A row as it is now: changed in place when listed, else added at the end."""
        at = self._row_of.get(row.id)
        if at is None:
            end = len(self._rows)
            self.beginInsertRows(QModelIndex(), end, end)
            self._rows.append(row)
            self._row_of[row.id] = end
            self.endInsertRows()
        else:
            self._rows[at] = row
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.COLUMNS) - 1))

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> Sequence[Any]:
        return self._rows

    def row_by_id(self, row_id: str) -> int:
        return self._row_of.get(row_id, -1)

    # -- what a subclass says ---------------------------------------------------------------

    def value(self, row: Any, column: Column) -> Any:
        return getattr(row, column.key)

    def display(self, row: Any, column: Column) -> str:
        value = self.value(row, column)
        if value is None or value == "":
            return ""
        return column.show(value) if column.show else str(value)

    def extra_data(self, row: Any, column: Column, role: int) -> Any:
        return None

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
        row, column = self._rows[index.row()], self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == ValueRole:
            return self.value(row, column)
        if role == IdRole:
            return row.id
        if role == RecordRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align is not None:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        return self.extra_data(row, column, role)

    def retranslate(self) -> None:
        if self.COLUMNS:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self._rows and self.COLUMNS:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))


def _when(value: Any) -> str:
    return format_datetime(value) if value else "—"


class ReviewedDistrictsModel(ServiceRowsModel):
    """The districts side by side: size, each flow indicator (its target's status as the tooltip), last arrival."""

    COLUMNS = (
        Column("name", N_("District")),
        Column("actors", N_("Actors"), show=format_number, align=NUMBER),
        Column("flows", N_("Flows"), show=format_number, align=NUMBER),
        *(Column(info.key, info.title, align=NUMBER) for info in INDICATORS),
        Column("last_received", N_("Last received"), show=_when),
    )

    def value(self, row: ReviewedDistrict, column: Column) -> Any:
        if column.key in INDICATOR_KEYS:
            return row.summary.flows[column.key].value
        return getattr(row, column.key)

    def display(self, row: ReviewedDistrict, column: Column) -> str:
        if column.key in INDICATOR_KEYS:
            return format_value(INDICATOR_KEYS[column.key], self.value(row, column))
        if column.key == "last_received":
            return _when(row.last_received)
        return super().display(row, column)

    def extra_data(self, row: ReviewedDistrict, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column.key in INDICATOR_KEYS:
            line = next(line for line in row.summary.lines if line.info.key == column.key)
            return f"{_(line.info.title)}: {_(STATUS_LABELS[line.status])}"
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "name" and row.fingerprint:
            return row.fingerprint
        return None


class ReceivedRecordsModel(ServiceRowsModel):
    """A district's actors, flows and canvas cards by name; what kind each is, in its tooltip."""

    COLUMNS = (Column("label", N_("Records of the district")),)

    def extra_data(self, row: ReceivedRecord, column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(TABLE_LABELS.get(row.table, row.table))
        return None

    def labels(self) -> Mapping[str, str]:
        return {row.id: row.label for row in self._rows}


class ReviewCommentsModel(ServiceRowsModel):
    """The comments on the district, each naming its record; a resolved one is ticked."""

    COLUMNS = (Column("text", N_("Comments")),)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels: Mapping[str, str] = {}

    def set_labels(self, labels: Mapping[str, str]) -> None:
        """How the records the comments are about are named (from the records' list)."""
        self._labels = labels

    def display(self, row: ReviewComment, column: Column) -> str:
        text = _("{author}, {when} — on {record}: {text}").format(
            author=row.author, when=format_datetime(row.created_at),
            record=self._labels.get(row.row_id, _(TABLE_LABELS.get(row.table, row.table))), text=row.text)
        return f"✔ {text}" if row.resolved else text
