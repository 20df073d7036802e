"""The network view: actors as nodes (colour by category, size by influence or connections), relations as
edges drawn in a few paths (one per kind and strength, arrowheads in one more per directed kind) built
from numpy arrays — not one item per edge, which is what keeps 20,000 relations fluid.

Drag a node to move and pin it; Shift+drag from one node to another to draw a relation; wheel to zoom;
drag the background to pan. The layout runs in a child process (``layout_process``) and streams its
frames: the map is drawn at once and settles while the window stays responsive. Positions are stored,
so the map does not jump from one session to the next.

Names are placed without collisions (``core.labels``), the most central first, as many as fit the
zoom; zoomed in, every name shows. With one actor selected its neighbours stay bright and the rest dims.
"""

from __future__ import annotations

import gc
import itertools
import math
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QLineF, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)
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

from ssd_starter.core.labels import LabelPlacer, LabelRequest, PlacedLabel, place_labels
from ssd_starter.core.vocabulary import (
    CATEGORY_COLOURS,
    COMMUNITY_COLOURS,
    DIRECTED_KINDS,
    RELATION_COLOURS,
    SMALL_COMMUNITY_COLOUR,
    UNKNOWN_CATEGORY_COLOUR,
    Category,
    RelationKind,
)
from ssd_starter.i18n import _, ngettext

KINDS = [kind.value for kind in RelationKind]
STRENGTH_WIDTHS = {1: 1.0, 2: 1.9, 3: 3.0}
"""Pen width (pixels at every zoom) of a relation of strength 1–3."""
DASHES: dict[str, Qt.PenStyle] = {"finances": Qt.PenStyle.DashLine, "trains": Qt.PenStyle.DotLine,
                                  "governs": Qt.PenStyle.DashDotLine}
"""A second cue besides the colour, on maps small enough for dashes (they cost half the frame time)."""
LARGE_MAP = 2000  # above this many actors: no antialiasing, solid edges
PREVIEW_FROM = 1000  # above this many actors a layout streams into a StreamPreview, not into the nodes
PREVIEW_EDGES = 3000  # edges the preview draws while a large map settles
NODES_PER_TURN = 1000  # nodes shown per turn of the event loop when a large map's layout ends
TURN_MS = 2  # the next step of such work: a real timer, not a zero one, so the window's own timers and
# repaints come in between (zero timers run back to back before any other timer)
LABEL_LIMIT = 400  # names drawn at most at once: beyond this many the map is unreadable anyway
LABEL_TRIES = 1000  # candidates looked at, most central first: placing stays within a few milliseconds
LABEL_STEP = 150  # candidates placed per turn of the event loop on a large map
ARROW_LENGTH, ARROW_HALF_WIDTH = 9.0, 3.6  # scene units: arrowheads grow with the map when zoomed in
ARROW_ZOOM = 0.25  # below this zoom arrowheads would be specks: not drawn
DIMMED = 0.15  # opacity of what is not the selected actor's neighbourhood
MARGIN = 28  # pixels around the map when it is fitted: no node on the view's edge
POLL_MS = 30  # how often the window looks for a layout frame


def _path_from_arrays(kinds: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> QPainterPath:
    """A QPainterPath of these elements (0 move, 1 line), read from its binary form: 40,000 elements in a
    few milliseconds, where one Python call per element takes tens (the trick pyqtgraph uses)."""
    path = QPainterPath()
    count = len(kinds)
    if not count:
        return path
    record = np.empty(count, dtype=[("c", ">i4"), ("x", ">f8"), ("y", ">f8")])
    record["c"], record["x"], record["y"] = kinds, xs, ys
    data = struct.pack(">i", count) + record.tobytes() + struct.pack(">ii", 0, 0)
    stream = QDataStream(QByteArray(data))
    stream >> path  # noqa: B015 - QDataStream's operator fills the path
    return path


def lines_path(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> QPainterPath:
    n = len(x0)
    kinds = np.tile(np.array([0, 1], dtype=np.int32), n)
    xs, ys = np.empty(2 * n), np.empty(2 * n)
    xs[0::2], xs[1::2], ys[0::2], ys[1::2] = x0, x1, y0, y1
    return _path_from_arrays(kinds, xs, ys)


def arrows_path(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, gap: np.ndarray) -> QPainterPath:
    """Filled triangles pointing at (x1, y1), their tips ``gap`` short of it (the target node's rim)."""
    dx, dy = x1 - x0, y1 - y0
    length = np.sqrt(dx * dx + dy * dy)
    keep = length > gap + ARROW_LENGTH
    dx, dy, length = dx[keep], dy[keep], length[keep]
    ux, uy = dx / length, dy / length
    tip_x, tip_y = x1[keep] - ux * gap[keep], y1[keep] - uy * gap[keep]
    base_x, base_y = tip_x - ux * ARROW_LENGTH, tip_y - uy * ARROW_LENGTH
    n = len(tip_x)
    xs, ys = np.empty((n, 4)), np.empty((n, 4))
    xs[:, 0], ys[:, 0] = tip_x, tip_y
    xs[:, 1], ys[:, 1] = base_x - uy * ARROW_HALF_WIDTH, base_y + ux * ARROW_HALF_WIDTH
    xs[:, 2], ys[:, 2] = base_x + uy * ARROW_HALF_WIDTH, base_y - ux * ARROW_HALF_WIDTH
    xs[:, 3], ys[:, 3] = tip_x, tip_y
    kinds = np.tile(np.array([0, 1, 1, 1], dtype=np.int32), n)
    return _path_from_arrays(kinds, xs.ravel(), ys.ravel())


def lighter(colour: str, strength: float) -> QColor:
    """``colour`` mixed with white: ``strength`` 1 is the colour itself, 0 white."""
    base = QColor(colour)
    return QColor(round(255 - (255 - base.red()) * strength), round(255 - (255 - base.green()) * strength),
                  round(255 - (255 - base.blue()) * strength))


def edge_opacity(edges: int) -> float:
    """Many edges drawn opaque hide the nodes under a mat of colour: the more there are, the lighter."""
    return max(0.3, min(1.0, 20.0 / math.sqrt(max(edges, 1))))


def points_polygon(xs: np.ndarray, ys: np.ndarray) -> QPolygonF:
    """A QPolygonF read from its binary form (as ``_path_from_arrays``)."""
    polygon = QPolygonF()
    record = np.empty((len(xs), 2), dtype=">f8")
    record[:, 0], record[:, 1] = xs, ys
    stream = QDataStream(QByteArray(struct.pack(">I", len(xs)) + record.tobytes()))
    stream >> polygon  # noqa: B015 - QDataStream's operator fills the polygon
    return polygon


class _CollectorPause:
    """Python's cyclic garbage collector paused while a layout streams into the window, and resumed after.

    A full collection of a window holding 5,000 actors takes 50–70 ms here and would land in the middle of
    the animation, a visible hitch; the frames themselves make little garbage. Paused for at most one
    layout (seconds), resumed when it ends or is stopped, and by the view's destruction at the latest."""

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if not self.paused and gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            gc.enable()


def _resume_collector(pause: _CollectorPause) -> Callable[[], None]:
    return pause.resume  # a plain bound method of a Python object: safe to call once the view is gone


class StreamPreview(QGraphicsItem):
    """While a large map is being laid out: every node as a round point, one drawPoints call per colour and
    size, instead of 5,000 items moved and painted one by one. The nodes themselves take over at the end."""

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[tuple[QPen, QPolygonF]] = []
        self._rows: list[tuple[QPen, np.ndarray]] = []
        self._grouped_for: tuple | None = None
        self._lines = QPainterPath()
        self._line_pen = QPen(QColor("#9aa0a6"), 0)
        self._line_pen.setCosmetic(True)
        self._bounds = QRectF()
        self.setZValue(2)

    def set_points(self, xy: np.ndarray, colours: Sequence[str], radius: np.ndarray, shown: np.ndarray,
                   lines: QPainterPath) -> None:
        self.prepareGeometryChange()
        self._lines = lines
        key = (tuple(colours), radius.tobytes(), shown.tobytes())
        if key != self._grouped_for:  # which rows share a colour and a size: worked out once per map
            groups: dict[tuple[str, float], list[int]] = {}
            for n, (colour, r) in enumerate(zip(colours, radius.tolist(), strict=True)):
                if shown[n]:
                    groups.setdefault((colour, r), []).append(n)
            self._rows = [(QPen(QColor(colour), 2 * r, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap),
                           np.array(rows)) for (colour, r), rows in groups.items()]
            self._grouped_for = key
        self._groups = [(pen, points_polygon(xy[rows, 0], xy[rows, 1])) for pen, rows in self._rows]
        if len(xy):
            reach = float(radius.max()) + 2
            low, high = xy.min(axis=0), xy.max(axis=0)
            self._bounds = QRectF(low[0] - reach, low[1] - reach, high[0] - low[0] + 2 * reach,
                                  high[1] - low[1] + 2 * reach)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        painter.setPen(self._line_pen)
        painter.drawPath(self._lines)
        for pen, polygon in self._groups:
            painter.setPen(pen)
            painter.drawPoints(polygon)


class NodeItem(QGraphicsEllipseItem):
    """One actor. Painted by Qt in C++ (no Python paint override): 5,000 of them still pan smoothly.
    Its name is drawn by the view when there is room for it (``NetworkView.drawForeground``)."""

    def __init__(self, actor: Mapping[str, Any], radius: float, view: NetworkView) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.actor_id: str = actor["id"]
        self.name: str = actor["name"]
        self.category: str = actor.get("category") or ""
        self.stage: str = actor.get("stage") or ""
        self.radius = radius
        self._view = view
        self._pinned = False
        self.setBrush(QBrush(QColor(CATEGORY_COLOURS.get(self.category, UNKNOWN_CATEGORY_COLOUR))))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setToolTip(self.name)
        self.setZValue(2)
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

    def restyle(self) -> None:
        """After the selection changed (the view calls it: an itemChange override would cost a Python call
        for every change of every node)."""
        self._style()

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
        self._view.node_dragging(self)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._view.drawing_relation:
            self._view.finish_relation(event.scenePos())
            return
        moved = event.buttonDownScenePos(Qt.MouseButton.LeftButton) != event.scenePos()
        super().mouseReleaseEvent(event)
        if moved:
            self._view.nodes_moved([item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
                                   or [self])


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
        # the whole viewport each time: the edge paths span the map, so every change repaints it anyway, and
        # collecting the dirty rectangles of 5,000 nodes shown at once cost 390 ms (45 ms per thousand)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.scene().selectionChanged.connect(self._on_selection_changed)
        self.label_font = QFont()
        self.label_font.setPointSize(9)
        self._metrics = QFontMetricsF(self.label_font)
        self.nodes: dict[str, NodeItem] = {}
        self._order: list[NodeItem] = []  # row n of the position arrays is self._order[n]
        self._index: dict[str, int] = {}
        self.edge_items: dict[tuple[str, int], QGraphicsPathItem] = {}
        self.arrow_items: dict[str, QGraphicsPathItem] = {}
        self._ego_items: list[QGraphicsPathItem] = []
        self.hidden_kinds: set[str] = set()
        self.shown_categories: set[str] | None = None
        self.shown_stages: set[str] | None = None
        self.ego_enabled = True
        self.size_by = "influence"
        self._actors: list[dict[str, Any]] = []
        self._relations: list[dict[str, Any]] = []
        self._edges = np.zeros((0, 4), dtype=np.int64)  # source row, target row, kind number, strength
        self._neighbours: list[set[int]] = []
        self._visible: set[str] | None = None
        self._priority: list[str] = []  # ids, most central first: who is named first
        self._priority_rows = np.zeros(0, dtype=np.int64)
        self._rubber: QGraphicsLineItem | None = None
        self._relation_source: NodeItem | None = None
        self._stored: set[str] = set()
        self._process: Any = None
        self._last_process: Any = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll)
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(60)
        self._label_timer.timeout.connect(self.place_labels)
        self.placed: list[PlacedLabel] = []  # viewport pixels at the time of placing …
        self._placed_at: QTransform = QTransform()  # … under this view transform
        self._user_moved = False  # once the user zooms or pans, a streaming layout stops refitting
        self.isolated_caption: QGraphicsSimpleTextItem | None = None
        self.frames_shown = 0
        self._ids: list[str] = []
        self._categories: list[str] = []
        self._stages: list[str] = []
        self._names: list[str] = []
        self._xy = np.zeros((0, 2))  # where each node is drawn: the nodes' own positions, kept in numpy
        self._radius = np.zeros(0)
        self._shown = np.zeros(0, dtype=bool)
        self._selected: list[NodeItem] = []
        self.preview: StreamPreview | None = None  # a large map while it is being laid out
        self._arrows_built = False
        self._edge_strength = 1.0  # how pale the edges are drawn now (see _lighten_edges)
        self._pending_finish = False  # the final frame is in, the nodes take over from the preview next
        self._detached = False  # the nodes are not in the scene yet: they join it when they take over
        self._collector = _CollectorPause()
        self.destroyed.connect(_resume_collector(self._collector))
        self._preview_colours: list[str] = []
        self.communities: dict[str, int] | None = None  # colour by community instead of category
        self._widths: dict[tuple[str, float], float] = {}  # a name's width in a font: measured once
        self._label_job: tuple[LabelPlacer, Iterator[LabelRequest], QTransform, list[int]] | None = None
        self._sample: np.ndarray = np.zeros(0, dtype=np.int64)  # edges the preview draws

    # -- content ----------------------------------------------------------------------------

    def set_network(self, actors: list[dict[str, Any]], relations: list[dict[str, Any]],
                    positions: Mapping[str, tuple[float, float]], pinned: Iterable[str], *, fit: bool = True) -> None:
        """Show the map now (stored positions; the others on a provisional disc); lay out the rest."""
        self.stop_layout()
        self._actors, self._relations = actors, relations
        pinned = set(pinned)
        scene = self.scene()
        scene.blockSignals(True)  # the lost selection is not news: the old nodes are going
        scene.clear()
        scene.blockSignals(False)
        self.nodes, self.edge_items, self.arrow_items, self._ego_items = {}, {}, {}, []
        self._edge_strength = 1.0
        self._ids, self._categories, self._stages, self._names = [], [], [], []
        self._rubber, self.isolated_caption, self.placed, self.preview, self._selected = None, None, [], None, []
        large = len(actors) > LARGE_MAP
        self.setRenderHint(QPainter.RenderHint.Antialiasing, not large)
        self._index = {a["id"]: n for n, a in enumerate(actors)}
        self._edges = self._edge_array(relations)
        degree = np.bincount(self._edges[:, :2].ravel(), minlength=len(actors)) if len(actors) else np.zeros(0)
        self._neighbours = [set() for _a in actors]
        for s, t in self._edges[:, :2].tolist():
            self._neighbours[s].add(t)
            self._neighbours[t].add(s)
        self._priority_rows = (np.lexsort((-np.array([a["influence"] for a in actors]), -degree)).astype(np.int64)
                               if actors else np.zeros(0, dtype=np.int64))
        self._priority = [actors[n]["id"] for n in self._priority_rows.tolist()]
        missing = [n for n, a in enumerate(actors) if a["id"] not in positions]
        self._order = []
        golden = math.pi * (3 - math.sqrt(5))
        ring = 40.0 * math.sqrt(max(len(missing), 1))
        provisional = {n: (ring * math.sqrt((k + 0.5) / len(missing)) * math.cos(k * golden),
                           ring * math.sqrt((k + 0.5) / len(missing)) * math.sin(k * golden))
                       for k, n in enumerate(missing)}
        self._xy = np.array([positions[a["id"]] if a["id"] in positions else provisional[n]
                             for n, a in enumerate(actors)], dtype=np.float64).reshape(-1, 2)
        # a large map about to be laid out shows a preview first: its nodes join the scene only when they take
        # over from it, a thousand a turn (hiding 5,000 items already in a scene costs the next turn of the
        # event loop 50 ms, and even hidden ones cost the scene's first look at them 45-70 ms)
        hidden = bool(missing) and len(actors) > PREVIEW_FROM
        self._detached = hidden
        for n, actor in enumerate(actors):
            size = actor["influence"] if self.size_by == "influence" else 1 + min(4, int(degree[n]) // 2)
            node = NodeItem(actor, 4.0 + 2.2 * size, self)
            if self.communities is not None:
                node.setBrush(QBrush(QColor(self.node_colour(actor["id"], actor.get("category") or ""))))
            node.setPos(self._xy[n, 0], self._xy[n, 1])
            if hidden:
                node.setVisible(False)
            if actor["id"] in pinned:
                node.pinned = True
            if not hidden:
                scene.addItem(node)
            self.nodes[actor["id"]] = node
            self._order.append(node)
        # plain lists beside the items: a Python attribute of a Qt item costs ten microseconds to read,
        # 60 ms for 5,000 of them in a loop
        self._ids = [a["id"] for a in actors]
        self._categories = [a.get("category") or "" for a in actors]
        self._stages = [a.get("stage") or "" for a in actors]
        self._names = [a["name"] for a in actors]
        self._radius = np.array([4.0 + 2.2 * (a["influence"] if self.size_by == "influence"
                                               else 1 + min(4, int(degree[n]) // 2)) for n, a in enumerate(actors)])
        self._shown = np.ones(len(actors), dtype=bool)
        self._index_for_size()
        for kind in KINDS:
            colour = QColor(RELATION_COLOURS[kind])
            for strength, width in STRENGTH_WIDTHS.items():
                item = QGraphicsPathItem()
                style = Qt.PenStyle.SolidLine if large else DASHES.get(kind, Qt.PenStyle.SolidLine)
                pen = QPen(colour, width, style)
                pen.setCosmetic(True)  # the same width at every zoom: no fat edges when zoomed in
                item.setPen(pen)
                item.setZValue(1)
                scene.addItem(item)
                self.edge_items[kind, strength] = item
            if kind in DIRECTED_KINDS:
                arrow = QGraphicsPathItem()
                arrow.setPen(QPen(Qt.PenStyle.NoPen))
                arrow.setBrush(QBrush(colour))
                arrow.setZValue(1.5)
                scene.addItem(arrow)
                self.arrow_items[kind] = arrow
        self.apply_visibility()
        if fit:
            self._user_moved = False
            self.fit()
        if missing:
            self.start_layout(relayout=False)

    def _edge_array(self, relations: Sequence[Mapping[str, Any]]) -> np.ndarray:
        kind_number = {k: n for n, k in enumerate(KINDS)}
        rows = []
        for relation in relations:
            s, t = self._index.get(relation["source_id"]), self._index.get(relation["target_id"])
            kind = kind_number.get(relation["kind"])
            if s is None or t is None or s == t or kind is None:
                continue
            rows.append((s, t, kind, min(3, max(1, int(relation.get("strength") or 1)))))
        return np.array(rows, dtype=np.int64).reshape(-1, 4)

    def positions_array(self) -> np.ndarray:
        return self._xy

    def rebuild_edges(self, xy: np.ndarray | None = None) -> None:
        """Every edge path anew from the nodes' positions (one numpy pass per path)."""
        if xy is None:
            xy = self._xy
        if self.preview is not None:  # a large map being laid out: the preview's sample of edges only
            self._update_caption(xy, self._shown)
            return
        shown, radius = self._shown, self._radius
        edges = self._edges
        selected = self._ego_centre()
        keep = shown[edges[:, 0]] & shown[edges[:, 1]] if len(edges) else np.zeros(0, dtype=bool)
        for kind_number, kind in enumerate(KINDS):
            if kind in self.hidden_kinds:
                keep &= edges[:, 2] != kind_number
        for item in self._ego_items:
            self.scene().removeItem(item)
        self._ego_items = []
        self._fill_edges(edges[keep], xy, radius, self.edge_items, self.arrow_items)
        dim = DIMMED if selected is not None else edge_opacity(int(keep.sum()))
        self._lighten_edges(dim)
        if selected is not None:  # the selected actor's own ties drawn again, on top, at full strength
            mine = keep & ((edges[:, 0] == selected) | (edges[:, 1] == selected))
            lines = {key: self._copy_item(item, key[0]) for key, item in self.edge_items.items()}
            arrows = {key: self._copy_item(item, key) for key, item in self.arrow_items.items()}
            self._fill_edges(edges[mine], xy, radius, lines, arrows)
            self._ego_items = [*lines.values(), *arrows.values()]
        self._update_caption(xy, shown)

    def _lighten_edges(self, strength: float) -> None:
        """Edges paler towards white by ``strength`` (1: their own colour). Opaque colours, not opacity:
        the raster engine blends 20,000 see-through lines ten times slower than it draws them opaque."""
        if math.isclose(strength, self._edge_strength):
            return
        self._edge_strength = strength
        for (kind, _strength), item in self.edge_items.items():
            pen = item.pen()
            pen.setColor(lighter(RELATION_COLOURS[kind], strength))
            item.setPen(pen)
        for kind, item in self.arrow_items.items():
            item.setBrush(QBrush(lighter(RELATION_COLOURS[kind], strength)))

    def _copy_item(self, item: QGraphicsPathItem, kind: str) -> QGraphicsPathItem:
        """A path item like ``item`` in the kind's full colour (the selected actor's own ties)."""
        copy = QGraphicsPathItem()
        pen = item.pen()
        pen.setColor(QColor(RELATION_COLOURS[kind]))
        copy.setPen(pen)
        copy.setBrush(QBrush(QColor(RELATION_COLOURS[kind])) if item.brush().style() != Qt.BrushStyle.NoBrush
                      else item.brush())
        copy.setZValue(item.zValue() + 0.2)
        copy.setVisible(item.isVisible())
        self.scene().addItem(copy)
        return copy

    def _fill_edges(self, edges: np.ndarray, xy: np.ndarray, radius: np.ndarray,
                    lines: Mapping[tuple[str, int], QGraphicsPathItem], arrows: Mapping[str, QGraphicsPathItem]) -> None:
        # one sort by (kind, strength), then a slice per path: no mask over every edge for each of 21 paths
        group = edges[:, 2] * 3 + edges[:, 3] - 1
        order = np.argsort(group, kind="stable")
        edges, group = edges[order], group[order]
        bounds = np.searchsorted(group, np.arange(len(KINDS) * 3 + 1))
        s, t = edges[:, 0], edges[:, 1]
        for (kind, strength), item in lines.items():
            number = KINDS.index(kind) * 3 + strength - 1
            a, b = s[bounds[number]:bounds[number + 1]], t[bounds[number]:bounds[number + 1]]
            item.setPath(lines_path(xy[a, 0], xy[a, 1], xy[b, 0], xy[b, 1]))
        arrows_shown = self.transform().m11() >= ARROW_ZOOM
        self._arrows_built = arrows_shown
        for kind, item in arrows.items():
            item.setVisible(arrows_shown)
            if not arrows_shown:  # too small to see: not worth building (rebuilt when zoomed in)
                item.setPath(QPainterPath())
                continue
            number = KINDS.index(kind) * 3
            a, b = s[bounds[number]:bounds[number + 3]], t[bounds[number]:bounds[number + 3]]
            item.setPath(arrows_path(xy[a, 0], xy[a, 1], xy[b, 0], xy[b, 1], radius[b] + 1.0))

    def _update_caption(self, xy: np.ndarray, shown: np.ndarray) -> None:
        """"N actors without relations" above their block, so a promoter sees how many are still alone."""
        if not len(xy):
            return
        degree = np.bincount(self._edges[:, :2].ravel(), minlength=len(xy))
        alone = (degree == 0) & shown
        count = int(alone.sum())
        if self.isolated_caption is None:
            self.isolated_caption = QGraphicsSimpleTextItem()
            self.isolated_caption.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            self.isolated_caption.setBrush(QBrush(QColor("#5f6368")))
            font = QFont(self.label_font)
            font.setBold(True)
            self.isolated_caption.setFont(font)
            self.scene().addItem(self.isolated_caption)
        self.isolated_caption.setVisible(count > 0)
        if count:
            self.isolated_caption.setText(ngettext("{count} actor without relations",
                                                   "{count} actors without relations", count).format(count=count))
            points = xy[alone]
            self.isolated_caption.setPos(float(points[:, 0].min()) - 12, float(points[:, 1].min()) - 12)
            # a line above the block in pixels (the caption keeps its size at every zoom)
            height = self.isolated_caption.boundingRect().height()
            self.isolated_caption.setTransform(QTransform.fromTranslate(0, -height - 4))

    # -- filters, selection, search -----------------------------------------------------------

    def set_visible_actors(self, visible: set[str] | None) -> None:
        """Only these actors (the table's filter); None shows all."""
        self._visible = visible
        self.apply_visibility()

    def set_hidden_kinds(self, kinds: set[str]) -> None:
        self.hidden_kinds = kinds
        self.rebuild_edges()

    def set_shown(self, categories: set[str] | None, stages: set[str] | None) -> None:
        """The view's own filters by category and stage (None: all), on top of the table's."""
        self.shown_categories, self.shown_stages = categories, stages
        self.apply_visibility()

    def apply_visibility(self) -> None:
        self._shown = np.array([(self._visible is None or actor_id in self._visible)
                                and (self.shown_categories is None or category in self.shown_categories)
                                and (self.shown_stages is None or stage in self.shown_stages)
                                for actor_id, category, stage in zip(self._ids, self._categories, self._stages,
                                                                     strict=True)], dtype=bool)
        previewing = self.preview is not None
        for node, shown in zip(self._order, self._shown.tolist(), strict=True):
            node.setVisible(shown and not previewing)
        if self.preview is not None:
            self._update_preview()
        self._dim_for_selection()
        self.rebuild_edges()
        self.schedule_labels()

    def select(self, actor_id: str | None) -> None:
        self.scene().clearSelection()
        node = self.nodes.get(actor_id or "")
        if node is not None:
            node.setSelected(True)
            self.ensureVisible(QRectF(node.pos().x() - 10, node.pos().y() - 10, 20, 20), 80, 80)

    def locate(self, actor_id: str) -> bool:
        """Select an actor, zoom in far enough to read its neighbourhood and put it in the middle."""
        node = self.nodes.get(actor_id)
        if node is None:
            return False
        if not self._shown[self._index[actor_id]]:
            self._shown[self._index[actor_id]] = True
            node.setVisible(self.preview is None)
        self.scene().clearSelection()
        node.setSelected(True)
        self._user_moved = True
        if self.transform().m11() < 1.0:
            self.setTransform(QTransform.fromScale(1.0, 1.0))
        self.centerOn(node)
        self.schedule_labels()
        return True

    def set_ego(self, enabled: bool) -> None:
        self.ego_enabled = enabled
        self._dim_for_selection()
        self.rebuild_edges()

    def _ego_centre(self) -> int | None:
        if not self.ego_enabled:
            return None
        selected = [item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
        if len(selected) != 1:
            return None
        return self._index.get(selected[0].actor_id)

    def _on_selection_changed(self) -> None:
        selected = [item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
        for node in {*self._selected, *selected}:
            node.restyle()
        self._selected = selected
        self._dim_for_selection()
        self.rebuild_edges()
        self.schedule_labels()

    def _dim_for_selection(self) -> None:
        centre = self._ego_centre()
        if centre is None:
            for node in self._order:
                node.setOpacity(1.0)
            return
        near = self._neighbours[centre] | {centre} if centre < len(self._neighbours) else {centre}
        for n, node in enumerate(self._order):
            node.setOpacity(1.0 if n in near else DIMMED)

    def ego_ids(self) -> set[str]:
        """The selected actor and its neighbours (empty without an ego view)."""
        centre = self._ego_centre()
        if centre is None:
            return set()
        return {self._ids[n] for n in self._neighbours[centre] | {centre}}

    def set_communities(self, communities: Mapping[str, int] | None) -> None:
        """Colour the actors by community (actor id → group number, 0 the largest), or by category again
        (None). The categories' legend gives way to the groups'."""
        self.communities = dict(communities) if communities is not None else None
        for actor_id, category, node in zip(self._ids, self._categories, self._order, strict=True):
            node.setBrush(QBrush(QColor(self.node_colour(actor_id, category))))
        self._preview_colours = [self.node_colour(a, c) for a, c in zip(self._ids, self._categories, strict=True)]
        self._update_preview()

    def node_colour(self, actor_id: str, category: str) -> str:
        if self.communities is None:
            return CATEGORY_COLOURS.get(category, UNKNOWN_CATEGORY_COLOUR)
        group = self.communities.get(actor_id, len(COMMUNITY_COLOURS))
        return COMMUNITY_COLOURS[group] if group < len(COMMUNITY_COLOURS) else SMALL_COMMUNITY_COLOUR

    def community_sizes(self) -> list[int]:
        """Actors in each group shown, largest first (empty when coloured by category)."""
        if self.communities is None:
            return []
        sizes: dict[int, int] = {}
        for actor_id, shown in zip(self._ids, self._shown.tolist(), strict=True):
            if shown:
                group = self.communities.get(actor_id, -1)
                sizes[group] = sizes.get(group, 0) + 1
        return [sizes[g] for g in sorted(g for g in sizes if g >= 0)]

    def set_priority(self, ids: Sequence[str]) -> None:
        """Who is named first when not every name fits (most central first)."""
        listed = [a for a in dict.fromkeys(ids) if a in self._index]
        chosen = set(listed)
        self._priority = listed + [a for a in self._priority if a not in chosen]
        self._priority_rows = np.array([self._index[a] for a in self._priority], dtype=np.int64)
        self.schedule_labels()

    # -- labels -------------------------------------------------------------------------------

    def schedule_labels(self) -> None:
        if self.preview is None:  # a large map being laid out is named once it stands still
            self._label_timer.start()

    def label_requests(self, scale: float, dx: float, dy: float, metrics: QFontMetricsF,
                       rows: np.ndarray | None = None) -> Iterator[LabelRequest]:
        """Label candidates, most important first: the selected actor, its neighbours, then by centrality.
        ``scale``, ``dx``, ``dy``: scene to pixels (x·scale + dx); ``rows``: the candidates (None: all)."""
        rows = self._priority_rows if rows is None else rows
        rows = rows[self._shown[rows]]
        centre = self._ego_centre()
        if centre is not None:
            near = np.isin(rows, np.fromiter(self._neighbours[centre], dtype=np.int64))
            rows = np.concatenate((rows[near], rows[~near]))
        selected = np.array([self._index[item.actor_id] for item in self._selected], dtype=np.int64)
        if len(selected):
            rows = np.concatenate((selected, rows[~np.isin(rows, selected)]))
        xs = (self._xy[rows, 0] * scale + dx).tolist()
        ys = (self._xy[rows, 1] * scale + dy).tolist()
        radii = (self._radius[rows] * scale + 1).tolist()
        height = metrics.height() + 2
        widths = self._widths
        for row, x, y, radius in zip(rows.tolist(), xs, ys, radii, strict=True):
            name = self._names[row]
            key = (name, height)
            width = widths.get(key)
            if width is None:
                width = widths[key] = metrics.horizontalAdvance(name) + 6
            yield LabelRequest(self._ids[row], x, y, radius, width, height)

    def place_labels(self) -> None:
        """Names for the current zoom and scroll position, in viewport pixels. A large map is named a few
        hundred candidates per turn of the event loop, so the window never waits for it."""
        if len(self._order) <= PREVIEW_FROM:
            self._compute_labels()
            self.viewport().update()
            return
        placer, requests, transform = self._label_setup()
        self._label_job = (placer, requests, transform, [0])
        self._label_step()

    def _label_step(self) -> None:
        if self._label_job is None:
            return
        placer, requests, transform, tried = self._label_job
        if transform != self.viewportTransform():  # zoomed or scrolled meanwhile: a new placement follows
            self._label_job = None
            return
        for request in itertools.islice(requests, LABEL_STEP):
            tried[0] += 1
            placer.offer(request)
            if placer.full:
                break
        else:
            if tried[0] < LABEL_TRIES and tried[0] % LABEL_STEP == 0:
                QTimer.singleShot(TURN_MS, self._label_step)
                return
        self._label_job = None
        self.placed, self._placed_at = placer.placed, QTransform(transform)
        self.viewport().update()

    def _label_setup(self) -> tuple[LabelPlacer, Iterator[LabelRequest], QTransform]:
        viewport = self.viewport().rect()
        bounds = (0.0, 0.0, float(viewport.width()), float(viewport.height()))
        transform = self.viewportTransform()
        visible_rect = self.mapToScene(viewport).boundingRect()
        xy, rows = self._xy, self._priority_rows
        inside = ((xy[rows, 0] >= visible_rect.left()) & (xy[rows, 0] <= visible_rect.right())
                  & (xy[rows, 1] >= visible_rect.top()) & (xy[rows, 1] <= visible_rect.bottom()))
        requests = self.label_requests(transform.m11(), transform.dx(), transform.dy(), self._metrics, rows[inside])
        obstacles = []
        if self.isolated_caption is not None and self.isolated_caption.isVisible():
            caption = self.mapFromScene(self.isolated_caption.sceneBoundingRect()).boundingRect()
            obstacles.append((float(caption.x()), float(caption.y()), float(caption.width()),
                              float(caption.height())))
        placer = LabelPlacer(bounds, limit=LABEL_LIMIT, obstacles=obstacles, line_height=self._metrics.height() + 2)
        return placer, itertools.islice(requests, LABEL_TRIES), QTransform(transform)

    def _compute_labels(self) -> None:
        placer, requests, transform = self._label_setup()
        for request in requests:
            placer.offer(request)
            if placer.full:
                break
        self.placed, self._placed_at = placer.placed, transform

    def label_rects(self) -> list[QRectF]:
        """Where the names are drawn now (viewport pixels): the placement moved with the scroll since."""
        transform = self.viewportTransform()
        shift = transform.map(QPointF(0, 0)) - self._placed_at.map(QPointF(0, 0))
        same_zoom = math.isclose(transform.m11(), self._placed_at.m11())
        if not same_zoom:
            return []
        return [QRectF(x + shift.x(), y + shift.y(), w, h) for _key, (x, y, w, h) in
                ((label.key, label.rect) for label in self.placed)]

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt's name
        super().drawForeground(painter, rect)
        stale = self._label_timer.isActive() or not math.isclose(self.viewportTransform().m11(),
                                                                 self._placed_at.m11())
        if stale and len(self._order) <= LARGE_MAP and not self.layout_running:
            self._label_timer.stop()
            self._compute_labels()  # a small map is named anew at once, a large one a moment after it stops
        rects = self.label_rects()
        if not rects:
            return
        painter.save()
        # viewport pixels: undo the scene's transform but keep any offset of the device (a grab of the window)
        painter.setWorldTransform(self.viewportTransform().inverted()[0] * painter.worldTransform())
        draw_labels(painter, [(r, self.nodes[label.key].name, self.nodes[label.key].opacity())
                              for r, label in zip(rects, self.placed, strict=True)], self.label_font)
        painter.restore()

    # -- layout -----------------------------------------------------------------------------

    def start_layout(self, *, relayout: bool) -> None:
        from ssd_starter.ui.map.layout_process import LayoutProcess

        self.stop_layout()
        known = {a: (n.pos().x(), n.pos().y()) for a, n in self.nodes.items() if relayout or a in self._stored}
        pinned = {a for a, n in self.nodes.items() if n.pinned}
        ids = list(self._ids)
        self._process = LayoutProcess(ids, self._relations, known, pinned, relayout=relayout)
        self._process.start()
        # moving 5,000 items re-indexes them each time: no index while they move, a fresh one at the end
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        if len(self._order) > PREVIEW_FROM:
            self._collector.pause()
            self._label_timer.stop()  # named once it stands still
            self._label_job = None
            self._start_preview()
        self.frames_shown = 0
        self._poll.start()
        self.layout_started.emit()

    def stop_layout(self) -> None:
        """End a running layout without keeping its positions (the map is closing or starts anew)."""
        self._poll.stop()
        if self._pending_finish:
            self._end_preview()
            self._finish_edges()
        if self._process is not None:
            self._process.stop()
            self._process = None
            if self.preview is not None:
                self._end_preview()
                self.rebuild_edges()  # drawn where the nodes stopped
            self._index_for_size()
            self._collector.resume()
            self.layout_finished.emit()

    def _start_preview(self) -> None:
        self.preview = StreamPreview()
        self.scene().addItem(self.preview)
        for node in self._order:
            if node.isVisible():
                node.setVisible(False)
        for item in (*self.edge_items.values(), *self.arrow_items.values(), *self._ego_items):
            item.setVisible(False)
        # every edge would cost a full paint per frame (20,000 long lines): a fixed sample shows the shape
        count = len(self._edges)
        self._sample = (np.random.default_rng(5).choice(count, PREVIEW_EDGES, replace=False)
                        if count > PREVIEW_EDGES else np.arange(count))
        self._preview_colours = [self.node_colour(a, c) for a, c in zip(self._ids, self._categories, strict=True)]
        self._update_preview()

    def _update_preview(self) -> None:
        if self.preview is not None:
            edges = self._edges[self._sample]
            a, b = edges[:, 0], edges[:, 1]
            keep = self._shown[a] & self._shown[b]
            a, b, xy = a[keep], b[keep], self._xy
            self.preview.set_points(xy, self._preview_colours, self._radius, self._shown,
                                    lines_path(xy[a, 0], xy[a, 1], xy[b, 0], xy[b, 1]))

    def _end_preview(self, first: int = 0, count: int | None = None) -> bool:
        """The nodes take over from the preview, where the layout left them: ``count`` of them from
        ``first`` (all by default); True once every node has, and the preview is gone."""
        if self.preview is None:
            return True
        last = len(self._order) if count is None else min(len(self._order), first + count)
        scene = self.scene()
        for n in range(first, last):
            node = self._order[n]
            node.setPos(float(self._xy[n, 0]), float(self._xy[n, 1]))
            node.setVisible(bool(self._shown[n]))
            if self._detached and node.scene() is None:
                scene.addItem(node)
        if last < len(self._order):
            return False
        self._detached = False
        self.scene().removeItem(self.preview)
        self.preview = None
        if not self._pending_finish:  # stopped: the edges as they are; else _finish_edges draws them anew first
            self._show_edges()
        return True

    def _show_edges(self) -> None:
        for item in self.edge_items.values():
            item.setVisible(True)

    @property
    def layout_running(self) -> bool:
        return self._process is not None

    def remember_stored(self, ids: Iterable[str]) -> None:
        """Actors whose position came from the store: a layout keeps them where they are."""
        self._stored = set(ids)

    @property
    def actors(self) -> list[dict[str, Any]]:
        return self._actors

    @property
    def relations(self) -> list[dict[str, Any]]:
        return self._relations

    def shown_count(self) -> int:
        """Actors on the map after the filters."""
        return int(self._shown.sum())

    def shown_relation_count(self) -> int:
        """Relations drawn: both ends shown and their kind not filtered out (what an exported picture shows)."""
        edges = self._edges
        if not len(edges):
            return 0
        keep = self._shown[edges[:, 0]] & self._shown[edges[:, 1]]
        for kind_number, kind in enumerate(KINDS):
            if kind in self.hidden_kinds:
                keep &= edges[:, 2] != kind_number
        return int(keep.sum())

    def neighbour_counts(self) -> list[int]:
        """Distinct neighbours of each actor, in the order of ``actors``."""
        return [len(n) for n in self._neighbours]

    def _on_poll(self) -> None:
        process = self._process
        if process is None:
            self._poll.stop()
            return
        frame = process.latest()
        if frame is not None and len(frame.positions) == len(self._order):
            self._show_frame(frame.positions)
            if not self._user_moved:
                self.fit()
        if process.done:
            self._poll.stop()
            # kept until the next layout: dropping it now would reap the child while it still exits (60 ms)
            self._last_process = process
            self._process = None
            if frame is not None and frame.final and not process.failed:
                positions = dict(zip(self._ids, map(tuple, self._xy.tolist()), strict=True))
                self._stored = set(positions)
                self._on_positions(positions, set(), set())
            if self.preview is not None:
                # the nodes and every edge take over in the next turns of the event loop, one step each,
                # so the window never waits for all of it at once
                self._pending_finish = True
                QTimer.singleShot(TURN_MS, self._finish_preview)
            else:
                self._index_for_size()
                self.schedule_labels()
                self.layout_finished.emit()

    def _finish_preview(self, first: int = 0) -> None:
        if self._pending_finish:
            if self._end_preview(first, NODES_PER_TURN):
                QTimer.singleShot(TURN_MS, self._finish_edges)
            else:
                QTimer.singleShot(TURN_MS, lambda: self._finish_preview(first + NODES_PER_TURN))

    def _finish_edges(self) -> None:
        if not self._pending_finish:
            return
        self._pending_finish = False
        self.rebuild_edges()
        self._show_edges()
        self._index_for_size()
        self.schedule_labels()
        self._collector.resume()
        self.layout_finished.emit()

    def _index_for_size(self) -> None:
        """A BSP index speeds up a small map zoomed in; re-indexing 5,000 nodes after each move costs more
        than it saves, and culling by bounding rectangles without an index is quick enough."""
        method = (QGraphicsScene.ItemIndexMethod.NoIndex if len(self._order) > PREVIEW_FROM
                  else QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.scene().setItemIndexMethod(method)

    def _show_frame(self, positions: np.ndarray) -> None:
        grabbed = self.scene().mouseGrabberItem()
        xy = positions.copy()
        held = [n for n, node in enumerate(self._order) if node is grabbed or node.pinned]
        for n in held:  # the user's hand wins over the layout
            xy[n] = self._order[n].pos().x(), self._order[n].pos().y()
        self._xy = xy
        if self.preview is not None:
            self._update_preview()
        else:
            for node, (x, y) in zip(self._order, xy.tolist(), strict=True):
                node.setPos(x, y)
        self.frames_shown += 1
        self.rebuild_edges(xy)
        self.placed = []  # the names follow once the map stands still

    def wait_for_layout(self, timeout_ms: int = 30_000) -> bool:
        """Block until a running layout has shown its final frame (tests, benchmarks)."""
        process = self._process
        if process is None:
            return True
        finished = process.wait(timeout_ms / 1000)
        self._on_poll()
        if self._pending_finish:
            self._end_preview()
            self._finish_edges()
        return finished and self._process is None

    # -- moving and drawing -----------------------------------------------------------------

    def node_dragging(self, node: NodeItem) -> None:
        """Edges follow a dragged node while it moves (cheap: a few paths)."""
        for item in self.scene().selectedItems() or [node]:
            if isinstance(item, NodeItem):
                self._xy[self._index[item.actor_id]] = item.pos().x(), item.pos().y()
        self._xy[self._index[node.actor_id]] = node.pos().x(), node.pos().y()
        self.rebuild_edges()

    def nodes_moved(self, nodes: list[NodeItem]) -> None:
        for node in nodes:
            node.pinned = True
            self._xy[self._index[node.actor_id]] = node.pos().x(), node.pos().y()
        self.rebuild_edges()
        moved = {n.actor_id: (n.pos().x(), n.pos().y()) for n in nodes}
        self._stored |= set(moved)
        self._on_positions(moved, set(moved), set())
        self.schedule_labels()

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

    def nodes_rect(self) -> QRectF:
        """Where the visible nodes are, their discs included."""
        if not self._shown.any():
            return QRectF()
        xy = self._xy[self._shown]
        reach = float(self._radius[self._shown].max()) + 2
        low, high = xy.min(axis=0), xy.max(axis=0)
        return QRectF(float(low[0]) - reach, float(low[1]) - reach, float(high[0] - low[0]) + 2 * reach,
                      float(high[1] - low[1]) + 2 * reach)

    def fit(self) -> None:
        """The whole map in the view, every node inside with a margin (a name may still need zooming in)."""
        rect = self.nodes_rect()
        if rect.isEmpty():
            return
        viewport = self.viewport().rect()
        room_w, room_h = max(viewport.width() - 2 * MARGIN, 40), max(viewport.height() - 2 * MARGIN, 40)
        scale = min(room_w / max(rect.width(), 1.0), room_h / max(rect.height(), 1.0), 2.0)
        scale = max(scale, 0.005)
        pad_w, pad_h = viewport.width() / scale, viewport.height() / scale
        self.setSceneRect(rect.adjusted(-pad_w, -pad_h, pad_w, pad_h))  # room to pan past the edges
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(rect.center())
        self._update_arrows()
        self.schedule_labels()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        factor = 1.2 if event.angleDelta().y() > 0 else 1 / 1.2
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.005 <= scale <= 8:
            self._user_moved = True
            self.scale(factor, factor)
            self._update_arrows()
            self.schedule_labels()

    def _update_arrows(self) -> None:
        shown = self.transform().m11() >= ARROW_ZOOM
        if shown and not self._arrows_built and self.preview is None:
            self.rebuild_edges()
        for item in self.arrow_items.values():
            item.setVisible(shown)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt's name
        super().scrollContentsBy(dx, dy)
        if dx or dy:
            self.schedule_labels()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._user_moved = True
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if not self._user_moved:
            self.fit()
        self.schedule_labels()

    # -- pictures ---------------------------------------------------------------------------

    def paint_picture(self, painter: QPainter, width: float, height: float, title: str,
                      subtitle: str) -> PictureLayout:
        """The map for a file or a slide: title and date above, the legend on the right, names placed for
        this size (the most central first), every node inside. Says where it put what (tests look)."""
        painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_font = QFont(self.label_font)
        title_font.setPointSizeF(self.label_font.pointSizeF() * 1.8)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#202124"))
        title_height = QFontMetricsF(title_font).height()
        painter.drawText(QRectF(16, 10, width - 32, title_height), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(self.label_font)
        painter.setPen(QColor("#5f6368"))
        small = QFontMetricsF(self.label_font).height()
        painter.drawText(QRectF(16, 12 + title_height, width - 32, small), Qt.AlignmentFlag.AlignLeft, subtitle)
        top = 20 + title_height + small
        entries = legend_entries(self.present_categories(), self.present_kinds(), self.community_sizes())
        legend_width = legend_size(entries, self.label_font)[0]
        area = QRectF(16, top, max(width - legend_width - 48, 100), height - top - 16)
        draw_legend(painter, entries, QPointF(width - legend_width - 16, top), self.label_font)
        rect = self.nodes_rect()
        legend_rect = QRectF(width - legend_width - 16, top, *legend_size(entries, self.label_font))
        if rect.isEmpty():
            return PictureLayout(area, legend_rect, entries, [], QRectF())
        scale = min(area.width() / max(rect.width(), 1.0), area.height() / max(rect.height(), 1.0), 2.0)
        source = QRectF(rect.center().x() - area.width() / scale / 2, rect.center().y() - area.height() / scale / 2,
                        area.width() / scale, area.height() / scale)
        labels, self.placed = self.placed, []
        self.scene().render(painter, area, source)
        self.placed = labels

        metrics = QFontMetricsF(self.label_font, painter.device())
        requests = self.label_requests(scale, area.x() - source.x() * scale, area.y() - source.y() * scale, metrics)
        bounds = (area.x(), area.y(), area.width(), area.height())
        placed = place_labels(requests, bounds, limit=LABEL_LIMIT, tries=LABEL_TRIES, line_height=metrics.height() + 2)
        draw_labels(painter, [(QRectF(*p.rect), self.nodes[p.key].name, 1.0) for p in placed], self.label_font)
        drawn = QRectF(area.x() + (rect.x() - source.x()) * scale, area.y() + (rect.y() - source.y()) * scale,
                       rect.width() * scale, rect.height() * scale)
        return PictureLayout(area, legend_rect, entries, placed, drawn)

    def present_categories(self) -> list[str]:
        found = {c for c, shown in zip(self._categories, self._shown.tolist(), strict=True) if shown}
        return [c.value for c in Category if c.value in found]

    def present_kinds(self) -> list[str]:
        found = {KINDS[k] for k in set(self._edges[:, 2].tolist())} - self.hidden_kinds
        return [k for k in KINDS if k in found]

    def render_image(self, title: str = "", subtitle: str = "", width: int = 2000, height: int = 1400) -> QImage:
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self.paint_picture(painter, width, height, title, subtitle)
        painter.end()
        return image

    def write_svg(self, path: str, title: str, subtitle: str = "", width: int = 1400, height: int = 1000) -> None:
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QRectF(0, 0, width, height).size().toSize())
        generator.setViewBox(QRectF(0, 0, width, height))
        generator.setTitle(title)
        generator.setDescription(subtitle)
        painter = QPainter(generator)
        self.paint_picture(painter, width, height, title, subtitle)
        painter.end()


# -- labels and legend, shared with the grid ----------------------------------------------------


@dataclass(frozen=True)
class PictureLayout:
    """Where an exported picture put its parts: the map's area, the legend, its entries, the names, and
    the nodes' bounding box as drawn."""

    area: QRectF
    legend: QRectF
    entries: list[LegendEntry]
    labels: list[PlacedLabel]
    nodes: QRectF


def draw_labels(painter: QPainter, labels: Sequence[tuple[QRectF, str, float]], font: QFont) -> None:
    """Names on a white halo so edges never run through the letters."""
    painter.setFont(font)
    halo = QColor(255, 255, 255, 215)
    for rect, text, opacity in labels:
        painter.setOpacity(max(opacity, 0.35))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(QColor("#202124"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.setOpacity(1.0)


LegendEntry = tuple[str, str, str]  # (shape: "dot" | "line" | "arrow", colour, text)


def legend_entries(categories: Sequence[str], kinds: Sequence[str] = (),
                   communities: Sequence[int] = ()) -> list[LegendEntry]:
    entries: list[LegendEntry]
    if communities:
        entries = [("dot", COMMUNITY_COLOURS[n], ngettext("Group {number}: {count} actor", "Group {number}: {count} actors",
                                                          size).format(number=n + 1, count=size))
                   for n, size in enumerate(communities[:len(COMMUNITY_COLOURS)])]
        if len(communities) > len(COMMUNITY_COLOURS):
            smaller = len(communities) - len(COMMUNITY_COLOURS)
            entries.append(("dot", SMALL_COMMUNITY_COLOUR, ngettext("{count} smaller group", "{count} smaller groups",
                                                                    smaller).format(count=smaller)))
    else:
        entries = [("dot", CATEGORY_COLOURS.get(c, UNKNOWN_CATEGORY_COLOUR), Category(c).label) for c in categories]
    entries += [("arrow" if k in DIRECTED_KINDS else "line", RELATION_COLOURS[k], RelationKind(k).label)
                for k in kinds]
    return entries


def legend_size(entries: Sequence[LegendEntry], font: QFont) -> tuple[float, float]:
    metrics = QFontMetricsF(font)
    width = max((metrics.horizontalAdvance(text) for _shape, _colour, text in entries), default=0.0) + 34
    return width, len(entries) * (metrics.height() + 4) + 8


def draw_legend(painter: QPainter, entries: Sequence[LegendEntry], origin: QPointF, font: QFont) -> None:
    metrics = QFontMetricsF(font)
    row = metrics.height() + 4
    width, height = legend_size(entries, font)
    painter.save()
    painter.setPen(QPen(QColor("#dadce0"), 1))
    painter.setBrush(QColor(255, 255, 255, 235))
    painter.drawRoundedRect(QRectF(origin.x() - 6, origin.y() - 4, width + 6, height), 4, 4)
    painter.setFont(font)
    for n, (shape, colour, text) in enumerate(entries):
        y = origin.y() + n * row + row / 2
        painter.setPen(QPen(QColor(colour), 2.2))
        painter.setBrush(QColor(colour))
        if shape == "dot":
            painter.drawEllipse(QPointF(origin.x() + 8, y), 5, 5)
        else:
            painter.drawLine(QLineF(origin.x(), y, origin.x() + 18, y))
            if shape == "arrow":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawPolygon([QPointF(origin.x() + 22, y), QPointF(origin.x() + 15, y - 4),
                                     QPointF(origin.x() + 15, y + 4)])
        painter.setPen(QColor("#202124"))
        painter.drawText(QRectF(origin.x() + 28, y - row / 2, width, row), Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()


def legend_html(categories: Iterable[str], kinds: Iterable[str] = KINDS, isolated: int = 0,
                communities: Sequence[int] = ()) -> str:
    """The side legend: categories (or the groups, with their sizes, when coloured by community), kinds."""
    if communities:
        rows = [f"<span style='color:{COMMUNITY_COLOURS[n]}'>●</span> " + ngettext(
                    "Group {number}: {count} actor", "Group {number}: {count} actors", size).format(number=n + 1,
                                                                                                    count=size)
                for n, size in enumerate(communities[:len(COMMUNITY_COLOURS)])]
        smaller = communities[len(COMMUNITY_COLOURS):]
        if smaller:
            rows.append(f"<span style='color:{SMALL_COMMUNITY_COLOUR}'>●</span> " + ngettext(
                "{count} smaller group", "{count} smaller groups", len(smaller)).format(count=len(smaller)))
    else:
        rows = [f"<span style='color:{CATEGORY_COLOURS.get(c, UNKNOWN_CATEGORY_COLOUR)}'>●</span> "
                f"{Category(c).label}" for c in categories]
    lines = [f"<span style='color:{RELATION_COLOURS[k]}'>{'━▶' if k in DIRECTED_KINDS else '━━'}</span> "
             f"{RelationKind(k).label}" for k in kinds]
    text = "<br>".join(rows) + "<br><br>" + "<br>".join(lines)
    text += "<br><br>" + _("Thicker lines: stronger relations.")
    if isolated:
        text += "<br>" + ngettext("{count} actor without relations", "{count} actors without relations",
                                  isolated).format(count=isolated)
    return text
