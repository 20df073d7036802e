"""Power/interest grid (Mendelow): influence upwards, interest to the right, the four strategies named.
Dots take the category colours of the network (one palette, one legend), their ring the attitude. Dragging an
actor to another cell changes its scores.

Sizes follow the window: the scene keeps its 5×5 cells, as wide as the window leaves room for (a laptop's
wide screen gives the names the width), and every text and dot is sized from the scale the grid is shown
at, so names stay readable (9 pt) at 4 actors or 2,000. Each cell lists its actors in one or two columns,
a name on two lines where the cell has the lines to spare; a name still too long loses its middle, not the
end where similar names differ, and never reads like another's (the whole name in the tooltip). A cell
with more actors than lines shows their number instead, the names in its tooltip. Nothing is drawn over
anything else.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
)

from ssd_starter.core.network import QUADRANT_HEX, QUADRANT_NAMES, quadrant
from ssd_starter.core.sankey import fit_labels
from ssd_starter.core.vocabulary import (
    ATTITUDE_COLOURS,
    CATEGORY_COLOURS,
    UNKNOWN_CATEGORY_COLOUR,
    Attitude,
    Category,
)
from ssd_starter.i18n import _, ngettext

CELL = 150.0  # a cell's height in scene units; its width is CELL to MAX_WIDENING × CELL, as the view allows
MAX_WIDENING = 2.2
QUADRANT_COLOURS = {k: QColor(v) for k, v in QUADRANT_HEX.items()}
TEXT_PT = 9.0  # names, ticks and legend, on screen, whatever the grid's scale
CHIP_PX = 11.0
NAMES_IN_TOOLTIP = 40
LEGEND_PX = (120.0, 240.0)  # the legend right of the grid: as wide as its longest entry, within these pixels
MARGIN_LEFT, MARGIN_BOTTOM = 70.0, 70.0  # room for the ticks and axis titles

MoveHandler = Callable[[str, int, int], None]


def cell_of(point: QPointF, width: float = CELL) -> tuple[int, int]:
    """(influence, interest) of the cell under a scene point, clamped to 1–5 (cells ``width`` wide)."""
    interest = int(point.x() // width) + 1
    influence = 5 - int(point.y() // CELL)
    return max(1, min(5, influence)), max(1, min(5, interest))


def cell_rect(influence: int, interest: int, width: float = CELL) -> QRectF:
    return QRectF((interest - 1) * width, (5 - influence) * CELL, width, CELL)


class ActorChip(QGraphicsEllipseItem):
    def __init__(self, actor: Mapping[str, Any], diameter: float, on_moved: MoveHandler, cell_width: float) -> None:
        super().__init__(-diameter / 2, -diameter / 2, diameter, diameter)
        self.actor_id = actor["id"]
        self._on_moved = on_moved
        self._cell_width = cell_width
        self._ring = QPen(QColor(ATTITUDE_COLOURS.get(actor.get("attitude") or "", "#999999")), diameter * 0.22)
        self.setBrush(QBrush(QColor(CATEGORY_COLOURS.get(actor.get("category") or "", UNKNOWN_CATEGORY_COLOUR))))
        self.setPen(self._ring)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(actor["name"])
        self.setZValue(2)
        self.label: QGraphicsSimpleTextItem | None = None

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802 - Qt's name
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(QColor("#1a73e8"), self._ring.widthF() * 1.8) if value else self._ring)
            if self.label is not None:
                self.label.setBrush(QBrush(QColor("#1a73e8") if value else QColor("#202124")))
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        influence, interest = cell_of(self.scenePos(), self._cell_width)
        self._on_moved(self.actor_id, influence, interest)


class PowerInterestGrid(QGraphicsView):
    def __init__(self, on_moved: MoveHandler, parent=None) -> None:
        super().__init__(parent)
        self._on_moved = on_moved
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        # the whole grid always fits: it is drawn for the view's size, there is nothing to scroll to
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chips: dict[str, ActorChip] = {}
        self.counts: dict[tuple[int, int], QGraphicsEllipseItem] = {}  # cells shown as a number
        self.labels: list[QGraphicsSimpleTextItem] = []  # every text drawn, for the tests' overlap check
        self.legend_texts: list[str] = []
        self._actors: list[Mapping[str, Any]] = []
        self._scale = 0.0
        self.cell_width = CELL
        self._legend_width = 210.0  # scene units
        self._names: list[tuple[QGraphicsSimpleTextItem, str, float, int]] = []  # label, name, room, lines
        self._selected: str | None = None
        self.scene().setSceneRect(self.scene_rect())

    def scene_rect(self) -> QRectF:
        return QRectF(-MARGIN_LEFT, -10, 5 * self.cell_width + MARGIN_LEFT + self._legend_width + 20,
                      5 * CELL + MARGIN_BOTTOM + 10)

    def cells_rect(self) -> QRectF:
        """The 5×5 cells in scene units."""
        return QRectF(0, 0, 5 * self.cell_width, 5 * CELL)

    def set_actors(self, actors: Sequence[Mapping[str, Any]]) -> None:
        self._actors = list(actors)
        self._rebuild()

    def retranslate(self) -> None:
        self._rebuild()

    def _fit(self) -> tuple[float, float, float]:
        """The scale the grid is shown at, its cells' width and the legend's (scene units): the legend as wide
        as its longest entry on screen, the cells as wide as the view leaves room for at the scale its height
        allows, up to MAX_WIDENING times their height."""
        viewport = self.viewport().rect()
        width, height = max(viewport.width() - 4, 50), max(viewport.height() - 4, 50)
        legend_px = min(self._legend_pixels(), width / 3)
        fixed = MARGIN_LEFT + 20  # scene units left and right of the cells, besides the legend
        scale = max(0.05, min(height / (5 * CELL + MARGIN_BOTTOM + 10), (width - legend_px) / (5 * CELL + fixed)))
        spare = (width - legend_px) / scale - (5 * CELL + fixed)
        cell_width = CELL + max(0.0, min(spare / 5, (MAX_WIDENING - 1) * CELL))
        return scale, cell_width, legend_px / scale

    def _legend_pixels(self) -> float:
        """On screen, the width the legend's longest line takes (its headings bold), within LEGEND_PX."""
        font = QFont()
        font.setPointSizeF(TEXT_PT)
        bold = QFont(font)
        bold.setBold(True)
        present = {a.get("category") for a in self._actors}
        entries = [c.label for c in Category if c.value in present] + [a.label for a in Attitude]
        widest = max([QFontMetricsF(font).horizontalAdvance(t) + CHIP_PX + 5 for t in entries]
                     + [QFontMetricsF(bold).horizontalAdvance(t) for t in (_("Category"), _("Attitude (ring)"))])
        return max(LEGEND_PX[0], min(LEGEND_PX[1], widest + 16 + 6))

    def _font(self, scale: float, bold: bool = False, factor: float = 1.0) -> QFont:
        font = QFont()
        font.setPointSizeF(TEXT_PT * factor / scale)  # scene units that come out at TEXT_PT on screen
        font.setBold(bold)
        return font

    def _text(self, text: str, font: QFont, colour: str = "#202124") -> QGraphicsSimpleTextItem:
        item = self.scene().addSimpleText(text, font)
        item.setBrush(QBrush(QColor(colour)))
        item.setZValue(3)
        self.labels.append(item)
        return item

    def _rebuild(self) -> None:
        scale, self.cell_width, self._legend_width = self._fit()
        self._scale = scale
        scene = self.scene()
        scene.clear()
        self.chips, self.counts, self.labels, self.legend_texts, self._names = {}, {}, [], [], []
        font, bold = self._font(scale), self._font(scale, bold=True, factor=1.1)
        metrics = QFontMetricsF(font)
        line = metrics.height() * 1.15
        for influence in range(1, 6):
            for interest in range(1, 6):
                cell = QGraphicsRectItem(cell_rect(influence, interest, self.cell_width))
                cell.setBrush(QBrush(QUADRANT_COLOURS[quadrant(influence, interest)]))
                cell.setPen(QPen(QColor("#d0d4da"), 1 / scale))
                scene.addItem(cell)
        header = QFontMetricsF(bold).height() * 1.1  # the strategy's name heads the top cells of its quadrant
        for key, (col, row) in {"keep_satisfied": (0, 0), "manage_closely": (3, 0), "monitor": (0, 3),
                                "keep_informed": (3, 3)}.items():
            title = self._text(_(QUADRANT_NAMES[key]), bold, "#5f6368")
            width = (3 if col == 0 else 2) * self.cell_width
            title.setText(QFontMetricsF(bold).elidedText(_(QUADRANT_NAMES[key]), Qt.TextElideMode.ElideRight,
                                                         width - 8 / scale))
            title.setPos(col * self.cell_width + 4 / scale, row * CELL + 2 / scale)
        self._axes(font, metrics)
        by_cell: dict[tuple[int, int], list[Mapping[str, Any]]] = {}
        for actor in sorted(self._actors, key=lambda a: a["name"].casefold()):
            by_cell.setdefault((actor["influence"], actor["interest"]), []).append(actor)
        for (influence, interest), actors in by_cell.items():
            top_of_quadrant = (5 - influence) in (0, 3)
            self._fill_cell(influence, interest, actors, font, metrics, line, header if top_of_quadrant else 0.0)
        self._tell_apart(metrics)
        self._legend(font, metrics, line)
        scene.setSceneRect(self.scene_rect())
        self.setTransform(self.transform().fromScale(scale, scale))
        self.centerOn(self.scene_rect().center())
        if self._selected:
            self.select(self._selected)

    def _axes(self, font: QFont, metrics: QFontMetricsF) -> None:
        """Ticks 1–5 under and left of the cells, the axis titles a line beyond them: never on a tick."""
        scale = self._scale
        gap = 4 / scale
        needed = 2 * metrics.height() + 3 * gap
        if needed > MARGIN_BOTTOM - 2:  # a very small grid: smaller axis text rather than text past the edge
            font = QFont(font)
            font.setPointSizeF(font.pointSizeF() * (MARGIN_BOTTOM - 2 - 3 * gap) / (2 * metrics.height()))
            metrics = QFontMetricsF(font)
        for n in range(1, 6):
            tick = self._text(str(n), font, "#5f6368")
            tick.setPos((n - 0.5) * self.cell_width - metrics.horizontalAdvance(str(n)) / 2, 5 * CELL + gap)
            tick = self._text(str(n), font, "#5f6368")
            tick.setPos(-gap - metrics.horizontalAdvance(str(n)), (5 - n + 0.5) * CELL - metrics.height() / 2)
        x_title = self._text(_("Interest →"), font)
        x_title.setPos(2.5 * self.cell_width - metrics.horizontalAdvance(x_title.text()) / 2,
                       5 * CELL + 2 * gap + metrics.height())
        y_title = self._text(_("Influence →"), font)
        y_title.setRotation(-90)
        widest_tick = metrics.horizontalAdvance("5")
        y_title.setPos(-2 * gap - widest_tick - metrics.height() * 1.2,
                       2.5 * CELL + metrics.horizontalAdvance(y_title.text()) / 2)

    def _fill_cell(self, influence: int, interest: int, actors: Sequence[Mapping[str, Any]], font: QFont,
                   metrics: QFontMetricsF, line: float, header: float) -> None:
        scale = self._scale
        rect = cell_rect(influence, interest, self.cell_width)
        pad = 4 / scale
        chip = CHIP_PX / scale
        top = rect.top() + (header + pad / 4 if header else pad)  # the heading has its own spacing
        room_down = rect.bottom() - pad / 4 - top  # a last line may come close to the cell's edge
        rows = max(0, int(room_down // line))
        single = math.ceil(metrics.height()) + 0.01  # a text item is its font's height rounded up
        tight = max(0, int(room_down // single))
        if rows < len(actors) <= tight:  # one column at single spacing beats two columns of stumps
            rows, line = tight, single
        columns = 1 if len(actors) <= rows else 2
        if rows == 0 or len(actors) > rows * 2:
            self._count(influence, interest, actors, font, metrics)
            return
        column_width = (rect.width() - 2 * pad) / columns
        room = column_width - chip - 3 / scale - pad / 2
        per_column = -(-len(actors) // columns)
        lines = 2 if 2 * per_column <= rows else 1  # two lines a name where the cell has them to spare
        names = fit_labels([actor["name"] for actor in actors], room, metrics.horizontalAdvance, lines)
        slot = 0
        for actor, name_lines in zip(actors, names, strict=True):
            column, row = divmod(slot, rows)
            if row + len(name_lines) > rows:  # a two-line name does not start on a column's last line
                column, row = column + 1, 0
                slot = column * rows
            x = rect.left() + pad + column * column_width
            y = top + row * line
            dot = ActorChip(actor, chip, self._on_moved, self.cell_width)
            dot.setPos(x + chip / 2, y + line / 2)
            self.scene().addItem(dot)
            self.chips[actor["id"]] = dot
            label = self._text("\n".join(name_lines), font)
            label.setPos(x + chip + 3 / scale, y + (line - metrics.height()) / 2)
            label.setToolTip(actor["name"])
            dot.label = label
            self._names.append((label, actor["name"], room, len(name_lines)))
            slot += len(name_lines)

    def _tell_apart(self, metrics: QFontMetricsF) -> None:
        """Names shortened alike in different cells, shortened again together (each cell already tells its own
        apart), so no two actors ever read the same; in the room and lines the narrowest of them has."""
        alike: dict[str, list[tuple[QGraphicsSimpleTextItem, str, float, int]]] = {}
        for entry in self._names:
            alike.setdefault(entry[0].text(), []).append(entry)
        for group in alike.values():
            if len({name for _label, name, _room, _lines in group}) < 2:
                continue
            room, lines = min(e[2] for e in group), min(e[3] for e in group)
            fitted = fit_labels([name for _label, name, _room, _lines in group], room, metrics.horizontalAdvance, lines)
            for (label, _name, _room, _lines), name_lines in zip(group, fitted, strict=True):
                label.setText("\n".join(name_lines))

    def _count(self, influence: int, interest: int, actors: Sequence[Mapping[str, Any]], font: QFont,
               metrics: QFontMetricsF) -> None:
        """Too many to list: their number in a disc, every name in the tooltip."""
        rect = cell_rect(influence, interest, self.cell_width)
        radius = min(rect.width(), rect.height()) * 0.24
        centre = rect.center() + QPointF(0, rect.height() * 0.06)
        disc = QGraphicsEllipseItem(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        disc.setBrush(QBrush(QColor("#5f6368")))
        disc.setPen(QPen(QColor("white"), 1.5 / self._scale))
        disc.setZValue(2)
        names = [a["name"] for a in actors]
        heading = ngettext("{count} actor:", "{count} actors:", len(actors)).format(count=len(actors))
        shown = "\n".join([heading, *names[:NAMES_IN_TOOLTIP]])
        if len(names) > NAMES_IN_TOOLTIP:
            more = len(names) - NAMES_IN_TOOLTIP
            shown += "\n" + ngettext("and {count} more", "and {count} more", more).format(count=more)
        disc.setToolTip(shown)
        self.scene().addItem(disc)
        self.counts[influence, interest] = disc
        big = QFont(font)
        big.setPointSizeF(font.pointSizeF() * 1.3)
        big.setBold(True)
        number = self._text(str(len(actors)), big, "white")
        number.setToolTip(shown)
        number.setPos(centre.x() - QFontMetricsF(big).horizontalAdvance(number.text()) / 2,
                      centre.y() - QFontMetricsF(big).height() / 2)

    def _legend(self, font: QFont, metrics: QFontMetricsF, line: float) -> None:
        """The network's legend: the categories on the grid, then what the ring says."""
        scale = self._scale
        x = 5 * self.cell_width + 16 / scale
        y = 0.0
        chip = CHIP_PX / scale
        present = {a.get("category") for a in self._actors}
        title_font = QFont(font)
        title_font.setBold(True)
        heading = self._heading(_("Category"), title_font)
        heading.setPos(x, y)
        y += line
        # up to the scene's right edge, whatever the scale (the gaps are pixels, the legend scene units)
        room = self.scene_rect().right() - 3 / scale - (x + chip + 5 / scale)
        for category in Category:
            if category.value not in present:
                continue
            self._legend_row(x, y, chip, metrics, room, font, QColor(CATEGORY_COLOURS[category.value]), None,
                             category.label)
            y += line
        y += line / 2
        heading = self._heading(_("Attitude (ring)"), title_font)
        heading.setPos(x, y)
        y += line
        for attitude in Attitude:
            self._legend_row(x, y, chip, metrics, room, font, QColor("white"),
                             QColor(ATTITUDE_COLOURS[attitude.value]), attitude.label)
            y += line

    def _heading(self, text: str, font: QFont) -> QGraphicsSimpleTextItem:
        """A legend heading, shortened to the legend's width (the whole text in its tooltip)."""
        room = self.scene_rect().right() - 3 / self._scale - (5 * self.cell_width + 16 / self._scale)
        shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, room)
        item = self._text(shown, font)
        item.setToolTip(text)
        return item

    def _legend_row(self, x: float, y: float, chip: float, metrics: QFontMetricsF, room: float, font: QFont,
                    fill: QColor, ring: QColor | None, text: str) -> None:
        dot = QGraphicsEllipseItem(x, y + (metrics.height() - chip) / 2, chip, chip)
        dot.setBrush(QBrush(fill))
        dot.setPen(QPen(ring, chip * 0.22) if ring is not None else QPen(Qt.PenStyle.NoPen))
        self.scene().addItem(dot)
        label = self._text(metrics.elidedText(text, Qt.TextElideMode.ElideRight, room), font)
        label.setToolTip(text)
        label.setPos(x + chip + 5 / self._scale, y)
        self.legend_texts.append(text)

    def select(self, actor_id: str | None) -> None:
        self._selected = actor_id
        for chip_id, chip in self.chips.items():
            chip.setSelected(chip_id == actor_id)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        scale, cell_width, _legend = self._fit()
        if abs(scale - self._scale) > 1e-3 or abs(cell_width - self.cell_width) > 0.5:
            self._rebuild()  # sizes follow the scale: text stays at TEXT_PT
