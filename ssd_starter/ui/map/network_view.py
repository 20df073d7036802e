"""The network view: actors as nodes (colour by category, size by influence or connections), relations as
edges drawn in one path per kind — not one item per edge, which is what keeps 20,000 relations fluid.

Drag a node to move and pin it; Shift+drag from one node to another to draw a relation; wheel to zoom;
drag the background to pan. Layout runs on a worker thread and positions are stored, so the map
does not jump from one session to the next.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QLineF, QObject, QPointF, QRectF, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from ssd_starter.core.layout import compute_layout
from ssd_starter.core.vocabulary import CATEGORY_COLOURS, Category, RelationKind

EDGE_STYLES: dict[str, tuple[str, Qt.PenStyle]] = {
    "supplies": ("#2e7d32", Qt.PenStyle.SolidLine), "buys_from": ("#ef6c00", Qt.PenStyle.SolidLine),
    "finances": ("#6a1b9a", Qt.PenStyle.DashLine), "places_workers": ("#c62828", Qt.PenStyle.SolidLine),
    "trains": ("#00838f", Qt.PenStyle.DotLine), "partners_with": ("#78909c", Qt.PenStyle.SolidLine),
    "governs": ("#1565c0", Qt.PenStyle.DashDotLine),
}
LABEL_ZOOM = 0.6  # names only when zoomed in far enough to read them
LARGE_MAP = 2000  # above this many actors: no antialiasing, solid edges (dashes cost half the frame time)


class NodeItem(QGraphicsEllipseItem):
    """One actor. Painted by Qt in C++ (no Python paint override): 5,000 of them still pan smoothly.
    Its name is a child that keeps its size on screen and is shown only when zoomed in enough."""

    def __init__(self, actor: Mapping[str, Any], radius: float, view: NetworkView) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.actor_id: str = actor["id"]
        self.name: str = actor["name"]
        self.radius = radius
        self._view = view
        self._pinned = False
        self.setBrush(QBrush(QColor(CATEGORY_COLOURS.get(actor["category"], "#666666"))))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(self.name)
        self.setZValue(2)
        self.label = QGraphicsSimpleTextItem(self.name, self)
        self.label.setFont(view.label_font)
        self.label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.label.setPos(radius + 2, -radius)
        self.label.setVisible(False)
        self._style()

    @property
    def pinned(self) -> bool:
        return self._pinned

    @pinned.setter
    def pinned(self, value: bool) -> None:
        self._pinned = value
        self._style()

    def _style(self) -> None:
        if self.isSelected():
            self.setPen(QPen(QColor("#1a73e8"), 3))
        elif self._pinned:
            self.setPen(QPen(QColor("#202124"), 2))  # a dark ring: this one stays where it was put
        else:
            self.setPen(QPen(QColor("white"), 1.2))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._style()
            self.label.setVisible(bool(value) or self._view.labels_shown)
        return super().itemChange(change, value)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._view.start_relation(self, event.scenePos())
            event.accept()
            return
        super().mousePressEvent(event)
        self._view.actor_clicked.emit(self.actor_id)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._view.drawing_relation:
            self._view.extend_relation(event.scenePos())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._view.drawing_relation:
            self._view.finish_relation(event.scenePos())
            return
        moved = event.buttonDownScenePos(Qt.MouseButton.LeftButton) != event.scenePos()
        super().mouseReleaseEvent(event)
        if moved:
            self._view.nodes_moved([item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
                                   or [self])


class _LayoutSignals(QObject):
    done = Signal(int, dict)


class _LayoutJob(QRunnable):
    def __init__(self, generation: int, ids: list[str], relations: list[dict], known: dict, pinned: set,
                 relayout: bool) -> None:
        super().__init__()
        self.signals = _LayoutSignals()
        self._args = (generation, ids, relations, known, pinned, relayout)

    def run(self) -> None:
        generation, ids, relations, known, pinned, relayout = self._args
        try:
            positions = compute_layout(ids, relations, known, pinned, relayout=relayout)
        except Exception:  # noqa: BLE001 - a worker must always answer, or the view waits forever
            import logging

            logging.getLogger(__name__).exception("network layout failed")
            positions = {}
        self.signals.done.emit(generation, positions)


class NetworkView(QGraphicsView):
    actor_clicked = Signal(str)
    relation_drawn = Signal(str, str)
    layout_started = Signal()
    layout_finished = Signal()

    def __init__(self, on_positions: Callable[[dict, set, set], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_positions = on_positions
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.label_font = QFont()
        self.label_font.setPointSize(8)
        self.labels_shown = False
        self.nodes: dict[str, NodeItem] = {}
        self.edge_items: dict[str, QGraphicsPathItem] = {}
        self.hidden_kinds: set[str] = set()
        self.size_by = "influence"
        self._actors: list[dict[str, Any]] = []
        self._relations: list[dict[str, Any]] = []
        self._visible: set[str] | None = None
        self._generation = 0
        self._pending_relayout = False
        self._rubber: QGraphicsLineItem | None = None
        self._relation_source: NodeItem | None = None
        self._pool = QThreadPool.globalInstance()
        self._jobs: list[_LayoutJob] = []
        self._stored: set[str] = set()

    # -- content ----------------------------------------------------------------------------

    def set_network(self, actors: list[dict[str, Any]], relations: list[dict[str, Any]],
                    positions: Mapping[str, tuple[float, float]], pinned: Iterable[str], *, fit: bool = True) -> None:
        """Show the map now (with stored positions, others provisionally on a circle); lay out the rest."""
        self._actors, self._relations = actors, relations
        pinned = set(pinned)
        scene = self.scene()
        scene.clear()
        self.nodes, self.edge_items, self._rubber = {}, {}, None
        large = len(actors) > LARGE_MAP
        self.setRenderHint(QPainter.RenderHint.Antialiasing, not large)
        degree: dict[str, int] = {}
        for relation in relations:
            degree[relation["source_id"]] = degree.get(relation["source_id"], 0) + 1
            degree[relation["target_id"]] = degree.get(relation["target_id"], 0) + 1
        missing = [a["id"] for a in actors if a["id"] not in positions]
        ring = 40.0 * math.sqrt(max(len(actors), 4))
        for n, actor in enumerate(actors):
            size = actor["influence"] if self.size_by == "influence" else 1 + min(4, degree.get(actor["id"], 0) // 2)
            node = NodeItem(actor, 4.0 + 2.2 * size, self)
            if actor["id"] in positions:
                node.setPos(*positions[actor["id"]])
            else:
                angle = 2 * math.pi * n / max(len(actors), 1)
                node.setPos(ring * math.cos(angle), ring * math.sin(angle))
            node.pinned = actor["id"] in pinned
            node.label.setVisible(self.labels_shown)
            scene.addItem(node)
            self.nodes[actor["id"]] = node
        for kind, (colour, style) in EDGE_STYLES.items():
            item = QGraphicsPathItem()
            pen = QPen(QColor(colour), 1.3, Qt.PenStyle.SolidLine if large else style)
            pen.setCosmetic(True)  # a hairline at every zoom: no fat edges when zoomed in
            item.setPen(pen)
            item.setZValue(1)
            scene.addItem(item)
            self.edge_items[kind] = item
        self.apply_visibility()
        if missing:
            self.start_layout(relayout=False)
        if fit:
            self.fit()

    def rebuild_edges(self) -> None:
        paths = {kind: QPainterPath() for kind in self.edge_items}
        nodes = self.nodes
        for relation in self._relations:
            kind = relation["kind"]
            if kind in self.hidden_kinds:
                continue
            source, target = nodes.get(relation["source_id"]), nodes.get(relation["target_id"])
            if source is None or target is None or not source.isVisible() or not target.isVisible():
                continue
            path = paths[kind]
            path.moveTo(source.pos())
            path.lineTo(target.pos())
        for kind, item in self.edge_items.items():
            item.setPath(paths[kind])

    def set_visible_actors(self, visible: set[str] | None) -> None:
        """Only these actors (the table's filter); None shows all."""
        self._visible = visible
        self.apply_visibility()

    def set_hidden_kinds(self, kinds: set[str]) -> None:
        self.hidden_kinds = kinds
        self.rebuild_edges()

    def apply_visibility(self) -> None:
        for actor_id, node in self.nodes.items():
            node.setVisible(self._visible is None or actor_id in self._visible)
        self.rebuild_edges()

    def select(self, actor_id: str | None) -> None:
        self.scene().clearSelection()
        node = self.nodes.get(actor_id or "")
        if node is not None:
            node.setSelected(True)
            self.ensureVisible(QRectF(node.pos().x() - 10, node.pos().y() - 10, 20, 20), 80, 80)

    def nodes_rect(self) -> QRectF:
        """Where the nodes are (item bounds include room for labels, which would shrink the fit)."""
        visible = [n.pos() for n in self.nodes.values() if n.isVisible()]
        if not visible:
            return QRectF()
        xs, ys = [p.x() for p in visible], [p.y() for p in visible]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(-40, -30, 160, 30)

    def fit(self) -> None:
        rect = self.nodes_rect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            self._update_labels()

    # -- layout -----------------------------------------------------------------------------

    def start_layout(self, *, relayout: bool) -> None:
        self._generation += 1
        known = {a: (n.pos().x(), n.pos().y()) for a, n in self.nodes.items() if relayout or a in self._stored}
        pinned = {a for a, n in self.nodes.items() if n.pinned}
        job = _LayoutJob(self._generation, [a["id"] for a in self._actors], list(self._relations), known, pinned,
                         relayout)
        job.signals.done.connect(self._on_layout_done)
        self._jobs.append(job)
        self.layout_started.emit()
        self._pool.start(job)

    def remember_stored(self, ids: Iterable[str]) -> None:
        """Actors whose position came from the store: a layout keeps them where they are."""
        self._stored = set(ids)

    @property
    def actors(self) -> list[dict[str, Any]]:
        return self._actors

    def _on_layout_done(self, generation: int, positions: dict) -> None:
        self._jobs = [job for job in self._jobs if job._args[0] != generation]
        if generation != self._generation:
            return  # a newer layout was asked for meanwhile
        for actor_id, (x, y) in positions.items():
            node = self.nodes.get(actor_id)
            if node is not None:
                node.setPos(x, y)
        self.rebuild_edges()
        if positions:
            self._stored = set(positions)
            self._on_positions(positions, set(), set())
            self.fit()
        self.layout_finished.emit()

    def wait_for_layout(self, timeout_ms: int = 30_000) -> bool:
        return self._pool.waitForDone(timeout_ms)

    # -- moving and drawing -----------------------------------------------------------------

    def nodes_moved(self, nodes: list[NodeItem]) -> None:
        for node in nodes:
            node.pinned = True
        self.rebuild_edges()
        moved = {n.actor_id: (n.pos().x(), n.pos().y()) for n in nodes}
        self._stored |= set(moved)
        self._on_positions(moved, set(moved), set())

    def unpin_all(self) -> None:
        for node in self.nodes.values():
            node.pinned = False
        positions = {a: (n.pos().x(), n.pos().y()) for a, n in self.nodes.items()}
        self._on_positions(positions, set(), set(positions))

    @property
    def drawing_relation(self) -> bool:
        return self._relation_source is not None

    def start_relation(self, source: NodeItem, point: QPointF) -> None:
        self._relation_source = source
        self._rubber = QGraphicsLineItem(QLineF(source.pos(), point))
        pen = QPen(QColor("#1a73e8"), 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._rubber.setPen(pen)
        self._rubber.setZValue(3)
        self.scene().addItem(self._rubber)

    def extend_relation(self, point: QPointF) -> None:
        if self._rubber and self._relation_source:
            self._rubber.setLine(QLineF(self._relation_source.pos(), point))

    def finish_relation(self, point: QPointF) -> None:
        source, self._relation_source = self._relation_source, None
        if self._rubber is not None:
            self.scene().removeItem(self._rubber)
            self._rubber = None
        target = next((item for item in self.scene().items(point) if isinstance(item, NodeItem)), None)
        if source is not None and target is not None and target is not source:
            self.relation_drawn.emit(source.actor_id, target.actor_id)

    # -- view -------------------------------------------------------------------------------

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        factor = 1.2 if event.angleDelta().y() > 0 else 1 / 1.2
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.02 <= scale <= 8:
            self.scale(factor, factor)
            self._update_labels()

    def _update_labels(self) -> None:
        """Names appear once there is room for them; toggled only when the zoom crosses the threshold."""
        shown = self.transform().m11() >= LABEL_ZOOM
        if shown != self.labels_shown:
            self.labels_shown = shown
            for node in self.nodes.values():
                node.label.setVisible(shown or node.isSelected())

    def render_image(self, width: int = 2000) -> QImage:
        rect = self.nodes_rect().adjusted(0, 0, 120, 0)
        height = max(1, int(width * rect.height() / max(rect.width(), 1)))
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene().render(painter, QRectF(image.rect()), rect)
        painter.end()
        return image

    def write_svg(self, path: str, title: str) -> None:
        from PySide6.QtSvg import QSvgGenerator

        rect = self.nodes_rect().adjusted(0, 0, 120, 0)
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        self.scene().render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()


def legend_html(categories: Iterable[str]) -> str:
    rows = [f"<span style='color:{CATEGORY_COLOURS[c]}'>●</span> {Category(c).label}" for c in categories]
    kinds = [f"<span style='color:{colour}'>━</span> {RelationKind(kind).label}"
             for kind, (colour, _style) in EDGE_STYLES.items()]
    return "<br>".join(rows) + "<br><br>" + "<br>".join(kinds)
