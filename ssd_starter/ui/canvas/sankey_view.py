"""The Sankey view: who gives what to whom, drawn by QPainter from the same layout the PDF uses.

The layout is computed in ``core.sankey`` for the widget's size; this module only paints it (bands
from ``band_path``, nodes, labels at ``label_positions``) and exports PNG or SVG.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ssd_starter.core.sankey import (
    BOUNDARY_COLOURS,
    BOUNDARY_LABELS,
    KIND_COLOURS,
    LINK_OPACITY,
    SankeyLayout,
    band_path,
    fit_labels,
    label_positions,
    link_colour,
    node_colour,
    sankey_layout,
)
from ssd_starter.core.vocabulary import CATEGORY_COLOURS, Category, FlowKind
from ssd_starter.i18n import _, format_currency, format_date, ngettext

LEGEND_HEIGHT = 62
TITLE_HEIGHT = 52  # an exported picture's title and date
SMALL_SHARE = 0.02
"""By actor, actors carrying less than this share of the flows each are drawn together as "Other actors"."""


MARGIN = 16.0
"""Room left and right of the diagram: labels never touch the picture's edge."""


def _kind_text(kind: str) -> str:
    try:
        return FlowKind(kind).label
    except ValueError:
        return kind


def painter_path(commands: Sequence[tuple]) -> QPainterPath:
    path = QPainterPath()
    for command in commands:
        if command[0] == "M":
            path.moveTo(command[1], command[2])
        elif command[0] == "C":
            path.cubicTo(*command[1:])
        elif command[0] == "L":
            path.lineTo(command[1], command[2])
        else:
            path.closeSubpath()
    return path


class SankeyWidget(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 320)
        self._actors: list[Mapping[str, Any]] = []
        self._flows: list[Mapping[str, Any]] = []
        self.mode = "actor"
        self.kinds: set[str] | None = None
        self.colour_by = "kind"
        self._layout: SankeyLayout | None = None
        self._layout_size: QSize | None = None
        self.setAccessibleName(_("Sankey diagram of the flows"))

    def set_data(self, actors: Sequence[Mapping[str, Any]], flows: Sequence[Mapping[str, Any]]) -> None:
        self._actors, self._flows = list(actors), list(flows)
        self._invalidate()

    def set_options(self, *, mode: str | None = None, kinds: set[str] | None | bool = False,
                    colour_by: str | None = None) -> None:
        self.mode = mode or self.mode
        if kinds is not False:
            self.kinds = kinds  # type: ignore[assignment]
        self.colour_by = colour_by or self.colour_by
        self._invalidate()

    def _invalidate(self) -> None:
        self._layout = None
        self.update()

    def layout_for(self, size: QSize, top: float = 0.0) -> SankeyLayout:
        """The layout for a picture of ``size``; ``top``: room kept above it (an export's title)."""
        label_space = max(120.0, min(240.0, size.width() * 0.22))
        height = float(max(60, size.height() - LEGEND_HEIGHT - top - 2 * self._line()))
        lines = self._lines()
        # as many nodes per column as their labels (one or two lines) have room for, at most 24
        max_nodes = max(4, min(24, int(height // (lines * self._line() + 2))))
        return sankey_layout(self._actors, self._flows, mode=self.mode, kinds=self.kinds,
                             width=float(size.width()) - 2 * MARGIN, height=height, label_space=label_space,
                             max_nodes=max_nodes, min_share=SMALL_SHARE if self.mode == "actor" else 0.0)

    def _line(self) -> float:
        return QFontMetricsF(self.font()).height()

    def _lines(self) -> int:
        """Actors' names are long and alike ("Cooperativa sociale …"): two lines each; categories, one."""
        return 2 if self.mode == "actor" else 1

    def current_layout(self) -> SankeyLayout:
        if self._layout is None or self._layout_size != self.size():
            self._layout = self.layout_for(self.size())
            self._layout_size = self.size()
        return self._layout

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        self.paint(painter, self.current_layout())
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QHelpEvent.pos(event))  # type: ignore[arg-type]
            if text:
                QToolTip.showText(QHelpEvent.globalPos(event), text, self)  # type: ignore[arg-type]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, point: QPoint | QPointF) -> str:
        """The whole name and value of the node under ``point``, or the flow's ends and value."""
        layout = self.current_layout()
        x, y = point.x() - MARGIN, point.y() - self._top()
        for node in layout.nodes:
            if node.x0 - 2 <= x <= node.x1 + 2 and node.y0 - 2 <= y <= max(node.y1, node.y0 + 3) + 2:
                return f"{node.label}\n{format_currency(node.value, whole=True)}"
        for link in layout.links:
            if painter_path(band_path(link)).contains(QPointF(x, y)):
                return _("{source} → {target}: {kind}, {value}").format(
                    source=layout.node(link.source).label, target=layout.node(link.target).label,
                    kind=_kind_text(link.kind), value=format_currency(link.value, whole=True))
        return ""

    def _top(self) -> float:
        return self._line()  # a label centred on the top node may stand half a line above it

    def paint(self, painter: QPainter, layout: SankeyLayout, top: float | None = None) -> None:
        """The diagram with ``top`` of room above it (labels at the top may rise into it), at MARGIN from
        the sides, the legend under it."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.save()
        painter.translate(MARGIN, self._top() if top is None else top)
        self._paint_diagram(painter, layout)
        painter.restore()

    def _paint_diagram(self, painter: QPainter, layout: SankeyLayout) -> None:
        self.drawn_labels: list[tuple[str, list[str], QRectF]] = []  # key, lines, where (device pixels)
        font = painter.font()
        metrics = QFontMetricsF(font)
        if not layout.links:
            painter.setPen(QColor("#555555"))
            painter.drawText(QRectF(0, 0, layout.width, layout.height), Qt.AlignmentFlag.AlignCenter,
                             _("No flows with a value to draw yet. Add flows in the Flows tab."))
            return
        painter.setPen(Qt.PenStyle.NoPen)
        for link in layout.links:
            colour = QColor(link_colour(link, self.colour_by))
            colour.setAlphaF(LINK_OPACITY)
            painter.setBrush(colour)
            painter.drawPath(painter_path(band_path(link)))
        for node in layout.nodes:
            painter.setBrush(QColor(node_colour(layout, node)))
            painter.drawRect(QRectF(node.x0, node.y0, node.x1 - node.x0, max(node.y1 - node.y0, 1.0)))
        painter.setPen(QColor("#222222"))
        line = metrics.height()
        lines = self._lines()
        places = label_positions(layout, line * lines)
        for column in range(layout.columns):
            nodes = layout.column(column)
            room = places[nodes[0].key][3]
            # the amount on a line of its own under the name's last line: the name keeps its room
            texts = fit_labels([node.label for node in nodes], room, metrics.horizontalAdvance, lines)
            for node, name_lines in zip(nodes, texts, strict=True):
                x, y, anchor, _room = places[node.key]
                amount = format_currency(node.value, whole=True)
                if len(name_lines) < lines or lines == 1:
                    last = name_lines[-1] + "  " + amount
                    if metrics.horizontalAdvance(last) <= room or lines == 1:
                        name_lines = [*name_lines[:-1], metrics.elidedText(last, Qt.TextElideMode.ElideMiddle, room)]
                    else:
                        name_lines = [*name_lines, amount]
                else:
                    name_lines = [name_lines[0], metrics.elidedText(name_lines[1] + "  " + amount,
                                                                    Qt.TextElideMode.ElideMiddle, room)]
                first = y - (len(name_lines) - 1) * line / 2
                block = QRectF()
                for n, text in enumerate(name_lines):
                    width = metrics.horizontalAdvance(text)
                    left = x - width if anchor == "end" else x
                    middle = first + n * line
                    painter.drawText(QPointF(left, middle + metrics.ascent() / 2 - metrics.descent() / 2), text)
                    block = block.united(QRectF(left, middle - line / 2, width, line))
                self.drawn_labels.append((node.key, name_lines, painter.transform().mapRect(block)))
        self._paint_legend(painter, layout, metrics)

    def legend_entries(self, layout: SankeyLayout) -> list[tuple[str, str, str]]:
        """(shape, colour, text): what the bands' colours mean, then the categories the nodes show."""
        if self.colour_by == "boundary":
            present_boundaries = {link.boundary for link in layout.links}
            entries = [("band", BOUNDARY_COLOURS[b], _(BOUNDARY_LABELS[b])) for b in BOUNDARY_COLOURS
                       if b in present_boundaries]
        else:
            present = {link.kind for link in layout.links}
            entries = [("band", KIND_COLOURS[k.value], k.label) for k in FlowKind if k.value in present]
        categories = {node.category for node in layout.nodes if node.category}
        entries += [("node", CATEGORY_COLOURS[c.value], c.label) for c in Category if c.value in categories]
        return entries

    def _paint_legend(self, painter: QPainter, layout: SankeyLayout, metrics: QFontMetricsF) -> None:
        x, y = 0.0, layout.height + metrics.height() * 0.8
        for shape, colour, label in self.legend_entries(layout):
            width = 16 + metrics.horizontalAdvance(label) + 14
            if x > 0 and x + width > layout.width:  # wraps onto a second row rather than running off
                x, y = 0.0, y + metrics.height() + 2
            painter.setPen(Qt.PenStyle.NoPen)
            band = QColor(colour)
            if shape == "band":
                band.setAlphaF(LINK_OPACITY)
            painter.setBrush(band)
            painter.drawRect(QRectF(x, y, 12 if shape == "band" else 6, 12))
            painter.setPen(QColor("#222222"))
            painter.drawText(QPointF(x + 16, y + 11), label)
            x += width
        note = _("Total drawn: {total} per year").format(total=format_currency(layout.total))
        if layout.merged:
            note += " · " + ngettext("“Other” gathers {count} node of at most {value}",
                                     "“Other” gathers {count} nodes of at most {value} each",
                                     layout.merged).format(count=layout.merged,
                                                           value=format_currency(layout.merged_below, whole=True))
        if layout.dropped:
            note += " · " + ngettext("{count} flow without a value not drawn", "{count} flows without a value not drawn",
                                     layout.dropped).format(count=layout.dropped)
        painter.drawText(QPointF(0, y + 14 + metrics.height()), note)

    # -- export -------------------------------------------------------------------------------

    def render_image(self, size: QSize | None = None, title: str = "") -> QImage:
        size = size or QSize(1600, 1000)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self.paint_picture(painter, size, title)
        painter.end()
        return image

    def paint_picture(self, painter: QPainter, size: QSize, title: str) -> SankeyLayout:
        """An exported picture: title and date above, the diagram, its legend below."""
        title = title or _("Resource flows")
        heading = QFont(painter.font())
        heading.setPointSizeF(painter.font().pointSizeF() * 1.6)
        heading.setBold(True)
        painter.save()
        painter.setFont(heading)
        painter.setPen(QColor("#202124"))
        painter.drawText(QRectF(MARGIN, 8, size.width() - 2 * MARGIN, TITLE_HEIGHT / 2 + 4),
                         Qt.AlignmentFlag.AlignLeft, title)
        painter.restore()
        painter.setPen(QColor("#5f6368"))
        mode = {"actor": _("by actor"), "category": _("by category"), "kind": _("by category and kind")}[self.mode]
        painter.drawText(QRectF(MARGIN, 10 + TITLE_HEIGHT / 2, size.width() - 2 * MARGIN, TITLE_HEIGHT / 2),
                         Qt.AlignmentFlag.AlignLeft, f"{mode} · {format_date(dt.date.today())}")
        layout = self.layout_for(size, top=TITLE_HEIGHT)
        self.paint(painter, layout, top=TITLE_HEIGHT + self._line())
        return layout

    def export(self, path: Path, title: str = "") -> Path:
        """PNG or SVG by the file's suffix, through a temporary file: user-only like every export."""
        from ssd_starter.files import write_atomically

        size = QSize(1600, 1000)

        def write_svg(tmp: str) -> None:
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(tmp)
            generator.setSize(size)
            generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
            generator.setTitle(title or _("Resource flows"))
            painter = QPainter(generator)
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
            painter.setPen(QPen(QColor("black")))
            self.paint_picture(painter, size, title)
            painter.end()

        def write_png(tmp: str) -> None:
            if not self.render_image(size, title).save(tmp):  # PNG by the temporary file's suffix
                from ssd_starter.core.errors import UserError
                from ssd_starter.i18n import N_

                raise UserError(N_("Could not write {path}."), path=str(path))

        if path.suffix.lower() == ".svg":
            return write_atomically(path, write_svg, suffix=".svg")
        return write_atomically(path, write_png, suffix=".png")
