"""Relations as lists: one actor's in the detail pane (with adding, removing and notes), or the whole district's
for choosing one. Each row names the other actor, and follows that actor's renames."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import RelationKind
from ssd_starter.i18n import N_, _
from ssd_starter.store import Store
from ssd_starter.store.stakeholders import (
    create_relation,
    delete_relation,
    get_relation,
    list_relations,
    relations_of,
    update_relation,
)
from ssd_starter.ui.map.actor_list import ActorChoiceModel, actor_name, on_rows_changed, rows_naming
from ssd_starter.ui.row_model import Column, IdRole, RecordRole, RowCacheModel

RunEdit = Callable[..., bool]
ENDS = ("source_id", "target_id")


class RelationListModel(RowCacheModel):
    """The relations of one actor (``set_actor``), or of the whole district (``set_district``) when no actor is
    given. ``actors`` is any model of the district's actors: it names the ends."""

    TABLE = "relation"
    COLUMNS = (Column("kind", N_("Relation")),)

    def __init__(self, store: Store, actors: RowCacheModel, parent: QObject | None = None) -> None:
        super().__init__(store, parent)
        self._actors = actors
        self._actor_id: str | None = None
        on_rows_changed(actors, self, self._actors_changed)

    @property
    def actor_id(self) -> str | None:
        return self._actor_id

    def set_actor(self, district_id: str | None, actor_id: str | None) -> None:
        self._actor_id = actor_id
        self.set_district(district_id if actor_id else None)

    def fetch_all(self, district_id: str) -> list[dict[str, Any]]:
        if self._actor_id:
            return relations_of(self._store, self._actor_id)
        return list_relations(self._store, district_id)

    def fetch_one(self, row_id: str) -> dict[str, Any] | None:
        relation = get_relation(self._store, row_id)
        if relation is None or (self._actor_id and self._actor_id not in (relation["source_id"],
                                                                           relation["target_id"])):
            return None
        return relation

    def display(self, record: dict[str, Any], column: Column) -> str:
        kind = RelationKind(record["kind"]).label
        if not self._actor_id:
            return _("{source} {kind} {target}").format(source=actor_name(self._actors, record["source_id"]),
                                                        kind=kind, target=actor_name(self._actors, record["target_id"]))
        outgoing = record["source_id"] == self._actor_id
        other = actor_name(self._actors, record["target_id"] if outgoing else record["source_id"])
        text = f"→ {kind}: {other}" if outgoing else f"← {other}: {kind}"
        note = f" — {record['notes']}" if record["notes"] else ""
        return f"{text}  ({'●' * record['strength']}){note}"

    def _actors_changed(self, ids: set[str] | None) -> None:
        for row in rows_naming(self, ids, ENDS):
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0))


class RelationsBox(QGroupBox):
    """The selected actor's relations: the list (double-click for a note), and a new one's kind, strength and
    other actor."""

    def __init__(self, store: Store, actors: RowCacheModel, run_edit: RunEdit,
                 on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._run_edit = run_edit
        self._on_error = on_error
        self._district_id: str | None = None
        self.model = RelationListModel(store, actors, self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setMaximumHeight(120)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.kind = QComboBox()
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(12)
        for kind in RelationKind:
            self.kind.addItem(kind.label, kind.value)
        self._actors = actors
        # the actors to choose from, given when there is first an actor to relate (not at start-up: sorting them
        # all again on every reload of the map is for when the choice is shown)
        self.others = ActorChoiceModel(None, self)
        self.target = QComboBox()
        self.target.setModel(self.others)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(12)
        self.strength = QSpinBox(minimum=1, maximum=3, value=2)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(self.strength)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(kind_row)
        layout.addWidget(self.target)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        self.view.activated.connect(self._on_edit_note)

    def set_actor(self, district_id: str | None, actor_id: str | None) -> None:
        self._district_id = district_id
        if actor_id and self.others.sourceModel() is None:
            self.others.setSourceModel(self._actors)
        if actor_id != self.model.actor_id or district_id != self.model.district_id:
            self.model.set_actor(district_id, actor_id)
            self.others.exclude(actor_id)

    def detach(self) -> None:
        self.model.detach()

    def retranslate(self) -> None:
        self.setTitle(_("Relations"))
        for row, kind in enumerate(RelationKind):
            self.kind.setItemText(row, kind.label)
        self.add_button.setText(_("Add relation"))
        self.remove_button.setText(_("Remove relation"))
        self.target.setAccessibleName(_("Other actor"))
        self.kind.setAccessibleName(_("Kind of relation"))
        self.strength.setAccessibleName(_("Strength, 1 to 3"))
        self.view.setToolTip(_("Double-click a relation to write a note on it"))
        self.model.retranslate()

    # -- edits ------------------------------------------------------------------------------

    def _on_add(self) -> None:
        target = self.target.currentData(IdRole)
        actor_id = self.model.actor_id
        if not actor_id or not target or not self._district_id:
            return
        try:
            edit = create_relation(self._district_id, {"source_id": actor_id, "target_id": target,
                                                       "kind": self.kind.currentData(),
                                                       "strength": self.strength.value()})
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Add relation"), None)

    def ask_relation_note(self, current: str) -> str | None:
        text, ok = QInputDialog.getText(self, _("Relation note"), _("Note on this relation:"), text=current)
        return text if ok else None

    def _on_edit_note(self, index: QModelIndex) -> None:
        relation = index.data(RecordRole)
        note = self.ask_relation_note(relation["notes"] or "")
        if note is None:
            return
        try:
            edit = update_relation(relation["id"], notes=note)
        except UserError as exc:
            self._on_error(exc)
            return
        self._run_edit(edit, _("Edit relation note"), None)

    def _on_remove(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self._run_edit(delete_relation(index.data(IdRole)), _("Remove relation"), None)
