"""The Sankey tab: what is drawn (actors, categories, kinds), which kind, the colours, today or a scenario, and the
picture's export."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from ssd_starter.core.errors import UserError
from ssd_starter.core.vocabulary import FlowKind
from ssd_starter.i18n import _
from ssd_starter.ui.canvas.sankey_view import SankeyWidget
from ssd_starter.ui.canvas.scenario_models import ChoiceModel, ScenarioListModel
from ssd_starter.ui.fitting import FlowBar, labelled
from ssd_starter.ui.row_model import RecordRole

Rows = tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]
RowsFor = Callable[[Mapping[str, Any] | None], Rows]  # the actors and flows of today (None) or of a scenario


class SankeyTab(QWidget):
    def __init__(self, scenarios: ScenarioListModel, rows_for: RowsFor, on_error: Callable[[UserError], None],
                 parent: QWidget | None = None, *, district_name: Callable[[], str] = lambda: "") -> None:
        super().__init__(parent)
        self._rows_for = rows_for
        self._district_name = district_name
        self._on_error = on_error
        self.sankey = SankeyWidget()
        self.mode = QComboBox()
        for mode in ("actor", "category", "kind"):
            self.mode.addItem("", mode)
        self.kind = QComboBox()
        self.kind.addItem("", None)
        for kind in FlowKind:
            self.kind.addItem(kind.label, kind.value)
        self.colour = QComboBox()
        self.colour.addItem("", "kind")
        self.colour.addItem("", "boundary")
        self.scenarios = ChoiceModel(scenarios, lambda: _("today (baseline)"), lambda s: s["name"], self)
        self.scenario = QComboBox()
        self.scenario.setModel(self.scenarios)
        self.export_button = QPushButton()
        self.labels = [QLabel() for _ in range(4)]
        bar = FlowBar()  # on two rows in a narrow window: no choice is cut
        for label, combo in zip(self.labels, (self.mode, self.kind, self.colour, self.scenario), strict=True):
            label.setBuddy(combo)
            bar.flow.addWidget(labelled(label, combo))
        bar.flow.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(bar)
        layout.addWidget(self.sankey, 1)
        for combo in (self.mode, self.kind, self.colour):
            combo.currentIndexChanged.connect(self._options_changed)
        self.scenario.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(self.export)

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (_("&Show"), _("&Kind"), _("&Colour by"), _("S&cenario")), strict=True):
            label.setText(text)
        for row, text in enumerate((_("actors"), _("categories"), _("categories and kinds"))):
            self.mode.setItemText(row, text)
        self.kind.setItemText(0, _("All kinds"))
        for row, kind in enumerate(FlowKind, start=1):
            self.kind.setItemText(row, kind.label)
        self.colour.setItemText(0, _("kind of flow"))
        self.colour.setItemText(1, _("inside / outside"))
        self.export_button.setText(_("Export…"))
        self.scenarios.retranslate()

    def _options_changed(self, *_args: object) -> None:
        kind = self.kind.currentData()
        self.sankey.set_options(mode=self.mode.currentData(), kinds={kind} if kind else None,
                                colour_by=self.colour.currentData())

    def refresh(self) -> None:
        """Draw today's flows, or the chosen scenario's."""
        actors, flows = self._rows_for(self.scenario.currentData(RecordRole))
        self.sankey.set_data(actors, flows)

    def picture_title(self) -> str:
        """"Resource flows: <district>", and the scenario drawn if one is."""
        district = self._district_name()
        title = _("Resource flows: {district}").format(district=district) if district else _("Resource flows")
        scenario = self.scenario.currentText() if self.scenario.currentData(RecordRole) else ""
        return title + (" · " + scenario if scenario else "")

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the Sankey diagram"), "flows.png",
                                                    _("PNG image (*.png);;SVG drawing (*.svg)"))
        if path:
            try:
                self.sankey.export(Path(path), self.picture_title())
            except UserError as exc:
                self._on_error(exc)
