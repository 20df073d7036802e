"""The Stakeholder map area: a filterable table of actors, the power/interest grid and the
engagement funnel, with the selected actor's details beside them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.network import engagement_funnel
from ssd_starter.core.vocabulary import Attitude, Category, RelationKind, Role, Sector, Stage
from ssd_starter.i18n import N_, _, format_number, ngettext
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.edits import Batch, Edit
from ssd_starter.store.flows import flows_of
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    delete_stakeholders,
    list_relations,
    merge_stakeholders,
    update_stakeholder,
)
from ssd_starter.ui.map.delegates import StakeholderDelegate
from ssd_starter.ui.map.detail import ActorDetail
from ssd_starter.ui.map.grid_view import PowerInterestGrid
from ssd_starter.ui.map.indicators_panel import IndicatorsPanel
from ssd_starter.ui.map.network_tab import NetworkTab
from ssd_starter.ui.map.table_model import StakeholderFilterModel, StakeholderTableModel
from ssd_starter.ui.row_model import IdRole

RunEdit = Callable[..., bool]
FILTERS = (("category", Category), ("sector", Sector), ("stage", Stage), ("attitude", Attitude), ("roles", Role))


class MapPage(QWidget):
    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._run_edit = run_edit
        self._on_error = on_error
        self._district_id: str | None = None

        self.model = StakeholderTableModel(store, lambda edit, text: run_edit(edit, text, None), self)
        self.proxy = StakeholderFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(170)
        self.filter_combos: dict[str, QComboBox] = {}
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for field, enum in FILTERS:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.addItem("", None)
            for member in enum:
                combo.addItem("", member.value)
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: self.proxy.set_filter(f, c.currentData()))
            self.filter_combos[field] = combo
            filters.addWidget(combo, 1)
        self.municipality_filter = QComboBox()
        self.municipality_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.municipality_filter.setMinimumContentsLength(8)
        self.municipality_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filter("municipality", self.municipality_filter.currentData()))
        filters.addWidget(self.municipality_filter, 1)
        self.search.textChanged.connect(self.proxy.set_text)
        self.search.textChanged.connect(self._update_count)

        self.add_button = QPushButton()
        self.delete_button = QPushButton()
        self.merge_button = QPushButton()
        self.bulk_button = QToolButton()
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_menu = QMenu(self)
        self.bulk_button.setMenu(self.bulk_menu)
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        self.count_label = QLabel()
        actions = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.merge_button, self.bulk_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.setItemDelegate(StakeholderDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)

        self.grid = PowerInterestGrid(self._on_grid_moved)
        self.funnel_label = QLabel()
        self.funnel_label.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.grid, "")
        self.network = NetworkTab(store, on_error)
        self.tabs.addTab(self.network, "")
        self.indicators = IndicatorsPanel()
        self.tabs.addTab(self.indicators, "")
        self.network.view.actor_clicked.connect(self.select_actor)
        self.tabs.currentChanged.connect(self._refresh_current_tab)
        self._loaded_district: str | None = None
        self._stale: set[str] = set()
        self._fit_network = True
        self.network.view.relation_drawn.connect(self._on_relation_drawn)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._sync_network_filter)

        self.detail = ActorDetail(store, run_edit, on_error)
        detail_scroll = QScrollArea()
        detail_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        detail_scroll.setWidget(self.detail)
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setMinimumWidth(330)
        detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.title)
        left_layout.addLayout(filters)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.funnel_label, 1)
        bottom.addWidget(self.count_label)
        left_layout.addLayout(bottom)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.add_button.clicked.connect(self.add_actor)
        self.delete_button.clicked.connect(self.delete_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.import_button.clicked.connect(self.import_spreadsheet)
        self.export_button.clicked.connect(self.export_map)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.add_actor)
        store.subscribe(self._on_store_changed)
        self.retranslate()

    # -- binding ----------------------------------------------------------------------------

    def set_district(self, district_id: str | None) -> None:
        """Loaded when the page is first seen, not at start-up: the window must appear fast."""
        self._district_id = district_id
        self._stale = {"grid", "network", "indicators"}
        self._fit_network = True
        if self.isVisible():
            self._load()

    def _load(self) -> None:
        if self._loaded_district != self._district_id or self.model.district_id != self._district_id:
            self._loaded_district = self._district_id
            self.model.set_district(self._district_id)
            self.detail.show_actor(self._district_id, None)
            self._refresh_views()
        self._refresh_current_tab()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._load()

    def _refresh_current_tab(self, *_args) -> None:
        """Grid, network and indicators are rebuilt only when looked at, and only if something changed."""
        current = self.tabs.currentWidget()
        if current is self.grid and "grid" in self._stale:
            self.grid.set_actors(self.model.records())
        elif current is self.network and "network" in self._stale:
            self.network.set_network(self._district_id, self.model.records(), fit=self._fit_network)
            self._fit_network = False
            self._sync_network_filter()
        elif current is self.indicators and "indicators" in self._stale and self._district_id:
            self.indicators.show(self.model.records(), list_relations(self._store, self._district_id))
        else:
            return
        self._stale.discard({self.grid: "grid", self.network: "network", self.indicators: "indicators"}[current])

    def detach(self) -> None:
        self._store.unsubscribe(self._on_store_changed)
        self.model.detach()
        self.network.view.wait_for_layout()

    def _on_store_changed(self, changes: ChangeSet) -> None:
        if changes.touches("stakeholder") or changes.touches("relation"):
            self.detail.refresh(changes)
            self._refresh_views()
            self._refresh_current_tab()

    def _refresh_views(self) -> None:
        actors = self.model.records()
        self._stale = {"grid", "network", "indicators"}
        current = self.municipality_filter.currentData()
        self.municipality_filter.blockSignals(True)
        self.municipality_filter.clear()
        self.municipality_filter.addItem(_("All municipalities"), None)
        for name in sorted({a["municipality"] for a in actors if a["municipality"]}, key=str.casefold):
            self.municipality_filter.addItem(name, name)
        self.municipality_filter.setCurrentIndex(max(0, self.municipality_filter.findData(current)))
        self.municipality_filter.blockSignals(False)
        funnel = engagement_funnel(actors)
        self.funnel_label.setText(_("Engagement: {stages}").format(
            stages="  →  ".join(f"{Stage(s).label} {format_number(n)}" for s, n in funnel.items())))
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(_("{shown} of {total} actors").format(shown=format_number(shown),
                                                                      total=format_number(total)))

    def retranslate(self) -> None:
        self.title.setText(_("Stakeholder map"))
        self.search.setPlaceholderText(_("Search name, municipality, notes… (Ctrl+F)"))
        self.search.setAccessibleName(_("Search actors"))
        names = {"category": _("All categories"), "sector": _("All sectors"), "stage": _("All stages"),
                 "attitude": _("All attitudes"), "roles": _("All roles")}
        filters = {"category": _("Filter by category"), "sector": _("Filter by sector"),
                   "stage": _("Filter by stage"), "attitude": _("Filter by attitude"), "roles": _("Filter by role")}
        self.municipality_filter.setAccessibleName(_("Filter by municipality"))
        for field, enum in FILTERS:
            combo = self.filter_combos[field]
            combo.setAccessibleName(filters[field])
            combo.setItemText(0, names[field])
            for row, member in enumerate(enum, start=1):
                combo.setItemText(row, member.label)
        self.add_button.setText(_("Add actor…"))
        self.delete_button.setText(_("Delete"))
        self.merge_button.setText(_("Merge duplicates"))
        self.merge_button.setToolTip(_("Select two rows for the same organisation to merge them into one"))
        self.bulk_button.setText(_("Set for selected"))
        self.bulk_menu.clear()
        stage_menu = self.bulk_menu.addMenu(_("Stage"))
        for stage in Stage:
            stage_menu.addAction(stage.label, lambda s=stage.value: self.set_for_selected("stage", s))
        category_menu = self.bulk_menu.addMenu(_("Category"))
        for category in Category:
            category_menu.addAction(category.label, lambda c=category.value: self.set_for_selected("category", c))
        relate_menu = self.bulk_menu.addMenu(_("Relation between the two"))
        self.relate_action = relate_menu.menuAction()
        self.relate_action.setEnabled(len(self.selected_ids()) == 2)
        for kind in RelationKind:
            relate_menu.addAction(kind.label, lambda k=kind.value: self.relate_selected(k))
        self.import_button.setText(_("Import spreadsheet…"))
        self.export_button.setText(_("Export…"))
        self.grid.setAccessibleName(_("Power / interest grid"))
        self.indicators.setAccessibleName(_("Indicators"))
        self.tabs.setTabText(0, _("Table"))
        self.tabs.setTabText(1, _("Power / interest"))
        self.tabs.setTabText(2, _("Network"))
        self.tabs.setTabText(3, _("Indicators"))
        self.network.retranslate()
        self.table.setAccessibleName(_("Actors"))
        self.model.retranslate()
        self._stale |= {"grid", "indicators"}
        self._refresh_current_tab()
        self.detail.retranslate()
        self._refresh_views()

    # -- selection --------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [index.data(IdRole) for index in sorted(rows, key=lambda i: i.row())]

    def select_actor(self, actor_id: str) -> None:
        row = self.model.row_by_id(actor_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        self.detail.show_actor(self._district_id, actor_id)
        self.grid.select(actor_id)
        self.network.view.select(actor_id)

    def _on_selection_changed(self, *_args) -> None:
        ids = self.selected_ids()
        self.detail.show_actor(self._district_id, ids[0] if len(ids) == 1 else None)
        self.grid.select(ids[0] if ids else None)
        self.delete_button.setEnabled(bool(ids))
        self.bulk_button.setEnabled(bool(ids))
        self.merge_button.setEnabled(len(ids) == 2)
        self.relate_action.setEnabled(len(ids) == 2)

    # -- actions ----------------------------------------------------------------------------

    def ask_actor_name(self) -> str | None:
        name, ok = QInputDialog.getText(self, _("Add actor"), _("Name of the organisation or person:"))
        return name if ok and name.strip() else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_what_of_flows(self, count: int) -> str | None:
        """``"outside"``, ``"delete"``, or None to cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Resource flows"), ngettext(
            "The actors to delete have {count} resource flow. Move it to outside the district, or delete it too?",
            "The actors to delete have {count} resource flows. Move them to outside the district, or delete "
            "them too?", count).format(count=count), parent=self)
        outside = box.addButton(_("Move to outside"), QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton(_("Delete the flows"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(outside)
        box.exec()
        clicked = box.clickedButton()
        if clicked == outside:
            return "outside"
        return "delete" if clicked == delete else None

    def _edit(self, edit: Edit, text: str) -> bool:
        return self._run_edit(edit, text, None)

    def add_actor(self) -> None:
        if not self._district_id:
            return
        name = self.ask_actor_name()
        if not name:
            return
        try:
            edit = create_stakeholder(self._district_id, {"name": name})
        except UserError as exc:
            self._on_error(exc)
            return
        if self._edit(edit, _("Add {name}").format(name=name.strip())):
            self.search.clear()
            self.select_actor(edit.values["id"])
            self.detail.name_edit.setFocus()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        names = [self.model.record(self.model.row_by_id(i))["name"] for i in ids]
        if not self.confirm(_("Delete actors"), _("Delete {names} and their relations? You can undo this.").format(
                names=", ".join(names[:5]) + ("…" if len(names) > 5 else ""))):
            return
        flow_count = len({f["id"] for actor_id in ids for f in flows_of(self._store, actor_id)})
        flows = self.ask_what_of_flows(flow_count) if flow_count else "delete"
        if flows is None:
            return
        self._edit(delete_stakeholders(self._store, ids, flows=flows), _("Delete {count} actors").format(
            count=len(ids)))

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        first, second = (self.model.record(self.model.row_by_id(i)) for i in ids)
        keep, other = (first, second) if len(first["name"]) >= len(second["name"]) else (second, first)
        if not self.confirm(_("Merge duplicates"), _("Merge “{other}” into “{keep}”? Empty fields are filled "
                                                     "from it and its relations move over.").format(
                other=other["name"], keep=keep["name"])):
            return
        try:
            edit = merge_stakeholders(self._store, keep["id"], other["id"])
        except UserError as exc:
            self._on_error(exc)
            return
        if self._edit(edit, _("Merge {other} into {keep}").format(other=other["name"], keep=keep["name"])):
            self.select_actor(keep["id"])

    def relate_selected(self, kind: str) -> None:
        """From the table: the first selected row → the second, of the chosen kind."""
        ids = self.selected_ids()
        if len(ids) != 2 or not self._district_id:
            return
        try:
            edit = create_relation(self._district_id, {"source_id": ids[0], "target_id": ids[1], "kind": kind})
        except UserError as exc:
            self._on_error(exc)
            return
        self._edit(edit, _("Add relation"))

    def set_for_selected(self, field: str, value: str) -> None:
        ids = self.selected_ids()
        if ids:
            edits = tuple(update_stakeholder(actor_id, **{field: value}) for actor_id in ids)
            self._edit(Batch(edits), _("Change {count} actors").format(count=len(ids)))

    def _sync_network_filter(self, *_args) -> None:
        if self.proxy.rowCount() == self.model.rowCount():
            self.network.view.set_visible_actors(None)
            return
        visible = {self.proxy.index(r, 0).data(IdRole) for r in range(self.proxy.rowCount())}
        self.network.view.set_visible_actors(visible)

    def _on_relation_drawn(self, source: str, target: str) -> None:
        if not self._district_id:
            return
        kind = self.network.new_kind_combo.currentData()
        try:
            edit = create_relation(self._district_id, {"source_id": source, "target_id": target, "kind": kind})
        except UserError as exc:
            self._on_error(exc)
            return
        self._edit(edit, _("Add relation"))

    def _on_grid_moved(self, actor_id: str, influence: int, interest: int) -> None:
        record = self.model.record(self.model.row_by_id(actor_id))
        if (record["influence"], record["interest"]) == (influence, interest):
            self.grid.set_actors(self.model.records())  # snap back into its cell
            return
        self._edit(update_stakeholder(actor_id, influence=influence, interest=interest),
                   _("Move {name} on the grid").format(name=record["name"]))

    def import_spreadsheet(self) -> None:
        if not self._district_id:
            return
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a spreadsheet of actors"), str(Path.home()),
                                                    _("Spreadsheets (*.csv *.xlsx *.txt)"))
        if path:
            from ssd_starter.ui.map.import_dialog import ImportDialog

            ImportDialog(self._store, self._district_id, Path(path), self._run_edit, self).exec()

    def export_map(self) -> None:
        if not self._district_id:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export the stakeholder map"), str(Path.home() / "map.gexf"),
            ";;".join((_("GEXF for Gephi (*.gexf)"), _("GraphML (*.graphml)"), _("CSV tables (*.csv)"))))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> list[Path]:
        from ssd_starter.export.graph import export_graph

        fmt = {".graphml": "graphml", ".csv": "csv"}.get(path.suffix.lower(), "gexf")
        assert self._district_id
        try:
            return export_graph(path, fmt, self.model.records(), list_relations(self._store, self._district_id))
        except UserError as exc:
            self._on_error(exc)
        except OSError as exc:
            self._on_error(UserError(N_("The file could not be written: {reason}"), reason=exc.strerror or str(exc)))
        return []
