"""The module library tab: the shipped and imported packs' modules, the chosen one described, a pack import,
and the chosen module on the projector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import Module, warnings_text
from ssd_starter.i18n import _, current_language, ngettext
from ssd_starter.store import Store
from ssd_starter.store.training import install_pack
from ssd_starter.ui.row_model import IdRole, RecordRole
from ssd_starter.ui.training.modules import ModuleListModel, module_html


class LibraryPanel(QWidget):
    present_module = Signal(object)  # the chosen Module, for the page to put on the projector

    def __init__(self, store: Store, on_error: Callable[[UserError], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_error = on_error
        self.last_import_text = ""  # what the last import said, warnings included
        self.model = ModuleListModel(store, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.selectionModel().currentChanged.connect(lambda _now, _before: self._show_module())
        self.view = QTextBrowser()
        self.import_button = QPushButton()
        self.present_button = QPushButton()
        self.import_button.clicked.connect(self.import_pack)
        self.present_button.clicked.connect(self._present)
        self._build_layout()

    def _build_layout(self) -> None:
        left_box, right_box = QWidget(), QWidget()
        left = QVBoxLayout(left_box)
        left.addWidget(self.list, 1)
        left.addWidget(self.import_button)
        right = QVBoxLayout(right_box)
        right.addWidget(self.view, 1)
        right.addWidget(self.present_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter()
        splitter.addWidget(left_box)
        splitter.addWidget(right_box)
        splitter.setSizes([320, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def retranslate(self) -> None:
        self.import_button.setText(_("Import pack…"))
        self.present_button.setText(_("Present this module"))
        self.list.setAccessibleName(_("Modules"))
        self.view.setAccessibleName(_("The chosen module"))
        self.model.retranslate()
        self._show_module()

    # -- the library ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the packs again, keeping the chosen module (the first one when none was chosen)."""
        current = self.list.currentIndex().data(IdRole)
        self.model.reload()
        row = self.model.row_by_id(current) if current else -1
        row = row if row >= 0 else self.model.first_module_row()
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))
        self._show_module()

    def selected_module(self) -> Module | None:
        record = self.list.currentIndex().data(RecordRole)
        return record["module"] if record else None

    def _show_module(self) -> None:
        module = self.selected_module()
        self.present_button.setEnabled(module is not None)
        if self.model.error is not None:  # said in place: a dialog here would stop the window from opening
            self.view.setPlainText(self.model.error.message())
        elif module is None:
            self.view.clear()
        else:
            self.view.setHtml(module_html(module))

    def _present(self) -> None:
        module = self.selected_module()
        if module is not None:
            self.present_module.emit(module)

    # -- import ---------------------------------------------------------------------------------

    def import_pack(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import a training pack"), "",
                                                    _("Training packs (*.ssdpack *.zip)"))
        if path:
            self.import_pack_file(Path(path))

    def import_pack_file(self, path: Path) -> bool:
        try:
            pack = install_pack(path)
        except UserError as exc:
            self._on_error(exc)
            return False
        self.reload()
        installed = ngettext(
            "Installed {title} {version}: {count} module.", "Installed {title} {version}: {count} modules.",
            len(pack.modules)).format(title=pack.title[current_language()], version=pack.version,
                                      count=len(pack.modules))
        self.last_import_text = "\n\n".join(part for part in (installed, warnings_text(pack.warnings)) if part)
        QMessageBox.information(self, _("Training pack"), self.last_import_text)
        return True
