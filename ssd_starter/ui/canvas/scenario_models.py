"""The district's what-if scenarios as row-cache models: the list of scenarios, the changes of one scenario (in
words, naming the flows and actors they touch), and a choice among scenarios that starts with "today"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, Qt

from ssd_starter.core.errors import NotFound
from ssd_starter.i18n import N_, _, format_number
from ssd_starter.store import Change, Store
from ssd_starter.store.flows import get_scenario, list_scenarios
from ssd_starter.ui.canvas.dialogs import flow_title
from ssd_starter.ui.map.actor_list import on_rows_changed
from ssd_starter.ui.row_model import Column, IdRole, Index, RecordRole, RowCacheModel


def describe_change(change: Mapping[str, Any], flow_of: Callable[[str], Mapping[str, Any] | None],
                    names: Mapping[str, str]) -> str:
    op = change["op"]
    if op == "add_flow":
        return _("Add a flow: {flow}").format(flow=flow_title(change["flow"], names))
    if op == "add_actor":
        return _("Add an actor: {name}").format(name=change["actor"]["name"])
    flow = flow_of(change["flow_id"])
    if flow is None:
        return _("A flow that no longer exists (this change is skipped)")
    if op == "remove_flow":
        return _("Remove the flow: {flow}").format(flow=flow_title(flow, names))
    return _("Multiply by {factor}: {flow}").format(factor=format_number(change["factor"]), flow=flow_title(flow, names))


def names_with(names: Mapping[str, str], scenario: Mapping[str, Any] | None) -> dict[str, str]:
    """Actor names, including the actors a scenario adds."""
    named = dict(names)
    for change in (scenario or {}).get("changes", []):
        if change["op"] == "add_actor":
            named[change["actor"]["id"]] = change["actor"]["name"]
    return named


class ScenarioListModel(RowCacheModel):
    TABLE = "scenario"
    COLUMNS = (Column("name", N_("Scenarios")),)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        return list_scenarios(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        try:
            return get_scenario(self._store, row_id)
        except NotFound:
            return None

    def display(self, record: dict[str, Any], column: Column) -> str:
        return record["name"] + (" " + _("(applied)") if record["applied"] else "")

    def scenario(self, scenario_id: str | None) -> dict[str, Any] | None:
        row = self.row_by_id(scenario_id) if scenario_id else -1
        return self.record(row) if row >= 0 else None


class ScenarioChangesModel(RowCacheModel):
    """The changes of one scenario, in words. A change has no id of its own: an edit of the scenario is compared
    with what is shown, and only the changes added, removed or altered move."""

    TABLE = "scenario"
    COLUMNS = (Column("op", N_("Changes")),)

    def __init__(self, store: Store, flows: RowCacheModel, actors: RowCacheModel,
                 parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._flows = flows
        self._actors = actors
        self._scenario_id: str | None = None
        self._names: dict[str, str] = {}
        self._recorded: dict[str, dict[str, Any]] = {}  # flow id → the flow as an applied scenario found it
        self._recorded_names: dict[str, str] = {}
        on_rows_changed(flows, self, self._named_rows_changed)
        on_rows_changed(actors, self, self._named_rows_changed)

    @property
    def scenario_id(self) -> str | None:
        return self._scenario_id

    def set_scenario(self, district_id: str | None, scenario_id: str | None) -> None:
        self._scenario_id = scenario_id
        self.set_district(district_id if scenario_id else None)

    def accepts(self, change: Change) -> bool:
        return super().accepts(change) and change.row_id == self._scenario_id

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        try:
            scenario = get_scenario(self._store, self._scenario_id or "")
        except NotFound:
            scenario = None
        self._names = names_with({r["id"]: r["name"] for r in self._actors.records()}, scenario)
        # an applied scenario says what it did with the flows and names as they were when it was applied
        record = (scenario or {}).get("applied_record") or {} if (scenario or {}).get("applied") else {}
        self._recorded = {flow_id: {"id": flow_id, **flow} for flow_id, flow in (record.get("flows") or {}).items()}
        self._recorded_names = dict(record.get("names") or {})
        self._names.update(self._recorded_names)
        changes = scenario["changes"] if scenario else []
        return [{"id": str(n), "op": change["op"], "change": change} for n, change in enumerate(changes)]

    def _refresh_row(self, row_id: str) -> None:
        """The scenario changed: what differs from the rows shown, between their common start and end, moves."""
        new = self.fetch_all(self._district_id or "")
        old = self._rows
        start = 0
        while start < min(len(old), len(new)) and old[start]["change"] == new[start]["change"]:
            start += 1
        end = 0
        while end < min(len(old), len(new)) - start and old[-1 - end]["change"] == new[-1 - end]["change"]:
            end += 1
        removed, added = len(old) - start - end, len(new) - start - end
        if removed == added:  # changes altered in place (a factor, say): the same rows read anew
            self._rows = new
            if added:
                self.dataChanged.emit(self.index(start, 0), self.index(start + added - 1, 0))
            return
        if removed:
            self.beginRemoveRows(QModelIndex(), start, start + removed - 1)
            del self._rows[start:start + removed]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), start, start + added - 1)
            self._rows[start:start] = new[start:start + added]
            self.endInsertRows()
        self._rows = new  # the ids are positions: renumbered with the same contents in the same places
        self._reindex()

    def display(self, record: dict[str, Any], column: Column) -> str:
        return describe_change(record["change"], self._flows_by_id, self._names)

    def _flows_by_id(self, flow_id: str) -> Mapping[str, Any] | None:
        if flow_id in self._recorded:
            return self._recorded[flow_id]
        row = self._flows.row_by_id(flow_id)
        return self._flows.record(row) if row >= 0 else None

    def _named_rows_changed(self, _ids: set[str] | None) -> None:
        """A flow or an actor named in the changes was edited: the (few) lines are read again in place."""
        if self._rows:
            self._names = names_with({r["id"]: r["name"] for r in self._actors.records()},
                                     {"changes": [r["change"] for r in self._rows]})
            self._names.update(self._recorded_names)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))


class ChoiceModel(QAbstractListModel):
    """A list model's rows after one fixed first row (``first``, whose id is None): a choice among records that
    also offers "none of them"."""

    def __init__(self, source: RowCacheModel, first: Callable[[], str], label: Callable[[dict[str, Any]], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._first = first
        self._label = label
        source.rowsAboutToBeInserted.connect(lambda _p, a, b: self.beginInsertRows(QModelIndex(), a + 1, b + 1))
        source.rowsInserted.connect(lambda *_a: self.endInsertRows())
        source.rowsAboutToBeRemoved.connect(lambda _p, a, b: self.beginRemoveRows(QModelIndex(), a + 1, b + 1))
        source.rowsRemoved.connect(lambda *_a: self.endRemoveRows())
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self.endResetModel)
        source.dataChanged.connect(lambda top, bottom, _roles=(): self.dataChanged.emit(
            self.index(top.row() + 1, 0), self.index(bottom.row() + 1, 0)))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else self._source.rowCount() + 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() <= self._source.rowCount():
            return None
        if index.row() == 0:
            return self._first() if role == Qt.ItemDataRole.DisplayRole else None
        record = self._source.record(index.row() - 1)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._label(record)
        if role == IdRole:
            return record["id"]
        if role == RecordRole:
            return record
        return None

    def retranslate(self) -> None:
        self.dataChanged.emit(self.index(0, 0), self.index(0, 0))
