"""The main window: area navigation on the left, a district switcher, undo/redo, saved state."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from ssd_starter import APP_NAME
from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, current_language, format_datetime
from ssd_starter.settings import Settings
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.backup import backup_if_due, make_backup
from ssd_starter.store.districts import (
    copy_name,
    create_district,
    delete_district,
    duplicate_district,
    get_district,
    list_districts,
)
from ssd_starter.store.edits import Edit
from ssd_starter.ui.about import AboutDialog
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.districts.page import DistrictsPage
from ssd_starter.ui.language import notifier
from ssd_starter.ui.undo import run_edit

if TYPE_CHECKING:
    from ssd_starter.ui.canvas.page import CanvasPage
    from ssd_starter.ui.charter.page import CharterPage
    from ssd_starter.ui.dossier.page import DossierPage
    from ssd_starter.ui.map.page import MapPage
    from ssd_starter.ui.sync.page import SyncPage
    from ssd_starter.ui.training.page import TrainingPage

def style_sheet(base_points: float, light: bool) -> str:
    """The window's few styled parts, sized from the system font (a user who asks for bigger text gets bigger
    titles too) and coloured from the palette when it is dark or high-contrast."""
    title, section, nav = base_points * 1.8, base_points * 1.2, base_points * 1.1
    muted = "#555a60" if light else "palette(text)"
    selected = "background: #2f6f4f; color: white;" if light else \
        "background: palette(highlight); color: palette(highlighted-text);"
    notice = "background: #fff4ce; color: #3b2f00; border: 1px solid #e0c060;" if light else \
        "border: 2px solid palette(highlight);"
    return f"""
QLabel#pageTitle {{ font-size: {title:.1f}pt; font-weight: 600; }}
QLabel#sectionTitle {{ font-size: {section:.1f}pt; font-weight: 600; }}
QLabel#summary {{ color: {muted}; }}
QLabel#hint {{ color: {muted}; }}
QLabel#fieldError {{ color: {"#b00020" if light else "palette(text)"}; }}
QLabel#notice {{ {notice} border-radius: 4px; padding: 8px; }}
QListWidget#areaNav {{ font-size: {nav:.1f}pt; border: none; background: palette(window); }}
QListWidget#areaNav::item {{ padding: 9px 10px; }}
QListWidget#areaNav::item:selected {{ {selected} border-radius: 4px; }}
"""

BACKUP_CHECK_MS = 60 * 60 * 1000
LAZY_AREAS = ("map", "charter", "canvas", "training", "dossier", "sync")


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # N_-marked
    purpose: str  # N_-marked; the area's tooltip in the navigation


AREAS = (
    Area("districts", N_("Districts"), ""),
    Area("map", N_("Stakeholder map"),
         N_("List, table and network views of the actors in the territory, the power/interest grid, "
            "relations between actors, spreadsheet import and export for Gephi.")),
    Area("charter", N_("Charter"),
         N_("A step-by-step wizard for the district's founding charter, checked against Law 13/2010, "
            "with versions and adoption.")),
    Area("canvas", N_("Canvas & flows"),
         N_("A social business-model canvas and the resource flows between members, with indicators "
            "of self-sufficiency, a Sankey diagram and what-if scenarios.")),
    Area("training", N_("Training"),
         N_("Training modules in Italian, German and English, a workshop mode for the projector, "
            "attendance and exercises.")),
    Area("dossier", N_("Dossier"),
         N_("A one-click PDF of the whole district for the municipality, the Province and the Centre.")),
    Area("sync", N_("Sync & review"),
         N_("Signed dossier bundles for USB or e-mail, sync with the Centre for the Solidarity Economy "
            "and the advisors' comments.")),
)


class _NotBuiltYet(QWidget):
    """Stands in the page stack for a page that is built when first opened."""

    def retranslate(self) -> None:
        pass


class NewDistrictDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New district"))
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.kind_combo = QComboBox()
        for kind in DistrictKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.language_combo = QComboBox()
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(LANGUAGES.index(current_language()))
        form = QFormLayout(self)
        form.addRow(_("&Name"), self.name_edit)
        form.addRow(_("&Kind"), self.kind_combo)
        form.addRow(_("&Working language"), self.language_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.setMinimumWidth(420)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name_edit.text().strip()))

    def values(self) -> dict:
        return {"name": self.name_edit.text(), "kind": self.kind_combo.currentData(),
                "language": self.language_combo.currentData()}


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings, *, load_demo: Callable[[Store], str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self._load_demo = load_demo
        self._district_id: str | None = None
        base = QApplication.font().pointSizeF()
        self.setStyleSheet(style_sheet(base if base > 0 else 10.0, self.palette().base().color().lightness() > 160))
        self.setMinimumSize(QSize(900, 600))

        self.undo_group = QUndoGroup(self)
        self.districts_stack = QUndoStack(self)  # create / delete / duplicate / properties
        self.undo_group.addStack(self.districts_stack)
        self._district_stacks: dict[str, QUndoStack] = {}

        self.district_model = DistrictListModel(store, self)
        self._build_actions()
        self._build_toolbar()
        self._build_central()
        self._build_status_bar()
        self._build_menus()

        store.subscribe(self._on_store_changed)
        notifier().changed.connect(self.retranslate)
        self.district_model.modelReset.connect(self._sync_switcher)

        self._backup_timer = QTimer(self)
        self._backup_timer.timeout.connect(self.daily_backup)
        self._backup_timer.start(BACKUP_CHECK_MS)

        self.retranslate()
        self._restore_state()

    # -- construction -----------------------------------------------------------------------

    def _build_actions(self) -> None:
        # Our own actions rather than QUndoGroup.createUndoAction: their texts come from our catalogs.
        self.undo_action = QAction(self, shortcut=QKeySequence.StandardKey.Undo, enabled=False)
        self.undo_action.triggered.connect(self.undo_group.undo)
        self.undo_group.canUndoChanged.connect(self.undo_action.setEnabled)
        self.redo_action = QAction(self, enabled=False)
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.undo_group.redo)
        self.undo_group.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_group.indexChanged.connect(lambda _index: self._update_undo_texts())
        self.new_action = QAction(self, shortcut=QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_district)
        self.duplicate_action = QAction(self, shortcut=QKeySequence("Ctrl+D"))
        self.duplicate_action.triggered.connect(self.duplicate_current)
        self.delete_action = QAction(self, shortcut=QKeySequence("Ctrl+Shift+Del"))
        self.delete_action.triggered.connect(self.delete_current)
        self.rename_action = QAction(self, shortcut=QKeySequence("F2"))
        self.rename_action.triggered.connect(self.focus_rename)
        self.demo_action = QAction(self)
        self.demo_action.triggered.connect(self.open_demo)
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(self.backup_now)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_action = QAction(self, shortcut=QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.triggered.connect(self.show_help)
        self.tour_action = QAction(self)
        self.tour_action.triggered.connect(self.start_tour)
        self.settings_action = QAction(self, shortcut=QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.show_settings)
        self.language_actions = QActionGroup(self)
        for code in LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], self, checkable=True)
            action.setData(code)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_actions.addAction(action)
        self.area_actions = []
        for number, area in enumerate(AREAS, start=1):
            action = QAction(self, shortcut=QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=area.key: self.show_area(k))
            self.area_actions.append(action)
        for action in (self.help_action, self.settings_action, self.new_action, self.duplicate_action, self.delete_action, self.rename_action,
                       self.quit_action, self.undo_action, self.redo_action, *self.area_actions):
            self.addAction(action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.switcher_label = QLabel()
        self.switcher = QComboBox()
        self.switcher.setModel(self.district_model)
        self.switcher.setMinimumContentsLength(28)
        self.switcher.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.switcher.activated.connect(self._on_switcher_activated)
        self.switcher_label.setBuddy(self.switcher)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 6, 0)
        row.addWidget(self.switcher_label)
        row.addWidget(self.switcher)
        self.toolbar.addWidget(holder)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.new_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.addToolBar(self.toolbar)

    def _build_central(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("areaNav")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()
        self.districts_page = DistrictsPage(self.store, self.district_model, self._run_district_edit)
        self.districts_page.current_changed.connect(self.set_current_district)
        self.districts_page.create_requested.connect(self.new_district)
        self.districts_page.demo_requested.connect(self.open_demo)
        self.districts_page.duplicate_requested.connect(self.duplicate_current)
        self.districts_page.delete_requested.connect(self.delete_current)
        self.districts_page.edit_failed.connect(self.show_error)
        # Areas are built when first opened: their widgets and modules would slow the window's start.
        self._pages: dict[str, QWidget] = {"districts": self.districts_page,
                                           **{key: _NotBuiltYet() for key in LAZY_AREAS}}
        for area in AREAS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self.nav.addItem(item)
            self.pages.addWidget(self._pages[area.key])
        self.nav.currentRowChanged.connect(self._on_nav_changed)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        for action in (self.new_action, self.duplicate_action, self.delete_action, None, self.demo_action,
                       self.backup_action, None, self.quit_action):
            self.file_menu.addSeparator() if action is None else self.file_menu.addAction(action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.rename_action)
        self.view_menu = bar.addMenu("")
        for action in self.area_actions:
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.present_action = QAction(self, shortcut=QKeySequence("F11"), checkable=True)
        self.present_action.toggled.connect(self.set_presenting)
        self.addAction(self.present_action)  # F11 also works while the menu bar is hidden
        self.view_menu.addAction(self.present_action)
        self.language_menu = self.view_menu.addMenu("")
        for action in self.language_actions.actions():
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.help_action)
        self.help_menu.addAction(self.tour_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.settings_action)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self, _language: str | None = None) -> None:
        self.setWindowTitle(APP_NAME)
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.view_menu.setTitle(_("&View"))
        self.present_action.setText(_("&Presentation mode"))
        self.present_action.setToolTip(_("Full screen with only the current page, for a projector (F11)"))
        self.help_menu.setTitle(_("&Help"))
        self.language_menu.setTitle(_("&Language"))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self._update_undo_texts()
        self.new_action.setText(_("&New district…"))
        self.duplicate_action.setText(_("D&uplicate district"))
        self.delete_action.setText(_("&Delete district…"))
        self.rename_action.setText(_("Re&name district"))
        self.demo_action.setText(_("Open the de&mo district"))
        self.backup_action.setText(_("&Back up now"))
        self.quit_action.setText(_("&Quit"))
        self.about_action.setText(_("&About SSD Starter"))
        self.help_action.setText(_("Help for this &area"))
        self.tour_action.setText(_("Guided &tour"))
        self.settings_action.setText(_("&Settings…"))
        self.switcher_label.setText(_("District:"))
        self.switcher.setAccessibleName(_("Current district"))
        self.nav.setAccessibleName(_("Areas"))
        for row, area in enumerate(AREAS):
            self.nav.item(row).setText(_(area.title))
            self.nav.item(row).setToolTip(_(area.purpose) if area.purpose else "")
        self.nav.setFixedWidth(max(200, self.nav.sizeHintForColumn(0) + 28))  # German titles are long
        for row, area in enumerate(AREAS):
            self.area_actions[row].setText(_(area.title).replace("&", "&&"))  # a literal &, not a mnemonic
        for action in self.language_actions.actions():
            action.setChecked(action.data() == current_language())
        for page in self._pages.values():
            page.retranslate()  # type: ignore[attr-defined]
        self._update_saved_label()

    def _update_undo_texts(self) -> None:
        stack = self.undo_group.activeStack()
        self.undo_action.setToolTip(_("Undo: {action}").format(action=stack.undoText()) if stack and stack.canUndo()
                                    else _("Nothing to undo"))
        self.redo_action.setToolTip(_("Redo: {action}").format(action=stack.redoText()) if stack and stack.canRedo()
                                    else _("Nothing to redo"))

    def _update_saved_label(self, when=None) -> None:
        if self.store.read_only:
            self.saved_label.setText(_("Read-only: changes cannot be saved"))
        elif when is None:
            self.saved_label.setText(_("All changes are saved automatically"))
        else:
            self.saved_label.setText(_("All changes saved ({time})").format(
                time=format_datetime(when, style="short")))

    # -- state ------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.get("window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        else:
            self.resize(1180, 760)
        last = self.settings.get("last_district")
        districts = list_districts(self.store)
        ids = [d.id for d in districts]
        self.set_current_district(last if last in ids else (ids[0] if ids else None))
        self.nav.setCurrentRow(0)

    def _save_state(self) -> None:
        self.settings.set("window_geometry", base64.b64encode(bytes(self.saveGeometry())).decode("ascii"))

    @property
    def current_district_id(self) -> str | None:
        return self._district_id

    def set_current_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        if district_id and district_id not in self._district_stacks:
            stack = QUndoStack(self)
            self._district_stacks[district_id] = stack
            self.undo_group.addStack(stack)
        self.districts_page.select(district_id)
        for page in self._built_area_pages():
            page.set_district(district_id)
        self._sync_switcher()
        self._activate_stack()
        if district_id and not self.store.read_only:
            self.settings.set("last_district", district_id)
        for action in (self.duplicate_action, self.delete_action, self.rename_action):
            action.setEnabled(district_id is not None)

    def _sync_switcher(self) -> None:
        row = self.district_model.row_of(self._district_id)
        if self.switcher.currentIndex() != row:
            self.switcher.setCurrentIndex(row)

    def _activate_stack(self) -> None:
        """Undo acts on what is in view: district management on the Districts page, else the district's edits."""
        if self.current_area() == "districts" or not self._district_id:
            self.undo_group.setActiveStack(self.districts_stack)
        else:
            self.undo_group.setActiveStack(self._district_stacks[self._district_id])
        stack = self.undo_group.activeStack()
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self._update_undo_texts()

    def current_area(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "districts"

    def show_area(self, key: str) -> None:
        for row, area in enumerate(AREAS):
            if area.key == key:
                self.nav.setCurrentRow(row)

    # -- user actions -----------------------------------------------------------------------

    def _run_district_edit(self, edit: Edit, text: str, merge_key: str | None = None) -> bool:
        return run_edit(self.districts_stack, self.store, edit, text, merge_key=merge_key, on_error=self.show_error)

    def _run_district_scoped_edit(self, edit: Edit, text: str, merge_key: str | None = None) -> bool:
        """Edits inside the current district go on that district's own undo stack."""
        if not self._district_id:
            return False
        stack = self._district_stacks[self._district_id]
        return run_edit(stack, self.store, edit, text, merge_key=merge_key, on_error=self.show_error)

    def _area_page(self, key: str) -> QWidget:
        """The page of a lazily built area, built now if this is its first use."""
        page = self._pages[key]
        if not isinstance(page, _NotBuiltYet):
            return page
        if key == "map":
            from ssd_starter.ui.map.page import MapPage

            page = MapPage(self.store, self._run_district_scoped_edit, self.show_error)
            page.detail.personal_data_erased.connect(self._forget_undo_history)
        elif key == "charter":
            from ssd_starter.ui.charter.page import CharterPage

            page = CharterPage(self.store, self._run_district_scoped_edit, self.show_error, self.settings)
        elif key == "canvas":
            from ssd_starter.ui.canvas.page import CanvasPage

            page = CanvasPage(self.store, self._run_district_scoped_edit, self.show_error)
            page.actor_requested.connect(self.show_actor)
        elif key == "training":
            from ssd_starter.ui.training.page import TrainingPage

            page = TrainingPage(self.store, self._run_district_scoped_edit, self.show_error)
        elif key == "dossier":
            from ssd_starter.ui.dossier.page import DossierPage

            page = DossierPage(self.store, self.show_error)
        else:
            from ssd_starter.ui.sync.page import SyncPage

            page = SyncPage(self.store, self._run_district_scoped_edit, self.show_error, self.settings)
        placeholder = self._pages[key]
        self.pages.insertWidget(self.pages.indexOf(placeholder), page)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        self._pages[key] = page
        page.set_district(self._district_id)  # type: ignore[attr-defined]
        return page

    def _built_area_pages(self) -> list:
        return [self._pages[k] for k in LAZY_AREAS if not isinstance(self._pages[k], _NotBuiltYet)]

    @property
    def map_page(self) -> MapPage:
        return self._area_page("map")  # type: ignore[return-value]

    @property
    def charter_page(self) -> CharterPage:
        return self._area_page("charter")  # type: ignore[return-value]

    @property
    def canvas_page(self) -> CanvasPage:
        return self._area_page("canvas")  # type: ignore[return-value]

    @property
    def sync_page(self) -> SyncPage:
        return self._area_page("sync")  # type: ignore[return-value]

    @property
    def dossier_page(self) -> DossierPage:
        return self._area_page("dossier")  # type: ignore[return-value]

    @property
    def training_page(self) -> TrainingPage:
        return self._area_page("training")  # type: ignore[return-value]

    def show_actor(self, actor_id: str) -> None:
        """Open the map on one actor (from a chip elsewhere)."""
        self.show_area("map")
        self.map_page.select_actor(actor_id)

    def set_presenting(self, on: bool) -> None:
        """Full screen, with navigation, toolbar and menu out of the way: the page gets the whole projector."""
        for widget in (self.nav, self.toolbar, self.menuBar(), self.statusBar()):
            widget.setVisible(not on)
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
        if self.present_action.isChecked() != on:
            self.present_action.setChecked(on)

    def _forget_undo_history(self) -> None:
        """After an erasure no undo step may bring the erased values back."""
        for stack in (self.districts_stack, *self._district_stacks.values()):
            stack.clear()
        self.statusBar().showMessage(_("Personal data erased. The undo history was cleared."), 10000)

    def ask_new_district(self) -> dict | None:
        dialog = NewDistrictDialog(self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def new_district(self) -> None:
        values = self.ask_new_district()
        if not values:
            return
        try:
            edit = create_district(values["name"], kind=values["kind"], language=values["language"])
        except UserError as exc:
            self.show_error(exc)
            return
        if self._run_district_edit(edit, _("Create district {name}").format(name=edit.values["name"])):
            self.show_area("districts")
            self.set_current_district(edit.values["id"])
            self.districts_page.form.name_edit.setFocus()

    def duplicate_current(self) -> None:
        if not self._district_id:
            return
        source = get_district(self.store, self._district_id)
        edit = duplicate_district(self.store, source.id, copy_name(self.store, source.name))
        new_id = edit.edits[0].values["id"]  # type: ignore[attr-defined]
        if self._run_district_edit(edit, _("Duplicate district {name}").format(name=source.name)):
            self.set_current_district(new_id)
            self.statusBar().showMessage(_("Created a copy of {name}.").format(name=source.name), 8000)

    def delete_current(self) -> None:
        if not self._district_id:
            return
        district = get_district(self.store, self._district_id)
        if not self.confirm(_("Delete district"),
                            _("Delete the district “{name}” with all its records? You can undo this "
                              "with Ctrl+Z.").format(name=district.name)):
            return
        if self._run_district_edit(delete_district(district.id), _("Delete district {name}").format(name=district.name)):
            remaining = list_districts(self.store)
            self.set_current_district(remaining[0].id if remaining else None)
            self.statusBar().showMessage(_("Deleted {name}. Undo with Ctrl+Z.").format(name=district.name), 10000)

    def focus_rename(self) -> None:
        self.show_area("districts")
        self.districts_page.form.name_edit.setFocus()
        self.districts_page.form.name_edit.selectAll()

    def open_demo(self) -> None:
        if self._load_demo is None:
            return
        try:
            district_id = self._load_demo(self.store)
        except UserError as exc:
            self.show_error(exc)
            return
        self.set_current_district(district_id)

    def backup_now(self) -> None:
        try:
            path = make_backup(self.store, reason="manual", keep=self.settings.get("backups_keep"))
        except UserError as exc:
            self.show_error(exc)
            return
        self.statusBar().showMessage(_("Backup written: {path}").format(path=path), 10000)

    def set_language(self, language: str) -> None:
        chosen = notifier().set_language(language)
        self.settings.set("language", chosen)

    def show_help(self) -> None:
        from ssd_starter.ui.help import HelpDialog

        self.help_dialog = HelpDialog(self.current_area(), self)
        self.help_dialog.show()

    def start_tour(self) -> None:
        from ssd_starter.ui.help import TourDialog

        self.tour = TourDialog([area.key for area in AREAS], self)
        self.tour.area_shown.connect(self.show_area)
        self.tour.show()
        self.tour.go(0)

    def show_settings(self) -> None:
        from ssd_starter.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.store, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            dialog.save()
            if dialog.values()["language"] != current_language():
                self.set_language(dialog.values()["language"])

    def first_run(self) -> None:
        """Language, then a district (new, the demo, or the ones already here), then the tour."""
        from ssd_starter.ui.first_run import CREATE, DEMO, FirstRunDialog

        dialog = FirstRunDialog(current_language(), bool(self.district_model.rowCount()), self)
        dialog.language_chosen.connect(self.set_language)
        dialog.exec()
        self.settings.set("first_run_done", True)
        if dialog.choice == CREATE:
            self.new_district()
        elif dialog.choice == DEMO:
            self.open_demo()
        self.start_tour()

    def show_about(self) -> None:
        AboutDialog(self).exec()

    def show_error(self, error: UserError) -> None:
        self.statusBar().showMessage(error.message(), 10000)
        QMessageBox.warning(self, APP_NAME, error.message())

    # -- events -----------------------------------------------------------------------------

    def _on_nav_changed(self, row: int) -> None:
        if row >= 0:
            if AREAS[row].key in LAZY_AREAS:
                self._area_page(AREAS[row].key)
            self.pages.setCurrentWidget(self._pages[AREAS[row].key])
            self._activate_stack()

    def _on_switcher_activated(self, row: int) -> None:
        district = self.district_model.district_at(row)
        if district:
            self.set_current_district(district.id)

    def _on_store_changed(self, changes: ChangeSet) -> None:
        self._update_saved_label(changes.at)
        self._update_undo_texts()
        restored = [c.row_id for c in changes.changes if c.table == "district" and c.op == "undelete"]
        if restored:  # undoing a delete (or redoing a creation) brings that district into view
            self.set_current_district(restored[-1])
        elif self._district_id and changes.touches("district", self._district_id):
            try:
                get_district(self.store, self._district_id)
            except UserError:  # deleted (perhaps by undo): move to another district
                remaining = list_districts(self.store)
                self.set_current_district(remaining[0].id if remaining else None)
        elif self._district_id is None and changes.touches("district"):
            remaining = list_districts(self.store)
            if remaining:
                self.set_current_district(remaining[0].id)
        self._sync_switcher()

    def daily_backup(self) -> None:
        if not self.store.read_only:
            try:
                backup_if_due(self.store, keep=self.settings.get("backups_keep"))
            except (UserError, OSError) as exc:
                self.statusBar().showMessage(_("The daily backup failed: {reason}").format(reason=exc), 10000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._save_state()
        self._backup_timer.stop()
        # The store outlives the window (tests, read-only reopen): nothing of the window may stay subscribed.
        self.store.unsubscribe(self._on_store_changed)
        self.districts_page.detach()
        for page in self._built_area_pages():
            page.detach()
        self.district_model.detach()
        super().closeEvent(event)
