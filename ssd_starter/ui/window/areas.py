"""The areas of the window and the navigation between them: a list on the left, the pages in a stack beside
it. Every page, the Districts one too, is built when first opened: their widgets and modules would slow the
window's start (it opens on the area used last)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from ssd_starter.i18n import N_, _


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # N_-marked
    purpose: str  # N_-marked; the area's tooltip in the navigation


AREAS = (
    Area("districts", N_("Districts"), ""),
    Area("map", N_("Actor map"),
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
    Area("sync", N_("Sync"),
         N_("Signed dossier bundles for USB or e-mail, sync with the Centre for the Solidarity Economy "
            "and the advisors' comments.")),
    Area("review", N_("Centre review"),
         N_("For the Centre's advisors: the queue of submissions, each district read with its dossier, "
            "comment threads, decisions, and the districts' indicators side by side.")),
)
LAZY_AREAS = tuple(area.key for area in AREAS if area.key != "districts")


class _NotBuiltYet(QWidget):
    """Stands in the page stack for a page that is built when first opened."""

    def retranslate(self) -> None:
        pass


class AreaNavigation(QWidget):
    """The area list and the page stack. ``build(key)`` makes a lazy area's page the first time it is needed."""

    area_changed = Signal(str)

    def __init__(self, first_pages: Mapping[str, QWidget], build: Callable[[str], QWidget],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.nav = QListWidget()
        self.nav.setObjectName("areaNav")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = QStackedWidget()
        self._pages: dict[str, QWidget] = {area.key: first_pages.get(area.key) or _NotBuiltYet() for area in AREAS}
        for area in AREAS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self.nav.addItem(item)
            self.pages.addWidget(self._pages[area.key])
        self.nav.currentRowChanged.connect(self._on_row_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)

    def current(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "districts"

    def show_area(self, key: str) -> None:
        for row, area in enumerate(AREAS):
            if area.key == key:
                self.nav.setCurrentRow(row)

    def page(self, key: str) -> QWidget:
        """The area's page, built now if this is its first use."""
        placeholder = self._pages[key]
        if not isinstance(placeholder, _NotBuiltYet):
            return placeholder
        page = self._build(key)
        self.pages.insertWidget(self.pages.indexOf(placeholder), page)
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        self._pages[key] = page
        return page

    def is_built(self, key: str) -> bool:
        return not isinstance(self._pages[key], _NotBuiltYet)

    def built_pages(self) -> list[QWidget]:
        """The lazy areas' pages built so far."""
        return [self._pages[key] for key in LAZY_AREAS if not isinstance(self._pages[key], _NotBuiltYet)]

    def retranslate(self) -> None:
        self.nav.setAccessibleName(_("Areas"))
        for row, area in enumerate(AREAS):
            self.nav.item(row).setText(_(area.title))
            self.nav.item(row).setToolTip(_(area.purpose) if area.purpose else "")
        self.nav.setFixedWidth(max(200, self.nav.sizeHintForColumn(0) + 28))  # German titles are long
        for page in self._pages.values():
            page.retranslate()  # type: ignore[attr-defined]

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = AREAS[row].key
        self.pages.setCurrentWidget(self.page(key))
        self.area_changed.emit(key)
