"""Power/interest grid (Mendelow): influence upwards, interest to the right, the four strategies named,
attitude as colour. Dragging an actor to another cell changes its scores."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
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
from ssd_starter.core.vocabulary import ATTITUDE_COLOURS as ATTITUDE_HEX
from ssd_starter.i18n import _

CELL = 150.0
CHIP = 14.0
ATTITUDE_COLOURS = {k: QColor(v) for k, v in ATTITUDE_HEX.items()}
QUADRANT_COLOURS = {k: QColor(v) for k, v in QUADRANT_HEX.items()}

MoveHandler = Callable[[str, int, int], None]


def cell_of(point: QPointF) -> tuple[int, int]:
    """(influence, interest) of the cell under a scene point, clamped to 1–5."""
    interest = int(point.x() // CELL) + 1
    influence = 5 - int(point.y() // CELL)
    return max(1, min(5, influence)), max(1, min(5, interest))


class ActorChip(QGraphicsEllipseItem):
    def __init__(self, actor: Mapping[str, Any], on_moved: MoveHandler) -> None:
        super().__init__(-CHIP / 2, -CHIP / 2, CHIP, CHIP)
        self.actor_id = actor["id"]
        self._on_moved = on_moved
        self.setBrush(QBrush(ATTITUDE_COLOURS.get(actor["attitude"], QColor("#757575"))))
        self.setPen(QPen(Qt.GlobalColor.white, 1.5))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(actor["name"])
        self.setZValue(2)
        name = actor["name"] if len(actor["name"]) <= 18 else actor["name"][:17] + "…"
        self.label = QGraphicsSimpleTextItem(name, self)
        self.label.setFont(QFont(self.label.font().family(), 7))
        self.label.setPos(CHIP / 2 + 2, -7)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802 - Qt's name
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setPen(QPen(QColor("#1a73e8"), 4) if value else QPen(Qt.GlobalColor.white, 1.5))
            self.label.setBrush(QBrush(QColor("#1a73e8") if value else Qt.GlobalColor.black))
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        influence, interest = cell_of(self.scenePos())
        self._on_moved(self.actor_id, influence, interest)


class PowerInterestGrid(QGraphicsView):
    def __init__(self, on_moved: MoveHandler, parent=None) -> None:
        super().__init__(parent)
        self._on_moved = on_moved
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chips: dict[str, ActorChip] = {}
        self._actors: list[Mapping[str, Any]] = []

    def set_actors(self, actors: Sequence[Mapping[str, Any]]) -> None:
        self._actors = list(actors)
        self._rebuild()

    def retranslate(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        scene = self.scene()
        scene.clear()
        self.chips = {}
        for influence in range(1, 6):
            for interest in range(1, 6):
                rect = QRectF((interest - 1) * CELL, (5 - influence) * CELL, CELL, CELL)
                cell = QGraphicsRectItem(rect)
                cell.setBrush(QBrush(QUADRANT_COLOURS[quadrant(influence, interest)]))
                cell.setPen(QPen(QColor("#d0d4da"), 1))
                scene.addItem(cell)
        for quadrant_key, (col, row) in {"keep_satisfied": (0, 0), "manage_closely": (3, 0), "monitor": (0, 3),
                                "keep_informed": (3, 3)}.items():
            title = scene.addSimpleText(_(QUADRANT_NAMES[quadrant_key]))
            font = title.font()
            font.setPointSize(11)
            font.setBold(True)
            title.setFont(font)
            title.setBrush(QBrush(QColor("#5f6368")))
            title.setPos(col * CELL + 6, row * CELL + 4)
            title.setZValue(1)
        axis_font = QFont()
        axis_font.setPointSize(10)
        x_label = scene.addSimpleText(_("Interest →"), axis_font)
        x_label.setPos(5 * CELL - x_label.boundingRect().width(), 5 * CELL + 24)  # a line below the scores
        y_label = scene.addSimpleText(_("Influence →"), axis_font)
        y_label.setRotation(-90)
        y_label.setPos(-44, y_label.boundingRect().width())  # left of the scores, not over them
        for n in range(1, 6):
            scene.addSimpleText(str(n)).setPos((n - 0.5) * CELL - 3, 5 * CELL + 6)
            scene.addSimpleText(str(n)).setPos(-14, (5 - n + 0.5) * CELL - 8)
        by_cell: dict[tuple[int, int], int] = {}
        for actor in sorted(self._actors, key=lambda a: a["name"].casefold()):
            key = (actor["influence"], actor["interest"])
            slot = by_cell.get(key, 0)
            by_cell[key] = slot + 1
            column, row = divmod(slot, 6)
            chip = ActorChip(actor, self._on_moved)
            chip.setPos((actor["interest"] - 1) * CELL + 12 + column * 75,
                        (5 - actor["influence"]) * CELL + 30 + row * 19)
            scene.addItem(chip)
            self.chips[actor["id"]] = chip
        scene.setSceneRect(QRectF(-50, -10, 5 * CELL + 70, 5 * CELL + 56))

    def select(self, actor_id: str | None) -> None:
        for chip_id, chip in self.chips.items():
            chip.setSelected(chip_id == actor_id)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
