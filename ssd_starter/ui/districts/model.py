"""The list of every district (the window's switcher and the Districts page's list) as a row-cache model.

Unlike the other record models it spans all districts, not one: it accepts every change to table
``district`` and reads the whole list whatever district it is "bound" to. A district made, renamed,
deleted or restored anywhere (on this page, by undo, by a sync) moves only its own row, and rows stay in
name order, so the list's selection and the switcher's current entry survive another district's edit.

Each row also says what the Centre last said about its district (``ReviewRole``: the latest submission's
state and the open threads, as a sync or a reply bundle brought them), refreshed when the review tables
change — only the rows whose state changed are announced."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt

from ssd_starter.core.errors import NotFound
from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.store import Change, Store
from ssd_starter.store.districts import get_district, list_districts
from ssd_starter.store.review import review_overview
from ssd_starter.ui.row_model import Column, IdRole, Index, RowCacheModel

__all__ = ["DistrictListModel", "IdRole", "ReviewRole", "review_text"]

# {"state": latest submission's state or None, "open_threads": n}, or None: the Centre said nothing yet
ReviewRole = Qt.ItemDataRole.UserRole + 20

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
        from ssd_starter.ui.review_threads import ReviewIndex

        self._review: dict[str, dict[str, Any]] = {}
        super().__init__(store, parent)
        self._review = review_overview(store)
        self.set_district(ALL_DISTRICTS)
        self._review_index = ReviewIndex.of(store)
        self._review_index.changed.connect(self._on_review_changed)

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
        review = self._review.get(record["id"])
        if review is not None and review["state"] is None and not review["open_threads"]:
            review = None  # only resolved threads, and never submitted: nothing to say under the name
        if role == Qt.ItemDataRole.ToolTipRole:
            places = ", ".join(record["municipalities"][:TOOLTIP_PLACES])
            tip = f"{record['name']}\n{DistrictKind(record['kind']).label}" + (f"\n{places}" if places else "")
            return tip + (f"\n{review_text(review, long=True)}" if review is not None else "")
        if role == ReviewRole:
            return review
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and review is not None:
            return review_text(review, long=True)
        return None

    def _on_review_changed(self) -> None:
        """A sync, a reply bundle or a reply written here: the rows whose review state changed say so."""
        before, self._review = self._review, review_overview(self._store)
        for district_id in set(before) | set(self._review):
            row = self.row_by_id(district_id)
            if row >= 0 and before.get(district_id) != self._review.get(district_id):
                self.dataChanged.emit(self.index(row), self.index(row))

    def detach(self) -> None:
        self._review_index.changed.disconnect(self._on_review_changed)
        super().detach()

    # -- what the window and the page use ----------------------------------------------------

    def index(self, row: int, column: int = 0, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """One column, so the column may be left out, as in a list model."""
        return super().index(row, column, parent)

    def row_of(self, district_id: str | None) -> int:
        return self.row_by_id(district_id) if district_id else -1

    def district_at(self, row: int) -> District | None:
        return District(**self._rows[row]) if 0 <= row < len(self._rows) else None


def review_text(review: dict[str, Any], *, long: bool = False) -> str:
    """The line under a district's name: its state at the Centre and its open threads, in the current language
    (``long``: "At the Centre: …", for a tooltip or a screen reader)."""
    from ssd_starter.core.review import state_label

    parts = []
    if review["state"] is not None:
        state = state_label(review["state"])
        parts.append(_("At the Centre: {state}").format(state=state) if long else state)
    if review["open_threads"]:
        parts.append(ngettext("{count} open thread", "{count} open threads", review["open_threads"]).format(
            count=review["open_threads"]))
    return " · ".join(parts)
