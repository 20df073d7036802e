"""The indicators over the years: one small chart per indicator (small multiples on one scale each), its target
as a dashed line, and a button that keeps today's values. The history is taken once a year by itself, the
first time the indicators are looked at in that year."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ssd_starter.core.indicators import (
    AT_LEAST,
    COUNT,
    INDEX,
    INDICATORS,
    MULTIPLIER,
    IndicatorInfo,
    Target,
    format_value,
)
from ssd_starter.core.summary import Snapshot
from ssd_starter.i18n import _, format_date, format_number, format_percent
from ssd_starter.ui.canvas.indicators_view import LIGHTS

COLUMNS = 5  # ten indicators in two rows: all of them on a 1366-pixel screen at once (fewer on a narrow one)
LINE = "#1f5fa8"


def axis_of(info: IndicatorInfo, values: Sequence[float | None], target: Target | None) -> tuple[float, float]:
    """The same scale for every year of one indicator, so a line that rises means the value rose."""
    if info.unit == MULTIPLIER:
        return 1.0, 3.0
    if info.unit == COUNT:
        highest = max([v for v in values if v is not None] + [target.value if target else 0.0, 1.0])
        return 0.0, highest * 1.15
    return 0.0, 1.0  # shares and the Herfindahl index


class TrendChart(QWidget):
    """One indicator's values over the snapshots: a line on its own fixed scale and the target dashed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(150, 90))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.info: IndicatorInfo | None = None
        self.points: list[tuple[Snapshot, float | None]] = []
        self.target: Target | None = None

    def set_data(self, info: IndicatorInfo, points: list[tuple[Snapshot, float | None]],
                 target: Target | None) -> None:
        self.info, self.points, self.target = info, points, target
        self.setAccessibleName(_(info.title))
        self.setToolTip("\n".join(f"{format_date(s.on)}: {format_value(info, v)}" for s, v in points))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self.info is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        low, high = axis_of(self.info, [v for _s, v in self.points], self.target)
        # the scale's two ends, as numbers left of the frame (the widest decides the margin)
        ends = (format_value(self.info, high) if self.info.unit != COUNT else format_number(round(high)),
                format_value(self.info, low))
        margin = max(painter.fontMetrics().horizontalAdvance(text) for text in ends) + 6
        area = QRectF(self.rect()).adjusted(margin + 4, 6, -6, -6)
        painter.setPen(QColor("#555555"))
        height = painter.fontMetrics().height()
        painter.drawText(QRectF(0, area.top() - 2, margin, height), Qt.AlignmentFlag.AlignRight, ends[0])
        painter.drawText(QRectF(0, area.bottom() - height + 2, margin, height), Qt.AlignmentFlag.AlignRight,
                         ends[1])
        painter.setPen(QPen(QColor("#c8ccd4"), 1))
        painter.drawRect(area)

        def y_of(value: float) -> float:
            share = (min(max(value, low), high) - low) / ((high - low) or 1.0)
            return area.bottom() - share * area.height()

        if self.target is not None:
            dashed = QPen(QColor(LIGHTS["amber"]), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(dashed)
            y = y_of(self.target.value)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        count = len(self.points)
        step = area.width() / max(count - 1, 1)
        spots = [QPointF(area.left() + (n * step if count > 1 else area.width() / 2), y_of(v))
                 for n, (_s, v) in enumerate(self.points) if v is not None]
        painter.setPen(QPen(QColor(LINE), 2))
        if len(spots) > 1:
            painter.drawPolyline(QPolygonF(spots))
        painter.setBrush(QColor(LINE))
        for spot in spots:
            painter.drawEllipse(spot, 3, 3)
        painter.end()


class TrendCell(QWidget):
    """A chart with its title above and its last value and change below, as words (nothing drawn is cut)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.chart = TrendChart()
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.caption)

    def show_trend(self, info: IndicatorInfo, history: Sequence[Snapshot], target: Target | None) -> None:
        points = [(s, s.values.get(info.key)) for s in history]
        self.title.setText(_(info.title))
        self.chart.set_data(info, points, target)
        known = [(s, v) for s, v in points if v is not None]
        if not known:
            self.caption.setText(_("no value kept yet"))
            return
        last_snapshot, last = known[-1]
        text = _("{value} on {date}").format(value=format_value(info, last), date=format_date(last_snapshot.on))
        if target is not None:
            sign = "≥" if target.comparison == AT_LEAST else "≤"
            goal = _("target {sign} {value}").format(sign=sign, value=format_value(info, target.value))
            text += " · " + goal.replace(f"{sign} ", f"{sign}\u00a0")  # the sign stays with its number
        if len(known) > 1:
            first_snapshot, first = known[0]
            delta = last - first
            shown = format_percent(abs(delta)) if info.unit not in (MULTIPLIER, INDEX, COUNT) else format_number(
                round(abs(delta), 2))
            text += " " + _("({sign}{change} since {date})").format(
                sign="+" if delta >= 0 else "−", change=shown, date=format_date(first_snapshot.on))
        self.caption.setText(text)


class TrendView(QWidget):
    """``on_snapshot()`` keeps today's values (the page writes it through the store)."""

    def __init__(self, on_snapshot: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.snapshot_button = QPushButton()
        self.snapshot_button.clicked.connect(on_snapshot)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setObjectName("notice")
        self.cells = {info.key: TrendCell() for info in INDICATORS}
        grid_box = QWidget()
        self.grid = QGridLayout(grid_box)
        self.grid.setSpacing(8)
        self.columns = 0
        self.grid_box = grid_box
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_box)
        self._viewport = scroll.viewport()
        self._viewport.installEventFilter(self)
        self._arrange(COLUMNS)
        bar = QHBoxLayout()
        bar.addWidget(self.intro, 1)
        bar.addWidget(self.snapshot_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self._history: tuple[Snapshot, ...] = ()
        self._targets: Mapping[str, Target] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # the event's type first: while the view is being destroyed nothing of it may be asked
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self._arrange(self._columns_for(self._viewport.width()))
        return False

    def _columns_for(self, width: int) -> int:
        """As many charts side by side as fit (five on a 1366-pixel screen, four at 1024): none is cut off."""
        cell = next(iter(self.cells.values())).minimumSizeHint().width() + self.grid.spacing()
        return max(1, min(COLUMNS, (width + self.grid.spacing()) // max(cell, 1)))

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for cell in self.cells.values():
            self.grid.removeWidget(cell)
        for n, info in enumerate(INDICATORS):
            self.grid.addWidget(self.cells[info.key], n // columns, n % columns)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def retranslate(self) -> None:
        self.intro.setText(_("The indicators over the years: they are kept once a year by themselves, the first "
                             "time you look at them in a year, and whenever you keep them. The dashed line is the "
                             "target."))
        self.snapshot_button.setText(_("Keep today's values"))
        self.snapshot_button.setToolTip(_("Keep the indicators as they are today in the district's history"))
        self.empty.setText(_("Nothing kept yet: the district needs flows before its indicators can be kept."))
        self.show_history(self._history, self._targets)

    def show_history(self, history: Sequence[Snapshot], targets: Mapping[str, Target]) -> None:
        self._history, self._targets = tuple(history), dict(targets)
        self.empty.setVisible(not history)
        self.grid_box.setVisible(bool(history))
        for info in INDICATORS:
            self.cells[info.key].show_trend(info, self._history, targets.get(info.key))
