"""The Review area's lists, fed by the review service rather than by the local store: the districts the Centre
holds with their indicators, a district's records, and the comments on them.

Built on the same ``RowsModel`` as the store's record lists (columns of ``Column``, the same roles, a row
refreshed in place rather than a reset); the rows are the service's frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt

from ssd_starter.centre.review import ReceivedRecord, ReviewComment, ReviewedDistrict
from ssd_starter.core.indicators import INDICATORS, STATUS_LABELS, format_value
from ssd_starter.core.vocabulary import TABLE_LABELS
from ssd_starter.i18n import N_, _, format_datetime, format_number
from ssd_starter.ui.row_model import Column, RowsModel

INDICATOR_KEYS = {info.key: info for info in INDICATORS}
NUMBER = Qt.AlignmentFlag.AlignRight


class ServiceRowsModel(RowsModel):
    """Rows with an ``id``, as the service returns them (frozen dataclasses): set whole, or put back one at a
    time; there is no change-set to hear, the page asks the service."""

    def row_id(self, record: Any) -> str:
        return record.id

    def value(self, record: Any, column: Column) -> Any:
        return getattr(record, column.key)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._set_rows(rows)

    def put(self, row: Any) -> None:
        """A row as it is now: changed in place when listed, else added (at the end, or where it sorts)."""
        at = self._row_of.get(row.id)
        if at is None:
            self._insert(row)
        else:
            self._replace(at, row)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rows(self) -> Sequence[Any]:
        return self._rows


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
