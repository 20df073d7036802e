"""The list of every district (the window's switcher and the Districts page's list) as a row-cache model.

Unlike the other record models it spans all districts, not one: it accepts every change to table
``district`` and reads the whole list whatever district it is "bound" to. A district made, renamed,
deleted or restored anywhere (on this page, by undo, by a sync) moves only its own row, and rows stay in
name order, so the list's selection and the switcher's current entry survive another district's edit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from ssd_starter.core.errors import NotFound
from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.i18n import N_
from ssd_starter.store import Change, Store
from ssd_starter.store.districts import get_district, list_districts
from ssd_starter.ui.row_model import Column, IdRole, Index, RowCacheModel

__all__ = ["DistrictListModel", "IdRole"]

# RowCacheModel reads and listens only while bound to a district; this model is bound to all of them.
ALL_DISTRICTS = "*"
TOOLTIP_PLACES = 5  # municipalities named in a district's tooltip


def _record(district: District) -> dict[str, Any]:
    return district.as_dict()


def _order(record: dict[str, Any]) -> tuple[str, str]:
    """Name order, case-insensitive; the id breaks ties so an insert always finds one place."""
    return (record["name"].casefold(), record["id"])


class DistrictListModel(RowCacheModel):
    TABLE = "district"
    COLUMNS = (Column("name", N_("Name")),)
    ORDER = staticmethod(_order)  # a district goes where its name sorts, a rename moves it

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self.set_district(ALL_DISTRICTS)

    # -- what RowCacheModel asks ------------------------------------------------------------

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return sorted((_record(d) for d in list_districts(self._store)), key=_order)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        try:
            return _record(get_district(self._store, row_id))
        except NotFound:  # deleted
            return None

    def accepts(self, change: Change) -> bool:
        return change.table == self.TABLE

    def extra_data(self, record: dict[str, Any], column: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            places = ", ".join(record["municipalities"][:TOOLTIP_PLACES])
            return f"{record['name']}\n{DistrictKind(record['kind']).label}" + (f"\n{places}" if places else "")
        return None

    # -- what the window and the page use ----------------------------------------------------

    def index(self, row: int, column: int = 0, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """One column, so the column may be left out, as in a list model."""
        return super().index(row, column, parent)

    def row_of(self, district_id: str | None) -> int:
        return self.row_by_id(district_id) if district_id else -1

    def district_at(self, row: int) -> District | None:
        return District(**self._rows[row]) if 0 <= row < len(self._rows) else None
