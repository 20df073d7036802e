"""What can be done to the actors from the map's bar: add one, delete or merge the selected, set a value or a
relation for the selection, import a spreadsheet or a graph file (import_dialog), export the map in any of the
export formats. Each change is one undoable edit."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import Category, RelationKind, Stage
from ssd_starter.i18n import N_, _, current_language, ngettext
from ssd_starter.settings import Settings
from ssd_starter.store import Store
from ssd_starter.store.edits import Batch, Edit
from ssd_starter.store.stakeholders import (
    create_relation,
    create_stakeholder,
    delete_stakeholders,
    list_relations,
    merge_stakeholders,
    update_stakeholder,
)
from ssd_starter.ui.fitting import FlowLayout
from ssd_starter.ui.map.table_model import ActorTableModel

RunEdit = Callable[..., bool]
# the export formats as the file dialog offers them: (format, label, file suffix), in FORMATS' order
EXPORT_FORMATS = (("gexf", N_("GEXF 1.3 (Gephi)"), "gexf"), ("graphml", N_("GraphML"), "graphml"),
                  ("csv", N_("CSV (two files)"), "csv"), ("xlsx", N_("Excel workbook"), "xlsx"),
                  ("jsonld", N_("ValueFlows JSON-LD"), "jsonld"))


class ActorActions(QWidget):
    """The bar's buttons and what they do to the actors ``selected()`` returns (ids, in the table's order)."""

    added = Signal(str)  # a new actor's id: the page shows it, ready to be described
    merged = Signal(str)  # the id of the actor that stayed

    def __init__(self, store: Store, model: ActorTableModel, selected: Callable[[], list[str]],
                 run_edit: RunEdit, on_error: Callable[[UserError], None], settings: Settings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        # The window's one settings object: an import's remembered choices and the window's own writes must
        # not overwrite each other. A page made on its own (a test) reads the settings file.
        self._settings_object = settings
        self._model = model
        self._selected = selected
        self._run_edit = run_edit
        self._on_error = on_error
        self.add_button = QPushButton()
        self.delete_button = QPushButton()
        self.merge_button = QPushButton()
        self.bulk_button = QToolButton()
        self.bulk_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.bulk_menu = QMenu(self)
        self.bulk_button.setMenu(self.bulk_menu)
        self.import_button = QPushButton()
        self.export_button = QPushButton()
        # one row where the window is wide enough, more where it is not (German, a small screen): a button is
        # never cut
        self.flow = FlowLayout(self)
        self.flow.add_widgets(self.add_button, self.delete_button, self.merge_button, self.bulk_button,
                              self.import_button, self.export_button)
        self.add_button.clicked.connect(self.add_actor)
        self.delete_button.clicked.connect(self.delete_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        self.import_button.clicked.connect(self.import_spreadsheet)
        self.export_button.clicked.connect(self.export_map)
        self._selection = 0
        self.retranslate()

    @property
    def _district_id(self) -> str | None:
        return self._model.district_id

    def selection_changed(self, count: int) -> None:
        self._selection = count
        self.delete_button.setEnabled(count > 0)
        self.bulk_button.setEnabled(count > 0)
        self.merge_button.setEnabled(count == 2)
        self.relate_action.setEnabled(count == 2)

    def retranslate(self) -> None:
        self.add_button.setText(_("Add actor…"))
        self.delete_button.setText(_("Delete"))
        self.merge_button.setText(_("Merge duplicates"))
        self.merge_button.setToolTip(_("Select two rows for the same organisation to merge them into one"))
        self.bulk_button.setText(_("Set for selected"))
        self.import_button.setText(_("Import spreadsheet…"))
        self.export_button.setText(_("Export…"))
        self._fill_bulk_menu()

    def _fill_bulk_menu(self) -> None:
        self.bulk_menu.clear()
        stage_menu = self.bulk_menu.addMenu(_("Stage"))
        for stage in Stage:
            stage_menu.addAction(stage.label, partial(self.set_for_selected, "stage", stage.value))
        category_menu = self.bulk_menu.addMenu(_("Category"))
        for category in Category:
            category_menu.addAction(category.label, partial(self.set_for_selected, "category", category.value))
        relate_menu = self.bulk_menu.addMenu(_("Relation between the two"))
        self.relate_action = relate_menu.menuAction()
        self.relate_action.setEnabled(self._selection == 2)
        for kind in RelationKind:
            relate_menu.addAction(kind.label, partial(self.relate_selected, kind.value))

    # -- asking -----------------------------------------------------------------------------

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

    # -- actions ----------------------------------------------------------------------------

    def _edit(self, edit: Edit, text: str) -> bool:
        return self._run_edit(edit, text, None)

    def _record(self, actor_id: str) -> dict:
        return self._model.record(self._model.row_by_id(actor_id))

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
            self.added.emit(edit.values["id"])

    def delete_selected(self) -> None:
        ids = self._selected()
        if not ids:
            return
        names = [self._record(i)["name"] for i in ids]
        if not self.confirm(_("Delete actors"), _("Delete {names} and their relations? You can undo this.").format(
                names=", ".join(names[:5]) + ("…" if len(names) > 5 else ""))):
            return
        from ssd_starter.store.flows import flows_of  # the flows' module (and its summary's) not at start-up

        flow_count = len({f["id"] for actor_id in ids for f in flows_of(self._store, actor_id)})
        flows = self.ask_what_of_flows(flow_count) if flow_count else "delete"
        if flows is None:
            return
        self._edit(delete_stakeholders(self._store, ids, flows=flows), ngettext("Delete {count} actor", "Delete {count} actors",
                                                                                   len(ids)).format(count=len(ids)))

    def merge_selected(self) -> None:
        ids = self._selected()
        if len(ids) != 2:
            return
        first, second = (self._record(i) for i in ids)
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
            self.merged.emit(keep["id"])

    def relate_selected(self, kind: str) -> None:
        """From the table: the first selected row → the second, of the chosen kind."""
        ids = self._selected()
        if len(ids) != 2 or not self._district_id:
            return
        try:
            edit = create_relation(self._district_id, {"source_id": ids[0], "target_id": ids[1], "kind": kind})
        except UserError as exc:
            self._on_error(exc)
            return
        self._edit(edit, _("Add relation"))

    def set_for_selected(self, field: str, value: str) -> None:
        ids = self._selected()
        if ids:
            edits = tuple(update_stakeholder(actor_id, **{field: value}) for actor_id in ids)
            self._edit(Batch(edits), ngettext("Change {count} actor", "Change {count} actors", len(ids)).format(
                count=len(ids)))

    def _settings(self) -> Settings:
        if self._settings_object is None:
            self._settings_object = Settings()
        return self._settings_object

    def import_spreadsheet(self) -> None:
        if not self._district_id:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import actors and relations"), str(Path.home()),
            ";;".join((_("Spreadsheets and graph files (*.csv *.xlsx *.txt *.gexf *.graphml)"),
                       _("Spreadsheets (*.csv *.xlsx *.txt)"), _("Graph files (*.gexf *.graphml)"))))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """The import wizard on ``path`` (chosen above, or dropped on the window)."""
        if not self._district_id:
            return
        from ssd_starter.ui.map.import_dialog import ImportDialog

        ImportDialog(self._store, self._district_id, path, self._run_edit, self, settings=self._settings()).exec()

    def export_map(self) -> None:
        if not self._district_id:
            return
        filters = [f"{_(label)} (*.{suffix})" for _fmt, label, suffix in EXPORT_FORMATS]
        path, chosen = QFileDialog.getSaveFileName(self, _("Export the actor map"),
                                                   str(Path.home() / "map.gexf"), ";;".join(filters))
        if not path:
            return
        target = Path(path)
        fmt = format_named(target)  # a suffix the user typed wins over the list's choice
        if fmt is None:
            fmt, _label, suffix = EXPORT_FORMATS[filters.index(chosen)] if chosen in filters else EXPORT_FORMATS[0]
            target = target.with_name(f"{target.name}.{suffix}")
        written = self.export_to(target, fmt)
        if fmt == "csv" and written:
            self.tell(_("Export the actor map"), _("Two files were written:\n{actors}\n{relations}").format(
                actors=written[0], relations=written[1]))

    def tell(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def export_to(self, path: Path, fmt: str | None = None) -> list[Path]:
        """Write the map in ``fmt`` (by default the one ``path``'s suffix names), with the district's name and
        description, the network view's positions, the resource flows, in the window's language."""
        from ssd_starter.export.graph import export_graph
        from ssd_starter.store.districts import get_district
        from ssd_starter.store.flows import list_flows
        from ssd_starter.store.layout import load_positions

        if not self._district_id:
            return []
        fmt = fmt or format_named(path) or "gexf"
        try:
            district = get_district(self._store, self._district_id)
            positions, _pinned = load_positions(self._store, self._district_id)
            return export_graph(path, fmt, list(self._model.records()),
                                list(list_relations(self._store, self._district_id)), name=district.name,
                                description=district.description, positions=positions,
                                flows=list_flows(self._store, self._district_id), language=current_language())
        except UserError as exc:
            self._on_error(exc)
        except OSError as exc:
            self._on_error(UserError(N_("The file could not be written: {reason}"), reason=exc.strerror or str(exc)))
        return []


def format_named(path: Path) -> str | None:
    """The export format a file name's suffix names, if any."""
    suffix = path.suffix.lower().lstrip(".")
    return next((fmt for fmt, _label, known in EXPORT_FORMATS if known == suffix), None)
