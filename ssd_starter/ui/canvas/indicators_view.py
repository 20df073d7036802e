"""Self-sufficiency indicators as a traffic-light table: value, editable target, and (when a scenario is
chosen) the scenario's value with the difference coloured by whether it helps reach the target."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import TypedDict

from PySide6.QtCore import QLocale, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.indicators import (
    AT_LEAST,
    INDICATORS,
    STATUS_LABELS,
    FlowIndicators,
    Indicator,
    IndicatorInfo,
    Target,
    format_value,
    shown_value,
    status,
)
from ssd_starter.i18n import _, format_number, format_percent, ngettext

LIGHTS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
BETTER, WORSE = "#d7f0d8", "#f7d6d6"


def title_with_explanation(title: str, explanation: str = "") -> str:
    html = f"<b>{escape(title)}</b>"
    return html + f"<br><span style='color:#555'>{escape(explanation)}</span>" if explanation else html


def status_text(light: str) -> str:
    return _(STATUS_LABELS[light])


class IndicatorRow(TypedDict):
    """The widgets of one indicator's line."""

    light: QLabel
    title: QLabel
    value: QLabel
    target: QDoubleSpinBox
    scenario: QLabel
    difference: QLabel


class IndicatorsView(QWidget):
    """``on_target(key, Target)`` is called when the promoter edits a target."""

    def __init__(self, on_target: Callable[[str, Target], None], parent: QWidget | None = None, *,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self._on_target = on_target
        self._compact = compact  # explanations in tooltips only, to leave room for the scenario
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("sectionTitle")
        grid_box = QWidget()
        self.grid = QGridLayout(grid_box)
        self.grid.setHorizontalSpacing(8 if compact else 12)
        self.grid.setVerticalSpacing(6)
        self.headers = [QLabel() for _ in range(5)]
        for column, header in enumerate(self.headers, start=1):
            header.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(header, 0, column)
        self.rows: dict[str, IndicatorRow] = {}
        for row, info in enumerate(INDICATORS, start=1):
            light = QLabel()
            light.setFixedSize(18, 18)
            title = QLabel()
            title.setWordWrap(True)
            title.setTextFormat(Qt.TextFormat.RichText)
            title.setMinimumWidth(150 if compact else 240)  # wrapped: the scenario's column stays in sight
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bigger = value.font()
            bigger.setPointSizeF(bigger.pointSizeF() * 1.3)  # relative to the system font the user chose
            bigger.setBold(True)
            value.setFont(bigger)
            target = QDoubleSpinBox()
            target.setDecimals(0 if info.unit in ("share", "count") else 2)  # a head count is whole: "≥ 1", never "≥ 1.00"
            target.setRange(0, 100 if info.unit == "share" else (3 if info.unit == "multiplier" else 10_000))
            target.setSingleStep(5 if info.unit == "share" else 0.05 if info.unit != "count" else 1)
            target.valueChanged.connect(lambda v, k=info.key: self._target_edited(k, v))
            scenario = QLabel()
            scenario.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            difference = QLabel()
            difference.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, widget in enumerate((light, title, value, target, scenario, difference)):
                self.grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignVCenter)
            self.rows[info.key] = {"light": light, "title": title, "value": value, "target": target,
                                   "scenario": scenario, "difference": difference}
        self.grid.setColumnStretch(1, 1)
        # what the money indicators rest on, in words: the one base of purchases and leakage, LM3's rounds
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setVisible(not compact)
        self.grid.addWidget(self.notes, len(INDICATORS) + 1, 0, 1, 6)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_box)
        # purchases inside and leakage on their one base, in one sentence, where the eye starts
        self.base = QLabel()
        self.base.setWordWrap(True)
        self.base.setVisible(not compact)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.base)
        layout.addWidget(scroll, 1)
        self._result: FlowIndicators | None = None
        self._scenario: FlowIndicators | None = None
        self._targets: dict[str, Target] = {}
        self._scenario_name = ""

    def retranslate(self) -> None:
        for widgets in self.rows.values():
            widgets["target"].setLocale(QLocale())  # decimal comma in Italian and German
        for header, text in zip(self.headers, (_("Indicator"), _("Value"), _("Target"), _("Scenario"),
                                               _("Difference")), strict=True):
            header.setText(text)
        if self._result is not None:
            self.show(self._result, self._targets, self._scenario, self._scenario_name)

    def show(self, result: FlowIndicators, targets: Mapping[str, Target],  # type: ignore[override]
             scenario: FlowIndicators | None = None, scenario_name: str = "") -> None:
        self._result, self._targets, self._scenario = result, dict(targets), scenario
        self._scenario_name = scenario_name
        lights: dict[str, str] = {}
        for info in INDICATORS:
            widgets = self.rows[info.key]
            indicator = result[info.key]
            target = targets[info.key]
            light = lights[info.key] = status(indicator, target)
            widgets["light"].setStyleSheet(f"background: {LIGHTS[light]}; border-radius: 9px;")
            widgets["light"].setToolTip(status_text(light))
            widgets["light"].setAccessibleName(status_text(light))
            formula = _("Formula: {formula}").format(formula=_(info.formula))
            if self._compact:
                widgets["title"].setText(title_with_explanation(_(info.title)))
                widgets["title"].setToolTip(f"{_(info.explanation)}\n\n{formula}")
            else:
                widgets["title"].setText(title_with_explanation(_(info.title), _(info.explanation)))
                widgets["title"].setToolTip(formula)
            widgets["value"].setText(format_value(info, indicator.value))
            spin = widgets["target"]
            spin.setAccessibleName(_("Target: {indicator}").format(indicator=_(info.title)))
            with QSignalBlocker(spin):
                spin.setPrefix("≥ " if target.comparison == AT_LEAST else "≤ ")
                spin.setSuffix(" %" if info.unit == "share" else "")
                spin.setValue(target.value * 100 if info.unit == "share" else target.value)
            self._show_scenario(info, indicator, target, scenario)
        for column in (4, 5):
            self.headers[column - 1].setVisible(scenario is not None)
        self.headers[3].setText(_("Scenario"))
        met = sum(1 for light in lights.values() if light == "green")
        missed = [_(info.title) for info in INDICATORS if lights[info.key] == "red"]
        text = ngettext("The district meets {met} of {count} target.", "The district meets {met} of {count} targets.",
                        len(INDICATORS)).format(met=met, count=len(INDICATORS))
        if scenario is not None:
            scenario_met = sum(1 for info in INDICATORS if status(scenario[info.key], targets[info.key]) == "green")
            text += " " + _("With “{name}”: {met}.").format(name=scenario_name, met=scenario_met)
        elif missed:
            text += " " + _("Not met: {names}.").format(names=", ".join(missed))
        self.summary.setText(text)
        if not self._compact:
            from ssd_starter.core.summary import lm3_texts, spending_text

            self.base.setText(spending_text(result))
            self.notes.setText("".join(f"<p>{escape(line)}</p>" for line in lm3_texts(result)))

    def _show_scenario(self, info: IndicatorInfo, indicator: Indicator, target: Target,
                       scenario: FlowIndicators | None) -> None:
        widgets = self.rows[info.key]
        widgets["scenario"].setVisible(scenario is not None)
        widgets["difference"].setVisible(scenario is not None)
        if scenario is None:
            return
        other = scenario[info.key]
        widgets["scenario"].setText(format_value(info, other.value))
        difference = widgets["difference"]
        if other.value is None or indicator.value is None:
            difference.setText("=" if other.value == indicator.value else "—")
            difference.setStyleSheet("")
            return
        # the difference of the two values as shown (0.14 − 0.13 is 0.01, whatever their third decimals)
        delta = round(shown_value(info, other.value) - shown_value(info, indicator.value), 6)
        if abs(delta) < 1e-9:
            difference.setText("=")
            difference.setStyleSheet("")
            difference.setToolTip("")
            return
        sign = "+" if delta > 0 else "−"
        shown = format_percent(abs(delta)) if info.unit == "share" else format_number(abs(delta))
        difference.setText(f"{sign}{shown}")
        better = delta > 0 if target.comparison == AT_LEAST else delta < 0
        difference.setStyleSheet(f"background: {BETTER if better else WORSE}; padding: 2px 4px;")
        difference.setToolTip(_("better for the target") if better else _("worse for the target"))

    def _target_edited(self, key: str, shown: float) -> None:
        info = next(i for i in INDICATORS if i.key == key)
        value = shown / 100 if info.unit == "share" else shown
        self._on_target(key, Target(self._targets[key].comparison, value))

    def statuses(self) -> dict[str, str]:
        """The current light of each indicator (for tests and the dossier)."""
        assert self._result is not None
        return {info.key: status(self._result[info.key], self._targets[info.key]) for info in INDICATORS}
