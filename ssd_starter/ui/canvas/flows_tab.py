"""The Flows tab: the district's flows as a sortable, filterable table with their total, the form of the selected
one, and adding (blank, from a relation of the map, or drafted elsewhere), editing and deleting flows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.flows import default_unit, flow_from_relation
from ssd_starter.core.vocabulary import FlowKind
from ssd_starter.i18n import N_, _, format_currency, ngettext
from ssd_starter.store import Store
from ssd_starter.store.flows import (
    answer_purpose_questions,
    create_flow,
    delete_flow,
    purpose_questions,
    set_purposes,
    update_flow,
)
from ssd_starter.ui.canvas.dialogs import RelationPicker
from ssd_starter.ui.canvas.flows import (
    DESCRIPTION,
    FROM,
    KIND,
    PURPOSE,
    TO,
    FlowFilter,
    FlowForm,
    FlowTableModel,
    PurposeDelegate,
)
from ssd_starter.ui.fitting import ColumnFitter, CurrentTextComboBox, FlowBar, fit_placeholder
from ssd_starter.ui.map.actor_list import ActorListModel, on_rows_changed
from ssd_starter.ui.map.relations import RelationListModel
from ssd_starter.ui.review_threads import ReviewBadgeDelegate
from ssd_starter.ui.row_model import IdRole, select_record

RunEdit = Callable[..., bool]
TABLE_ROOM = 700  # the table's width beside the form at least: its amounts and a few letters of each name


class FlowsTab(QSplitter):
    flow_added = Signal(str)  # a new flow's id: the page brings this tab forward

    def __init__(self, store: Store, model: FlowTableModel, actors: ActorListModel, run_edit: RunEdit,
                 on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._actors = actors
        self._run_edit = run_edit
        self._on_error = on_error
        self.model = model
        self.proxy = FlowFilter(self)
        self.proxy.setSourceModel(model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(FROM, Qt.SortOrder.AscendingOrder)  # Qt would start from Z to A
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # the amounts always in sight: names and descriptions share what they leave (elided, whole in the tooltip)
        self.columns = ColumnFitter(self.table, shared=(FROM, TO, DESCRIPTION), caps={KIND: 130, DESCRIPTION: 320})
        self.table.setWordWrap(False)  # one line per flow: long names elide, in full in the tooltip
        # the Centre's threads about a flow: a badge in its row's description, clicked to read and reply
        self.table.setItemDelegateForColumn(DESCRIPTION, ReviewBadgeDelegate(store, "flow", self.table))
        self.table.setItemDelegateForColumn(PURPOSE, PurposeDelegate(self.table))
        model.save = lambda flow_id, changes: self._save_flow(flow_id, changes, None)
        self.form = FlowForm(self._save_flow)
        # Money flows stored before purposes existed whose description reads like a loan: asked about, once.
        self.questions = QLabel()
        self.questions.setWordWrap(True)
        self.questions.setObjectName("notice")
        self.loans_button = QPushButton()
        self.keep_button = QPushButton()
        self.questions_box = QWidget()
        self.kind_filter = CurrentTextComboBox()
        self.kind_filter.addItem("", None)
        for kind in FlowKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton()
        self.relation_button = QPushButton()
        self.delete_button = QPushButton()
        self.totals = QLabel()
        self._questioned: list[str] = []
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        questions = QHBoxLayout(self.questions_box)
        questions.setContentsMargins(0, 0, 0, 0)
        questions.addWidget(self.questions, 1)
        questions.addWidget(self.loans_button)
        questions.addWidget(self.keep_button)
        self.questions_box.setVisible(False)
        # on more rows when the tab is narrow (German at 1024 px): a button is never cut
        bar = FlowBar(self.kind_filter, self.search, self.new_button, self.relation_button, self.delete_button)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.questions_box)
        layout.addWidget(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        self.addWidget(left)
        self.addWidget(self.form)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)

    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_selected_flow())
        self.kind_filter.currentIndexChanged.connect(self._filter)
        self.search.textChanged.connect(self._filter)
        self.new_button.clicked.connect(self.new_flow)
        self.relation_button.clicked.connect(self.flow_from_relation)
        self.delete_button.clicked.connect(self.delete_selected_flow)
        self.loans_button.clicked.connect(self.mark_questioned_as_loans)
        self.keep_button.clicked.connect(self.keep_questioned_as_payments)
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.new_flow)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected_flow,
                  context=Qt.ShortcutContext.WidgetShortcut)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.dataChanged, self.proxy.layoutChanged):
            signal.connect(self._update_totals)
        self.model.modelReset.connect(self._fit_columns)
        self.model.modelReset.connect(self.show_questions)
        self.model.dataChanged.connect(lambda *_a: self._show_selected_flow())
        self.model.rowsRemoved.connect(lambda *_a: self._show_selected_flow())
        on_rows_changed(self._actors, self, lambda _ids: self.form.set_actors(self._actors.names()))

    def retranslate(self) -> None:
        self.kind_filter.setItemText(0, _("All kinds"))
        for row, kind in enumerate(FlowKind, start=1):
            self.kind_filter.setItemText(row, kind.label)
        self.search.setPlaceholderText(_("Search actors and descriptions…"))
        fit_placeholder(self.search)
        self.search.setAccessibleName(_("Search flows"))
        self.kind_filter.setAccessibleName(_("Filter by kind"))
        self.new_button.setText(_("New flow"))
        self.new_button.setToolTip(_("Add a flow (Ctrl+Shift+N)"))
        self.relation_button.setText(_("From a relation…"))
        self.delete_button.setText(_("Delete"))
        self.loans_button.setText(_("Mark as loans"))
        self.loans_button.setToolTip(_("Record these flows as loans: financing, neither purchases nor income"))
        self.keep_button.setText(_("Keep as payments"))
        self.table.setAccessibleName(_("Flows"))
        self.model.retranslate()
        self.form.retranslate(self._actors.names())
        self._update_totals()
        self.show_questions()

    # -- what is shown ------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        self.columns.measure()
        self._show_selected_flow()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """The form beside the table where both fit, under it in a narrow window: the table keeps room for
        its amounts."""
        super().resizeEvent(event)
        wide = event.size().width() >= self.form.minimumSizeHint().width() + TABLE_ROOM
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.orientation() != orientation:
            self.setOrientation(orientation)

    def selected_flow_id(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select_flow(self, flow_id: str) -> None:
        select_record(self.table, flow_id)

    def _show_selected_flow(self) -> None:
        flow = self.model.flow(self.selected_flow_id())
        self.form.show_flow(flow)
        self.delete_button.setEnabled(flow is not None)

    def show_questions(self) -> None:
        """Which money flows to ask about: stored as payments before flows had a purpose, described like loans."""
        district_id = self.model.district_id
        flows = purpose_questions(self._store, district_id) if district_id else []
        self._questioned = [flow["id"] for flow in flows]
        self.questions_box.setVisible(bool(flows))
        if flows:
            names = "; ".join(f"{flow['description']} ({format_currency(flow['value_eur'], whole=True)})"
                              for flow in flows)
            self.questions.setText(ngettext(
                "This money flow was recorded before flows had a purpose and reads like a loan: {flows}. "
                "Is it a loan? A loan counts as financing, neither purchase nor income.",
                "These money flows were recorded before flows had a purpose and read like loans: {flows}. "
                "Are they loans? A loan counts as financing, neither purchase nor income.",
                len(flows)).format(flows=names))

    def mark_questioned_as_loans(self) -> None:
        flows = [f for f in (self.model.flow(i) for i in self._questioned) if f is not None]
        if flows and self._run_edit(set_purposes(flows, "loan"), _("Mark flows as loans")):
            answer_purpose_questions(self._store, self._questioned)
        self.show_questions()

    def keep_questioned_as_payments(self) -> None:
        answer_purpose_questions(self._store, self._questioned)
        self.show_questions()

    def _filter(self, *_args: object) -> None:
        self.proxy.set_filter(self.kind_filter.currentData(), self.search.text())

    def _update_totals(self, *_args: object) -> None:
        shown = [self.proxy.index(r, 0).data(IdRole) for r in range(self.proxy.rowCount())]
        total = sum(self.model.record(self.model.row_by_id(i))["value_eur"] for i in shown)
        self.totals.setText(ngettext("{count} flow, {total} per year", "{count} flows, {total} per year",
                                     len(shown)).format(count=len(shown), total=format_currency(total)))

    # -- edits ----------------------------------------------------------------------------------

    def _save_flow(self, flow_id: str, changes: dict[str, Any], merge_key: str | None) -> None:
        flow = self.model.flow(flow_id)
        if flow is None:
            return
        try:
            edit = update_flow(flow, **changes)
        except UserError as exc:
            self.form.show_error(exc)
            return
        self._run_edit(edit, _("Edit a flow"), merge_key)

    def add_flow(self, fields: dict[str, Any]) -> None:
        """A new flow, shown in the form ready to be completed."""
        district_id = self.model.district_id
        if not district_id:
            return
        try:
            edit = create_flow(district_id, fields)
        except UserError as exc:
            self._on_error(exc)
            return
        if self._run_edit(edit, _("Add a flow")):
            self.flow_added.emit(edit.values["id"])
            self.kind_filter.setCurrentIndex(0)
            self.search.clear()
            self.select_flow(edit.values["id"])
            self.form.value.setFocus()

    def new_flow(self) -> None:
        if not self._actors.rowCount():
            self._on_error(UserError(N_("Add actors to the map first: a flow goes from or to one of them.")))
            return
        self.add_flow({"source_id": self._actors.record(0)["id"], "target_id": None, "kind": "goods",
                       "unit": default_unit("goods"), "value_eur": 0})

    def flow_from_relation(self) -> None:
        district_id = self.model.district_id
        if not district_id:
            return
        relations = RelationListModel(self._store, self._actors, self)  # for this choice only
        relations.set_district(district_id)
        try:
            if not relations.rowCount():
                self._on_error(UserError(N_("The map has no relations yet.")))
                return
            dialog = RelationPicker(relations, self)
            relation_id = dialog.relation_id() if dialog.exec() == QDialog.DialogCode.Accepted else None
            if relation_id:
                self.add_flow(flow_from_relation(relations.record(relations.row_by_id(relation_id))))
        finally:
            relations.detach()
            relations.deleteLater()

    def delete_selected_flow(self) -> None:
        flow_id = self.selected_flow_id()
        if flow_id:
            self._run_edit(delete_flow(flow_id), _("Delete a flow"))
