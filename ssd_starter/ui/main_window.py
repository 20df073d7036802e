"""The main window: area navigation on the left, a district switcher, undo/redo, saved state. It puts together
the parts in ``ui/window/`` (areas, actions and menus, toolbar, undo stacks, district commands, saved
state and backups) and keeps every area showing the current district."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QMessageBox, QWidget

from ssd_starter import APP_NAME
from ssd_starter.core.errors import UserError
from ssd_starter.i18n import _, current_language, format_datetime
from ssd_starter.settings import Settings
from ssd_starter.store import ChangeSet, Store
from ssd_starter.store.districts import get_district, list_districts
from ssd_starter.ui.districts.model import DistrictListModel
from ssd_starter.ui.language import notifier
from ssd_starter.ui.undo import EditSource, typing_buffer
from ssd_starter.ui.window import drops, state
from ssd_starter.ui.window.actions import WindowActions, WindowMenus
from ssd_starter.ui.window.areas import AREAS, LAZY_AREAS, Area, AreaNavigation
from ssd_starter.ui.window.district_commands import DistrictCommands, NewDistrictDialog
from ssd_starter.ui.window.pages import PageContext, build_page
from ssd_starter.ui.window.style import style_sheet
from ssd_starter.ui.window.toolbar import MainToolBar
from ssd_starter.ui.window.undo_stacks import UndoStacks

if TYPE_CHECKING:
    from ssd_starter.ui.canvas.page import CanvasPage
    from ssd_starter.ui.charter.page import CharterPage
    from ssd_starter.ui.districts.page import DistrictsPage
    from ssd_starter.ui.dossier.page import DossierPage
    from ssd_starter.ui.map.page import MapPage
    from ssd_starter.ui.review.page import ReviewPage
    from ssd_starter.ui.sync.page import SyncPage
    from ssd_starter.ui.training.page import TrainingPage

__all__ = ["AREAS", "LAZY_AREAS", "Area", "MainWindow", "NewDistrictDialog"]


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings, *, load_demo: Callable[[Store], str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self._district_id: str | None = None
        self._saved_at: Any = None  # when the last change was saved, for the status line
        base = QApplication.font().pointSizeF()
        self.setStyleSheet(style_sheet(base if base > 0 else 10.0, self.palette().base().color().lightness() > 160))
        self.setMinimumSize(QSize(900, 600))

        self.undo = UndoStacks(store, self.show_error, self)
        self.undo_group, self.districts_stack = self.undo.group, self.undo.districts
        self._district_stacks = self.undo.by_district  # the same dict: tests look a district's stack up
        self.commands = DistrictCommands(self, store, self.undo.run_district_edit, load_demo)
        self.district_model = DistrictListModel(store, self)
        self.window_actions = WindowActions(self, self, self.undo_group)
        self._name_actions()
        self.toolbar = MainToolBar(self.district_model, self.window_actions)
        self.toolbar.district_chosen.connect(self.set_current_district)
        self.switcher = self.toolbar.switcher
        self.addToolBar(self.toolbar)
        self._build_central()
        self._build_status_bar()
        self.setAcceptDrops(True)  # a spreadsheet, bundle or training pack dropped here is imported (window/drops)
        self.menus = WindowMenus(self, self.window_actions)
        self.file_menu, self.edit_menu = self.menus.file, self.menus.edit

        store.subscribe(self._on_store_changed)
        notifier().changed.connect(self.retranslate)
        self.district_model.modelReset.connect(self._sync_switcher)
        self.undo_group.indexChanged.connect(lambda _index: self._update_undo_texts())
        self.backups = state.Backups(store, settings, self.tell, self.show_error, self)

        self.retranslate()
        state.restore_geometry(self, settings)
        self.set_current_district(state.district_to_open(store, settings))
        self.show_area(state.area_to_open(settings, self._district_id))
        self.areas.area_changed.connect(lambda key: state.remember_area(store, settings, key))

    # -- construction -----------------------------------------------------------------------

    def _name_actions(self) -> None:
        """The actions under the names the window has always had for them."""
        a = self.window_actions
        self.undo_action, self.redo_action, self.new_action = a.undo, a.redo, a.new
        self.duplicate_action, self.delete_action, self.rename_action = a.duplicate, a.delete, a.rename
        self.help_action, self.tour_action, self.present_action = a.help, a.tour, a.present
        self.area_actions = a.areas

    def _build_central(self) -> None:
        self.areas = AreaNavigation({}, self._build_page)
        self.areas.area_changed.connect(lambda _key: self._activate_stack())
        self.nav, self.pages = self.areas.nav, self.areas.pages
        self.setCentralWidget(self.areas)

    def _build_page(self, key: str) -> QWidget:
        if key == "districts":
            return self._build_districts_page()
        context = PageContext(self.store, self.settings, self._run_district_scoped_edit, self.show_error,
                              self._forget_undo_history, self.show_actor)
        page = build_page(key, context)
        page.set_district(self._district_id)  # type: ignore[attr-defined]
        return page

    def _build_districts_page(self) -> QWidget:
        """Built like the other areas' pages, when first shown: the window opens on the area used last."""
        from ssd_starter.ui.districts.page import DistrictsPage

        page = DistrictsPage(self.store, self.district_model, self.undo.run_district_edit)
        page.current_changed.connect(self.set_current_district)
        page.create_requested.connect(self.new_district)
        page.demo_requested.connect(self.open_demo)
        page.duplicate_requested.connect(self.duplicate_current)
        page.delete_requested.connect(self.delete_current)
        page.edit_failed.connect(self.show_error)
        page.select(self._district_id)
        return page

    @property
    def districts_page(self) -> DistrictsPage:
        return self.areas.page("districts")  # type: ignore[return-value]

    def _build_status_bar(self) -> None:
        self.saved_label = QLabel()
        self.statusBar().addPermanentWidget(self.saved_label)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self, _language: str | None = None) -> None:
        self.setWindowTitle(APP_NAME)
        self.menus.retranslate()
        self.window_actions.retranslate()
        self._update_undo_texts()
        self.toolbar.retranslate()
        self.areas.retranslate()
        if not self.areas.is_built("districts"):
            self.district_model.retranslate()  # the switcher's tooltips (the page tells the model when it is there)
        self._update_saved_label(self._saved_at)
        self.statusBar().clearMessage()  # a passing message was in the language before: it would stay so

    def _update_undo_texts(self) -> None:
        self.window_actions.update_undo_texts(self.undo_group)

    def _update_saved_label(self, when: Any = None) -> None:
        self._saved_at = when
        if self.store.read_only:
            self.saved_label.setText(_("Read-only: changes cannot be saved"))
        elif when is None:
            self.saved_label.setText(_("All changes are saved automatically"))
        else:
            self.saved_label.setText(_("All changes saved ({time})").format(
                time=format_datetime(when, style="short")))

    # -- the current district and area -------------------------------------------------------

    @property
    def current_district_id(self) -> str | None:
        return self._district_id

    def set_current_district(self, district_id: str | None) -> None:
        self._district_id = district_id
        if district_id:
            self.undo.add_district(district_id)
        if self.areas.is_built("districts"):
            self.districts_page.select(district_id)
        for page in self.areas.built_pages():
            page.set_district(district_id)  # type: ignore[attr-defined]
        self._sync_switcher()
        self._activate_stack()
        state.remember_district(self.store, self.settings, district_id)
        self.window_actions.set_district_actions_enabled(district_id is not None)

    def _sync_switcher(self) -> None:
        self.toolbar.show_district(self._district_id)

    def _activate_stack(self) -> None:
        """Undo acts on what is in view: district management on the Districts page, else the district's edits."""
        stack = self.undo.activate(None if self.current_area() == "districts" else self._district_id)
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        self._update_undo_texts()

    def current_area(self) -> str:
        return self.areas.current()

    def show_area(self, key: str) -> None:
        self.areas.show_area(key)

    def _run_district_scoped_edit(self, edit: EditSource, text: str, merge_key: str | None = None) -> bool:
        """Edits inside the current district go on that district's own undo stack."""
        return self.undo.run_in(self._district_id, edit, text, merge_key)

    @property
    def map_page(self) -> MapPage:
        return self.areas.page("map")  # type: ignore[return-value]

    @property
    def charter_page(self) -> CharterPage:
        return self.areas.page("charter")  # type: ignore[return-value]

    @property
    def canvas_page(self) -> CanvasPage:
        return self.areas.page("canvas")  # type: ignore[return-value]

    @property
    def sync_page(self) -> SyncPage:
        return self.areas.page("sync")  # type: ignore[return-value]

    @property
    def review_page(self) -> ReviewPage:
        return self.areas.page("review")  # type: ignore[return-value]

    @property
    def dossier_page(self) -> DossierPage:
        return self.areas.page("dossier")  # type: ignore[return-value]

    @property
    def training_page(self) -> TrainingPage:
        return self.areas.page("training")  # type: ignore[return-value]

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
        self.undo.forget_all()
        self.tell(_("Personal data erased. The undo history was cleared."), 10000)

    # -- districts (ui/window/district_commands.py) ------------------------------------------

    def ask_new_district(self) -> dict[str, Any] | None:
        dialog = NewDistrictDialog(self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def focus_district_name(self, *, select: bool = False) -> None:
        name_edit = self.districts_page.form.name_edit
        name_edit.setFocus()
        if select:
            name_edit.selectAll()

    def new_district(self) -> None:
        self.commands.new_district()

    def duplicate_current(self) -> None:
        self.commands.duplicate_current()

    def delete_current(self) -> None:
        self.commands.delete_current()

    def focus_rename(self) -> None:
        self.commands.focus_rename()

    def open_demo(self) -> None:
        self.commands.open_demo()

    # -- the rest of the menus -----------------------------------------------------------------

    def backup_now(self) -> None:
        self.backups.now()

    def daily_backup(self) -> None:
        self.backups.daily()

    def set_language(self, language: str) -> None:
        chosen = notifier().set_language(language)
        self.settings.set("language", chosen)

    def show_help(self) -> None:
        from ssd_starter.ui.help import open_help

        self.help_dialog = open_help(self, self.current_area())

    def show_shortcuts(self) -> None:
        from ssd_starter.ui.shortcuts import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # not modal: it can stay beside the window while the keys are tried

    def start_tour(self) -> None:
        from ssd_starter.ui.help import Tour

        self.tour = Tour.start(self)

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
        from ssd_starter.ui.about import AboutDialog

        AboutDialog(self).exec()

    def show_error(self, error: UserError) -> None:
        self.tell(error.message(), 10000)
        QMessageBox.warning(self, APP_NAME, error.message())

    def tell(self, message: str, timeout: int) -> None:
        """A passing word in the status bar."""
        self.statusBar().showMessage(message, timeout)

    # -- events -----------------------------------------------------------------------------

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

    # -- files dropped on the window --------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if drops.dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = drops.dropped_files(event.mimeData())
        if not paths:
            return
        event.acceptProposedAction()
        problem = drops.import_dropped(paths, self._district_id is not None, {
            drops.Dropped.SPREADSHEET: self._import_spreadsheet,
            drops.Dropped.BUNDLE: self._import_bundle,
            drops.Dropped.TRAINING_PACK: self._import_training_pack})
        if problem is not None:
            self.show_error(problem)

    def _import_spreadsheet(self, path: Path) -> None:
        self.show_area("map")
        self.map_page.bar.import_file(path)

    def _import_bundle(self, path: Path) -> None:
        self.show_area("sync")
        self.sync_page.bundles.import_bundle_from(path)

    def _import_training_pack(self, path: Path) -> None:
        self.show_area("training")
        self.training_page.library.import_pack_file(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        typing_buffer().flush()  # what was typed in the last second
        state.save_geometry(self, self.settings)
        self.backups.stop()
        # The store outlives the window (tests, read-only reopen): nothing of the window may stay subscribed.
        self.store.unsubscribe(self._on_store_changed)
        if self.areas.is_built("districts"):
            self.districts_page.detach()
        for page in self.areas.built_pages():
            page.detach()  # type: ignore[attr-defined]
        self.district_model.detach()
        super().closeEvent(event)
