"""The Training area: the module library (shipped and imported packs), and workshops — plan, participants
and attendance, exercises and answers, results, proposals for the map and canvas, certificates — with a
full-screen workshop mode for the projector.

The page binds to the district and puts slides on the projector; each tab is its own panel
(``library.LibraryPanel``, ``workshops.WorkshopsPanel`` and the workshop's tabs) with its own models."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.core.training import Module
from ssd_starter.i18n import N_, _, current_language
from ssd_starter.store import Change, Store
from ssd_starter.ui.district_page import DistrictPage
from ssd_starter.ui.training.library import LibraryPanel
from ssd_starter.ui.training.workshops import WorkshopsPanel

if TYPE_CHECKING:
    from ssd_starter.ui.training.presenter import PresenterWindow

RunEdit = Callable[..., bool]
LIBRARY, WORKSHOPS = range(2)


class TrainingPage(DistrictPage):
    # The lists (workshops, participants, proposals, actors) follow their own tables row by row; the page hears
    # only the tables of the cells beside the participants: ticks of attendance and answers.
    TABLES = frozenset({"attendance", "answer"})

    def __init__(self, store: Store, run_edit: RunEdit, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._on_error = on_error
        self.presenter: PresenterWindow | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.library = LibraryPanel(store, on_error)
        self.workshops = WorkshopsPanel(store, run_edit, on_error, self.library.model)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.library, "")
        self.tabs.addTab(self.workshops, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.tabs, 1)
        self.library.present_module.connect(self.present_module)
        self.workshops.present_button.clicked.connect(self.present)
        QShortcut(QKeySequence("F5"), self, self.present)
        self.library.reload()  # the packs are files, not the district's: read once the page is built
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Training"))
        self.tabs.setTabText(LIBRARY, _("Module library"))
        self.tabs.setTabText(WORKSHOPS, _("Workshops"))
        self.library.retranslate()
        self.workshops.retranslate()

    # -- binding ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.workshops.set_district(self._district_id)

    def _on_changes(self, changes: list[Change]) -> None:
        self.workshops.on_changes(changes)

    def detach(self) -> None:
        super().detach()
        self.close_presenter()
        self.library.model.detach()
        self.workshops.detach()

    # -- workshop mode ------------------------------------------------------------------------

    def present(self) -> None:
        """F5: the chosen module from the library, the workshop's modules from the workshops."""
        workshop = self.workshops.current_workshop()
        if self.tabs.currentIndex() == LIBRARY or workshop is None:
            self.present_selected_module()
            return
        modules = self.library.model.modules()
        self._start_presenter([modules[m] for m in workshop["module_ids"] if m in modules], workshop["title"])

    def present_selected_module(self) -> None:
        module = self.library.selected_module()
        if module is not None:
            self.present_module(module)

    def present_module(self, module: Module) -> None:
        self._start_presenter([module], module.title[current_language()])

    def _start_presenter(self, chosen: list[Module], title: str) -> None:
        from ssd_starter.ui.training.presenter import PresenterWindow

        if not chosen:
            self._on_error(UserError(N_("Choose at least one module for the workshop first.")))
            return
        self.close_presenter()  # pressing F5 again starts over, it does not leave a second window behind
        self.presenter = PresenterWindow(chosen, current_language(), self.library.model.images(), title)
        self.presenter.start()

    def close_presenter(self) -> None:
        if self.presenter is not None:
            self.presenter.close()
            self.presenter.deleteLater()
            self.presenter = None
