"""The map's filters: free text, one choice per vocabulary field and the municipality. They filter the table, and
through it the network."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from ssd_starter.core.vocabulary import Attitude, Category, Role, Sector, Stage
from ssd_starter.i18n import _
from ssd_starter.ui.fitting import CurrentTextComboBox, FlowBar, fit_placeholder
from ssd_starter.ui.map.table_model import ActorFilterModel

FILTERS = (("category", Category), ("sector", Sector), ("stage", Stage), ("attitude", Attitude), ("roles", Role))


def _choice() -> QComboBox:
    # as wide as the chosen filter's words ("Alle Haltungen", a long sector): the bar takes a second row
    # rather than cut them
    return CurrentTextComboBox()


class FilterBar(FlowBar):
    def __init__(self, proxy: ActorFilterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        self._proxy = proxy
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(proxy.set_text)
        layout = self.flow
        layout.addWidget(self.search)
        self.combos: dict[str, QComboBox] = {}
        for field, enum in FILTERS:
            combo = _choice()
            combo.addItem("", None)
            for member in enum:
                combo.addItem("", member.value)
            combo.currentIndexChanged.connect(lambda _i, f=field, c=combo: proxy.set_filter(f, c.currentData()))
            self.combos[field] = combo
            layout.addWidget(combo)
        self.municipality = _choice()
        self.municipality.currentIndexChanged.connect(
            lambda _i: proxy.set_filter("municipality", self.municipality.currentData()))
        layout.addWidget(self.municipality)

    def set_municipalities(self, actors: Iterable[Mapping[str, Any]]) -> None:
        """The municipalities the actors are in, the chosen one kept if it is still there."""
        current = self.municipality.currentData()
        with QSignalBlocker(self.municipality):
            self.municipality.clear()
            self.municipality.addItem(_("All municipalities"), None)
            for name in sorted({a["municipality"] for a in actors if a["municipality"]}, key=str.casefold):
                self.municipality.addItem(name, name)
            self.municipality.setCurrentIndex(max(0, self.municipality.findData(current)))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search name, municipality, notes… (Ctrl+F)"))
        fit_placeholder(self.search)
        self.search.setAccessibleName(_("Search actors"))
        names = {"category": _("All categories"), "sector": _("All sectors"), "stage": _("All stages"),
                 "attitude": _("All attitudes"), "roles": _("All roles")}
        filters = {"category": _("Filter by category"), "sector": _("Filter by sector"),
                   "stage": _("Filter by stage"), "attitude": _("Filter by attitude"), "roles": _("Filter by role")}
        self.municipality.setAccessibleName(_("Filter by municipality"))
        if self.municipality.count():
            self.municipality.setItemText(0, _("All municipalities"))
        for field, enum in FILTERS:
            combo = self.combos[field]
            combo.setAccessibleName(filters[field])
            combo.setItemText(0, names[field])
            for row, member in enumerate(enum, start=1):
                combo.setItemText(row, member.label)
