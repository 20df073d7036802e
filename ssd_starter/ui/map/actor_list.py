"""The district's actors as a list of names (for choosing actors, and for naming them in other lists), and how a
list whose rows name actors by id — a flow's two ends, a relation's other actor, a card's chips — hears that one
of them was renamed or removed, so it refreshes only the rows that name it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt

from ssd_starter.i18n import N_
from ssd_starter.store import Store
from ssd_starter.store.stakeholders import actor_names, list_stakeholders, map_actor
from ssd_starter.ui.row_model import Column, IdRole, Index, RowCacheModel

RowsChanged = Callable[[set[str] | None], None]  # the ids of the rows that changed; None: maybe all of them


class ActorListModel(RowCacheModel):
    """The actors of the map (not workshop proposals), one column: the name. Rows are the whole records."""

    TABLE = "stakeholder"
    COLUMNS = (Column("name", N_("Name")),)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(store, parent)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_stakeholders(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        return map_actor(self._store, row_id)

    def names(self) -> dict[str, str]:
        return {r["id"]: r["name"] for r in self.records()}


class ActorNamesModel(ActorListModel):
    """The map's actors by id and name only: for lists that only name them (a workshop's attendance, the
    actors a trainer may add). A whole record of 5,000 actors costs 8 MB more, for as long as the list lives."""

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return actor_names(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        actor = map_actor(self._store, row_id)
        return None if actor is None else {"id": actor["id"], "name": actor["name"]}


def actor_name(actors: RowCacheModel, actor_id: str | None, missing: str = "?") -> str:
    """The name of an actor of ``actors`` (any model of actor records), ``missing`` when it is not there."""
    row = actors.row_by_id(actor_id) if actor_id else -1
    return actors.record(row)["name"] if row >= 0 else missing


class RowWatcher(QObject):
    """Tells ``callback`` the ids of ``model``'s rows that were inserted, changed or removed (None after a reset).
    A child of the object that watches: when that object goes, so do its connections."""

    def __init__(self, model: RowCacheModel, callback: RowsChanged, owner: QObject) -> None:
        super().__init__(owner)
        self._model = model
        self._callback = callback
        self._removed: set[str] = set()
        model.dataChanged.connect(self._changed)
        model.rowsInserted.connect(self._inserted)
        model.rowsAboutToBeRemoved.connect(self._about_to_remove)
        model.rowsRemoved.connect(self._was_removed)
        model.modelReset.connect(self._reset)

    def _ids(self, first: int, last: int) -> set[str]:
        return {self._model.record(row)["id"] for row in range(first, last + 1)}

    def _changed(self, top: QModelIndex, bottom: QModelIndex, _roles: Sequence[int] = ()) -> None:
        self._callback(self._ids(top.row(), bottom.row()))

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._callback(self._ids(first, last))

    def _about_to_remove(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._removed |= self._ids(first, last)

    def _was_removed(self, *_args: Any) -> None:
        gone, self._removed = self._removed, set()
        self._callback(gone)

    def _reset(self) -> None:
        self._callback(None)


def on_rows_changed(model: RowCacheModel, owner: QObject, callback: RowsChanged) -> RowWatcher:
    return RowWatcher(model, callback, owner)


def rows_naming(model: RowCacheModel, ids: set[str] | None, keys: Iterable[str]) -> list[int]:
    """The rows of ``model`` whose fields ``keys`` hold one of ``ids`` (every row when ``ids`` is None)."""
    keys = tuple(keys)
    return [row for row, record in enumerate(model.records())
            if ids is None or any(_named(record.get(key), ids) for key in keys)]


def _named(value: Any, ids: set[str]) -> bool:
    if isinstance(value, list | tuple):  # a card names several actors
        return any(v in ids for v in value)
    return value in ids


class ActorChoiceModel(QSortFilterProxyModel):
    """Actors by name for a choice (a combo box, a picker): sorted as a reader looks for them, optionally
    without one actor (an actor is not related to itself)."""

    def __init__(self, actors: RowCacheModel | None, parent: QObject | None = None) -> None:
        """``actors`` may come later (``setSourceModel``): sorting hundreds of names is then done only when the
        choice is first wanted."""
        super().__init__(parent)
        self._excluded: str | None = None
        if actors is not None:
            self.setSourceModel(actors)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortLocaleAware(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
        self.sort(0)

    def exclude(self, actor_id: str | None) -> None:
        self.beginFilterChange()
        self._excluded = actor_id
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt's name
        model = self.sourceModel()
        if self._excluded is not None and model.index(source_row, 0).data(IdRole) == self._excluded:
            return False
        return super().filterAcceptsRow(source_row, source_parent)
