"""The form of the selected district: its title, a one-line summary and the three boxes that edit it.

A ``DistrictPage``: it reads the district when first shown and when another one is chosen, and hears edits
in that district only: the district's own row refills the form, its actors and relations only the counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ssd_starter.core.errors import NotFound
from ssd_starter.core.models import District
from ssd_starter.core.vocabulary import DistrictKind
from ssd_starter.i18n import _, format_number, ngettext
from ssd_starter.store import Change, Store
from ssd_starter.store.districts import count_rows, get_district
from ssd_starter.ui.district_page import DistrictPage
from ssd_starter.ui.districts.panels import GeneralPanel, SectorsPanel, TerritoryPanel
from ssd_starter.ui.review_threads import ReviewStateLabel


class DistrictForm(DistrictPage):
    """Edits one district's properties; asks the page to run each change as an undoable edit."""

    TABLES = frozenset({"district", "stakeholder", "relation"})  # the form's fields and the summary's counts

    edit_requested = Signal(str, dict, str, str)  # district id, fields, undo text, merge key

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self._district: District | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)  # a long name on two lines: unwrapped, it made the page scroll sideways
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.review_state = ReviewStateLabel(store)  # the Centre's answer to its latest submission, if any
        self.general = GeneralPanel()
        self.sectors = SectorsPanel()
        self.territory = TerritoryPanel()
        # The window focuses the name (F2, after New) and tests fill the fields: the fields by their old names.
        self.name_edit = self.general.name_edit
        self.name_hint = self.general.name_hint
        self.kind_combo = self.general.kind_combo
        self.sector_list = self.sectors.sector_list
        self.municipality_edit = self.territory.municipality_edit
        self.municipality_list = self.territory.municipality_list

        lower = QHBoxLayout()
        lower.addWidget(self.sectors, 3)
        lower.addWidget(self.territory, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.review_state)
        layout.addWidget(self.general)
        layout.addLayout(lower, 1)
        for panel in (self.general, self.sectors, self.territory):
            panel.edit_requested.connect(self._request)
        self.retranslate()

    # -- binding ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        self.show_stored()

    def show_stored(self) -> None:
        """Read the district again and show it as stored (also after an edit was refused)."""
        try:
            self._district = get_district(self._store, self.district_id) if self.district_id else None
        except NotFound:  # deleted; the window chooses another district
            self._district = None
        self.setEnabled(self._district is not None)
        self.review_state.set_district(self._district.id if self._district is not None else None)
        if self._district is not None:
            for panel in (self.general, self.sectors, self.territory):
                panel.show_district(self._district)
        self._update_texts()

    def _on_changes(self, changes: list[Change]) -> None:
        if any(change.table == "district" for change in changes):
            self.show_stored()
        else:  # actors or relations: only the counts in the summary change
            self._update_texts()

    # -- texts ------------------------------------------------------------------------------

    def _update_texts(self) -> None:
        district = self._district
        if district is None:
            self.title.setText(_("No district selected"))
            self.summary.setText("")
            return
        self.title.setText(district.name)
        self.summary.setText(" · ".join([DistrictKind(district.kind).label, *self._counts(district)]))

    def _counts(self, district: District) -> list[str]:
        counts = count_rows(self._store, district.id)
        places = len(district.municipalities)
        return [
            ngettext("{count} actor", "{count} actors", counts["stakeholders"]).format(
                count=format_number(counts["stakeholders"])),
            ngettext("{count} relation", "{count} relations", counts["relations"]).format(
                count=format_number(counts["relations"])),
            ngettext("{count} municipality", "{count} municipalities", places).format(
                count=format_number(places)),
        ]

    def retranslate(self) -> None:
        for panel in (self.general, self.sectors, self.territory):
            panel.retranslate()
        self._update_texts()

    # -- edits ------------------------------------------------------------------------------

    def _request(self, fields: dict[str, Any], text: str, merge_key: str) -> None:
        if self._district is not None:
            self.edit_requested.emit(self._district.id, fields, text, merge_key)
