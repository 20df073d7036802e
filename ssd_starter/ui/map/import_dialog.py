"""Import actors, and their relations, from a spreadsheet (CSV, XLSX) or a graph file (GEXF, GraphML): a
short wizard, and nothing is written before its last step.

1. **Columns**: which column holds which field, guessed from the headers (import_columns).
2. **Values**: what each distinct text of the vocabulary columns becomes, remembered per district
   (import_values). Passed over when no such column is mapped.
3. **Preview**: the first rows as they will be imported, the counts, the cells left empty by row, what to do
   with actors already in the map, and the relations (import_preview, import_relations).

A file of relations alone (an edge list) goes straight to the preview. A file with both (a workbook with an
actors sheet and a relations sheet, a graph file) imports the actors and then the relations in ONE undo
step (see import_relations for how); a graph file's positions are saved for the network view afterwards.

Reading and planning run in a worker thread (import_worker) while the dialog shows that it is busy: a file
of 20,000 rows takes a second or more, and Cancel works all the while. A refused file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.importer import ImportPlan, ValueMap, plan_import
from ssd_starter.core.relation_import import RelationPlan
from ssd_starter.i18n import N_, _, ngettext
from ssd_starter.settings import Settings
from ssd_starter.store import Store
from ssd_starter.store.layout import save_positions_by_name
from ssd_starter.store.stakeholders import list_relations, list_stakeholders
from ssd_starter.ui.map.import_columns import ColumnsStep
from ssd_starter.ui.map.import_preview import PreviewRow, PreviewStep, preview_rows
from ssd_starter.ui.map.import_relations import RelationsBox, import_edit, plan_with_new_actors
from ssd_starter.ui.map.import_source import ImportSource, read_source
from ssd_starter.ui.map.import_values import ValuesStep, remember_value_map, remembered_value_map
from ssd_starter.ui.map.import_worker import Worker

COLUMNS, VALUES, PREVIEW = "columns", "values", "preview"
STEP_NAMES = {COLUMNS: N_("Columns"), VALUES: N_("Values"), PREVIEW: N_("Preview")}
ERROR_STYLE = "color: #b3261e;"


@dataclass
class Planned:
    """What one planning job found: the actors' plan and first rows, and the relations' plan."""

    plan: ImportPlan | None
    rows: list[PreviewRow]
    relations: RelationPlan | None


class ImportDialog(QDialog):
    def __init__(self, store: Store, district_id: str, path: Path, run_edit: Callable[..., bool],
                 parent: QWidget | None = None, *, settings: Settings | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._district_id = district_id
        self._path = path
        self._run_edit = run_edit
        self._settings = settings or Settings()
        self._start_map = remembered_value_map(self._settings, district_id)
        self._value_map: dict[str, dict[str, str | None]] = {}  # the one the plan shown was made with
        # read here, on the window's thread: the worker gets lists, never the store
        self._existing = list_stakeholders(store, district_id)
        self._existing_relations: list[dict[str, Any]] = []
        self.source: ImportSource | None = None
        self.plan: ImportPlan | None = None
        self.relation_plan: RelationPlan | None = None
        self.step: str | None = None
        self.setWindowTitle(_("Import {file}").format(file=path.name))
        self.resize(980, 640)  # within a 1366×768 screen, its title bar and a task bar
        self._build()
        self.step_label.setText(self.windowTitle())  # until the file is read, which one it is
        self.message.setText(str(path))
        self._busy(_("Reading the file…"))
        self.worker.start(lambda: read_source(path), self._on_read)

    def _build(self) -> None:
        self.worker = Worker(self)
        self.worker.failed.connect(self._on_failed)
        self.worker.busy_changed.connect(self._update_buttons)
        self.step_label = QLabel()
        self.step_label.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("fieldError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.columns = ColumnsStep()
        self.values = ValuesStep()
        self.relations = RelationsBox()
        self.relations.create_toggled.connect(self._replan_relations)
        self.preview = PreviewStep(self.relations)
        self.steps = QStackedWidget()
        for page in (self.columns, self.values, self.preview):
            self.steps.addWidget(page)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the importer says nothing while it reads: busy, not a percentage
        self.progress.setMaximumWidth(240)
        self.busy_label = QLabel()
        # Back and Next in reading order before Import and Cancel (a button box would order them its own way)
        self.back_button = QPushButton(_("← &Back"))
        self.next_button = QPushButton(_("&Next →"))
        self.next_button.setDefault(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.buttons.accepted.connect(self._on_import)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.busy_label)
        bottom.addWidget(self.progress)
        bottom.addStretch(1)
        for button in (self.back_button, self.next_button, self.buttons):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.message)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.error)
        layout.addLayout(bottom)

    # -- the steps -------------------------------------------------------------------------------

    def _order(self) -> list[str]:
        return [COLUMNS, VALUES, PREVIEW] if self.source is not None and self.source.actors is not None else [PREVIEW]

    def _show(self, step: str) -> None:
        self.step = step
        self.steps.setCurrentWidget({COLUMNS: self.columns, VALUES: self.values, PREVIEW: self.preview}[step])
        order = self._order()
        self.step_label.setText(_("Step {number} of {count}: {name}").format(
            number=order.index(step) + 1, count=len(order), name=_(STEP_NAMES[step])))
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.worker.busy
        self.progress.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.steps.setEnabled(not busy and self.step is not None)
        self.steps.setVisible(self.step is not None)
        self.back_button.setVisible(self.step in (VALUES, PREVIEW) and len(self._order()) > 1)
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(self.step in (None, COLUMNS, VALUES))
        self.next_button.setEnabled(not busy and self.step in (COLUMNS, VALUES))
        self.import_button.setVisible(self.step == PREVIEW)
        self.next_button.setDefault(self.step != PREVIEW)
        self.import_button.setDefault(self.step == PREVIEW)
        self.import_button.setEnabled(not busy and self.step == PREVIEW and (
            self.plan is not None or self.relation_plan is not None))

    def _busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.error.hide()

    def go_next(self) -> None:
        if self.worker.busy:
            return
        if self.step == COLUMNS:
            self._plan(self._start_map, then=self._after_columns)
        elif self.step == VALUES:
            self._plan(self.values.model.value_map(self._start_map), then=self._show_preview)

    def go_back(self) -> None:
        if self.worker.busy:
            return
        if self.step == PREVIEW and self.plan is not None and self.plan.values:
            self._show(VALUES)
        elif self.step in (VALUES, PREVIEW) and self.source is not None and self.source.actors is not None:
            self._show(COLUMNS)

    # -- the jobs --------------------------------------------------------------------------------

    def _on_read(self, source: ImportSource) -> None:
        self.source = source
        self.message.setText("\n".join(source.describe()))
        if source.relations is not None:
            self._existing_relations = list_relations(self._store, self._district_id)
        if source.actors is not None:
            self.columns.set_table(source.actors)
            self._show(COLUMNS)
        else:
            self._plan({}, then=self._show_preview)

    def _plan(self, value_map: ValueMap, *, then: Callable[[Planned], None]) -> None:
        """Plan the actors with ``value_map``, and the relations against the actors that plan adds (planned
        again each time: their stand-in ids are the places of the new actors in the plan made with them)."""
        assert self.source is not None
        actors, edges = self.source.actors, self.source.relations
        mapping = self.columns.mapping()
        existing, relations = self._existing, self._existing_relations
        create = self.relations.create_missing.isChecked()
        self._value_map = {field: dict(choices) for field, choices in value_map.items()}

        def work() -> Planned:
            plan = plan_import(actors, mapping, existing, value_map=value_map) if actors is not None else None
            rows = preview_rows(actors, mapping, value_map, plan) if actors is not None and plan else []
            planned_relations = (plan_with_new_actors(edges, existing, plan, relations, create_missing=create)
                                 if edges is not None else None)
            return Planned(plan, rows, planned_relations)

        self._busy(_("Reading the rows…"))
        self.worker.start(work, then)

    def _after_columns(self, planned: Planned) -> None:
        if planned.plan is not None and planned.plan.values:
            self.plan, self.relation_plan = planned.plan, planned.relations
            self.values.set_values(planned.plan.values)
            self._show(VALUES)
        else:
            self._show_preview(planned)

    def _show_preview(self, planned: Planned) -> None:
        self.plan, self.relation_plan = planned.plan, planned.relations
        self.preview.show_actors(self.plan, planned.rows, self.columns.mapping())
        self._show_relations()
        self._show(PREVIEW)

    def _show_relations(self) -> None:
        self.relations.setVisible(self.relation_plan is not None)
        if self.relation_plan is not None and self.source is not None:
            self.relations.show_plan(self.relation_plan, len(self.source.positions))

    def _replan_relations(self, create: bool) -> None:
        """The tick for the names on no actor: the relations planned again, the actors' plan kept."""
        if self.source is None or self.source.relations is None or self.step != PREVIEW:
            return
        edges, plan = self.source.relations, self.plan
        existing, relations = self._existing, self._existing_relations
        self._busy(_("Reading the rows…"))
        self.worker.start(lambda: plan_with_new_actors(edges, existing, plan, relations, create_missing=create),
                          self._on_relations_replanned)

    def _on_relations_replanned(self, plan: RelationPlan) -> None:
        self.relation_plan = plan
        self._show_relations()
        self._update_buttons()

    def _on_failed(self, error: UserError) -> None:
        self.error.setText(error.message())
        self.error.show()
        self._update_buttons()

    # -- the end ---------------------------------------------------------------------------------

    def reject(self) -> None:
        self.worker.cancel()  # a job still running is forgotten: its result is dropped when it comes
        super().reject()

    def _on_import(self) -> None:
        if self.worker.busy or (self.plan is None and self.relation_plan is None):
            return
        edit = import_edit(self._district_id, self.plan, self.preview.merge_duplicates, self.relation_plan)
        if self.relation_plan is None and self.plan is not None:
            text = ngettext("Import {count} actor", "Import {count} actors", len(self.plan.new)).format(
                count=len(self.plan.new))
        else:
            text = _("Import {file}").format(file=self._path.name)
        if not self._run_edit(edit, text, None):
            return
        if self.source is not None and self.source.positions:
            save_positions_by_name(self._store, self._district_id, self.source.positions)
        if self.plan is not None:
            remember_value_map(self._settings, self._district_id, self._value_map)
        self.accept()
